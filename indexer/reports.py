"""Analytics reports over the search log: top, zero-result and low-click queries, weekly
trends, demand per category and district, and unmet-need clusters.

Every report counts *intents*: only the last entry of an as-you-type search has
``final: true`` (see :func:`indexer.searchlog_intents.link_batch`). A range without data gives an
empty report, never an error. Query builders are pure; ``run_report`` talks to the cluster.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from defusedcsv import csv as defused
from elasticsearch import Elasticsearch

from indexer.report_queries import (
    ReportParameterError,
    ReportRange,
    _buckets,
    _common,
    _label,
    _search,
    build_demand,
    build_low_clicks,
    build_top_queries,
    build_trends,
    build_zero_results,
)
from indexer.search import guarded
from indexer.searchlog import SearchLogSettings
from indexer.unmet_needs import _unmet


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


def run_report(es: Elasticsearch, conf: SearchLogSettings, name: str, rng: ReportRange) -> Report:
    """Run report ``name`` over ``rng``; no log yet gives an empty report.

    Raises :class:`ReportParameterError` for an unknown name and
    :class:`~indexer.errors.SearchUnavailable` when the cluster is away or times out.
    """
    if name not in REPORTS:
        raise ReportParameterError(f"unknown report {name!r}; one of: {', '.join(REPORTS)}")
    report = Report(
        name,
        list(KINDS[name].columns),
        since=rng.since.isoformat(timespec="seconds"),
        until=rng.until.isoformat(timespec="seconds"),
    )
    # A cluster that is away or too slow is a 503 with Retry-After, not a 500: the dashboard
    # tries again, an analyst's script can too.
    if not guarded(lambda: bool(es.indices.exists_alias(name=conf.alias))):
        return report
    report.rows = guarded(lambda: KINDS[name].run(es, conf, rng))
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
