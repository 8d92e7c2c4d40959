"""Curated German synonyms in Solr synonym syntax, loaded once and validated.

Files under ``data/synonyms/*.txt`` hold one rule a line:

* ``a, b, c``        - equivalence: any of them expands to all others
* ``a, b => c, d``   - one-way: a query containing ``a`` or ``b`` also searches
  ``c`` and ``d`` (but not vice versa)

Multi-word phrases are allowed.  Terms are stored as tuples of *index keys*
(folded lemmas, the same form as :class:`~analyzers.RecordAnalysis` tokens), so
"Hartz IV" and "hartz 4" written in the file meet what users type.  Malformed
lines raise :class:`~analyzers.errors.SynonymFormatError` with file, line number
and reason at start-up; a broken resource must never degrade silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analyzers.errors import SynonymFormatError
from analyzers.resources import list_dir, read_text

Phrase = tuple[str, ...]
MAX_PHRASE_WORDS = 6


@dataclass(frozen=True, slots=True)
class SynonymRule:
    sources: tuple[str, ...]  # phrases as written
    targets: tuple[str, ...]  # for equivalences, identical to sources
    line: int
    file: str


def _split_terms(side: str, file: str, line: int) -> tuple[str, ...]:
    terms = tuple(t.strip() for t in side.split(","))
    if any(not t for t in terms):
        raise SynonymFormatError(file, line, "empty term (doubled or trailing comma?)")
    for term in terms:
        if len(term.split()) > MAX_PHRASE_WORDS:
            raise SynonymFormatError(file, line, f"phrase too long: {term!r}")
        if any(ch in term for ch in "=>[]{}|"):
            raise SynonymFormatError(file, line, f"unexpected character in {term!r}")
    return terms


def parse_rules(text: str, file: str = "<string>") -> list[SynonymRule]:
    """Parse Solr synonym syntax; raise SynonymFormatError on the first bad line."""
    rules: list[SynonymRule] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.count("=>") > 1:
            raise SynonymFormatError(file, number, "more than one '=>'")
        if "=>" in line:
            left, right = line.split("=>")
            if not left.strip() or not right.strip():
                raise SynonymFormatError(file, number, "'=>' needs terms on both sides")
            sources = _split_terms(left, file, number)
            targets = _split_terms(right, file, number)
        else:
            sources = targets = _split_terms(line, file, number)
            if len(sources) < 2:
                raise SynonymFormatError(file, number, "an equivalence needs at least two terms")
        rules.append(SynonymRule(sources, targets, number, file))
    return rules


def phrase_key(phrase: str) -> Phrase:
    """Index-key form of a phrase: folded lemmas of its words, stop words dropped
    (the index drops them too)."""
    from analyzers.tokens import is_stop, lemma, tokenize

    keys: list[str] = []
    for token in tokenize(phrase):
        keys.extend(lemma(piece) for piece in token.pieces)
    return tuple(k for k in keys if k and not is_stop(k))


# Stop words that carry a phrase's meaning: "keine Kohle" is no coal, "Papa geworden" no
# father, "Miete offen" no rent, "nach dem Knast" no prison.
MEANING_STOPS = frozenset(
    {"kein", "keine", "keinen", "keiner", "ohne", "nicht", "nichts", "nach", "aus", "offen",
     "geworden", "worden", "werden", "kleine", "kleinen", "schlechte", "was"}
)  # fmt: skip


def hollow(phrase: str, keys: Phrase) -> bool:
    """A phrase of several words whose meaning lived in its stop words.

    "ohne Wohnung", "kein Geld", "auf der Straße", "wo schlafen": without "ohne", "kein",
    "wo" the key is the everyday word alone, and every query with "Wohnung" or "Straße"
    would read as homelessness; likewise a phrase whose one key is any word but lost a
    word of :data:`MEANING_STOPS` ("Papa geworden" read every "Papa" as a new father).
    Such a phrase is left out of the synonym map and counts only word for word.
    """
    from analyzers.glossary import everyday_words
    from analyzers.normalize import fold

    if len(keys) != 1 or len(phrase.split()) < 2:
        return False
    words = set(fold(phrase.lower()).split())
    return keys[0] in everyday_words("de") or bool(words & MEANING_STOPS)


@dataclass(frozen=True, slots=True)
class SynonymMap:
    """Phrase key -> expansion phrase keys (excluding itself)."""

    table: dict[Phrase, tuple[Phrase, ...]]
    max_words: int
    rule_count: int

    def lookup(self, key: Phrase) -> tuple[Phrase, ...]:
        return self.table.get(key, ())


def build_map(rules: Iterable[SynonymRule]) -> SynonymMap:
    table: dict[Phrase, list[Phrase]] = {}
    count = 0
    longest = 1
    for rule in rules:
        count += 1
        sources = [phrase_key(s) for s in rule.sources if not hollow(s, phrase_key(s))]
        targets = [phrase_key(t) for t in rule.targets if not hollow(t, phrase_key(t))]
        for source in sources:
            if not source:
                raise SynonymFormatError(rule.file, rule.line, "term has no words")
            longest = max(longest, len(source))
            bucket = table.setdefault(source, [])
            for target in targets:
                if target and target != source and target not in bucket:
                    bucket.append(target)
    return SynonymMap({k: tuple(v) for k, v in table.items()}, longest, count)


def load_files(paths: Iterable[Path]) -> SynonymMap:
    rules: list[SynonymRule] = []
    for path in paths:
        rules.extend(parse_rules(read_text(path), path.name))
    return build_map(rules)


@lru_cache(maxsize=1)
def synonyms() -> SynonymMap:
    """The bundled German synonym map (parsed and validated once)."""
    return load_files(list_dir("synonyms"))
