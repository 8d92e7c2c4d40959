"""The search log in Elasticsearch: where entries live and how a batch of them is written.

Layout (core Elasticsearch only, no ILM, no scripts):

* ``<prefix>-searchlog-YYYY.MM``: raw entries (searches, suggestions, clicks, feedback),
  created on first write from an index template that also puts them behind the alias
  ``<prefix>-searchlog``; reports read the alias.
* ``<prefix>-searchrollup``: one document per day, normalised query, channel, language and
  kind with counts only (no session, no raw text); kept longer than the raw entries.

Entries arrive in batches (see ``workers.logging_tasks``). Before a batch is written,
:func:`indexer.searchlog_intents.link_batch` turns the keystrokes of one as-you-type search
into one *intent*; :mod:`indexer.searchlog_retention` rolls the days up and deletes what is
too old. Both build on the settings and the index layout kept here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.helpers import bulk

from configuration.settings import Settings
from indexer.settings import IndexerSettings

BULK_TIMEOUT = 60.0


@dataclass(frozen=True)
class SearchLogSettings:
    index_prefix: str
    # Raw entries older than this are deleted.
    retention_days: int = 90
    # Daily rollups (counts without sessions) older than this are deleted.
    rollup_retention_days: int = 761
    # Consecutive queries of a session closer than this (seconds) may be one typed search.
    intent_window_s: float = 10.0
    # A query within this many seconds after a zero-result query refines it.
    refine_window_s: float = 300.0
    # At most this many results count as "low" (unmet-need report).
    low_results: int = 3
    # A query text enters the daily rollup only when this many distinct sessions typed it.
    rollup_min_sessions: int = 5

    @property
    def alias(self) -> str:
        return f"{self.index_prefix}-searchlog"

    @property
    def pattern(self) -> str:
        return f"{self.index_prefix}-searchlog-*"

    @property
    def template(self) -> str:
        return f"{self.index_prefix}-searchlog"

    @property
    def rollup(self) -> str:
        return f"{self.index_prefix}-searchrollup"

    def index_for(self, ts: datetime) -> str:
        return f"{self.index_prefix}-searchlog-{ts.astimezone(UTC):%Y.%m}"

    @classmethod
    def for_indexer(cls, conf: IndexerSettings, **overrides: Any) -> SearchLogSettings:
        return cls(index_prefix=conf.index_prefix, **overrides)


def searchlog_settings(settings: Settings, index_prefix: str | None = None) -> SearchLogSettings:
    """The search log's part of the one configuration object (``index_prefix``: the prefix
    the caller's indexer settings use, when they point elsewhere, as in tests)."""
    return SearchLogSettings(
        index_prefix=settings.index_prefix if index_prefix is None else index_prefix,
        retention_days=settings.searchlog_retention_days,
        rollup_retention_days=settings.searchlog_rollup_retention_days,
        intent_window_s=settings.searchlog_intent_window,
        low_results=settings.analytics_low_results,
        rollup_min_sessions=settings.searchlog_rollup_min_sessions,
    )


_KW = {"type": "keyword"}


def build_template(conf: SearchLogSettings) -> dict[str, Any]:
    """The index template for the monthly raw indices (pure, tested by dict comparison)."""
    return {
        "index_patterns": [conf.pattern],
        "priority": 200,
        # Month indices are created by their first entry, also where the cluster refuses to
        # create indices on a write (``action.auto_create_index: false``, as the project's
        # services run it): without this template no write can create a log index with
        # guessed mappings.
        "allow_auto_create": True,
        "template": {
            "settings": {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "1s"},
            "aliases": {conf.alias: {}},
            "mappings": {
                "dynamic": "strict",
                "properties": {
                    "kind": _KW,
                    "ts": {"type": "date"},
                    "session": _KW,
                    "channel": _KW,
                    "query": {"type": "keyword", "ignore_above": 512},
                    "normalized": {"type": "keyword", "ignore_above": 512},
                    "lemmas": _KW,
                    "terms": _KW,
                    "concepts": _KW,
                    "concept": _KW,
                    "language": _KW,
                    "ui_lang": _KW,
                    "implied": _KW,
                    "implied_unmet": _KW,
                    "filters": {"type": "flattened"},
                    "categories": _KW,
                    "districts": _KW,
                    "total": {"type": "integer"},
                    "results": _KW,
                    "latency_ms": {"type": "float"},
                    "page": {"type": "integer"},
                    "final": {"type": "boolean"},
                    "intent": _KW,
                    "refines": _KW,
                    "refined": {"type": "boolean"},
                    "clicked": {"type": "boolean"},
                    "not_helpful": {"type": "boolean"},
                    "query_id": _KW,
                    "provider_id": _KW,
                    "rank": {"type": "integer"},
                    "comment": {"type": "text"},
                },
            },
        },
    }


def build_rollup_body() -> dict[str, Any]:
    return {
        "settings": {"number_of_shards": 1, "number_of_replicas": 0},
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "day": {"type": "date"},
                "kind": _KW,
                "normalized": _KW,
                "channel": _KW,
                "language": _KW,
                "concept": _KW,
                "searches": {"type": "integer"},
                "zero": {"type": "integer"},
                "clicked": {"type": "integer"},
            },
        },
    }


