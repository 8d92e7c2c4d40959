"""Analytics reports over the search log: top, zero-result and low-click queries, weekly
trends, demand per category and district, and unmet-need clusters.

Every report counts *intents*: only the last entry of an as-you-type search has
``final: true`` (see :func:`indexer.searchlog.link_batch`). A range without data gives an
empty report, never an error. Query builders are pure; ``run_report`` talks to the cluster.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

from defusedcsv import csv as defused
from elasticsearch import Elasticsearch

from analyzers import fold, taxonomy
from indexer.errors import IndexerError
from indexer.searchlog import SearchLogSettings, _distance

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


@dataclass
class Report:
    name: str
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    since: str = ""
    until: str = ""

    def to_csv(self, separator: str = ",") -> str:
        """The report as CSV that spreadsheets open safely and correctly.

        Cells are written through ``defusedcsv``: a query typed as ``=HYPERLINK(…)`` (or
        starting with ``+ - @``) gets a leading apostrophe instead of becoming a formula;
        a leading tab or carriage return, which defusedcsv lets through, is neutralised the
        same way. A UTF-8 byte-order mark makes German Excel read Cyrillic and Arabic
        queries as they are; ``separator=";"`` is what German Excel expects by default.
        """
        out = io.StringIO()
        out.write("\ufeff")
        writer = defused.DictWriter(
            out, fieldnames=self.columns, extrasaction="ignore", delimiter=separator
        )
        writer.writeheader()
        for row in self.rows:
            writer.writerow({k: _cell(v) for k, v in row.items()})
        return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        value = "; ".join(map(str, value))
    elif isinstance(value, dict):
        value = _fmt_dict(value)
    if isinstance(value, str) and value[:1] in ("\t", "\r"):
        return "'" + value
    return value


def _fmt_dict(value: dict[str, Any]) -> str:
    return "; ".join(f"{k}={v}" for k, v in value.items())


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


# --------------------------------------------------------------------------- query builders


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


# --------------------------------------------------------------------------- rows


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


def run_report(es: Elasticsearch, conf: SearchLogSettings, name: str, rng: ReportRange) -> Report:
    if name not in REPORTS:
        raise ReportParameterError(f"unknown report {name!r}; one of: {', '.join(REPORTS)}")
    report = Report(
        name,
        list(KINDS[name].columns),
        since=rng.since.isoformat(timespec="seconds"),
        until=rng.until.isoformat(timespec="seconds"),
    )
    if not es.indices.exists_alias(name=conf.alias):
        return report
    report.rows = KINDS[name].run(es, conf, rng)
    return report


def _top(es: Elasticsearch, conf: SearchLogSettings, rng: ReportRange) -> list[dict[str, Any]]:
    return [_common(b) for b in _buckets(_search(es, conf, build_top_queries(rng)), "q")]


def _zero(es: Elasticsearch, conf: SearchLogSettings, rng: ReportRange) -> list[dict[str, Any]]:
    return [
        {**_common(b), "refined": b["refined"]["doc_count"]}
        for b in _buckets(_search(es, conf, build_zero_results(rng)), "q")
    ]


def _low_clicks(
    es: Elasticsearch, conf: SearchLogSettings, rng: ReportRange
) -> list[dict[str, Any]]:
    rows = [_common(b) for b in _buckets(_search(es, conf, build_low_clicks(rng)), "q")]
    rows.sort(key=lambda r: (r["ctr"], -r["searches"], r["query"]))
    return rows[: rng.limit]


def _trends(es: Elasticsearch, conf: SearchLogSettings, rng: ReportRange) -> list[dict[str, Any]]:
    rows = []
    for b in _buckets(_search(es, conf, build_trends(rng)), "w"):
        searches, clicked = int(b["doc_count"]), int(b["clicked"]["doc_count"])
        rows.append(
            {
                "week": b["key_as_string"][:10],
                "searches": searches,
                "zero_results": b["zero"]["doc_count"],
                "clicks": clicked,
                "ctr": round(clicked / searches, 3) if searches else 0.0,
                "sessions": b["sessions"]["value"],
            }
        )
    return rows


def _demand(
    by: str,
) -> Callable[[Elasticsearch, SearchLogSettings, ReportRange], list[dict[str, Any]]]:
    def run(es: Elasticsearch, conf: SearchLogSettings, rng: ReportRange) -> list[dict[str, Any]]:
        rows = []
        for b in _buckets(_search(es, conf, build_demand(rng, by)), "d"):
            row = {
                "searches": b["doc_count"],
                "zero_results": b["zero"]["doc_count"],
                "clicks": b["clicked"]["doc_count"],
            }
            if by == "categories":
                rows.append({"code": b["key"], "label": _label(b["key"]), **row})
            else:
                rows.append({"district": b["key"], **row})
        return rows

    return run


def _label(code: str) -> str:
    try:
        return str(taxonomy.label(code, "de"))
    except Exception:
        return code


# --------------------------------------------------------------------------- unmet needs


@dataclass
class Form:
    """One normalised query among the unmet ones, with its counts and analysis."""

    normalized: str
    searches: int
    zero: int = 0
    sessions: int = 0
    languages: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    first_seen: str | None = None
    last_seen: str | None = None
    concept: str | None = None
    lemmas: tuple[str, ...] = ()
    implied: tuple[str, ...] = ()
    implied_unmet: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def need_aliases() -> dict[str, str]:
    """alias -> head term, from ``indexer/data/need_aliases.txt``."""
    text = resources.files("indexer").joinpath("data/need_aliases.txt").read_text("utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        head, aliases = line.split(":", 1)
        head = fold(head.strip().lower())
        table[head] = head
        for alias in aliases.split(","):
            if alias.strip():
                table[fold(alias.strip().lower())] = head
    return table


def canonical_terms(form: Form) -> tuple[str, ...]:
    """Lemmas mapped through the need aliases (multi-word aliases matched first)."""
    aliases = need_aliases()
    text = " ".join(form.lemmas) or form.normalized
    for alias in sorted((a for a in aliases if " " in a), key=len, reverse=True):
        if alias in text:
            text = text.replace(alias, aliases[alias])
    return tuple(sorted({aliases.get(word, word) for word in text.split()}))


def _need_facets(form: Form) -> tuple[str, ...]:
    """The parts of a need beyond its topic that make it distinct (a language)."""
    return tuple(sorted(i for i in form.implied if i.startswith("language:")))


def _similar(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if not a or len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        if x == y:
            continue
        limit = 2 if min(len(x), len(y)) >= 8 else 1 if min(len(x), len(y)) >= 5 else 0
        if limit == 0 or _distance(x, y, limit) > limit:
            return False
    return True


def cluster_forms(forms: list[Form]) -> list[dict[str, Any]]:
    """Group forms by concept (+ language asked for), else by aliased, fuzzy-equal lemmas."""
    parent = list(range(len(forms)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        parent[find(i)] = find(j)

    by_key: dict[tuple[Any, ...], int] = {}
    terms = [canonical_terms(f) for f in forms]
    for i, form in enumerate(forms):
        key = (("c", form.concept) if form.concept else ("l", terms[i])) + _need_facets(form)
        if key in by_key:
            union(i, by_key[key])
        else:
            by_key[key] = i
    keyed = sorted(by_key.items(), key=lambda kv: kv[0][0] != "c")
    for a in range(len(keyed)):
        (key_a, i) = keyed[a]
        if key_a[0] != "l":
            continue
        for b in range(len(keyed)):
            j = keyed[b][1]
            if a == b or find(i) == find(j) or _need_facets(forms[i]) != _need_facets(forms[j]):
                continue
            if _similar(terms[i], terms[j]):
                union(i, j)
    groups: dict[int, list[int]] = {}
    for i in range(len(forms)):
        groups.setdefault(find(i), []).append(i)
    clusters = [
        _cluster([forms[i] for i in members], [terms[i] for i in members])
        for members in groups.values()
    ]
    clusters.sort(key=lambda c: (-c["searches"], c["need"]))
    return clusters


def _cluster(members: list[Form], terms: list[tuple[str, ...]]) -> dict[str, Any]:
    languages: Counter[str] = Counter()
    unmet: Counter[str] = Counter()
    examples: Counter[str] = Counter()
    for form in members:
        languages.update(form.languages)
        unmet.update(dict.fromkeys(form.implied_unmet, form.searches))
        for example in form.examples:
            examples[example] += form.searches
    concepts = Counter({f.concept: f.searches for f in members if f.concept})
    concept = concepts.most_common(1)[0][0] if concepts else None
    facets = _need_facets(members[0])
    if concept:
        need = _label(concept)
    else:
        counts: Counter[tuple[str, ...]] = Counter()
        for form, t in zip(members, terms, strict=True):
            counts[t] += form.searches
        need = " ".join(counts.most_common(1)[0][0])
    if facets:
        need += " (" + ", ".join(facets) + ")"
    firsts = [f.first_seen for f in members if f.first_seen]
    lasts = [f.last_seen for f in members if f.last_seen]
    return {
        "need": need,
        "concept": concept,
        "searches": sum(f.searches for f in members),
        "sessions": sum(f.sessions for f in members),
        "zero_results": sum(f.zero for f in members),
        "languages": dict(languages.most_common()),
        "examples": [e for e, _ in examples.most_common(5)],
        "forms": sorted(f.normalized for f in members),
        "unmet_filters": dict(unmet.most_common()),
        "first_seen": min(firsts) if firsts else None,
        "last_seen": max(lasts) if lasts else None,
    }


def _unmet(es: Elasticsearch, conf: SearchLogSettings, rng: ReportRange) -> list[dict[str, Any]]:
    forms: list[Form] = []
    after: dict[str, Any] | None = None
    while len(forms) < MAX_FORMS:
        body = _search(es, conf, build_unmet(rng, conf.low_results, after))
        agg = (body.get("aggregations") or {}).get("f") or {}
        for b in agg.get("buckets", []):
            hits = b["sample"]["hits"]["hits"]
            src = hits[0]["_source"] if hits else {}
            common = _common({**b, "key": b["key"]["normalized"]})
            forms.append(
                Form(
                    normalized=common["query"],
                    searches=common["searches"],
                    zero=common["zero_results"],
                    sessions=int(b["sessions"]["value"]),
                    languages=common["languages"],
                    examples=common["examples"],
                    first_seen=common["first_seen"],
                    last_seen=common["last_seen"],
                    concept=src.get("concept"),
                    lemmas=tuple(src.get("lemmas") or ()),
                    implied=tuple(src.get("implied") or ()),
                    implied_unmet=tuple(src.get("implied_unmet") or ()),
                )
            )
        after = agg.get("after_key")
        if not after or not agg.get("buckets"):
            break
    return cluster_forms(forms)[: rng.limit]


Runner = Callable[[Elasticsearch, SearchLogSettings, ReportRange], list[dict[str, Any]]]


@dataclass(frozen=True)
class ReportKind:
    """One report: its columns, how it is computed, the parameters it takes beyond the
    common ones (``since``, ``until``, ``channel``, ``limit``, ``format``, ``sep``)."""

    columns: tuple[str, ...]
    run: Runner
    extra_params: frozenset[str] = frozenset()


# The one registry of reports: the API, its OpenAPI enum and the CLI read their names here.
KINDS: dict[str, ReportKind] = {
    "top-queries": ReportKind(
        (
            "query",
            "searches",
            "zero_results",
            "clicks",
            "ctr",
            "languages",
            "examples",
            "first_seen",
            "last_seen",
        ),
        _top,
    ),
    "zero-results": ReportKind(
        (
            "query",
            "searches",
            "refined",
            "languages",
            "examples",
            "first_seen",
            "last_seen",
        ),
        _zero,
    ),
    "low-clicks": ReportKind(
        (
            "query",
            "searches",
            "clicks",
            "ctr",
            "languages",
            "examples",
        ),
        _low_clicks,
        frozenset({"min_searches"}),
    ),
    "trends": ReportKind(
        (
            "week",
            "searches",
            "zero_results",
            "clicks",
            "ctr",
            "sessions",
        ),
        _trends,
    ),
    "demand-categories": ReportKind(
        (
            "code",
            "label",
            "searches",
            "zero_results",
            "clicks",
        ),
        _demand("categories"),
    ),
    "demand-districts": ReportKind(
        (
            "district",
            "searches",
            "zero_results",
            "clicks",
        ),
        _demand("districts"),
    ),
    "unmet-needs": ReportKind(
        (
            "need",
            "concept",
            "searches",
            "sessions",
            "zero_results",
            "languages",
            "examples",
            "forms",
            "unmet_filters",
            "first_seen",
            "last_seen",
        ),
        _unmet,
    ),
}
REPORTS = tuple(KINDS)
