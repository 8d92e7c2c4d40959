"""Vietnamese phrases, matched by their syllables as written.

Vietnamese writes a word as several syllables ("tư vấn" counselling, "di cư" migration),
and its syllables differ only by their tones: folded to plain letters, "tư", "tự" and "tu"
are one key, and many fold to another language's stop word ("vấn" -> "van", "cư" -> "cu").
In the shared foreign index (:mod:`analyzers.glossary`), where every language's stop words
are dropped, "tư vấn di cư" kept the one key "tu" and answered any "tự tử". So Vietnamese
phrases live in an index of their own: a phrase is met only whole, syllable by syllable,
with its tones (``tư vấn``); typed without tones (``tu van no``), its syllables must stand
together as one phrase and weigh less. Every word of the query is read, stop words
included.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from analyzers import taxonomy
from analyzers.concepts import load_entries, situation_language
from analyzers.matching import PhraseIndex, Trigger
from analyzers.normalize import script_key
from analyzers.resources import data_path, list_dir

LANG = "vi"
TONELESS = 0.85  # weight of a phrase met without its tones (typed on a plain keyboard)


def toned(word: str) -> str:
    """A syllable as written: lower case, composed, without surrounding punctuation."""
    return unicodedata.normalize("NFC", word.lower()).strip(".,;:!?()\"'")


def query_keys(words: list[str]) -> list[list[tuple[str, float]]]:
    """Each typed word's keys: as written, and folded (for phrases typed without tones)."""
    out = []
    for word in words:
        keys = {toned(word), script_key(word)}
        out.append([(key, 1.0) for key in sorted(keys) if key])
    return out


def _add(index: PhraseIndex, code: str, phrase: str, kind: str) -> None:
    syllables = [toned(s) for s in phrase.replace("-", " ").split() if toned(s)]
    if not syllables:
        return
    index.add(Trigger(code, phrase, tuple(syllables), kind, LANG))
    plain = tuple(script_key(s) for s in syllables)
    if len(plain) >= 2 and plain != tuple(syllables):
        index.add(Trigger(code, phrase, plain, kind, LANG, TONELESS, tight=True))


@lru_cache(maxsize=1)
def index() -> PhraseIndex:
    """The Vietnamese labels, glossary and situations (whole phrases only)."""
    out = PhraseIndex(fuzzy=False)
    for code in taxonomy.codes():
        for lang, text in taxonomy.categories()[code].labels:
            if lang == LANG:
                _add(out, code, text, "label")
    glossary = data_path(f"glossary/{LANG}.txt")
    if glossary.exists():
        for entry in load_entries(glossary):
            _add(out, entry.code, entry.phrase, "translation")
    for path in list_dir("situations"):
        if situation_language(path) == LANG:
            for entry in load_entries(path):
                _add(out, entry.code, entry.phrase, "situation")
    return out
