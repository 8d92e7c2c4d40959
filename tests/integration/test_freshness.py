"""Freshness on real data and in the ranking.

* ``sozialatlas report freshness`` on the imported legacy export (``shared/data``), whose
  ``updated_at`` dates are the confirmation dates; the expected counts are taken from the
  file itself by comparing ISO dates, independently of the report's code.
* Of two otherwise equal entries the recently confirmed one ranks first (real Elasticsearch).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from ninja.testing import TestClient

from api.apis import api
from directory.importer import import_file
from directory.models import ServiceAtLocation
from directory.snapshot import index_file
from tests.conftest import shared_file
from tests.factories import record

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

AS_OF = "2026-12-01"
# Calendar months back from AS_OF: 6, 12 and 24 months.
CUTOFF_6M, CUTOFF_12M, CUTOFF_24M = "2026-06-01", "2025-12-01", "2024-12-01"


def test_freshness_report_on_the_legacy_export(services: Any, capsys: Any, tmp_path: Path) -> None:
    from sozialatlas.cli import main

    source = shared_file("providers.jsonl")
    imported = import_file(source)
    assert imported.created > 1000
    kept = set(ServiceAtLocation.objects.values_list("id", flat=True))
    dates = [
        row.get("updated_at") or None
        for row in map(json.loads, source.read_text(encoding="utf-8").splitlines())
        if row["id"] in kept
    ]
    assert len(dates) == len(kept)

    out = tmp_path / "freshness.csv"
    assert main(["report", "freshness", "--as-of", AS_OF, "--csv", str(out)]) == 0
    table = capsys.readouterr().out
    assert table.startswith("freshness") and "confirmed_12m" in table
    csv = {
        line.split(",")[0]: line.split(",")[1:]
        for line in out.read_text(encoding="utf-8").lstrip("\ufeff").splitlines()[1:]
    }

    def count(predicate: Any) -> int:
        return sum(1 for d in dates if predicate(d))

    expected = {
        "entries": len(dates),
        "confirmed_6m": count(lambda d: d is not None and d >= CUTOFF_6M),
        "confirmed_12m": count(lambda d: d is not None and d >= CUTOFF_12M),
        "stale_6-12m": count(lambda d: d is not None and CUTOFF_12M <= d < CUTOFF_6M),
        "stale_1-2y": count(lambda d: d is not None and CUTOFF_24M <= d < CUTOFF_12M),
        "stale_over_2y": count(lambda d: d is not None and d < CUTOFF_24M),
        "stale_never": count(lambda d: d is None),
        "open_reports": 0,
    }
    assert {name: int(csv[name][0]) for name in expected} == expected
    share = float(csv["confirmed_12m"][1])
    assert share == round(expected["confirmed_12m"] / len(dates), 3)
    assert csv["median_days_to_close"] == ["", ""]  # nothing closed yet


@pytest.mark.parametrize("fresh_id_first", [False, True])
def test_of_two_equal_entries_the_recently_confirmed_ranks_first(
    services: Any, settings: Any, tmp_path: Path, fresh_id_first: bool
) -> None:
    """Equal but for the confirmation date; the index is built in id order, so with the
    stale twin's id first index order alone would put it first."""
    today = timezone.localdate()
    fresh_id, stale_id = ("twin-a", "twin-b") if fresh_id_first else ("twin-b", "twin-a")
    twins = [
        record(id=fresh_id, updated_at=(today - timedelta(days=20)).isoformat()),
        record(id=stale_id, updated_at=(today - timedelta(days=4 * 365)).isoformat()),
    ]
    path = tmp_path / "twins.jsonl"
    path.write_text("\n".join(json.dumps(twin) for twin in twins), encoding="utf-8")
    suffix = f"-twins-{int(fresh_id_first)}"
    conf = replace(settings.INDEXER, index_prefix=settings.INDEXER.index_prefix + suffix)
    assert index_file(conf, path) == (2, 0)
    settings.INDEXER = conf

    for query in ({"q": "Schuldnerberatung"}, {}):  # a text search, and browsing
        response = TestClient(api).get("/search", query_params=query)
        assert response.status_code == 200, response.json()
        hits = response.json()["hits"]
        assert [h["id"] for h in hits] == [fresh_id, stale_id], query
