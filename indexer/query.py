"""Build the Elasticsearch search body from a QueryAnalysis (pure: data in, dict out).

Ranking, from strongest to weakest signal:

1. **Concepts**: the query maps to taxonomy codes (German synonyms, everyday phrasings,
   translations); records filed under such a code rank first, the main category above a
   secondary one, the area above nothing.
2. **Words**: each content word is one ``dis_max`` over its alternatives, so a word
   counts once however many of its forms match: the typed form beats the lemma, the lemma
   beats compound parts (which must all match together, so "Schuldnerberatung" does not
   match every "Beratung"), synonyms and translations come after; name and category
   fields weigh more than the description. Typos: fuzzy matching on the folded form, one
   edit from 5 letters, none below.
3. **Implied filters** (a district or language named in the text) are strong boosts, not
   hard filters, unless the caller asks to apply them.
4. A small **prior** for complete and recently confirmed entries (for text queries a
   rescore of the top hits, see :func:`_prior_rescore`).

Explicit filters go into ``post_filter`` and each facet aggregation applies all filters
but its own, so facet counts are disjunctive.
"""

from __future__ import annotations

from typing import Any

from analyzers import QueryAnalysis
from indexer.clauses import concept_clauses, crisis_clauses, text_clauses
from indexer.request import Filters, SearchRequest

IMPLIED_BOOST = {"district": 3.0, "language": 3.0, "cost": 1.0, "wheelchair": 1.0}
IMPLIED_WITH_CONCEPT = 14.0
# What a result list shows of a hit (the detail page reads the whole record by id).
HIT_FIELDS = (
    "name",
    "organization",
    "description",
    "categories",
    "district",
    "languages",
    "cost",
    "wheelchair",
    "location",
    "open_minutes",
    "open_periods",
    "has_hours",
)
FACET_FIELDS = {
    "category": "categories",
    "district": "district",
    "language": "languages",
    "target_group": "target_groups",
    "cost": "cost",
    "wheelchair": "wheelchair",
}
FACET_SIZE = {
    "category": 100,
    "district": 60,
    "language": 30,
    "target_group": 40,
    "cost": 5,
    "wheelchair": 2,
}


def implied_clauses(analysis: QueryAnalysis) -> list[dict[str, Any]]:
    """Boosts for the filters a text implies ("Kita Sonnenberg", "Deutschkurs kostenlos").

    What such a query asks for is the service *in* that district (or language, cost,
    accessibility): a record satisfying both the filter and one of the query's service
    concepts gets a constant boost above records that match the concept alone; the
    filter on its own earns only a mild boost.
    """
    codes = [c.code for c in analysis.concepts if "/" in c.code]
    clauses: list[dict[str, Any]] = []
    for implied in analysis.filters:
        field = FACET_FIELDS[implied.field] if implied.field != "language" else "languages"
        value: Any = implied.value == "true" if implied.field == "wheelchair" else implied.value
        clauses.append({"term": {field: {"value": value, "boost": IMPLIED_BOOST[implied.field]}}})
        if codes:
            both = {
                "bool": {"filter": [{"term": {field: value}}, {"terms": {"categories": codes}}]}
            }
            clauses.append({"constant_score": {"filter": both, "boost": IMPLIED_WITH_CONCEPT}})
    return clauses


def implied_filters(analysis: QueryAnalysis, filters: Filters) -> Filters:
    """Explicit filters plus those the text implies (used when they are applied)."""
    extra: dict[str, tuple[str, ...]] = {}
    wheelchair = filters.wheelchair
    for implied in analysis.filters:
        if implied.field == "wheelchair":
            wheelchair = True
        else:
            current = extra.get(implied.field, getattr(filters, implied.field))
            if implied.value not in current:
                extra[implied.field] = (*current, implied.value)
    return Filters(
        category=filters.category,
        district=extra.get("district", filters.district),
        language=extra.get("language", filters.language),
        target_group=filters.target_group,
        cost=extra.get("cost", filters.cost),
        wheelchair=wheelchair,
        open_minute=filters.open_minute,
        open_day=filters.open_day,
    )


def filter_clauses(filters: Filters) -> dict[str, dict[str, Any]]:
    """One clause per active facet (keyed by facet) plus the non-facet filters."""
    clauses: dict[str, dict[str, Any]] = {}
    if filters.category:
        codes = list(filters.category)
        clauses["category"] = {
            "bool": {
                "should": [{"terms": {"categories": codes}}, {"terms": {"areas": codes}}],
                "minimum_should_match": 1,
            }
        }
    for facet in ("district", "language", "target_group", "cost"):
        values = getattr(filters, facet)
        if values:
            clauses[facet] = {"terms": {FACET_FIELDS[facet]: list(values)}}
    if filters.wheelchair is not None:
        clauses["wheelchair"] = {"term": {"wheelchair": filters.wheelchair}}
    if filters.open_minute is not None:
        clauses["open_now"] = open_clause(filters.open_minute, filters.open_day)
    return clauses


def open_clause(minute: int, day: str | None) -> dict[str, Any]:
    """Open at ``minute`` of the week: a weekly range holds it, or (given the day) a period
    valid on that day does (``indexer.hours``)."""
    weekly = {"term": {"open_minutes": minute}}
    if day is None:
        return weekly
    dated = {
        "nested": {
            "path": "open_periods",
            "ignore_unmapped": True,  # an index made before periods existed
            "query": {
                "bool": {
                    "filter": [
                        {"term": {"open_periods.minutes": minute}},
                        {"term": {"open_periods.valid": day}},
                    ]
                }
            },
        }
    }
    return {"bool": {"should": [weekly, dated], "minimum_should_match": 1}}


