"""Arabic, Persian, Urdu, Pashto, Hindi, Greek, Georgian, Amharic and Tigrinya typed in
Latin letters: "bafakkar bel ente7ar", "man hamele hastam", "mujhe marne ka mann".

Without a keyboard for their script people chat these languages in Latin letters, each
after their own habit: vowels as they hear them or not at all ("antehar", "ente7ar",
"inti7ar" for انتحار), digits for the letters Latin lacks (3 for ع, 7 for ح, 5 for خ),
"kh", "x" or "h" for one sound. A word list can hold a few of these spellings, never all.
Both sides are therefore reduced to *bones*, the consonants in the order typed, with the
sounds these habits confuse made one: the entries written in their own script are first
romanised (:func:`romanize`, one usual chat letter per letter of the script), then both
they and the typed word lose their vowels (:func:`bones`). An abjad writes few vowels
anyway, and Hindi, Amharic and Tigrinya write them as marks on the consonant.

Bones of fewer than three consonants say too little ("mt" is death, mother and more), so
callers only look up longer ones, and four for a word romanised from its script. The
Cyrillic languages keep :mod:`analyzers.translit`, which spells their vowels out.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

CHAT_LANGUAGES = ("ar", "fa", "ur", "ps", "hi", "el", "ka", "am", "ti")
MIN_BONES = 3  # consonants a word must keep to be looked up by its bones

_ARABIC_SCRIPT = {
    "ا": "a", "آ": "a", "أ": "a", "إ": "i", "ٱ": "a", "ء": "", "ؤ": "", "ئ": "", "ب": "b",
    "پ": "p", "ت": "t", "ث": "s", "ج": "j", "چ": "ch", "ح": "h", "خ": "kh", "د": "d",
    "ذ": "z", "ر": "r", "ز": "z", "ژ": "zh", "س": "s", "ش": "sh", "ص": "s", "ض": "z",
    "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f", "ق": "q", "ک": "k", "ك": "k",
    "گ": "g", "ل": "l", "م": "m", "ن": "n", "و": "w", "ه": "h", "ة": "", "ی": "y",
    "ي": "y", "ى": "a", "ٹ": "t", "ڈ": "d", "ڑ": "r", "ں": "n", "ھ": "h", "ہ": "h",
    "ے": "e", "ۓ": "e", "ټ": "t", "ډ": "d", "ړ": "r", "ږ": "zh", "ښ": "sh", "ځ": "dz",
    "څ": "ts", "ڼ": "n", "ې": "e", "ۍ": "ay", "ګ": "g",
}  # fmt: skip
_ARABIC_BY_LANGUAGE = {"ar": {"ض": "d", "ث": "th", "ذ": "dh"}}
_DEVANAGARI = {
    "क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "n", "च": "ch", "छ": "chh", "ज": "j",
    "झ": "jh", "ञ": "n", "ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n", "त": "t",
    "थ": "th", "द": "d", "ध": "dh", "न": "n", "प": "p", "फ": "ph", "ब": "b", "भ": "bh",
    "म": "m", "य": "y", "र": "r", "ल": "l", "व": "v", "श": "sh", "ष": "sh", "स": "s",
    "ह": "h", "ं": "n", "ँ": "n", "ः": "h",
}  # fmt: skip
_NUKTA = "\u093c"
_WITH_NUKTA = {"क": "q", "ख": "kh", "ग": "gh", "ज": "z", "ड": "r", "ढ": "rh", "फ": "f"}
_GREEK = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th",
    "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "ks", "ο": "o", "π": "p",
    "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "i", "φ": "f", "χ": "h", "ψ": "ps",
    "ω": "o",
}  # fmt: skip
_GEORGIAN = {
    "ა": "a", "ბ": "b", "გ": "g", "დ": "d", "ე": "e", "ვ": "v", "ზ": "z", "თ": "t",
    "ი": "i", "კ": "k", "ლ": "l", "მ": "m", "ნ": "n", "ო": "o", "პ": "p", "ჟ": "zh",
    "რ": "r", "ს": "s", "ტ": "t", "უ": "u", "ფ": "p", "ქ": "k", "ღ": "gh", "ყ": "q",
    "შ": "sh", "ჩ": "ch", "ც": "ts", "ძ": "dz", "წ": "ts", "ჭ": "ch", "ხ": "kh", "ჯ": "j",
    "ჰ": "h",
}  # fmt: skip
# Ge'ez writes a consonant and its vowel as one sign, eight to a row: the row is the
# consonant. First sign of each row -> its consonant ("" for the glottal ones).
_ETHIOPIC_ROWS = {
    0x1200: "h", 0x1208: "l", 0x1210: "h", 0x1218: "m", 0x1220: "s", 0x1228: "r",
    0x1230: "s", 0x1238: "sh", 0x1240: "q", 0x1248: "q", 0x1250: "q", 0x1258: "q",
    0x1260: "b", 0x1268: "v", 0x1270: "t", 0x1278: "ch", 0x1280: "h", 0x1288: "h",
    0x1290: "n", 0x1298: "n", 0x12A0: "", 0x12A8: "k", 0x12B0: "k", 0x12B8: "kh",
    0x12C0: "kh", 0x12C8: "w", 0x12D0: "", 0x12D8: "z", 0x12E0: "zh", 0x12E8: "y",
    0x12F0: "d", 0x12F8: "d", 0x1300: "j", 0x1308: "g", 0x1310: "g", 0x1318: "g",
    0x1320: "t", 0x1328: "ch", 0x1330: "p", 0x1338: "ts", 0x1340: "ts", 0x1348: "f",
    0x1350: "p",
}  # fmt: skip
# Order matters: the letter pairs first, then the digits (so "s7" stays two sounds).
_PAIRS = (
    ("chh", "c"), ("kh", "h"), ("gh", "g"), ("sh", "s"), ("ch", "c"), ("th", "t"),
    ("dh", "d"), ("zh", "z"), ("ph", "f"), ("bh", "b"), ("jh", "j"), ("ts", "c"),
    ("tz", "c"), ("dz", "z"), ("ck", "k"), ("mp", "b"), ("x", "h"), ("q", "k"),
    ("7", "h"), ("5", "h"), ("9", "k"), ("6", "t"), ("8", "t"), ("2", ""), ("3", ""),
)  # fmt: skip
_DROPPED = frozenset("aeiouyvw'’")


def romanize(text: str, lang: str) -> str:
    """Usual chat letters for a word of ``lang`` written in its own script; Latin and
    other text passes unchanged."""
    return "".join(_letters(text, lang))


def script_bones(word: str, lang: str) -> str:
    """The bones of an entry word: its Latin letters' if it is written in Latin letters,
    else those of each letter of its script romanised on its own (so that "نت" + "ح" of
    "انتحار" stays n-t-h, not the pair "th")."""
    if lang not in CHAT_LANGUAGES:
        return ""
    if word.isascii():
        return bones(word)
    return _collapse("".join(bones(letter) for letter in _letters(word, lang)))


def _letters(text: str, lang: str) -> list[str]:
    """One chat spelling per letter of the script. Persian, Urdu and Pashto end many
    words with a silent "ه" that chat writes as a vowel ("خانه", khane): left out."""
    text = unicodedata.normalize("NFC", text.lower())
    if lang in ("ar", "fa", "ur", "ps"):
        table = {**_ARABIC_SCRIPT, **_ARABIC_BY_LANGUAGE.get(lang, {})}
        if lang != "ar" and text.endswith(("ه", "ہ")):
            text = text[:-1]
        return [table.get(ch, ch) for ch in text]
    if lang == "hi":
        return _devanagari(unicodedata.normalize("NFD", text))
    if lang == "el":
        plain = unicodedata.normalize("NFD", text)
        return [_GREEK.get(ch, ch) for ch in plain if not unicodedata.combining(ch)]
    if lang == "ka":
        return [_GEORGIAN.get(ch, ch) for ch in text]
    if lang in ("am", "ti"):
        return [_ethiopic(ch) for ch in text]
    return list(text)


def _devanagari(text: str) -> list[str]:
    """Consonants with their Latin letters; vowel signs and the virama leave none. A dot
    below (nukta) makes another consonant: "ज़" is z, not j."""
    out: list[str] = []
    for place, ch in enumerate(text):
        if ch == _NUKTA:
            continue
        if text[place + 1 : place + 2] == _NUKTA and ch in _WITH_NUKTA:
            out.append(_WITH_NUKTA[ch])
        else:
            out.append(_DEVANAGARI.get(ch, "" if "\u0900" <= ch <= "\u097f" else ch))
    return out


def _ethiopic(ch: str) -> str:
    code = ord(ch)
    if not 0x1200 <= code < 0x1358:
        return ch
    return _ETHIOPIC_ROWS.get(code - (code - 0x1200) % 8, "")


@lru_cache(maxsize=65536)
def bones(word: str) -> str:
    """The consonants of a Latin word with the chat habits made one:
    "ente7ar", "antehar", "inti7ar" -> "nthr"."""
    out = word.lower()
    for spelling, letter in _PAIRS:
        out = out.replace(spelling, letter)
    return _collapse("".join(ch for ch in out if ch not in _DROPPED and ch.isalpha()))


def _collapse(letters: str) -> str:
    """Doubled letters once: chat doubles and undoubles at will ("bache", "bachche")."""
    kept: list[str] = []
    for ch in letters:
        if not kept or kept[-1] != ch:
            kept.append(ch)
    return "".join(kept)
