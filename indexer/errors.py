"""The indexer's exceptions; the API maps them to HTTP statuses in one place."""


class IndexerError(Exception):
    """Base class of everything the indexer raises on purpose."""


class SearchUnavailable(IndexerError):
    """Elasticsearch is unreachable, timed out or answered with a server error."""


class IndexMissing(IndexerError):
    """The read alias points at no index: nothing has been indexed yet."""


class ReindexFailed(IndexerError):
    """A rebuild did not produce a complete index; the alias was left untouched."""
