"""Tokenisation, German lemmatisation and stop words (spaCy, offline).

spaCy is loaded once, lazily (``spacy.blank("de")`` + the *lookup* lemmatiser
from ``spacy-lookups-data``; no model download).  The lookup lemmatiser is a
plain table lookup per token, so instead of running the pipeline component on
every token we run only the tokenizer and look words up in the lemmatiser's own
table through a memoised function: the vocabulary of a directory repeats heavily,
so after warm-up almost every token is a dictionary hit (records go one step further,
see ``analyzers.record``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from analyzers.normalize import fold

_LOCK = threading.Lock()
_NLP: Any = None
_TABLE: Any = None

# Words spaCy treats as stop words but which carry meaning in service queries.
_KEEP = {"tag", "tage", "zeit", "allein", "alleine", "gross", "große", "groß", "neu"}
# The lookup table maps some plural nouns to wrong singulars; both sides would
# agree, but then "schulden" would never meet the synonym file's "schulden".
_LEMMA_OVERRIDES = {
    "schulden": "schulden",
    "kosten": "kosten",
    "eltern": "eltern",
    "leute": "leute",
    # The noun "Sucht" (addiction) must not become the verb "suchen" (to look
    # for): "suche Betreuung" would otherwise mean addiction counselling.
    "sucht": "sucht",
    "süchte": "sucht",
}
_WORD = re.compile(r"\w", re.UNICODE)
JOINERS = "-‐‑–/+"  # hyphen variants and slashes join words in German ("Sucht-/Drogenhilfe")
JOINED = re.compile(f"[{JOINERS}]+")


def nlp() -> Any:
    """The shared spaCy pipeline (built on first use, thread-safe)."""
    global _NLP, _TABLE
    if _NLP is None:
        with _LOCK:
            if _NLP is None:
                import spacy

                pipeline = spacy.blank("de")
                lemmatizer = pipeline.add_pipe("lemmatizer", config={"mode": "lookup"})
                pipeline.initialize()
                _TABLE = lemmatizer.lookups.get_table("lemma_lookup")  # type: ignore[attr-defined]
                _NLP = pipeline
    return _NLP


def lemma_table() -> Any:
    nlp()
    return _TABLE


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """German stop words (spaCy's list minus meaningful words), in folded form."""
    from spacy.lang.de.stop_words import STOP_WORDS

    words = {w for w in STOP_WORDS if w not in _KEEP}
    return frozenset({fold(w) for w in words} | words)


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """Folded lemma of one German word via the spaCy lookup table (memoised)."""
    if not word:
        return ""
    lower = word.lower()
    override = _LEMMA_OVERRIDES.get(lower)
    if override is not None:
        return fold(override)
    table = lemma_table()
    found = table.get(word) or table.get(lower) or table.get(lower[:1].upper() + lower[1:])
    return fold(found if isinstance(found, str) and found else word)


@lru_cache(maxsize=200_000)
def noun_lemma(part: str) -> str:
    """Folded lemma of a compound member, looked up as a noun.

    Members are nouns or stems; looking up "pflege" in lower case would give the
    verb "pflegen", so only the capitalised form is consulted.
    """
    lower = part.lower()
    override = _LEMMA_OVERRIDES.get(lower)
    if override is not None:
        return fold(override)
    found = lemma_table().get(lower[:1].upper() + lower[1:])
    return fold(found if isinstance(found, str) and found else lower)


@dataclass(frozen=True, slots=True)
class Token:
    """A word as produced by the tokenizer, with its hyphen pieces."""

    text: str
    pieces: tuple[str, ...]  # hyphen/slash separated pieces; (text,) if none

    @property
    def folded(self) -> str:
        return fold("".join(self.pieces))


def _to_tokens(words: Iterable[str]) -> list[Token]:
    out: list[Token] = []
    for word in words:
        if not _WORD.search(word):
            continue
        pieces = tuple(p for p in JOINED.split(word) if _WORD.search(p))
        if not pieces:
            continue
        text = word.strip(JOINERS)
        out.append(Token(text, tuple(p.strip("_") or p for p in pieces)))
    return out


def windows(words: list[str], size: int) -> list[list[str]]:
    """``words`` in half-overlapping windows of ``size`` (one window if it is shorter).

    A long message is read part by part so that its danger may stand in its last clause,
    and words met sentences apart are not read as one sentence.
    """
    step = max(1, size // 2)
    return [words[start : start + size] for start in range(0, max(1, len(words) - step), step)]


def tokenize(text: str) -> list[Token]:
    """Word tokens of ``text`` (punctuation dropped)."""
    if not text:
        return []
    return _to_tokens(t.text for t in nlp().tokenizer(text))


def is_stop(folded: str) -> bool:
    return folded in stop_words()


@lru_cache(maxsize=65536)
def is_german_word(folded: str, text: str) -> bool:
    """A word of the German dictionary (spaCy's lemma table or the compound lexicon).

    Used to keep sound-alike and transliteration matching for words that are no German
    words: a correctly spelt "kaufen" is not a misheard "kiffen".
    """
    from analyzers.compounds import lexicon

    if len(folded) < 3 or not folded.isalpha():
        return False
    table = lemma_table()
    if folded in lexicon() or table.get(text) or table.get(text.lower()):
        return True
    # Learners write nouns in lower case ("rollstuhl"), and the lemma table lacks many
    # first-person verb forms ("sitze", "blicke"): try the noun and the infinitive.
    lower = text.lower()
    return bool(table.get(lower.capitalize())) or (
        lower.endswith("e") and (lower + "n" in table or fold(lower + "n") in lexicon())
    )
