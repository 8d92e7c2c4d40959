"""Identifiers of the HSDS publication: UUIDs derived from what we already identify.

HSDS requires every ``id`` to be a UUID, and partners who harvest the directory keep those
ids to update their copies, so an id must never change between runs, machines or
versions. Each is a version-5 UUID under one fixed project namespace, computed from the
record id (services and everything hanging off them), the organisation's name (one
organisation per distinct name) or the taxonomy code. Never change :data:`NAMESPACE` or a
``kind`` string: every partner's copy would break.
"""

from __future__ import annotations

import uuid

# uuid5(NAMESPACE_URL, "urn:sozialatlas-search:hsds"), written out so that it is fixed.
NAMESPACE = uuid.UUID("96935c42-386f-516e-b0f6-17eb92856034")
TAXONOMY_NAME = "sozialatlas"
# The location's ``external_identifier_type`` under which it names our record id, so that
# an import of our own publication into any database finds the record's id again.
RECORD_ID_SCHEME = "sozialatlas-record-id"
IMPORTED_PREFIX = "hsds-"  # record ids of services published elsewhere


def stable_id(kind: str, *parts: str) -> str:
    """The UUID of object ``kind`` named by ``parts`` (same input, same id, always)."""
    return str(uuid.uuid5(NAMESPACE, "\x1f".join((kind, *parts))))


def service_id(record_id: str) -> str:
    return stable_id("service", record_id)


def location_id(record_id: str) -> str:
    return stable_id("location", record_id)


def service_at_location_id(record_id: str) -> str:
    return stable_id("service_at_location", record_id)


def organization_id(name: str, record_id: str) -> str:
    """One organisation per distinct name; a record without one is its own organisation."""
    if name.strip():
        return stable_id("organization", name.strip())
    return stable_id("organization-of-record", record_id)


def taxonomy_id() -> str:
    return stable_id("taxonomy", TAXONOMY_NAME)


def taxonomy_term_id(code: str) -> str:
    return stable_id("taxonomy_term", code)


def imported_record_id(service: str, location: str = "") -> str:
    """Our record id for a service published elsewhere, at one of its locations.

    Derived from their ids alone, so a second import of the same file finds the records
    of the first; 26 hex digits (104 bits) fit the record id's 32 characters.
    """
    parts = (service, location) if location else (service,)
    return IMPORTED_PREFIX + uuid.UUID(stable_id("imported-record", *parts)).hex[:26]
