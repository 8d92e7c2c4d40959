"""Word → service-type associations learnt from the directory's own texts.

The curated vocabulary knows what someone typed into a list. Providers describe
themselves with the words people meet in their lives ("Mahnbescheid", "Inkasso",
"Räumungsklage", "Pflegekasse"), so the directory itself says which words indicate which
service type: a word that occurs in at least :data:`MIN_RECORDS` records, most of them
filed under one type (share at least :data:`MIN_SHARE`) and far more often than that type's
share of the directory (lift at least :data:`MIN_LIFT`), points to that type.

:func:`learn` is pure: records in, a plain table out. The indexer computes it on every
rebuild and stores it with the new index, so the table always belongs to the records
being searched; the query side (``analyze_query(..., learned=...)``) uses it for words no
curated trigger met, weighted below curated concepts (:data:`WEIGHT`) and shown in the
explanation as kind ``learned``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from analyzers.record import index_tokens

MIN_RECORDS = 3
MIN_SHARE = 0.5
MIN_LIFT = 4.0
MIN_LETTERS = 5
MAX_CODES = 2  # service types kept per word
WEIGHT = 0.6  # a learned association's concept weight at share 1.0

Learned = Mapping[str, tuple[tuple[str, float], ...]]


def stem(word: str) -> str:
    """A German word without its inflection ending, so "Vergleichsangebote" meets "…angebot"."""
    for ending in ("en", "er", "es", "e", "n", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= MIN_LETTERS:
            return word[: -len(ending)]
    return word


def _words(record: Mapping[str, Any]) -> set[str]:
    text = f"{record.get('name') or ''} {record.get('description') or ''}"
    return {stem(t) for t in index_tokens(text) if len(t) >= MIN_LETTERS and t.isalpha()}


def learn(records: Iterable[Mapping[str, Any]], known: frozenset[str] = frozenset()) -> Learned:
    """The association table of ``records`` (words of ``known`` are left to the curators)."""
    known_stems = {stem(k) for k in known}
    per_code: Counter[str] = Counter()
    per_word: dict[str, Counter[str]] = defaultdict(Counter)
    total = 0
    for record in records:
        codes = record.get("categories") or []
        if not codes:
            continue
        main = str(codes[0])
        total += 1
        per_code[main] += 1
        for word in _words(record):
            if word not in known and word not in known_stems:
                per_word[word][main] += 1
    table: dict[str, tuple[tuple[str, float], ...]] = {}
    for word, counts in per_word.items():
        records_with = sum(counts.values())
        if records_with < MIN_RECORDS:
            continue
        kept = []
        for code, n in counts.most_common(MAX_CODES):
            share = n / records_with
            lift = share / (per_code[code] / total)
            if n >= MIN_RECORDS and share >= MIN_SHARE and lift >= MIN_LIFT:
                kept.append((code, round(share, 3)))
        if kept:
            table[word] = tuple(kept)
    return dict(sorted(table.items()))


def to_json(table: Learned) -> dict[str, list[list[Any]]]:
    """The table as JSON (stored in the index's ``_meta``)."""
    return {word: [[code, share] for code, share in codes] for word, codes in table.items()}


def from_json(data: Mapping[str, Any] | None) -> Learned:
    """The table from its JSON form; anything malformed is left out, never raised."""
    table: dict[str, tuple[tuple[str, float], ...]] = {}
    for word, codes in (data or {}).items():
        try:
            table[str(word)] = tuple((str(code), float(share)) for code, share in codes)
        except (TypeError, ValueError):
            continue
    return table
