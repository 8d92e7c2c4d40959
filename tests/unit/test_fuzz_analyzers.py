"""Hypothesis: the analyzers survive any code point, lone surrogates included, and long text.

Complements ``tests/unit/analyzers/test_properties.py`` (whose alphabet leaves out the
surrogate category): user text reaches the analyzers from query strings and imports.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from analyzers import analyze_query, analyze_record, clean_text, fold
from analyzers.query import MAX_CONCEPTS, MAX_EXPANSIONS, MAX_WORDS

EVERY_CODE_POINT = st.text(
    alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF, categories=None, codec=None),
    max_size=400,
)
SURROGATES = st.text(
    alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, categories=None, codec=None),
    max_size=50,
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(EVERY_CODE_POINT, SURROGATES), st.integers(min_value=1, max_value=500))
def test_any_text_is_analysed_without_error_and_bounded(text: str, repeat: int) -> None:
    analysis = analyze_query(text * repeat)
    assert len(analysis.words) <= MAX_WORDS
    assert len(analysis.expansions) <= MAX_EXPANSIONS
    assert len(analysis.concepts) <= MAX_CONCEPTS
    assert len(analysis.text) <= 500
    analysis.to_dict()
    assert len(fold(text)) <= 4 * len(text) + 4
    clean_text(text)


@settings(max_examples=100, deadline=None)
@given(EVERY_CODE_POINT, SURROGATES)
def test_records_with_surrogates_are_analysed(name: str, description: str) -> None:
    result = analyze_record(
        {"name": name or "x", "description": description + name, "categories": ["x"]}
    )
    for text in (result.description, result.clean_description):
        text.encode("utf-8")  # no lone surrogate survives into the index
    assert "\x00" not in result.description


def test_huge_surrogate_input_is_capped() -> None:
    analysis = analyze_query("\ud800Schulden\udfff" * 20000)
    assert len(analysis.words) <= MAX_WORDS and len(analysis.text) <= 500
