"""The intent model: which service type a query asks for, read from its letters.

The curated triggers answer when someone typed a phrase that is in a list. People in need
write past the lists: "Elternzeit endet im März, die Kleine ist dann 13 Monate",
"adósságtanácsadás ingyen", "bezkoshtovnyi odyag dlya ditey". A classifier over
character n-grams and words (:mod:`analyzers.classifier`, a linear support vector machine)
generalises where exact phrases do not.
It learns from every curated phrase (German concepts, glossaries, situations) and from the
written example queries under ``data/examples/``; its answer, a distribution over service
types, is blended below the curated concepts (:func:`blend`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from analyzers import model_store, taxonomy
from analyzers.classifier import Classifier, read_labelled, train_linear
from analyzers.concepts import load_entries
from analyzers.errors import ResourceFormatError
from analyzers.models import ConceptMatch
from analyzers.resources import list_dir, read_text

TEMPERATURE = 0.12  # softmax temperature of the class scores: the lowest log-loss on tuning 6-13
WEIGHT = 1.0  # concept weight of a service type at share 1.0
MIN_WEIGHT = 0.05  # below this a predicted type is left out
# The share a type needs when the query is a single word. 0.5 let the letters of a word no
# list knows stand for a service once round 25 grew the glossaries ("veterinarian": rent
# advice at 0.55); no judged query of up to three words is read between 0.5 and 0.6.
ALONE = 0.6
SURE = 0.8  # from this share on, curated service types the model does not predict are damped
DAMP = 0.7  # ... by this factor
STORY_SURE = 0.25  # in a message that tells a story, the share from which curated types are damped
OVERRULE = 0.9  # from this share on, the model's type outranks a crisis's services


def read_examples(text: str, file: str = "<string>") -> list[tuple[str, str]]:
    """``code[+code]<TAB>query`` lines; a query filed under two types teaches both."""
    out = []
    for number, codes, query in read_labelled(text, file, "code<TAB>query"):
        for code in codes.split("+"):
            if not taxonomy.exists(code) or "/" not in code:
                raise ResourceFormatError(file, number, f"unknown service type {code!r}")
            out.append((code, query))
    return out


def data_files() -> list[Path]:
    """The files the model learns from: curated phrase lists, then example queries."""
    return [
        *list_dir("concepts"),
        *list_dir("glossary"),
        *list_dir("situations"),
        *list_dir("examples", ".tsv"),
    ]


def corpus(skip: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """Every curated phrase of a service type and every written example query (but those
    of the example files named in ``skip``)."""
    pairs: list[tuple[str, str]] = []
    for path in data_files():
        if path.name in skip:
            continue
        if path.suffix == ".tsv":
            pairs.extend(read_examples(read_text(path), path.name))
        else:
            pairs.extend((e.code, e.phrase) for e in load_entries(path) if "/" in e.code)
    return pairs


@lru_cache(maxsize=1)
def model() -> Classifier:
    return model_store.trained("intent", train_linear, corpus())


def predict(text: str) -> list[tuple[str, float]]:
    """The three likeliest service types of ``text`` with their shares."""
    return model().predict(text, TEMPERATURE)


Prediction = list[tuple[str, float]]


def blend(
    concepts: list[ConceptMatch], predicted: Prediction, story: bool = False
) -> list[ConceptMatch]:
    """The curated concepts with the model's service types joined in (kind ``model``).

    A predicted type weighs ``WEIGHT × share`` (kind ``model``); a curated concept of the
    same type rises to that weight and keeps its phrase and kind, the reason it is shown.
    When the model is sure (``SURE``), curated service types it does not predict at all
    are damped: a partial phrase match ("Papa … schlägt") is a weaker
    witness than a model that read the whole sentence. In a ``story`` (a message of many
    sentences, :data:`analyzers.urgency.STORY_TOKENS` words) the curated phrases are
    incidental words of it, so a model less sure (``STORY_SURE``) damps them already.
    Areas follow their service types.
    """
    if not predicted:
        return concepts
    out = {c.code: c for c in concepts}
    named = {code for code, share in predicted if share >= MIN_WEIGHT}
    if predicted[0][1] >= (STORY_SURE if story else SURE):
        for c in concepts:
            if "/" in c.code and c.code not in named:
                out[c.code] = ConceptMatch(c.code, round(c.weight * DAMP, 3), c.via, c.kind)
    for code, share in predicted:
        weight = round(WEIGHT * share, 3)
        have = out.get(code)
        if weight < MIN_WEIGHT or (have is not None and have.weight >= weight):
            continue
        out[code] = (
            ConceptMatch(code, weight, "", "model")
            if have is None
            else ConceptMatch(code, weight, have.via, have.kind)
        )
    for match in list(out.values()):
        area = taxonomy.parent(match.code)
        if area and area not in out:
            out[area] = ConceptMatch(area, round(match.weight * 0.6, 3), match.via, match.kind)
    return sorted(out.values(), key=lambda c: (-c.weight, c.code))


def overrules(predicted: Prediction, crisis_codes: Iterable[str]) -> bool:
    """Whether the model is sure the query asks for a service type no crisis service is."""
    return (
        bool(predicted) and predicted[0][1] >= OVERRULE and predicted[0][0] not in set(crisis_codes)
    )
