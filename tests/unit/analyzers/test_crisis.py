"""The safety layer: recall on a written crisis set, no alarm on ordinary queries.

``tests/data/crisis-phrasings.tsv`` (250 phrasings, 23 languages, direct, indirect,
learner and transliterated) and ``crisis-negatives.tsv`` (102 ordinary queries that share
words with crises) were written apart from the phrase lists. The held-out set the README
reports lives in ``benchmarks/fresh`` and is not used here.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from analyzers import analyze_query, danger
from analyzers.crisis import KINDS, SERVICES, detect, expand, parse
from analyzers.errors import ResourceFormatError
from analyzers.tokens import tokenize
from tests.conftest import shared_file

DATA = Path(__file__).resolve().parents[2] / "data"


def rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


def signal(text: str):
    return detect([t.text for t in tokenize(text)])


def test_the_crisis_set_is_what_the_issue_asks_for():
    phrasings = rows("crisis-phrasings.tsv")
    assert len(phrasings) >= 150
    assert len({lang for _, lang, _, _ in phrasings}) >= 15
    assert {kind for kind, *_ in phrasings} == set(KINDS)
    assert {"direct", "indirect"} <= {style for _, _, style, _ in phrasings}


def test_recall_on_the_crisis_set_is_at_least_98_percent():
    phrasings = rows("crisis-phrasings.tsv")
    missed = [q for _, _, _, q in phrasings if signal(q) is None]
    assert len(missed) <= 0.02 * len(phrasings), missed


def test_most_detections_name_the_right_kind():
    phrasings = rows("crisis-phrasings.tsv")
    wrong = Counter(kind for kind, _, _, q in phrasings if (s := signal(q)) and s.kind != kind)
    assert sum(wrong.values()) <= 0.05 * len(phrasings), wrong


def test_ordinary_queries_sharing_crisis_words_raise_no_alarm():
    alarms = [q for *_, q in rows("crisis-negatives.tsv") if signal(q) is not None]
    assert len(alarms) <= 1, alarms


def test_false_alarms_on_the_dev_queries_stay_below_one_percent():
    """An alarm is false when the query's judged intent is none of the kind's services."""
    dev = shared_file("queries-dev.jsonl").read_text(encoding="utf-8")
    queries = [json.loads(line) for line in dev.splitlines()]
    false = []
    for query in queries:
        found = analyze_query(query["q"]).crisis
        if found and not set(query["intent"].split("+")) & set(SERVICES[found.kind]):
            false.append(query["q"])
    assert len(false) <= 0.01 * len(queries), false


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ich will nicht mehr leben", "suicide"),
        ("ich kann nicht mehr", "suicide"),
        ("I want to kill myself", "suicide"),
        ("my husband hits me", "domestic_violence"),
        ("kocam beni dövüyor", "domestic_violence"),
        ("mein Freund schlägt mich und ich habe Angst nach Hause zu gehen", "domestic_violence"),
        ("er hat gedroht mich umzubringen", "domestic_violence"),
        ("hochu umeret", "suicide"),
        ("想死", "suicide"),
        ("j'entends des voix", "psychiatric_emergency"),
        ("wo kann ich heute nacht schlafen", "homeless_tonight"),
        ("ich will alle tabletten nehmen", "suicide"),
        ("ich will allen tabletten nehmen", "suicide"),  # a short word's own ending
    ],
)
def test_kinds(text, kind):
    found = signal(text)
    assert found is not None and found.kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "ich kann die Miete nicht mehr zahlen seit drei Monaten",  # "=" phrase, long query
        "Suizidprävention Fortbildung",  # topic word defused
        "Krisendienst Stellenangebote",  # defused with an ending
        "kind schläft nachts nicht durch",  # one letter from "schlägt": no fuzzy on 7 letters
        "Schlagzeugunterricht für Kinder",  # compound part meets only its own word
        "Freizeit für Senioren",  # "frei" is no "freitod"
        "tư vấn nợ",  # one "tu" is not "tự tử"
        "mutter kann nicht allein waschen und tabletten nehmen",  # "allein" is not "alle"
    ],
)
def test_no_alarm(text):
    assert signal(text) is None


def test_a_query_in_danger_puts_its_services_first():
    analysis = analyze_query("mein Mann schlägt mich")
    assert analysis.crisis is not None and analysis.crisis.kind == "domestic_violence"
    lead = [c.code for c in analysis.concepts[:2]]
    assert lead == list(SERVICES["domestic_violence"][:2])
    assert analysis.concepts[0].kind == "crisis" and analysis.concepts[0].weight == 1.0


def test_a_shelter_named_in_another_language_counts_as_the_crisis():
    analysis = analyze_query("hébergement d'urgence")
    assert analysis.crisis is not None and analysis.crisis.kind == "homeless_tonight"
    assert analysis.crisis.strength == "concept"


def test_a_german_service_name_is_no_cry_for_help():
    assert analyze_query("Sozialpsychiatrischer Dienst").crisis is None


def test_the_phrase_file_format_is_checked():
    with pytest.raises(ResourceFormatError, match="unknown crisis section"):
        parse([(1, "[danger]")], "x.txt")
    with pytest.raises(ResourceFormatError, match="before the first"):
        parse([(1, "ich kann nicht mehr")], "x.txt")
    assert parse([(1, "[suicide]"), (2, "~suizid*, =am ende, will sterben")], "x.txt") == [
        ("suicide", "weak", "suizid*"),
        ("suicide", "exclusive", "am ende"),
        ("suicide", "strong", "will sterben"),
    ]


def test_alternatives_spell_a_phrase_out():
    assert expand("schwanger {allein|verzweifelt} {bin|}") == [
        "schwanger allein bin",
        "schwanger allein",
        "schwanger verzweifelt bin",
        "schwanger verzweifelt",
    ]
    with pytest.raises(ValueError, match="without any word"):
        expand("a {|} c")
    with pytest.raises(ValueError, match="unbalanced"):
        expand("a {b c")


def test_a_short_phrase_word_keeps_its_last_letter() -> None:
    """ "schlafen" is no inflection of "schlag" ("schlag mir"); "geschlagn" is one of
    "geschlagen"."""
    found = signal("ich kann nicht schlafen, mir geht es schlecht")
    assert found is None or found.kind != "domestic_violence"
    typo = signal("mein freund hat mich geschlagn")
    assert typo is not None and typo.kind == "domestic_violence"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("selbstmortgedanken wer hilft", "suicide"),  # "selbstmord*" with a typo in it
        ("selbstmrdgedanken heute", "suicide"),
        ("selbsmordgedanken", "suicide"),
        ("notschalfstelle heute nacht", "homeless_tonight"),
        ("rettungsdienst nummer schnell", "medical_emergency"),
    ],
)
def test_a_long_listed_beginning_meets_one_typo(text: str, kind: str) -> None:
    found = analyze_query(text).crisis
    assert found is not None and found.kind == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("i wnat to die", "suicide"),  # two letters the wrong way round, thumbs on a phone
        ("ich will mihc umbringen", "suicide"),
        ("mein mann schlgät mich", "domestic_violence"),
        ("my husbnad hits me", "domestic_violence"),
    ],
)
def test_a_phrase_word_meets_its_letters_swapped(text: str, kind: str) -> None:
    found = signal(text)
    assert found is not None and found.kind == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("mein mann schlät mich", "domestic_violence"),  # "schlägt", a letter left out
        ("mein vater schlät mich", "child_danger"),
    ],
)
def test_a_shorter_phrase_word_meets_one_letter_left_out(text: str, kind: str) -> None:
    found = signal(text)
    assert found is not None and found.kind == kind


def test_a_german_or_english_word_is_no_swapped_phrase_word() -> None:
    """ "beast" is a word of its own, "ebats" only a typed "beats"; "sacred" is no "scared"."""
    assert "hit" not in danger.classes(["he", "beast", "me"]).get("en", {})
    assert "hit" in danger.classes(["he", "ebats", "me"]).get("en", {})
    assert "fear" not in danger.classes(["i", "feel", "sacred"]).get("en", {})


@pytest.mark.parametrize(
    "text",
    [
        "reinigungsfirma gesucht",
        "Reinigung der Wohnung nach Auszug",
        "selbständig machen",
        "FSJ im Rettungsdienst",  # a voluntary year, no emergency
    ],
)
def test_a_word_two_typos_or_a_cut_ending_away_is_no_listed_beginning(text: str) -> None:
    assert analyze_query(text).crisis is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("akute psychose angehöriger hilfe", "psychiatric_emergency"),  # relatives ask too
        ("pszichiátriai krízis segítség kell", "psychiatric_emergency"),
        ("tehotna v nouzi", "pregnancy_emergency"),
        ("ابني ابتلع بطارية صغيرة قبل قليل ويتقيأ", "medical_emergency"),
        ("mein enkel kriegt zuhause nix zu essen und hat im winter keine jacke", "child_danger"),
        ("ребенок выпил средство для чистки", "medical_emergency"),
        ("kind hat rohrreiniger getrunken", "medical_emergency"),
        ("my dad is diabetic and acting drunk", "medical_emergency"),
        ("er steht vor der tür obwohl er nicht darf", "domestic_violence"),
    ],
)
def test_round_7_vocabulary(text: str, kind: str) -> None:
    found = analyze_query(text).crisis
    assert found is not None and found.kind == kind


def test_a_relatives_group_is_no_alarm() -> None:
    assert analyze_query("Angehörigengruppe Psychose").crisis is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("muzh upal i ne prosypaetsya", "medical_emergency"),  # no Latin phrase was listed
        ("hochu pokonchit s soboy", "suicide"),
    ],
)
def test_cyrillic_phrases_typed_in_latin_letters(text: str, kind: str) -> None:
    found = signal(text)
    assert found is not None and found.kind == kind


def test_latin_forms_of_cyrillic_phrases_leave_other_words_alone() -> None:
    assert signal("moy syn ne hochet v shkolu") is None
    assert signal("I need a new phone") is None


def test_a_skeleton_meets_only_the_latin_forms_of_cyrillic_phrases() -> None:
    # Hindi "baat" (talk) has the skeleton "bat": that is the French "il me bat" only when
    # the two shared one index.
    assert signal("koi jagah hai jahan log free me baat karte hain") is None
    found = signal("muzh menya izbil vchera")
    assert found is not None and found.kind == "domestic_violence"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("θέλω να πεθάνω", "suicide"),
        ("ο άντρας μου με χτυπάει κάθε βράδυ", "domestic_violence"),
        ("δεν έχω πού να κοιμηθώ απόψε", "homeless_tonight"),
        ("ուզում եմ մեռնել", "suicide"),
        ("ամուսինս ծեծում է ինձ", "domestic_violence"),
        ("ik wil niet meer leven", "suicide"),
        ("mijn man slaat me", "domestic_violence"),
        ("mijn vader is bewusteloos en ademt niet", "medical_emergency"),
        ("میں خودکشی کرنا چاہتا ہوں", "suicide"),
        ("mera shohar mujhe marta hai", "domestic_violence"),
    ],
)
def test_greek_armenian_dutch_and_urdu_phrases(text: str, kind: str) -> None:
    found = signal(text)
    assert found is not None and found.kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "ψάχνω μάθημα γερμανικών",
        "աշխատանք եմ փնտրում",
        "ik zoek een kinderopvang",
        "مجھے نوکری چاہیے",
    ],
)
def test_ordinary_searches_in_those_languages_raise_no_alarm(text: str) -> None:
    assert signal(text) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("unser sohn ist seit heute morgen verschwunden, polizei ist informiert", "child_danger"),
        ("meine tochter ist nicht nach hause gekommen", "child_danger"),
        ("der vater will die kinder ins ausland mitnehmen", "child_danger"),
        ("oğlum kayboldu", "child_danger"),
        ("синът ни не се прибра", "child_danger"),
        ("draußen liegt ein mann im schnee", "homeless_tonight"),
        ("wo kan man hir heute pennen", "homeless_tonight"),
        ("ich weiß nicht, ich kann nirgendwo hin", "homeless_tonight"),
        ("diabetiker ohne insulin seit gestern", "medical_emergency"),
        ("ohne krankenversicherung und hohes fieber", "medical_emergency"),
        ("у мамы отнялась левая рука", "medical_emergency"),
        ("பாட்டி மயங்கி விழுந்தார்", "medical_emergency"),
        ("babam krize girdi", "psychiatric_emergency"),
        ("fratele meu are psihoza", "psychiatric_emergency"),
        ("ich habe angst vor mir selbst", "suicide"),
        ("frist für den abbruch läuft diese woche ab", "pregnancy_emergency"),
    ],
)
def test_round_12_vocabulary(text: str, kind: str) -> None:
    """Missing children, someone outside in the frost, no insulin, psychosis in more languages."""
    found = signal(text)
    assert found is not None and found.kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "çocuk kitabı kayıp",
        "notfallpraxis öffnungszeiten wegen erkältung",
        "kältebus ehrenamtlich mitfahren",
        "insulin rezept abholen apotheke",
        "mein Kind vermisst seinen Vater seit der Trennung",
        "Kinder heute weg bei Oma, Zeit für mich: Sport?",
    ],
)
def test_round_12_look_alikes_raise_no_alarm(text: str) -> None:
    assert signal(text) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("kind hat striemen am rücken", "child_danger"),
        ("tochter nicht nach hause kommen seit gestern", "child_danger"),
        ("kein bett für die nacht mit baby", "homeless_tonight"),
        ("brauche haus für frauen er kommt gleich", "domestic_violence"),
        ("mein vater si è tagliato profondamente, sanguina tanto", "medical_emergency"),
        ("ልጃችን አደጋ ላይ ናት", "child_danger"),
        ("பிள்ளையை அடிக்கிறாங்க", "child_danger"),
        ("kuzhanthaiya adikkiraan", "child_danger"),
        ("tharkolai panna thonudhu", "suicide"),
        ("appa mayakkam aagi vizhundhaar", "medical_emergency"),
    ],
)
def test_round_16_vocabulary(text: str, kind: str) -> None:
    """Welts on a child, learner German, a deep cut in Italian, Amharic and Tamil (also in
    Latin letters): phrase lists, not the danger model's guess of an unfamiliar script."""
    found = signal(text)
    assert found is not None and found.kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "spende für das haus für frauen",
        "mio figlio si è tagliato i capelli corti",
        "mayakkam tablet price",
    ],
)
def test_round_16_look_alikes_raise_no_alarm(text: str) -> None:
    assert signal(text) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("kinder in gefar bitte hilfe", "child_danger"),
        ("psychatrie notaufnahme jetzt meine mutter", "psychiatric_emergency"),
        ("mit meiner lebensversicherung wären die kinder besser versorgt", "suicide"),
        ("hitna psihijatrijska pomoć za brata", "psychiatric_emergency"),
        ("ወንድሜ ወደቀ ራሱን ስቷል", "medical_emergency"),
        ("მშობიარობა დამეწყო მარტო ვარ", "pregnancy_emergency"),
        ("a tévé üzeneteket küld nekem éjjel", "psychiatric_emergency"),
    ],
)
def test_round_17_vocabulary(text: str, kind: str) -> None:
    """By-ear spellings of short words ("gefar", "psychatrie"), a life insurance that would
    provide better, and Serbian, Amharic, Georgian and Hungarian signs named plainly."""
    found = signal(text)
    assert found is not None and found.kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "fortbildung kinder in gefahr erkennen",
        "psychiatrie praktikum heute bewerbung",
        "ich möchte freiwillig bei der essensausgabe für obdachlose helfen",
        "vreau sa donez haine pentru oamenii fara adapost",
        "exposé sur la violence conjugale",
    ],
)
def test_round_17_look_alikes_raise_no_alarm(text: str) -> None:
    """Training, work, volunteering, a donation and a school talk defuse the phrases."""
    assert signal(text) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Mein Mann hat mich grad gewürgt, wo können wir heute Nacht hin?", "domestic_violence"),
        ("Kocam beni ve çocukları dövüyor, bu gece kalacak yer lazım", "domestic_violence"),
        ("Vater hat mich geschlagen und rausgeworfen, wo schlafe ich heute", "child_danger"),
        ("kein schlafplatz heute nacht", "homeless_tonight"),
        ("صاحب البيت طردني وما عندي مكان أنام فيه الليلة", "homeless_tonight"),
    ],
)
def test_violence_outranks_a_night_without_a_place(text: str, kind: str) -> None:
    """Fleeing violence needs a women's shelter or child protection, not a homeless shelter;
    a landlord ("صاحب البيت") who throws someone out is no partner ("صاحبي")."""
    found = signal(text)
    assert found is not None and found.kind == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("nebenoriu gyventi", "suicide"),  # Lithuanian
        ("vyras mane muša", "domestic_violence"),
        ("negribu vairs dzīvot", "suicide"),  # Latvian
        ("jag vill inte leva längre", "suicide"),  # Swedish
        ("mieheni lyö minua", "domestic_violence"),  # Finnish
        ("saya ingin bunuh diri", "suicide"),  # Indonesian
        ("suami saya memukul saya", "domestic_violence"),
        ("gusto ko nang mamatay", "suicide"),  # Tagalog
        ("sina mahali pa kulala leo usiku", "homeless_tonight"),  # Swahili
        ("죽고 싶어요", "suicide"),  # Korean
        ("死にたい", "suicide"),  # Japanese, unspaced
        ("אני רוצה למות", "suicide"),  # Hebrew
        ("আমি মরে যেতে চাই", "suicide"),  # Bengali
        ("özümü öldürmək istəyirəm", "suicide"),  # Azerbaijani
    ],
)
def test_the_lists_of_round_23s_languages(text: str, kind: str) -> None:
    """Fifteen languages got crisis lists in round 23 (lt lv sk sl mk sv fi id tl sw ko ja
    he bn az): a person in danger writing in one of them gets the lines too."""
    found = analyze_query(text).crisis
    assert found is not None and found.kind == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("vaikas vienas namuose jau dvi dienas, niekas neatidaro", "child_danger"),  # lt
        ("močiutei staiga nusviro veido pusė ir ji negali kalbėti", "medical_emergency"),  # lt
        ("집에 감시 카메라가 있고 누가 내 생각을 읽어요", "psychiatric_emergency"),  # ko
        ("こんやねるところがない", "homeless_tonight"),  # ja, kana only
    ],
)
def test_round_24_widens_the_new_languages_lists(text: str, kind: str) -> None:
    """Round 24 gave the fifteen lists the concepts their first blind set missed: a child
    alone for days, stroke signs, thoughts read, a night without a place in kana."""
    found = analyze_query(text).crisis
    assert found is not None and found.kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "knyga apie smurtą šeimoje mokyklai",  # lt: a book for school
        "esej o samomoru za šolo",  # sl: an essay
        "estadísticas sobre violencia de género",  # es: statistics
    ],
)
def test_round_24_context_words_defuse_the_topic(text: str) -> None:
    assert analyze_query(text).crisis is None


def test_a_short_context_word_of_one_language_does_not_defuse_german_words() -> None:
    """A context word matches the beginning of a longer word ("Stellenangebote"): the
    Azerbaijani "esse" (essay) silenced the German "essen" (food) of a hungry child."""
    found = analyze_query(
        "mama ist seit zwei tagen nicht heimgekommen und wir haben nichts zu essen"
    ).crisis
    assert found is not None and found.kind == "child_danger"
