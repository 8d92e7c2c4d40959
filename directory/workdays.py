"""Working days in Chemnitz: Monday to Friday, except Saxony's public holidays.

Reminders and escalations of inquiries count working days, not hours: an inquiry sent on
the Friday before Easter must not be escalated on Tuesday because four calendar days went
by. The holiday calendar is the one "open now" uses (``indexer.hours``, ``holidays``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from indexer.hours import is_public_holiday

CITY_TIME = ZoneInfo("Europe/Berlin")


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_public_holiday(day)


def add_working_days(start: datetime, days: int) -> datetime:
    """The same local time of day ``days`` working days after ``start``.

    Friday 15:00 + 2 = Tuesday 15:00; with Good Friday and Easter Monday in between,
    Maundy Thursday 15:00 + 2 = the Wednesday after Easter, 15:00. A start on a weekend
    counts Monday as the first working day.
    """
    local = start.astimezone(CITY_TIME)
    day = local.date()
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return datetime.combine(day, local.time(), tzinfo=CITY_TIME)
