"""Text normalisation shared by index and query side.

Two forms matter:

* :func:`clean_text` - display quality: entities decoded, then HTML tags removed by a
  real sanitiser (nh3), NFKC,
  control characters and lone surrogates dropped, whitespace collapsed, case
  preserved.  Other engineers use it to clean records, so its name is stable.
* :func:`fold` - the *matching key* for German: case-folded, umlauts and
  ``ß`` folded (``ä``/``ae`` -> ``a``, ``ö``/``oe`` -> ``o``, ``ü``/``ue`` -> ``u``,
  ``ß`` -> ``ss``).  It only needs to be *consistent*; it is applied identically
  to records and queries so ``Straße``~``Strasse`` and
  ``München``~``Muenchen``~``Munchen`` meet.

:func:`script_key` is the script-aware key used by the multilingual glossary
(Cyrillic ``ё``->``е``, Arabic/Persian letter variants, diacritics), kept here
so every module normalises foreign text the same way.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

import nh3

_BR = re.compile(r"<\s*(br|/p|p|/li|li|/div|div)\b[^>]{0,200}>", re.IGNORECASE)
_WS = re.compile(r"\s+")
_TAG_START = re.compile(r"<(?=/?[A-Za-z!])")
# Control chars (except whitespace, handled by _WS), lone surrogates, private use,
# zero-width characters other than ZWNJ (which Persian needs, see script_key).
_JUNK = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff\u200b\u200d\u2060]")
# Anything :func:`clean_text` would change, except NFKC and outer spaces (checked apart):
# markup, entities, junk, whitespace other than single spaces.
_NEEDS_CLEANING = re.compile(r"[<&]|\s\s|[^\S ]|" + _JUNK.pattern)
# "ue" is an umlaut spelling except after q/a/e (Quelle, Bauer, neue).
_UE = re.compile(r"(?<![qae])ue")
_AE = re.compile(r"ae")
_OE = re.compile(r"oe")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
UNSPACED = re.compile("[\u3040-\u9fff]")  # kana and CJK ideographs: no spaces between words
# Umlauts and ß, and the letters that are not a base letter plus a mark (so NFD keeps
# them) but are typed as one on a German keyboard: Vietnamese đ ("diem" for "điểm"),
# Polish ł, Danish/Norwegian ø, Turkish dotless ı ("yardim" for "yardım"), Maltese ħ.
_UMLAUT = str.maketrans(
    {
        "ä": "a",
        "ö": "o",
        "ü": "u",
        "ß": "ss",
        "ẞ": "ss",
        "đ": "d",
        "ł": "l",
        "ø": "o",
        "ı": "i",
        "ħ": "h",
    }
)


def strip_junk(text: str) -> str:
    """Remove control characters and lone surrogates (they break JSON and ES)."""
    return _JUNK.sub("", text)


def clean_text(text: str) -> str:
    """Return display-quality text: no HTML, entities decoded, NFKC, single spaces.

    Entities are decoded *after* tags are stripped so that ``&lt;b&gt;`` stays
    visible text instead of being turned into a tag and removed. Text that is clean
    already (every stored record, cleaned once at import) is returned after one scan.
    """
    if not text:
        return ""
    if (
        isinstance(text, str)
        and _NEEDS_CLEANING.search(text) is None
        and text[0] != " "
        and text[-1] != " "
        and unicodedata.is_normalized("NFKC", text)
    ):
        return text
    return _clean(text)


def _clean(text: str) -> str:
    """Decode, then sanitise: block tags become spaces, entities are decoded, and only then
    does a real HTML parser (Ammonia, through ``nh3``) drop every tag, so that
    ``&lt;img onerror=…&gt;`` cannot survive as markup and "Alter: < 18 oder > 65" keeps
    its text (a regular expression for tags took "< 18 oder >" for one).
    """
    text = strip_junk(str(text))
    text = _BR.sub(" ", text)
    # NFKC before the parser sees the text: "<º" is text to it, but NFKC makes it "<o", which
    # a second cleaning would take for a tag (cleaning must be idempotent).
    text = unicodedata.normalize("NFKC", html.unescape(text))
    if "<" in text:
        text = _TAG_START.sub(" <", text)  # a tag separates words ("Schulden</b>&amp;")
        # Ammonia escapes the text it keeps ("<" of "< 18" → "&lt;"); decoding that once
        # more gives the text back, and cannot recreate a tag: tags are gone by now.
        text = html.unescape(nh3.clean(text, tags=set(), clean_content_tags={"script", "style"}))
    text = unicodedata.normalize("NFKC", text)
    text = strip_junk(text)  # entities may decode to control characters
    return _WS.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def _fold_word(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().translate(_UMLAUT)
    if not text.isascii():
        # NFD would turn Cyrillic й into и; there only ё is unified.
        text = text.replace("ё", "е") if _CYRILLIC.search(text) else strip_marks(text)
    # Repeat to a fixpoint so fold(fold(x)) == fold(x) ("aee", "oeue").
    for _ in range(len(text)):
        before = text
        text = _OE.sub("o", _AE.sub("a", _UE.sub("u", text)))
        if text == before:
            break
    return text


def fold(text: str) -> str:
    """Return the canonical German matching key (lower case, umlauts/ß folded).

    Memoised per string because vocabulary repeats heavily across records.
    """
    if not text:
        return ""
    if len(text) > 64:
        return _fold_word.__wrapped__(text)
    return _fold_word(text)


# --- script-aware keys for the multilingual glossary -------------------------

_AR_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_AR_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ی": "ي",
        "ئ": "ي",
        "ک": "ك",
        "ؤ": "و",
        "ۀ": "ه",
        "ې": "ي",  # Pashto letters typed with their Persian/Arabic look-alikes
        "ۍ": "ي",
        "ګ": "گ",
        "\u200c": " ",  # ZWNJ: Persian writes it inside words, users often type a space
        "ё": "е",
        "Ё": "е",
        "ʼ": "",
        "'": "",
        "’": "",
        "`": "",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ı": "i",
        "ß": "ss",
    }
)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def strip_marks(text: str) -> str:
    """Remove combining marks (Latin diacritics) after NFD; keeps base letters."""
    decomposed = unicodedata.normalize("NFD", text)
    out = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", out)


def script_key(text: str) -> str:
    """See :func:`_script_key`; words (short strings) are memoised, as they repeat."""
    if len(text) > 64:
        return _script_key(text)
    return _cached_script_key(text)


def _script_key(text: str) -> str:
    """Normalise text of any supported script into a comparison form.

    Lower case, Arabic diacritics/tatweel removed, Arabic/Persian letter variants
    unified (ي/ی, ك/ک, أ/إ/آ/ا, ة/ه), Cyrillic ``ё``->``е``, apostrophes dropped
    (Ukrainian ``сім'я``), Latin diacritics stripped (``ł``->``l``,
    ``danışmanlık``->``danismanlik``, Vietnamese typed without tones).  Cyrillic
    ``й`` is preserved because NFD would split it into ``и`` + breve.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    text = _AR_DIACRITICS.sub("", text)
    text = text.translate(_AR_LETTERS).translate(_DIGITS)
    if any("\u0400" <= ch <= "\u04ff" for ch in text):
        text = text.replace("й", "\x00")
        return strip_marks(text).replace("\x00", "й")
    return strip_marks(text)


_cached_script_key = lru_cache(maxsize=131072)(_script_key)
