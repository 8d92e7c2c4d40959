"""Result types of the analyzers: frozen, slotted, JSON-ready.

These shapes are the contract with the indexer and the API; fields may be
added, never renamed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def _flat(item: Any) -> dict[str, Any]:
    """The fields of a flat result dataclass, tuples as lists."""
    out: dict[str, Any] = {}
    for name in item.__dataclass_fields__:
        value = getattr(item, name)
        out[name] = list(value) if isinstance(value, tuple) else value
    return out


@dataclass(frozen=True, slots=True)
class WordAnalysis:
    """One content word of the query (stop words and filter words removed)."""

    text: str
    folded: str
    lemma: str
    parts: tuple[str, ...]
    fuzzy: bool


@dataclass(frozen=True, slots=True)
class Expansion:
    """Index terms that must all match together, with a relevance weight."""

    terms: tuple[str, ...]
    weight: float
    kind: str  # "original" | "lemma" | "compound" | "synonym" | "translation"
    source: str


@dataclass(frozen=True, slots=True)
class ConceptMatch:
    code: str
    weight: float
    via: str
    kind: (
        str  # "label" | "synonym" | "translation" | "situation" | "phonetic" | "learned" | "crisis"
    )


@dataclass(frozen=True, slots=True)
class ImpliedFilter:
    field: str  # "district" | "language" | "cost" | "wheelchair"
    value: str
    text: str


@dataclass(frozen=True, slots=True)
class CrisisSignal:
    """Acute danger the query expresses (``analyzers.crisis``): kind, phrase, language."""

    kind: str  # "suicide" | "domestic_violence" | "child_danger" | "homeless_tonight" | ...
    phrase: str
    lang: str
    strength: str  # "strong" | "exclusive" | "weak" | "structure" | "concept" | "model" | "passage"


@dataclass(frozen=True, slots=True)
class QueryAnalysis:
    text: str
    normalized: str
    language: str
    language_confidence: float
    words: tuple[WordAnalysis, ...]
    expansions: tuple[Expansion, ...]
    concepts: tuple[ConceptMatch, ...]
    filters: tuple[ImpliedFilter, ...]
    crisis: CrisisSignal | None = None
    # The relaxation stage this analysis belongs to (analyzers.relax.STAGES).
    stage: str = "words"

    @property
    def tokens(self) -> tuple[str, ...]:
        """Folded surface forms of the content words."""
        return tuple(w.folded for w in self.words)

    @property
    def lemmas(self) -> tuple[str, ...]:
        return tuple(w.lemma for w in self.words)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready explanation (tuples become lists).

        Written out rather than ``dataclasses.asdict``, which deep-copies every leaf and
        cost 0.3 ms of each search's answer.
        """
        out: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if isinstance(value, tuple):
                out[name] = [item if isinstance(item, str) else _flat(item) for item in value]
            elif value is not None and hasattr(value, "__dataclass_fields__"):
                out[name] = _flat(value)
            else:
                out[name] = value
        return out


@dataclass(frozen=True, slots=True)
class RecordAnalysis:
    name: str
    organization: str
    description: str
    categories: str
    clean_description: str
    suggest: tuple[str, ...]
