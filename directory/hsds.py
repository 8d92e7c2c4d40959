"""One flat provider record as Open Referral HSDS 3.0 objects (pure mapping, no I/O).

Our record mixes organisation, service and place; HSDS separates them. One record is one
``service`` of an ``organization`` (one per distinct organisation name), offered at one
``location`` through one ``service_at_location``, with phones, schedules, languages,
accessibility, cost options and attributes (its categories as terms of our taxonomy,
:mod:`directory.hsds_taxonomy`). Every id is derived from the record id or the
organisation name (:mod:`directory.hsds_ids`), so the same record maps to the same ids
on every run. HSDS types its fields without ``null``, so absent values are left out.
The location names the record id as its ``external_identifier``, so that an import of
the publication (:mod:`directory.hsds_import`) finds the record again in any database.

``service`` gives the fully nested object (``GET /services/{id}``, ``services.json``);
the ``*_summary`` functions the one-to-one fields that list pages carry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from directory.hsds_ids import (
    RECORD_ID_SCHEME,
    location_id,
    organization_id,
    service_at_location_id,
    service_id,
    stable_id,
)
from directory.hsds_schedules import schedules
from directory.hsds_taxonomy import attributes
from directory.hsds_values import LANGUAGE_NAMES, as_email, as_uri, revision_time

Record = Mapping[str, Any]

STATE_PROVINCE = "Sachsen"  # the directory's state, as indexer.hours' holidays (SN)
COUNTRY = "DE"
FREE = "kostenlos"
APPOINTMENT_TEXT = "Termin nach Vereinbarung."
ONLINE_TEXT = "Beratung auch online."
ORGANIZATION_TEXT = "Träger von Angeboten im Sozialatlas."


def _present(**fields: Any) -> dict[str, Any]:
    """The fields with a value (HSDS has no null: an absent value is left out)."""
    return {key: value for key, value in fields.items() if value not in (None, "", [])}


def organization_name(record: Record) -> str:
    """The organisation's name; a record without one stands for itself."""
    return str(record.get("organization") or "").strip() or str(record["name"])


def organization(record: Record) -> dict[str, Any]:
    """The organisation running the record's service (its one-to-one fields)."""
    return organization_named(
        organization_id(record.get("organization") or "", record["id"]),
        organization_name(record),
    )


def organization_named(org_id: str, name: str) -> dict[str, Any]:
    """An organisation's one-to-one fields: we know its name only."""
    return {"id": org_id, "name": name, "description": ORGANIZATION_TEXT}


def service_reference(record: Record) -> dict[str, Any]:
    """The least a service can be named by (an organisation's ``services`` array)."""
    return {"id": service_id(record["id"]), "name": record["name"], "status": "active"}


def organization_full(record: Record, services: Iterable[Record]) -> dict[str, Any]:
    """The organisation with references to the services it runs (``services``), as the
    HSDS API reference describes ``GET /organizations/{id}``."""
    return {**organization(record), "services": [service_reference(r) for r in services]}


def _application_process(record: Record) -> str:
    parts = [APPOINTMENT_TEXT] if record.get("appointment_required") else []
    if record.get("online_counselling"):
        parts.append(ONLINE_TEXT)
    return " ".join(parts)


def service_summary(record: Record, with_organization: bool = False) -> dict[str, Any]:
    """The service's one-to-one fields (a list page's item; ``service_list.json``)."""
    out: dict[str, Any] = {
        "id": service_id(record["id"]),
        "organization_id": organization(record)["id"],
        "name": record["name"],
        **_present(
            description=record.get("description"),
            url=as_uri(record.get("website")),
            email=as_email(record.get("email")),
        ),
        "status": "active",
        **_present(
            application_process=_application_process(record),
            fees_description=record.get("cost"),
            eligibility_description=", ".join(record.get("target_groups") or []),
            assured_date=record.get("updated_at"),
            last_modified=revision_time(int(record.get("revision") or 0)),
        ),
    }
    if with_organization:
        out["organization"] = organization(record)
    return out


def service(record: Record) -> dict[str, Any]:
    """The fully nested service of one record."""
    sid = service_id(record["id"])
    at_location = service_at_location(record)
    return {
        **service_summary(record),
        **_present(
            phones=phones(record, sid),
            schedules=schedules(record, sid),
            service_at_locations=[at_location] if at_location else [],
            languages=languages(record, sid),
        ),
        "organization": organization(record),
        **_present(
            cost_options=cost_options(record, sid),
            attributes=attributes(record["id"], sid, list(record.get("categories") or [])),
        ),
    }


def phones(record: Record, sid: str) -> list[dict[str, Any]]:
    number = record.get("phone") or record.get("phone_display")
    if not number:
        return []
    return [{"id": stable_id("phone", record["id"]), "service_id": sid, "number": number,
             "type": "voice"}]  # fmt: skip


def languages(record: Record, sid: str) -> list[dict[str, Any]]:
    return [
        {
            "id": stable_id("language", record["id"], code),
            "service_id": sid,
            **_present(name=LANGUAGE_NAMES.get(code.lower())),
            "code": code.lower(),
        }
        for code in record.get("languages") or []
    ]


def cost_options(record: Record, sid: str) -> list[dict[str, Any]]:
    """Free of charge is the one cost we know exactly; other costs are ``fees_description``."""
    if record.get("cost") != FREE:
        return []
    return [{"id": stable_id("cost_option", record["id"]), "service_id": sid, "option": FREE,
             "currency": "EUR", "amount": 0}]  # fmt: skip


def _address(record: Record, lid: str) -> dict[str, Any] | None:
    address = record.get("address") or {}
    if not any(address.get(key) for key in ("street", "postal_code", "city")):
        return None
    return {
        "id": stable_id("address", record["id"]),
        "location_id": lid,
        "address_1": address.get("street") or "",
        "city": address.get("city") or "",
        **_present(region=address.get("district")),
        "state_province": STATE_PROVINCE,
        "postal_code": address.get("postal_code") or "",
        "country": COUNTRY,
        "address_type": "physical",
    }


def location(record: Record, full: bool = True) -> dict[str, Any] | None:
    """The place of the service; None when the record has neither address nor point."""
    lid = location_id(record["id"])
    address = _address(record, lid)
    point = record.get("location")
    if address is None and not point:
        return None
    out: dict[str, Any] = {
        "id": lid,
        "location_type": "physical",
        "organization_id": organization(record)["id"],
        "name": record["name"],
    }
    if point:
        out.update(latitude=float(point["lat"]), longitude=float(point["lon"]))
    # Our record id, so that an import of this publication finds the record again.
    out.update(external_identifier=record["id"], external_identifier_type=RECORD_ID_SCHEME)
    if full:
        out.update(_present(addresses=[address] if address else []))
        if (record.get("accessibility") or {}).get("wheelchair"):
            access = {"id": stable_id("accessibility", record["id"]), "location_id": lid,
                      "description": "rollstuhlgerecht"}  # fmt: skip
            out["accessibility"] = [access]
    return out


def service_at_location(
    record: Record, full: bool = True, with_service: bool = False
) -> dict[str, Any] | None:
    """The service at its place (None without a place); ``full=False``: the place's
    one-to-one fields only; ``with_service``: the service's summary nested, as lists and
    ``GET /service_at_locations/{id}`` give it."""
    place = location(record, full)
    if place is None:
        return None
    out: dict[str, Any] = {
        "id": service_at_location_id(record["id"]),
        "service_id": service_id(record["id"]),
        "location_id": place["id"],
        "location": place,
    }
    if with_service:
        out["service"] = service_summary(record)
    return out
