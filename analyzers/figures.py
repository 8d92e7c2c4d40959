"""Things that kill or die only in a figure of speech: "die Hitze bringt mich um".

Writers of look-alikes wrote them in every round and every language ("die Heizkosten
bringen mich noch um", "mă omoară facturile", "il mio telefono è morto"), and each raised
an alarm: a kill phrase of the crisis lists meant for a threat, a death word of the
structure rule (:mod:`analyzers.danger`), the danger model (:mod:`analyzers.alarm`). All
three ask this module whether the kill or death word they met has a thing for its subject.

The things are a word class of ``data/danger/<lang>.txt`` (``[figure]``), and so are the
words that give the act back to the writer (``[own]``: "ich", "quiero", "myślę") or name
the thing as its cause (``[cause]``: "wegen", "przez", "miatt"), so that a language that
drops its pronouns ("przez rachunki myślę żeby skoczyć") keeps its alarm as German does
("wegen der Prüfung bring ich mich um").
"""

from __future__ import annotations

from dataclasses import dataclass

from analyzers.danger_words import Met, plain_form

FIGURE = "figure"
OWN = "own"  # "ich", "quiero", "myślę": between a thing and a predicate, the act is the writer's
CAUSE = "cause"  # "wegen", "przez", "miatt": the thing is a cause, not the predicate's subject
# Someone named who could hurt: with one of them, "… bringt mich um" may be meant.
PERSONS = ("aggressor", "partner", "parent")
# Predicates a thing right beside them makes a figure of speech ("mein Akku stirbt").
FIGURATIVE = frozenset({"die", "threat"})
FIGURE_BEFORE = 4  # words a thing may stand before the predicate it is the subject of
FIGURE_AFTER = 2  # ... and after it, one word between at most ("meghal a telefonom")
ENDING = 3  # letters a thing's word may add as an ending ("telefonum"), more make a compound
CAUSE_BEFORE = 3  # words a cause word may stand before its thing ("à cause des factures")


@dataclass(frozen=True)
class Figures:
    """Where a query names things that kill or die only in a figure of speech, and the
    words that make an act the writer's own (:data:`OWN`) or a thing its cause (:data:`CAUSE`)."""

    things: frozenset[int] = frozenset()
    own: frozenset[int] = frozenset()
    cause: frozenset[int] = frozenset()


def find_figures(found: dict[str, Met], words: list[str]) -> Figures:
    """The :class:`Figures` of a query's classes: things of the ``figure`` class ("die
    Heizkosten", "mein Akku", "bu sıcak") in the languages that name no person who could
    hurt (:data:`PERSONS`), and the ``own`` and ``cause`` words of those languages.

    Heat, prices, the boss or a phone "kill" or "die" only in a figure of speech, and
    writers of look-alikes in every round wrote them in every language: "die Heizkosten
    bringen mich noch um", "mă omoară facturile", "il mio telefono è morto". A partner or
    a parent named in the thing's language may mean it. A thing counts as a whole word, not
    as a part: "Telefonseelsorge" and "Hilfetelefon" are no telephone.
    """
    things: set[int] = set()
    own: set[int] = set()
    cause: set[int] = set()
    for present in found.values():
        if any(c in present for c in PERSONS):  # in the thing's language: "wo" is Hindi "he"
            continue
        named = {
            p
            for text, ps in present.get(FIGURE, ())
            # several words or unspaced text, or one whole word
            if len(ps) != 1 or min(ps) < 0 or _whole(text, words[min(ps)])
            for p in ps
        }
        if named:  # "I" and "because of" in the thing's language: French "en" is no "én"
            things |= named
            own.update(
                p for text, ps in present.get(OWN, ()) if _as_typed(text, ps, words) for p in ps
            )
            cause.update(p for _, ps in present.get(CAUSE, ()) for p in ps)
    return Figures(frozenset(things), frozenset(own), frozenset(cause))


def _as_typed(entry: str, positions: frozenset[int], words: list[str]) -> bool:
    """Whether the words at ``positions`` are the entry's words as typed, not met through a
    lemma: the German lemma of "er", "sie" and "es" is "ich", and they make no act the
    writer's own."""
    spelled = {plain_form(w) for w in entry.split()}
    return all(p < 0 or plain_form(words[p]) in spelled for p in positions)


def _whole(entry: str, word: str) -> bool:
    """Whether a one-word entry meets the typed word as a whole: a listed beginning
    ("nebenkosten*") any word it begins, a plain entry with an ending of three letters
    at most, not as the part of a compound."""
    plain = plain_form(entry)
    return plain.endswith("*") or len(plain_form(word)) - len(plain) <= ENDING


def figurative(positions: frozenset[int], found: Figures) -> bool:
    """Whether the words at ``positions`` are a figure of speech: a thing stands at most
    :data:`FIGURE_BEFORE` words before them (their subject: "der Stress bringt mich um", "die
    Abrechnung hat mich fast umgebracht"), right after them or one word later ("mă omoară
    facturile", "meghal a telefonom": :data:`FIGURE_AFTER`), or is them ("điện thoại" is no
    "điên").

    Not when the writer makes the act their own in between ("wegen der Prüfung bring ich
    mich um", "przez rachunki myślę żeby skoczyć": :data:`OWN`, in languages that drop the
    pronoun a wish or a thought) or names the thing as the cause ("à cause des factures",
    "a számlák miatt": :data:`CAUSE`) — the subject is then the writer, not the thing.
    """
    things = found.things
    if not positions or not things:
        return False
    first, last = min(positions), max(positions)
    if positions <= things:
        return True
    before = [p for p in range(first - FIGURE_BEFORE, first) if p in things]
    if not before and not things & frozenset(range(last + 1, last + 1 + FIGURE_AFTER)):
        return False
    start = min(before) if before else first
    if found.own & frozenset(range(start, last + 1)):
        return False
    if not before:
        return True
    subject = max(before)
    named = subject
    while named - 1 in things:  # a thing of several words ("điện thoại")
        named -= 1
    return not (
        found.cause & frozenset(range(named - CAUSE_BEFORE, named)) or subject + 1 in found.cause
    )
