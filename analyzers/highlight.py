"""Mark the words a query matched in display text (names, description snippets).

Why here and not in Elasticsearch: its highlighter re-analyses every hit's text and runs
a query over it, about 1 ms of cluster CPU per search on two cores, a quarter of what a
search costs there. Here a display word is reduced to the same forms the index holds
(folded surface form and lemma, for each hyphen piece too), memoised per space-separated
chunk as the record side does, so marking ten hits is a few dictionary lookups per word.
That also marks more of what matched than the ``standard`` analyser did: inflected forms
("Kindergärten" for "Kindergarten"), umlauts folded, hyphenated spellings
("Familien-Zentrum" for "Familienzentrum").

Which query terms count: the typed words (folded and lemma) and every expansion except
compound parts ("Schuldnerberatung" must not mark each "Beratung" of a description).
Output is HTML-escaped text with ``<mark>`` tags only.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from analyzers.models import QueryAnalysis
from analyzers.normalize import fold
from analyzers.tokens import JOINED, JOINERS, is_stop, lemma

PRE, POST = "<mark>", "</mark>"
SNIPPET_CHARS = 160
LEAD_CHARS = 40  # context kept before the first marked word of a snippet
_WORD = re.compile(rf"\w+(?:[{JOINERS}]\w+)*", re.UNICODE)  # a word with its joined pieces


def query_terms(analysis: QueryAnalysis) -> frozenset[str]:
    """The index forms whose occurrence in a display text gets marked."""
    terms = {form for word in analysis.words for form in (word.folded, word.lemma)}
    for expansion in analysis.expansions:
        if expansion.kind != "compound":
            terms.update(expansion.terms)
    return frozenset(term for term in terms if term and not is_stop(term))


@lru_cache(maxsize=200_000)
def _word_forms(word: str) -> frozenset[str]:
    pieces = [p for p in JOINED.split(word) if p]
    forms = {fold("".join(pieces))}
    for piece in pieces:
        forms.add(fold(piece))
        forms.add(lemma(piece))
    return frozenset(forms)


@lru_cache(maxsize=100_000)
def _chunk_words(chunk: str) -> tuple[tuple[int, int, frozenset[str]], ...]:
    return tuple((m.start(), m.end(), _word_forms(m.group())) for m in _WORD.finditer(chunk))


def matches(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` that one of ``terms`` matches."""
    spans: list[tuple[int, int]] = []
    if not terms:
        return spans
    offset = 0
    for chunk in text.split(" "):
        for start, end, forms in _chunk_words(chunk):
            if not forms.isdisjoint(terms):
                spans.append((offset + start, offset + end))
        offset += len(chunk) + 1
    return spans


def _render(text: str, spans: list[tuple[int, int]]) -> str:
    out: list[str] = []
    position = 0
    for start, end in spans:
        out.append(html.escape(text[position:start], quote=False))
        out.append(PRE + html.escape(text[start:end], quote=False) + POST)
        position = end
    out.append(html.escape(text[position:], quote=False))
    return "".join(out)


def mark(text: str, terms: frozenset[str]) -> str:
    """All of ``text``, HTML-escaped, matched words in ``<mark>``."""
    return _render(text, matches(text, terms))


def _cut(text: str, start: int, size: int) -> tuple[int, int]:
    """A window of about ``size`` characters from ``start``, on word boundaries."""
    if start > 0:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else 0
    end = start + size
    if end >= len(text):
        return start, len(text)
    space = text.rfind(" ", start, end)
    return start, space if space > start else end


def snippet(text: str, terms: frozenset[str], size: int = SNIPPET_CHARS) -> str:
    """The window of ``text`` holding the most matched words, HTML-escaped and marked.

    Without a match, the opening of the text (so a hit always has a snippet).
    """
    spans = matches(text, terms)
    if not spans:
        start, end = _cut(text, 0, size)
        return html.escape(text[start:end], quote=False)
    best, best_count, last = 0, 0, 0
    for first, (span_start, _) in enumerate(spans):  # windows opening before each match
        start = max(0, span_start - LEAD_CHARS)
        last = max(last, first)
        while last < len(spans) and spans[last][1] <= start + size:
            last += 1
        if last - first > best_count:
            best, best_count = start, last - first
    start, end = _cut(text, best, size)
    inside = [(s - start, e - start) for s, e in spans if s >= start and e <= end]
    return _render(text[start:end], inside)
