"""Acute danger in a query: suicide, violence at home, a child at risk, no bed tonight.

A person who types "ich will nicht mehr leben" or "my husband hits me" must meet the
crisis lines first, whatever else the search finds. Detection is a reviewable phrase list
per language (``data/crisis/<lang>.txt``), matched the way the concept glossary is matched
(:class:`analyzers.matching.PhraseIndex`: inflections, one typo in long words), plus three
rules that keep recall high and false alarms rare:

* **Stop words count.** "ich kann nicht mehr" consists of stop words only; the service
  vocabulary drops them, the crisis lists may not.
* **Window.** A phrase's words must stand close together (at most two other words per
  gap), so "kann nicht mehr" in a long sentence about rent does not trigger.
* **Strength.** A phrase marked ``~`` names a topic or an institution ("Frauenhaus",
  "Suizid"); it raises the alarm unless a word of the ``[defuse]`` list says the query is
  about training, prevention work, donations or a job ("Suizidprävention Fortbildung").
  A phrase marked ``=`` ("ich kann nicht mehr") counts only when it is nearly the whole
  query. A phrase marked ``^`` ("bring mich um", "beni öldürür") says that someone or
  something kills me: not when a thing stands right beside it ("die Hitze bringt mich
  um", :func:`analyzers.figures.find_figures`). Unmarked phrases are first-person
  danger statements and always count.

Key syntax: ``word*`` matches any word beginning with ``word`` ("suizid*" meets
"Suizidgedanken"); ``{a|b|c}`` spells a phrase out once per alternative ("schwanger
{allein|verzweifelt|heimlich}"). German compounds are split, so "Kindesmisshandlung" meets
"misshandlung". Chinese and other unspaced scripts match as substrings.

When no phrase counts, :mod:`analyzers.danger` reads the query's structure (a danger
predicate with a person and urgency, from small word classes per language): lists of
sentences did not generalise to indirect phrasings nobody wrote down.

Recall comes first: a false alarm costs a banner, a miss can cost a life. Measured by
``tests/unit/analyzers/test_crisis.py`` and ``sozialatlas bench crisis``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from analyzers import danger, figures, vietnamese
from analyzers.errors import ResourceFormatError
from analyzers.language import vietnamese as vietnamese_letters
from analyzers.matching import (
    EXACT,
    FUZZY,
    PREFIX,
    SWAP_MIN,
    PhraseIndex,
    Trigger,
    deletes,
    stem,
    swaps,
)
from analyzers.models import CrisisSignal
from analyzers.normalize import UNSPACED, fold, script_key
from analyzers.resources import content_lines, list_dir
from analyzers.translit import CYRILLIC_LANGUAGES, romanize, skeleton
from analyzers.vocabulary import known

KINDS = (
    "suicide",
    "domestic_violence",
    "child_danger",
    "homeless_tonight",
    "medical_emergency",
    "psychiatric_emergency",
    "pregnancy_emergency",
)
# Which service types of the directory answer a kind (they rank first on detection).
SERVICES: dict[str, tuple[str, ...]] = {
    "suicide": ("gesundheit/krisendienst", "gesundheit/spdi", "gesundheit/psychosozial"),
    "domestic_violence": ("schutz/frauenschutz", "schutz/gewaltberatung", "schutz/opferhilfe"),
    "child_danger": ("schutz/kinderschutz", "behoerden/jugendamt", "schutz/gewaltberatung"),
    "homeless_tonight": ("wohnen/notunterkunft", "wohnen/wohnungslosenhilfe"),
    "medical_emergency": ("gesundheit/krisendienst", "gesundheit/spdi"),
    "psychiatric_emergency": ("gesundheit/krisendienst", "gesundheit/spdi"),
    "pregnancy_emergency": ("familie/schwangerschaft", "familie/fruehe-hilfen"),
}
MAX_GAP = 2  # other words allowed between two words of a phrase
EXCLUSIVE_EXTRA = 2  # other content words an "=" phrase tolerates in its query
MIN_SCORE = 0.74  # below this mean key score a match is too loose (two typos)
FUZZY_PREFIX = 8  # a listed beginning ("selbstmord*") this long also meets one typo
LEFT_OUT_MIN = 5  # an unknown typed word this long meets a phrase word one letter longer
STRONG, WEAK, EXCLUSIVE = "strong", "weak", "exclusive"
FIGURABLE = "figurable"  # "^": strong, unless a thing is its subject (reported as strong)
_APOSTROPHE = re.compile("['’ʼ`]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_PART = "\x01"  # marks a compound's part among a word's alternatives


@dataclass(frozen=True, slots=True)
class _Phrase:
    kind: str
    strength: str


def _unspaced(text: str) -> bool:
    return UNSPACED.search(text) is not None


def split_words(words: list[str]) -> list[str]:
    """Latin words split at apostrophes ("j'entends" → "j", "entends"), others kept whole.

    Ukrainian writes an apostrophe inside words ("б'є"); French and Italian elide articles
    and pronouns with one, which would otherwise glue them to the word that matters.
    """
    out: list[str] = []
    for word in words:
        if not _CYRILLIC.search(word):
            out.extend(piece for piece in _APOSTROPHE.split(word) if piece)
        else:
            out.append(word)
    return out


def key(word: str) -> str:
    """The matching key of one word: script-normalised, umlauts folded, lightly stemmed."""
    folded = fold(script_key(word))
    return stem(folded, "ru")  # script-based: Cyrillic and Arabic endings, Latin unchanged


def _roman_keys(phrase: str, lang: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """A Cyrillic phrase as people type it in Latin letters ("ne prosypaetsya"): the
    skeleton of its romanised words, so that any habit of transliteration meets it."""
    if lang not in CYRILLIC_LANGUAGES or not _CYRILLIC.search(phrase):
        return (), frozenset()
    keys: list[str] = []
    prefixes: set[str] = set()
    for word in phrase.replace("-", " ").split():
        star = word.endswith("*")
        k = skeleton(fold(romanize(word.rstrip("*"), lang)))
        if not k or not k.isascii():
            return (), frozenset()
        keys.append(k)
        if star:
            prefixes.add(k)
    return tuple(keys), frozenset(prefixes)


def _phrase_keys(phrase: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """Keys of a phrase and the subset written with a trailing ``*`` (prefix keys)."""
    keys: list[str] = []
    prefixes: set[str] = set()
    for word in split_words(phrase.replace("-", " ").split()):
        if _unspaced(word):
            keys.append(script_key(word))
            continue
        star = word.endswith("*")
        k = key(word.rstrip("*"))
        if not k:
            continue
        keys.append(k)
        if star:
            prefixes.add(k)
    return tuple(keys), frozenset(prefixes)


@dataclass
class CrisisIndex(PhraseIndex):
    """The glossary's matcher with stricter neighbours: a false alarm is costly too.

    A phrase word meets a query word when they are equal; when the phrase word begins the
    query word and at most four letters follow (an inflection: "schlägt" → "schlägst"); when
    they share at least five letters, the phrase word lacks at most its last letter and the
    query word adds at most three ("schlagt" → "schlagen"); or, for phrase words of eight
    letters and more, one deletion apart (a typo). A typed word that is no German or English
    word (:func:`analyzers.vocabulary.known`) also meets a phrase word with two neighbouring
    letters swapped ("wnat") and, from five letters, one with a letter it left out
    ("schlät"). The concept glossary's looser rules let "frei" meet "freitod" and "schläft"
    meet "schlägt".

    Matching starts from each phrase's *anchor*, its longest word: spelt-out alternatives
    make thousands of phrases share "ich" or "mich", and walking their postings for every
    query would cost more than the rest of the analysis.
    """

    anchors: dict[str, list[tuple[int, frozenset[str]]]] = field(default_factory=dict, repr=False)

    def add(self, trigger: Trigger) -> None:
        super().add(trigger)
        if trigger.keys:
            anchor = max(trigger.keys, key=len)
            entry = (len(self.triggers) - 1, frozenset(trigger.keys))
            self.anchors.setdefault(anchor, []).append(entry)

    def match(
        self,
        query_keys: list[list[tuple[str, float]]],
        spelt: frozenset[int] = frozenset(),
        partial: bool = False,
        adjacent: frozenset[int] | None = None,
    ) -> list[tuple[Trigger, float, frozenset[int]]]:
        """Phrases met whole (``spelt``, ``partial`` and ``adjacent`` do not apply here)."""
        found: dict[str, tuple[float, int]] = {}  # phrase word -> (best score, position)
        for position, alternatives in enumerate(query_keys):
            for key, factor in alternatives:
                for other, score in self.candidates(key).items():
                    value = score * factor
                    if other not in found or found[other][0] < value:
                        found[other] = (value, position)
        results: list[tuple[Trigger, float, frozenset[int]]] = []
        met = frozenset(found)
        for anchor in [k for k in found if k in self.anchors]:  # query order: deterministic
            for index, keys in self.anchors[anchor]:
                if not keys <= met:  # a set test in C: most phrases fail here
                    continue
                trigger = self.triggers[index]
                hits = [found[k] for k in trigger.keys]
                positions = frozenset(h[1] for h in hits)
                results.append((trigger, sum(h[0] for h in hits) / len(hits), positions))
        return results

    def _candidates(self, key: str) -> dict[str, float]:
        if key.startswith(_PART):  # a compound's part meets only its own word
            part = key[len(_PART) :]
            return {part: EXACT} if part in self.by_key else {}
        found: dict[str, float] = {}
        if key in self.by_key:
            found[key] = EXACT
        if len(key) >= 4:
            for other in self.by_prefix.get(key[:4], ()):
                if other in found:
                    continue
                if _inflected(key, other):
                    found[other] = PREFIX
        if len(key) >= 7:
            for deleted in deletes(key) | {key}:
                for other in self.by_delete.get(deleted, ()):
                    if len(other) >= 8:
                        found.setdefault(other, FUZZY)
        if len(key) >= SWAP_MIN and key.isascii() and key.isalpha() and not known(key):
            for swapped in swaps(key):  # two letters typed the wrong way round ("wnat")
                if swapped in self.by_key:
                    found.setdefault(swapped, FUZZY)
            if len(key) >= LEFT_OUT_MIN:  # a letter left out of a shorter word ("schlät")
                for other in self.by_delete.get(key, ()):
                    if len(other) == len(key) + 1:
                        found.setdefault(other, FUZZY)
        return dict(sorted(found.items()))  # ties independent of string hashing (matching)


def _inflected(key: str, other: str) -> bool:
    """``other`` (a phrase word) begins ``key`` (a query word) up to an ending."""
    shared = len(other) if key.startswith(other) else _shared(key, other)
    if shared == len(other):
        # a short word takes a short ending: "alle" is "allen", not "allein"
        return len(key) - shared <= (4 if len(other) > 4 else 1)
    # Its last letter may differ ("geschlagn"), not in a short word ("schlag" is no "schlaf").
    return shared >= 5 and shared >= len(other) - 1 >= 6 and len(key) - shared <= 3


def _shared(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


@dataclass(eq=False)  # hashed by identity: alternatives() is memoised per lexicon
class CrisisLexicon:
    """Every language's crisis phrases, indexed once."""

    index: PhraseIndex
    roman: PhraseIndex  # the Latin forms of the Cyrillic phrases, met by skeletons only
    phrases: list[_Phrase]
    prefixes: frozenset[str]
    roman_prefixes: frozenset[str]
    unspaced: tuple[tuple[str, int], ...]  # (substring key, phrase number)
    defuse: frozenset[str]
    filler: frozenset[str]
    # the long listed beginnings under each of their one-letter deletions (and themselves)
    prefix_deletes: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @lru_cache(maxsize=65536)  # noqa: B019 (one lexicon per process, never freed anyway)
    def alternatives(self, token: str) -> list[tuple[str, float]]:
        k = key(token)
        out = [(k, 1.0)]
        plain = fold(script_key(token))
        if plain != k:
            out.append((plain, 1.0))
        listed = _listed_prefixes(plain, self.prefixes)
        out.extend(listed)
        if not listed:
            out.extend(_misspelt_prefixes(plain, self.prefix_deletes))
        if plain.isascii() and plain.isalpha() and len(plain) >= 8:
            from analyzers.compounds import split

            out.extend((_PART + part, 0.95) for part in split(plain))
        return out

    @lru_cache(maxsize=65536)  # noqa: B019 (as above)
    def roman_alternatives(self, token: str) -> list[tuple[str, float]]:
        """The skeleton of a Latin word, for :attr:`roman` only: in the shared index,
        "baat" (Hindi "talk", skeleton "bat") met the French "il me bat"."""
        plain = fold(script_key(token))
        if not (plain.isascii() and plain.isalpha()):
            return []
        roman = skeleton(plain)
        return [(roman, 1.0), *_listed_prefixes(roman, self.roman_prefixes)]


