"""A message that names two dangers gets the kind that decides whom to call."""

from __future__ import annotations

import pytest

from analyzers import analyze_query
from analyzers.crisis_kind import minor, refine
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
    assert minor("Ich bin 14 und mein Vater trinkt")
    assert minor("15 yasindayim ailem beni evlendirmek istiyor")
    assert minor("meine Tochter (12) kommt nicht nach Hause")
    assert not minor("bin in der 30. Woche")
    assert not minor("seit 3 Tagen")
    assert not minor("ich bin 45 und mein Mann schlägt mich")


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
    assert minor("vajzen 15 vjeçe duan ta martojne me zor")
    assert minor("meri beti 14 saal ki hai")
    assert not minor("2 ani")
