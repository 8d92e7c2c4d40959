"""The exchange schema: the shape and value ranges an incoming provider record must have.

Legacy exports write empty strings and ``null`` where a value is missing, ``9:00`` for
``09:00`` and day names in any case; the schema accepts all of that, so that only a record
that is really wrong is rejected, and names the field of each problem, because the reason
is shown to whoever fixes the data. Turning an accepted record into stored values is
``directory.records``' job.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from directory.errors import RecordError
from indexer.hours import DAYS, Day

COSTS: tuple[str, ...] = ("kostenlos", "teilweise kostenpflichtig", "kostenpflichtig")
STATUSES: tuple[str, ...] = ("active", "inactive", "defunct", "temporarily closed")  # HSDS

CostValue = Literal["kostenlos", "teilweise kostenpflichtig", "kostenpflichtig"]
StatusValue = Literal["active", "inactive", "defunct", "temporarily closed"]

_OPENS = r"^([01]\d|2[0-3]):[0-5]\d$"
_CLOSES = r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$"
_FLAGS = frozenset({"appointment_required", "online_counselling"})
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


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
    valid_from: date | None = None  # the slot holds from this day on (HSDS schedule)
    valid_to: date | None = None  # … up to and including this day

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
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise ValueError("valid_from is after valid_to")
        return self

    def as_dict(self) -> dict[str, Any]:
        """The stored slot; the validity keys only when given (most slots hold always)."""
        days = sorted(set(self.days), key=DAYS.index)
        slot: dict[str, Any] = {"days": days, "opens": self.opens, "closes": self.closes}
        if self.valid_from is not None:
            slot["valid_from"] = self.valid_from.isoformat()
        if self.valid_to is not None:
            slot["valid_to"] = self.valid_to.isoformat()
        return slot


class Address(BaseModel):
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


class RecordSchema(BaseModel):
    """Shape and value ranges of one incoming record; cleaning happens afterwards."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    id: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")
    name: str
    organization: str | None = None
    description: str | None = None
    categories: list[str] = Field(min_length=1)
    target_groups: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    address: Address | None = None
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
    status: StatusValue | None = None  # not given: as stored (new records: active)

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


def parse_record(raw: Mapping[str, Any]) -> RecordSchema:
    """``raw`` in the schema's shape, or :class:`RecordError` naming what is wrong."""
    try:
        return RecordSchema.model_validate(raw)
    except ValidationError as exc:
        raise RecordError(_format_errors(exc)) from None
