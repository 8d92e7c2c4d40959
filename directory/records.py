"""Validation and one-time cleaning of provider records in the exchange schema.

Legacy exports carry HTML remnants, entities, phone numbers in half a dozen formats and
empty strings where a value is missing. All of that is repaired here, exactly once, at the
border: everything behind this module (database, index, API) can trust a stored record.
The module is pure — no database, no settings — so it is cheap to test and to reuse from
the importer, the admin and the API alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, NamedTuple, TypedDict
from urllib.parse import urlsplit, urlunsplit

import phonenumbers
from django.core.exceptions import ValidationError as InvalidValue
from django.core.validators import EmailValidator, URLValidator
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from analyzers.normalize import clean_text, fold
from directory.errors import RecordError
from indexer.hours import DAYS, Day

COSTS: tuple[str, ...] = ("kostenlos", "teilweise kostenpflichtig", "kostenpflichtig")

CostValue = Literal["kostenlos", "teilweise kostenpflichtig", "kostenpflichtig"]

_OPENS = r"^([01]\d|2[0-3]):[0-5]\d$"
_CLOSES = r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$"
_FLAGS = frozenset({"appointment_required", "online_counselling"})
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")

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


class ProviderFields(TypedDict):
    """Cleaned values, one key per data field of :class:`api.models.Provider`."""

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


def _blank_to_none(value: Any) -> Any:
    """Empty or whitespace-only strings mean "missing" in legacy exports."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _blanks_in_mapping(data: Any) -> Any:
    if isinstance(data, Mapping):
        return {key: _blank_to_none(value) for key, value in data.items()}
    return data


