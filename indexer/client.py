"""The Elasticsearch client, built once per settings object."""

from __future__ import annotations

from functools import lru_cache

from elasticsearch import Elasticsearch
from elasticsearch.serializer import OrjsonSerializer

from indexer.settings import IndexerSettings


@lru_cache(maxsize=8)
def get_client(settings: IndexerSettings) -> Elasticsearch:
    """A client with short timeouts and no retry storms: callers decide how to degrade."""
    return Elasticsearch(
        settings.elasticsearch_url,
        request_timeout=settings.timeout,
        max_retries=0,
        retry_on_timeout=False,
        http_compress=False,
        serializer=OrjsonSerializer(),  # bulk responses of 500 items parse much faster
    )
