"""Opening hours as HSDS schedules: one weekly iCal rule per slot of ``opening_hours``.

A slot ``{"days": ["mo", "di"], "opens": "09:00", "closes": "16:00"}`` (the format of
``indexer.hours``) is exactly an RFC 5545 weekly rule: ``freq=WEEKLY``, ``byday=MO,TU``,
``opens_at``/``closes_at``. Times stay the city's wall-clock time (Europe/Berlin) without
an offset: a fixed offset would be wrong for half of the year. A slot that closes before
it opens runs past midnight, as in our own format; ``24:00`` is kept (ISO 8601's end of
day). A slot valid between two dates (``valid_from``/``valid_to``, holiday hours, a summer
break) keeps them. The free-text hours go into each schedule's ``description``; a record
with text but no slots gets one schedule with the text alone, so nothing people read is
lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
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


def days_of(ical: str) -> list[str]:
    """``"MO,TH"`` → ``["mo", "do"]``; a code that is no iCal day is kept (lower case) for
    the mapping to refuse, as a malformed slot is."""
    return [_FROM_ICAL.get(day, day.lower()) for day in ical.split(",") if day]


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
        for key in ("valid_from", "valid_to"):
            if slot.get(key):
                schedule[key] = slot[key]
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


# --- the way back: schedules of an HSDS publication as our weekly slots ---------------------

_FROM_ICAL = dict(zip(ICAL_DAYS, DAYS, strict=True))
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
# Rule parts a weekly slot cannot say: the slot would claim every week of every year.
_RESTRICTIONS = ("byweekno", "bymonthday", "byyearday", "count", "until")
_VALIDITY = ("valid_from", "valid_to")


def _given(value: Any) -> bool:
    return value not in (None, "", [])


def _clock(value: Any, closing: bool) -> str | None:
    """``10:00:00`` → ``10:00``; ``24:00`` only as a closing time; None if no time of day."""
    found = _TIME.match(str(value).strip()) if isinstance(value, str | int) else None
    if found is None or int(found[3] or 0) != 0:
        return None
    hours, minutes = int(found[1]), int(found[2])
    if minutes > 59 or hours > 24 or (hours == 24 and (minutes or not closing)):
        return None
    return f"{hours:02d}:{minutes:02d}"


def read_slot(schedule: Mapping[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    """``(slot, None)``, or ``(None, why not)`` for a rule our weekly slots cannot express;
    ``(None, None)`` for a schedule that is only a description (nothing to express)."""
    rule = ("freq", "byday", "opens_at", "closes_at", "interval", *_RESTRICTIONS, *_VALIDITY)
    if not any(_given(schedule.get(key)) for key in rule):
        return None, None
    freq = str(schedule.get("freq") or "WEEKLY").upper()
    if freq != "WEEKLY":
        return None, f"freq {freq}"
    if str(schedule.get("interval") or 1).removesuffix(".0") != "1":
        return None, f"every {schedule['interval']} weeks"
    for key in _RESTRICTIONS:
        if _given(schedule.get(key)):
            return None, f"{key} {schedule[key]}"
    days = [day.strip().upper() for day in str(schedule.get("byday") or "").split(",")]
    if not all(day in _FROM_ICAL for day in days):
        return None, f"byday {schedule.get('byday') or '(none)'!r}"
    opens = _clock(schedule.get("opens_at"), closing=False)
    closes = _clock(schedule.get("closes_at"), closing=True)
    if opens is None or closes is None or opens == closes:
        return (
            None,
            f"opens_at {schedule.get('opens_at')!r}, closes_at {schedule.get('closes_at')!r}",
        )
    ordered = sorted({_FROM_ICAL[day] for day in days}, key=DAYS.index)
    slot: dict[str, Any] = {"days": ordered, "opens": opens, "closes": closes}
    for key in _VALIDITY:
        if _given(schedule.get(key)):
            day = _date(schedule[key])
            if day is None:
                return None, f"{key} {schedule[key]!r}"
            slot[key] = day
    if slot.get("valid_from", "") > slot.get("valid_to", "9999"):
        return None, f"valid_from {slot['valid_from']} after valid_to {slot['valid_to']}"
    return slot, None


def _date(value: Any) -> str | None:
    """An ISO date (a timestamp's day); None for anything else."""
    try:
        return date.fromisoformat(str(value).strip()[:10]).isoformat()
    except ValueError:
        return None


def read_opening_hours(
    found: Iterable[Mapping[str, Any]],
) -> tuple[list[dict[str, Any]], str, list[str]]:
    """``(slots, text, notes)`` of HSDS schedules: the inverse of :func:`schedules`.

    Each schedule's ``description`` becomes the hours' text (once, however many schedules
    repeat it); a rule that no weekly slot can express keeps only that text, and a note
    says which rule part stood in the way.
    """
    slots: list[dict[str, Any]] = []
    texts: dict[str, None] = {}
    notes: list[str] = []
    for schedule in found:
        text = str(schedule.get("description") or "").strip()
        slot, problem = read_slot(schedule)
        if slot is not None and slot not in slots:
            slots.append(slot)
        elif problem is not None:
            kept = "kept its description only" if text else "dropped (it has no description)"
            notes.append(f"schedule {schedule.get('id') or '(no id)'}: {problem} is no weekly "
                         f"opening time; {kept}")  # fmt: skip
        if text:
            texts[text] = None
    return slots, "; ".join(texts), notes
