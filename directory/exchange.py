"""The flat exchange record, read from the HSDS-shaped model (and built from cleaned fields).

The indexer, the API and the exports consume one flat record per service at a location,
exactly as the legacy files carry it: the model's rows are joined back into it. A batch
is read in a fixed number of queries (the records with their service, organisation and
location in one, then one per kind of detail), as plain values: indexing throughput
depends on it, and building model instances would cost the workers a tenth of their time
for nothing.

``record_from_fields`` is the same record built from cleaned values without a database
(benchmarks and fixtures index files directly): both paths give the same record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from directory.detail_models import Attribute, CostOption, Language, Phone, Schedule
from directory.hsds_schedules import days_of
from directory.service_models import ServiceAtLocation, Status

# (column of the joined query, key in the record's fields)
_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "id"),
    ("service__name", "name"),
    ("service__organization__name", "organization"),
    ("service__description", "description"),
    ("service__target_groups", "target_groups"),
    ("location__street", "street"),
    ("location__postal_code", "postal_code"),
    ("location__city", "city"),
    ("location__district", "district"),
    ("location__lat", "lat"),
    ("location__lon", "lon"),
    ("service__email", "email"),
    ("service__url", "website"),
    ("location__wheelchair", "wheelchair"),
    ("service__cost", "cost"),
    ("service__appointment_required", "appointment_required"),
    ("service__online_counselling", "online_counselling"),
    ("service__assured_date", "updated_at"),
    ("duplicate_of", "duplicate_of"),
    ("service__status", "status"),
)
_REFS = (
    "revision", "service_id", "location_id", "service__organization_id",
    "service__organization__description", "service__organization__email",
    "service__organization__website", "service__assurer_email", "location__name",
)  # fmt: skip


@dataclass
class Stored:
    """One record as stored: its fields (as ``directory.records.RecordFields``, status
    filled in), its revision, and the rows it is built from."""

    fields: dict[str, Any]
    revision: int
    organization_id: str
    service_id: str
    location_id: str | None
    assurer_email: str = ""
    location_name: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _slot(byday: str, opens: str, closes: str, valid_from: Any, valid_to: Any) -> dict[str, Any]:
    slot: dict[str, Any] = {"days": days_of(byday), "opens": opens, "closes": closes}
    if valid_from is not None:
        slot["valid_from"] = valid_from.isoformat()
    if valid_to is not None:
        slot["valid_to"] = valid_to.isoformat()
    return slot


def _by_service(rows: Iterable[tuple[Any, ...]]) -> dict[str, list[tuple[Any, ...]]]:
    grouped: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(row[1:])
    return grouped


def read_stored(ids: Sequence[str], hsds: bool = False) -> dict[str, Stored]:
    """The stored records of ``ids`` (missing ones left out), by id; ``hsds``: with what the
    HSDS publication needs beyond the flat record (``Stored.extra``)."""
    names = [column for column, _ in _COLUMNS]
    rows = ServiceAtLocation.objects.filter(id__in=list(ids)).values_list(*names, *_REFS)
    found = list(rows)
    services = list({row[len(names) + 1] for row in found})
    phones = _by_service(
        Phone.objects.filter(service_id__in=services)
        .order_by("service_id", "position", "id")
        .values_list("service_id", "number", "display")
    )
    schedules = _by_service(
        Schedule.objects.filter(service_id__in=services)
        .order_by("service_id", "position", "id")
        .values_list(
            "service_id", "byday", "opens_at", "closes_at", "valid_from", "valid_to",
            "description",
        )
    )  # fmt: skip
    languages = _by_service(
        Language.objects.filter(service_id__in=services)
        .order_by("service_id", "position", "id")
        .values_list("service_id", "code")
    )
    terms = _by_service(
        Attribute.objects.filter(service_id__in=services)
        .order_by("service_id", "position", "id")
        .values_list("service_id", "term__code")
    )
    costs: dict[str, list[tuple[Any, ...]]] = {}
    at_place: dict[str, list[str]] = {}
    if hsds:
        costs = _by_service(
            CostOption.objects.filter(service_id__in=services)
            .order_by("service_id", "id")
            .values_list("service_id", "option", "amount", "currency")
        )
        places = {row[len(names) + 2] for row in found} - {None}
        for sal_id, location_id in (
            ServiceAtLocation.objects.filter(location_id__in=places)
            .order_by("id")
            .values_list("id", "location_id")
        ):
            at_place.setdefault(location_id, []).append(sal_id)
    out: dict[str, Stored] = {}
    for row in found:
        values = dict(zip((key for _, key in _COLUMNS), row, strict=False))
        revision, service_id, location_id, org_id, *org, assurer, place = row[len(names) :]
        hours = schedules.get(service_id, [])
        phone = phones.get(service_id, [(None, None)])[0]
        values.update(
            organization=values["organization"] or "",
            street=values["street"] or "",
            postal_code=values["postal_code"] or "",
            city=values["city"] or "",
            district=values["district"] or "",
            wheelchair=bool(values["wheelchair"]),
            categories=[code for (code,) in terms.get(service_id, [])],
            languages=[code for (code,) in languages.get(service_id, [])],
            phone=phone[0],
            phone_display=phone[1],
            opening_hours=[_slot(*slot[:5]) for slot in hours if slot[0]],
            opening_hours_text="; ".join(dict.fromkeys(s[5] for s in hours if s[5])),
        )
        stored = Stored(values, revision, org_id, service_id, location_id, assurer, place or "")
        if hsds:
            stored.extra = {
                "organization": dict(zip(("description", "email", "website"), org, strict=True)),
                "phones": [list(p) for p in phones.get(service_id, [])],
                "cost_options": [list(c) for c in costs.get(service_id, [])],
                "location_records": at_place.get(location_id, []) if location_id else [],
            }  # fmt: skip
        out[values["id"]] = stored
    return out


def record_from_fields(fields: Mapping[str, Any], revision: int) -> dict[str, Any]:
    """The exchange record of cleaned or stored values; ``status`` only when the service is
    not active (a legacy record has none, and an active one looks as it always did)."""
    lat, lon, updated = fields["lat"], fields["lon"], fields["updated_at"]
    record = {
        "id": fields["id"],
        "name": fields["name"],
        "organization": fields["organization"],
        "description": fields["description"],
        "categories": list(fields["categories"]),
        "target_groups": list(fields["target_groups"]),
        "languages": list(fields["languages"]),
        "address": {
            "street": fields["street"],
            "postal_code": fields["postal_code"],
            "city": fields["city"],
            "district": fields["district"],
        },
        "location": {"lat": lat, "lon": lon} if lat is not None and lon is not None else None,
        "phone": fields["phone"],
        "phone_display": fields["phone_display"],
        "email": fields["email"],
        "website": fields["website"],
        "opening_hours": [dict(slot) for slot in fields["opening_hours"]],
        "opening_hours_text": fields["opening_hours_text"],
        "accessibility": {"wheelchair": fields["wheelchair"]},
        "cost": fields["cost"],
        "appointment_required": fields["appointment_required"],
        "online_counselling": fields["online_counselling"],
        "updated_at": updated.isoformat() if isinstance(updated, date) else updated,
        "revision": revision,
    }
    status = fields.get("status")
    if status not in (None, Status.ACTIVE):
        record["status"] = status
    return record


def load_records(ids: Sequence[str]) -> list[dict[str, Any]]:
    """Records in the exchange schema, as the indexer consumes them (missing ids left out)."""
    return [record_from_fields(s.fields, s.revision) for s in read_stored(ids).values()]


def load_hsds_records(ids: Sequence[str]) -> list[dict[str, Any]]:
    """The records with the rows behind them under ``hsds`` (``directory.hsds`` reads the
    ids of organisation, service and location from there, and the details the flat
    record does not hold)."""
    out: list[dict[str, Any]] = []
    for stored in read_stored(ids, hsds=True).values():
        record = record_from_fields(stored.fields, stored.revision)
        record["hsds"] = {
            "organization_id": stored.organization_id,
            "service_id": stored.service_id,
            "location_id": stored.location_id,
            "status": stored.fields["status"],
            "assurer_email": stored.assurer_email,
            "location_name": stored.location_name,
            **stored.extra,
        }
        out.append(record)
    return out
