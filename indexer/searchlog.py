"""The search log in Elasticsearch: monthly indices behind an alias, a daily rollup, retention.

Layout (core Elasticsearch only, no ILM, no scripts):

* ``<prefix>-searchlog-YYYY.MM``: raw entries (searches, suggestions, clicks, feedback),
  created on first write from an index template that also puts them behind the alias
  ``<prefix>-searchlog``; reports read the alias.
* ``<prefix>-searchrollup``: one document per day, normalised query, channel, language and
  kind with counts only (no session, no raw text); kept longer than the raw entries.

Entries arrive in batches (see ``workers.logging_tasks``). :func:`link_batch` turns the
keystrokes of one as-you-type search into one *intent* (only the last entry keeps
``final: true``) and links a refinement to the zero-result query before it, using a small
per-session state the caller keeps (Redis in production, a dict in tests).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.helpers import bulk

from configuration.settings import Settings
from indexer.settings import IndexerSettings

BULK_TIMEOUT = 60.0
# The query text of a rollup row typed in fewer sessions than ``rollup_min_sessions``.
RARE = "(rare)"


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


# --------------------------------------------------------------------------- intents


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance, cut off above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def is_edit(previous: str, current: str) -> bool:
    """Does ``current`` extend, shorten or slightly edit ``previous`` (typing one search)?"""
    if not previous or not current:
        return False
    if current.startswith(previous) or previous.startswith(current):
        return True
    return _distance(previous, current, 2) <= 2


def _ts(entry: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(str(entry["ts"]))


LINKS = ("final", "intent", "refines", "refined")  # what linking decides for an entry
RECENT_MAX = 20  # entries a session's state keeps at most (a late batch links against them)


def link_batch(
    entries: Sequence[dict[str, Any]],
    state: MutableMapping[str, dict[str, Any]],
    conf: SearchLogSettings,
) -> tuple[list[dict[str, Any]], list[tuple[str, str, dict[str, Any]]]]:
    """Assign intents and refinements to the search/suggest entries of one batch.

    ``state`` maps a session to ``{"recent": [...]}``, its entries of the last
    ``refine_window_s`` (id, index, normalized, ts, total and their links); it is read and
    updated. Batches may arrive out of order: the API flushes every second and two worker
    processes may take consecutive batches in either order. So the links of a session's
    recent entries are recomputed together with the new ones, in time order, and an
    entry written by an earlier batch whose links change gets a partial update. Returns
    the entries to index (in time order) and the updates ``(index, id, doc)``.
    """
    ordered = sorted(entries, key=_ts)
    sessions: dict[str, list[dict[str, Any]]] = {}
    for entry in ordered:
        entry.setdefault("final", True)
        entry.setdefault("intent", entry["id"])
        if entry.get("session"):
            sessions.setdefault(entry["session"], []).append(entry)
    updates: list[tuple[str, str, dict[str, Any]]] = []
    for session, new in sessions.items():
        stored = _recent(state.get(session))
        fresh = [_summary(entry, conf) for entry in new]
        window = sorted([*stored, *fresh], key=_ts)
        before = {item["id"]: {k: item.get(k) for k in LINKS} for item in stored}
        _relink(window, conf)
        for item in stored:
            changed = {k: item.get(k) for k in LINKS if item.get(k) != before[item["id"]][k]}
            if changed:
                updates.append((item["index"], item["id"], changed))
        for entry, item in zip(new, fresh, strict=True):
            entry["final"], entry["intent"] = item["final"], item["intent"]
            for key in ("refines", "refined"):
                if item.get(key):
                    entry[key] = item[key]
        newest = _ts(window[-1])
        keep = [i for i in window if (newest - _ts(i)).total_seconds() <= conf.refine_window_s]
        state[session] = {"recent": keep[-RECENT_MAX:]}
    return ordered, updates


def _summary(entry: dict[str, Any], conf: SearchLogSettings) -> dict[str, Any]:
    ts = _ts(entry)
    return {
        "id": entry["id"],
        "index": conf.index_for(ts),
        "normalized": entry["normalized"],
        "ts": ts.isoformat(),
        "total": entry.get("total"),
        "final": entry["final"],
        "intent": entry["intent"],
        "refines": entry.get("refines"),
        "refined": entry.get("refined", False),
    }


def _recent(value: dict[str, Any] | None) -> list[dict[str, Any]]:
    """A session's stored entries; a state saved before ``recent`` held the last one only."""
    if value is None:
        return []
    if "recent" in value:
        return list(value["recent"])
    return [{"final": True, "refined": False, **value}]


