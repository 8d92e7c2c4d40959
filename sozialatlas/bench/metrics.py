"""Relevance metrics as the judged query sets define them.

nDCG@10 uses gain 2^grade − 1 and a log2 discount, with the ideal ranking taken from the
judged grades; success@3 means a grade-2 record among the first three; a query with no
hit at all counts as zero-result.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


def dcg(grades: Sequence[int]) -> float:
    return float(sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(grades)))


def ndcg_at(ranked: Sequence[str], judged: Mapping[str, int], k: int = 10) -> float:
    ideal = dcg(sorted(judged.values(), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([judged.get(doc, 0) for doc in ranked[:k]]) / ideal


def success_at(ranked: Sequence[str], judged: Mapping[str, int], k: int = 3) -> float:
    return 1.0 if any(judged.get(doc, 0) >= 2 for doc in ranked[:k]) else 0.0


@dataclass
class Summary:
    queries: int = 0
    ndcg: float = 0.0
    success: float = 0.0
    zero: float = 0.0

    def add(self, ranked: Sequence[str], judged: Mapping[str, int]) -> None:
        self.queries += 1
        self.ndcg += ndcg_at(ranked, judged)
        self.success += success_at(ranked, judged)
        self.zero += 0.0 if ranked else 1.0

    def means(self) -> dict[str, float]:
        n = max(self.queries, 1)
        return {
            "queries": self.queries,
            "ndcg@10": round(self.ndcg / n, 4),
            "success@3": round(self.success / n, 4),
            "zero": round(self.zero / n, 4),
        }
