"""The freshness figures on a small set whose answers are counted by hand (pure, no database)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from directory.freshness import age_bucket, freshness_figures, is_stale, months_before

AS_OF = date(2026, 12, 1)
T0 = datetime(2026, 10, 1, 9, 0)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 12, 1), 6, date(2026, 6, 1)),
        (date(2026, 12, 1), 12, date(2025, 12, 1)),
        (date(2026, 12, 1), 24, date(2024, 12, 1)),
        (date(2026, 3, 31), 1, date(2026, 2, 28)),  # a shorter month: its last day
        (date(2024, 8, 31), 6, date(2024, 2, 29)),  # leap year
        (date(2026, 1, 15), 13, date(2024, 12, 15)),
    ],
)
def test_months_are_calendar_months(day: date, months: int, expected: date) -> None:
    assert months_before(day, months) == expected


@pytest.mark.parametrize(
    ("confirmed", "bucket"),
    [
        (date(2026, 12, 1), "fresh"),
        (date(2027, 1, 1), "fresh"),  # a date in the future counts as confirmed
        (date(2026, 6, 1), "fresh"),  # exactly six months: still within
        (date(2026, 5, 31), "6-12m"),
        (date(2025, 12, 1), "6-12m"),
        (date(2025, 11, 30), "1-2y"),
        (date(2024, 12, 1), "1-2y"),
        (date(2024, 11, 30), "over_2y"),
        (None, "never"),
    ],
)
def test_age_buckets_at_their_edges(confirmed: date | None, bucket: str) -> None:
    assert age_bucket(confirmed, AS_OF) == bucket


def test_stale_after_the_given_months() -> None:
    assert not is_stale(date(2025, 12, 1), AS_OF, 12)
    assert is_stale(date(2025, 11, 30), AS_OF, 12)
    assert is_stale(None, AS_OF, 12)
    assert is_stale(date(2026, 10, 31), AS_OF, 1)


def test_figures_of_a_small_known_set() -> None:
    confirmed = [
        date(2026, 11, 20),  # fresh
        date(2026, 7, 1),  # fresh
        date(2026, 3, 1),  # 6-12 months
        date(2025, 6, 1),  # 1-2 years
        date(2025, 1, 1),  # 1-2 years
        date(2020, 5, 5),  # over 2 years
        None,  # never
        None,  # never
    ]
    reports = [
        ("open", T0, None),
        ("open", T0, None),
        ("resolved", T0, T0 + timedelta(days=2)),
        ("dismissed", T0, T0 + timedelta(days=10)),
        ("resolved", T0, T0 + timedelta(hours=12)),
    ]
    figures = freshness_figures(confirmed, reports, AS_OF)
    assert (figures.entries, figures.confirmed_6m, figures.confirmed_12m) == (8, 2, 3)
    assert figures.stale == {"6-12m": 1, "1-2y": 2, "over_2y": 1, "never": 2}
    assert (figures.open_reports, figures.closed_reports) == (2, 3)
    assert figures.median_days_to_close == 2.0  # of 0.5, 2 and 10 days
    rows = {row["figure"]: (row["value"], row["share"]) for row in figures.rows()}
    assert rows["confirmed_6m"] == (2, 0.25)
    assert rows["confirmed_12m"] == (3, 0.375)
    assert rows["stale_never"] == (2, 0.25)
    assert rows["open_reports"] == (2, None)


def test_no_entries_and_no_closed_reports_give_no_shares() -> None:
    figures = freshness_figures([], [("open", T0, None)], AS_OF)
    assert figures.entries == 0 and figures.share(0) is None
    assert figures.median_days_to_close is None and figures.open_reports == 1
