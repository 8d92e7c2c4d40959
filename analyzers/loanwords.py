"""German words written in Cyrillic letters: "шульднербератунг", "пфлегединст", "Кіндернотдінст".

Russian, Ukrainian and Bulgarian speakers in Germany call the offices and services they
deal with by their German names, written in their own alphabet. The glossaries list the
most common of them ("джобцентр", "вонгельд"); no list holds them all. So a Cyrillic word
no glossary knows is spelt back in German letters (:func:`german_letters`: how a German
word is usually written in Cyrillic, read backwards) and looked up in the German
vocabulary: as spelt (with the index's usual tolerance), else as it sounds (Kölner
Phonetik, :mod:`analyzers.phonetic`). The sound forgives what the back-spelling cannot
know: whether "в" stood for "w" or "v", "з" for "s", "я" for "ä" or "a", "ай" for "ei".
"""

from __future__ import annotations

import re
from dataclasses import replace

from analyzers import phonetic
from analyzers.concepts import german_index
from analyzers.matching import EXACT, Match

MIN_LETTERS = 6  # shorter words are Russian words far more often than German names
MIN_SOUNDED = 11  # heard, not spelt: only long words (short ones sound like anything)
MIN_NEAR = 7  # a word met only nearly (a Russian ending left over) names a long German word:
# "мигрантов" is "Migranten", but "таблетки" (pills) is no "Tablet"
_CYRILLIC = re.compile("^[\u0400-\u04ff]+$")
_VOWELS = "аеёиоуыэюяєії"
# Letter groups first: "цион" is German "tion" ("интеграционскурс"), "ай" and "яй" are "ei"
# ("арбайтсагентур", "кляйдеркаммер"), "ой" is "eu" ("ойропас").
_GROUPS = (("цион", "tion"), ("ция", "tion"), ("ай", "ei"), ("яй", "ei"), ("ой", "eu"))
_LETTERS = {
    "а": "a", "б": "b", "в": "w", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "ö", "ж": "sch",
    "з": "s", "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "z", "ч": "tsch",
    "ш": "sch", "щ": "schtsch", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "ü", "я": "a",
    "є": "e", "і": "i", "ї": "i", "ј": "j", "џ": "dsch", "ђ": "dj", "ћ": "tsch", "љ": "lj",
    "њ": "nj",
}  # fmt: skip
_AFTER_VOWEL = {"ю": "ju", "я": "ja", "ё": "jo", "є": "je", "ї": "ji"}  # and at the start


def german_letters(word: str) -> str:
    """The German spelling a Cyrillic word most likely stands for ("югендамт" → "jugendamt")."""
    text = word.lower()
    for group, latin in _GROUPS:
        text = text.replace(group, latin)
    out = []
    for i, ch in enumerate(text):
        start = i == 0 or text[i - 1] in _VOWELS
        out.append(_AFTER_VOWEL[ch] if start and ch in _AFTER_VOWEL else _LETTERS.get(ch, ch))
    return "".join(out)


def matches(words: list[str], skip: frozenset[int]) -> list[Match]:
    """German vocabulary met by the Cyrillic ``words`` (lower-case, as typed) outside ``skip``
    (words a glossary already explained), each as a "phonetic" trigger: a name heard, not a
    translation."""
    index = german_index()
    out: list[Match] = []
    for i, word in enumerate(words):
        if i in skip or len(word) < MIN_LETTERS or not _CYRILLIC.match(word):
            continue
        latin = german_letters(word)
        key = latin.replace("ä", "a").replace("ö", "o").replace("ü", "u")
        spelt = [
            (replace(trigger, kind="phonetic"), score, frozenset({i}))
            for trigger, score, _ in index.match([[(key, 1.0)]])
            if len(trigger.keys) == 1 and (score >= EXACT or len(trigger.keys[0]) >= MIN_NEAR)
        ]
        if spelt or len(word) < MIN_SOUNDED:
            out.extend(spelt)
            continue
        out.extend((t, phonetic.SCORE, frozenset({i})) for t in phonetic.lookup(key))
    return out
