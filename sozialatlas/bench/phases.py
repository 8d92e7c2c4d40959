"""Where a search's time goes: the in-process phase breakdown, ablation, Elasticsearch profile."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from indexer.settings import IndexerSettings
from sozialatlas.bench.cells import SUGGEST_LIMIT, prefixes
from sozialatlas.bench.stats import percentile


@dataclass
class Workload:
    queries: list[str]
    prefixes: list[str]
    search_bodies: list[dict[str, Any]]
    suggest_bodies: list[dict[str, Any]]
    analyses: list[Any] = field(default_factory=list)
    requests: list[Any] = field(default_factory=list)


def build_workload(queries: list[str]) -> Workload:
    """The direct bodies, built exactly as the endpoint builds them (page 1, size 10)."""
    from analyzers import analyze_query
    from api.search_models import SearchParams
    from api.searcher import to_request
    from indexer.query import build_search_body, build_suggest_body

    work = Workload(queries, prefixes(queries), [], [])
    for text in queries:
        request = to_request(SearchParams(q=text))
        analysis = analyze_query(request.text) if request.text else None
        work.requests.append(request)
        work.analyses.append(analysis)
        work.search_bodies.append(build_search_body(request, analysis))
    work.suggest_bodies = [build_suggest_body(p.strip(), SUGGEST_LIMIT) for p in work.prefixes]
    return work


def phase_breakdown(es: Any, conf: IndexerSettings, work: Workload) -> dict[str, dict[str, float]]:
    """Single-threaded, in-process time of each phase of the search path per query (ms)."""
    from analyzers import analyze_query
    from api.search_models import SearchParams
    from api.searcher import Searcher, explain, to_request
    from indexer.query import build_search_body
    from indexer.search import did_you_mean, execute

    phases: dict[str, list[float]] = {
        name: []
        for name in (
            "analysis",
            "body",
            "es round trip",
            "es took",
            "did_you_mean",
            "shape",
            "json",
        )
    }
    dym_count = 0
    for text in work.queries:
        t0 = time.perf_counter()
        request = to_request(SearchParams(q=text))
        analysis = analyze_query(request.text) if request.text else None
        t1 = time.perf_counter()
        body = build_search_body(request, analysis)
        t2 = time.perf_counter()
        result = execute(es, conf, request, analysis, body)
        t3 = time.perf_counter()
        dym = 0.0
        if analysis is not None and result.total < 3 and analysis.words:
            did_you_mean(es, conf, analysis)
            dym = (time.perf_counter() - t3) * 1000
            dym_count += 1
        t4 = time.perf_counter()
        response = Searcher(es, conf).shape(request, None, result)
        if analysis is not None:
            response.query = explain(analysis, request)
        t5 = time.perf_counter()
        json.dumps(response.model_dump(), ensure_ascii=False)
        t6 = time.perf_counter()
        phases["analysis"].append((t1 - t0) * 1000)
        phases["body"].append((t2 - t1) * 1000)
        phases["es round trip"].append((t3 - t2) * 1000)
        phases["es took"].append(float(result.took_ms))
        phases["did_you_mean"].append(dym)
        phases["shape"].append((t5 - t4) * 1000)
        phases["json"].append((t6 - t5) * 1000)
    out = {
        name: {
            "mean": sum(values) / len(values),
            "p50": percentile(values, 50),
            "p95": percentile(values, 95),
        }
        for name, values in phases.items()
    }
    out["did_you_mean"]["share"] = dym_count / max(len(work.queries), 1)
    return out


def suggest_breakdown(
    es: Any, conf: IndexerSettings, work: Workload
) -> dict[str, dict[str, float]]:
    """The same for ``/suggest``: category matching in Python, Elasticsearch, shaping."""
    from api.routers.suggest import Suggestion, SuggestResponse, category_suggestions
    from indexer.search import suggest

    phases: dict[str, list[float]] = {
        "suggest: category labels": [],
        "suggest: es round trip": [],
        "suggest: shape + json": [],
    }
    for prefix in work.prefixes:
        t0 = time.perf_counter()
        categories = category_suggestions(prefix, "de", max(2, SUGGEST_LIMIT // 3))
        t1 = time.perf_counter()
        providers = suggest(es, conf, prefix, SUGGEST_LIMIT)
        t2 = time.perf_counter()
        items = categories + [
            Suggestion(type="provider", text=p.get("name", p["text"]), id=p["id"])
            for p in providers
        ]
        response = SuggestResponse(q=prefix, suggestions=items[:SUGGEST_LIMIT])
        json.dumps(response.model_dump(), ensure_ascii=False)
        t3 = time.perf_counter()
        phases["suggest: category labels"].append((t1 - t0) * 1000)
        phases["suggest: es round trip"].append((t2 - t1) * 1000)
        phases["suggest: shape + json"].append((t3 - t2) * 1000)
    return {
        name: {
            "mean": sum(values) / len(values),
            "p50": percentile(values, 50),
            "p95": percentile(values, 95),
        }
        for name, values in phases.items()
    }


def _strip(node: Any, key: str) -> Any:
    """``node`` without list items that are ``{key: …}`` (and dis_max left empty)."""
    if isinstance(node, dict):
        stripped = {k: _strip(v, key) for k, v in node.items()}
        if "dis_max" in stripped and not stripped["dis_max"]["queries"]:
            return None
        return stripped
    if isinstance(node, list):
        items = [_strip(item, key) for item in node if not (isinstance(item, dict) and key in item)]
        return [item for item in items if item is not None]
    return node


def _without_prior(node: Any) -> Any:
    """``node`` without the prior: the function_score around the query, or the rescore."""
    if isinstance(node, dict):
        node = {k: v for k, v in node.items() if k != "rescore"}
        if "function_score" in node:
            return _without_prior(node["function_score"]["query"])
        return {k: _without_prior(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_without_prior(item) for item in node]
    return node


def _fuzzy_name_only(node: Any) -> Any:
    """Drop fuzzy clauses on every field but ``name_terms``."""
    if isinstance(node, dict):
        return {k: _fuzzy_name_only(v) for k, v in node.items()}
    if isinstance(node, list):
        return [
            _fuzzy_name_only(item)
            for item in node
            if not (
                isinstance(item, dict) and "fuzzy" in item and "name_terms" not in item["fuzzy"]
            )
        ]
    return node


def _lean(body: dict[str, Any]) -> dict[str, Any]:
    """No facets, no function_score prior, totals counted to 1,000 only (allows WAND)."""
    lean = {k: v for k, v in _without_prior(body).items() if k != "aggs"}
    return {**lean, "track_total_hits": 1000}


# The bodies re-run without a part, to show what each part costs inside Elasticsearch.
VARIANTS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "as sent": lambda b: b,
    "no aggs (facets)": lambda b: {k: v for k, v in b.items() if k != "aggs"},
    "no fuzzy clauses": lambda b: _strip(b, "fuzzy"),
    "no prior (rescore or function_score)": _without_prior,
    "track_total_hits: false": lambda b: {**b, "track_total_hits": False},
    "size 0 (no fetch)": lambda b: b | {"size": 0},
    "fuzzy on name_terms only": _fuzzy_name_only,
    "lean: no aggs, no prior, total to 1000": _lean,
    "lean + fuzzy on name_terms only": lambda b: _fuzzy_name_only(_lean(b)),
}


def ablation(es: Any, alias: str, bodies: Sequence[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Mean and p95 of Elasticsearch ``took`` and round trip for each variant of the bodies."""
    out: dict[str, dict[str, float]] = {}
    for name, variant in VARIANTS.items():
        took: list[float] = []
        trip: list[float] = []
        failed = 0
        for body in bodies:
            try:
                changed = variant(json.loads(json.dumps(body)))
                began = time.perf_counter()
                response = es.search(index=alias, **changed).body
                trip.append((time.perf_counter() - began) * 1000)
                took.append(float(response.get("took", 0)))
            except Exception:
                failed += 1
        out[name] = {
            "took_mean": sum(took) / max(len(took), 1),
            "took_p95": percentile(took, 95),
            "trip_mean": sum(trip) / max(len(trip), 1),
            "trip_p95": percentile(trip, 95),
            "failed": failed,
        }
    return out


