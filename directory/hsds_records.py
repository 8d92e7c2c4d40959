"""HSDS 3.0 services as our flat records: the inverse of ``directory.hsds`` (pure, no I/O).

Our own publication comes back as the records it was made from. What another publisher
says that a flat record cannot hold (a rule of certain weeks, a term of another taxonomy,
a point off the globe, a long eligibility text) is kept where it fits (the description,
the ``extern/`` categories) and named in the record's notes, which the import reports as
warnings: another directory's data is imported, not rejected, for what we cannot say.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from directory.hsds import APPOINTMENT_TEXT, FREE, ONLINE_TEXT
from directory.hsds_ids import organization_id
from directory.hsds_readers import ServiceItem, objects_in
from directory.hsds_schedules import read_opening_hours
from directory.hsds_taxonomy import NO_TERM, find_code, make_unmapped_code
from directory.hsds_values import LANGUAGE_NAMES, decode_email, decode_uri
from directory.schema import COSTS, STATUSES

Obj = Mapping[str, Any]

HOURS_TEXT_LIMIT = 500  # Provider.opening_hours_text: a longer text is cut, not rejected
TARGET_GROUP_LIMIT = 60  # longer parts mean the eligibility text is prose, not a list
FREE_WORDS = frozenset({"free", "free of charge", "kostenfrei", "gratis", "unentgeltlich"})
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
_LANGUAGE_BY_NAME = {name.lower(): code for code, name in LANGUAGE_NAMES.items()}
_WHEELCHAIR = re.compile(r"rollstuhl|wheelchair|barrierefrei|stufenlos|step-free", re.I)
_NEGATION = re.compile(r"\b(nicht|kein\w*|ohne|not|no|non|without)\b", re.I)


def text_of(value: Any) -> str:
    """A text field's text; a number (an id, a postcode) as written; else empty."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value.strip() if isinstance(value, str) else ""


def _number(value: Any) -> float | None:
    """A number as JSON or a CSV cell writes it; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def place_of(item: ServiceItem) -> Obj:
    """The item's location, or an empty one: every field is then simply absent."""
    place = (item.at_location or {}).get("location")
    return place if isinstance(place, dict) else {}


def location_id_of(item: ServiceItem) -> str:
    return text_of(place_of(item).get("id")) or text_of((item.at_location or {}).get("location_id"))


def map_terms(attributes: Sequence[Obj], notes: list[str]) -> list[str]:
    """Our codes of the terms the attributes link, main first; a term that is none of ours
    is kept under ``extern/``, and a service without any term under :data:`NO_TERM`."""
    codes: dict[str, None] = {}
    for attribute in attributes:
        term = attribute.get("taxonomy_term")
        if not isinstance(term, dict):
            term = (
                {"id": attribute["taxonomy_term_id"]} if attribute.get("taxonomy_term_id") else {}
            )
        if not term:
            continue  # an attribute without a term says nothing about the kind of help
        code = find_code(term)
        if code is None:
            code = make_unmapped_code(term)
            if code is None:
                notes.append(f"taxonomy term {term.get('id')} is not in the input: dropped")
                continue
            label = text_of(term.get("name")) or text_of(term.get("code"))
            notes.append(f"taxonomy term {label!r} is no Sozialatlas category: kept as {code!r}")
        codes[code] = None
    if not codes:
        notes.append(f"no taxonomy term: filed under {NO_TERM!r} until someone files it")
        codes[NO_TERM] = None
    return list(codes)


def map_languages(holders: Sequence[Obj], notes: list[str]) -> list[str]:
    """ISO 639 codes of the languages (``en-GB`` → ``en``; a known English name → its code)."""
    codes: dict[str, None] = {}
    for language in (found for holder in holders for found in objects_in(holder.get("languages"))):
        code = text_of(language.get("code")).lower().replace("_", "-").split("-")[0]
        if not _LANGUAGE_CODE.match(code):
            code = _LANGUAGE_BY_NAME.get(text_of(language.get("name")).lower(), "")
        if code:
            codes[code] = None
        else:
            given = language.get("code") or language.get("name")
            notes.append(f"language {given!r} has no ISO 639 code: dropped")
    return list(codes)


def map_point(place: Obj, notes: list[str]) -> dict[str, float] | None:
    lat, lon = _number(place.get("latitude")), _number(place.get("longitude"))
    if lat is None and lon is None:
        return None
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        given = f"latitude {place.get('latitude')}, longitude {place.get('longitude')}"
        notes.append(f"location: {given} is no point on Earth: dropped")
        return None
    return {"lat": lat, "lon": lon}


def map_address(place: Obj) -> dict[str, str]:
    """The physical address (else the first one) as ours; ``region`` is our district."""
    found = objects_in(place.get("addresses"))
    if not found:
        return {}
    physical = [a for a in found if text_of(a.get("address_type")).lower() == "physical"]
    chosen = (physical or found)[0]
    return {
        "street": text_of(chosen.get("address_1")),
        "postal_code": text_of(chosen.get("postal_code")),
        "city": text_of(chosen.get("city")),
        "district": text_of(chosen.get("region")),
    }


