"""The intent model: which service type a query asks for, read from its letters.

The curated triggers answer when someone typed a phrase that is in a list. People in need
write past the lists: "Elternzeit endet im März, die Kleine ist dann 13 Monate",
"adósságtanácsadás ingyen", "bezkoshtovnyi odyag dlya ditey". A text classifier over
character n-grams generalises where exact phrases do not: inflections, compounds, typos,
agglutinating languages and transliterations share letter sequences with what it learnt.

The model is a complement naive Bayes (Rennie et al. 2003, as scikit-learn's
``ComplementNB``) over tf-idf weighted character n-grams (2–5 letters inside word
boundaries) and whole words of the folded text. It learns from every curated phrase
(German concepts, glossaries, situations) and from the written example queries under
``data/examples/``. Training is counting: it runs once per process on first use (about a
second) and needs no file beyond the shipped resources; nothing is loaded per query.

The model's answer is a distribution over service types (a softmax of the class scores
with :data:`TEMPERATURE`); :mod:`analyzers.query` blends it below the curated concepts.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from analyzers import taxonomy
from analyzers.concepts import load_entries
from analyzers.errors import ResourceFormatError
from analyzers.models import ConceptMatch
from analyzers.normalize import fold
from analyzers.resources import list_dir, read_text

ALPHA = 0.3  # additive smoothing of the complement counts
MIN_N, MAX_N = 3, 4  # character n-gram lengths (2-grams and 5-grams added nothing but time)
TEMPERATURE = 0.25  # softmax temperature of the class scores: the lowest log-loss held out
WEIGHT = 1.0  # concept weight of a service type at share 1.0
MIN_WEIGHT = 0.05  # below this a predicted type is left out
ALONE = 0.5  # the share a type needs when the query is a single word
SURE = 0.8  # from this share on, curated service types the model does not predict are damped
DAMP = 0.7  # ... by this factor
OVERRULE = 0.9  # from this share on, the model's type outranks a crisis's services
_WORD = re.compile(r"\w+")


def _features(text: str) -> tuple[Counter[str], Counter[str]]:
    """Character n-grams (within " word ") and whole words of the folded text."""
    chars: Counter[str] = Counter()
    words: Counter[str] = Counter()
    for word in _WORD.findall(fold(text)):
        words["w:" + word] += 1
        padded = f" {word} "
        size = len(padded)
        for n in range(MIN_N, min(MAX_N, size) + 1):
            chars.update(padded[start : start + n] for start in range(size - n + 1))
    return chars, words


def _weighted(counts: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    """Sublinear tf times idf, l2-normalised (the training side: every feature counts)."""
    vector = {f: (1.0 + math.log(c)) * idf[f] for f, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {f: v / norm for f, v in vector.items()}


@dataclass(frozen=True)
class IntentModel:
    """Per feature, the classes it speaks for and by how much (sparse complement weights).

    Row ``r`` of the feature table holds classes ``classes[indptr[r]:indptr[r + 1]]`` with
    their weights; a query's score is gathered in a handful of array operations.
    """

    codes: tuple[str, ...]
    rows: dict[str, int]
    idf: npt.NDArray[np.float64]
    indptr: npt.NDArray[np.int64]
    classes: npt.NDArray[np.int64]
    deltas: npt.NDArray[np.float64]
    log_z: npt.NDArray[np.float64]

    def _part(self, counts: Counter[str]) -> tuple[list[int], npt.NDArray[np.float64]]:
        """Rows and l2-normalised tf-idf values of the features the model knows."""
        rows = self.rows
        found = [(rows[f], c) for f, c in counts.items() if f in rows]
        if not found:
            return [], np.zeros(0)
        index = [r for r, _ in found]
        values = (1.0 + np.log(np.array([c for _, c in found], dtype=np.float64))) * self.idf[index]
        return index, values / (np.sqrt(values @ values) or 1.0)

    def scores(self, text: str) -> npt.NDArray[np.float64]:
        """Complement naive Bayes class scores without the part every class shares."""
        chars, words = _features(text)
        rows_c, x_c = self._part(chars)
        rows_w, x_w = self._part(words)
        rows = np.array(rows_c + rows_w, dtype=np.int64)
        if not len(rows):
            return np.zeros(len(self.codes))
        x = np.concatenate([x_c, x_w])
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        lengths = ends - starts
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        gathered = offsets + np.arange(int(lengths.sum()))
        weights = self.deltas[gathered] * np.repeat(x, lengths)
        total = np.bincount(self.classes[gathered], weights=weights, minlength=len(self.codes))
        return np.asarray(total, dtype=np.float64) + float(x.sum()) * self.log_z

    def predict(self, text: str, limit: int = 3) -> list[tuple[str, float]]:
        """The ``limit`` likeliest service types with their share of the softmax."""
        scores = self.scores(text)
        if not scores.any():
            return []
        shifted = np.exp((scores - scores.max()) / TEMPERATURE)
        shares = shifted / shifted.sum()
        best = np.argsort(-shares)[:limit]
        return [(self.codes[i], float(shares[i])) for i in best]


def train(examples: Iterable[tuple[str, str]]) -> IntentModel:
    """Fit the model on ``(service type, text)`` pairs; pure and deterministic."""
    docs: list[tuple[str, Counter[str], Counter[str]]] = []
    df: Counter[str] = Counter()
    for code, text in examples:
        chars, words = _features(text)
        if chars or words:
            docs.append((code, chars, words))
            df.update(chars.keys())
            df.update(words.keys())
    n = len(docs)
    idf = {f: math.log((1 + n) / (1 + d)) + 1.0 for f, d in df.items()}
    codes = tuple(sorted({code for code, _, _ in docs}))
    at = {code: i for i, code in enumerate(codes)}
    per_feature: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for code, chars, words in docs:
        for feature, x in (_weighted(chars, idf) | _weighted(words, idf)).items():
            per_feature[feature][at[code]] += x
    feature_total = {f: sum(counts.values()) for f, counts in per_feature.items()}
    class_total = np.zeros(len(codes))
    for counts in per_feature.values():
        for c, x in counts.items():
            class_total[c] += x
    grand = sum(feature_total.values())
    # Z_c: the smoothed total of everything *not* in class c.
    log_z = np.log(grand - class_total + ALPHA * len(per_feature))
    rows: dict[str, int] = {}
    indptr = [0]
    classes: list[int] = []
    deltas: list[float] = []
    for feature in sorted(per_feature):
        rows[feature] = len(rows)
        everything = feature_total[feature] + ALPHA
        for c, x in sorted(per_feature[feature].items()):
            classes.append(c)
            deltas.append(math.log(everything) - math.log(everything - x))
        indptr.append(len(classes))
    return IntentModel(
        codes,
        rows,
        np.array([idf[f] for f in rows], dtype=np.float64),
        np.array(indptr, dtype=np.int64),
        np.array(classes, dtype=np.int64),
        np.array(deltas, dtype=np.float64),
        log_z,
    )


def read_examples(text: str, file: str = "<string>") -> list[tuple[str, str]]:
    """``code[+code]<TAB>query`` lines; a query filed under two types teaches both."""
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        code_text, sep, query = line.partition("\t")
        if not sep or not query.strip():
            raise ResourceFormatError(file, number, "expected `code<TAB>query`")
        for code in code_text.split("+"):
            if not taxonomy.exists(code) or "/" not in code:
                raise ResourceFormatError(file, number, f"unknown service type {code!r}")
            out.append((code, query.strip()))
    return out


def data_files() -> list[Path]:
    """The files the model learns from: curated phrase lists, then example queries."""
    return [
        *list_dir("concepts"),
        *list_dir("glossary"),
        *list_dir("situations"),
        *list_dir("examples", ".tsv"),
    ]


def corpus() -> list[tuple[str, str]]:
    """Every curated phrase of a service type and every written example query."""
    pairs: list[tuple[str, str]] = []
    for path in data_files():
        if path.suffix == ".tsv":
            pairs.extend(read_examples(read_text(path), path.name))
        else:
            pairs.extend((e.code, e.phrase) for e in load_entries(path) if "/" in e.code)
    return pairs


@lru_cache(maxsize=1)
def model() -> IntentModel:
    return train(corpus())


Prediction = list[tuple[str, float]]


def blend(concepts: list[ConceptMatch], predicted: Prediction) -> list[ConceptMatch]:
    """The curated concepts with the model's service types joined in (kind ``model``).

    A predicted type weighs ``WEIGHT × share`` (kind ``model``); a curated concept of the
    same type rises to that weight and keeps its phrase and kind, the reason it is shown.
    When the model is sure (``SURE``), curated service types it does not predict at all
    are damped: a partial phrase match ("Papa … schlägt") is a weaker
    witness than a model that read the whole sentence. Areas follow their service types.
    """
    if not predicted:
        return concepts
    out = {c.code: c for c in concepts}
    named = {code for code, _ in predicted}
    if predicted[0][1] >= SURE:
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
