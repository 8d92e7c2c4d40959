"""Run searches and suggestions against the read alias and shape the answers.

All cluster errors become :class:`SearchUnavailable` or :class:`IndexMissing`, which the
API answers with 503 in JSON; a slow cluster is cut off by the client's request timeout.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError

from analyzers import QueryAnalysis
from indexer import diversity
from indexer.errors import IndexMissing, SearchUnavailable
from indexer.hours import open_at
from indexer.query import build_search_body, build_suggest_body, facet_buckets
from indexer.request import FACETS, SearchRequest
from indexer.settings import IndexerSettings

T = TypeVar("T")
EARTH_RADIUS_KM = 6371.0088  # the mean radius Elasticsearch uses


@dataclass
class Hit:
    id: str
    score: float | None
    source: dict[str, Any]
    distance_km: float | None = None

    def is_open(self, minute: int, day: date | None = None) -> bool | None:
        """Open at ``minute`` of the week (on ``day``, for slots valid between dates);
        None when the record states no hours."""
        if not self.source.get("has_hours"):
            return None
        ranges = self.source.get("open_minutes") or []
        return open_at(ranges, self.source.get("open_periods") or [], minute, day)


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[Any, int]]]
    took_ms: int


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance, as Elasticsearch's ``arc`` distance computes it."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def guarded(call: Callable[[], T]) -> T:
    """Translate cluster failures into the indexer's specific errors."""
    try:
        return call()
    except NotFoundError as exc:
        raise IndexMissing(
            "the search index does not exist yet: run `sozialatlas reindex`"
        ) from exc
    except ApiError as exc:
        if exc.status_code >= 500 or exc.status_code == 429:
            raise SearchUnavailable(f"Elasticsearch error {exc.status_code}") from exc
        raise
    except TransportError as exc:
        raise SearchUnavailable(f"Elasticsearch unreachable: {type(exc).__name__}") from exc


def execute(
    es: Elasticsearch,
    settings: IndexerSettings,
    request: SearchRequest,
    analysis: QueryAnalysis | None,
    body: dict[str, Any] | None = None,
) -> SearchResult:
    body = body or build_search_body(request, analysis)
    moves = diversity.placements(analysis) if request.sort == "relevance" else []
    start = (request.page - 1) * request.size
    if moves:  # the page is cut from a longer ranking, reordered (indexer.diversity)
        body = {**body, "from": 0, "size": start + request.size + diversity.WINDOW}
        if "rescore" in body:
            window = max(body["rescore"]["window_size"], body["size"])
            body["rescore"] = {**body["rescore"], "window_size": window}
    response = guarded(lambda: es.search(index=settings.alias, **body).body)
    raws = response["hits"]["hits"]
    if moves:
        cats = [raw["_source"].get("categories") or [] for raw in raws]
        raws = [raws[i] for i in diversity.reorder(cats, moves)][start : start + request.size]
    hits = []
    for raw in raws:
        location = raw["_source"].get("location")
        distance = None
        if request.near and location:
            distance = round(
                haversine_km(request.near.lat, request.near.lon, location["lat"], location["lon"]),
                2,
            )
        hits.append(
            Hit(
                id=raw["_id"],
                score=raw.get("_score"),
                source=raw["_source"],
                distance_km=distance,
            )
        )
    facets: dict[str, list[tuple[Any, int]]] = {}
    for name in (*FACETS, "area"):
        agg = response.get("aggregations", {}).get(name)
        if agg:
            facets[name] = [
                (
                    bucket.get("key_as_string", bucket["key"])
                    if name == "wheelchair"
                    else bucket["key"],
                    bucket["doc_count"],
                )
                for bucket in facet_buckets(agg)
            ]
    return SearchResult(
        total=response["hits"]["total"]["value"],
        hits=hits,
        facets=facets,
        took_ms=response.get("took", 0),
    )


def suggest(
    es: Elasticsearch, settings: IndexerSettings, prefix: str, size: int
) -> list[dict[str, Any]]:
    body = build_suggest_body(prefix, size)
    response = guarded(lambda: es.search(index=settings.alias, **body).body)
    options = response.get("suggest", {}).get("names", [{}])[0].get("options", [])
    return [{"text": o["text"], "id": o["_id"], **o.get("_source", {})} for o in options]


def get_document(
    es: Elasticsearch, settings: IndexerSettings, doc_id: str
) -> dict[str, Any] | None:
    try:
        response = guarded(lambda: es.get(index=settings.alias, id=doc_id).body)
    except IndexMissing:
        return None
    source: dict[str, Any] = response["_source"]
    return source


def did_you_mean(
    es: Elasticsearch, settings: IndexerSettings, analysis: QueryAnalysis
) -> str | None:
    """Replace each word by the closest indexed term when that term is more frequent."""
    text = " ".join(word.text for word in analysis.words)
    body: dict[str, Any] = {
        "size": 0,
        "suggest": {
            "text": text,
            "words": {
                "term": {
                    "field": "name",
                    "suggest_mode": "popular",
                    "min_word_length": 4,
                    "size": 1,
                }
            },
        },
    }
    try:
        response = guarded(lambda: es.search(index=settings.alias, **body).body)
    except (IndexMissing, SearchUnavailable):
        return None
    changed = False
    words = []
    for entry in response.get("suggest", {}).get("words", []):
        options = entry.get("options") or []
        if options:
            words.append(options[0]["text"])
            changed = True
        else:
            words.append(entry["text"])
    return " ".join(words) if changed else None
