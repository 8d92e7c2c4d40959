"""Roll-ups and retention: raw entries are kept briefly, daily counts without sessions longer.

Raw entries carry a session and the (redacted) text, so they are deleted after
``retention_days``; before a day expires it is rolled up into counts per normalised query,
channel, language and concept, where a text typed in too few sessions is replaced by
:data:`RARE` so that no rare (possibly personal) query outlives the raw entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from elasticsearch import Elasticsearch
from elasticsearch.helpers import bulk

from indexer.searchlog import BULK_TIMEOUT, SearchLogSettings, ensure_storage

# The query text of a rollup row typed in fewer sessions than ``rollup_min_sessions``.
RARE = "(rare)"


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