def _relink(window: list[dict[str, Any]], conf: SearchLogSettings) -> None:
    """Link consecutive entries of one session, oldest first (the first keeps its links)."""
    window[0]["final"], window[0]["refined"] = True, False
    for item in window[1:]:
        item.update(final=True, intent=item["id"], refines=None, refined=False)
    for prev, entry in pairwise(window):
        gap = (_ts(entry) - _ts(prev)).total_seconds()
        if gap <= conf.intent_window_s and is_edit(prev["normalized"], entry["normalized"]):
            entry["intent"] = prev["intent"]
            if prev.get("refines"):
                entry["refines"] = prev["refines"]
            prev["final"] = False
        elif gap <= conf.refine_window_s and prev.get("total") == 0:
            entry["refines"] = prev["id"]
            prev["refined"] = True


# --------------------------------------------------------------------------- writing


def write_batch(
    es: Elasticsearch,
    conf: SearchLogSettings,
    entries: Sequence[dict[str, Any]],
    updates: Sequence[tuple[str, str, dict[str, Any]]] = (),
) -> tuple[int, int]:
    """Index entries (id = query id) and apply partial updates; returns (written, failed).

    Click and feedback entries also mark their search (``clicked`` / ``not_helpful``):
    in the batch itself, or by a real-time ``mget`` in this and the previous month's index.
    """
    in_batch = {e["id"]: e for e in entries}
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
        index = conf.index_for(_ts(entry))
        actions.append({"_op_type": "index", "_index": index, "_id": entry["id"], "_source": doc})
    for index, doc_id, doc in [*updates, *_locate(es, conf, marks)]:
        actions.append({"_op_type": "update", "_index": index, "_id": doc_id, "doc": doc})
    if not actions:
        return 0, 0
    ok, errors = bulk(
        es.options(request_timeout=BULK_TIMEOUT), actions, raise_on_error=False, stats_only=False
    )
    problems: list[Any] = errors if isinstance(errors, list) else []
    # An update of an entry that no longer exists (deleted by retention) is not a failure.
    failed = [e for e in problems if _status(e) != 404]
    return int(ok), len(failed)


def _status(error: Any) -> Any:
    """The HTTP status of one bulk error item ({"update": {"status": …}})."""
    item: dict[str, Any] = next(iter(error.values()), {}) if isinstance(error, dict) else {}
    return item.get("status")


def _locate(
    es: Elasticsearch, conf: SearchLogSettings, marks: dict[str, dict[str, Any]]
) -> list[tuple[str, str, dict[str, Any]]]:
    """(index, id, fields) for searches written by earlier batches (real-time get)."""
    if not marks:
        return []
    docs = []
    for doc_id, mark in marks.items():
        ts = _ts(mark)
        for index in sorted({conf.index_for(ts), conf.index_for(ts - timedelta(days=31))}):
            docs.append({"_index": index, "_id": doc_id, "_source": False})
    found = es.mget(docs=docs).body["docs"]
    out = []
    for doc in found:
        if doc.get("found"):
            fields = {k: v for k, v in marks[doc["_id"]].items() if k != "ts"}
            out.append((doc["_index"], doc["_id"], fields))
    return out


# --------------------------------------------------------------------------- retention


def _month_start(index: str, conf: SearchLogSettings) -> date | None:
    suffix = index.removeprefix(f"{conf.index_prefix}-searchlog-")
    try:
        return datetime.strptime(suffix, "%Y.%m").date()
    except ValueError:
        return None


def delete_range(
    es: Elasticsearch, conf: SearchLogSettings, since: datetime | None, until: datetime
) -> int:
    """Delete raw entries with ``since <= ts < until`` (whole months dropped as indices)."""
    existing = es.indices.get(
        index=conf.pattern, ignore_unavailable=True, allow_no_indices=True
    ).body
    deleted = 0
    partial = []
    for name in sorted(existing):
        start = _month_start(name, conf)
        if start is None:
            continue
        end = (datetime(start.year, start.month, 1, tzinfo=UTC) + timedelta(days=32)).replace(day=1)
        begin = datetime(start.year, start.month, 1, tzinfo=UTC)
        if end <= (since or begin) or begin >= until:
            continue
        if (since is None or since <= begin) and end <= until:
            deleted += int(es.count(index=name).body["count"])
            es.indices.delete(index=name)
        else:
            partial.append(name)
    if partial:
        rng: dict[str, str] = {"lt": until.isoformat()}
        if since is not None:
            rng["gte"] = since.isoformat()
        deleted += delete_matching(es, ",".join(partial), {"range": {"ts": rng}})
    return deleted


