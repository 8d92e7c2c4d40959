"""The danger model: indirect messages no list or structure rule caught raise the alarm."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzers import alarm, analyze_query, crisis, danger, intent, urgency, warm_up
from analyzers.crisis import SERVICES
from analyzers.errors import ResourceFormatError
from analyzers.models import ConceptMatch, CrisisSignal


def test_example_lines_name_a_crisis_kind_or_none() -> None:
    text = "# c\nsuicide\tich mag nicht mehr\n\nnone\tErste-Hilfe-Kurs\n"
    assert alarm.read_examples(text) == [
        ("suicide", "ich mag nicht mehr"),
        ("none", "Erste-Hilfe-Kurs"),
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("suicide ohne Tab", "expected `kind<TAB>message`"),
        ("danger\tich mag nicht mehr", "unknown crisis kind 'danger'"),
    ],
)
def test_malformed_example_lines_name_file_and_line(line: str, message: str) -> None:
    with pytest.raises(ResourceFormatError) as error:
        alarm.read_examples("# head\n" + line, "set.tsv")
    assert "set.tsv:2" in str(error.value) and message in str(error.value)


def test_the_corpus_teaches_every_kind_against_ordinary_text() -> None:
    labels = {label for label, _ in alarm.corpus()}
    assert labels == {*SERVICES, alarm.NONE}
    assert set(alarm.model().codes) == labels


def test_the_kind_model_reads_only_the_kinds_of_danger() -> None:
    assert set(alarm.kind_model().codes) == set(SERVICES)
    assert {kind for kind, _ in alarm.kind_corpus()} == set(SERVICES)


def test_the_kind_is_read_again_where_the_detector_guessed() -> None:
    words = [
        "my",
        "brother",
        "hears",
        "voices",
        "and",
        "thinks",
        "the",
        "neighbours",
        "poison",
        "his",
        "food",
    ]
    for strength in sorted(alarm.GUESSED):
        guessed = CrisisSignal("pregnancy_emergency", "", "en", strength)
        assert alarm.read_kind(guessed, words).kind == "psychiatric_emergency"


def test_a_curated_phrase_keeps_its_own_kind() -> None:
    """Applied to the curated phrases too, the kind model set more kinds wrong than right."""
    words = ["my", "brother", "hears", "voices"]
    for strength in (crisis.STRONG, crisis.WEAK, crisis.EXCLUSIVE, "concept"):
        signal = CrisisSignal("suicide", "voices", "en", strength)
        assert alarm.read_kind(signal, words) == signal


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        (
            "hab meinem Bruder heute mein Fahrrad und meine Playstation geschenkt, "
            "brauche das alles nicht mehr",
            "suicide",
        ),
        (
            "my flatmate has been awake for four days and says the neighbours put cameras "
            "in his teeth",
            "psychiatric_emergency",
        ),
    ],
)
def test_an_indirect_message_raises_the_alarm_through_the_model(message: str, kind: str) -> None:
    analysis = analyze_query(message)
    assert analysis.crisis is not None
    assert (analysis.crisis.kind, analysis.crisis.strength) == (kind, alarm.MODEL)
    assert analysis.concepts[0].kind == "crisis" and analysis.concepts[0].weight == 1.0


def test_a_read_alarm_yields_to_a_named_topic_not_to_a_guessed_one() -> None:
    # A banner at most (the model reads danger here): the ranking stays with the school.
    school = analyze_query("mein Sohn will nicht mehr in die Schule gehen")
    assert school.concepts[0].kind != "model"  # a named topic leads, not a guessed one
    # Refusing school is a situation of its own (situations/de-more.txt, round 12): since
    # round 11 partial phrases of everyday words ("Kind … Schule") add no bonus.
    assert school.concepts[0].code == "jugend/schulsozialarbeit"
    # The Playstation given away (test above) named "digital" only through the intent model.


@pytest.mark.parametrize(
    "query",
    [
        "Kita Platz in Kaßberg",
        "Schuldnerberatung kostenlos",
        "Erste-Hilfe-Kurs für Eltern",
        "Fortbildung Suizidprävention für Lehrkräfte",  # a defusing word
        "Wohnung gesucht 2 Zimmer",
    ],
)
def test_ordinary_searches_raise_no_alarm(query: str) -> None:
    assert alarm.detect(query.split(), "de") is None
    assert analyze_query(query).crisis is None


def test_a_topic_the_intent_model_is_sure_of_tells_hardship_from_danger() -> None:
    # Distress reads alike: without the topic the model would call this violence at home.
    words = ["muzh", "pyot", "kazhdyj", "den,", "chto", "delat"]
    assert alarm.detect(words, "ru") is not None
    assert alarm.detect(words, "ru", [("gesundheit/suchtberatung", 0.99)]) is None
    assert alarm.detect(words, "ru", [("gesundheit/suchtberatung", 0.6)]) is not None
    assert alarm.detect(words, "ru", [("schutz/frauenschutz", 0.99)]) is not None  # answers one
    assert analyze_query(" ".join(words)).crisis is None


def test_a_single_word_is_a_search_not_a_message() -> None:
    assert alarm.detect(["Lebensmüde"], "de") is None
    assert alarm.detect([], "de") is None


def test_the_sets_that_report_figures_are_not_training_examples() -> None:
    """Fresh 14-35 and crisis held-out 12-37 report rounds 8-26 (benchmarks/README.md): no
    example file holds one of their queries, not even a short one another writer happened to
    write too ("wohngeld", "curs de prim ajutor"). The curated vocabulary may name the same
    words."""
    root = Path(__file__).resolve().parents[3] / "benchmarks" / "fresh"
    reported: set[str] = set()
    names = [f"fresh-{n}-source.tsv" for n in range(14, 36)]
    names += [f"crisis-{part}heldout-{n}.tsv" for n in range(12, 38) for part in ("", "negatives-")]
    for name in names:
        for line in (root / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                reported.add(line.split("\t")[3].strip())  # the query column
    assert len(reported) > 4600
    examples: set[str] = set()
    for path in intent.data_files():
        if path.suffix == ".tsv":
            examples.update(text for _, text in intent.read_examples(path.read_text(), path.name))
    for path in sorted((Path(alarm.__file__).parent / "data" / "crisis-examples").glob("*.tsv")):
        examples.update(text for _, text in alarm.read_examples(path.read_text(), path.name))
    assert len(examples) > 4000
    assert not reported & examples


def test_warm_up_trains_both_models_before_servers_fork() -> None:
    """Otherwise each forked worker trains the danger model (seconds) on its first
    indirect message: the person in danger waits longest."""
    alarm.model.cache_clear()
    alarm.kind_model.cache_clear()
    intent.model.cache_clear()
    warm_up()
    assert alarm.model.cache_info().currsize == 1
    assert alarm.kind_model.cache_info().currsize == 1
    assert intent.model.cache_info().currsize == 1


def test_in_a_story_an_alarm_yields_the_ranking_to_its_topic() -> None:
    """A message of many sentences names its danger as one part of a story ("… our daughter
    is 14 months old and we need childcare"): the lines are shown, the topic ranks first —
    unless the intent model reads a crisis service as the topic itself."""
    krippe = [ConceptMatch("familie/krippe", 0.3, "", "model")]
    signal = CrisisSignal("child_danger", "", "en", alarm.MODEL)
    ranked = urgency.rank(krippe, signal, [("familie/krippe", 0.3)], story=True)
    assert [(c.code, c.weight) for c in ranked] == [
        ("familie/krippe", 0.3),
        ("schutz/kinderschutz", 0.15),  # an unsure alarm in a story: half the topic's weight
        ("behoerden/jugendamt", 0.142),
        ("schutz/gewaltberatung", 0.135),
    ]
    for predicted, story in (
        ([("familie/krippe", 0.3)], False),
        ([("schutz/kinderschutz", 0.3)], True),
    ):
        ranked = urgency.rank(krippe, signal, predicted, story=story)
        assert [(c.code, c.weight) for c in ranked][:2] == [
            ("schutz/kinderschutz", 1.0),
            ("behoerden/jugendamt", 0.95),
        ]


def test_a_model_alarm_yields_to_a_named_topic_not_to_a_lone_glossary_word() -> None:
    """ "my flatmate has been awake for four days ..." met the word "flatmate" of a tenancy
    phrase; a lone word is no topic the crisis services yield to, a phrase met is."""
    signal = CrisisSignal("psychiatric_emergency", "", "en", alarm.MODEL)
    for kind, first in (("word", "gesundheit/krisendienst"), ("situation", "geld/mieterberatung")):
        tenancy = [ConceptMatch("geld/mieterberatung", 0.87, "flatmate", kind)]
        assert urgency.rank(tenancy, signal, [])[0].code == first


def test_a_yielding_alarm_ranks_its_services_below_the_topic_a_medical_one_further() -> None:
    """Care after a stroke ("babam felç geçirdi, evde yardım lazım") is the search; the
    crisis services follow at 0.8 of the topic's weight, a medical emergency's at half
    (its help is 112 / 116 117 in the block, not a directory service)."""
    care = [ConceptMatch("pflege/ambulanter-dienst", 0.8, "", "model")]
    topic = [("pflege/ambulanter-dienst", 0.8)]
    stroke = urgency.rank(care, CrisisSignal("medical_emergency", "felç", "tr", "strong"), topic)
    assert [(c.code, c.weight) for c in stroke] == [
        ("pflege/ambulanter-dienst", 0.8),
        ("gesundheit/krisendienst", 0.4),
        ("gesundheit/spdi", 0.38),
    ]
    weak = urgency.rank(care, CrisisSignal("suicide", "müde", "de", "weak"), topic)
    assert [(c.code, c.weight) for c in weak][:2] == [
        ("pflege/ambulanter-dienst", 0.8),
        ("gesundheit/krisendienst", 0.64),
    ]


def test_a_script_seen_mostly_in_danger_messages_is_no_danger() -> None:
    """Armenian came to the training text in acute messages first: with too few ordinary
    lines beside them, "help with documents" read as suicide. Ordinary lines balance it."""
    for text in ("Օգնություն փաստաթղթերով", "Գերմաներենի դասընթաց", "დახმარება დოკუმენტებით"):
        assert analyze_query(text).crisis is None, text


def test_danger_in_one_passage_of_a_long_message_is_read() -> None:
    message = (
        "nám potřebujeme pomoc s formulářem na příspěvek na bydlení protože termín je příští týden"
        " a pronajímatel pořád volá a dcera hledá učňovské místo a upřímně už jsem spočítal"
        " prášky a napsal dopisy všem ale nejdřív ten formulář"
    )
    words = message.split()
    whole = dict(alarm.model().predict(" ".join(words), alarm.TEMPERATURE, limit=8))
    assert 1.0 - whole.get(alarm.NONE, 0.0) < alarm.THRESHOLD  # read whole, it is ordinary
    found = alarm.detect(words, "cs")
    assert found is not None and found.kind == "suicide" and found.strength == alarm.PASSAGE
    assert alarm.detect(words[: alarm.WINDOW * 2 - 1], "cs") is None  # short: read whole only


def test_an_alarm_read_in_one_passage_or_unsure_in_a_story_yields_the_ranking_further() -> None:
    """A passage, or an alarm of the model, a weak phrase or the structure rule somewhere in
    a story, is one part of the message: its services weigh half the topic's weight; a
    short query's model alarm 0.8 of it, a strong phrase's in a story too."""
    topic = ConceptMatch("geld/leistungen", 1.0, "Wohngeld", "translation")
    for strength, story, share in (
        (alarm.MODEL, False, urgency.YIELD),
        (alarm.PASSAGE, False, urgency.MEDICAL_YIELD),
        (alarm.MODEL, True, urgency.MEDICAL_YIELD),
        (danger.STRUCTURE, True, urgency.MEDICAL_YIELD),
        (crisis.STRONG, True, urgency.YIELD),
    ):
        signal = CrisisSignal("suicide", "", "cs", strength)
        ranked = urgency.rank([topic], signal, [("geld/leistungen", 0.6)], story=story)
        assert ranked[0] == topic
        assert ranked[1].kind == "crisis" and ranked[1].weight == share, (strength, story)


def test_the_crisis_service_the_message_asks_for_leads_the_others() -> None:
    """Weeks on friends' sofas: the homeless service before tonight's shelter, when the
    intent model is sure of it; otherwise the crisis's own order."""
    signal = CrisisSignal("homeless_tonight", "keine wohnung", "de", "strong")
    sure = urgency.rank([], signal, [("wohnen/wohnungslosenhilfe", 0.9)])
    assert [(c.code, c.weight) for c in sure][:2] == [
        ("wohnen/wohnungslosenhilfe", 1.0),
        ("wohnen/notunterkunft", 0.95),
    ]
    unsure = urgency.rank([], signal, [("wohnen/wohnungslosenhilfe", 0.3)])
    assert [c.code for c in unsure][:2] == ["wohnen/notunterkunft", "wohnen/wohnungslosenhilfe"]
    other = urgency.rank([], signal, [("familie/kita", 0.9)])
    assert [c.code for c in other][:1] == ["wohnen/notunterkunft"]


def test_the_intent_only_examples_are_the_intent_models_not_the_danger_models() -> None:
    """The round-16 and -17 ordinary queries teach which service, not that a script is safe:
    they are in the intent corpus and not among the danger model's ordinary text (a crisis
    line another writer wrote too may be among its danger messages)."""
    examples = Path(intent.__file__).parent / "data" / "examples"
    assert {p.name for p in examples.glob("*.tsv")} >= alarm.INTENT_ONLY
    only = {
        text
        for name in alarm.INTENT_ONLY
        for _, text in intent.read_examples((examples / name).read_text(), name)
    }
    assert len(only) > 2000
    assert only <= {text for _, text in intent.corpus()}
    danger_text = {text for label, text in alarm.corpus() if label == alarm.NONE}
    elsewhere = {text for _, text in intent.corpus(skip=alarm.INTENT_ONLY)}
    assert not (only - elsewhere) & danger_text
