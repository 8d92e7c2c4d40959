""" "Open now" honours opening hours valid between two dates, against a real index; a
service that is not active is not searchable at all."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest

from api.context import searcher
from api.search_models import SearchParams
from directory.exchange import record_from_fields
from directory.records import clean_record
from indexer.pipeline import index_records, is_searchable
from indexer.rebuild import rebuild
from tests.factories import record

HOURS = {"days": ["mo"], "opens": "09:00", "closes": "12:00"}
SUMMER = {**HOURS, "valid_from": "2026-06-01", "valid_to": "2026-08-31"}


@pytest.fixture()
def dated_index(services: Any, settings: Any) -> Iterator[Any]:
    """An index of its own: a summer-only service, an all-year one, a closed one."""
    raws = [
        record(id="summer-1", name="Sommerferienbetreuung", opening_hours=[SUMMER]),
        record(id="always-1", name="Ganzjahresberatung", opening_hours=[HOURS]),
        record(id="closed-1", name="Geschlossene Beratung", opening_hours=[HOURS],
               status="temporarily closed"),
    ]  # fmt: skip
    records = {r["id"]: record_from_fields(clean_record(r), 1) for r in raws}
    conf = replace(settings.INDEXER, index_prefix=settings.INDEXER.index_prefix + "-dated")
    listed = sorted(i for i, r in records.items() if is_searchable(r))
    outcome = rebuild(conf, lambda: listed, lambda ids: [records[i] for i in ids])
    assert outcome.documents == 2 and not outcome.failures
    settings.INDEXER = conf
    yield conf


@pytest.mark.parametrize(
    ("moment", "open_ids"),
    [
        (datetime(2026, 7, 6, 10, 0), {"summer-1", "always-1"}),  # a Monday in the summer
        (datetime(2026, 9, 7, 10, 0), {"always-1"}),  # the Monday after it
        (datetime(2026, 5, 25, 10, 0), set()),  # Whit Monday: a holiday, Sunday hours
        (datetime(2026, 7, 6, 13, 0), set()),  # closed by then
    ],
)
def test_open_now_asks_for_the_day_as_well(
    dated_index: Any, moment: datetime, open_ids: set[str]
) -> None:
    _, _, result = searcher().run(SearchParams(open_now=True, size=50), now=moment)
    assert {hit.id for hit in result.hits} == open_ids
    _, _, answer = searcher().answer(SearchParams(size=50), now=moment)
    labels = {hit.id: hit.open_now for hit in answer.hits}
    assert labels == {rid: rid in open_ids for rid in ("summer-1", "always-1")}


def test_a_service_that_is_not_active_is_left_out_or_deleted(
    dated_index: Any, es_client: Any
) -> None:
    def found() -> set[str]:
        _, _, result = searcher().run(SearchParams(q="Beratung", size=50))
        return {hit.id for hit in result.hits}

    assert "always-1" in found() and "closed-1" not in found()
    closing = {**record_from_fields(clean_record(record(id="always-1")), 2), "status": "defunct"}
    result = index_records(es_client, dated_index, [closing], refresh=True)
    assert (result.indexed, result.deleted) == (0, 1)
    assert "always-1" not in found()
