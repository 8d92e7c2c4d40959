"""What the structure rule reads around its classes (round 20): an adult's age, Vietnamese
tones, crying on its own, a neighbour. Ten of these cases fail on round 19's code; the
kinds of phrasing came from the tuning sets, never from a reported one. The neighbours'
table keeps recall where crying is no neglect any more: a neighbour and the night still alarm
("çocuğu", Turkish "his child", was no child word before). The round 21 table fails on
round 20's code: fear of someone who drinks, the night spent at a station, no reason left
to go on. The round 22 table fails on round 21's code: a plot against the writer, shadows
that move, a baby coming with nobody there, doubt of surviving a drunk partner, letters
"for afterwards", a shelter that turns someone away. The round 23 table fails on round 22's
code: "not much longer" beside a means, a child missing for hours, heroin, being pursued.
The round 26 table fails on round 25's glossaries without round 26's danger messages.
"""

from __future__ import annotations

import pytest

from analyzers import analyze_query, danger
from analyzers.models import CrisisSignal
from analyzers.tokens import tokenize

CHILD = "child_danger"


def structure(text: str) -> CrisisSignal | None:
    return danger.detect([t.text for t in tokenize(text)])


def met(text: str, lang: str) -> set[str]:
    return set(danger.classes([t.text for t in tokenize(text)]).get(lang, {}))


def alarm_kind(text: str) -> str | None:
    """The kind of the alarm the whole analysis raises on ``text``, if any."""
    signal = analyze_query(text).crisis
    return signal.kind if signal is not None else None


@pytest.mark.parametrize(
    "text",
    [
        # an adult's age: the mother is 80, the daughter 25 -- no child
        "annem 80 yaşında, tek başına yaşıyor ve kimseyle konuşmuyor",
        "моему сыну 30 лет, он живёт один и голодает",
        # Vietnamese with tones: "bạn" (friend) is no "bẩn" (dirty), a home is no "no home"
        "con gái tôi không có bạn bè, ở nhà buồn",
        # crying alone is no neglect (as in German and English since round 17)
        "moje dziecko dużo płacze w nocy, co robić",
        "bebeğim çok ağlıyor, uyumuyor",
        "mon bébé pleure beaucoup le soir",
    ],
)
def test_an_everyday_family_sentence_raises_no_alarm(text: str) -> None:
    assert structure(text) is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("meine tochter ist 25 jahre alt und wohnt allein", "de"),
        ("annem 80 yaşında", "tr"),
        ("моему сыну 30 лет", "ru"),
    ],
)
def test_a_child_word_next_to_an_adult_age_is_no_child(text: str, lang: str) -> None:
    assert "child" not in met(text, lang)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("meine tochter ist 15 jahre alt und wohnt allein", "de"),  # under 18
        ("mein kind hat 40 grad fieber", "de"),  # degrees tell no age either
        ("a babának 40 fokos láza van", "hu"),
        ("mein baby ist 20 monate alt", "de"),  # months tell no adult's age
        ("mein sohn ist seit 22 uhr weg", "de"),  # nor hours
        ("oğlum 15 yaşında", "tr"),
    ],
)
def test_a_child_stays_a_child(text: str, lang: str) -> None:
    assert "child" in met(text, lang)


def test_vietnamese_typed_without_tones_still_meets_the_entries() -> None:
    assert "neglect" in met("con toi bi bo doi", "vi")
    assert "neglect" in met("con tôi bị bỏ đói", "vi")
    assert "neglect" not in met("cuộc đời tôi", "vi")  # "đời" (life) is no "đói" (hungry)


@pytest.mark.parametrize(
    "text",
    [
        "dziecko sąsiadów płacze i krzyczy całą noc",
        "komşunun çocuğu bütün gece ağlıyor ve bağırıyor",
        "l'enfant des voisins pleure et crie toute la nuit",
        "ребёнок у соседей кричит и плачет всю ночь",
    ],
)
def test_a_neighbours_child_crying_all_night_still_raises_the_alarm(text: str) -> None:
    found = structure(text)
    assert found is not None and found.kind == CHILD


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # round 21: fear of someone who drinks is violence at home told indirectly
        ("immer wenn er säuft krieg ich angst", "domestic_violence"),
        ("he drinks every night and i am scared", "domestic_violence"),
        ("kocam sarhoş olunca korkuyorum", "domestic_violence"),
        # waiting for the morning at a station is a night outside
        ("ich bleib bis morgen früh am busbahnhof", "homeless_tonight"),
        # "no reason left to go on" is hopelessness
        ("tôi không còn lý do để sống", "suicide"),
    ],
)
def test_indirect_phrasings_of_round_21(text: str, kind: str) -> None:
    found = structure(text)
    assert found is not None and found.kind == kind


