"""Query language detection for 1-3 word queries, German as the prior.

Script says most: Cyrillic -> ru/uk (і ї є ґ only in Ukrainian; ы э ъ ё only in
Russian), Arabic script -> ar/fa (پ چ ژ گ ک ی only in Persian), Georgian, Armenian, Greek,
Devanagari, Ge'ez and Chinese letters -> their one glossary language, Vietnamese
tone letters -> vi, Polish/Turkish special letters -> pl/tr, German umlauts/ß ->
de.  Only Latin text without such letters goes to lingua, restricted to the
Latin-script candidates (de, en, tr, vi, pl) - which also keeps lingua's memory
down.  Glossary hits (which languages' phrases matched) are extra evidence, and
German wins ties because the directory and most users are German.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

_UK = set("іїєґІЇЄҐ")
_RU = set("ыэъёЫЭЪЁ")
_FA = set("پچژگکیۀ")
_VI = set("ơưđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĐƠƯ")
_PL = set("ąćęłńśźżĄĆĘŁŃŚŹŻ")
# Tone letters no other language writes (not "đ", which Croatian and Serbian write too)
_VI_ONLY = _VI - set("đĐ")
_TR = set("ığşİĞŞ")
_DE = set("äöüßÄÖÜẞ")
_PS = set("ټډړږښګڼېۍځڅ")
_UR = set("ٹڈڑںےہھ")
_BG_ONLY = set("ъщ")  # also Russian, but far more frequent in Bulgarian; weighed with evidence
# Languages written in another script, typed in Latin letters (translit and chat triggers).
_ROMANISED = ("ru", "uk", "bg", "ar", "fa", "hi")

_LOCK = threading.Lock()
_DETECTOR: Any = None
_LATIN = ("de", "en", "tr", "vi", "pl", "ro", "cs", "hu", "es", "fr", "it", "sq", "so", "nl")


def _detector() -> Any:
    global _DETECTOR
    if _DETECTOR is None:
        with _LOCK:
            if _DETECTOR is None:
                from lingua import IsoCode639_1, LanguageDetectorBuilder

                codes = [getattr(IsoCode639_1, c.upper()) for c in _LATIN]
                # Low accuracy mode (trigrams only): 0.06 instead of 0.28 ms per query for
                # 13 languages and a few MB instead of 435 MB of models. Short queries gain
                # little from the larger models, and glossary evidence decides most of them.
                builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
                builder = builder.with_low_accuracy_mode().with_preloaded_language_models()
                _DETECTOR = builder.build()
    return _DETECTOR


def _script(text: str) -> str:
    cyr = ara = lat = 0
    for ch in text:
        if "\u0900" <= ch <= "\u097f":
            return "devanagari"
        if "\u1200" <= ch <= "\u139f":
            return "ethiopic"
        if "\u3040" <= ch <= "\u9fff":
            return "cjk"
        if "\u10a0" <= ch <= "\u10ff":
            return "georgian"
        if "\u0531" <= ch <= "\u058f":
            return "armenian"
        if "\u0370" <= ch <= "\u03ff" or "\u1f00" <= ch <= "\u1fff":
            return "greek"
        if "\u0400" <= ch <= "\u04ff":
            cyr += 1
        elif "\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff":
            ara += 1
        elif (
            (ch.isalpha() and ch.isascii())
            or "\u00c0" <= ch <= "\u024f"
            or "\u1e00" <= ch <= "\u1eff"
        ):
            lat += 1
    if cyr >= max(ara, lat) and cyr:
        return "cyrillic"
    if ara >= lat and ara:
        return "arabic"
    return "latin" if lat else "other"


@lru_cache(maxsize=8192)
def _lingua_scores(text: str) -> tuple[tuple[str, float], ...]:
    """lingua's confidence per Latin-script language, memoised per text.

    lingua is the costliest step of analysing a query (≈0.3 ms of ≈0.8 ms) and a pure
    function of the text, while a city's queries repeat heavily ("Kita", "Schuldnerberatung").
    """
    scores = dict.fromkeys(_LATIN, 0.0)
    try:
        for value in _detector().compute_language_confidence_values(text):
            code = value.language.iso_code_639_1.name.lower()
            if code in scores:
                scores[code] = float(value.value)
    except Exception:  # lingua must never take a query down
        scores["de"] = 1.0
    return tuple(scores.items())


def detect(text: str, evidence: dict[str, float] | None = None) -> tuple[str, float]:
    """Return ``(iso_639_1, confidence)`` for a short query.

    ``evidence`` maps languages to the share of query words covered by glossary
    or concept phrases of that language.
    """
    evidence = evidence or {}
    letters = set(text)
    script = _script(text)
    fixed = {
        "devanagari": "hi", "ethiopic": "ti", "cjk": "zh", "georgian": "ka", "armenian": "hy",
        "greek": "el",
    }  # fmt: skip
    if script in fixed:
        return fixed[script], 0.95
    if script == "cyrillic":
        if letters & _UK and not letters & _RU:
            return "uk", 0.95
        if letters & _RU and not letters & _UK:
            return "ru", 0.95
        uk, ru, bg = (evidence.get(lang, 0.0) for lang in ("uk", "ru", "bg"))
        if bg > max(uk, ru) or (letters & _BG_ONLY and bg >= max(uk, ru) and bg):
            return "bg", 0.7
        return ("uk", 0.6) if uk > ru else ("ru", 0.7)
    if script == "arabic":
        if letters & _PS or evidence.get("ps", 0.0) > max(
            evidence.get(k, 0.0) for k in ["ar", "fa"]
        ):
            return "ps", 0.9
        if letters & _UR:
            return "ur", 0.8
        if letters & _FA or evidence.get("fa", 0.0) > evidence.get("ar", 0.0):
            return "fa", 0.9
        return "ar", 0.9
    if script != "latin":
        return "de", 0.2
    romanised = max(_ROMANISED, key=lambda lang: evidence.get(lang, 0.0))
    share = evidence.get(romanised, 0.0)
    latin = max((v for k, v in evidence.items() if k not in _ROMANISED), default=0.0)
    if share >= 0.5 and share > latin:
        return romanised, 0.6
    if letters & _VI:
        return "vi", 0.95
    if letters & _DE and not letters & (_PL | _TR):
        return "de", 0.9
    if letters & _PL:
        return "pl", 0.9
    if letters & _TR:
        return "tr", 0.9
    foreign = max((v for k, v in evidence.items() if k != "de"), default=0.0)
    if evidence.get("de", 0.0) >= 0.5 and foreign == 0.0:
        # German vocabulary covers the query and no other glossary speaks: lingua would
        # cost a tenth of a millisecond to agree.
        return "de", 0.8
    scores = dict(_lingua_scores(text))
    for lang, share in evidence.items():
        if lang in scores or lang == "ku":  # Kurmanji: a glossary, no lingua model
            scores[lang] = scores.get(lang, 0.0) + 0.6 * share
    scores["de"] += 0.15  # prior: the directory and most of its users are German
    best = max(scores, key=lambda k: scores[k])
    total = sum(scores.values()) or 1.0
    return best, round(min(1.0, scores[best] / total), 3)


def vietnamese(text: str) -> bool:
    """Whether ``text`` is written in Vietnamese letters (two tone letters no other language
    writes). Folded to plain letters, its syllables are the short words of a dozen Latin
    languages ("mọi" -> French "moi", "sáng" -> "sang", blood)."""
    return len(_VI_ONLY & set(text)) >= 2


def latin(text: str) -> bool:
    """Whether every letter of ``text`` is a Latin one, with every accent Vietnamese writes
    (Latin-1 to Extended Additional): only such text can be Vietnamese."""
    return all(ord(ch) < 0x250 or 0x1E00 <= ord(ch) <= 0x1EFF for ch in text if ch.isalpha())
