"""More than one reading near the top: the pure rules (indexer.diversity), exact comparisons."""

from __future__ import annotations

from analyzers import analyze_query
from analyzers.models import ConceptMatch, CrisisSignal, QueryAnalysis
from indexer import diversity


def _analysis(*concepts: tuple[str, float], crisis: CrisisSignal | None = None) -> QueryAnalysis:
    kind = "crisis" if crisis else "model"
    matches = tuple(ConceptMatch(code, weight, "", kind) for code, weight in concepts)
    return QueryAnalysis("q", "q", "de", 1.0, (), (), matches, (), crisis)


def test_the_second_service_type_is_shown_when_nearly_as_likely() -> None:
    analysis = _analysis(("familie", 0.9), ("familie/kita", 0.8), ("familie/krippe", 0.5))
    assert diversity.placements(analysis) == [("familie/krippe", diversity.SLOT)]


def test_areas_weak_second_types_and_browsing_keep_one_reading() -> None:
    assert diversity.placements(_analysis(("familie/kita", 1.0), ("familie/krippe", 0.4))) == []
    assert diversity.placements(_analysis(("familie/kita", 1.0), ("familie", 0.9))) == []
    assert diversity.placements(None) == []


def test_the_order_of_concepts_does_not_matter_only_their_weight() -> None:
    analysis = _analysis(("familie/krippe", 0.6), ("familie/kita", 0.9))
    assert diversity.placements(analysis) == [("familie/krippe", 2)]


def test_a_crisis_shows_each_of_its_services_before_the_second_of_any() -> None:
    danger = CrisisSignal("domestic_violence", "", "de", "strong")
    codes = (
        ("schutz/frauenschutz", 1.0),
        ("schutz/gewaltberatung", 0.95),
        ("schutz/opferhilfe", 0.9),
    )
    assert diversity.placements(_analysis(*codes, crisis=danger)) == [
        ("schutz/gewaltberatung", 2),
        ("schutz/opferhilfe", 4),
    ]


def test_a_crisis_that_yielded_the_ranking_to_its_topic_moves_nothing() -> None:
    dying = analyze_query("Mein Vater hat Krebs im Endstadium und möchte zu Hause sterben")
    assert dying.crisis is not None and dying.concepts[0].code == "pflege/hospiz"
    assert diversity.placements(dying) == []


def test_the_first_hit_of_a_reading_moves_up_to_its_slot() -> None:
    cats = [["a"], ["a"], ["a", "x"], ["a"], ["b"], ["b"], ["c"]]
    assert diversity.reorder(cats, [("b", 2)]) == [0, 1, 4, 2, 3, 5, 6]
    assert diversity.reorder(cats, [("b", 1)]) == [0, 4, 1, 2, 3, 5, 6]
    assert diversity.reorder(cats, [("b", 2), ("c", 4)]) == [0, 1, 4, 2, 6, 3, 5]


def test_nothing_moves_when_the_reading_is_already_up_or_absent() -> None:
    cats = [["a"], ["b"], ["a"], ["b"]]
    assert diversity.reorder(cats, [("b", 2)]) == [0, 1, 2, 3]
    assert diversity.reorder(cats, [("c", 2)]) == [0, 1, 2, 3]
    assert diversity.reorder([], [("b", 2)]) == []
