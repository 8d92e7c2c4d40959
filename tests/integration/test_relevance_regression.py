"""Search quality may not quietly get worse: the dev queries against the recorded figure.

The reference lives in ``benchmarks/relevance-dev.json`` and is written by
``sozialatlas bench relevance --queries … --import … --record benchmarks/relevance-dev.json``;
update it in the same commit as a change that deliberately moves the figures.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from sozialatlas.bench.relevance import main
from tests.conftest import shared_file

ROOT = Path(__file__).resolve().parents[2]
RECORDED = ROOT / "benchmarks" / "relevance-dev.json"
TOLERANCE = 0.02

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_ndcg_does_not_fall_below_the_recorded_figure(services: Any) -> None:
    recorded = json.loads(RECORDED.read_text())
    out = io.StringIO()
    figures = main(
        settings.INDEXER,
        shared_file("queries-dev.jsonl"),
        shared_file("providers.jsonl"),
        run_out=None,
        record=None,
        out=out,
    )
    print(out.getvalue())
    ours = figures["all"]["ours"]
    assert ours["ndcg@10"] >= recorded["ndcg@10"] - TOLERANCE, out.getvalue()
    assert ours["zero"] <= max(recorded["zero"], 0.01)
    assert ours["ndcg@10"] > figures["all"]["baseline"]["ndcg@10"] + 0.3
