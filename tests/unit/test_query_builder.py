"""The search body is a pure function of the request and the analysis: compared exactly."""

from __future__ import annotations

from dataclasses import replace

from analyzers import ConceptMatch, Expansion, ImpliedFilter, QueryAnalysis, WordAnalysis
from analyzers.models import CrisisSignal
from indexer.clauses import crisis_clauses, fuzziness, text_clauses
from indexer.query import build_search_body, build_suggest_body, facet_buckets
from indexer.request import Filters, Near, SearchRequest

FIELDS = ["name_terms^4", "category_terms^3", "organization_terms^1.5", "description_terms^1"]
PRIOR = [
    {"weight": 1},
    {"field_value_factor": {"field": "completeness", "factor": 0.08, "missing": 0}},
    {"gauss": {"updated_at": {"origin": "now", "scale": "730d", "decay": 0.5}}, "weight": 0.04},
]

ANALYSIS = QueryAnalysis(
    text="Schuldnerberatung Sonnenberg",
    normalized="schuldnerberatung sonnenberg",
    language="de",
    language_confidence=0.98,
    words=(
        WordAnalysis(
            "Schuldnerberatung",
            "schuldnerberatung",
            "schuldnerberatung",
            ("schuldner", "beratung"),
            True,
        ),
    ),
    expansions=(
        Expansion(("schuldnerberatung",), 1.0, "original", "Schuldnerberatung"),
        Expansion(("schuldner", "beratung"), 0.7, "compound", "Schuldnerberatung"),
    ),
    concepts=(
        ConceptMatch("geld/schuldnerberatung", 0.9, "schuldnerberatung", "label"),
        ConceptMatch("geld", 0.5, "schuldnerberatung", "label"),
    ),
    filters=(ImpliedFilter("district", "Sonnenberg", "Sonnenberg"),),
)


def test_fuzziness_is_one_edit_from_five_letters() -> None:
    assert [fuzziness(w) for w in ("kita", "hilfe", "tagesmutt", "schuldnerberatung")] == [
        0,
        1,
        1,
        1,
    ]


def test_a_word_left_without_alternatives_asks_for_nothing() -> None:
    """Vietnamese "toàn ... toán": both fold to "toan", asked for once; four letters get no
    fuzzy edit. An empty dis_max made Elasticsearch reject the whole search (400)."""
    analysis = QueryAnalysis(
        text="toàn toán",
        normalized="toan toan",
        language="vi",
        language_confidence=0.9,
        words=(
            WordAnalysis("toàn", "toan", "toan", (), True),
            WordAnalysis("toán", "toan", "toan", (), True),
        ),
        expansions=(Expansion(("toan",), 1.0, "original", "toàn"),),
        concepts=(),
        filters=(),
    )
    assert text_clauses(analysis) == [
        {
            "dis_max": {
                "queries": [
                    {
                        "multi_match": {
                            "query": "toan",
                            "fields": FIELDS,
                            "type": "best_fields",
                            "operator": "and",
                            "boost": 1.0,
                        }
                    }
                ],
                "tie_breaker": 0.1,
            }
        }
    ]


