"""Report queries on the search log: the time range, the Elasticsearch bodies (pure
builders, tested by exact comparison) and reading their buckets."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from elasticsearch import Elasticsearch

from analyzers import taxonomy
from indexer.errors import IndexerError
from indexer.searchlog import SearchLogSettings

MAX_FORMS = 5000


class ReportParameterError(IndexerError):
    """A report parameter is unknown or malformed (HTTP 422)."""


@dataclass(frozen=True)
class ReportRange:
    since: datetime
    until: datetime
    channel: str | None = None
    limit: int = 50
    min_searches: int = 2


_RELATIVE = re.compile(r"^(\d{1,4})([hdwm])$")


def parse_when(text: str, now: datetime | None = None) -> datetime:
    """``30d``, ``12w``, ``6m``, ``24h`` (ago) or an ISO date/time (UTC if naive)."""
    now = now or datetime.now(UTC)
    text = text.strip()
    match = _RELATIVE.match(text)
    if match:
        amount, unit = int(match.group(1)), match.group(2)
        hours = {"h": 1, "d": 24, "w": 24 * 7, "m": 24 * 30}[unit]
        return now - timedelta(hours=amount * hours)
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ReportParameterError(
            f"invalid time {text!r}: use e.g. 30d, 12w, 6m, 24h or an ISO date like 2025-01-31"
        ) from exc
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def make_range(
    since: str | None,
    until: str | None,
    channel: str | None = None,
    limit: int = 50,
    min_searches: int = 2,
    now: datetime | None = None,
) -> ReportRange:
    now = now or datetime.now(UTC)
    start = parse_when(since, now) if since else now - timedelta(days=30)
    end = parse_when(until, now) if until else now + timedelta(minutes=1)
    if end <= start:
        raise ReportParameterError("'until' must be later than 'since'")
    if not 1 <= limit <= 1000:
        raise ReportParameterError("'limit' must be between 1 and 1000")
    if not 1 <= min_searches <= 10_000:
        raise ReportParameterError("'min_searches' must be between 1 and 10000")
    return ReportRange(start, end, channel or None, limit, min_searches)


def base_filter(
    rng: ReportRange, kinds: Iterable[str] = ("search", "suggest")
) -> list[dict[str, Any]]:
    filters: list[dict[str, Any]] = [
        {"range": {"ts": {"gte": rng.since.isoformat(), "lt": rng.until.isoformat()}}},
        {"terms": {"kind": list(kinds)}},
        {"term": {"final": True}},
    ]
    if rng.channel:
        filters.append({"term": {"channel": rng.channel}})
    return filters


def _query(filters: list[dict[str, Any]]) -> dict[str, Any]:
    return {"bool": {"filter": filters}}


_SUBS: dict[str, Any] = {
    "zero": {"filter": {"term": {"total": 0}}},
    "clicked": {"filter": {"term": {"clicked": True}}},
    "languages": {"terms": {"field": "language", "size": 8}},
    "first": {"min": {"field": "ts"}},
    "last": {"max": {"field": "ts"}},
    "examples": {"terms": {"field": "query", "size": 3}},
}


def build_top_queries(rng: ReportRange) -> dict[str, Any]:
    return {
        "size": 0,
        "query": _query(base_filter(rng)),
        "aggs": {"q": {"terms": {"field": "normalized", "size": rng.limit}, "aggs": _SUBS}},
    }


def build_zero_results(rng: ReportRange) -> dict[str, Any]:
    return {
        "size": 0,
        "query": _query([*base_filter(rng, ("search",)), {"term": {"total": 0}}]),
        "aggs": {
            "q": {
                "terms": {"field": "normalized", "size": rng.limit},
                "aggs": {**_SUBS, "refined": {"filter": {"term": {"refined": True}}}},
            }
        },
    }


def build_low_clicks(rng: ReportRange) -> dict[str, Any]:
    return {
        "size": 0,
        "query": _query([*base_filter(rng, ("search",)), {"range": {"total": {"gt": 0}}}]),
        "aggs": {
            "q": {
                "terms": {
                    "field": "normalized",
                    "size": MAX_FORMS,
                    "min_doc_count": rng.min_searches,
                },
                "aggs": _SUBS,
            }
        },
    }


def build_trends(rng: ReportRange) -> dict[str, Any]:
    return {
        "size": 0,
        "query": _query(base_filter(rng)),
        "aggs": {
            "w": {
                "date_histogram": {"field": "ts", "calendar_interval": "week", "min_doc_count": 1},
                "aggs": {
                    "zero": _SUBS["zero"],
                    "clicked": _SUBS["clicked"],
                    "sessions": {"cardinality": {"field": "session"}},
                },
            }
        },
    }


def build_demand(rng: ReportRange, by: str) -> dict[str, Any]:
    return {
        "size": 0,
        "query": _query(base_filter(rng, ("search",))),
        "aggs": {
            "d": {
                "terms": {"field": by, "size": rng.limit},
                "aggs": {"zero": _SUBS["zero"], "clicked": _SUBS["clicked"]},
            }
        },
    }


def build_unmet(
    rng: ReportRange, low_results: int, after: dict[str, Any] | None = None
) -> dict[str, Any]:
    composite: dict[str, Any] = {
        "size": 500,
        "sources": [{"normalized": {"terms": {"field": "normalized"}}}],
    }
    if after:
        composite["after"] = after
    unmet = {
        "bool": {
            "should": [
                {"range": {"total": {"lte": low_results}}},
                {"exists": {"field": "implied_unmet"}},
                {"term": {"not_helpful": True}},
            ],
            "minimum_should_match": 1,
        }
    }
    return {
        "size": 0,
        "query": _query([*base_filter(rng, ("search",)), unmet]),
        "aggs": {
            "f": {
                "composite": composite,
                "aggs": {
                    **_SUBS,
                    "sessions": {"cardinality": {"field": "session"}},
                    "sample": {
                        "top_hits": {
                            "size": 1,
                            "_source": [
                                "concepts",
                                "concept",
                                "lemmas",
                                "terms",
                                "implied",
                                "implied_unmet",
                            ],
                        }
                    },
                },
            }
        },
    }


def _iso(value: Any) -> str | None:
    if not value:
        return None
    return datetime.fromtimestamp(float(value) / 1000, UTC).isoformat(timespec="seconds")


def _common(bucket: dict[str, Any]) -> dict[str, Any]:
    searches = int(bucket["doc_count"])
    clicked = int(bucket["clicked"]["doc_count"])
    return {
        "query": bucket["key"],
        "searches": searches,
        "zero_results": bucket["zero"]["doc_count"],
        "clicks": clicked,
        "ctr": round(clicked / searches, 3) if searches else 0.0,
        "languages": {b["key"]: b["doc_count"] for b in bucket["languages"]["buckets"]},
        "examples": [b["key"] for b in bucket["examples"]["buckets"]],
        "first_seen": _iso(bucket["first"]["value"]),
        "last_seen": _iso(bucket["last"]["value"]),
    }


def _buckets(body: dict[str, Any], name: str) -> list[dict[str, Any]]:
    aggs = body.get("aggregations") or {}
    return list(aggs.get(name, {}).get("buckets", []))


def _search(es: Elasticsearch, conf: SearchLogSettings, body: dict[str, Any]) -> dict[str, Any]:
    result = es.search(index=conf.alias, ignore_unavailable=True, allow_no_indices=True, **body)
    return dict(result.body)


def _label(code: str) -> str:
    try:
        return str(taxonomy.label(code, "de"))
    except Exception:
        return code
