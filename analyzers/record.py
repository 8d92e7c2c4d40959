"""Document-side analysis: records -> whitespace-joined folded index tokens.

Every field is turned into the same token form the query side produces
(surface fold + lemma + compound parts, stop words dropped), so Elasticsearch
only needs a whitespace analyser.

Results are memoised per space-separated chunk ("Beratung,", "Sucht-"). spaCy's
tokenizer splits on spaces before anything else and handles each chunk on its own,
so a chunk yields the same tokens alone as inside its sentence; a directory re-uses a
small vocabulary, so analysing a record is mostly dictionary lookups. This is what
lets two worker processes keep up with >= 3,000 records/s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from analyzers import taxonomy
from analyzers.compounds import split
from analyzers.concepts import german_entries
from analyzers.models import RecordAnalysis
from analyzers.normalize import clean_text
from analyzers.tokens import Token, is_stop, lemma, tokenize

MAX_FIELD_CHARS = 20_000
_SUGGEST_SPLIT = re.compile(r"\s+[-–—|:]\s+|[(),;]")


@lru_cache(maxsize=200_000)
def _piece_terms(piece: str) -> tuple[str, ...]:
    from analyzers.normalize import fold

    folded = fold(piece)
    if not folded or is_stop(folded):
        return ()
    out = [folded]
    base = lemma(piece)
    if base and base != folded:
        out.append(base)
    for part in split(piece):
        if part not in out:
            out.append(part)
    return tuple(out)


def token_terms(token: Token) -> tuple[str, ...]:
    """Index terms of one token (hyphenated words: joined form + every piece)."""
    if len(token.pieces) == 1:
        return _piece_terms(token.pieces[0])
    out: list[str] = []
    joined = token.folded
    if joined and not is_stop(joined):
        out.append(joined)
    for piece in token.pieces:
        out.extend(t for t in _piece_terms(piece) if t not in out)
    return tuple(out)


def index_tokens(text: str) -> tuple[str, ...]:
    """Index terms of ``text``, token by token (the reference for :func:`field_terms`)."""
    return tuple(term for token in tokenize(text) for term in token_terms(token))


@lru_cache(maxsize=400_000)
def _chunk_terms(chunk: str) -> tuple[str, ...]:
    return index_tokens(chunk)


def field_terms(text: str) -> str:
    """Index terms of a cleaned text (single spaces), joined for the whitespace analyser."""
    return " ".join(term for chunk in text.split(" ") if chunk for term in _chunk_terms(chunk))


@lru_cache(maxsize=1024)
def category_terms(code: str) -> tuple[str, ...]:
    """Index tokens describing a category: German label and all German triggers.

    Written into ``RecordAnalysis.categories`` so a synonym query meets records
    whose text never uses the word but whose category means it.
    """
    seen: dict[str, None] = {}
    for entry, _ in german_entries():
        if entry.code == code:
            for token in index_tokens(entry.phrase):
                seen.setdefault(token, None)
    return tuple(seen)


@lru_cache(maxsize=4096)
def _categories_field(codes: tuple[str, ...]) -> str:
    seen: dict[str, None] = {}
    for code in codes:
        for term in category_terms(code):
            seen.setdefault(term, None)
    return " ".join(seen)


def _codes(record: Mapping[str, Any]) -> tuple[str, ...]:
    raw = record.get("categories") or ()
    if isinstance(raw, str):
        raw = [raw]
    return tuple(c for c in raw if isinstance(c, str) and taxonomy.exists(c))


def _suggest(name: str, codes: Sequence[str]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    if name:
        out[name] = None
        for piece in _SUGGEST_SPLIT.split(name):
            piece = piece.strip()
            if len(piece) >= 3 and piece != name:
                out[piece] = None
        words = name.split()
        if len(words) > 2:
            out[" ".join(words[:2])] = None
    for code in codes:
        out[taxonomy.label(code, "de")] = None
    return tuple(list(out)[:12])


def _text(record: Mapping[str, Any], field: str) -> str:
    value = record.get(field)
    return clean_text(value[:MAX_FIELD_CHARS]) if isinstance(value, str) else ""


def analyze_records(records: Iterable[Mapping[str, Any]]) -> list[RecordAnalysis]:
    """Analyse many records (a malformed entry analyses as an empty record)."""
    out: list[RecordAnalysis] = []
    for record in records:
        if not isinstance(record, Mapping):
            record = {}
        name = _text(record, "name")
        description = _text(record, "description")
        codes = _codes(record)
        out.append(
            RecordAnalysis(
                name=field_terms(name),
                organization=field_terms(_text(record, "organization")),
                description=field_terms(description),
                categories=_categories_field(codes),
                clean_description=description,
                suggest=_suggest(name, codes),
            )
        )
    return out


def analyze_record(record: Mapping[str, Any]) -> RecordAnalysis:
    """Analyse one record (see :func:`analyze_records` for batches)."""
    return analyze_records([record])[0]
