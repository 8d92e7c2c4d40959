"""Cleaning and validation of single records, and near-duplicate detection (no database)."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from directory.duplicates import DuplicateFinder, find_duplicates
from directory.errors import RecordError
from directory.records import (
    RecordFields,
    clean_email,
    clean_phone,
    clean_record,
    clean_website,
)

BASE: dict[str, Any] = {
    "id": "sa-00042",
    "name": "Kindertagesstätte Sonnenschein",
    "organization": "Caritasverband für Chemnitz und Umgebung e.V.",
    "description": "<p>Wir betreuen 110 Kinder.<br>Integrative Einrichtung &amp; Garten.</p>",
    "categories": ["familie/kita"],
    "target_groups": ["Familien"],
    "languages": ["de", "RU"],
    "address": {
        "street": "Zschopauer Straße 7",
        "postal_code": "09126",
        "city": "Chemnitz",
        "district": "Lutherviertel",
    },
    "location": {"lat": 50.822363, "lon": 12.936294},
    "phone": "(0371) 98 82 52",
    "email": " Kita-Sonnenschein@Caritas-Chemnitz.EXAMPLE ",
    "website": "www.caritas-chemnitz.example/kita",
    "opening_hours": [
        {"days": ["mo", "di", "mi", "do", "fr"], "opens": "06:30", "closes": "17:00"}
    ],
    "opening_hours_text": "Mo–Fr 6:30–17:00 Uhr",
    "accessibility": {"wheelchair": True},
    "cost": "teilweise kostenpflichtig",
    "appointment_required": False,
    "online_counselling": False,
    "updated_at": "2024-10-26",
}


def record(**changes: Any) -> dict[str, Any]:
    raw = copy.deepcopy(BASE)
    raw.update(changes)
    return raw


def reason(raw: dict[str, Any]) -> str:
    with pytest.raises(RecordError) as info:
        clean_record(raw)
    return info.value.reason


def test_clean_record_returns_model_fields() -> None:
    fields = clean_record(record())
    assert fields["description"] == "Wir betreuen 110 Kinder. Integrative Einrichtung & Garten."
    assert fields["languages"] == ["de", "ru"]
    assert (fields["street"], fields["postal_code"], fields["district"]) == (
        "Zschopauer Straße 7",
        "09126",
        "Lutherviertel",
    )
    assert (fields["lat"], fields["lon"]) == (50.822363, 12.936294)
    assert fields["phone"] == "+49371988252"
    assert fields["phone_display"] == "+49 371 988252"
    assert fields["email"] == "kita-sonnenschein@caritas-chemnitz.example"
    assert fields["website"] == "https://www.caritas-chemnitz.example/kita"
    assert fields["wheelchair"] is True
    assert fields["updated_at"] == date(2024, 10, 26)
    assert fields["duplicate_of"] is None
    assert set(fields) == set(RecordFields.__annotations__)


def test_record_error_is_a_directory_error_the_api_answers_with_422() -> None:
    from api.apis import STATUS
    from directory.errors import DirectoryError

    assert issubclass(RecordError, DirectoryError)
    assert next(s for cls, s, _ in STATUS if issubclass(RecordError, cls)) == 422


@pytest.mark.parametrize(
    "raw_phone",
    ["0371 824958", "+49 371 824958", "(0371) 82 49 58", "0371/824958", "+49 (0)371/82 49 58",
     "0371-824958", "0049 371 824958"],
)  # fmt: skip
def test_legacy_phone_formats_become_e164(raw_phone: str) -> None:
    assert clean_phone(raw_phone)[:2] == ("+49371824958", "+49 371 824958")


def test_unparsable_phone_is_a_warning_not_a_rejection() -> None:
    warnings: list[str] = []
    fields = clean_record(record(phone="Tel. siehe Aushang"), warnings)
    assert fields["phone"] is None
    assert fields["phone_display"] == "Tel. siehe Aushang"
    assert len(warnings) == 1 and warnings[0].startswith("phone:")


def test_empty_strings_become_none_or_defaults() -> None:
    raw = record(email="", website="  ", phone="", cost="", organization="", updated_at="")
    raw["address"]["district"] = ""
    fields = clean_record(raw)
    assert fields["email"] is None and fields["website"] is None and fields["phone"] is None
    assert fields["cost"] is None and fields["updated_at"] is None
    assert fields["organization"] == "" and fields["district"] == ""


def test_missing_optional_fields_are_fine() -> None:
    raw = {"id": "x-1", "name": "Tafel", "categories": ["grundversorgung/tafel"]}
    fields = clean_record(raw)
    assert fields["lat"] is None and fields["opening_hours"] == [] and fields["languages"] == []
    assert fields["wheelchair"] is False and fields["street"] == ""


def test_null_lists_and_location() -> None:
    fields = clean_record(record(location=None, opening_hours=None, target_groups=None))
    assert fields["lat"] is None and fields["lon"] is None
    assert fields["opening_hours"] == [] and fields["target_groups"] == []


def test_bad_email_and_website_are_dropped_with_warnings() -> None:
    warnings: list[str] = []
    fields = clean_record(record(email="info(at)example", website="not a url"), warnings)
    assert fields["email"] is None and fields["website"] is None
    assert [w.split(":")[0] for w in warnings] == ["email", "website"]


def test_website_normalisation() -> None:
    assert clean_website("HTTP://Www.Tafel-Chemnitz.example/Ausgabe") == (
        "http://www.tafel-chemnitz.example/Ausgabe"
    )
    assert clean_website("tafel.example") == "https://tafel.example"
    assert clean_website("mailto:info@tafel.example") is None
    assert clean_website("café-müller.example/kontakt") == "https://café-müller.example/kontakt"
    assert clean_website("https://beratung.xn--mller-kva.example") is not None


def test_internationalised_email_domains_are_addresses() -> None:
    assert clean_email("Info@Café-Müller.example") == "info@café-müller.example"
    assert clean_email("beratung@xn--mller-kva.example") == "beratung@xn--mller-kva.example"
    assert clean_email("info(at)example") is None
    assert clean_email("two@@example.org") is None


def test_opening_hours_past_midnight_and_24_00() -> None:
    slots = [
        {"days": ["so", "Mo"], "opens": "18:00", "closes": "08:00"},
        {"days": ["sa"], "opens": "0:00", "closes": "24:00"},
    ]
    fields = clean_record(record(opening_hours=slots))
    assert fields["opening_hours"] == [
        {"days": ["mo", "so"], "opens": "18:00", "closes": "08:00"},
        {"days": ["sa"], "opens": "00:00", "closes": "24:00"},
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id": ""}, "id"),
        ({"id": "sa 00042"}, "id"),
        ({"id": "x" * 33}, "id"),
        ({"name": ""}, "name"),
        ({"name": "<br>"}, "name"),
        ({"categories": []}, "categories"),
        ({"categories": "familie/kita"}, "categories"),
        ({"languages": ["deutsch"]}, "languages"),
        ({"cost": "gratis"}, "cost"),
        ({"location": {"lat": 95.0, "lon": 12.9}}, "location.lat"),
        ({"location": {"lat": 50.8}}, "location.lon"),
        ({"opening_hours": [{"days": ["xx"], "opens": "08:00", "closes": "12:00"}]},
         "opening_hours[0].days[0]"),
        ({"opening_hours": [{"days": ["mo"], "opens": "24:00", "closes": "12:00"}]},
         "opening_hours[0].opens"),
        ({"opening_hours": [{"days": ["mo"], "opens": "08:00", "closes": "8 Uhr"}]},
         "opening_hours[0].closes"),
        ({"opening_hours": [{"days": [], "opens": "08:00", "closes": "12:00"}]},
         "opening_hours[0].days"),
        ({"updated_at": "2024-13-01"}, "updated_at"),
    ],
)  # fmt: skip
def test_validation_errors_name_the_field(changes: dict[str, Any], field: str) -> None:
    assert reason(record(**changes)).startswith(f"{field}:")


def test_missing_required_fields_are_all_named() -> None:
    message = reason({"id": "a-1"})
    assert "name: missing or empty" in message
    assert "categories: missing or empty" in message


def test_too_long_name_is_rejected_not_truncated() -> None:
    assert reason(record(name="Beratung " * 40)).startswith("name: longer than 300")


def fields_for(id_: str, name: str, street: str = "Zschopauer Straße 7", **extra: Any):
    raw = record(id=id_, name=name, **extra)
    raw["address"]["street"] = street
    return clean_record(raw)


def test_duplicates_same_name_trailing_space_and_case() -> None:
    batch = [
        fields_for("a", "Familientreff Adelsberg"),
        fields_for("b", "Familientreff Adelsberg "),
        fields_for("c", "FAMILIENTREFF ADELSBERG", description="Anderer Text"),
    ]
    pairs = find_duplicates(batch)
    assert [(p.duplicate_id, p.original_id) for p in pairs] == [("b", "a"), ("c", "a")]
    assert pairs[0].reason == "same name at the same address"


def test_duplicates_need_the_same_address() -> None:
    batch = [
        fields_for("a", "Migrationsberatung"),
        fields_for("b", "Migrationsberatung", street="Straße der Nationen 12"),
    ]
    assert find_duplicates(batch) == []


def test_duplicates_street_spelling_variants() -> None:
    batch = [
        fields_for("a", "Sozialstation Zentrum", street="Zschopauer Str. 7"),
        fields_for("b", "Sozialstation Zentrum", street="Zschopauer Strasse 7"),
    ]
    assert len(find_duplicates(batch)) == 1


def test_branch_office_with_same_text_is_a_duplicate() -> None:
    pairs = find_duplicates(
        [
            fields_for("a", "Asylverfahrensberatung"),
            fields_for("b", "Asylverfahrensberatung (Außenstelle)"),
        ]
    )
    assert pairs[0].reason == "same organization and description at the same address"


def test_different_services_at_one_address_are_not_duplicates() -> None:
    batch = [
        fields_for("a", "Offener Jugendtreff Helbersdorf", description="Treff für Jugendliche."),
        fields_for("b", "Familienzentrum Helbersdorf", description="Angebote für Familien."),
    ]
    assert find_duplicates(batch) == []


def test_duplicate_of_a_duplicate_points_to_the_original() -> None:
    finder = DuplicateFinder()
    assert finder.add(fields_for("a", "Hort an der Grundschule Kaßberg")) is None
    first = finder.add(fields_for("b", "Hort an der Grundschule Kaßberg"))
    second = finder.add(fields_for("c", "Hort an der Grundschule Kaßberg"))
    assert first is not None and second is not None
    assert first.original_id == second.original_id == "a"
