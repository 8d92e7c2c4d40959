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
PARTIAL_MIN_KEYS = 3  # a phrase of this many keys still counts with one of them missing
WORD_MIN_LETTERS = 5  # shorter words ("дом", "ev") name too many things to stand alone
WORD_MAX_CODES = 2  # a word shared by more service types is no evidence for one
WORD_MIN_INEXACT = 6  # shorter Latin words stand alone only as written ("month" is no "mont")
SWAP_MIN = 4  # a typed word this long, no German or English word, meets its letters swapped

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
# Georgian case endings (nominative -ი, dative -ს, genitive -ის, "in" -ში, "for" -თვის, ...,
# plural -ებ- before them); a vowel stem's last vowel goes too ("ბინა", "ბინის").
_KA_ENDINGS = sorted(
    [
        *("ებისთვის", "ისთვის", "თვის", "ებიდან", "იდან", "დან", "ებთან", "თან", "ებში", "ში"),
        *("ებზე", "ზე", "ებით", "ით", "ების", "ებს", "ები", "ის", "ად", "მა", "ს", "ი"),
    ],
    key=len,
    reverse=True,
)
_KA_VOWELS = ("ა", "ე", "ი", "ო")
# Armenian plural and case endings ("աշխատանքի", "բնակարանում", "երեխաների"): written in
# Armenian letters only, so the script tells the language.
_HY_ENDINGS = sorted(
    [
        *("ներից", "երից", "ներով", "երով", "ներում", "երում", "ների", "երի", "ներին", "երին"),
        *("ներ", "եր", "ում", "ից", "ով", "ին", "ի", "ը", "ն"),
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
    if "\u0531" <= first <= "\u058f":
        return _strip(key, _HY_ENDINGS)
    if lang == "ka" and "\u10d0" <= first <= "\u10ff":
        return _strip(_strip(key, _KA_ENDINGS), _KA_VOWELS)
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
    tight: bool = False  # its keys must be typed next to each other (a compound's parts)
    literal: str = ""  # if set, the folded words the query must contain as typed (stop words)


# A trigger met by a query: (trigger, mean key score, query word positions used).
Match = tuple[Trigger, float, frozenset[int]]


@dataclass
class PhraseIndex:
    """Lookup structure over trigger keys (built once per resource)."""

    fuzzy: bool = False
    # Trailing letters a prefix match may leave on either side.  German needs
    # only 2 (case/plural endings; lemmas do the rest) - with 3, compound parts
    # met unrelated words ("sozial" -> "sozialamt", "schul" -> "schutz").
    slack: int = 3
    # Other words allowed inside the span of a trigger's words; None = anywhere in the query.
    # In a told query ("Meine Mutter kommt seit ihrem Sturz nicht mehr allein ...") words far
    # apart make no phrase ("Mutter allein").
    max_gap: int | None = None
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
        self.key_codes = None
        for position, key in enumerate(trigger.keys):
            postings = self.by_key.setdefault(key, [])
            if not postings:
                if len(key) >= 4:
                    self.by_prefix.setdefault(key[:4], set()).add(key)
                if self.fuzzy and len(key) >= 6:
                    for deleted in _deletes(key) | {key}:
                        self.by_delete.setdefault(deleted, set()).add(key)
            postings.append((index, position))

    # Keys of everyday words (``analyzers/data/common``): never evidence on their own.
    common: frozenset[str] = field(default_factory=frozenset, repr=False)
    # Keys of everyday words that a partly met phrase cannot rest on (:meth:`_plain`) but
    # that still count as single-word evidence (German: "Schule" alone says school).
    everyday: frozenset[str] = field(default_factory=frozenset, repr=False)
    memo: dict[str, dict[str, float]] = field(default_factory=dict, repr=False)
    key_codes: dict[str, tuple[tuple[str, str], ...]] | None = field(default=None, repr=False)

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
                # Four shared letters are too few to stand for a word ("stara" is no "stargeh").
                if inflected or (close and (shared == shorter or shared >= 5)):
                    found[other] = PREFIX
        if self.fuzzy and len(key) >= 6:
            for deleted in _deletes(key) | {key}:
                for other in self.by_delete.get(deleted, ()):
                    found.setdefault(other, FUZZY)
        # In key order: the sets above iterate in an order that varies with the process's
        # string hashing, and ties between equally good keys must not (the reason shown).
        return dict(sorted(found.items()))

    def match(
        self,
        query_keys: list[list[tuple[str, float]]],
        spelt: frozenset[int] = frozenset(),
        partial: bool = False,
        adjacent: frozenset[int] | None = None,
    ) -> list[tuple[Trigger, float, frozenset[int]]]:
        """Triggers fully met by the query (``partial``: or all but one key of a long one).

        ``query_keys[i]`` lists alternative keys of query token ``i`` with a
        factor (1.0 for the word itself, lower for compound parts).  Positions in
        ``spelt`` are correctly spelt words: no typo (deletion) match for them, so
        "Ahnung" does not become "Mahnung".  With ``partial``, a trigger of at least
        :data:`PARTIAL_MIN_KEYS` keys counts with one key missing, its mean lowered by the
        missing key's zero (two words of a three-word situation still say something); measured
        better on the dev and the tuning set, kept off for the crisis lists.
        ``adjacent`` holds the positions directly followed by the next one as typed (no
        small word between); a tight trigger's words must be so (default: any neighbours).
        Returns ``(trigger, mean key score, query token positions used)``.
        """
        filled: dict[int, dict[int, tuple[float, int]]] = {}
        for position, alternatives in enumerate(query_keys):
            for key, factor in alternatives:
                for other, score in self.candidates(key).items():
                    if score == FUZZY and position in spelt:
                        continue
                    value = score * factor
                    for trigger_index, slot in self.by_key[other]:
                        slots = filled.setdefault(trigger_index, {})
                        if slot not in slots or slots[slot][0] < value:
                            slots[slot] = (value, position)
        results: list[tuple[Trigger, float, frozenset[int]]] = []
        for trigger_index, slots in filled.items():
            trigger = self.triggers[trigger_index]
            missing = len(trigger.keys) - len(slots)
            if missing and (not partial or missing > 1 or len(trigger.keys) < PARTIAL_MIN_KEYS):
                continue
            if missing and self._plain(trigger, slots):
                continue
            positions = frozenset(p for _, p in slots.values())
            if not self._close(trigger, positions, adjacent):
                continue
            mean = sum(v for v, _ in slots.values()) / len(trigger.keys)
            results.append((trigger, mean, positions))
        return results

    def _plain(self, trigger: Trigger, slots: dict[int, tuple[float, int]]) -> bool:
        """Whether a partly met phrase is met by everyday words only but one.

        "no child support" is not met by "no idea what support": with a word missing, two
        of the words met must say something of their own.
        """
        keys = trigger.keys
        own = [s for s in slots if keys[s] not in self.common and keys[s] not in self.everyday]
        return len(own) < PARTIAL_MIN_KEYS - 1

    def _close(
        self, trigger: Trigger, positions: frozenset[int], adjacent: frozenset[int] | None
    ) -> bool:
        """Whether the words meeting a trigger stand close enough to be one phrase."""
        first, last = min(positions), max(positions)
        span = last - first + 1
        if trigger.tight:
            together = adjacent is None or all(p in adjacent for p in range(first, last))
            return span == len(positions) and together
        return self.max_gap is None or span <= len(positions) + self.max_gap

    def word_matches(
        self, query_keys: list[list[tuple[str, float]]], skip: frozenset[int] = frozenset()
    ) -> list[tuple[Trigger, float, frozenset[int]]]:
        """Service types named by single *distinctive* words of phrases not fully met.

        "помощь пожилым на дому" meets no glossary phrase whole ("пожилые люди" wants
        "люди" too), but "пожилым" occurs in the phrases of one service type only: that
        is evidence, weaker than a phrase (kind ``word``). A word counts when it has at
        least :data:`WORD_MIN_LETTERS` letters and names at most :data:`WORD_MAX_CODES`
        types; positions in ``skip`` (already explained by whole phrases) are ignored.
        Everyday words ("somewhere" of "somewhere to sleep") and loose matches of short
        words are no evidence, however few service types use them.
        """
        codes = self._key_codes()
        per_code: dict[str, dict[int, tuple[float, str, str]]] = {}
        for position, alternatives in enumerate(query_keys):
            if position in skip:
                continue
            for key, factor in alternatives:
                if len(key) < WORD_MIN_LETTERS:
                    continue
                for other, score in self.candidates(key).items():
                    named = codes.get(other, ())
                    if not named or len(named) > WORD_MAX_CODES or other in self.common:
                        continue
                    if score < EXACT and len(key) < WORD_MIN_INEXACT and key.isascii():
                        continue
                    value = score * factor / len(named)
                    for code, lang in named:
                        slots = per_code.setdefault(code, {})
                        if position not in slots or slots[position][0] < value:
                            slots[position] = (value, other, lang)
        results: list[tuple[Trigger, float, frozenset[int]]] = []
        for code, slots in per_code.items():
            keys = tuple(other for _, other, _ in slots.values())
            lang = next(iter(slots.values()))[2]
            mean = sum(v for v, _, _ in slots.values()) / len(slots)
            trigger = Trigger(code, " ".join(keys), keys, "word", lang)
            results.append((trigger, mean, frozenset(slots)))
        return results

    def _key_codes(self) -> dict[str, tuple[tuple[str, str], ...]]:
        """Trigger key -> the (service type, language) pairs whose phrases use it."""
        if self.key_codes is None:
            table: dict[str, dict[str, str]] = {}
            for key, postings in self.by_key.items():
                named = table.setdefault(key, {})
                for index, _ in postings:
                    trigger = self.triggers[index]
                    if "/" in trigger.code:  # areas are implied by their types
                        named.setdefault(trigger.code, trigger.lang)
            self.key_codes = {key: tuple(named.items()) for key, named in table.items()}
        return self.key_codes


def deletes(word: str) -> set[str]:
    """``word`` with one letter left out, each position once: a typo meets its word where
    both leave out a letter (the symmetric-delete index)."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def swaps(word: str) -> set[str]:
    """``word`` with two neighbouring letters exchanged: the typo of thumbs on a phone
    ("wnat", "hsuband"), one edit for a person, two deletions for :func:`deletes`."""
    return {
        word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        for i in range(len(word) - 1)
        if word[i] != word[i + 1]
    }
