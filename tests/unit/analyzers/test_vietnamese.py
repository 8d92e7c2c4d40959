"""Vietnamese phrases are met whole, syllable by syllable, with or without their tones."""

from __future__ import annotations

from analyzers import analyze_query
from analyzers.glossary import foreign_index


def codes(text: str) -> list[str]:
    return [c.code for c in analyze_query(text).concepts if "/" in c.code]


def test_a_phrase_is_met_by_its_syllables_with_tones_or_without() -> None:
    assert codes("tư vấn nợ ở đâu")[0] == "geld/schuldnerberatung"
    assert codes("tu van no o dau")[0] == "geld/schuldnerberatung"
    assert codes("tư vấn di cư Chemnitz")[0] == "migration/mbe"


def test_one_syllable_is_not_a_phrase() -> None:
    """Folded, "tư vấn di cư" kept only "tu" in the shared index and "tư" met "tự tử"."""
    assert "gesundheit/krisendienst" not in codes("tư vấn di cư Chemnitz")
    assert not [t for t in foreign_index().triggers if t.lang == "vi"]


def test_everyday_syllables_name_no_service_and_no_danger() -> None:
    """ "mọi" and "sáng" are French "moi" and "sang" (blood) once folded: no pregnancy."""
    analysis = analyze_query(
        "Chào mọi người, con mình 2 tuổi, có ai biết chỗ gửi trẻ gần Sonnenberg không"
    )
    assert analysis.crisis is None
    found = {c.code for c in analysis.concepts}
    assert not found & {"pflege/seniorentreff", "wohnen/wohnungslosenhilfe"}


def test_danger_in_vietnamese_is_still_read() -> None:
    signal = analyze_query("tôi muốn tự tử").crisis
    assert signal is not None and signal.kind == "suicide"
    signal = analyze_query("con tôi bị bố đánh mỗi tối, cháu sợ về nhà").crisis
    assert signal is not None and signal.kind == "child_danger"


def test_a_crisis_phrase_with_its_tones_counts_in_a_long_message() -> None:
    """Toneless, "muon tu tu" also meets "muốn tư vấn" (I want counselling), so it counts only
    as the whole query; with its tones it is the danger, however long the message."""
    signal = analyze_query(
        "em muốn tự tử, sang Đức làm nail 3 năm nợ nần chồng chất không ai biết"
    ).crisis
    assert signal is not None and signal.kind == "suicide"
    assert analyze_query("tôi muốn tư vấn về nợ nần, sang Đức làm nail 3 năm").crisis is None
