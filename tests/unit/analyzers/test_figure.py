"""Things that kill or die only in a figure of speech (round 18): "die Hitze bringt mich um".

Look-alike writers of every round wrote them in every language, and each raised an alarm:
a kill phrase meant for a threat, the structure rule's death word, the danger model.
"""

from __future__ import annotations

import pytest

from analyzers import analyze_query, crisis, danger, figures

HOMELESS = "homeless_tonight"


def signal(text: str):  # type: ignore[no-untyped-def]
    return analyze_query(text).crisis


@pytest.mark.parametrize(
    "text",
    [
        "die heizkosten bringen mich noch um gibt es einen zuschuss",
        "der papierkram bringt mich um, hilfe beim wohngeldantrag",
        "die nebenkostenabrechnung hat mich fast umgebracht ratenzahlung möglich",
        "bu fiyatlar beni öldürüyor ucuz market hangisi",
        "prețurile astea mă omoară unde găsesc reduceri la mâncare",
        "ez a meleg megöl hol van strand a közelben",
        "tahle zima me zabije kde koupit levne topeni",
    ],
)
def test_a_thing_that_kills_me_is_a_figure_of_speech(text: str) -> None:
    """Heat, prices, bills and paperwork as the subject of a "^" kill phrase."""
    assert signal(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "mein akku stirbt ständig welches ladegerät",
        "meine zimmerpflanzen sterben alle, gibt es einen gartenverein",
        "điện thoại chết máy sửa ở đâu rẻ",
        "il mio telefono è morto, dove ricaricare",
        "телефонът ми умря, къде има зарядно",
    ],
)
def test_a_dead_device_is_no_danger(text: str) -> None:
    """The structure rule's death word and the danger model's alarm, both."""
    assert signal(text) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("mein mann bringt mich um", "domestic_violence"),
        ("wegen der prüfung bring ich mich um", "suicide"),
        ("kocam beni öldürecek", "domestic_violence"),
        ("soțul meu mă omoară", "domestic_violence"),
        ("die schulden bringen mich um ich will nicht mehr leben", "suicide"),
        ("mein handy ist tot und ich weiß nicht wo ich heute nacht schlafen soll", HOMELESS),
    ],
)
def test_a_person_or_a_plain_danger_beside_a_thing_still_raises_the_alarm(
    text: str, kind: str
) -> None:
    """A partner named, the writer's own "ich", or another danger phrase: recall first."""
    found = signal(text)
    assert found is not None and found.kind == kind


def test_a_thing_is_a_subject_before_after_or_the_word_itself() -> None:
    thing = figures.Figures(frozenset({1}))
    assert figures.figurative(frozenset({6, 7, 8}), thing) is False  # 5 words before
    assert figures.figurative(frozenset({2, 3, 5}), thing) is True  # "die hitze bringt mich um"
    assert figures.figurative(frozenset({0, 1}), figures.Figures(frozenset({2})))  # "mă omoară …"
    assert figures.figurative(frozenset({1}), thing)  # "điện" is the thing's word
    assert figures.figurative(frozenset({1}), figures.Figures()) is False


def test_the_writers_own_act_or_a_cause_keeps_it_literal() -> None:
    """ "ich"/"myślę" between the thing and the predicate, or "wegen"/"miatt" naming the
    thing as a cause: the writer is the subject, not the thing."""
    assert not figures.figurative(
        frozenset({5, 6}), figures.Figures(frozenset({1}), own=frozenset({4}))
    )
    assert figures.figurative(
        frozenset({5, 6}), figures.Figures(frozenset({1}), own=frozenset({0}))
    )
    cause_before = figures.Figures(frozenset({3}), cause=frozenset({0}))  # "à cause des factures"
    assert not figures.figurative(frozenset({5}), cause_before)
    assert not figures.figurative(
        frozenset({5}), figures.Figures(frozenset({2}), cause=frozenset({3}))
    )
    far = figures.Figures(frozenset({4}), cause=frozenset({0}))  # the cause of something else
    assert figures.figurative(frozenset({6}), far)


@pytest.mark.parametrize(
    "text",
    [
        "przez rachunki myślę żeby skoczyć z mostu",
        "à cause des factures je pense à en finir",
        "a számlák miatt le akarok ugrani a hídról",
    ],
)
def test_a_wish_to_die_over_a_thing_still_raises_the_alarm(text: str) -> None:
    """Bills as the reason, the writer as the subject: in languages that drop the pronoun,
    the wish or the thought says "I" (round 19; each was silent in round 18)."""
    found = signal(text)
    assert found is not None and found.kind == "suicide"


def test_a_person_in_the_things_language_keeps_it_literal() -> None:
    """ "mein Mann" and the thing in one language: the kill word may be meant. A word that
    is a person in another language ("wo", Hindi "he") does not count."""
    words = ["mein", "mann", "und", "die", "hitze"]
    assert figures.find_figures(danger.classes(words), words) == figures.Figures()
    words = ["diese", "hitze", "bringt", "mich", "noch", "um", "wo"]
    assert figures.find_figures(danger.classes(words), words).things == frozenset({1})


@pytest.mark.parametrize(
    "words",
    [
        ["telefonseelsorge", "nummer", "sterben"],
        ["hilfetelefon", "gewalt", "er", "bringt", "mich", "um"],
    ],
)
def test_a_thing_inside_a_compound_is_no_thing(words: list[str]) -> None:
    """ "Telefonseelsorge" holds "Telefon", and a helpline is no dead phone."""
    assert figures.find_figures(danger.classes(words), words).things == frozenset()
    assert not danger.speaks_figuratively(words)


def test_a_caret_marks_a_phrase_a_thing_can_be_the_subject_of() -> None:
    parsed = crisis.parse([(1, "[domestic_violence]"), (2, "^zabije mě, bije mě")], "x.txt")
    assert parsed == [
        ("domestic_violence", crisis.FIGURABLE, "zabije mě"),
        ("domestic_violence", crisis.STRONG, "bije mě"),
    ]
