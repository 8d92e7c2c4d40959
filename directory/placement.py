"""Which organisation and which location a legacy record belongs to (pure, no database).

The legacy export repeats the organisation's name and the address in every record; the
model keeps each once. Records share an organisation when their names are the same after
normalisation (case, spacing, typographic variants), and a location when address, point
and accessibility are: two offices in one building with different access are two places.
A record without an organisation name runs its service itself: an organisation of its own.
"""

from __future__ import annotations

import hashlib
import unicodedata
import uuid
from dataclasses import dataclass

from directory.hsds_ids import stable_id


def normalise(text: str) -> str:
    """Case, compatibility forms and spacing folded: "Caritas  e.V." is "caritas e.v."."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def organization_key(name: str) -> str:
    """The key organisations are shared by; empty for a nameless one (never shared)."""
    return normalise(name)[:300]


def location_key(
    street: str,
    postal_code: str,
    city: str,
    district: str,
    lat: float | None,
    lon: float | None,
    wheelchair: bool,
) -> str:
    """A digest of the normalised address, point and accessibility (fixed length, indexed)."""
    point = "" if lat is None or lon is None else f"{lat:.6f},{lon:.6f}"
    parts = [normalise(p) for p in (street, postal_code, city, district)]
    text = "\x1f".join([*parts, point, "1" if wheelchair else "0"])
    return hashlib.sha256(text.encode()).hexdigest()


def has_place(
    street: str, postal_code: str, city: str, district: str, lat: float | None, wheelchair: bool
) -> bool:
    """Whether a record says anything about a place (else its service has no location)."""
    return bool(street or postal_code or city or district or lat is not None or wheelchair)


def as_uuid(text: str, kind: str) -> str:
    """An id as HSDS wants it: a UUID as given, anything else turned into a stable one."""
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return stable_id(f"imported-{kind}", text)


@dataclass(frozen=True)
class Placement:
    """Where an HSDS item's record goes: the publisher's organisation, service and location
    (UUIDs), the location's name and the service's assurer (None: not given)."""

    organization_id: str
    service_id: str
    location_id: str | None
    location_name: str = ""
    assurer_email: str | None = None