PRIOR_FUNCTIONS = [
    {"weight": 1},
    {"field_value_factor": {"field": "completeness", "factor": 0.08, "missing": 0}},
    {"gauss": {"updated_at": {"origin": "now", "scale": "730d", "decay": 0.5}}, "weight": 0.04},
]
RESCORE_WINDOW = 100  # top hits per shard that the prior reorders (at least the page asked)


def _prior(query: dict[str, Any]) -> dict[str, Any]:
    """The prior as the ranking itself: browsing without text orders by it alone."""
    return {
        "function_score": {
            "query": query,
            "functions": PRIOR_FUNCTIONS,
            "score_mode": "sum",
            "boost_mode": "multiply",
        }
    }


def _prior_rescore(window: int) -> dict[str, Any]:
    """The prior for text queries, applied to the top ``window`` hits only.

    The factor is the same (score × (1 + 0.08·completeness + 0.04·freshness), at most
    ×1.12), but computed for a hundred hits instead of every match: on the 100k corpus a
    function_score around the query cost Elasticsearch ≈ 4 of 13 ms CPU per search. A hit
    beyond the window could have reached the top ten under the full prior only with a score
    within 12 % of the tenth's, ninety hits in between. Elasticsearch refuses an explicit
    sort with rescoring, so equal scores fall back to index order instead of the name.
    """
    return {
        "window_size": window,
        "query": {
            "rescore_query": {
                "function_score": {
                    "query": {"match_all": {}},
                    "functions": PRIOR_FUNCTIONS,
                    "score_mode": "sum",
                    "boost_mode": "replace",
                }
            },
            "query_weight": 1,
            "rescore_query_weight": 1,
            "score_mode": "multiply",
        },
    }


def build_search_body(request: SearchRequest, analysis: QueryAnalysis | None) -> dict[str, Any]:
    """The complete ``_search`` body for ``request`` and the text's ``analysis``."""
    filters = request.filters
    if analysis is not None and request.apply_implied_filters:
        filters = implied_filters(analysis, filters)
    should: list[dict[str, Any]] = []
    if analysis is not None and (analysis.words or analysis.concepts):
        should = text_clauses(analysis) + concept_clauses(analysis) + crisis_clauses(analysis)
    rescore = bool(should) and request.sort == "relevance"
    if should:
        scoring: list[dict[str, Any]] = implied_clauses(analysis) if analysis else []
        query: dict[str, Any] = {"bool": {"should": should, "minimum_should_match": 1}}
        if scoring:
            query = {"bool": {"must": [query], "should": scoring}}
        if not rescore:
            query = _prior(query)
    else:
        query = _prior({"match_all": {}})
        if analysis is not None and analysis.filters:
            query = {"bool": {"must": [query], "should": implied_clauses(analysis)}}

    clauses = filter_clauses(filters)
    base_filter: list[dict[str, Any]] = []
    if request.near and request.near.radius_km:
        base_filter.append(
            {
                "geo_distance": {
                    "distance": f"{request.near.radius_km}km",
                    "location": {"lat": request.near.lat, "lon": request.near.lon},
                }
            }
        )
    if "open_now" in clauses:
        base_filter.append(clauses.pop("open_now"))
    if base_filter:
        query = {"bool": {"must": [query], "filter": base_filter}}

    body: dict[str, Any] = {
        "query": query,
        "from": (request.page - 1) * request.size,
        "size": request.size,
        "track_total_hits": True,
        "_source": list(HIT_FIELDS),
    }
    if clauses:
        body["post_filter"] = {"bool": {"filter": list(clauses.values())}}
    if rescore:
        body["rescore"] = _prior_rescore(max(RESCORE_WINDOW, request.page * request.size))
    else:
        body["sort"] = _sort(request)
    if request.facets:
        body["aggs"] = _facets(clauses)
    return body


def _sort(request: SearchRequest) -> list[Any]:
    if request.sort == "name":
        return [{"name.sort": "asc"}, "_score"]
    if request.sort == "distance" and request.near:
        return [
            {
                "_geo_distance": {
                    "location": {"lat": request.near.lat, "lon": request.near.lon},
                    "order": "asc",
                    "unit": "km",
                }
            },
            "_score",
        ]
    return ["_score", {"name.sort": "asc"}]


def _facets(clauses: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Disjunctive facets: each facet counts under every filter but its own.

    A facet with no other filter to count under is a plain ``terms`` aggregation: wrapped
    in a ``filter`` that matches everything, it cost Elasticsearch about a third of a
    search on the city's corpus (1.3 of 5 ms).
    """
    aggs: dict[str, Any] = {}
    facets = [(facet, field, FACET_SIZE[facet], facet) for facet, field in FACET_FIELDS.items()]
    for name, field, size, own in [*facets, ("area", "areas", 20, "category")]:
        others = [clause for filter_name, clause in clauses.items() if filter_name != own]
        terms = {"terms": {"field": field, "size": size}}
        aggs[name] = (
            {"filter": {"bool": {"filter": others}}, "aggs": {"values": terms}} if others else terms
        )
    return aggs


def facet_buckets(agg: dict[str, Any]) -> list[dict[str, Any]]:
    """The buckets of a facet from :func:`_facets`, with or without its filter wrapper."""
    buckets: list[dict[str, Any]] = agg.get("values", agg)["buckets"]
    return buckets


def build_suggest_body(prefix: str, size: int) -> dict[str, Any]:
    """Completion suggestions for a typed prefix, typo-tolerant from 4 characters on."""
    completion: dict[str, Any] = {"field": "suggest", "size": size, "skip_duplicates": True}
    if len(prefix) >= 4:
        completion["fuzzy"] = {"fuzziness": 1, "prefix_length": 1}
    return {
        "_source": ["id", "name", "district", "main_category"],
        "suggest": {"names": {"prefix": prefix, "completion": completion}},
    }
