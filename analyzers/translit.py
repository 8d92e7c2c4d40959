"""Cyrillic typed in Latin letters: "pomosch s dolgami" for "помощь с долгами".

People without a Cyrillic keyboard write Russian, Ukrainian and Bulgarian in Latin
letters, each after their own habit: "sch", "shch" or "sh" for щ; "ya", "ja" or "ia" for
я; "kh", "h" or "x" for х (Serbian has a Latin alphabet of its own, Gaj's, which its
romanisation spells out). Instead of guessing one spelling, both sides are reduced to a
*skeleton* where those habits coincide: the glossary's Cyrillic phrases are romanised
(:func:`romanize`, close to the usual passport transliteration of each language) and
skeletonised once when the index is built; a Latin query word is skeletonised when it is
analysed (:func:`skeleton`, a few string replacements).
"""

from __future__ import annotations

from functools import lru_cache

CYRILLIC_LANGUAGES = ("ru", "uk", "bg", "sh")

_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "є": "ye", "і": "i", "ї": "yi", "ґ": "g",
}  # fmt: skip
_BY_LANGUAGE = {
    "ru": {},
    "uk": {"г": "h", "и": "y"},
    "bg": {"ъ": "a", "щ": "sht"},
    # Serbian Cyrillic as Gaj's Latin alphabet writes it, diacritics folded as script_key
    # folds them ("ћ" = "ć" -> "c", "ш" = "š" -> "s"), so "помоћ" meets "pomoc" and "pomoć".
    "sh": {
        "ђ": "dj",
        "ј": "j",
        "љ": "lj",
        "њ": "nj",
        "ћ": "c",
        "џ": "dz",
        "х": "h",
        "ц": "c",
        "ч": "c",
        "ш": "s",
        "ж": "z",
    },
}
# Order matters: longer spellings first ("shch" before "sh", "tsch" before "ch").
_SKELETON = (
    ("ck", "k"),  # German "ck" first: "ts" -> "c" below must not create one ("detsk")
    ("shch", "s"),
    ("tsch", "c"),
    ("sch", "s"),
    ("sh", "s"),
    ("ch", "c"),
    ("zh", "z"),
    ("kh", "h"),
    ("ts", "c"),
    ("tz", "c"),
    ("cz", "c"),
    ("sz", "s"),
    ("ph", "f"),
    ("x", "h"),
    ("w", "v"),
    ("q", "k"),
    ("j", "i"),
    ("y", "i"),
)


def romanize(text: str, lang: str) -> str:
    """Latin letters for Cyrillic text of ``lang`` (ru, uk, bg, sh); other text unchanged."""
    table = {**_COMMON, **_BY_LANGUAGE.get(lang, {})}
    return "".join(table.get(ch, ch) for ch in text.lower())


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """The spelling-habit-free form of a Latin word: "pomoshch", "pomosch" → "pomos"."""
    out = word.lower().replace("'", "")
    for spelling, letter in _SKELETON:
        out = out.replace(spelling, letter)
    collapsed: list[str] = []
    for ch in out:
        if not collapsed or collapsed[-1] != ch:
            collapsed.append(ch)
    return "".join(collapsed)
