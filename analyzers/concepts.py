"""German concepts: every taxonomy code with label, synonyms and everyday needs.

``data/concepts/de.txt`` lists, per code, the phrases that should map a query to
that category (``[geld/schuldnerberatung]`` followed by comma-separated
phrases).  Mapping query text to weighted taxonomy codes is the strongest
relevance signal because records carry category codes.  The same file format is
used by the foreign-language glossary (:mod:`analyzers.glossary`), so
:func:`parse_entries` lives here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analyzers import filters, taxonomy
from analyzers.errors import GlossaryFormatError
from analyzers.matching import PhraseIndex, Trigger
from analyzers.resources import content_lines, data_path, list_dir, read_text
from analyzers.synonyms import hollow


@dataclass(frozen=True, slots=True)
class Entry:
    code: str
    phrase: str
    line: int


def parse_entries(text: str, file: str = "<string>") -> list[Entry]:
    """Parse ``[code]`` sections of comma-separated phrases, validating codes."""
    known = set(taxonomy.codes())
    entries: list[Entry] = []
    code: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            if not line.endswith("]") or len(line) < 3:
                raise GlossaryFormatError(file, number, "section header must look like [code]")
            code = line[1:-1].strip()
            if code not in known:
                raise GlossaryFormatError(file, number, f"unknown taxonomy code {code!r}")
            continue
        if code is None:
            raise GlossaryFormatError(file, number, "phrase before the first [code] header")
        for phrase in line.split(","):
            phrase = phrase.strip()
            if not phrase:
                raise GlossaryFormatError(file, number, "empty phrase (doubled or trailing comma?)")
            entries.append(Entry(code, phrase, number))
    return entries


def load_entries(path: Path) -> list[Entry]:
    return parse_entries(read_text(path), path.name)


def german_keys(phrase: str) -> tuple[str, ...]:
    """Folded lemmas of a German phrase without stop words (matching keys)."""
    from analyzers.tokens import is_stop, lemma, tokenize

    keys: list[str] = []
    for token in tokenize(phrase):
        for piece in token.pieces:
            key = lemma(piece)
            if key and not is_stop(key):
                keys.append(key)
    return tuple(keys)


@lru_cache(maxsize=1)
def german_entries() -> tuple[tuple[Entry, str], ...]:
    """(entry, kind) for taxonomy labels (kind "label") and the concept file."""
    out: list[tuple[Entry, str]] = [
        (Entry(code, taxonomy.label(code, "de"), 0), "label") for code in taxonomy.codes()
    ]
    out.extend((e, "synonym") for e in load_entries(data_path("concepts/de.txt")))
    return tuple(out)


def situation_language(path: Path) -> str:
    """``situations/en-more.txt`` holds English: a file's language is its name up to "-"."""
    return path.stem.split("-")[0]


PHRASE_GAP: int | None = None  # words allowed between a phrase's words (None: any; measured best)


def _literal(phrase: str, keys: tuple[str, ...]) -> str:
    """A hollow phrase ("ohne Wohnung", :func:`analyzers.synonyms.hollow`) counts only where
    the query contains it word for word: its stop words are its meaning."""
    from analyzers.normalize import fold

    return " ".join(fold(phrase.lower()).split()) if hollow(phrase, keys) else ""


def _everyday() -> frozenset[str]:
    """Keys of German everyday words ("Kind", "Eltern", "Schule", "arbeiten"): two of them
    and a missing word are no situation ("Eltern, deren Kind …" is no "Kind schlägt Eltern")."""
    from analyzers.tokens import lemma

    return frozenset(lemma(word) for _, word in content_lines(data_path("common/de.txt")))


@lru_cache(maxsize=1)
def german_index() -> PhraseIndex:
    from analyzers.compounds import split

    index = PhraseIndex(
        fuzzy=True, slack=2, max_gap=PHRASE_GAP, common=filters.city_keys(), everyday=_everyday()
    )
    for entry, kind in german_entries():
        keys = german_keys(entry.phrase)
        literal = _literal(entry.phrase, keys)
        index.add(Trigger(entry.code, entry.phrase, keys, kind, "de", literal=literal))
        # A compound trigger also matches its parts written apart
        # ("Schuldnerberatung" <- "Schuldner Beratung").
        parts: list[str] = []
        for key in keys:
            parts.extend(split(key) or (key,))
        if len(parts) > len(keys) and not literal:
            index.add(Trigger(entry.code, entry.phrase, tuple(parts), kind, "de", 0.9, True))
    # Everyday situations ("Strom abgestellt", "Gerichtsvollzieher") reach the query side
    # only: written into records' category terms they would blur what a record is about.
    for path in list_dir("situations"):
        if situation_language(path) == "de":
            for entry in load_entries(path):
                keys = german_keys(entry.phrase)
                literal = _literal(entry.phrase, keys)
                index.add(
                    Trigger(entry.code, entry.phrase, keys, "situation", "de", literal=literal)
                )
    return index


@lru_cache(maxsize=1024)
def primary_phrases(code: str, limit: int = 3) -> tuple[tuple[str, ...], ...]:
    """The first German phrases of a concept, as index-key tuples.

    Used as "translation" expansions for foreign-language queries: a query
    "debt advice" also searches the German words "schuldnerberatung", "schulden".
    """
    out: list[tuple[str, ...]] = []
    for entry, _ in german_entries():
        if entry.code == code:
            keys = german_keys(entry.phrase)
            if keys and keys not in out and not hollow(entry.phrase, keys):
                out.append(keys)
        if len(out) >= limit:
            break
    return tuple(out)
