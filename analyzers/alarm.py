"""The danger model: acute danger read from a whole message, where no list caught it.

The phrase lists (:mod:`analyzers.crisis`) and the sentence-structure rule
(:mod:`analyzers.danger`) find what someone wrote the way it was foreseen. Indirect
messages slip through both: "annem eşyalarını dağıtıyor ve herkesle vedalaşıyor",
"pesaram 2 rooze khune nayoomade", "on ne prosypaetsya posle vecherinki, guby sinie". A
letter classifier (:mod:`analyzers.classifier`) learns danger from the crisis messages
written for earlier evaluation rounds and for training (``data/crisis-examples/``, every
kind in many languages, most of them indirect) against everything ordinary the project
knows: their look-alikes, every curated phrase and example query of a service that answers
no crisis (but those of :data:`INTENT_ONLY`).

It speaks last and only when sure (:data:`THRESHOLD`; a passage of a long message read
alone, surer still: :func:`_danger_shares`), and not where the intent model is
sure of a service that answers no crisis (:data:`OTHER`). Its alarm has strength
:data:`MODEL`: the crisis block is shown, and the crisis services lead unless the curated
vocabulary named another service firmly (:mod:`analyzers.urgency`). Recall first: a false
alarm costs a banner, a miss can cost a life.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from analyzers import crisis as crisis_phrases
from analyzers import danger, intent, model_store
from analyzers.classifier import Classifier, read_labelled, train, train_linear
from analyzers.errors import ResourceFormatError
from analyzers.models import CrisisSignal
from analyzers.resources import list_dir, read_text
from analyzers.tokens import windows

MODEL = "model"  # the strength of an alarm this model raised
PASSAGE = "passage"  # ... from one passage of a long message (not sure of it as a whole)
NONE = "none"  # the label of an ordinary query
THRESHOLD = 0.95  # the share of all danger kinds together that raises the alarm (cross-validated)
TEMPERATURE = 0.25  # softmax temperature of the class scores
# The intent model's share of a non-crisis service that silences this model. The linear intent
# model is surer than naive Bayes was: it reaches 0.95 on 78 % of the tuning queries (0.9 on
# 82 %; naive Bayes reached 0.9 on 71 %); 0.95 found one crisis more there, no alarm more.
OTHER = 0.95
WINDOW = 10  # words of a passage of a long message read on its own (half of it overlaps)
WINDOW_THRESHOLD = 0.99  # the danger share a passage needs (stricter: passages are many)
REPEAT = 3  # a written danger message counts this often (2,300 of them beside 26,000 others)
KIND_TEMPERATURE = 0.12  # softmax temperature of the kind model (as the intent model's)
KIND_SVM = 0.5  # the kind model's part in the kind read (the danger model's: the rest)
# Signals whose detector knows that there is danger but guesses its kind (see :func:`read_kind`).
GUESSED = frozenset({MODEL, PASSAGE, danger.STRUCTURE})
_UNSPACED = ("\u3000", "\u9fff")  # CJK: a message is one "word" without spaces


def read_examples(text: str, file: str = "<string>") -> list[tuple[str, str]]:
    """``kind<TAB>message`` lines; kind is a crisis kind or ``none``."""
    out = []
    for number, kind, message in read_labelled(text, file, "kind<TAB>message"):
        if kind != NONE and kind not in crisis_phrases.SERVICES:
            raise ResourceFormatError(file, number, f"unknown crisis kind {kind!r}")
        out.append((kind, message))
    return out


def _written() -> list[tuple[str, str]]:
    """Every ``kind<TAB>message`` line of ``data/crisis-examples/``."""
    return [
        pair
        for path in list_dir("crisis-examples", ".tsv")
        for pair in read_examples(read_text(path), path.name)
    ]


def corpus() -> list[tuple[str, str]]:
    """Written danger messages (repeated) and ordinary ones, with the intent corpus's
    phrases of every service that answers no crisis as more ordinary text."""
    pairs: list[tuple[str, str]] = []
    for kind, message in _written():
        pairs.extend([(kind, message)] * (1 if kind == NONE else REPEAT))
    ordinary = intent.corpus(skip=INTENT_ONLY)
    pairs.extend((NONE, text) for code, text in ordinary if code not in _answering())
    return pairs


# Example queries the intent model learns from but this model does not take as ordinary text
# (round 16): 2,466 ordinary queries, many in scripts and languages few crisis examples share,
# taught it that an unfamiliar script is no danger, and it missed crises written in them
# (crisis tuning 12-16: two in Tamil; the held-out sets: one to three each). Recall first.
# Round 17's 1,199 situations changed neither recall nor look-alike alarms on crisis tuning
# 12-17 when taken as ordinary text too; they stay with the intent model, as round 16's.
INTENT_ONLY = frozenset(
    {
        "tuning-6-11.tsv",
        "written-16-ordinary-a.tsv",
        "written-16-ordinary-b.tsv",
        "written-16-ordinary-c.tsv",
        "written-17-situations-de.tsv",
        "written-17-situations-intl.tsv",
    }
)


def kind_corpus() -> list[tuple[str, str]]:
    """The written danger messages with their kind (no ordinary text: danger is known)."""
    return [(kind, message) for kind, message in _written() if kind != NONE]


@lru_cache(maxsize=1)
def kind_model() -> Classifier:
    return model_store.trained("kind", train_linear, kind_corpus())


def read_kind(signal: CrisisSignal, words: list[str]) -> CrisisSignal:
    """The signal with the kind two models read in the whole message, where the detector
    only knew that there is danger (:data:`GUESSED`).

    The danger model's naive Bayes is good at danger against the ordinary (its thresholds
    were measured on it), less at which danger: "i'm hearing things nobody else hears and
    i'm scared to be alone tonight" read as a pregnancy. A linear SVM over the same
    features, trained on the danger messages alone (:func:`kind_model`), weighs the words
    against each other. Each model's shares of the kinds count half: on crisis tuning 12-14
    (693 phrasings) the wrong kinds fell from 39 to 26 (naive Bayes alone on these signals:
    32, the SVM alone: 30). Curated phrases keep their own kind (the SVM made it worse).
    """
    if signal.strength not in GUESSED or not words:
        return signal
    text = " ".join(words)
    kinds = dict(kind_model().predict(text, KIND_TEMPERATURE, limit=len(crisis_phrases.SERVICES)))
    danger_shares = dict(model().predict(text, TEMPERATURE, limit=len(crisis_phrases.SERVICES) + 1))
    danger_shares.pop(NONE, None)
    total = sum(danger_shares.values()) or 1.0
    mixed = {
        k: KIND_SVM * v + (1 - KIND_SVM) * danger_shares.get(k, 0.0) / total
        for k, v in kinds.items()
    }
    return replace(signal, kind=max(mixed, key=lambda k: mixed[k])) if mixed else signal


@lru_cache(maxsize=1)
def _answering() -> frozenset[str]:
    return frozenset(code for codes in crisis_phrases.SERVICES.values() for code in codes)


@lru_cache(maxsize=1)
def model() -> Classifier:
    return model_store.trained("danger", train, corpus())


def _one_word(words: list[str]) -> bool:
    """A single word of a spaced script is a search for a service, not a message."""
    return len(words) == 1 and not any(_UNSPACED[0] <= ch <= _UNSPACED[1] for ch in words[0])


def detect(
    words: list[str], lang: str, topic: list[tuple[str, float]] | None = None
) -> CrisisSignal | None:
    """The danger kind the model is sure of in ``words`` (the typed words), if any.

    ``topic`` is the intent model's reading of the same query: when it is sure of a service
    that answers no crisis ("muzh pyot kazhdyj den": addiction counselling), the message is
    a hard situation, not acute danger — distress reads alike, the topic tells them apart.
    """
    if not words or _one_word(words) or crisis_phrases.defused(words):
        return None
    if topic and topic[0][1] >= OTHER and topic[0][0] not in _answering():
        return None
    classes = model()
    shares, whole = _danger_shares(classes, words)
    if not shares or danger.speaks_figuratively(words):  # "il mio telefono è morto"
        return None
    kind = max((k for k in shares if k != NONE), key=lambda k: shares[k])
    return CrisisSignal(kind, "", lang, MODEL if whole else PASSAGE)


def _danger_shares(classes: Classifier, words: list[str]) -> tuple[dict[str, float], bool]:
    """The kinds' shares of the whole message (and ``True``) or, where that is not sure of
    danger, of the first passage of :data:`WINDOW` words that is (:data:`WINDOW_THRESHOLD`;
    and ``False``); empty if none.

    A long message buries its danger in one clause among rent, papers and school ("… und
    ich hab meinen Kater schon der Nachbarin versprochen, falls mir was passiert …"): read
    as a whole, the ordinary words outvote it. On the crisis tuning sets, reading passages
    found 0.6 % more of the crises, for 13 more false alarms among 470 look-alikes.
    """
    shares = dict(classes.predict(" ".join(words), TEMPERATURE, limit=len(classes.codes)))
    if shares and 1.0 - shares.get(NONE, 0.0) >= THRESHOLD:
        return shares, True
    if len(words) < 2 * WINDOW:
        return {}, False
    for window in windows(words, WINDOW):
        part = dict(classes.predict(" ".join(window), TEMPERATURE, limit=len(classes.codes)))
        if part and 1.0 - part.get(NONE, 0.0) >= WINDOW_THRESHOLD:
            return part, False
    return {}, False
