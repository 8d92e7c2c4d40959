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
from analyzers.query import YIELDING_STRENGTHS
from indexer.request import Filters, SearchRequest

# field weights for analysed token streams
FIELDS = {
    "name_terms": 4.0,
    "category_terms": 3.0,
    "organization_terms": 1.5,
    "description_terms": 1.0,
}
FUZZY_FIELDS = {"name_terms": 2.0, "category_terms": 1.5}
CONCEPT_MAIN_BOOST = 12.0
CONCEPT_ANY_BOOST = 6.0
CONCEPT_AREA_BOOST = 2.0
IMPLIED_BOOST = {"district": 3.0, "language": 3.0, "cost": 1.0, "wheelchair": 1.0}
IMPLIED_WITH_CONCEPT = 14.0
# Services that answer a crisis the query expresses rank above everything the words match
# (a concept's main-category boost is 12; a word's best fields about 4 each).
CRISIS_BOOST = 100.0
CRISIS_TOLD_WORDS = 3  # from this many words on, a query tells a situation (crisis_clauses)
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


def fuzziness(word: str) -> int:
    """Edits allowed for a word: none below 5 letters, one (a transposition counts as one).

    Two edits for long words cost Elasticsearch about 1 ms of CPU per search (building
    and intersecting larger automata) and changed nothing on the judged queries (typo
    nDCG@10 0.949 → 0.948 dev, 0.986 → 0.986 held-out A): long misspelt words are mostly
    compounds, whose concepts the analyzers match typo-tolerantly anyway.
    """
    if len(word) >= 5:
        return 1
    return 0


def _multi(terms: tuple[str, ...], boost: float) -> dict[str, Any]:
    clause: dict[str, Any] = {
        "query": " ".join(terms),
        "fields": [f"{name}^{weight:g}" for name, weight in FIELDS.items()],
        "type": "cross_fields" if len(terms) > 1 else "best_fields",
        "operator": "and",
        "boost": round(boost, 3),
    }
    return {"multi_match": clause}


RELAXED_FUZZY_FIELDS = {**FUZZY_FIELDS, "description_terms": 1.0}


def relaxed_fuzziness(word: str) -> int:
    """Edits in the "fuzzy" relaxation stage (nothing found otherwise): 2 from 6 letters."""
    if len(word) >= 6:
        return 2
    return 1 if len(word) >= 3 else 0


def _fuzzy(word: str, boost: float, relaxed: bool = False) -> list[dict[str, Any]]:
    edits = relaxed_fuzziness(word) if relaxed else fuzziness(word)
    if not edits:
        return []
    fields = RELAXED_FUZZY_FIELDS if relaxed else FUZZY_FIELDS
    return [
        {
            "fuzzy": {
                name: {
                    "value": word,
                    "fuzziness": edits,
                    "prefix_length": 0 if relaxed else 1,
                    "max_expansions": 50 if relaxed else 10,
                    "boost": round(boost * weight, 3),
                }
            }
        }
        for name, weight in fields.items()
    ]


def text_clauses(analysis: QueryAnalysis) -> list[dict[str, Any]]:
    """One dis_max per query word (its alternatives), plus phrase-level expansions."""
    by_source: dict[str, list[dict[str, Any]]] = {}
    for expansion in analysis.expansions:
        by_source.setdefault(expansion.source, []).append(_multi(expansion.terms, expansion.weight))
    relaxed = analysis.stage == "fuzzy"
    for word in analysis.words:
        if word.fuzzy:
            by_source.setdefault(word.text, []).extend(_fuzzy(word.folded, 0.4, relaxed))
    return [{"dis_max": {"queries": queries, "tie_breaker": 0.1}} for queries in by_source.values()]


def concept_clauses(analysis: QueryAnalysis) -> list[dict[str, Any]]:
    clauses: list[dict[str, Any]] = []
    for concept in analysis.concepts:
        weight = max(concept.weight, 0.0)
        if "/" in concept.code:
            clauses.append(
                {
                    "term": {
                        "main_category": {
                            "value": concept.code,
                            "boost": round(CONCEPT_MAIN_BOOST * weight, 3),
                        }
                    }
                }
            )
            clauses.append(
                {
                    "term": {
                        "categories": {
                            "value": concept.code,
                            "boost": round(CONCEPT_ANY_BOOST * weight, 3),
                        }
                    }
                }
            )
        else:
            clauses.append(
                {
                    "term": {
                        "areas": {
                            "value": concept.code,
                            "boost": round(CONCEPT_AREA_BOOST * weight, 3),
                        }
                    }
                }
            )
    return clauses


def crisis_clauses(analysis: QueryAnalysis) -> list[dict[str, Any]]:
    """For a query in danger: its services first, in the order the crisis lists them.

    Not when a weak or structural signal in a sentence yielded the ranking to the query's
    topic (a firm service type next to it, see ``analyzers.query``): its crisis services
    then carry less than full weight and rank by it among the concepts, and the crisis block
    alone comes first. A query of a word or two ("Kinderschutz") is about the crisis
    service itself and keeps it first.
    """
    if analysis.crisis is None:
        return []
    lead = [c for c in analysis.concepts if c.kind == "crisis"]
    told = len(analysis.words) >= CRISIS_TOLD_WORDS
    if told and analysis.crisis.strength in YIELDING_STRENGTHS and lead and lead[0].weight < 1.0:
        return []
    codes = [c.code for c in lead]
    return [
        {
            "constant_score": {
                "filter": {"term": {"categories": code}},
                "boost": round(CRISIS_BOOST * (1.0 - 0.1 * rank), 3),
            }
        }
        for rank, code in enumerate(codes)
    ]


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
