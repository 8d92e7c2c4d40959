"""The German and English words people type, told apart from languages chatted in Latin
letters (:mod:`analyzers.chat_spelling`): "Hals" is no "خلاص" (khalas, it is over), "skat"
no Greek "σκοτωθεί", "homeless" no Arabic "حامل" (pregnant), though their consonants are.

German is every form and lemma of spaCy's lookup lemmatiser, which the analysis loads
anyway; English the most frequent words of spaCy's English lexeme probabilities (from
``spacy-lookups-data``, installed with spaCy's tables: no download). Beyond
:data:`ENGLISH_WORDS` the list is web text of every language ("zindagi", "mera").
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from importlib import resources

ENGLISH_WORDS = 50_000  # the commonest English words counted as English


@lru_cache(maxsize=65536)
def known(word: str) -> bool:
    """Whether ``word`` is a German form or lemma or a common English word, as typed, in
    lower case or capitalised."""
    from analyzers.tokens import lemma_table

    table = lemma_table()
    lower = word.lower()
    forms = (word, lower, lower[:1].upper() + lower[1:])
    german = _german_lemmas()
    return lower in _english() or any(form in table or form in german for form in forms)


@lru_cache(maxsize=1)
def _german_lemmas() -> frozenset[str]:
    from analyzers.tokens import lemma_table

    return frozenset(lemma_table().values())


@lru_cache(maxsize=1)
def _english() -> frozenset[str]:
    path = resources.files("spacy_lookups_data") / "data" / "en_lexeme_prob.json.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
        probability: dict[str, float] = json.load(handle)
    common = sorted(probability, key=lambda w: -probability[w])[:ENGLISH_WORDS]
    return frozenset(w.lower() for w in common)
