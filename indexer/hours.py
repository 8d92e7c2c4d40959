"""Opening hours as ranges of minutes in the week, so "open now" is one range query.

A week has 7 × 1440 minutes, counted from Monday 00:00 local time. A slot that runs past
midnight (18:00–08:00) continues on the next day; Sunday night wraps round to Monday
morning, so it is split into two ranges.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Literal, get_args

import holidays

Day = Literal["mo", "di", "mi", "do", "fr", "sa", "so"]  # the weekday codes, defined once
DAYS: tuple[str, ...] = get_args(Day)
WEEK = 7 * 1440


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def week_ranges(slots: Iterable[Mapping[str, Any]]) -> list[dict[str, int]]:
    """Closed-open minute ranges ``{"gte": a, "lt": b}`` for the given weekly slots."""
    ranges: list[tuple[int, int]] = []
    for slot in slots:
        try:
            opens, closes = _minutes(slot["opens"]), _minutes(slot["closes"])
            days = [DAYS.index(day) for day in slot["days"]]
        except (KeyError, ValueError, AttributeError, TypeError):
            continue  # malformed slots were reported at import; never break indexing
        length = closes - opens if closes > opens else closes + 1440 - opens
        for day in days:
            start = day * 1440 + opens
            end = start + length
            if end <= WEEK:
                ranges.append((start, end))
            else:
                ranges.append((start, WEEK))
                ranges.append((0, end - WEEK))
    return [{"gte": a, "lt": b} for a, b in _merge(ranges)]


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


SUNDAY = 6
STATE = "SN"  # Saxony: Buß- und Bettag and Reformationstag are public holidays here


@lru_cache(maxsize=8)
def _public_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("DE", subdiv=STATE, years=year)


def is_public_holiday(day: date) -> bool:
    """A public holiday in Saxony (the ``holidays`` package keeps the calendar)."""
    return day in _public_holidays(day.year)


def minute_of_week(moment: datetime) -> int:
    """Minutes since Monday 00:00 of ``moment`` (give it in the city's local time).

    A public holiday counts as a Sunday: services keep their Sunday hours on holidays
    ("Sonn- und Feiertage"), so "open now" on Christmas Day shows the 24-hour lines and the
    Sunday cafés, not the Thursday office hours.
    """
    weekday = SUNDAY if is_public_holiday(moment.date()) else moment.weekday()
    return weekday * 1440 + moment.hour * 60 + moment.minute
