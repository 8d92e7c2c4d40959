"""Danger from the structure of a sentence, not from a list of sentences.

The phrase lists of :mod:`analyzers.crisis` recognise what someone thought of writing down
("ich will nicht mehr leben"); people in danger say it in ways nobody listed ("ich hab
meinen Abschiedsbrief schon geschrieben", "er hat mir wieder den Hals zugedrückt", "mein
Kind hat Angst nach Hause zu gehen"). What those sentences share is their *structure*: a
danger predicate (a goodbye letter, being choked, being afraid to go home) together with a
person (I, my child, he) and a marker of urgency or finality (already, again, tonight). So
each language lists small *word classes* (``data/danger/<lang>.txt``: lemmas, stems,
transliterations), and a query is scored per kind from the classes it contains, in any
word order:

* every class has a weight per kind (:data:`WEIGHTS`); a kind is raised when the weights of
  the distinct classes present reach :data:`THRESHOLD` and at least one of them is a
  danger predicate of that kind (:data:`CORES`) — a person or "tonight" alone is nothing;
* some kinds need a class to be present at all (:data:`GATES`: no child danger without a
  child, no pregnancy emergency without a pregnancy);
* a negation right before a predicate takes it back ("schlägt mich nicht"), or one word
  before a predicate of several words ("no estar solo en casa");
* a word of professional or third-party context ("Fortbildung", "Kurs", "Prävention",
  "für Lehrkräfte", "Statistik": class ``context``) silences the whole rule;
* a child word near an adult's age is no child ("Annem 80 yaşında", "сыну 30 лет": class
  ``years`` after a number from :data:`ADULT` on), and crying alone is no neglect
  (class ``cry``): a neighbour or the night completes it;
* the classes of one language are scored together, never mixed across languages, so that
  the German article "die" cannot complete an English sentence; a message in Vietnamese
  letters is scored in Vietnamese only (its folded syllables are other languages' words).

Entries: ``word`` meets the word and its inflections (up to two more letters for words of
five letters and more, one letter left out or added for words of eight — not one
letter changed, or "schlafen" would meet "schlagen"); ``word*`` any word beginning with it;
``*root*`` any word containing it (Arabic and Persian prefixes and suffixes); ``a b`` the
words in this order, at most :data:`MAX_GAP` others between them (Vietnamese, whose words are
syllables: one). Query words are also
looked up as German lemmas, as compound parts ("Abschiedsbrief" → "brief"), and Latin
words as transliteration skeletons of the Cyrillic entries ("izbil" meets "избил").
Chinese and Japanese entries match inside the unspaced text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from functools import lru_cache

from analyzers import danger_words, language
from analyzers.danger_words import Met, plain_form
from analyzers.danger_words import split_words as words_of
from analyzers.figures import CAUSE, FIGURATIVE, FIGURE, OWN, Figures, figurative, find_figures
from analyzers.models import CrisisSignal
from analyzers.normalize import UNSPACED, script_key
from analyzers.resources import content_lines, list_dir
from analyzers.tokens import windows

STRUCTURE = "structure"  # the strength of a signal read from structure, not from a phrase

CORES: dict[str, tuple[str, ...]] = {
    "suicide": ("die", "farewell", "means", "hopeless", "selfharm", "finality"),
    "domestic_violence": (
        "hit",
        "threat",
        "injury",
        "confine",
        "hide",
        "homefear",
        "forced",
        "drunkfear",
    ),
    "child_danger": (
        "hit",
        "threat",
        "injury",
        "abuse",
        "neglect",
        "homefear",
        "confine",
        "cry",
        "missing",
    ),
    "homeless_tonight": ("noplace", "street"),
    "medical_emergency": ("breath", "body", "stroke"),
    "psychiatric_emergency": ("psych", "odd", "nosleep"),
    "pregnancy_emergency": ("secret", "body", "fear", "alone", "threat"),
}
# Weight of each class per kind: a danger predicate weighs most, a person, an urgency or a
# second predicate completes it. Tuned on the crisis tuning sets, never on held-out 5.
WEIGHTS: dict[str, dict[str, float]] = {
    "suicide": {
        "die": 0.5, "farewell": 0.6, "hopeless": 0.7, "means": 0.3, "selfharm": 0.7,
        "letter": 0.4, "want": 0.2, "gather": 0.4, "end": 0.4, "finality": 0.2, "self": 0.3,
        "now": 0.3, "all": 0.3, "night": 0.3,
    },
    "domestic_violence": {
        "hit": 0.7, "threat": 0.7, "injury": 0.6, "confine": 0.6, "hide": 0.5, "homefear": 0.7,
        "forced": 0.6, "weapon": 0.4, "fear": 0.3, "drunk": 0.3, "aggressor": 0.3,
        "self": 0.2, "now": 0.2, "night": 0.2, "home": 0.2, "child": 0.1, "die": 0.3,
    },
    "child_danger": {
        "hit": 0.7, "threat": 0.5, "injury": 0.6, "abuse": 0.7, "neglect": 0.6,
        "homefear": 0.7, "confine": 0.5, "child": 0.5, "fear": 0.3, "aggressor": 0.2, "cry": 0.25,
        "nearby": 0.3, "missing": 0.5,
        "weapon": 0.3, "now": 0.2, "night": 0.2, "alone": 0.3, "home": 0.1,
    },
    "homeless_tonight": {
        "noplace": 0.7, "street": 0.5, "sleep": 0.4, "night": 0.4, "now": 0.2, "landlord": 0.4,
        "self": 0.1, "child": 0.2, "cold": 0.3,
    },
    "medical_emergency": {
        "breath": 0.7, "body": 0.7, "stroke": 0.5, "sudden": 0.3, "relative": 0.3, "child": 0.3,
        "self": 0.3, "now": 0.3, "night": 0.1,
    },
    "psychiatric_emergency": {
        "psych": 0.8, "odd": 0.4, "nosleep": 0.4, "weapon": 0.3, "threat": 0.3,
        "relative": 0.3, "now": 0.2, "fear": 0.2, "night": 0.2, "die": 0.2,
    },
    "pregnancy_emergency": {
        "pregnant": 0.5, "secret": 0.5, "body": 0.5, "fear": 0.5, "alone": 0.5, "threat": 0.5,
        "self": 0.1, "now": 0.1,
    },
}  # fmt: skip
# A class standing for two met together: "everything" + "ends" is finality ("her şey bitecek").
# Fear of someone who drinks is the indirect way violence at home is told ("er wird so
# wütend wenn er trinkt und ich hab angst"): the two together are a danger predicate.
DERIVED: dict[str, tuple[str, str]] = {"finality": ("end", "all"), "drunkfear": ("drunk", "fear")}
_ALL_CORES = frozenset(c for cores in CORES.values() for c in cores)
# Kinds that win when raised: their services (pregnancy counselling) know the rest too.
FIRST = frozenset({"pregnancy_emergency"})
GATES: dict[str, str] = {"child_danger": "child", "pregnancy_emergency": "pregnant"}
# Predicates a negation right before them takes back ("er schlägt mich nicht").
NEGATABLE = frozenset(
    {"die", "hit", "threat", "abuse", "pregnant", "fear", "psych", "neglect", "alone"}
)
# Classes a file may name: the weighed ones, negation and context, the ones that only
# tell the kind of a danger found (who hits: :mod:`analyzers.crisis_kind`), and those of
# figures of speech (:mod:`analyzers.figures`).
KIND_CLASSES = frozenset({"parent", "partner"})
YEARS = "years"  # "Jahre", "yaşında", "лет", "tuổi": a number before it is an age
CLASSES = frozenset(
    {c for w in WEIGHTS.values() for c in w}
    | {"neg", "context", FIGURE, OWN, CAUSE, YEARS}
    | KIND_CLASSES
) - set(DERIVED)
THRESHOLD = 1.0
AGAIN = 0.3  # a core class met twice by different words
SHORT = 4  # a Latin word shorter than this is no danger predicate on its own
SHORT_CONTEXT = 5  # a shorter context word silences its own language only
MAX_GAP = 3  # other words allowed between two words of a multi-word entry
# ... of Vietnamese, whose words are several syllables: "không có bạn bè, ở nhà" (has no
# friends, at home) is no "không có nhà" (no home)
SYLLABLE_GAP = {"vi": 1}
WINDOW = 24  # words scored together: a longer text is read in half-overlapping windows
ADULT = 18  # from this age on, a daughter, a son or "80 yaşında" is no child
OLDEST = 120  # a larger number is a year, an amount, a house number
AGE_REACH = 2  # words between an age and the person it tells the age of
_NUMBER = re.compile(r"\d+")
KIND_ORDER = (
    "suicide",
    "domestic_violence",
    "child_danger",
    "psychiatric_emergency",
    "medical_emergency",
    "pregnancy_emergency",
    "homeless_tonight",
)


def parse(lines: Iterable[tuple[int, str]], file: str) -> list[tuple[str, str]]:
    """``[class]`` sections of comma-separated entries -> (class, entry)."""
    return danger_words.parse(lines, file, CLASSES)


@lru_cache(maxsize=1)
def lexicon() -> danger_words.Lexicon:
    lex = danger_words.Lexicon()
    for path in list_dir("danger"):
        for cls, entry in parse(content_lines(path), path.name):
            lex.add(path.stem, cls, entry)
    return lex


def classes(words: list[str]) -> dict[str, Met]:
    """lang -> class -> entries met by the query's words (negated predicates left out)."""
    return _met(words_of(words))


