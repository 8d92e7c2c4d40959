"""Two readings of an ambiguous query on the real index: the second's best hit is third."""

from __future__ import annotations

from typing import Any

from analyzers.models import ConceptMatch, CrisisSignal, QueryAnalysis
from indexer.request import SearchRequest
from indexer.search import execute


def _analysis(second: float) -> QueryAnalysis:
    concepts = (
        ConceptMatch("familie/kita", 1.0, "", "model"),
        ConceptMatch("versorgung/tafel", second, "", "model"),
    )
    return QueryAnalysis("q", "q", "de", 1.0, (), (), concepts, ())


def _categories(hit: Any) -> list[str]:
    return list(hit.source.get("categories") or [])


def test_an_ambiguous_query_shows_its_second_reading_in_the_top_three(
    es_client: Any, sample_conf: Any
) -> None:
    single = execute(es_client, sample_conf, SearchRequest(size=5), _analysis(0.3))
    assert all("familie/kita" in _categories(hit) for hit in single.hits[:5])
    both = execute(es_client, sample_conf, SearchRequest(size=5), _analysis(0.7))
    assert [("versorgung/tafel" in _categories(hit)) for hit in both.hits[:3]] == [
        False,
        False,
        True,
    ]
    assert both.total == single.total


def test_pages_after_the_first_neither_repeat_nor_lose_the_moved_hit(
    es_client: Any, sample_conf: Any
) -> None:
    whole = execute(es_client, sample_conf, SearchRequest(size=9), _analysis(0.7))
    pages = [
        hit.id
        for page in (1, 2, 3)
        for hit in execute(
            es_client, sample_conf, SearchRequest(page=page, size=3), _analysis(0.7)
        ).hits
    ]
    assert pages == [hit.id for hit in whole.hits]
    assert len(set(pages)) == len(pages) == 9


def test_a_crisis_shows_each_of_its_services_before_the_second_of_any(
    es_client: Any, sample_conf: Any
) -> None:
    """Crisis services rank first by a constant boost, in the list's order (two types of
    three records each here): the second's best hit moves up from fourth to third."""
    danger = CrisisSignal("child_danger", "", "de", "strong")
    concepts = (
        ConceptMatch("jugend/jugendtreff", 1.0, "", "crisis"),
        ConceptMatch("gesundheit/suchtberatung", 0.95, "", "crisis"),
    )
    analysis = QueryAnalysis("q", "q", "de", 1.0, (), (), concepts, (), danger)
    hits = execute(es_client, sample_conf, SearchRequest(size=5), analysis).hits
    assert [("gesundheit/suchtberatung" in _categories(hit)) for hit in hits[:4]] == [
        False,
        False,
        True,
        False,
    ]
