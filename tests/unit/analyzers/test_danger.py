"""Crisis detection from structure (``analyzers.danger``): predicate + person + urgency.

The indirect phrasings below name no crisis word and are on no phrase list; the phrase
lists alone miss them (``strength == "structure"`` says the structure rule found them), so
these tests fail if the rule is taken out.
"""

from __future__ import annotations

import pytest

from analyzers import analyze_query, crisis, danger
from analyzers.errors import ResourceFormatError
from analyzers.tokens import tokenize


def words(text: str) -> list[str]:
    return [t.text for t in tokenize(text)]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ich hab meinem Hund schon ein neues Zuhause gesucht, ich brauche keins mehr", "suicide"),
        ("I have counted my pills, how many would be enough", "suicide"),
        ("ez dixwazim her tişt îşev biqede", "suicide"),  # Kurmanji: all + ends + tonight
        ("er hat mir gestern wieder den Gürtel übergezogen", "domestic_violence"),
        ("mio marito mi ha messo le mani addosso di nuovo", "domestic_violence"),
        ("die Schreie nebenan hören nicht auf, es klingt nach einem kleinen Kind", "child_danger"),
        ("my uncle thinks the neighbours put a chip in his head and he has a knife", "psych"),
        ("gerade aus der Klinik entlassen und keinen Ort, wo ich hin kann", "homeless_tonight"),
        ("mi abuela de repente no puede mover la pierna", "medical_emergency"),
        ("estoy embarazada y nadie en mi familia lo sabe", "pregnancy_emergency"),
    ],
)
def test_indirect_danger_is_found_by_its_structure(text, kind):
    found = crisis.detect(words(text))
    assert found is not None and found.strength == "structure"
    assert found.kind == kind or (kind == "psych" and found.kind == "psychiatric_emergency")


def test_word_order_does_not_matter():
    a = danger.detect(words("ich hab meinen Abschiedsbrief schon geschrieben"))
    b = danger.detect(words("schon geschrieben hab ich meinen Abschiedsbrief"))
    assert a is not None and b is not None and a.kind == b.kind == "suicide"


@pytest.mark.parametrize(
    "text",
    [
        "Abschiedsbrief",  # a predicate alone
        "mein Kind heute Nacht",  # persons and urgency without a predicate
        "Baby schreit ständig",  # a weak sign with a child is not enough
        "Mein Bruder hat nur noch wenige Wochen zu leben und möchte zu Hause sterben",
    ],
)
def test_one_class_or_no_predicate_raises_nothing(text):
    assert danger.detect(words(text)) is None


def test_context_words_silence_the_rule():
    text = "Kinder, die Angst haben nach Hause zu gehen, weil der Vater sie schlägt"
    assert danger.detect(words(text)) is not None
    assert danger.detect(words("Fortbildung: " + text)) is None
    assert danger.detect(words("Statistik " + text)) is None


def test_a_context_word_inside_a_danger_phrase_does_not_silence():
    found = danger.detect(
        words("texting from the bathroom, he said next time he'll finish the job")
    )
    assert found is not None and found.kind == "domestic_violence"


def test_a_negation_takes_the_predicate_back():
    assert danger.detect(words("er hat mich wieder geschlagen")) is not None
    assert danger.detect(words("er hat mich nie geschlagen")) is None


def test_a_death_mourned_is_no_wish_to_die():
    text = "ich hab meine Schwiegermutter gepflegt, die gestorben ist, jetzt will ich weg"
    assert danger.detect(words(text)) is None
    found = danger.detect(words("ich will sterben, jetzt ist alles weg"))
    assert found is not None and found.kind == "suicide"


def test_alone_is_neglect_only_where_a_child_is_left_alone():
    # Spanish and Italian "solo" is also "only"; "no estar solo" is no neglect.
    assert danger.detect(words("mi hijo de 14 quiere jugar y no estar solo en casa")) is None
    assert danger.detect(words("solo quiero un curso para mi hija")) is None
    found = danger.detect(words("mi hijo de 5 años está solo en casa desde ayer"))
    assert found is not None and found.kind == "child_danger"