def _listed_prefixes(word: str, prefixes: frozenset[str]) -> list[tuple[str, float]]:
    """The beginnings of ``word`` (four letters and more) that a ``word*`` entry lists."""
    return [(word[:size], 1.0) for size in range(4, len(word)) if word[:size] in prefixes]


def _prefix_deletes(prefixes: Iterable[str]) -> dict[str, tuple[str, ...]]:
    index: dict[str, set[str]] = {}
    for prefix in prefixes:
        if len(prefix) >= FUZZY_PREFIX:
            for deleted in deletes(prefix) | {prefix}:
                index.setdefault(deleted, set()).add(prefix)
    return {k: tuple(sorted(v)) for k, v in sorted(index.items())}


def _misspelt_prefixes(word: str, index: dict[str, tuple[str, ...]]) -> list[tuple[str, float]]:
    """Listed beginnings of :data:`FUZZY_PREFIX` letters or more that ``word`` begins with
    one typo: "selbstmortgedanken" is "selbstmord*". The whole words of the lists already
    meet a typo from eight letters (:meth:`CrisisIndex._candidates`); a beginning did not.
    """
    if len(word) < FUZZY_PREFIX - 1:
        return []
    found: dict[str, float] = {}
    for size in range(FUZZY_PREFIX - 1, len(word) + 1):
        piece = word[:size]
        for deleted in deletes(piece) | {piece}:
            for prefix in index.get(deleted, ()):
                if prefix not in found and _one_edit(piece, prefix):
                    found[prefix] = FUZZY
    return sorted(found.items())


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one letter changed, added, dropped or two swapped."""
    if abs(len(a) - len(b)) > 1:
        return False
    i = _shared(a, b)
    if i == len(a) == len(b):
        return True
    if len(a) == len(b):
        swapped = a[i : i + 2] == b[i : i + 2][::-1] and a[i + 2 :] == b[i + 2 :]
        return a[i + 1 :] == b[i + 1 :] or swapped
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return short[i:] == long[i + 1 :]


def parse(lines: Iterable[tuple[int, str]], file: str) -> list[tuple[str, str, str]]:
    """``[kind]`` sections of comma-separated phrases -> (kind, strength, phrase).

    ``[defuse]`` and ``[filler]`` sections list single words instead (kind = section).
    """
    out: list[tuple[str, str, str]] = []
    section: str | None = None
    for number, line in lines:
        if line.startswith("["):
            name = line.strip("[]").strip()
            if not line.endswith("]") or name not in (*KINDS, "defuse", "filler"):
                raise ResourceFormatError(file, number, f"unknown crisis section {line!r}")
            section = name
            continue
        if section is None:
            raise ResourceFormatError(file, number, "phrase before the first [kind] header")
        for raw in line.split(","):
            phrase = raw.strip()
            if not phrase:
                raise ResourceFormatError(file, number, "empty phrase (doubled comma?)")
            strength = STRONG
            if phrase[0] in "~=^":
                strength = {"~": WEAK, "=": EXCLUSIVE, "^": FIGURABLE}[phrase[0]]
                phrase = phrase[1:].strip()
            try:
                variants = expand(phrase)
            except ValueError as exc:
                raise ResourceFormatError(file, number, str(exc)) from exc
            out.extend((section, strength, variant) for variant in variants)
    return out


_GROUP = re.compile(r"\{([^{}]*)\}")
MAX_VARIANTS = 5000


def expand(phrase: str) -> list[str]:
    """Phrases spelt out from ``{a|b|c}`` groups: "schwanger {allein|verzweifelt}" is two.

    An empty alternative makes a group optional ("{ich|} will sterben").

    One line then covers a danger word with the many words of distress or urgency that make
    it a crisis, instead of one line per combination someone happened to think of.
    """
    if "{" not in phrase and "}" not in phrase:
        return [phrase]
    parts: list[list[str]] = []
    position = 0
    for match in _GROUP.finditer(phrase):
        parts.append([phrase[position : match.start()]])
        options = [o.strip() for o in match.group(1).split("|")]
        if not any(options):  # one empty alternative makes a word optional: {bin|}
            raise ValueError(f"a group without any word in {phrase!r}")
        parts.append(options)
        position = match.end()
    parts.append([phrase[position:]])
    if any("{" in p or "}" in p for group in parts for p in group):
        raise ValueError(f"unbalanced braces in {phrase!r}")
    variants = [""]
    for group in parts:
        variants = [v + option for v in variants for option in group]
        if len(variants) > MAX_VARIANTS:
            raise ValueError(f"{phrase!r} spells out more than {MAX_VARIANTS} phrases")
    return [" ".join(v.split()) for v in variants]


@lru_cache(maxsize=1)
def lexicon() -> CrisisLexicon:
    index = CrisisIndex(fuzzy=True, slack=3)
    roman_index = CrisisIndex(fuzzy=True, slack=3)
    phrases: list[_Phrase] = []
    prefixes: set[str] = set()
    roman_prefixes: set[str] = set()
    unspaced: list[tuple[str, int]] = []
    defuse: set[str] = set()
    filler: set[str] = set()
    for path in list_dir("crisis"):
        lang = path.stem
        for section, strength, phrase in parse(content_lines(path), path.name):
            if section in ("defuse", "filler"):
                (defuse if section == "defuse" else filler).add(fold(script_key(phrase)))
                continue
            keys, stars = _phrase_keys(phrase)
            if not keys:
                continue
            number = len(phrases)
            if len(keys) == 1 and _unspaced(keys[0]):
                unspaced.append((keys[0], len(index.triggers)))
            prefixes |= stars
            phrases.append(_Phrase(section, strength))
            index.add(Trigger(str(number), phrase, keys, section, lang))
            roman, roman_stars = _roman_keys(phrase, lang)
            if roman:
                roman_prefixes |= roman_stars
                roman_index.add(Trigger(str(number), phrase, roman, section, lang))
    return CrisisLexicon(
        index,
        roman_index,
        phrases,
        frozenset(prefixes),
        frozenset(roman_prefixes),
        tuple(unspaced),
        frozenset(defuse),
        frozenset(filler),
        _prefix_deletes(prefixes),
    )


_RANK = {STRONG: 0, FIGURABLE: 0, EXCLUSIVE: 1, WEAK: 2}


def detect(words: list[str]) -> CrisisSignal | None:
    """The crisis a query's words express, or ``None``.

    ``words`` are the query's tokens in order, stop words included.
    """
    words = split_words(words)
    if not words:
        return None
    lex = lexicon()
    keys = [lex.alternatives(w) for w in words]
    roman_keys = [lex.roman_alternatives(w) for w in words]
    found: list[tuple[tuple[int, int, float], Trigger, _Phrase, frozenset[int]]] = []
    met = itertools.chain(lex.index.match(keys), lex.roman.match(roman_keys))
    for trigger, mean, used in met:
        phrase = lex.phrases[int(trigger.code)]
        if mean < MIN_SCORE or len(used) < len(set(trigger.keys)) or not _close(sorted(used)):
            continue
        order = (_RANK[phrase.strength], -len(trigger.keys), -mean)
        found.append((order, trigger, phrase, used))
    if any(_unspaced(w) for w in words):
        joined = "".join(script_key(w) for w in words)
        for substring, number in lex.unspaced:
            if substring in joined:
                trigger = lex.index.triggers[number]
                phrase = lex.phrases[int(trigger.code)]
                found.append(((_RANK[phrase.strength], -1, -1.0), trigger, phrase, frozenset()))
    if not found:
        return danger.detect(words)
    plain = [fold(script_key(w)) for w in words]
    defused = any(_defuses(p, lex.defuse) for p in plain)
    vi = vietnamese_letters(" ".join(words))
    toned = f" {' '.join(vietnamese.toned(w) for w in words)} " if vi else ""
    ranked = sorted(found, key=lambda f: f[0])
    figure = _Figure(words)
    passing = (
        (trigger, phrase)
        for _, trigger, phrase, used in ranked
        if _passes(trigger, phrase, used, plain, defused, toned, lex.filler)
        and not (phrase.strength == FIGURABLE and figure.of(used))
    )
    chosen = _fleeing(passing)
    if chosen is None:
        return danger.detect(words)
    trigger, phrase = chosen
    strength = STRONG if phrase.strength == FIGURABLE else phrase.strength
    return CrisisSignal(trigger.kind, trigger.phrase, trigger.lang, strength)


class _Figure:
    """Whether a ``^`` phrase met at some positions is a figure of speech; the query's
    word classes are read once, and only when such a phrase was met."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.found: figures.Figures | None = None

    def of(self, used: frozenset[int]) -> bool:
        if self.found is None:
            self.found = figures.find_figures(danger.classes(self.words), self.words)
        return figures.figurative(used, self.found)