def pick_phone(holders: Sequence[Obj]) -> str | None:
    """The first voice number (type voice or none given), else the first mobile one."""
    found = [p for holder in holders for p in objects_in(holder.get("phones"))]
    for kinds in (("", "voice"), ("cell",)):
        for entry in found:
            number = text_of(entry.get("number")).strip("\"' ")
            if number and text_of(entry.get("type")).lower() in kinds:
                return number
    return None


def detect_wheelchair(place: Obj) -> bool:
    """A sentence of the location's accessibility that names wheelchair access, unnegated."""
    for entry in objects_in(place.get("accessibility")):
        text = f"{text_of(entry.get('description'))}. {text_of(entry.get('details'))}"
        for sentence in re.split(r"[.;!?\n]", text):
            if _WHEELCHAIR.search(sentence) and not _NEGATION.search(sentence):
                return True
    return False


def map_cost(service: Obj) -> tuple[str | None, str]:
    """``(our cost value, fee text to keep)``: our own value as published, free words, else
    from the cost options' amounts (all 0: free; some: partly; none 0: paid)."""
    fees = text_of(service.get("fees_description"))
    if fees.lower() in COSTS:
        return fees.lower(), ""
    if fees.lower().rstrip(".!") in FREE_WORDS:
        return FREE, ""
    options = objects_in(service.get("cost_options"))
    amounts = [a for a in (_number(o.get("amount")) for o in options) if a is not None]
    if not amounts:
        return None, fees
    if max(amounts) == 0:
        return FREE, fees
    return ("kostenpflichtig" if min(amounts) > 0 else "teilweise kostenpflichtig"), fees


def split_target_groups(service: Obj) -> tuple[list[str], str]:
    """``(groups, prose)``: our comma-separated groups, or another publisher's sentence."""
    text = text_of(service.get("eligibility_description"))
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if all(len(part) <= TARGET_GROUP_LIMIT for part in parts):
        return parts, ""
    return [], text


def parse_date(value: Any, notes: list[str]) -> str | None:
    """``assured_date`` as our ``updated_at`` (a timestamp's day); a non-date is dropped."""
    text = text_of(value)
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        notes.append(f"assured_date {value!r} is no date: dropped")
        return None


def map_hours(schedule_lists: Sequence[Any], notes: list[str]) -> tuple[list[dict[str, Any]], str]:
    """Slots and text of the most specific schedules (at the location, the service's, the
    location's): the same schedule is often repeated at every level."""
    chosen = next((found for found in map(objects_in, schedule_lists) if found), [])
    slots, text, problems = read_opening_hours(chosen)
    notes.extend(problems)
    if len(text) > HOURS_TEXT_LIMIT:
        notes.append(f"opening hours text: {len(text)} characters, cut to {HOURS_TEXT_LIMIT}")
        text = text[: HOURS_TEXT_LIMIT - 1].rstrip() + "…"
    return slots, text


def build_record(item: ServiceItem, rid: str) -> tuple[dict[str, Any], list[str]]:
    """The record (exchange schema, before cleaning) of one service at one location, and
    the notes on what it could not carry over."""
    service, owner, place = item.service, item.organization or {}, place_of(item)
    at_location = item.at_location or {}
    notes: list[str] = []
    if item.at_location is not None and not place:
        notes.append(f"location {location_id_of(item) or '(no id)'} is not in the input")
    slots, hours_text = map_hours(
        [at_location.get("schedules"), service.get("schedules"), place.get("schedules")], notes
    )
    groups, eligibility = split_target_groups(service)
    cost_value, fees = map_cost(service)
    description = text_of(service.get("description")) or text_of(at_location.get("description"))
    process = text_of(service.get("application_process"))
    own = text_of(owner.get("id")) == organization_id("", rid)  # we published it as its own
    record = {
        "id": rid,
        "name": text_of(service.get("name")),
        "organization": "" if own else text_of(owner.get("name")),
        "description": "\n\n".join(text for text in (description, eligibility, fees) if text),
        "categories": map_terms(
            objects_in(service.get("attributes")) + objects_in(at_location.get("attributes")), notes
        ),
        "target_groups": groups,
        "languages": map_languages([service, place], notes),
        "address": map_address(place),
        "location": map_point(place, notes),
        "phone": pick_phone([at_location, service, place, owner]),
        "email": decode_email(text_of(service.get("email")) or text_of(owner.get("email"))),
        "website": decode_uri(text_of(service.get("url")) or text_of(owner.get("website"))),
        "opening_hours": slots,
        "opening_hours_text": hours_text,
        "accessibility": {"wheelchair": detect_wheelchair(place)},
        "cost": cost_value,
        "appointment_required": APPOINTMENT_TEXT in process,
        "online_counselling": ONLINE_TEXT in process,
        "updated_at": parse_date(service.get("assured_date"), notes),
    }
    status = text_of(service.get("status")).lower()
    if status in STATUSES and status != "active":  # an active record looks as it always did
        record["status"] = status
    return record, notes
