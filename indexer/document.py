"""Build the Elasticsearch document of a provider record (pure: dict in, dict out)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from analyzers import RecordAnalysis
from indexer.hours import dated_periods, holds_always, week_ranges

COMPLETENESS_FIELDS = ("description", "phone", "email", "website", "opening_hours", "location")


def completeness(record: Mapping[str, Any]) -> float:
    """Share of the contact and detail fields that are filled: a small ranking prior."""
    filled = sum(1 for field in COMPLETENESS_FIELDS if record.get(field))
    return round(filled / len(COMPLETENESS_FIELDS), 3)


def area_of(code: str) -> str:
    return code.split("/", 1)[0]


def build_document(record: Mapping[str, Any], analysis: RecordAnalysis) -> dict[str, Any]:
    """The indexed form of ``record`` (exchange schema) with its ``analysis``."""
    address = record.get("address") or {}
    location = record.get("location")
    categories = [str(code) for code in record.get("categories") or []]
    hours = record.get("opening_hours") or []
    periods = dated_periods(hours)
    document = {
        "id": record["id"],
        "name": record["name"],
        "organization": record.get("organization") or "",
        "description": analysis.clean_description,
        "name_terms": analysis.name,
        "organization_terms": analysis.organization,
        "description_terms": analysis.description,
        "category_terms": analysis.categories,
        "categories": categories,
        "main_category": categories[0] if categories else None,
        "areas": sorted({area_of(code) for code in categories}),
        "district": address.get("district") or None,
        "languages": list(record.get("languages") or []),
        "target_groups": list(record.get("target_groups") or []),
        "cost": record.get("cost"),
        "wheelchair": bool((record.get("accessibility") or {}).get("wheelchair")),
        "appointment_required": bool(record.get("appointment_required")),
        "online_counselling": bool(record.get("online_counselling")),
        "location": (
            {"lat": location["lat"], "lon": location["lon"]}
            if location and location.get("lat") is not None and location.get("lon") is not None
            else None
        ),
        "open_minutes": week_ranges(slot for slot in hours if holds_always(slot)),
        "has_hours": bool(hours),
        "completeness": completeness(record),
        "updated_at": record.get("updated_at"),
        "revision": int(record.get("revision") or 0),
        "suggest": {"input": [text for text in analysis.suggest if text][:20]},
        "street": address.get("street") or None,
        "postal_code": address.get("postal_code") or None,
        "city": address.get("city") or None,
        "phone": record.get("phone"),
        "phone_display": record.get("phone_display") or record.get("phone"),
        "email": record.get("email"),
        "website": record.get("website"),
        "opening_hours_text": record.get("opening_hours_text") or None,
        "opening_hours": hours,
    }
    if periods:  # only then: an index made before periods existed takes the rest as before
        document["open_periods"] = periods
    return document
