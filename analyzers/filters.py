"""Implied filters: district, service language, cost and accessibility.

"Kita Sonnenberg", "Beratung auf Arabisch", "kostenlos", "barrierefrei" are not
content words but constraints.  Patterns live in ``data/filters.txt``
(``[field=value]`` sections; a trailing ``*`` matches any ending, so
``kostenlos*`` also covers "kostenlose", ``бесплатн*`` all Russian forms) and
the district gazetteer in ``data/districts.txt`` (``Canonical: alias, ...``;
values exactly as stored in records, e.g. "Schloßchemnitz").  All keys are
compared folded, so "Schlosschemnitz" and "Schloßchemnitz" are the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from analyzers.errors import ResourceFormatError
from analyzers.normalize import UNSPACED, fold, script_key
from analyzers.resources import content_lines, data_path

FIELDS = ("district", "language", "cost", "wheelchair")


@dataclass(frozen=True, slots=True)
class Pattern:
    field: str
    value: str
    words: tuple[str, ...]  # keys; a word ending in "*" is a prefix


def key(word: str) -> str:
    """Comparison key of a query word for filter patterns."""
    return fold(script_key(word)).replace("-", "")


def _pattern_words(phrase: str) -> tuple[str, ...]:
    return tuple(
        key(w[:-1]) + "*" if w.endswith("*") else key(w) for w in phrase.split() if w.strip()
    )


@lru_cache(maxsize=1)
def patterns() -> tuple[Pattern, ...]:
    out: list[Pattern] = []
    path = data_path("filters.txt")
    current: tuple[str, str] | None = None
    for number, line in content_lines(path):
        if line.startswith("["):
            body = line.strip("[]")
            field, _, value = body.partition("=")
            if field not in FIELDS or not value or not line.endswith("]"):
                raise ResourceFormatError(path.name, number, f"bad section header {line!r}")
            current = (field, value)
            continue
        if current is None:
            raise ResourceFormatError(path.name, number, "pattern before the first section")
        for phrase in line.split(","):
            words = _pattern_words(phrase)
            if not words:
                raise ResourceFormatError(path.name, number, "empty pattern")
            out.append(Pattern(current[0], current[1], words))
    path = data_path("districts.txt")
    for number, line in content_lines(path):
        canonical, sep, aliases = line.partition(":")
        if not canonical.strip():
            raise ResourceFormatError(path.name, number, "missing district name")
        names = [canonical.strip()] + ([a.strip() for a in aliases.split(",")] if sep else [])
        for name in names:
            if not name:
                raise ResourceFormatError(path.name, number, "empty alias")
            out.append(Pattern("district", canonical.strip(), _pattern_words(name)))
            joined = key(name.replace(" ", ""))
            if " " in name or "-" in name:
                out.append(Pattern("district", canonical.strip(), (joined,)))
    # Longest patterns first so "auf arabisch" wins over "arabisch".
    return tuple(sorted(out, key=lambda p: -len(p.words)))


@lru_cache(maxsize=1)
def city_keys() -> frozenset[str]:
    """Keys of the directory's own city's names (``data/city.txt``): no content word."""
    return frozenset(key(line) for _, line in content_lines(data_path("city.txt")))


@lru_cache(maxsize=1)
def _by_first() -> dict[str, list[Pattern]]:
    table: dict[str, list[Pattern]] = {}
    for pattern in patterns():
        first = pattern.words[0]
        table.setdefault(first[:3] if first.endswith("*") else first, []).append(pattern)
    return table


@lru_cache(maxsize=1)
def _unspaced() -> tuple[Pattern, ...]:
    """One-word patterns in a script written without spaces ("免费", free): a Chinese query
    is a single token, so they are looked for inside it."""
    return tuple(p for p in patterns() if len(p.words) == 1 and UNSPACED.search(p.words[0]))


def _word_matches(pattern_word: str, word: str) -> bool:
    if pattern_word.endswith("*"):
        return word.startswith(pattern_word[:-1])
    return word == pattern_word


def find(words: list[str]) -> list[tuple[str, str, int, int]]:
    """Filters implied by ``words`` (already keyed): ``(field, value, start, end)``.

    Spans never overlap; the longest pattern at a position wins. A pattern found inside a
    word of an unspaced script gives an empty span (``start == end``) at that word.
    """
    table = _by_first()
    found: list[tuple[str, str, int, int]] = []
    i = 0
    while i < len(words):
        word = words[i]
        candidates = table.get(word, []) + table.get(word[:3], [])
        best: Pattern | None = None
        for pattern in candidates:
            n = len(pattern.words)
            if i + n > len(words):
                continue
            if (best is None or n > len(best.words)) and all(
                _word_matches(p, words[i + k]) for k, p in enumerate(pattern.words)
            ):
                best = pattern
        if best is None and UNSPACED.search(word):
            inside = next((p for p in _unspaced() if p.words[0].rstrip("*") in word), None)
            if inside is not None:  # an empty span: the word stays a content word
                found.append((inside.field, inside.value, i, i))
            i += 1
            continue
        if best is None:
            i += 1
            continue
        found.append((best.field, best.value, i, i + len(best.words)))
        i += len(best.words)
    return found
