"""Flat provider records as Open Referral HSDS 3.0 objects (pure mapping, no I/O).

A record is one service at one location. Read from the model (``directory.exchange.
load_hsds_records``), it carries under ``hsds`` the rows behind it: the ids of its
organisation, service and location, its status, all its phones and cost options, and the
records sharing its location. Without them (a record built from a file) the ids are
derived from the record id or the organisation name (:mod:`directory.hsds_ids`), so the
same record maps to the same ids on every run. A service with several records (one per
location) is one ``service`` with several ``service_at_locations``: pass the others.
Phones, schedules, languages, cost options and attributes (its categories as terms of our
taxonomy, :mod:`directory.hsds_taxonomy`) hang off the service. HSDS types its fields
without ``null``, so absent values are left out. The location names the ids of the
records there as its ``external_identifier``, so that an import of the publication
(:mod:`directory.hsds_import`) finds each record again in any database. The assurer's
e-mail address is kept for the directory's own use and not published.

``service`` gives the fully nested object (``GET /services/{id}``, ``services.json``);
the ``*_summary`` functions the one-to-one fields that list pages carry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
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


def refs(record: Record) -> Mapping[str, Any]:
    """The rows behind a record read from the model; empty for a record from a file."""
    found = record.get("hsds")
    return found if isinstance(found, Mapping) else {}


def the_service_id(record: Record) -> str:
    return str(refs(record).get("service_id") or service_id(record["id"]))


def the_location_id(record: Record) -> str:
    return str(refs(record).get("location_id") or location_id(record["id"]))


def organization_name(record: Record) -> str:
    """The organisation's name; a record without one stands for itself."""
    return str(record.get("organization") or "").strip() or str(record["name"])


def organization(record: Record) -> dict[str, Any]:
    """The organisation running the record's service (its one-to-one fields)."""
    found = refs(record)
    return organization_named(
        found.get("organization_id")
        or organization_id(record.get("organization") or "", record["id"]),
        organization_name(record),
        found.get("organization") or {},
    )


def organization_named(
    org_id: str, name: str, details: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """An organisation's one-to-one fields (description, e-mail and website if stored)."""
    details = details or {}
    return {
        "id": org_id,
        "name": name,
        "description": details.get("description") or ORGANIZATION_TEXT,
        **_present(email=as_email(details.get("email")), website=as_uri(details.get("website"))),
    }


def status(record: Record) -> str:
    return str(refs(record).get("status") or record.get("status") or "active")


def service_reference(record: Record) -> dict[str, Any]:
    """The least a service can be named by (an organisation's ``services`` array)."""
    return {"id": the_service_id(record), "name": record["name"], "status": status(record)}


def organization_full(record: Record, services: Iterable[Record]) -> dict[str, Any]:
    """The organisation with references to the services it runs (``services``), as the
    HSDS API reference describes ``GET /organizations/{id}``."""
    references = {ref["id"]: ref for ref in map(service_reference, services)}
    return {**organization(record), "services": list(references.values())}


def _application_process(record: Record) -> str:
    parts = [APPOINTMENT_TEXT] if record.get("appointment_required") else []
    if record.get("online_counselling"):
        parts.append(ONLINE_TEXT)
    return " ".join(parts)


def service_summary(record: Record, with_organization: bool = False) -> dict[str, Any]:
    """The service's one-to-one fields (a list page's item; ``service_list.json``)."""
    out: dict[str, Any] = {
        "id": the_service_id(record),
        "organization_id": organization(record)["id"],
        "name": record["name"],
        **_present(
            description=record.get("description"),
            url=as_uri(record.get("website")),
            email=as_email(record.get("email")),
        ),
        "status": status(record),
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


def service(record: Record, others: Sequence[Record] = ()) -> dict[str, Any]:
    """The fully nested service of one record (and of ``others``, the records of the same
    service at its other locations)."""
    sid = the_service_id(record)
    places = [service_at_location(r) for r in (record, *others)]
    return {
        **service_summary(record),
        **_present(
            phones=phones(record, sid),
            schedules=schedules(record, sid),
            service_at_locations=[place for place in places if place],
            languages=languages(record, sid),
        ),
        "organization": organization(record),
        **_present(
            cost_options=cost_options(record, sid),
            attributes=attributes(record["id"], sid, list(record.get("categories") or [])),
        ),
    }


def phones(record: Record, sid: str) -> list[dict[str, Any]]:
    """Every stored phone (E.164, else as written); the first keeps the record's phone id."""
    stored = refs(record).get("phones")
    pairs = stored if stored is not None else [(record.get("phone"), record.get("phone_display"))]
    out: list[dict[str, Any]] = []
    for number, display in pairs:
        if number or display:
            suffix = (str(len(out)),) if out else ()
            out.append({"id": stable_id("phone", record["id"], *suffix), "service_id": sid,
                        "number": number or display, "type": "voice"})  # fmt: skip
    return out


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
    """The stored cost options; from a file, free of charge is the one cost we know exactly
    (other costs are ``fees_description``)."""
    stored = refs(record).get("cost_options")
    if stored is None:
        stored = [(FREE, 0, "EUR")] if record.get("cost") == FREE else []
    out: list[dict[str, Any]] = []
    for option, amount, currency in stored:
        suffix = (str(len(out)),) if out else ()
        out.append({"id": stable_id("cost_option", record["id"], *suffix), "service_id": sid,
                    **_present(option=option, currency=currency),
                    **({"amount": _amount(amount)} if amount is not None else {})})  # fmt: skip
    return out


def _amount(value: float) -> float | int:
    return int(value) if float(value).is_integer() else float(value)


def _place_seed(record: Record, lid: str) -> str:
    """What the ids of a location's address and accessibility derive from: the record that
    made the location (every record's own place before locations were shared), else the
    location."""
    at_place = refs(record).get("location_records")
    if at_place is None:
        return str(record["id"])
    return next((rid for rid in at_place if location_id(rid) == lid), lid)


def _address(record: Record, lid: str) -> dict[str, Any] | None:
    address = record.get("address") or {}
    if not any(address.get(key) for key in ("street", "postal_code", "city")):
        return None
    return {
        "id": stable_id("address", _place_seed(record, lid)),
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
    found = refs(record)
    lid = the_location_id(record)
    address = _address(record, lid)
    point = record.get("location")
    if address is None and not point:
        return None
    out: dict[str, Any] = {"id": lid, "location_type": "physical"}
    if not found:  # a record of its own: its place is named after it
        out.update(organization_id=organization(record)["id"], name=record["name"])
    elif found.get("location_name"):
        out["name"] = found["location_name"]
    if point:
        out.update(latitude=float(point["lat"]), longitude=float(point["lon"]))
    # Our record ids, so that an import of this publication finds each record again.
    named = " ".join(found.get("location_records") or [record["id"]])
    out.update(external_identifier=named, external_identifier_type=RECORD_ID_SCHEME)
    if full:
        out.update(_present(addresses=[address] if address else []))
        if (record.get("accessibility") or {}).get("wheelchair"):
            seed = _place_seed(record, lid)
            access = {"id": stable_id("accessibility", seed), "location_id": lid,
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
        "service_id": the_service_id(record),
        "location_id": place["id"],
        "location": place,
    }
    if with_service:
        out["service"] = service_summary(record)
    return out
