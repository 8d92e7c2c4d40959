"""Opening hours as HSDS schedules: one weekly iCal rule per slot of ``opening_hours``.

A slot ``{"days": ["mo", "di"], "opens": "09:00", "closes": "16:00"}`` (the format of
``indexer.hours``) is exactly an RFC 5545 weekly rule: ``freq=WEEKLY``, ``byday=MO,TU``,
``opens_at``/``closes_at``. Times stay the city's wall-clock time (Europe/Berlin) without
an offset: a fixed offset would be wrong for half of the year. A slot that closes before
it opens runs past midnight, as in our own format; ``24:00`` is kept (ISO 8601's end of
day). The free-text hours go into each schedule's ``description``; a record with text but
no slots gets one schedule with the text alone, so nothing people read is lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from directory.hsds_ids import stable_id
from indexer.hours import DAYS

ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # in the order of indexer.hours.DAYS
_TO_ICAL = dict(zip(DAYS, ICAL_DAYS, strict=True))


def byday(days: list[str]) -> str:
    """``["mo", "do"]`` → ``"MO,TH"``, in week order; an unknown day code is an error."""
    unknown = [day for day in days if day not in _TO_ICAL]
    if unknown or not days:
        raise ValueError(f"not weekday codes of {DAYS}: {days!r}")
    return ",".join(_TO_ICAL[day] for day in sorted(set(days), key=DAYS.index))


def schedules(record: Mapping[str, Any], service_id: str) -> list[dict[str, Any]]:
    """The HSDS schedules of one record's opening hours (a malformed slot raises)."""
    text = record.get("opening_hours_text") or ""
    out: list[dict[str, Any]] = []
    for number, slot in enumerate(record.get("opening_hours") or []):
        schedule: dict[str, Any] = {
            "id": stable_id("schedule", record["id"], str(number)),
            "service_id": service_id,
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": byday(slot["days"]),
            "opens_at": _time(slot["opens"]),
            "closes_at": _time(slot["closes"]),
        }
        if text:
            schedule["description"] = text
        out.append(schedule)
    if not out and text:
        out.append(
            {"id": stable_id("schedule", record["id"], "text"), "service_id": service_id,
             "description": text}
        )  # fmt: skip
    return out


def _time(hhmm: str) -> str:
    hours, minutes = hhmm.split(":")
    if not (hours.isdigit() and minutes.isdigit() and len(hours) == len(minutes) == 2):
        raise ValueError(f"not a time of day: {hhmm!r}")
    return hhmm
