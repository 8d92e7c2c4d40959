"""The services the API needs (client, search service, task queue), from Django settings."""

from __future__ import annotations

from django.conf import settings
from elasticsearch import Elasticsearch

from api.answers import search_answers
from api.searcher import Searcher
from indexer.client import get_client
from indexer.settings import IndexerSettings
from workers.queue import TaskQueue, queue_for

_searchers: dict[IndexerSettings, Searcher] = {}


def indexer_settings() -> IndexerSettings:
    value: IndexerSettings = settings.INDEXER
    return value


def es() -> Elasticsearch:
    return get_client(indexer_settings())


def task_queue() -> TaskQueue:
    """Where the API sends work: the broker of its configured endpoints."""
    return queue_for(settings.CONFIG.replace(redis_url=settings.ENDPOINTS.redis_url))


def searcher() -> Searcher:
    """The search service for the configured index (one per settings, built on first use)."""
    conf = indexer_settings()
    found = _searchers.get(conf)
    if found is None:
        crisis_lines = settings.CONFIG.crisis_lines_file
        found = _searchers[conf] = Searcher(es(), conf, crisis_lines, search_answers)
    return found
