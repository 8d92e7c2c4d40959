"""Where a query in danger ranks its crisis services: first, or after a firm topic.

The alarm itself comes from :mod:`analyzers.crisis` (phrase lists), :mod:`analyzers.danger`
(sentence structure) and :mod:`analyzers.alarm` (the danger model); this module turns it
into concepts: the services that answer the crisis at full weight, or, where the alarm is
uncertain and the query names another service firmly, below that service (at :data:`YIELD`
of its weight). The crisis block with the lines to call is shown either way.
"""

from __future__ import annotations

from analyzers import alarm, danger, intent
from analyzers import crisis as crisis_phrases
from analyzers.models import ConceptMatch, CrisisSignal
from analyzers.normalize import fold


def from_concepts(concepts: list[ConceptMatch], language: str) -> CrisisSignal | None:
    """A firm concept of a crisis service ("Frauenhaus" in Somali) raises the alarm too."""
    for concept in concepts[:1]:
        signal = crisis_phrases.from_concept(
            concept.code, concept.weight, concept.via, language, concept.kind
        )
        if signal is not None:
            return signal
    return None


YIELDING_KINDS = frozenset({"medical_emergency"})  # its help is 112/116 117, not a service
# Read from a weak phrase or from the sentence's structure: likely danger, not certain.
YIELDING_STRENGTHS = frozenset({crisis_phrases.WEAK, danger.STRUCTURE})
# ... and by the danger model: in a story these yield like a passage (tuning 6–10: +0.016)
UNSURE = YIELDING_STRENGTHS | {alarm.MODEL}
TOPIC_MIN = 0.5  # a service type this firm is what a yielding alarm's query is about
YIELD = 0.8  # a yielding alarm's services weigh this share of the topic's weight
MEDICAL_YIELD = 0.5  # ... a medical emergency's (its help is the phone line, not these),
# an alarm the danger model read in one passage of a long message only, and an UNSURE one
# in a story
STORY_TOKENS = 20  # from this many typed words on, a message tells a story (tuning-6: 14–20)
LEAD_SURE = 0.5  # from this share on, the crisis service the intent model reads leads the others
STORY_TOPIC = 0.2  # in a story, a service type this firm leads the ranking over a crisis


def rank(
    concepts: list[ConceptMatch],
    crisis: CrisisSignal,
    predicted: list[tuple[str, float]],
    story: bool = False,
) -> list[ConceptMatch]:
    """The services that answer the crisis lead the concepts, at full weight.

    A weak phrase ("rausgeflogen", "reagiert nicht"), a danger read only from the
    sentence's structure ("Baby schreit die ganze Nacht, ich bin am Ende") or a medical
    emergency, whose help is a phone line rather than a directory service, still raises the
    alarm (the crisis block comes first on the page) but yields the ranking to a firm topic
    of the query: "in der Probezeit rausgeflogen" is about work, "Mutter nach Schlaganfall
    pflegebedürftig" about care. So does any signal when the intent model is sure of another
    service type ("Vater hat Krebs im Endstadium und möchte zu Hause sterben" asks for a
    hospice). An alarm of the danger model yields to a topic the curated vocabulary named
    ("Sohn will nicht mehr in die Schule": school social work), not to one the intent model
    guessed (the Playstation given away is no search for digital help) or a lone glossary
    word suggests ("my flatmate has been awake for four days ..." is no tenancy question).
    In a ``story`` (a message of many sentences) any alarm is one part of it and yields to
    the best service type of the message from ``STORY_TOPIC`` on, the intent model's too,
    unless the model reads a crisis service as the topic itself. Without such a topic the
    crisis services lead as always.
    """
    codes = _ordered(crisis_phrases.SERVICES[crisis.kind], predicted)
    rest = [c for c in concepts if c.code not in codes]
    read = crisis.strength in (alarm.MODEL, alarm.PASSAGE)
    yielding = crisis.strength in YIELDING_STRENGTHS or crisis.kind in YIELDING_KINDS or read
    yielding = yielding or intent.overrules(predicted, codes)
    story = story and not (predicted and predicted[0][0] in codes)
    yielding = yielding or story
    passage = crisis.strength == alarm.PASSAGE  # one passage of the message, not the whole
    topic = next(
        (
            c
            for c in rest
            if "/" in c.code
            and c.weight >= (STORY_TOPIC if story else TOPIC_MIN)
            and not (read and not story and c.kind in ("model", "word"))
            and not _alarms_own(c.via, crisis.phrase)
        ),
        None,
    )
    # one passage of the message, a medical line, or an unsure alarm somewhere in a story
    unsure_story = story and crisis.strength in UNSURE
    factor = MEDICAL_YIELD if crisis.kind in YIELDING_KINDS or passage or unsure_story else YIELD
    top = round(topic.weight * factor, 3) if yielding and topic is not None else 1.0
    lead = [
        ConceptMatch(code, round(top * (1.0 - 0.05 * i), 3), crisis.phrase, "crisis")
        for i, code in enumerate(codes)
    ]
    if top < 1.0:
        return sorted(lead + rest, key=lambda c: -c.weight)
    return lead + rest


def _alarms_own(via: str, phrase: str) -> bool:
    """Whether a concept was read from the words of the crisis phrase itself: in "viele
    Tabletten genommen" the pills are no tablet computer (digital help) that the medical
    alarm should yield to."""
    said = fold(phrase).split()
    return bool(via) and all(any(w.startswith(v) for w in said) for v in fold(via).split())


def _ordered(codes: tuple[str, ...], predicted: list[tuple[str, float]]) -> tuple[str, ...]:
    """The crisis's services, the one the intent model is sure the message asks for first.

    Among the services that answer a crisis, the message often tells which: a young mother
    overwhelmed weeks after the birth needs early help (Frühe Hilfen) more than pregnancy
    counselling, a man sleeping on friends' sofas for weeks the homeless service more than
    tonight's shelter.
    """
    if predicted and predicted[0][0] in codes and predicted[0][1] >= LEAD_SURE:
        first = predicted[0][0]
        return (first, *(code for code in codes if code != first))
    return codes
