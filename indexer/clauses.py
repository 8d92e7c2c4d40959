"""The scoring clauses of a query analysis: its words, its concepts, its crisis.

Pure: an analysis in, Elasticsearch clause dicts out. :mod:`indexer.query` puts them
together with the filters, the prior and the facets into one search body; the ranking
they implement is described there.
"""

from __future__ import annotations

from typing import Any

from analyzers import QueryAnalysis

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
# Services that answer a crisis the query expresses rank above everything the words match
# (a concept's main-category boost is 12; a word's best fields about 4 each).
CRISIS_BOOST = 100.0
CRISIS_TOLD_WORDS = 3  # from this many words on, a query tells a situation (crisis_clauses)


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
    # A word can end with no alternative: "toán" folds to the "toan" another word already
    # asked for, and four letters get no fuzzy edit. Elasticsearch rejects an empty dis_max
    # (400), and the whole search with it.
    return [
        {"dis_max": {"queries": queries, "tie_breaker": 0.1}}
        for queries in by_source.values()
        if queries
    ]


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

    Not when the analysis let a sentence's crisis yield the ranking to the query's topic
    (a weak or structural signal beside a firm service type, or an intent model sure of
    another type, see ``analyzers.query``): its crisis services then carry less than full
    weight and rank by it among the concepts, and the crisis block
    alone comes first. A query of a word or two ("Kinderschutz") is about the crisis
    service itself and keeps it first.
    """
    if analysis.crisis is None:
        return []
    lead = [c for c in analysis.concepts if c.kind == "crisis"]
    told = len(analysis.words) >= CRISIS_TOLD_WORDS
    if told and lead and lead[0].weight < 1.0:
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
