"""A text classifier that reads letters, not listed phrases.

People in need write past any list: inflections, compounds, typos, agglutinating languages
and transliterations share letter sequences with what was written before. The features
are tf-idf weighted character n-grams (inside word boundaries) and whole words of the
folded text. Two models read them, both scored by the same sparse table
(:class:`Classifier`):

* complement naive Bayes (Rennie et al. 2003, as scikit-learn's ``ComplementNB``,
  :func:`train`): training is counting, about a second for twenty thousand phrases; the
  danger model (:mod:`analyzers.alarm`), whose thresholds were measured on it;
* a linear support vector machine (:func:`train_linear`), about ten seconds for thirty
  thousand phrases: the intent model (:mod:`analyzers.intent`), more often right.

Each process trains its models from the shipped resources once, before it serves
(:func:`analyzers.warm_up`); nothing is loaded per query.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from sklearn.svm import LinearSVC

from analyzers.errors import ResourceFormatError
from analyzers.normalize import fold

ALPHA = 0.3  # additive smoothing of the complement counts
LINEAR_C = 0.5  # the linear model's regularisation (0.3-1.0 measured alike on the tuning sets)
LINEAR_TOL = 1e-2  # its stopping tolerance (1e-4 took a quarter longer for the same order)
MIN_LINEAR = 0.03  # smaller weights of the linear model are dropped
MIN_N, MAX_N = 3, 4  # character n-gram lengths (2-grams and 5-grams added nothing but time)
_WORD = re.compile(r"\w+")


def _features(text: str) -> tuple[Counter[str], Counter[str]]:
    """Character n-grams (within " word ") and whole words of the folded text."""
    found = _WORD.findall(fold(text))
    grams: list[str] = []
    for word in found:
        padded = f" {word} "
        size = len(padded)
        for n in range(MIN_N, min(MAX_N, size) + 1):
            grams += [padded[start : start + n] for start in range(size - n + 1)]
    return Counter(grams), Counter("w:" + word for word in found)


def _weighted(counts: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    """Sublinear tf times idf, l2-normalised (the training side: every feature counts)."""
    vector = {f: (1.0 + math.log(c)) * idf[f] for f, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {f: v / norm for f, v in vector.items()}


@dataclass(frozen=True)
class Classifier:
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
    log_z: npt.NDArray[np.float64]  # complement naive Bayes: per class, times the query's mass
    bias: npt.NDArray[np.float64] | None = None  # a linear model: per class, added once

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
        """Class scores (complement naive Bayes: without the part every class shares); empty
        if the text has no feature the model knows."""
        chars, words = _features(text)
        rows_c, x_c = self._part(chars)
        rows_w, x_w = self._part(words)
        rows = np.array(rows_c + rows_w, dtype=np.int64)
        if not len(rows):
            return np.zeros(0)
        x = np.concatenate([x_c, x_w])
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        lengths = ends - starts
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        gathered = offsets + np.arange(int(lengths.sum()))
        weights = self.deltas[gathered] * np.repeat(x, lengths)
        total = np.bincount(self.classes[gathered], weights=weights, minlength=len(self.codes))
        out = np.asarray(total, dtype=np.float64) + float(x.sum()) * self.log_z
        return out if self.bias is None else out + self.bias

    def predict(self, text: str, temperature: float, limit: int = 3) -> list[tuple[str, float]]:
        """The ``limit`` likeliest labels with their share of the softmax at ``temperature``."""
        scores = self.scores(text)
        if not len(scores):
            return []
        shifted = np.exp((scores - scores.max()) / temperature)
        shares = shifted / shifted.sum()
        best = np.argsort(-shares)[:limit]
        return [(self.codes[i], float(shares[i])) for i in best]


def _documents(
    examples: Iterable[tuple[str, str]],
) -> tuple[list[tuple[str, Counter[str], Counter[str]]], dict[str, float]]:
    """The examples' features (those with any) and every feature's idf."""
    docs: list[tuple[str, Counter[str], Counter[str]]] = []
    df: Counter[str] = Counter()
    for code, text in examples:
        chars, words = _features(text)
        if chars or words:
            docs.append((code, chars, words))
            df.update(chars.keys())
            df.update(words.keys())
    n = len(docs)
    return docs, {f: math.log((1 + n) / (1 + d)) + 1.0 for f, d in df.items()}


def train(examples: Iterable[tuple[str, str]]) -> Classifier:
    """Fit complement naive Bayes on ``(label, text)`` pairs; pure and deterministic."""
    docs, idf = _documents(examples)
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
    return Classifier(
        codes,
        rows,
        np.array([idf[f] for f in rows], dtype=np.float64),
        np.array(indptr, dtype=np.int64),
        np.array(classes, dtype=np.int64),
        np.array(deltas, dtype=np.float64),
        log_z,
    )


def train_linear(examples: Iterable[tuple[str, str]], c: float = LINEAR_C) -> Classifier:
    """Fit a linear support vector machine (scikit-learn's ``LinearSVC``, each class against
    the rest) on the same features; deterministic.

    It weighs the features against each other where naive Bayes counts each on its own: on
    the tuning sets 6-13 (1,818 blind queries) it named the right service type first for
    90.6 % of them, complement naive Bayes for 87.7 %. Weights below :data:`MIN_LINEAR`
    are dropped: the table keeps about a tenth of them (850,000 for the intent model), and
    the order of the types on those queries does not change.
    """
    docs, idf = _documents(examples)
    features = sorted(idf)
    rows = {f: i for i, f in enumerate(features)}
    codes = tuple(sorted({code for code, _, _ in docs}))
    at = {code: i for i, code in enumerate(codes)}
    indptr: list[int] = [0]
    indices: list[int] = []
    data: list[float] = []
    for _, chars, words in docs:
        vector = _weighted(chars, idf) | _weighted(words, idf)
        indices.extend(rows[f] for f in vector)
        data.extend(vector.values())
        indptr.append(len(indices))
    matrix = csr_matrix((data, indices, indptr), shape=(len(docs), len(features)))
    svm = LinearSVC(C=c, tol=LINEAR_TOL, random_state=0)
    svm.fit(matrix, [at[code] for code, _, _ in docs])
    weights = np.asarray(svm.coef_, dtype=np.float64)
    bias = np.asarray(svm.intercept_, dtype=np.float64)
    if len(codes) == 2:  # one weight vector for two classes: the second against the first
        weights, bias = np.vstack([-weights, weights]), np.concatenate([-bias, bias])
    keep = np.abs(weights.T) >= MIN_LINEAR  # feature x class
    return Classifier(
        codes,
        rows,
        np.array([idf[f] for f in features], dtype=np.float64),
        np.concatenate([[0], np.cumsum(keep.sum(axis=1))]).astype(np.int64),
        np.nonzero(keep)[1].astype(np.int64),
        weights.T[keep],
        np.zeros(len(codes)),
        bias,
    )


def read_labelled(text: str, file: str, form: str) -> list[tuple[int, str, str]]:
    """``label<TAB>text`` lines of a training file as (line number, label, text).

    ``#`` comments and blank lines are skipped; ``form`` names the columns in the error
    ("code<TAB>query"), so a curator sees which file and line to mend.
    """
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        label, sep, body = line.partition("\t")
        if not sep or not body.strip():
            raise ResourceFormatError(file, number, f"expected `{form}`")
        out.append((number, label, body.strip()))
    return out
