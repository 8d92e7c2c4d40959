"""The relevance metrics as the judged query sets define them."""

from __future__ import annotations

import math

from sozialatlas.bench.metrics import Summary, ndcg_at, success_at


def test_ndcg_uses_exponential_gain_and_log2_discount() -> None:
    judged = {"a": 2, "b": 1}
    assert ndcg_at(["a", "b"], judged) == 1.0
    swapped = (1 / math.log2(2) + 3 / math.log2(3)) / (3 / math.log2(2) + 1 / math.log2(3))
    assert math.isclose(ndcg_at(["b", "a"], judged), swapped)
    assert ndcg_at(["x", "y"], judged) == 0.0


def test_success_needs_a_grade_two_in_the_top_three() -> None:
    assert success_at(["x", "y", "a"], {"a": 2}) == 1.0
    assert success_at(["x", "y", "z", "a"], {"a": 2}) == 0.0
    assert success_at(["b"], {"b": 1}) == 0.0


def test_summary_counts_zero_result_queries() -> None:
    summary = Summary()
    summary.add([], {"a": 2})
    summary.add(["a"], {"a": 2})
    assert summary.means() == {"queries": 2, "ndcg@10": 0.5, "success@3": 0.5, "zero": 0.5}
