"""Small, realistic provider records for tests (exchange schema and model rows)."""

from __future__ import annotations

import itertools
from types import SimpleNamespace
from typing import Any

_ids = itertools.count(1)


def record(**overrides: Any) -> dict[str, Any]:
    number = next(_ids)
    base: dict[str, Any] = {
        "id": f"t-{number:05d}",
        "name": "Schuldnerberatung der Stadtmission",
        "organization": "Stadtmission Chemnitz e.V.",
        "description": "Wir beraten bei Schulden, Pfändung und Privatinsolvenz. "
        "Kostenlos und vertraulich, auch auf Russisch.",
        "categories": ["geld/schuldnerberatung"],
        "target_groups": ["Erwachsene"],
        "languages": ["de", "ru"],
        "address": {
            "street": "Glockenstraße 5",
            "postal_code": "09130",
            "city": "Chemnitz",
            "district": "Sonnenberg",
        },
        "location": {"lat": 50.8395, "lon": 12.9409},
        "phone": "0371 4335120",
        "email": "beratung@stadtmission.example",
        "website": "https://stadtmission.example",
        "opening_hours": [{"days": ["mo", "di", "do"], "opens": "09:00", "closes": "16:00"}],
        "opening_hours_text": "Mo, Di, Do 9–16 Uhr",
        "accessibility": {"wheelchair": True},
        "cost": "kostenlos",
        "appointment_required": True,
        "online_counselling": False,
        "updated_at": "2025-03-01",
    }
    base.update(overrides)
    return base


def provider(**overrides: Any) -> Any:
    """A record stored through the same cleaning and writing as the importer, then saved as
    an editor saves it (a new revision, indexed after the commit); the service at a location."""
    from directory.models import ServiceAtLocation
    from directory.record_writer import RecordWriter
    from directory.records import clean_record

    fields = clean_record(record(**overrides))
    RecordWriter().write([(fields, None)])
    row = ServiceAtLocation.objects.select_related("service", "location").get(id=fields["id"])
    row.save()
    return row


def stored_provider(record_id: str, **fields: Any) -> Any:
    """A record written straight onto the model without cleaning (as an old row or an
    editor's entry could be), given by its flat fields; saved as an editor saves it."""
    from directory.models import ServiceAtLocation
    from directory.record_writer import RecordWriter
    from directory.records import RecordFields

    values = RecordFields(
        id=record_id, name="", organization="", description="", categories=[],
        target_groups=[], languages=[], street="", postal_code="", city="", district="",
        lat=None, lon=None, phone=None, phone_display=None, email=None, website=None,
        opening_hours=[], opening_hours_text="", wheelchair=False, cost=None,
        appointment_required=False, online_counselling=False, updated_at=None,
        duplicate_of=None, status=None,
    )  # fmt: skip
    values.update(fields)  # type: ignore[typeddict-item]
    RecordWriter().write([(values, None)])
    row = ServiceAtLocation.objects.get(id=record_id)
    row.save()
    return row


def flat(record_id: str) -> Any:
    """A stored record's flat fields (name, phone, street, …) and revision, as attributes."""
    from directory.exchange import read_stored

    stored = read_stored([record_id])[record_id]
    return SimpleNamespace(**stored.fields, revision=stored.revision)


def rename(row: Any, name: str) -> None:
    """Rename the service of a service at a location, as an editor does in the admin."""
    row.service.name = name
    row.service.save()
    row.refresh_from_db()


def empty_directory() -> None:
    """Remove every record and every row records are built from (a fresh database)."""
    from directory.models import Location, Organization, ServiceAtLocation, TaxonomyTerm

    ServiceAtLocation.objects.all().delete()
    Organization.objects.all().delete()  # with their services and the services' details
    Location.objects.all().delete()
    TaxonomyTerm.objects.all().delete()
