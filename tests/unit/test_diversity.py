"""A second reading near the top: the pure rules (indexer.diversity), exact comparisons."""

from __future__ import annotations

from analyzers.models import ConceptMatch, CrisisSignal, QueryAnalysis
from indexer import diversity


def _analysis(*concepts: tuple[str, float], crisis: CrisisSignal | None = None) -> QueryAnalysis:
    matches = tuple(ConceptMatch(code, weight, "", "model") for code, weight in concepts)
    return QueryAnalysis("q", "q", "de", 1.0, (), (), matches, (), crisis)


def test_the_second_service_type_is_shown_when_nearly_as_likely() -> None:
    analysis = _analysis(("familie", 0.9), ("familie/kita", 0.8), ("familie/krippe", 0.5))
    assert diversity.second_reading(analysis) == "familie/krippe"


def test_areas_weak_second_types_crises_and_browsing_keep_one_reading() -> None:
    assert (
        diversity.second_reading(_analysis(("familie/kita", 1.0), ("familie/krippe", 0.4))) is None
    )
    assert diversity.second_reading(_analysis(("familie/kita", 1.0), ("familie", 0.9))) is None
    danger = CrisisSignal("suicide", "", "de", "strong")
    two = (("gesundheit/krisendienst", 1.0), ("gesundheit/spdi", 0.95))
    assert diversity.second_reading(_analysis(*two, crisis=danger)) is None
    assert diversity.second_reading(None) is None


def test_the_order_of_concepts_does_not_matter_only_their_weight() -> None:
    analysis = _analysis(("familie/krippe", 0.6), ("familie/kita", 0.9))
    assert diversity.second_reading(analysis) == "familie/krippe"


def test_the_first_hit_of_the_second_reading_moves_up_to_its_slot() -> None:
    cats = [["a"], ["a"], ["a", "x"], ["a"], ["b"], ["b"]]
    assert diversity.reorder(cats, "b") == [0, 1, 4, 2, 3, 5]
    assert diversity.reorder(cats, "b", slot=1) == [0, 4, 1, 2, 3, 5]


def test_nothing_moves_when_the_second_reading_is_already_up_or_absent() -> None:
    cats = [["a"], ["b"], ["a"], ["b"]]
    assert diversity.reorder(cats, "b") == [0, 1, 2, 3]
    assert diversity.reorder(cats, "c") == [0, 1, 2, 3]
    assert diversity.reorder([], "b") == []
