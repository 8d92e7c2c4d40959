"""Search log tasks. Thin: keep per-session state in Redis, hand the rest to ``indexer``.

``workers.searchlog_write`` receives batches of already redacted entries from the API's
buffered writer; ``workers.searchlog_maintain`` (Celery beat, hourly) rolls up the days
and enforces retention.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, MutableMapping
from dataclasses import replace
from typing import Any

from configuration.endpoints import endpoints
from configuration.settings import installed
from indexer.client import get_client
from indexer.searchlog import SearchLogSettings, ensure_storage, searchlog_settings, write_batch
from indexer.searchlog_intents import link_batch
from indexer.searchlog_retention import enforce_retention
from indexer.settings import IndexerSettings, indexer_settings
from workers.app import app

log = logging.getLogger("sozialatlas.workers.searchlog")
SESSION_TTL = 3600
MARK_TTL = 3600  # a click or feedback whose search has not arrived waits this long
_ready: set[str] = set()


def _settings() -> SearchLogSettings:
    """The log's storage as the worker's entry point (``workers.app``) was configured."""
    config = installed()
    return searchlog_settings(config)


def _redis() -> Any:
    import redis

    return redis.Redis.from_url(endpoints(installed()).redis_url, socket_timeout=2)


class SessionState(MutableMapping[str, dict[str, Any]]):
    """The last entry per session, loaded for one batch and written back afterwards."""

    def __init__(self, client: Any, prefix: str, sessions: list[str]) -> None:
        self.client = client
        self.prefix = prefix
        keys = [self._key(s) for s in sessions]
        values = client.mget(keys) if keys else []
        self.data: dict[str, dict[str, Any]] = {
            s: json.loads(v) for s, v in zip(sessions, values, strict=True) if v
        }
        self.changed: set[str] = set()

    def _key(self, session: str) -> str:
        return f"{self.prefix}:searchlog:session:{session}"

    def __getitem__(self, key: str) -> dict[str, Any]:
        return self.data[key]

    def __setitem__(self, key: str, value: dict[str, Any]) -> None:
        self.data[key] = value
        self.changed.add(key)

    def __delitem__(self, key: str) -> None:
        del self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def save(self) -> None:
        pipe = self.client.pipeline()
        for session in self.changed:
            pipe.setex(self._key(session), SESSION_TTL, json.dumps(self.data[session]))
        pipe.execute()


def _mark_key(prefix: str, query_id: str) -> str:
    return f"{prefix}:searchlog:mark:{query_id}"


def take_early_marks(client: Any, prefix: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Marks kept for searches of this batch (their click or feedback came first); removed."""
    if not ids:
        return {}
    keys = [_mark_key(prefix, i) for i in ids]
    pipe = client.pipeline()
    for key in keys:
        pipe.hgetall(key)
    found = pipe.execute()
    marks = {i: {k.decode(): True for k in f} for i, f in zip(ids, found, strict=True) if f}
    if marks:
        client.delete(*[_mark_key(prefix, i) for i in marks])
    return marks


def keep_early_marks(client: Any, prefix: str, marks: dict[str, dict[str, Any]]) -> None:
    """Keep marks whose search is not written yet, for the batch that brings it."""
    if not marks:
        return
    pipe = client.pipeline()
    for query_id, fields in marks.items():
        key = _mark_key(prefix, query_id)
        pipe.hset(key, mapping=dict.fromkeys(fields, 1))
        pipe.expire(key, MARK_TTL)
    pipe.execute()


@app.task(name="workers.searchlog_write", ignore_result=True, acks_late=False)
def searchlog_write(entries: list[dict[str, Any]], prefix: str | None = None) -> dict[str, int]:
    """Link keystrokes into intents, then bulk-write the batch (at most once)."""
    conf = _settings()
    if prefix:
        conf = replace(conf, index_prefix=prefix)
    es = get_client(_indexer())
    # One HEAD request per batch: storage removed while the worker runs (retention of a
    # whole month, an operator's `analytics delete`) is recreated with its template, so a
    # new month's index never appears without the alias and mapping.
    if conf.index_prefix not in _ready or not es.indices.exists_index_template(name=conf.template):
        ensure_storage(es, conf)
        _ready.add(conf.index_prefix)
    searches = [e for e in entries if e.get("kind") in ("search", "suggest")]
    events = [e for e in entries if e.get("kind") not in ("search", "suggest")]
    sessions = sorted({str(e["session"]) for e in searches if e.get("session")})
    client = _redis()
    # Batches of one session may reach two pool processes at once; without the lock both
    # read the session state before either saved it, and a typed search counted twice.
    # The lock also orders a feedback batch against the batch that brings its search (the
    # early mark is kept by one and taken by the other, never missed in between).
    lock = client.lock(f"{conf.index_prefix}:searchlog-link", timeout=60, blocking_timeout=30)
    locked = lock.acquire()
    try:
        state = SessionState(client, conf.index_prefix, sessions)
        ordered, updates = link_batch(searches, state, conf)
        early = take_early_marks(client, conf.index_prefix, [str(e["id"]) for e in ordered])
        written, failed, unplaced = write_batch(es, conf, ordered + events, updates, early)
        keep_early_marks(client, conf.index_prefix, unplaced)
        state.save()
    finally:
        if locked:
            lock.release()
    if failed:
        log.warning("search log: %d of %d entries failed", failed, len(entries))
    return {"written": written, "failed": failed}


@app.task(name="workers.searchlog_maintain", ignore_result=True)
def searchlog_maintain() -> dict[str, int]:
    """Daily rollup and retention (raw entries and rollups); idempotent."""
    result = enforce_retention(get_client(_indexer()), _settings())
    log.info("search log retention: %s", result)
    return result


def _indexer() -> IndexerSettings:
    return indexer_settings(installed())
