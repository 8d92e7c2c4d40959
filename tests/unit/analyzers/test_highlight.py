import html

from hypothesis import given, settings
from hypothesis import strategies as st

from analyzers import analyze_query
from analyzers.highlight import PRE, SNIPPET_CHARS, mark, query_terms, snippet

ANY_TEXT = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=400)
TERMS = st.frozensets(st.sampled_from(["kita", "beratung", "schulden", "a", "ü", "x-y"]))


def terms(query: str) -> frozenset[str]:
    return query_terms(analyze_query(query))


def plain(marked: str) -> str:
    return html.unescape(marked.replace("<mark>", "").replace("</mark>", ""))


def test_inflected_folded_and_hyphenated_forms_are_marked() -> None:
    assert mark("Zwei Kindergärten", terms("Kindergarten")) == "Zwei <mark>Kindergärten</mark>"
    assert mark("Das Familien-Zentrum", terms("Familienzentrum")) == (
        "Das <mark>Familien-Zentrum</mark>"
    )


def test_expansions_are_marked_but_compound_parts_of_the_query_are_not() -> None:
    text = "Schuldnerberatung und Beratung bei Schulden"
    assert mark(text, terms("Schuldnerberatung")) == (
        "<mark>Schuldnerberatung</mark> und Beratung bei <mark>Schulden</mark>"
    )


def test_translated_queries_mark_the_german_words() -> None:
    assert "<mark>Schuldnerberatung</mark>" in mark("Schuldnerberatung Mitte", terms("debt advice"))


def test_markup_in_the_text_is_escaped() -> None:
    marked = mark('<script>alert("Kita")</script> Kita & Hort', terms("Kita"))
    assert marked == (
        '&lt;script&gt;alert("<mark>Kita</mark>")&lt;/script&gt; <mark>Kita</mark> &amp; Hort'
    )


def test_snippet_is_the_window_with_most_matches() -> None:
    middle = "Die Kita betreut Kinder; die Kita hat einen Garten. "
    text = "Allgemeines. " * 20 + middle + "Ende " * 40
    result = snippet(text, terms("Kita"))
    assert result.count(PRE) == 2
    assert len(plain(result)) <= SNIPPET_CHARS
    assert plain(result) in text


def test_snippet_without_a_match_is_the_opening() -> None:
    text = "Beratung für Familien in allen Lebenslagen. " * 10
    result = snippet(text, terms("Schwimmbad"))
    assert PRE not in result
    assert text.startswith(result)
    assert len(result) <= SNIPPET_CHARS


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT, TERMS)
def test_marking_only_adds_tags_and_escapes(text: str, chosen: frozenset[str]) -> None:
    marked = mark(text, chosen)
    assert plain(marked) == text
    assert "<" not in marked.replace("<mark>", "").replace("</mark>", "")
    piece = plain(snippet(text, chosen))
    assert piece in text
    assert len(piece) <= SNIPPET_CHARS
