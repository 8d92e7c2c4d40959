"""German names of services written in Cyrillic letters ("шульднербератунг")."""

from __future__ import annotations

import pytest

from analyzers import analyze_query, loanwords


@pytest.mark.parametrize(
    ("written", "german"),
    [
        ("шульднербератунг", "schuldnerberatung"),
        ("югендамт", "jugendamt"),  # "ю" at the start is "ju"
        ("бюргергельд", "bürgergeld"),  # ... after a consonant "ü"
        ("кляйдеркаммер", "kleiderkammer"),  # "яй" is "ei"
        ("интеграционскурс", "integrationskurs"),  # "цион" is "tion"
        ("зоциальамт", "sozialamt"),
        ("хоспиц", "hospiz"),
    ],
)
def test_a_cyrillic_word_is_spelt_back_in_german_letters(written: str, german: str) -> None:
    assert loanwords.german_letters(written) == german


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("шульднербератунг", "geld/schuldnerberatung"),
        ("где найти кляйдеркаммер", "versorgung/kleiderkammer"),
        ("ауслендербехёрде термин", "behoerden/auslaenderbehoerde"),  # "e" for "ä" heard
        ("зельбстхильфегруппе", "gesundheit/selbsthilfe"),
    ],
)
def test_a_german_name_in_cyrillic_meets_the_german_vocabulary(query: str, wanted: str) -> None:
    analysis = analyze_query(query)
    assert analysis.language != "de"
    lead = next(c for c in analysis.concepts if "/" in c.code)
    assert (lead.code, lead.kind) == (wanted, "phonetic")


def test_russian_words_are_not_heard_as_german() -> None:
    # Short words sound like anything ("найти" like "Mathe"); a nearly met word needs a
    # long German one ("таблетки", pills, is no "Tablet").
    words = ["найти", "сейчас", "таблетки", "пожалуйста", "квартиру", "помогите"]
    assert loanwords.matches(words, frozenset()) == []


def test_a_word_a_glossary_explained_is_left_alone() -> None:
    assert loanwords.matches(["шульднербератунг"], frozenset({0})) == []
    assert loanwords.matches(["schuldnerberatung"], frozenset()) == []  # Cyrillic only
