"""Opening hours as ranges of minutes in the week, so "open now" is one range query.

A week has 7 × 1440 minutes, counted from Monday 00:00 local time. A slot that runs past
midnight (18:00–08:00) continues on the next day; Sunday night wraps round to Monday
morning, so it is split into two ranges. A slot valid only between two dates (HSDS's
``valid_from``/``valid_to``: summer hours, a winter shelter) becomes a *period*: its ranges
with the dates they hold on, so that "open now" asks for the minute and the day together.
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


def holds_always(slot: Mapping[str, Any]) -> bool:
    """A slot without a validity range holds every week of every year."""
    return not slot.get("valid_from") and not slot.get("valid_to")


def dated_periods(slots: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``{"minutes": range, "valid": {"gte": from, "lte": to}}`` for each minute range of
    each slot with a validity range (an open end is left out)."""
    periods: list[dict[str, Any]] = []
    for slot in slots:
        if holds_always(slot):
            continue
        valid = {key: slot[name] for key, name in (("gte", "valid_from"), ("lte", "valid_to"))
                 if slot.get(name)}  # fmt: skip
        periods += [{"minutes": r, "valid": valid} for r in week_ranges([slot])]
    return periods


def open_at(
    ranges: Iterable[Mapping[str, int]],
    periods: Iterable[Mapping[str, Any]],
    minute: int,
    day: date | None = None,
) -> bool:
    """Whether the weekly ranges, or a period valid on ``day``, hold ``minute``."""
    if any(r["gte"] <= minute < r["lt"] for r in ranges):
        return True
    if day is None:
        return False
    today = day.isoformat()
    return any(
        p["minutes"]["gte"] <= minute < p["minutes"]["lt"]
        and p["valid"].get("gte", today) <= today <= p["valid"].get("lte", today)
        for p in periods
    )


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