def es_profile(es: Any, alias: str, body: dict[str, Any], top: int = 10) -> dict[str, Any]:
    """Where Elasticsearch spends one search: rewrite, costliest query nodes, aggs, fetch.

    Nodes with the same type and clause (one per segment slice) are summed.
    """
    response = es.search(index=alias, **body, profile=True).body
    shard = response["profile"]["shards"][0]
    nodes: dict[tuple[int, str, str], int] = {}

    def walk(node: dict[str, Any], depth: int) -> None:
        key = (depth, node["type"], node["description"][:110])
        nodes[key] = nodes.get(key, 0) + int(node["time_in_nanos"])
        if depth < 3:
            for child in node.get("children", []):
                walk(child, depth + 1)

    rewrite = 0
    for search in shard["searches"]:
        rewrite += int(search.get("rewrite_time", 0))
        for node in search["query"]:
            walk(node, 0)
    query = sum(ns for (depth, _, _), ns in nodes.items() if depth == 0)
    aggs = sum(int(a["time_in_nanos"]) for a in shard.get("aggregations", []))
    fetch = shard.get("fetch", {})
    fetch_children = {
        child["type"]: int(child["time_in_nanos"]) / 1e6 for child in fetch.get("children", [])
    }
    ranked = sorted(nodes.items(), key=lambda item: item[1], reverse=True)
    return {
        "took": response.get("took"),
        "rewrite_ms": rewrite / 1e6,
        "query_ms": query / 1e6,
        "aggs_ms": aggs / 1e6,
        "fetch_ms": int(fetch.get("time_in_nanos", 0)) / 1e6,
        "fetch_children": fetch_children,
        "nodes": [
            {"ms": ns / 1e6, "depth": depth, "type": kind, "description": text}
            for (depth, kind, text), ns in ranked
            if depth > 0
        ][:top],
    }
