"""No dead ends: the analyses to try, one after another, when a query finds nothing.

The first search already ranks by *most* words (any word may match; more matches rank
higher), with concepts, translations and typo-tolerance for unknown words. When it still
finds nothing, the search service tries these stages in order and stops at the first
that answers; the ``query`` block names it:

1. ``fuzzy``: every word of three letters and more may be misspelt, by up to two edits
   from six letters on (the first stage allows one, from five, and none for known words).
2. ``transliterated``: words in Cyrillic are romanised and analysed again, so
   "Каритас" or "кита" meet the German names they stand for.
3. ``concepts``: a fallback by what the text is: a recognisable German word, or a text in
   another script or language, is answered with general social counselling or migration
   counselling (which works with interpreters). Only text without any recognisable word
   ("asdfgh") ends in "nothing found".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from analyzers.models import ConceptMatch, QueryAnalysis
from analyzers.tokens import is_german_word
from analyzers.translit import romanize

VOWELS = frozenset("aeiouy")
STAGES = ("words", "fuzzy", "transliterated", "concepts")
FOREIGN_FALLBACK = (("migration/mbe", 0.6), ("migration/dolmetschen", 0.5), ("migration", 0.3))
GERMAN_FALLBACK = (("geld/leistungen", 0.5), ("behoerden/sozialamt", 0.4), ("geld", 0.3))


def stages(
    analysis: QueryAnalysis, analyze: Callable[[str], QueryAnalysis]
) -> Iterator[QueryAnalysis]:
    """The relaxed analyses of ``analysis`` in order (lazily: most searches need none)."""
    if analysis.words:
        words = tuple(
            replace(w, fuzzy=w.folded.isalpha() and len(w.folded) >= 3) for w in analysis.words
        )
        yield replace(analysis, words=words, stage="fuzzy")
    if any(_cyrillic(w.text) for w in analysis.words):
        lang = analysis.language if analysis.language in ("ru", "uk", "bg") else "ru"
        latin = romanize(analysis.text, lang)
        yield replace(analyze(latin), stage="transliterated")
    fallback = _fallback(analysis)
    if fallback:
        concepts = tuple(
            ConceptMatch(code, weight, analysis.text[:40], "fallback") for code, weight in fallback
        )
        yield replace(analysis, concepts=concepts, stage="concepts")


def _wordlike(word: str) -> bool:
    """A Latin word of some language rather than a keyboard mash ("asdfgh", "qwertz")."""
    if len(word) < 3 or not word.isalpha():
        return False
    vowels = sum(ch in VOWELS for ch in word)
    run = longest = 0
    for ch in word:
        run = 0 if ch in VOWELS else run + 1
        longest = max(longest, run)
    return vowels / len(word) >= 0.25 and longest <= 4


def _cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def _fallback(analysis: QueryAnalysis) -> tuple[tuple[str, float], ...]:
    """General counselling for a recognisable text that matched nothing."""
    if not analysis.words:
        return ()
    if any(not w.folded.isascii() for w in analysis.words):
        letters = sum(ch.isalpha() for w in analysis.words for ch in w.text)
        return FOREIGN_FALLBACK if letters >= 2 else ()
    if analysis.language != "de":
        return FOREIGN_FALLBACK if any(_wordlike(w.folded) for w in analysis.words) else ()
    if any(is_german_word(w.folded, w.text) for w in analysis.words):
        return GERMAN_FALLBACK
    return ()