def ensure_storage(es: Elasticsearch, conf: SearchLogSettings) -> None:
    """Create the template and the rollup index if missing (idempotent)."""
    es.indices.put_index_template(name=conf.template, **build_template(conf))
    if not es.indices.exists(index=conf.rollup):
        try:
            es.indices.create(index=conf.rollup, **build_rollup_body())
        except Exception as exc:  # created concurrently by another worker
            if "resource_already_exists" not in str(exc):
                raise


def drop_storage(es: Elasticsearch, conf: SearchLogSettings) -> None:
    """Remove every log index, the rollup and the template (tests, `analytics drop`)."""
    es.indices.delete(
        index=f"{conf.pattern},{conf.rollup}",
        ignore_unavailable=True,
        allow_no_indices=True,
        expand_wildcards="all",
    )
    with contextlib.suppress(NotFoundError):
        es.indices.delete_index_template(name=conf.template)


def entry_time(entry: dict[str, Any]) -> datetime:
    """The time of an entry (or of a mark carrying its ``ts``): it picks the monthly index."""
    return datetime.fromisoformat(str(entry["ts"]))


# --------------------------------------------------------------------------- writing


class Written(NamedTuple):
    """What :func:`write_batch` did: entries written, entries failed, marks not placed."""

    written: int
    failed: int
    unplaced: dict[str, dict[str, Any]]


def write_batch(
    es: Elasticsearch,
    conf: SearchLogSettings,
    entries: Sequence[dict[str, Any]],
    updates: Sequence[tuple[str, str, dict[str, Any]]] = (),
    early: Mapping[str, dict[str, Any]] | None = None,
) -> Written:
    """Index entries (id = query id) and apply partial updates.

    Click and feedback entries also mark their search (``clicked`` / ``not_helpful``):
    in the batch itself, or by a real-time ``mget`` in this and the previous month's index.
    Batches can reach the worker out of order, so a mark may come before its search:
    such marks are returned as ``unplaced`` (search id -> fields) for the caller to keep
    and hand back as ``early`` with a later batch, where they mark the search as it is
    written.
    """
    in_batch = {e["id"]: e for e in entries}
    for query_id, fields in (early or {}).items():
        if query_id in in_batch:
            in_batch[query_id].update(fields)
    marks: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if entry.get("kind") in ("click", "feedback") and entry.get("query_id"):
            field = "clicked" if entry["kind"] == "click" else "not_helpful"
            target = in_batch.get(entry["query_id"])
            if target is not None:
                target[field] = True
            else:
                marks.setdefault(entry["query_id"], {"ts": entry["ts"]})[field] = True
    actions: list[dict[str, Any]] = []
    for entry in entries:
        doc = {k: v for k, v in entry.items() if k != "id" and v is not None}
        index = conf.index_for(entry_time(entry))
        actions.append({"_op_type": "index", "_index": index, "_id": entry["id"], "_source": doc})
    located = _locate(es, conf, marks)
    for index, doc_id, doc in [*updates, *located]:
        actions.append({"_op_type": "update", "_index": index, "_id": doc_id, "doc": doc})
    placed = {doc_id for _, doc_id, _ in located}
    unplaced = {
        query_id: {k: v for k, v in mark.items() if k != "ts"}
        for query_id, mark in marks.items()
        if query_id not in placed
    }
    if not actions:
        return Written(0, 0, unplaced)
    ok, errors = bulk(
        es.options(request_timeout=BULK_TIMEOUT), actions, raise_on_error=False, stats_only=False
    )
    problems: list[Any] = errors if isinstance(errors, list) else []
    failed = [e for e in problems if not _gone(e)]
    return Written(int(ok), len(failed), unplaced)


def _gone(error: Any) -> bool:
    """Whether a bulk error item ({"update": {"status": …}}) is the update of an entry that
    no longer exists (deleted by retention): no failure. An entry that could not be written
    (its month index missing and not creatable) is one."""
    if not isinstance(error, dict) or "update" not in error:
        return False
    return bool(error["update"].get("status") == 404)


def _locate(
    es: Elasticsearch, conf: SearchLogSettings, marks: dict[str, dict[str, Any]]
) -> list[tuple[str, str, dict[str, Any]]]:
    """(index, id, fields) for searches written by earlier batches (real-time get)."""
    if not marks:
        return []
    docs = []
    for doc_id, mark in marks.items():
        ts = entry_time(mark)
        for index in sorted({conf.index_for(ts), conf.index_for(ts - timedelta(days=31))}):
            docs.append({"_index": index, "_id": doc_id, "_source": False})
    found = es.mget(docs=docs).body["docs"]
    out = []
    for doc in found:
        if doc.get("found"):
            fields = {k: v for k, v in marks[doc["_id"]].items() if k != "ts"}
            out.append((doc["_index"], doc["_id"], fields))
    return out
