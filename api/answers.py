"""Reuse of search and suggest answers while the index has not changed.

The public site and the partner portals ask the same questions again and again ("Kita",
"Schuldnerberatung"); a repeat answered from memory costs microseconds instead of an
Elasticsearch round trip and the shaping around it. Freshness rests on a *write clock*:
every process that changes the index (indexing workers, reindex) stores the time of its
last write in the shared cache (Redis). An answer is kept together with the write time it
has seen, only once that write has had time to become visible (refresh interval plus a
margin), and served only while the write time is unchanged. So an edit stays searchable
within the 2 s the indexing promises, a burst of writes simply turns reuse off, and an
unreachable Redis turns it off as well: the search never depends on this module.
Answers also expire after ``SOZIALATLAS_ANSWER_CACHE_SECONDS`` (0 disables the cache), each
at a random point in the second half of that time: answers computed together (after a
deployment or a reindex) would otherwise all be recomputed in the same second.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches

from directory.writeclock import SETTLE_SECONDS, WRITE_CLOCK_KEY

log = logging.getLogger("sozialatlas.api")

CLOCK_MEMO_SECONDS = 0.1  # the write clock is read from Redis at most this often
REDIS_BACKOFF_SECONDS = 10.0  # after a Redis failure, no reuse (and no asking) this long
MAX_ENTRIES = 2048
T = TypeVar("T")


class AnswerCache:
    """An in-process LRU of answers, valid while the write clock stands still."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Hashable, tuple[float, float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._clock: tuple[float, float | None] = (0.0, None)  # (read at, write time)
        self._redis_down_until = 0.0

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._clock = (0.0, None)
            self._redis_down_until = 0.0
            self.hits = self.misses = 0

    def _written_at(self) -> float | None:
        """The index's last write time (0.0 if never recorded); None when Redis fails."""
        now = time.monotonic()
        read_at, value = self._clock
        if now - read_at < CLOCK_MEMO_SECONDS and value is not None:
            return value
        if now < self._redis_down_until:
            return None
        try:
            stored = caches["default"].get(WRITE_CLOCK_KEY)
        except Exception as exc:
            self._redis_down_until = now + REDIS_BACKOFF_SECONDS
            log.warning("answer reuse is off for %.0f s: %s", REDIS_BACKOFF_SECONDS, exc)
            return None
        value = float(stored) if isinstance(stored, (int, float)) else 0.0
        self._clock = (now, value)
        return value

    def get(self, key: Hashable) -> Any | None:
        """The stored answer for ``key`` if it is still valid, else None."""
        ttl = _ttl()
        written = self._written_at() if ttl > 0 else None
        if written is None:
            return None
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                seen_write, expires, value = entry
                if seen_write == written and time.monotonic() < expires:
                    self._entries.move_to_end(key)
                    self.hits += 1
                    return value
                del self._entries[key]
            self.misses += 1
        return None

    def reuse(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The stored answer for ``key``, else ``compute()``'s, kept if it is surely fresh."""
        value: T | None = self.get(key)
        if value is None:
            started = time.time()
            value = compute()
            self.put(key, value, started)
        return value

    def put(self, key: Hashable, value: Any, started: float) -> None:
        """Keep ``value``, computed from ``started`` (wall clock) on, if it is surely fresh."""
        ttl = _ttl()
        written = self._written_at() if ttl > 0 else None
        if written is None or started < written + SETTLE_SECONDS:
            return  # a write may not have been visible to this computation
        expires = time.monotonic() + ttl * random.uniform(0.5, 1.0)
        with self._lock:
            self._entries[key] = (written, expires, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


def _ttl() -> float:
    return float(settings.CONFIG.answer_cache_seconds)


search_answers = AnswerCache()
suggest_answers = AnswerCache()