def test_full_body_for_a_german_compound_with_an_implied_district() -> None:
    body = build_search_body(SearchRequest(text=ANALYSIS.text, facets=False), ANALYSIS)
    word_clause = {
        "dis_max": {
            "tie_breaker": 0.1,
            "queries": [
                {
                    "multi_match": {
                        "query": "schuldnerberatung",
                        "fields": FIELDS,
                        "type": "best_fields",
                        "operator": "and",
                        "boost": 1.0,
                    }
                },
                {
                    "multi_match": {
                        "query": "schuldner beratung",
                        "fields": FIELDS,
                        "type": "cross_fields",
                        "operator": "and",
                        "boost": 0.7,
                    }
                },
                {
                    "fuzzy": {
                        "name_terms": {
                            "value": "schuldnerberatung",
                            "fuzziness": 1,
                            "prefix_length": 1,
                            "max_expansions": 10,
                            "boost": 0.8,
                        }
                    }
                },
                {
                    "fuzzy": {
                        "category_terms": {
                            "value": "schuldnerberatung",
                            "fuzziness": 1,
                            "prefix_length": 1,
                            "max_expansions": 10,
                            "boost": 0.6,
                        }
                    }
                },
            ],
        }
    }
    concepts = [
        {"term": {"main_category": {"value": "geld/schuldnerberatung", "boost": 10.8}}},
        {"term": {"categories": {"value": "geld/schuldnerberatung", "boost": 5.4}}},
        {"term": {"areas": {"value": "geld", "boost": 1.0}}},
    ]
    assert body == {
        "query": {
            "bool": {
                "must": [
                    {
                        "bool": {
                            "should": [word_clause, *concepts],
                            "minimum_should_match": 1,
                        }
                    }
                ],
                "should": [
                    {"term": {"district": {"value": "Sonnenberg", "boost": 3.0}}},
                    {
                        "constant_score": {
                            "boost": 14.0,
                            "filter": {
                                "bool": {
                                    "filter": [
                                        {"term": {"district": "Sonnenberg"}},
                                        {"terms": {"categories": ["geld/schuldnerberatung"]}},
                                    ]
                                }
                            },
                        }
                    },
                ],
            }
        },
        "from": 0,
        "size": 10,
        "track_total_hits": True,
        "_source": [
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
        ],
        "rescore": {
            "window_size": 100,
            "query": {
                "rescore_query": {
                    "function_score": {
                        "query": {"match_all": {}},
                        "functions": PRIOR,
                        "score_mode": "sum",
                        "boost_mode": "replace",
                    }
                },
                "query_weight": 1,
                "rescore_query_weight": 1,
                "score_mode": "multiply",
            },
        },
    }


def test_rescore_window_covers_the_page_and_other_sorts_keep_the_prior_in_the_query() -> None:
    deep = build_search_body(SearchRequest(text=ANALYSIS.text, page=30, size=10), ANALYSIS)
    assert deep["rescore"]["window_size"] == 300
    assert "sort" not in deep  # Elasticsearch refuses a sort with a rescore
    by_name = build_search_body(SearchRequest(text=ANALYSIS.text, sort="name"), ANALYSIS)
    assert "rescore" not in by_name
    assert by_name["sort"] == [{"name.sort": "asc"}, "_score"]
    assert by_name["query"]["function_score"]["functions"] == PRIOR


def test_filters_go_to_post_filter_and_facets_exclude_their_own() -> None:
    request = SearchRequest(filters=Filters(district=("Sonnenberg",), cost=("kostenlos",)))
    body = build_search_body(request, None)
    district = {"terms": {"district": ["Sonnenberg"]}}
    cost = {"terms": {"cost": ["kostenlos"]}}
    assert body["post_filter"] == {"bool": {"filter": [district, cost]}}
    assert body["aggs"]["district"] == {
        "filter": {"bool": {"filter": [cost]}},
        "aggs": {"values": {"terms": {"field": "district", "size": 60}}},
    }
    assert body["aggs"]["cost"]["filter"] == {"bool": {"filter": [district]}}
    assert body["aggs"]["language"]["filter"] == {"bool": {"filter": [district, cost]}}
    assert body["query"] == {
        "function_score": {
            "query": {"match_all": {}},
            "functions": PRIOR,
            "score_mode": "sum",
            "boost_mode": "multiply",
        }
    }


def test_facets_without_other_filters_are_plain_terms_aggregations() -> None:
    body = build_search_body(SearchRequest(), None)
    assert body["aggs"] == {
        "category": {"terms": {"field": "categories", "size": 100}},
        "district": {"terms": {"field": "district", "size": 60}},
        "language": {"terms": {"field": "languages", "size": 30}},
        "target_group": {"terms": {"field": "target_groups", "size": 40}},
        "cost": {"terms": {"field": "cost", "size": 5}},
        "wheelchair": {"terms": {"field": "wheelchair", "size": 2}},
        "area": {"terms": {"field": "areas", "size": 20}},
    }
    # A category filter: "area" counts under none (its own), the others under it.
    filtered = build_search_body(SearchRequest(filters=Filters(category=("geld",))), None)
    assert filtered["aggs"]["area"] == {"terms": {"field": "areas", "size": 20}}
    assert set(filtered["aggs"]["district"]) == {"filter", "aggs"}


def test_facet_buckets_are_read_with_or_without_the_filter_wrapper() -> None:
    buckets = [{"key": "Sonnenberg", "doc_count": 3}]
    assert facet_buckets({"buckets": buckets}) == buckets
    assert facet_buckets({"doc_count": 9, "values": {"buckets": buckets}}) == buckets


