"""What the indexer needs to know, handed in by the caller (never read from the environment)."""

from __future__ import annotations

from dataclasses import dataclass

from configuration.endpoints import endpoints
from configuration.settings import Settings


@dataclass(frozen=True)
class IndexerSettings:
    elasticsearch_url: str
    index_prefix: str = "sozialatlas"
    timeout: float = 2.0  # seconds for a search request; bulk requests get longer

    @property
    def alias(self) -> str:
        """The read alias every search goes to."""
        return f"{self.index_prefix}-providers"

    @property
    def building_alias(self) -> str:
        """Points at an index being rebuilt, so live updates reach it too."""
        return f"{self.index_prefix}-providers-building"

    @property
    def index_pattern(self) -> str:
        return f"{self.index_prefix}-providers-v*"


def indexer_settings(settings: Settings) -> IndexerSettings:
    """The indexer's part of the one configuration object."""
    return IndexerSettings(
        elasticsearch_url=endpoints(settings).elasticsearch_url,
        index_prefix=settings.index_prefix,
        timeout=settings.elasticsearch_timeout,
    )