def test_classes_of_different_languages_are_not_mixed():
    # "so" is Vietnamese "sợ" (afraid) and "da" German; a short Latin word is no predicate
    assert danger.detect(words("ich bin so müde, der Arzt ist nicht da")) is None
    # German "die" is no English "die": "die Tabletten" alone raises nothing
    assert danger.detect(words("die Tabletten für meine Oma")) is None


def test_typed_cyrillic_meets_the_cyrillic_classes():
    found = danger.detect(words("muzh izbil menya boyus idti domoy"))
    assert found is not None and (found.kind, found.lang) == ("domestic_violence", "ru")


def test_an_everyday_word_is_not_read_as_typed_cyrillic():
    # "place" would be the skeleton of Ukrainian "плаче" (cries), "bebe" of Bulgarian "бебе"
    assert danger.detect(words("place en crèche pour mon bébé")) is None


def test_a_typo_is_forgiven_but_not_a_changed_letter():
    assert "farewell" in danger.classes(["Abschiedsbrif"])["de"]
    hits = danger.classes(["schlafen"]).get("de", {})
    assert "hit" not in hits  # "schlafen" is not "schlagen"


def test_two_signs_of_one_danger_count_more():
    present = danger.classes(words("haven't slept in five days and the voices keep getting louder"))
    assert danger.score(present["en"], "psychiatric_emergency") >= danger.THRESHOLD


def test_every_class_file_parses_and_every_language_has_the_main_predicates():
    lex = danger.lexicon()
    by_lang: dict[str, set[str]] = {}
    for entry in lex.entries:
        by_lang.setdefault(entry.lang, set()).add(entry.cls)
    assert len(by_lang) >= 25
    helpers = danger.KIND_CLASSES | {danger.YEARS}  # who hits; how old someone is
    kind_only = {lang for lang, classes in by_lang.items() if classes <= helpers}
    assert kind_only == {"ta"}  # Tamil names who hits only; its dangers are curated phrases
    for lang, classes in by_lang.items():
        if lang not in kind_only:
            assert {"die", "hit", "pregnant", "noplace", "breath", "context"} <= classes, lang


def test_the_class_file_format_is_checked():
    with pytest.raises(ResourceFormatError, match="unknown word class"):
        danger.parse([(1, "[danger] x")], "x.txt")
    with pytest.raises(ResourceFormatError, match="before the first"):
        danger.parse([(1, "sterben")], "x.txt")
    assert danger.parse([(1, "[die] sterben, tot*"), (2, "nie wieder aufwachen")], "x.txt") == [
        ("die", "sterben"),
        ("die", "tot*"),
        ("die", "nie wieder aufwachen"),
    ]


def test_a_word_that_folds_to_nothing_is_read_without_error() -> None:
    # A lone combining cedilla once left no form to look up (found by the fuzz test).
    assert analyze_query("\u0327").crisis is None
    assert analyze_query("ich \u0327 will sterben").crisis is not None


FILLER = (
    "guten Tag, ich habe eine Frage zum Wohngeld, der Antrag liegt seit März beim Amt, "
    "dazu kam die Nachzahlung der Nebenkosten und das Jobcenter schreibt auch noch, "
)


def test_danger_late_in_a_long_message_is_read():
    # the clause stands after the first 24 words: the whole message is read, window by window
    text = FILLER + FILLER + "und er hat mich gestern wieder geschlagen"
    assert len(words(text)) > 2 * danger.WINDOW
    found = analyze_query(text).crisis
    assert found is not None and found.kind == "domestic_violence"


def test_classes_far_apart_in_a_long_story_make_no_sentence():
    # a relative at the start, sleepless nights at the end: no window holds both
    near = "mein Mann kann jetzt nachts nicht schlafen"
    assert danger.detect(words(near)) is not None
    far = "mein Mann kann " + FILLER + FILLER + "jetzt nachts nicht schlafen"
    assert danger.detect(words(far)) is None


def test_a_short_infix_context_word_silences_its_own_language_only():
    # Persian chat "*dore*" (a course) is four letters: "adore" in French is no course
    assert danger.detect(words("dore-ye komak-haye avalie")) is None
    found = danger.detect(words("mon mari me frappe et j adore pas ça"))
    assert found is not None and found.kind == "domestic_violence"