def test_open_now_and_radius_restrict_the_query_itself() -> None:
    request = SearchRequest(
        filters=Filters(open_minute=1570),
        near=Near(50.83, 12.92, 2.5),
        sort="distance",
        facets=False,
    )
    body = build_search_body(request, None)
    assert body["query"]["bool"]["filter"] == [
        {"geo_distance": {"distance": "2.5km", "location": {"lat": 50.83, "lon": 12.92}}},
        {"term": {"open_minutes": 1570}},
    ]
    assert "post_filter" not in body
    assert body["sort"][0] == {
        "_geo_distance": {"location": {"lat": 50.83, "lon": 12.92}, "order": "asc", "unit": "km"}
    }


def test_open_now_on_a_day_also_asks_for_periods_valid_that_day() -> None:
    request = SearchRequest(filters=Filters(open_minute=1570, open_day="2025-07-01"))
    clause = build_search_body(request, None)["query"]["bool"]["filter"][0]
    assert clause == {
        "bool": {
            "should": [
                {"term": {"open_minutes": 1570}},
                {
                    "nested": {
                        "path": "open_periods",
                        "ignore_unmapped": True,
                        "query": {
                            "bool": {
                                "filter": [
                                    {"term": {"open_periods.minutes": 1570}},
                                    {"term": {"open_periods.valid": "2025-07-01"}},
                                ]
                            }
                        },
                    }
                },
            ],
            "minimum_should_match": 1,
        }
    }


def test_applied_implied_filters_become_real_filters() -> None:
    request = SearchRequest(text=ANALYSIS.text, apply_implied_filters=True, facets=False)
    body = build_search_body(request, ANALYSIS)
    assert body["post_filter"] == {"bool": {"filter": [{"terms": {"district": ["Sonnenberg"]}}]}}


def test_no_user_text_is_ever_query_syntax() -> None:
    nasty = QueryAnalysis(
        "a:b OR (c",
        "a:b or (c",
        "de",
        0.5,
        (WordAnalysis("a:b", "a:b", "a:b", (), True),),
        (Expansion(("a:b",), 1.0, "original", "a:b"),),
        (),
        (),
    )
    text = str(build_search_body(SearchRequest(text=nasty.text), nasty))
    assert "query_string" not in text and "simple_query_string" not in text


def test_suggest_is_fuzzy_only_from_four_characters() -> None:
    assert build_suggest_body("Ki", 5) == {
        "_source": ["id", "name", "district", "main_category"],
        "suggest": {
            "names": {
                "prefix": "Ki",
                "completion": {"field": "suggest", "size": 5, "skip_duplicates": True},
            }
        },
    }
    fuzzy = build_suggest_body("Schuld", 5)["suggest"]["names"]["completion"]["fuzzy"]
    assert fuzzy == {"fuzziness": 1, "prefix_length": 1}


def _in_danger(words: int, strength: str, lead: float) -> QueryAnalysis:
    word = WordAnalysis("nacht", "nacht", "nacht", (), True)
    return replace(
        ANALYSIS,
        words=(word,) * words,
        concepts=(
            ConceptMatch("schutz/kinderschutz", lead, "kind + nacht", "crisis"),
            ConceptMatch("behoerden/jugendamt", round(lead * 0.95, 3), "kind + nacht", "crisis"),
        ),
        filters=(),
        crisis=CrisisSignal("child_danger", "kind + nacht", "de", strength),
    )


def test_crisis_services_lead_unless_the_analysis_let_a_told_alarm_yield_to_a_topic() -> None:
    first = [
        {"constant_score": {"filter": {"term": {"categories": code}}, "boost": boost}}
        for code, boost in (("schutz/kinderschutz", 100.0), ("behoerden/jugendamt", 90.0))
    ]
    assert crisis_clauses(_in_danger(4, "strong", 1.0)) == first
    assert crisis_clauses(_in_danger(1, "weak", 0.7)) == first  # "Kinderschutz": the service itself
    assert crisis_clauses(_in_danger(4, "structure", 0.7)) == []  # yielded: ranks as a concept
    assert crisis_clauses(_in_danger(4, "weak", 0.7)) == []
    # The analysis decides (a lead below full weight): a firm phrase yields only where the
    # intent model overruled it, and the builder follows whatever the strength.
    assert crisis_clauses(_in_danger(4, "strong", 0.7)) == []
