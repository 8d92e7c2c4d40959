"""The write clock: when the search index last changed (stored in the shared cache, Redis).

Every process that writes to the index (indexing workers, reindex) calls
:func:`mark_written`; readers such as the API's answer reuse compare it with what they
have seen (see ``api.answers``).
"""

from __future__ import annotations

import logging
import time

from django.core.cache import caches

from indexer.mapping import REFRESH_SECONDS

log = logging.getLogger("sozialatlas.directory")

WRITE_CLOCK_KEY = "index-written"
SETTLE_SECONDS = REFRESH_SECONDS + 0.5  # a write is visible to searches after this long


def mark_written() -> None:
    """Record that the index changed just now (writers call this; it never raises)."""
    try:
        caches["default"].set(WRITE_CLOCK_KEY, time.time(), timeout=None)
    except Exception as exc:  # Redis away: the answers' own expiry bounds any staleness
        log.warning("could not record the index write time: %s: %s", type(exc).__name__, exc)