def test_drinking_without_fear_is_no_danger() -> None:
    assert structure("mein mann trinkt zu viel, wo gibt es suchtberatung") is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("seit tagen wach und die schatten bewegen sich", "psychiatric_emergency"),
        ("they are conspiring against me and i haven't slept in days", "psychiatric_emergency"),
        ("kolege su se urotili protiv mene i čitaju mi misli", "psychiatric_emergency"),
        ("das baby kommt und ich bin ganz allein", "pregnancy_emergency"),
        ("wenn er betrunken heimkommt weiß ich nicht ob ich das überlebe", "domestic_violence"),
        ("hab briefe an alle geschrieben, für danach", "suicide"),
        ("khud ko khatam karna chahta hoon", "suicide"),
        ("le foyer refuse de me prendre, je suis devant la gare", "homeless_tonight"),
    ],
)
def test_indirect_phrasings_of_round_22(text: str, kind: str) -> None:
    found = structure(text)
    assert found is not None and found.kind == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("das höchste hochhaus der stadt, ich brauch das alles nicht mehr lange", "suicide"),
        ("unser sohn ist seit drei stunden vermisst, bitte", "child_danger"),
        ("my son has been missing since this morning", "child_danger"),
        ("finde meine tochter nicht, sie ist 5", "child_danger"),
        ("mein bruder hat heroin genommen, was jetzt", "medical_emergency"),
        ("er hat uns gefunden, obwohl wir umgezogen sind", "domestic_violence"),
        ("he found us again after we moved", "domestic_violence"),
    ],
)
def test_indirect_phrasings_of_round_23(text: str, kind: str) -> None:
    found = structure(text)
    assert found is not None and found.kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "Schuldnerberatung, die Mahnungen bringen mich noch um",
        "die Schulden bringen mich noch um, wer hilft",
        "mein Kind vermisst seinen Vater seit der Trennung",
        "ich kann mein Kind morgens nicht wecken",
        "unser Vermieter sucht einen Nachmieter",
    ],
)
def test_round_23_look_alikes_raise_no_alarm(text: str) -> None:
    assert alarm_kind(text) is None


@pytest.mark.parametrize(
    "text",
    [
        # a stroke in the past, asked about care: the care words defuse the stroke alarm
        "Pflegeberatung für meinen Vater nach dem Schlaganfall",
        "Papa hatte einen Schlaganfall und kommt aus der Reha, wir brauchen einen Pflegedienst",
        "мама после инсульта, нужна сиделка и уход на дому",
        # fled from a country, not from a partner
        "wir sind mit den kindern aus syrien geflohen",
        "ich bin mit meinen kindern aus der ukraine geflohen und suche eine wohnung",
        # a game, a podcast
        "dieser endboss bringt mich noch um",
        "Podcast über Psychose und Genesung, Empfehlung gesucht",
    ],
)
def test_round_24_look_alikes_raise_no_alarm(text: str) -> None:
    assert alarm_kind(text) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # the acute forms keep their alarm
        ("Opa hat einen Schlaganfall!!", "medical_emergency"),
        ("у папы инсульт, что делать", "medical_emergency"),
        ("у тата інсульт, що робити", "medical_emergency"),
        # fled from him: "geflohen" is no "geflogen" (thrown out)
        ("bin mit meiner tochter aus der wohnung geflohen, er sucht uns", "domestic_violence"),
        ("bin vor meinem mann geflohen, wo können wir hin", "domestic_violence"),
        (
            "bin aus der wohnung geflogen und weiß nicht wo ich heute schlafen soll",
            "homeless_tonight",
        ),
    ],
)
def test_round_24_dangers_keep_their_kind(text: str, kind: str) -> None:
    assert alarm_kind(text) == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # Kurmanji "bi zarok" (with child: pregnant) is no "bi zarokan re" (with the children)
        ("mêrê min li min dixe, ez dixwazim bi zarokan re birevim", "domestic_violence"),
        ("ez bi zarok im û mêrê min li min dixe", "pregnancy_emergency"),
    ],
)
def test_fleeing_with_the_children_is_no_pregnancy(text: str, kind: str) -> None:
    """Round 25 (found by a glossary writer's own test): the first read as a pregnancy."""
    assert alarm_kind(text) == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("krev pořád teče z ruky a obvaz je celý mokrý", "medical_emergency"),
        ("tatínek najednou mluví nesrozumitelně a padá mu koutek", "medical_emergency"),
        ("θα ήταν καλύτερα για όλους αν δεν υπήρχα", "suicide"),
        ("孩子从早上就不见了，才八岁", CHILD),
    ],
)
def test_the_danger_model_reads_the_languages_whose_glossaries_grew(text: str, kind: str) -> None:
    """Round 26: none of these alarmed with round 25's glossaries alone (the ordinary phrases
    of Czech, Greek, Chinese ... outweighed their few danger messages); blind-written danger
    messages in those twelve languages (``written-26.tsv``) taught the model their danger."""
    assert alarm_kind(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "kurz první pomoci pro rodiče v Chemnitzu",
        "mi è morto il telefono, dove lo riparo",
        "tìm bác sĩ phụ khoa khám thai định kỳ",
        "kërkoj një mami për lindjen",
        "con tôi bị bắt nạt ở trường, tôi nên hỏi ai",
        "bdi dakhtor nisa lal 7aml",
    ],
)
def test_their_everyday_look_alikes_raise_no_alarm(text: str) -> None:
    assert alarm_kind(text) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # learner German for "expires": no "ein Ende machen" with words between
        ("mein visum ist bald zu ende was ich machen", None),
        ("mein Pass ist bald zu Ende, was ich machen?", None),
        # ... while making an end of it stays suicide
        ("ich will allem ein ende machen", "suicide"),
        ("ich will einfach ein ende machen", "suicide"),
    ],
)
def test_something_running_out_is_no_end_made(text: str, kind: str | None) -> None:
    """Round 26 (tuning 24): the structure rule read "ende … machen" three words apart as
    "ein Ende machen" and raised a suicide alarm on a visa that expires."""
    assert alarm_kind(text) == kind
