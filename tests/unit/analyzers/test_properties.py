from hypothesis import given, settings
from hypothesis import strategies as st

from analyzers import analyze_query, analyze_record, clean_text, fold
from analyzers.query import MAX_CONCEPTS, MAX_EXPANSIONS, MAX_WORDS
from analyzers.record import field_terms, index_tokens

ANY_TEXT = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=300)


@settings(max_examples=150, deadline=None)
@given(ANY_TEXT)
def test_query_never_raises_and_is_bounded(text):
    analysis = analyze_query(text)
    assert len(analysis.words) <= MAX_WORDS
    assert len(analysis.expansions) <= MAX_EXPANSIONS
    assert len(analysis.concepts) <= MAX_CONCEPTS
    assert len(analysis.text) <= 500
    for concept in analysis.concepts:
        assert 0.0 <= concept.weight <= 1.0
    analysis.to_dict()


@settings(max_examples=80, deadline=None)
@given(ANY_TEXT, ANY_TEXT)
def test_record_never_raises(name, description):
    result = analyze_record({"name": name, "description": description, "categories": ["x"]})
    assert "\x00" not in result.description
    result.clean_description.encode("utf-8")  # no lone surrogates


WORDY_TEXT = st.text(
    alphabet=st.sampled_from(list("aäoöuüßbcSsKk-–/+.,;:!?()'\"&%§@#_0123456789 Ёйاخ😀\u00ad")),
    max_size=120,
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(ANY_TEXT, WORDY_TEXT))
def test_chunk_memo_equals_tokenising_the_whole_text(text):
    """The per-chunk cache of record analysis gives what tokenising the sentence gives."""
    cleaned = clean_text(text)
    assert field_terms(cleaned) == " ".join(index_tokens(cleaned))


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(ANY_TEXT, WORDY_TEXT, st.text(alphabet=" \t\n\xa0\u2009abcﬁ①<&;é\u0301", max_size=40))
)
def test_clean_text_shortcut_changes_nothing(text):
    """Text that skips the cleaning steps would have come out of them unchanged."""
    from analyzers.normalize import _clean

    cleaned = _clean(text)
    assert clean_text(text) == cleaned
    if "<" not in cleaned and "&" not in cleaned:  # else decoded entities look like markup
        assert clean_text(cleaned) is cleaned  # stored text takes the shortcut


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_fold_and_clean_are_idempotent(text):
    assert fold(fold(text)) == fold(text)
    assert clean_text(clean_text(text)) == clean_text(text)


def test_huge_input_is_capped():
    analysis = analyze_query("Schulden " * 2000 + "😀" * 100)
    assert len(analysis.words) <= MAX_WORDS
