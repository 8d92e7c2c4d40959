"""Multilingual concept glossary: foreign query phrases -> taxonomy codes.

One reviewable file per language under ``data/glossary/<lang>.txt`` (same
``[code]`` format as the German concept file) for en, ru, uk, ar, tr, fa, vi,
pl; the taxonomy's own area labels (en/ru/uk/ar/tr) are added automatically.
Phrases are keyed by :func:`analyzers.normalize.script_key` + a light
language-aware stem, so one entry covers case forms (ru/uk/pl), plurals (en),
the Arabic article and diacritics, and Persian/Arabic letter variants.
"""

from __future__ import annotations

from functools import lru_cache

from analyzers import taxonomy
from analyzers.concepts import load_entries
from analyzers.matching import PhraseIndex, Trigger, stem
from analyzers.normalize import script_key
from analyzers.resources import data_path

LANGUAGES = ("en", "ru", "uk", "ar", "tr", "fa", "vi", "pl")

STOP_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "a",
            "an",
            "the",
            "for",
            "of",
            "in",
            "on",
            "at",
            "to",
            "with",
            "and",
            "or",
            "my",
            "our",
            "your",
            "me",
            "i",
            "we",
            "need",
            "want",
            "looking",
            "where",
            "is",
            "are",
            "near",
            "by",
            "from",
            "please",
            "some",
            "any",
        ]
    ),
    "ru": frozenset(
        [
            "в",
            "во",
            "на",
            "по",
            "для",
            "с",
            "со",
            "и",
            "или",
            "у",
            "к",
            "о",
            "об",
            "от",
            "мне",
            "мой",
            "моя",
            "я",
            "где",
            "нужна",
            "нужен",
            "нужно",
        ]
    ),
    "uk": frozenset(
        [
            "в",
            "у",
            "на",
            "по",
            "для",
            "з",
            "із",
            "зі",
            "та",
            "і",
            "й",
            "або",
            "до",
            "про",
            "від",
            "мені",
            "мій",
            "моя",
            "я",
            "де",
            "потрібна",
        ]
    ),
    "ar": frozenset(["في", "من", "على", "الى", "إلى", "عن", "مع", "و", "او", "أو", "لل", "ل", "ب"]),
    "fa": frozenset(["در", "از", "به", "با", "و", "یا", "برای", "را", "که"]),
    "tr": frozenset(["ve", "ile", "için", "bir", "bu", "da", "de"]),
    "vi": frozenset(["và", "cho", "của", "với", "ở", "tại"]),
    "pl": frozenset(
        ["w", "we", "na", "po", "dla", "z", "ze", "i", "lub", "do", "o", "od", "mi", "moja", "mój"]
    ),
}
ALL_STOPS = frozenset(script_key(w) for s in STOP_WORDS.values() for w in s)


def phrase_keys(phrase: str, lang: str) -> tuple[str, ...]:
    # The query side drops every language's stop words (it cannot know the
    # language before matching), so triggers must too: otherwise Vietnamese
    # "bảo vệ" keeps "ve" (Turkish "and") and can never be met.
    words = script_key(phrase).replace("-", " ").replace("/", " ").split()
    return tuple(stem(w, lang) for w in words if w and w not in ALL_STOPS)


def query_variants(key: str) -> list[tuple[str, float]]:
    """Stems of one query token under every language whose stemmer differs."""
    out = [(stem(key, "ru"), 1.0)]  # script-based stem (Cyrillic/Arabic) or key itself
    for lang in ("en", "pl"):
        variant = stem(key, lang)
        if all(variant != v for v, _ in out):
            out.append((variant, 1.0))
    return out


@lru_cache(maxsize=1)
def foreign_index() -> PhraseIndex:
    index = PhraseIndex(fuzzy=False)
    for code in taxonomy.codes():
        category = taxonomy.categories()[code]
        for lang, text in category.labels:
            if lang != "de":
                index.add(Trigger(code, text, phrase_keys(text, lang), "label", lang))
    for lang in LANGUAGES:
        path = data_path(f"glossary/{lang}.txt")
        if not path.exists():
            continue
        for entry in load_entries(path):
            index.add(
                Trigger(
                    entry.code, entry.phrase, phrase_keys(entry.phrase, lang), "translation", lang
                )
            )
    return index
