"""Words written as they sound: "Schultnerberatunk", "Ausleenderbehörde", "Jugent amt".

People who learnt German by ear write what they hear. Kölner Phonetik (the German
standard, via the ``cologne-phonetics`` package) gives words that sound alike the same
code, whatever the vowels and the letters for one sound (d/t, g/k, v/f, ß/s). Every
single-word trigger of the German concept vocabulary is indexed by its code once; a query
word the vocabulary does not know, or two adjacent words written apart, are looked up by
theirs. Only words of five letters and more take part: shorter codes collide too often.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import cologne_phonetics

from analyzers.concepts import german_index
from analyzers.matching import Trigger

MIN_LETTERS = 5
MAX_LENGTH_GAP = 3  # letters a heard spelling may differ in length from the word
SCORE = 0.8  # a phonetic match counts less than a spelling (1.0) or prefix (0.85) one


@lru_cache(maxsize=65536)
def code(word: str) -> str:
    """The Kölner Phonetik code of one word (all its parts joined)."""
    return "".join(part for _, part in cologne_phonetics.encode(word))


@lru_cache(maxsize=1)
def index() -> dict[str, tuple[Trigger, ...]]:
    """Code -> single-word German triggers (as kind "phonetic"), built once."""
    table: dict[str, list[Trigger]] = {}
    for trigger in german_index().triggers:
        if len(trigger.keys) != 1 or len(trigger.keys[0]) < MIN_LETTERS:
            continue
        key = trigger.keys[0]
        if not key.isalpha():
            continue
        table.setdefault(code(key), []).append(replace(trigger, kind="phonetic"))
    return {k: tuple(v) for k, v in table.items()}


def lookup(word: str) -> tuple[Trigger, ...]:
    """German triggers that sound like ``word`` (a folded query word)."""
    if len(word) < MIN_LETTERS or not word.isalpha():
        return ()
    found = index().get(code(word), ())
    return tuple(t for t in found if abs(len(t.keys[0]) - len(word)) <= MAX_LENGTH_GAP)