# Someone who needs a bed tonight *because* of violence at home needs a women's shelter or
# child protection, not a homeless shelter ("er hat mich gewürgt, wo können wir heute Nacht
# hin?"): a firm phrase of violence outranks one of a night without a place.
FLED_FROM = ("domestic_violence", "child_danger")


def _passes(
    trigger: Trigger,
    phrase: _Phrase,
    used: frozenset[int],
    plain: list[str],
    defused: bool,
    toned: str,
    filler: frozenset[str],
) -> bool:
    """Whether a found phrase counts: a weak one not in a defused query, an exclusive one
    only as (nearly) the whole query unless written out with its tones."""
    if phrase.strength == WEAK and defused:
        return False
    if phrase.strength == EXCLUSIVE and not _written_out(trigger, toned):
        others = sum(1 for i, p in enumerate(plain) if i not in used and p not in filler)
        if others > EXCLUSIVE_EXTRA:
            return False
    return True


def _fleeing(passing: Iterator[tuple[Trigger, _Phrase]]) -> tuple[Trigger, _Phrase] | None:
    """The first passing phrase, unless it is a night without a place and a firm phrase of
    violence passed too (see :data:`FLED_FROM`). Reads the ranked phrases only as far as
    that choice needs: usually the first one decides."""
    first = next(passing, None)
    if first is None or first[0].kind != "homeless_tonight":
        return first
    violence = (p for p in passing if p[0].kind in FLED_FROM and p[1].strength != WEAK)
    return next(violence, first)


