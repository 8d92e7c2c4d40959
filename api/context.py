"""Access to the services the API needs, built from Django settings once."""

from __future__ import annotations

from django.conf import settings
from elasticsearch import Elasticsearch

from indexer.client import get_client
from indexer.settings import IndexerSettings


def indexer_settings() -> IndexerSettings:
    value: IndexerSettings = settings.INDEXER
    return value


def es() -> Elasticsearch:
    return get_client(indexer_settings())
