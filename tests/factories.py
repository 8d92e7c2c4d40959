"""Small, realistic provider records for tests (exchange schema and model rows)."""

from __future__ import annotations

import itertools
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
    """Save a Provider row from a record (through the same cleaning as the importer)."""
    from directory.models import Provider
    from directory.records import clean_record

    fields = clean_record(record(**overrides))
    row = Provider(**fields)
    row.save()
    return row
