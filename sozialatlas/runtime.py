"""Turn the one :class:`Settings` object into what each package expects."""

from __future__ import annotations

from indexer.settings import IndexerSettings
from sozialatlas.config import Settings
from sozialatlas.services import endpoints


def indexer_settings(settings: Settings) -> IndexerSettings:
    return IndexerSettings(
        elasticsearch_url=endpoints(settings).elasticsearch_url,
        index_prefix=settings.index_prefix,
        timeout=settings.elasticsearch_timeout,
    )