def _met(words: list[str]) -> dict[str, Met]:
    """:func:`classes` of words already split by :func:`words_of`."""
    lex = lexicon()
    hits = [lex.lookup(w) for w in words]
    out: dict[str, Met] = {}

    def add(number: int, positions: frozenset[int]) -> None:
        entry = lex.entries[number]
        out.setdefault(entry.lang, {}).setdefault(entry.cls, []).append((entry.text, positions))

    negated = _negated(lex, hits)
    several: dict[int, set[int]] = {}  # entry of several words -> its words met
    for position, found in enumerate(hits):
        for number, slot in found:
            entry = lex.entries[number]
            if entry.size > 1:
                several.setdefault(number, set()).add(slot)
            elif position not in negated.get(entry.lang, ()) or entry.cls not in NEGATABLE:
                add(number, frozenset({position}))
    for number in sorted(several):
        size = lex.entries[number].size
        if len(several[number]) < size:  # a word of it is missing: not met, in any order
            continue
        positions = _in_order(lex, number, size, hits)
        if not positions:
            continue
        entry = lex.entries[number]
        # a longer entry may stand one word after its negation ("no estar solo en casa")
        before = negated.get(entry.lang, set()) & {min(positions) - n for n in (0, 1)}
        if not (before and entry.cls in NEGATABLE):
            add(number, positions)
    if any(UNSPACED.search(w) for w in words):
        joined = "".join(script_key(w) for w in words)
        for text, number in lex.unspaced:
            if text in joined:
                add(number, frozenset({-1 - joined.index(text)}))
    grown = _grown(words, out)
    for present in out.values():
        if grown and "child" in present:
            present["child"] = [(t, ps) for t, ps in present["child"] if not ps <= grown]
            if not present["child"]:
                del present["child"]
        for derived, (a, b) in DERIVED.items():
            if a in present and b in present:
                present[derived] = [*present[a], *present[b]]
    return out


