"""Opening hours valid between two dates (HSDS ``valid_from``/``valid_to``): indexed as
periods, so that "open now" asks for the minute of the week and the day together."""

from __future__ import annotations

from datetime import date
from typing import Any

from analyzers import analyze_records
from indexer.document import build_document
from indexer.hours import dated_periods, holds_always, open_at, week_ranges
from indexer.search import Hit
from tests.factories import record

SUMMER = {"days": ["mo"], "opens": "09:00", "closes": "12:00", "valid_from": "2025-06-01",
          "valid_to": "2025-08-31"}  # fmt: skip
FROM_SEPTEMBER = {"days": ["di"], "opens": "14:00", "closes": "16:00", "valid_from": "2025-09-01"}
ALWAYS = {"days": ["fr"], "opens": "10:00", "closes": "11:00"}
MONDAY_10 = 10 * 60
TUESDAY_15 = 1440 + 15 * 60
FRIDAY_1030 = 4 * 1440 + 10 * 60 + 30


def test_slots_with_dates_become_periods_the_others_weekly_ranges() -> None:
    slots = [SUMMER, FROM_SEPTEMBER, ALWAYS]
    assert [holds_always(s) for s in slots] == [False, False, True]
    assert dated_periods(slots) == [
        {"minutes": {"gte": 540, "lt": 720}, "valid": {"gte": "2025-06-01", "lte": "2025-08-31"}},
        {"minutes": {"gte": 2280, "lt": 2400}, "valid": {"gte": "2025-09-01"}},
    ]
    ranges, periods = week_ranges([ALWAYS]), dated_periods(slots)
    assert open_at(ranges, periods, MONDAY_10, date(2025, 7, 7))
    assert not open_at(ranges, periods, MONDAY_10, date(2025, 9, 1))  # summer is over
    assert not open_at(ranges, periods, MONDAY_10, date(2025, 5, 26))  # not yet
    assert open_at(ranges, periods, TUESDAY_15, date(2026, 3, 3))  # open end
    assert not open_at(ranges, periods, TUESDAY_15, date(2025, 8, 26))
    assert open_at(ranges, periods, FRIDAY_1030, date(1999, 1, 1))  # always
    assert not open_at(ranges, periods, MONDAY_10)  # without a day, only weekly ranges


def test_the_document_keeps_dated_slots_out_of_the_weekly_ranges() -> None:
    plain = record(opening_hours=[ALWAYS])
    dated = record(opening_hours=[ALWAYS, SUMMER])
    [a, b] = analyze_records([plain, dated])
    plain_doc, dated_doc = build_document(plain, a), build_document(dated, b)
    assert "open_periods" not in plain_doc  # a record without dates looks as it always did
    assert dated_doc["open_minutes"] == plain_doc["open_minutes"] == [{"gte": 6360, "lt": 6420}]
    assert dated_doc["open_periods"] == dated_periods([SUMMER])
    hit = Hit(id=dated["id"], score=1.0, source=dated_doc)
    assert hit.is_open(MONDAY_10, date(2025, 7, 7)) is True
    assert hit.is_open(MONDAY_10, date(2025, 10, 6)) is False
    none: dict[str, Any] = {**plain_doc, "has_hours": False}
    assert Hit(id="x", score=1.0, source=none).is_open(MONDAY_10, date(2025, 7, 7)) is None
