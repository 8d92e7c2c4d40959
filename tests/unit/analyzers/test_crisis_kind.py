"""A message that names two dangers gets the kind that decides whom to call."""

from __future__ import annotations

import pytest

from analyzers import analyze_query
from analyzers.crisis_kind import GROWN, refine, stated_age
from analyzers.models import CrisisSignal


def kind(text: str) -> str | None:
    signal = analyze_query(text).crisis
    return signal.kind if signal else None


@pytest.mark.parametrize(
    "text",
    [
        "я вагітна і мене вигнали з дому",  # thrown out, pregnant
        "urgenta sarcina, sangerare puternica",  # bleeding, pregnant
        "schwanger von dem der mich schlägt ich weiß nicht weiter",
    ],
)
def test_a_pregnancy_decides(text: str) -> None:
    assert kind(text) == "pregnancy_emergency"


@pytest.mark.parametrize(
    "text",
    [
        "mein sohn glaubt die nachbarn vergiften sein essen und schläft seit tagen nicht",
        "mijn broer hoort stemmen en heeft een mes gepakt, hij zegt dat ik een spion ben",
    ],
)
def test_a_delusion_is_psychiatric_not_poisoning_or_violence(text: str) -> None:
    assert kind(text) == "psychiatric_emergency"


def test_a_minor_hit_at_home_is_a_child_in_danger() -> None:
    assert kind("em 13 tuổi, bố say rượu đánh em, em sợ về nhà tối nay") == "child_danger"
    assert kind("bin 15 und meine eltern wollen mich verheiraten") == "child_danger"
    # An adult's violence stays violence; a teenager thrown out stays homeless tonight.
    assert kind("mein mann hat mich heute wieder geschlagen") == "domestic_violence"
    assert kind("mutter hat mich rausgeschmissen bin 17 wo kann ich pennen") == "homeless_tonight"


def test_ages_and_what_is_no_age() -> None:
    assert stated_age("Ich bin 14 und mein Vater trinkt") is not None
    assert stated_age("15 yasindayim ailem beni evlendirmek istiyor") is not None
    assert stated_age("meine Tochter (12) kommt nicht nach Hause") is not None
    assert stated_age("bin in der 30. Woche") is None
    assert stated_age("seit 3 Tagen") is None
    assert stated_age("ich bin 45 und mein Mann schlägt mich") is None


def test_a_word_of_another_language_needs_length_to_count() -> None:
    """Turkish "gebe" (pregnant) begins German "gegeben": not a pregnancy."""
    signal = CrisisSignal("suicide", "", "de", "structure")
    text = "hab meine katze der nachbarin gegeben und allen briefe geschrieben"
    words = text.split(" ")
    assert refine(signal, words, text, "de") == signal
    pregnant = refine(signal, ["ich", "bin", "schwanger"], "ich bin schwanger", "de")
    assert pregnant.kind == "pregnancy_emergency" and pregnant.strength == "structure"


def test_a_comparison_is_no_delusion_and_more_ages_count() -> None:
    # "blutet wie verrückt" is bleeding, not madness
    assert kind("nachbar ist die treppe runtergefallen blutet am kopf wie verrückt") == (
        "medical_emergency"
    )
    assert stated_age("vajzen 15 vjeçe duan ta martojne me zor") is not None
    assert stated_age("meri beti 14 saal ki hai") is not None
    assert stated_age("2 ani") is None


def test_a_child_with_nowhere_to_sleep_is_a_child_in_danger() -> None:
    """The Jugendnotdienst takes a 13- to 16-year-old in; a night shelter does not."""
    signal = CrisisSignal("homeless_tonight", "", "de", "structure")
    for text in (
        "bin 13 meine mutter hat mich rausgeschmissn ich sitz am bahnhof",
        "am 16 ani si tata m-a dat afara din casa azi",
    ):
        assert refine(signal, text.split(), text, "de").kind == "child_danger"
    # A parent with a child, or a 17-year-old, stays homeless tonight.
    for text in (
        "evicted tonight, I have my 6 year old with me",
        "mutter hat mich rausgeschmissen bin 17 wo kann ich pennen",
    ):
        assert refine(signal, text.split(), text, "de") == signal


def test_whose_age_is_stated() -> None:
    assert stated_age("мені 16 мама вигнала") == (16, True)
    assert stated_age("کچەکەم تەمەنی ١٢ ساڵە") == (12, True)  # Arabic digits, Kurdish "years"
    assert stated_age("inanta walashey 10 jir") == (10, True)
    assert stated_age("she flinches whenever he shouts, she's 7") == (7, False)
    assert stated_age("mi hijo de 12 no volvió") == (12, False)
    assert stated_age("with my 6 year old") == (6, False)
    assert stated_age("termin am 16. mai") is None


@pytest.mark.parametrize(
    "text",
    [
        "wenn papa heimkommt verstecken wir uns im schrank",
        "babam annemi ve beni dövüyor, okuldan sonra eve gitmek istemiyorum",
        "баща ми ме заключва вкъщи и не ме пуска на училище",
        "aabahay wuu i garaacaa waan ka baqayaa inaan guriga aado",
    ],
)
def test_violence_by_the_writers_parent_is_a_child_in_danger(text: str) -> None:
    """The writers of every crisis set call a message about one's own father or mother who
    hits a child in danger: Nummer gegen Kummer and the Jugendamt, not a women's shelter."""
    assert kind(text) == "child_danger"


@pytest.mark.parametrize(
    "text",
    [
        "my husband gets angry when he drinks and im scared to go home tonight",
        "زوجي يضربني وانا خايفة ارجع البيت",
        "muzh izbil menya boyus idti domoy",
    ],
)
def test_violence_by_a_partner_with_no_child_named_is_violence(text: str) -> None:
    assert kind(text) == "domestic_violence"


def test_a_grown_child_or_a_forced_marriage_stays_violence() -> None:
    """A parent's violence against a grown child, or a marriage forced on an adult, is
    violence against an adult (the Hilfetelefon, a women's shelter); at 15 it is a child's."""
    assert kind(
        "mein vater sagt ich muss im sommer heiraten sonst tötet mich die familie, ich bin 19"
    ) == ("domestic_violence")
    assert kind("ich 15 meine familie will mich verheiraten in heimat ich habe angst") == (
        "child_danger"
    )
    assert stated_age("ich bin 19 und will nicht", GROWN) == (19, True)
    assert stated_age("mia madre di 78 anni ha paura", GROWN) == (78, False)
    assert stated_age("ich bin 15", GROWN) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # "mijn" has the consonants of "مجنون" (mad), "Zwickauer" those of "زوکړه" (gave birth)
        ("mijn man slaat me, ik zit met de kinderen in de auto", "domestic_violence"),
        ("Ich stehe gerade auf der Brücke über die Zwickauer Straße", "suicide"),
    ],
)
def test_only_consonants_of_a_chatted_language_decide_no_kind(text: str, kind: str) -> None:
    found = analyze_query(text).crisis
    assert found is not None and found.kind == kind
