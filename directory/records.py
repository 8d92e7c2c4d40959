"""One-time cleaning of provider records in the exchange schema.

Legacy exports carry HTML remnants, entities, phone numbers in half a dozen formats and
empty strings where a value is missing. All of that is repaired here, exactly once, at the
border: everything behind this module (database, index, API) can trust a stored record.
The module is pure — no database, no settings — so it is cheap to test and to reuse from
the importer, the admin and the API alike. What a record must look like to be accepted
at all is ``directory.schema``; near-duplicates across records are ``directory.duplicates``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any, TypedDict
from urllib.parse import urlsplit, urlunsplit

import phonenumbers
from django.core.exceptions import ValidationError as InvalidValue
from django.core.validators import EmailValidator, URLValidator

from analyzers.normalize import clean_text
from directory.errors import RecordError
from directory.schema import Address, parse_record

# Lengths of the model's CharFields: checked here so a long value is a clean rejection
# instead of a database error that would abort a whole import batch.
_MAX_LENGTH: dict[str, int] = {
    "name": 300,
    "organization": 300,
    "street": 200,
    "postal_code": 10,
    "city": 100,
    "district": 100,
    "opening_hours_text": 500,
    "description": 20_000,  # a long page of text; anything longer is a paste gone wrong
}


class RecordFields(TypedDict):
    """Cleaned values of one record, flat as the exchange schema has them; where each is
    stored is ``directory.record_writer``'s job."""

    id: str
    name: str
    organization: str
    description: str
    categories: list[str]
    target_groups: list[str]
    languages: list[str]
    street: str
    postal_code: str
    city: str
    district: str
    lat: float | None
    lon: float | None
    phone: str | None
    phone_display: str | None
    email: str | None
    website: str | None
    opening_hours: list[dict[str, Any]]
    opening_hours_text: str
    wheelchair: bool
    cost: str | None
    appointment_required: bool
    online_counselling: bool
    updated_at: date | None
    duplicate_of: str | None
    status: str | None  # None: not stated (the stored status stays)


# The values an import owns: compared with what is stored to decide "unchanged".
DATA_FIELDS: tuple[str, ...] = tuple(k for k in RecordFields.__annotations__ if k != "id")


def _text(value: str | None) -> str:
    return clean_text(value) if value else ""


def clean_phone(raw: str) -> tuple[str | None, str, str | None]:
    """``(e164, display, warning)``; an unparsable number keeps its text for people to read."""
    try:
        number = phonenumbers.parse(raw, "DE")
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_valid_number(number):
        return (
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
            None,
        )
    display = clean_text(raw)[:40]
    return None, display, f"phone: {raw!r} is not a valid number, kept as display text only"


def clean_email(raw: str) -> str | None:
    """The address in lower case, or ``None``; Django's validator (internationalised
    domains such as ``café-müller.example`` included) decides what an address is."""
    email = raw.strip().removeprefix("mailto:").strip().lower()
    try:
        EmailValidator()(email)
    except InvalidValue:
        return None
    return email


def clean_website(raw: str) -> str | None:
    """Add the scheme that legacy data often leaves out; ``None`` if it is no web address."""
    url = raw.strip()
    if " " in url:
        return None
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", url):
        url = "https://" + url.removeprefix("//")
    parts = urlsplit(url)
    host = parts.netloc.lower()
    if "@" in host:  # "mailto:x@y" read as user "mailto" at host "y": no web address
        return None
    cleaned = urlunsplit((parts.scheme.lower(), host, parts.path, parts.query, parts.fragment))
    try:
        URLValidator(schemes=["http", "https"])(cleaned)  # internationalised domains too
    except InvalidValue:
        return None
    return cleaned if len(cleaned) <= 500 else None


def clean_record(raw: Mapping[str, Any], warnings: list[str] | None = None) -> RecordFields:
    """Validate ``raw`` and return the model field values, or raise :class:`RecordError`.

    Problems that do not make a record useless (a phone number that cannot be parsed, an
    e-mail address without a domain) are appended to ``warnings`` instead of rejecting it.
    """
    notes: list[str] = [] if warnings is None else warnings
    rec = parse_record(raw)

    address = rec.address or Address()
    fields = RecordFields(
        id=rec.id,
        name=_text(rec.name),
        organization=_text(rec.organization),
        description=_text(rec.description),
        categories=list(dict.fromkeys(c.lower() for c in rec.categories)),
        target_groups=[t for t in dict.fromkeys(_text(g) for g in rec.target_groups) if t],
        languages=rec.languages,
        street=_text(address.street),
        postal_code=_text(address.postal_code),
        city=_text(address.city),
        district=_text(address.district),
        lat=None,
        lon=None,
        phone=None,
        phone_display=None,
        email=None,
        website=None,
        opening_hours=[slot.as_dict() for slot in rec.opening_hours],
        opening_hours_text=_text(rec.opening_hours_text),
        wheelchair=bool(rec.accessibility and rec.accessibility.wheelchair),
        cost=rec.cost,
        appointment_required=rec.appointment_required,
        online_counselling=rec.online_counselling,
        updated_at=rec.updated_at,
        duplicate_of=None,
        status=rec.status,
    )
    if not fields["name"]:
        raise RecordError("name: empty after removing markup")
    for key, limit in _MAX_LENGTH.items():
        value = fields[key]  # type: ignore[literal-required]
        if len(value) > limit:
            raise RecordError(f"{key}: longer than {limit} characters ({len(value)})")

    if rec.location is not None:
        if rec.location.lat == 0 and rec.location.lon == 0:
            notes.append("location: 0,0 is a placeholder, dropped")
        else:
            fields["lat"], fields["lon"] = rec.location.lat, rec.location.lon
    if rec.phone:
        fields["phone"], fields["phone_display"], note = clean_phone(rec.phone)
        if note:
            notes.append(note)
    if rec.email:
        fields["email"] = clean_email(rec.email)
        if fields["email"] is None:
            notes.append(f"email: {rec.email!r} is not an e-mail address, dropped")
    if rec.website:
        fields["website"] = clean_website(rec.website)
        if fields["website"] is None:
            notes.append(f"website: {rec.website!r} is not a web address, dropped")
    return fields
