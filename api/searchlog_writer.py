"""The buffered log writer: entries leave the process in batches, off the request path.

A search must neither wait for nor fail because of its log. ``record`` appends to a
bounded in-process buffer and returns; a background thread (one per process, started
lazily so that it survives gunicorn's fork) builds the entries and hands batches to the
Celery task ``workers.searchlog_write`` through Redis.

Degradation: when the buffer is full an entry is dropped and counted (``dropped_full``);
when Redis is unreachable the batch is dropped and counted (``dropped_unavailable``).
:func:`writer_status` reports the counters (``GET /api/v1/analytics/log-status``).
"""

from __future__ import annotations

import logging
import os
import threading
from collections import deque
from typing import Any, Protocol

from django.conf import settings

from api.searchlog_entries import Pending, to_entry
from indexer.searchlog import SearchLogSettings, searchlog_settings

log = logging.getLogger("sozialatlas.searchlog")


def log_settings() -> SearchLogSettings:
    """The search log's settings, from the one configuration object (via Django settings)."""
    return searchlog_settings(settings.CONFIG, settings.INDEXER.index_prefix)


class Sender(Protocol):
    def __call__(self, entries: list[dict[str, Any]]) -> None: ...


def celery_sender(entries: list[dict[str, Any]]) -> None:
    """Hand a batch to the log worker; the API decides where its log lives (prefix)."""
    from api.context import task_queue

    task_queue().send_searchlog(entries, log_settings().index_prefix)


class LogWriter:
    """Bounded buffer + background flusher; ``record`` never blocks and never raises."""

    def __init__(
        self, send: Sender, capacity: int = 10_000, batch: int = 500, interval: float = 1.0
    ) -> None:
        self.send = send
        self.capacity = capacity
        self.batch = batch
        self.interval = interval
        self.enabled = True
        self._buffer: deque[Pending] = deque()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self.counters = {
            "recorded": 0,
            "sent": 0,
            "dropped_full": 0,
            "dropped_unavailable": 0,
            "failed": 0,
            "batches": 0,
        }
        self.last_error: str | None = None

    def record(self, item: Pending) -> bool:
        if len(self._buffer) >= self.capacity:
            self.counters["dropped_full"] += 1
            return False
        self._buffer.append(item)  # deque.append is atomic
        self.counters["recorded"] += 1
        if self._pid != os.getpid():
            self._start()
        if len(self._buffer) >= self.batch:
            self._wake.set()
        return True

    def _start(self) -> None:
        with self._lock:
            if self._pid == os.getpid() and self._thread and self._thread.is_alive():
                return
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="searchlog-writer", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            self._wake.wait(self.interval)
            self._wake.clear()
            try:
                self.flush()
            except Exception:  # never let the thread die
                log.exception("search log flush failed")

    def flush(self) -> int:
        """Send everything buffered now; returns the number of entries sent."""
        sent = 0
        with self._lock:
            while self._buffer:
                items = [self._buffer.popleft() for _ in range(min(self.batch, len(self._buffer)))]
                entries = []
                for item in items:
                    try:
                        entries.append(to_entry(item))
                    except Exception:
                        self.counters["failed"] += 1
                        log.exception("could not build a search log entry")
                try:
                    self.send(entries)
                except Exception as exc:  # Redis down or any transport problem
                    self.counters["dropped_unavailable"] += len(entries)
                    self.last_error = f"{type(exc).__name__}: {exc}"[:300]
                    log.warning("search log: %d entries dropped: %s", len(entries), exc)
                    continue
                self.counters["sent"] += len(entries)
                self.counters["batches"] += 1
                sent += len(entries)
        return sent

    def status(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "buffered": len(self._buffer),
            "capacity": self.capacity,
            **self.counters,
            "last_error": self.last_error,
            "degraded": bool(self.counters["dropped_unavailable"] and self.last_error),
        }


_writer: LogWriter | None = None
_writer_lock = threading.Lock()


def writer() -> LogWriter:
    global _writer
    if _writer is None:
        with _writer_lock:
            if _writer is None:
                conf = settings.CONFIG
                _writer = LogWriter(
                    celery_sender,
                    conf.searchlog_queue_size,
                    conf.searchlog_batch_size,
                    conf.searchlog_flush_interval,
                )
                _writer.enabled = conf.searchlog_enabled
    return _writer


def writer_status() -> dict[str, Any]:
    return writer().status()