def _grown(words: list[str], found: dict[str, Met]) -> frozenset[int]:
    """Positions near an adult's age: a number from :data:`ADULT` on before a word for years
    ("Annem 80 yaşında", "сыну 30 лет", "Tochter ist 25 Jahre"). A child word there is a
    grown-up son or an old mother; "Baby 20 Monate", "Sohn seit 22 Uhr weg" or "a babának
    40 fokos láza" (degrees of fever) tell no age."""
    years = {p for present in found.values() for _, ps in present.get(YEARS, ()) for p in ps}
    out: set[int] = set()
    for position, word in enumerate(words):
        number = _NUMBER.fullmatch(word.strip("(),.;:!?"))
        if number is None or not ADULT <= int(number.group()) <= OLDEST:
            continue
        if position + 1 in years:
            out.update(range(position - AGE_REACH, position + AGE_REACH + 1))
    return frozenset(out)


def _negated(
    lex: danger_words.Lexicon, hits: list[frozenset[tuple[int, int]]]
) -> dict[str, set[int]]:
    """Per language, the positions right after a negation word of that language."""
    out: dict[str, set[int]] = {}
    for position, found in enumerate(hits[:-1]):
        for number, _ in found:
            entry = lex.entries[number]
            if entry.cls == "neg" and entry.size == 1:
                out.setdefault(entry.lang, set()).add(position + 1)
    return out


def _in_order(
    lex: danger_words.Lexicon, number: int, size: int, hits: list[frozenset[tuple[int, int]]]
) -> frozenset[int]:
    """Where the entry's words stand in order, each at most :data:`MAX_GAP` words (its
    language's :data:`SYLLABLE_GAP`) after the last; empty when they do not."""
    gap = SYLLABLE_GAP.get(lex.entries[number].lang, MAX_GAP)
    for first, found in enumerate(hits):
        if (number, 0) not in found:
            continue
        positions = [first]
        for place in range(1, size):
            stop = min(len(hits), positions[-1] + gap + 2)
            after = range(positions[-1] + 1, stop)
            nxt = next((p for p in after if (number, place) in hits[p]), None)
            if nxt is None:
                break
            positions.append(nxt)
        else:
            return frozenset(positions)
    return frozenset()