class _Slot(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    days: list[Day] = Field(min_length=1)
    opens: str = Field(pattern=_OPENS)
    closes: str = Field(pattern=_CLOSES)

    @field_validator("days", mode="before")
    @classmethod
    def _lower_days(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [d.strip().lower() if isinstance(d, str) else d for d in value]
        return value

    @field_validator("opens", "closes", mode="before")
    @classmethod
    def _pad_hour(cls, value: Any) -> Any:
        """Accept ``9:00`` as ``09:00``: both appear in hand-maintained data."""
        if isinstance(value, str) and re.fullmatch(r"\d:\d\d", value.strip()):
            return "0" + value.strip()
        return value

    @model_validator(mode="after")
    def _not_empty(self) -> _Slot:
        # opens > closes is fine: the slot runs past midnight (18:00–08:00).
        if self.opens == self.closes:
            raise ValueError("opens and closes are equal")
        return self

    def as_dict(self) -> dict[str, Any]:
        days = sorted(set(self.days), key=DAYS.index)
        return {"days": days, "opens": self.opens, "closes": self.closes}


class _Address(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    district: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _blanks(cls, data: Any) -> Any:
        return _blanks_in_mapping(data)


class _Location(BaseModel):
    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class _Accessibility(BaseModel):
    model_config = ConfigDict(extra="ignore")

    wheelchair: bool | None = None


class _RecordSchema(BaseModel):
    """Shape and value ranges of one incoming record; cleaning happens afterwards."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    id: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")
    name: str
    organization: str | None = None
    description: str | None = None
    categories: list[str] = Field(min_length=1)
    target_groups: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    address: _Address | None = None
    location: _Location | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    opening_hours: list[_Slot] = Field(default_factory=list)
    opening_hours_text: str | None = None
    accessibility: _Accessibility | None = None
    cost: CostValue | None = None
    appointment_required: bool = False
    online_counselling: bool = False
    updated_at: date | None = None

    @model_validator(mode="before")
    @classmethod
    def _blanks(cls, data: Any) -> Any:
        return _blanks_in_mapping(data)

    @field_validator(
        "target_groups", "languages", "opening_hours", "appointment_required",
        "online_counselling", mode="before",
    )  # fmt: skip
    @classmethod
    def _null_is_default(cls, value: Any, info: ValidationInfo) -> Any:
        """``null`` for a list or a flag means "not stated", not an error."""
        if value is None:
            return False if info.field_name in _FLAGS else []
        return value

    @field_validator("categories", "target_groups", "languages", mode="before")
    @classmethod
    def _drop_blank_items(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [v for v in value if not (isinstance(v, str) and not v.strip())]
        return value

    @field_validator("languages")
    @classmethod
    def _language_codes(cls, value: list[str]) -> list[str]:
        codes = [code.lower() for code in value]
        for code in codes:
            if not _LANGUAGE.match(code):
                raise ValueError(f"{code!r} is not an ISO 639-1 language code")
        return list(dict.fromkeys(codes))


def _format_errors(exc: ValidationError) -> str:
    """Name the field of each problem: the reason is shown to whoever fixes the data."""
    parts: list[str] = []
    for err in exc.errors()[:3]:
        loc = ""
        for item in err["loc"]:
            loc += f"[{item}]" if isinstance(item, int) else (f".{item}" if loc else str(item))
        if err["type"] == "missing" or err.get("input", "") is None:
            message = "missing or empty"
        else:
            message = err["msg"].removeprefix("Value error, ")
        parts.append(f"{loc or 'record'}: {message}")
    return "; ".join(parts)


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


def clean_record(raw: Mapping[str, Any], warnings: list[str] | None = None) -> ProviderFields:
    """Validate ``raw`` and return the model field values, or raise :class:`RecordError`.

    Problems that do not make a record useless (a phone number that cannot be parsed, an
    e-mail address without a domain) are appended to ``warnings`` instead of rejecting it.
    """
    notes: list[str] = [] if warnings is None else warnings
    try:
        rec = _RecordSchema.model_validate(raw)
    except ValidationError as exc:
        raise RecordError(_format_errors(exc)) from None

    address = rec.address or _Address()
    fields = ProviderFields(
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


# --- near-duplicates --------------------------------------------------------------------


class DuplicatePair(NamedTuple):
    duplicate_id: str
    original_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class _Seen:
    id: str
    name: str
    tokens: frozenset[str]
    org_and_description: int | None


_WORD = re.compile(r"\w+")
_STREET_ABBREVIATION = re.compile(r"str\b\.?")


def _name_key(name: str) -> tuple[str, frozenset[str]]:
    words = _WORD.findall(fold(name))
    return " ".join(words), frozenset(words)


def _address_key(fields: ProviderFields) -> tuple[str, str] | None:
    street = _STREET_ABBREVIATION.sub("strasse", fold(fields["street"]))
    street = "".join(_WORD.findall(street))
    if not street:
        return None
    return street, fields["postal_code"].strip()


class DuplicateFinder:
    """Incremental near-duplicate detection, so a streaming import never holds all records.

    Only records at the same address are compared; the first record seen is the original
    and a detected duplicate is not itself used as an original (no chains).
    """

    def __init__(self, name_similarity: float = 0.9) -> None:
        self.name_similarity = name_similarity
        self._by_address: dict[tuple[str, str], list[_Seen]] = {}

    def add(self, fields: ProviderFields) -> DuplicatePair | None:
        key = _address_key(fields)
        if key is None:
            return None
        name, tokens = _name_key(fields["name"])
        org_desc = (
            hash((fields["organization"].casefold(), fields["description"]))
            if fields["description"]
            else None
        )
        seen = self._by_address.setdefault(key, [])
        for other in seen:
            reason = self._compare(name, tokens, org_desc, other)
            if reason:
                return DuplicatePair(fields["id"], other.id, reason)
        seen.append(_Seen(fields["id"], name, tokens, org_desc))
        return None

    def _compare(
        self, name: str, tokens: frozenset[str], org_desc: int | None, other: _Seen
    ) -> str | None:
        if name == other.name:
            return "same name at the same address"
        union = len(tokens | other.tokens)
        similarity = len(tokens & other.tokens) / union if union else 0.0
        if similarity >= self.name_similarity:
            return f"similar name (Jaccard {similarity:.2f}) at the same address"
        if org_desc is not None and org_desc == other.org_and_description:
            return "same organization and description at the same address"
        return None


def find_duplicates(records: Iterable[ProviderFields]) -> list[DuplicatePair]:
    """All near-duplicate pairs in a batch, in input order."""
    finder = DuplicateFinder()
    return [pair for fields in records if (pair := finder.add(fields)) is not None]