def delete_matching(es: Elasticsearch, index: str, query: dict[str, Any]) -> int:
    """Delete the documents matching ``query`` by id, in pages.

    ``_delete_by_query`` lives in the reindex module, which this distribution lacks.
    """
    deleted = 0
    while True:
        es.indices.refresh(index=index, ignore_unavailable=True)
        hits = es.search(
            index=index,
            query=query,
            size=1000,
            source=False,
            ignore_unavailable=True,
            allow_no_indices=True,
        ).body["hits"]["hits"]
        if not hits:
            return deleted
        actions = [{"_op_type": "delete", "_index": h["_index"], "_id": h["_id"]} for h in hits]
        ok, _ = bulk(es.options(request_timeout=BULK_TIMEOUT), actions, raise_on_error=False)
        deleted += int(ok)
        if not ok:
            return deleted


def rollup_days(es: Elasticsearch, conf: SearchLogSettings, days: Iterable[date]) -> int:
    """(Re)compute the daily rollup of the given UTC days; idempotent (fixed ids)."""
    ensure_storage(es, conf)
    written = 0
    for day in days:
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        end = start + timedelta(days=1)
        query = {
            "bool": {
                "filter": [
                    {"range": {"ts": {"gte": start.isoformat(), "lt": end.isoformat()}}},
                    {"terms": {"kind": ["search", "suggest"]}},
                    {"term": {"final": True}},
                ]
            }
        }
        sources = [
            {"normalized": {"terms": {"field": "normalized"}}},
            {"kind": {"terms": {"field": "kind"}}},
            {"channel": {"terms": {"field": "channel", "missing_bucket": True}}},
            {"language": {"terms": {"field": "language", "missing_bucket": True}}},
            {"concept": {"terms": {"field": "concept", "missing_bucket": True}}},
        ]
        after: dict[str, Any] | None = None
        merged: dict[tuple[tuple[str, Any], ...], list[int]] = {}
        while True:
            composite: dict[str, Any] = {"size": 1000, "sources": sources}
            if after:
                composite["after"] = after
            body = es.search(
                index=conf.alias,
                size=0,
                query=query,
                aggs={
                    "g": {
                        "composite": composite,
                        "aggs": {
                            "zero": {"filter": {"term": {"total": 0}}},
                            "clicked": {"filter": {"term": {"clicked": True}}},
                            "sessions": {"cardinality": {"field": "session"}},
                        },
                    }
                },
                ignore_unavailable=True,
                allow_no_indices=True,
            ).body
            agg = body.get("aggregations", {}).get("g")
            if not agg or not agg["buckets"]:
                break
            for bucket in agg["buckets"]:
                key = dict(bucket["key"])
                if bucket["sessions"]["value"] < conf.rollup_min_sessions:
                    key["normalized"] = RARE  # counted, but the text does not outlive 90 days
                counts = merged.setdefault(tuple(sorted(key.items())), [0, 0, 0])
                counts[0] += bucket["doc_count"]
                counts[1] += bucket["zero"]["doc_count"]
                counts[2] += bucket["clicked"]["doc_count"]
            after = agg.get("after_key")
            if not after:
                break
        actions = []
        for items, (searches, zero, clicked) in merged.items():
            key = dict(items)
            doc_id = "|".join(
                [f"{day:%Y-%m-%d}"]
                + [str(key[k]) for k in ("kind", "normalized", "channel", "language", "concept")]
            )
            source = {"day": f"{day:%Y-%m-%d}", **{k: v for k, v in key.items() if v is not None}}
            actions.append(
                {
                    "_index": conf.rollup,
                    "_id": doc_id,
                    "_source": {**source, "searches": searches, "zero": zero, "clicked": clicked},
                }
            )
        delete_day(es, conf, day)
        if actions:
            bulk(es, actions)
        written += len(actions)
    return written


def delete_day(es: Elasticsearch, conf: SearchLogSettings, day: date) -> None:
    """A day's rollup documents, removed before the day is computed again (a text that was
    kept may have become rare, or the reverse, when late entries arrived)."""
    delete_matching(es, conf.rollup, {"term": {"day": f"{day:%Y-%m-%d}"}})


def enforce_retention(
    es: Elasticsearch, conf: SearchLogSettings, now: datetime | None = None
) -> dict[str, int]:
    """Roll up the days about to expire (and yesterday), then delete what is too old."""
    now = now or datetime.now(UTC)
    cutoff = (now - timedelta(days=conf.retention_days)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    today = now.date()
    days = {today - timedelta(days=1), today}
    days |= {cutoff.date() - timedelta(days=d) for d in range(1, 3)}
    rolled = rollup_days(es, conf, sorted(days))
    deleted = delete_range(es, conf, None, cutoff)
    rollup_cutoff = (now - timedelta(days=conf.rollup_retention_days)).date()
    dropped = 0
    if es.indices.exists(index=conf.rollup):
        dropped = delete_matching(
            es, conf.rollup, {"range": {"day": {"lt": rollup_cutoff.isoformat()}}}
        )
    return {"rolled_up": rolled, "deleted": deleted, "rollups_deleted": dropped}