def _literal(found: dict[str, Met], figure: Figures) -> dict[str, Met]:
    """``found`` without the predicates a thing makes a figure of speech (:data:`FIGURATIVE`)
    and without any danger predicate met by the thing's own words."""
    out: dict[str, Met] = {}
    for lang, present in found.items():
        kept: Met = {}
        for cls, met in present.items():
            literal = [
                (text, ps)
                for text, ps in met
                if cls not in _ALL_CORES  # a thing's word still says "course" ("Computerkurs")
                or not (ps <= figure.things or (cls in FIGURATIVE and figurative(ps, figure)))
            ]
            if literal:
                kept[cls] = literal
        out[lang] = kept
    return out


def speaks_figuratively(words: list[str]) -> bool:
    """Whether a kill or death word of the query is a figure of speech ("mein Akku stirbt",
    "il mio telefono è morto"): then the danger model's alarm is not trusted either."""
    split = words_of(words)
    found = _met(split)
    figure = find_figures(found, split)
    return bool(figure.things) and any(
        cls in FIGURATIVE and figurative(ps, figure)
        for present in found.values()
        for cls, met in present.items()
        for _, ps in met
    )


def score(present: Met, kind: str) -> float:
    """The kind's score for the classes one language's words met (0 when not raised).

    A danger predicate met twice by different words ("hasn't slept", "voices") counts
    :data:`AGAIN` more: two signs of one danger are stronger than one.
    """
    weights = WEIGHTS[kind]
    gate = GATES.get(kind)
    if gate is not None and gate not in present:
        return 0.0
    cores = [c for c in CORES[kind] if any(_telling(text) for text, _ in present.get(c, ()))]
    if not cores:
        return 0.0
    total = sum(weights.get(c, 0.0) for c in present)
    if any(_apart(present[c]) for c in cores):
        total += AGAIN
    return round(total, 3)


def _telling(text: str) -> bool:
    """Whether an entry can carry a danger predicate: several words, another script, or a
    Latin word of four letters and more. Short Latin words ("da", "so", "me") are words of
    other languages too often to name a danger by themselves."""
    plain = plain_form(text).strip("*")
    return " " in plain or not plain.isascii() or len(plain) >= SHORT


def _apart(met: list[tuple[str, frozenset[int]]]) -> bool:
    """Two entries of a class met by words that do not overlap."""
    return any(not a[1] & b[1] for a, b in itertools.combinations(met, 2))


def _context(found: dict[str, Met], scored: str) -> bool:
    """A context word ("Kurs", "job") that is not part of a longer danger entry met
    ("he'll finish the job"). Short ones count for their own language only: the French
    "don" is no donation in "I don't want to live"."""
    inside = {
        p
        for present in found.values()
        for cls, met in present.items()
        if cls != "context"
        for _, ps in met
        if len(ps) > 1
        for p in ps
    }
    return any(
        not ps <= inside and (lang == scored or len(plain_form(text).strip("*")) >= SHORT_CONTEXT)
        for lang, present in found.items()
        for text, ps in present.get("context", ())
    )


def detect(words: list[str]) -> CrisisSignal | None:
    """The crisis the structure of a query's words expresses, or ``None``.

    ``words`` are the typed words in order, stop words included. A message longer than
    :data:`WINDOW` words is read window by window, half overlapping: its danger may stand
    in its last clause, and classes met sentences apart make no danger sentence.
    """
    for window in windows(words_of(words), WINDOW):
        signal = _detect_window(window)
        if signal is not None:
            return signal
    return None


def _detect_window(words: list[str]) -> CrisisSignal | None:
    """:func:`detect` for one window of a message: classes met far apart in a long story
    ("my father", later "forgets", later "at night") are no sentence about danger."""
    if not words:
        return None
    found = _met(words)
    figure = find_figures(found, words)
    if figure.things:
        found = _literal(found, figure)
    if language.vietnamese(" ".join(words)):
        found = {lang: met for lang, met in found.items() if lang == "vi"}
    best: tuple[float, int, str, str] | None = None
    for lang, present in sorted(found.items()):
        if not present.keys() & _ALL_CORES or _context(found, lang):
            continue
        for rank, kind in enumerate(KIND_ORDER):
            value = score(present, kind)
            if value >= THRESHOLD and kind in FIRST:
                value += 1.0  # a pregnancy in danger is that, whatever else threatens
            if value >= THRESHOLD and (best is None or (value, -rank) > (best[0], -best[1])):
                best = (value, rank, kind, lang)
    if best is None:
        return None
    _, _, kind, lang = best
    present = found[lang]
    used = [c for c in present if WEIGHTS[kind].get(c) or c == GATES.get(kind)]
    phrase = " + ".join(f"{c}:{present[c][0][0]}" for c in used)
    return CrisisSignal(kind, phrase, lang, STRUCTURE)
