"""Inflection- and typo-tolerant phrase matching of query tokens to triggers.

Concept triggers (German) and glossary phrases (eight other languages) are
matched the same way: every trigger is a tuple of *keys*; a trigger matches when
each of its keys is met by some query key, where "met" means

* equal keys (score 1.0),
* a shared prefix that leaves at most 3 (German: 2) trailing letters on either side
  (score 0.85) - absorbs case endings ("долгам"/"долги"), Turkish suffixes
  ("danışmanlığı"/"danışmanlık") and typos at the end of a word ("Betreuug"),
* for German keys of >= 6 letters, one deletion on either side (score 0.75,
  SymSpell-style) - absorbs typos inside a word ("Kiydergarten").

Listing every case form would never be complete; this keeps the resource files
short and reviewable.  Keys are produced by :func:`stem` (language-aware suffix
stripping after :func:`analyzers.normalize.script_key`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

EXACT, PREFIX, FUZZY = 1.0, 0.85, 0.75
MEMO_SIZE = 100_000  # query keys whose candidates a PhraseIndex remembers

_RU_UK_ENDINGS = sorted(
    [
        "иями",
        "ями",
        "ами",
        "иях",
        "ией",
        "ого",
        "его",
        "ому",
        "ему",
        "ыми",
        "ими",
        "ых",
        "их",
        "ой",
        "ей",
        "ий",
        "ый",
        "ая",
        "яя",
        "ое",
        "ее",
        "ую",
        "юю",
        "ом",
        "ем",
        "ам",
        "ям",
        "ах",
        "ях",
        "ов",
        "ев",
        "ия",
        "ие",
        "ию",
        "ии",
        "ові",
        "еві",
        "ої",
        "ою",
        "ею",
        "ів",
        "їв",
        "ій",
        "ія",
        "ії",
        "ію",
        "а",
        "я",
        "о",
        "е",
        "у",
        "ю",
        "ы",
        "и",
        "і",
        "ї",
        "ь",
        "й",
        "є",
    ],
    key=len,
    reverse=True,
)
_PL_ENDINGS = sorted(
    [
        "ami",
        "ach",
        "ów",
        "om",
        "ego",
        "emu",
        "ych",
        "ich",
        "ymi",
        "imi",
        "ej",
        "ą",
        "ę",
        "ie",
        "a",
        "e",
        "i",
        "y",
        "u",
        "o",
        "ow",
    ],
    key=len,
    reverse=True,
)
_AR_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_AR_SUFFIXES = ("های", "ها", "ات", "ين", "ون", "ية", "يه", "ه", "ي")


def _strip(word: str, endings: Iterable[str], keep: int = 3) -> str:
    for ending in endings:
        if word.endswith(ending) and len(word) - len(ending) >= keep:
            return word[: -len(ending)]
    return word


def stem(key: str, lang: str) -> str:
    """Language-aware light stem of a script-normalised token."""
    if not key:
        return key
    first = key[0]
    if "\u0400" <= first <= "\u04ff":
        return _strip(key, _RU_UK_ENDINGS)
    if "\u0600" <= first <= "\u06ff":
        for prefix in _AR_PREFIXES:
            if key.startswith(prefix) and len(key) - len(prefix) >= 3:
                key = key[len(prefix) :]
                break
        return _strip(key, _AR_SUFFIXES)
    if lang == "pl":
        return _strip(key, _PL_ENDINGS)
    if lang == "en" and len(key) > 3:
        if key.endswith("ies"):
            return key[:-3] + "y"
        if key.endswith("'s"):
            return key[:-2]
        if key.endswith("s") and not key.endswith(("ss", "us", "is")):
            return key[:-1]
    return key


def _deletes(key: str) -> set[str]:
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


@dataclass(frozen=True, slots=True)
class Trigger:
    code: str
    phrase: str  # as written in the resource file
    keys: tuple[str, ...]
    kind: str  # "label" | "synonym" | "translation"
    lang: str
    weight: float = 1.0


@dataclass
class PhraseIndex:
    """Lookup structure over trigger keys (built once per resource)."""

    fuzzy: bool = False
    # Trailing letters a prefix match may leave on either side.  German needs
    # only 2 (case/plural endings; lemmas do the rest) - with 3, compound parts
    # met unrelated words ("sozial" -> "sozialamt", "schul" -> "schutz").
    slack: int = 3
    triggers: list[Trigger] = field(default_factory=list)
    by_key: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    by_prefix: dict[str, set[str]] = field(default_factory=dict)
    by_delete: dict[str, set[str]] = field(default_factory=dict)

    def add(self, trigger: Trigger) -> None:
        if not trigger.keys:
            return
        index = len(self.triggers)
        self.triggers.append(trigger)
        self.memo.clear()
        for position, key in enumerate(trigger.keys):
            postings = self.by_key.setdefault(key, [])
            if not postings:
                if len(key) >= 4:
                    self.by_prefix.setdefault(key[:4], set()).add(key)
                if self.fuzzy and len(key) >= 6:
                    for deleted in _deletes(key) | {key}:
                        self.by_delete.setdefault(deleted, set()).add(key)
            postings.append((index, position))

    memo: dict[str, dict[str, float]] = field(default_factory=dict, repr=False)

    def candidates(self, key: str) -> dict[str, float]:
        """Trigger keys met by one query key, with the match score (memoised per key)."""
        found = self.memo.get(key)
        if found is None:
            found = self._candidates(key)
            if len(self.memo) < MEMO_SIZE:
                self.memo[key] = found
        return found

    def _candidates(self, key: str) -> dict[str, float]:
        found: dict[str, float] = {}
        if key in self.by_key:
            found[key] = EXACT
        if len(key) >= 4:
            for other in self.by_prefix.get(key[:4], ()):
                if other in found:
                    continue
                shared = _common_prefix(key, other)
                shorter = min(len(key), len(other))
                close = shared >= max(len(key), len(other)) - self.slack and shorter >= 4
                # A trigger key that is a whole prefix of the query word may
                # always leave 3 letters (inflection: "welch" <- "welcheer").
                inflected = shared == len(other) >= 4 and len(key) - shared <= 3
                if inflected or (close and (self.slack >= 3 or shared == shorter or shared >= 5)):
                    found[other] = PREFIX
        if self.fuzzy and len(key) >= 6:
            for deleted in _deletes(key) | {key}:
                for other in self.by_delete.get(deleted, ()):
                    found.setdefault(other, FUZZY)
        return found

    def match(
        self, query_keys: list[list[tuple[str, float]]]
    ) -> list[tuple[Trigger, float, frozenset[int]]]:
        """Triggers fully met by the query.

        ``query_keys[i]`` lists alternative keys of query token ``i`` with a
        factor (1.0 for the word itself, lower for compound parts).  Returns
        ``(trigger, mean key score, query token positions used)``.
        """
        filled: dict[int, dict[int, tuple[float, int]]] = {}
        for position, alternatives in enumerate(query_keys):
            for key, factor in alternatives:
                for other, score in self.candidates(key).items():
                    value = score * factor
                    for trigger_index, slot in self.by_key[other]:
                        slots = filled.setdefault(trigger_index, {})
                        if slot not in slots or slots[slot][0] < value:
                            slots[slot] = (value, position)
        results: list[tuple[Trigger, float, frozenset[int]]] = []
        for trigger_index, slots in filled.items():
            trigger = self.triggers[trigger_index]
            if len(slots) < len(trigger.keys):
                continue
            mean = sum(v for v, _ in slots.values()) / len(slots)
            results.append((trigger, mean, frozenset(p for _, p in slots.values())))
        return results