def _written_out(trigger: Trigger, toned: str) -> bool:
    """Whether a Vietnamese phrase stands in the message with its tones ("muốn tự tử"):
    then it cannot be "muốn tư vấn" (I want counselling), so it counts in a long message
    too, not only as (nearly) the whole query."""
    return bool(toned) and not trigger.phrase.isascii() and f" {trigger.phrase} " in toned


# A query that the concept vocabulary maps firmly to one of these services (a shelter, a
# crisis line, in any glossary language) is treated as that crisis too: the glossaries of
# 23 languages reach further than the crisis lists.
BY_SERVICE = {
    "gesundheit/krisendienst": "suicide",
    "schutz/frauenschutz": "domestic_violence",
    "schutz/gewaltberatung": "domestic_violence",
    "schutz/kinderschutz": "child_danger",
    "wohnen/notunterkunft": "homeless_tonight",
}
CONCEPT_MIN = 0.6


def from_concept(
    code: str, weight: float, via: str, lang: str, kind_of_match: str
) -> CrisisSignal | None:
    """The crisis a firm concept of a crisis service stands for (see :data:`BY_SERVICE`).

    Only glossary translations and life situations count: a German service name
    ("Sozialpsychiatrischer Dienst") is a search for that service, not a cry for help.
    """
    kind = BY_SERVICE.get(code)
    if kind is None or weight < CONCEPT_MIN or kind_of_match not in ("translation", "situation"):
        return None
    return CrisisSignal(kind, via, lang, "concept")


def defused(words: list[str]) -> bool:
    """Whether a word says the query is about training, prevention, volunteering or a job."""
    lex = lexicon()
    return any(_defuses(fold(script_key(w)), lex.defuse) for w in split_words(words))


def _defuses(word: str, defuse: frozenset[str]) -> bool:
    """A word of the ``[defuse]`` list, or one of them with an ending ("Stellenangebote") or
    a stripped article ("التطوع")."""
    if word in defuse or any(word[:n] in defuse for n in range(4, len(word))):
        return True
    return stem(word, "ru") in defuse


def _close(positions: list[int]) -> bool:
    return all(b - a <= MAX_GAP + 1 for a, b in itertools.pairwise(positions))
