"""One flat record as HSDS 3.0 objects (``directory.hsds``): exact, stable, valid.

The ids below are written out: they are what partners store, so a change of the
namespace or of an id's recipe must fail here, not in a partner's copy.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from directory import hsds
from directory.hsds_schedules import byday, schedules
from directory.hsds_tables import TABLES, datapackage, service_rows
from directory.hsds_taxonomy import code_of_term, taxonomy, term, terms
from directory.hsds_values import as_email, as_uri, revision_time
from tests.hsds_schemas import assert_valid, hsds_path

RECORD: dict[str, Any] = {
    "id": "sa-00042",
    "name": "Schuldnerberatung der Stadtmission",
    "organization": "Stadtmission Chemnitz e.V.",
    "description": "Wir beraten bei Schulden, Pfändung und Privatinsolvenz.",
    "categories": ["geld/schuldnerberatung", "migration/mbe"],
    "target_groups": ["Erwachsene", "Familien"],
    "languages": ["de", "ru"],
    "address": {
        "street": "Glockenstraße 5",
        "postal_code": "09130",
        "city": "Chemnitz",
        "district": "Sonnenberg",
    },
    "location": {"lat": 50.8395, "lon": 12.9409},
    "phone": "+493714335120",
    "phone_display": "+49 371 4335120",
    "email": "beratung@stadtmission-müller.example",
    "website": "https://stadtmission.example/über uns?x=1",
    "opening_hours": [
        {"days": ["mo", "di", "do"], "opens": "09:00", "closes": "16:00"},
        {"days": ["fr"], "opens": "18:00", "closes": "08:00"},
    ],
    "opening_hours_text": "Mo, Di, Do 9–16 Uhr; Fr 18–8 Uhr",
    "accessibility": {"wheelchair": True},
    "cost": "kostenlos",
    "appointment_required": True,
    "online_counselling": True,
    "updated_at": "2025-03-01",
    "revision": 1740823200000000,  # 2025-03-01 10:00 UTC in microseconds
}

SERVICE = "67c67eff-c59f-52c2-9f00-f81037852d40"
ORGANIZATION = "31fcfc74-8b52-5395-b7fc-ffdc4333268b"
LOCATION = "823418fb-c176-524a-9b30-6ee98a7dad39"
TAXONOMY = "be44db59-817d-5e03-8d9d-ee1c9729be75"
HOURS = "Mo, Di, Do 9–16 Uhr; Fr 18–8 Uhr"
ORG = {
    "id": ORGANIZATION,
    "name": "Stadtmission Chemnitz e.V.",
    "description": "Träger von Angeboten im Sozialatlas.",
}


def _term(term_id: str, code: str, name: str, area: str, parent: str) -> dict[str, Any]:
    return {
        "id": term_id,
        "code": code,
        "name": name,
        "description": f"{area} › {name}",
        "parent_id": parent,
        "taxonomy": "Sozialatlas",
        "language": "de",
        "taxonomy_id": TAXONOMY,
    }


DEBT = _term(
    "1ad5c3e2-ce03-5ec4-a86d-2b52bc864859",
    "geld/schuldnerberatung",
    "Schuldner- und Insolvenzberatung",
    "Geld & Recht",
    "7075ae33-1407-50fd-8cd1-9b2886a12bf5",
)
MBE = _term(
    "a259e056-08c1-5b2c-a7c3-5aad3a856aec",
    "migration/mbe",
    "Migrationsberatung für erwachsene Zugewanderte (MBE)",
    "Migration & Integration",
    "06d4805d-2811-5ae6-af9f-393d1cdfc394",
)

EXPECTED: dict[str, Any] = {
    "id": SERVICE,
    "organization_id": ORGANIZATION,
    "name": "Schuldnerberatung der Stadtmission",
    "description": "Wir beraten bei Schulden, Pfändung und Privatinsolvenz.",
    "url": "https://stadtmission.example/%C3%BCber%20uns?x=1",
    "email": "beratung@xn--stadtmission-mller-z6b.example",
    "status": "active",
    "application_process": "Termin nach Vereinbarung. Beratung auch online.",
    "fees_description": "kostenlos",
    "eligibility_description": "Erwachsene, Familien",
    "assured_date": "2025-03-01",
    "last_modified": "2025-03-01T10:00:00.000000Z",
    "phones": [
        {
            "id": "b9e2947d-ea71-51e0-b43b-166cc55d4f3b",
            "service_id": SERVICE,
            "number": "+493714335120",
            "type": "voice",
        }
    ],
    "schedules": [
        {
            "id": "3c71236e-78c1-5ec3-b701-2e2ec3bb957d",
            "service_id": SERVICE,
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": "MO,TU,TH",
            "opens_at": "09:00",
            "closes_at": "16:00",
            "description": HOURS,
        },
        {
            "id": "38d4d1b9-5fd0-5317-bfab-8cd3dcd3b137",
            "service_id": SERVICE,
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": "FR",
            "opens_at": "18:00",
            "closes_at": "08:00",  # past midnight, as in our own format
            "description": HOURS,
        },
    ],
    "service_at_locations": [
        {
            "id": "8bdd9301-6ad3-580d-920b-d28257e22460",
            "service_id": SERVICE,
            "location_id": LOCATION,
            "location": {
                "id": LOCATION,
                "location_type": "physical",
                "organization_id": ORGANIZATION,
                "name": "Schuldnerberatung der Stadtmission",
                "latitude": 50.8395,
                "longitude": 12.9409,
                "external_identifier": "sa-00042",  # the import finds the record by it
                "external_identifier_type": "sozialatlas-record-id",
                "addresses": [
                    {
                        "id": "cb27873f-e4a1-54bc-9726-775dd4d433e8",
                        "location_id": LOCATION,
                        "address_1": "Glockenstraße 5",
                        "city": "Chemnitz",
                        "region": "Sonnenberg",
                        "state_province": "Sachsen",
                        "postal_code": "09130",
                        "country": "DE",
                        "address_type": "physical",
                    }
                ],
                "accessibility": [
                    {
                        "id": "cdf2218c-902d-5400-b065-36b50226d0c3",
                        "location_id": LOCATION,
                        "description": "rollstuhlgerecht",
                    }
                ],
            },
        }
    ],
    "languages": [
        {
            "id": "9613eb04-0fd3-508b-860c-4cd9fab14f4f",
            "service_id": SERVICE,
            "name": "German",
            "code": "de",
        },
        {
            "id": "3b0d5b5c-4188-5e32-8144-2f9d64841194",
            "service_id": SERVICE,
            "name": "Russian",
            "code": "ru",
        },
    ],
    "organization": ORG,
    "cost_options": [
        {
            "id": "04696157-3484-5c22-b8ee-ab125211b470",
            "service_id": SERVICE,
            "option": "kostenlos",
            "currency": "EUR",
            "amount": 0,
        }
    ],
    "attributes": [
        {
            "id": "fbc0fa4d-f670-5c21-8dd3-e0eb43797d6a",
            "link_id": SERVICE,
            "link_type": "service_type",
            "link_entity": "service",
            "taxonomy_term_id": DEBT["id"],
            "taxonomy_term": DEBT,
        },
        {
            "id": "9c8cd25a-6c3e-5ce8-a094-805fa1ee689b",
            "link_id": SERVICE,
            "link_type": "service_type",
            "link_entity": "service",
            "taxonomy_term_id": MBE["id"],
            "taxonomy_term": MBE,
        },
    ],
}


def test_one_record_maps_to_exactly_this_service() -> None:
    assert hsds.service(copy.deepcopy(RECORD)) == EXPECTED


def test_the_mapped_objects_validate_against_the_official_schemas() -> None:
    assert_valid("compiled/service.json", hsds.service(RECORD))
    assert_valid("compiled/service_list.json", hsds.service_summary(RECORD, True))
    assert_valid("compiled/service_at_location.json", hsds.service_at_location(RECORD, True, True))
    assert_valid("compiled/service_at_location_list.json", hsds.service_at_location(RECORD, False))
    assert_valid("compiled/organization.json", hsds.organization_full(RECORD, [RECORD]))
    assert_valid("compiled/organization_list.json", hsds.organization(RECORD))
    assert_valid("taxonomy.json", taxonomy())
    for found in terms():
        assert_valid("taxonomy_term.json", found)


def test_summaries_and_references_are_the_one_to_one_fields() -> None:
    summary = hsds.service_summary(RECORD, with_organization=True)
    one_to_one = {k: v for k, v in EXPECTED.items() if not isinstance(v, list)}
    assert summary == one_to_one
    assert hsds.organization_full(RECORD, [RECORD]) == {
        **ORG,
        "services": [{"id": SERVICE, "name": RECORD["name"], "status": "active"}],
    }
    item = hsds.service_at_location(RECORD, full=False, with_service=True)
    assert item is not None and set(item["location"]) == {
        "id", "location_type", "organization_id", "name", "latitude", "longitude",
        "external_identifier", "external_identifier_type",
    }  # fmt: skip
    assert item["service"] == hsds.service_summary(RECORD)


def test_a_sparse_record_leaves_out_what_it_does_not_have() -> None:
    sparse = {
        "id": "x-1",
        "name": "Sprachcafé",
        "organization": "",
        "description": "",
        "categories": ["ganz/neu"],  # a code the taxonomy does not know
        "languages": [],
        "address": {"street": "", "postal_code": "", "city": "", "district": ""},
        "location": None,
        "phone": None,
        "phone_display": "0371 / 12 34 (AB)",
        "email": "ä@example.org",
        "website": None,
        "opening_hours": [],
        "opening_hours_text": "nach Absprache",
        "accessibility": {"wheelchair": False},
        "cost": "teilweise kostenpflichtig",
        "updated_at": None,
        "revision": 1,  # a snapshot's revision: no time
    }
    mapped = hsds.service(sparse)
    assert_valid("compiled/service.json", mapped)
    assert "service_at_locations" not in mapped and "email" not in mapped
    assert "last_modified" not in mapped and "cost_options" not in mapped
    assert mapped["fees_description"] == "teilweise kostenpflichtig"
    assert mapped["phones"][0]["number"] == "0371 / 12 34 (AB)"
    assert mapped["organization"]["name"] == "Sprachcafé"  # its own organisation
    assert [s["description"] for s in mapped["schedules"]] == ["nach Absprache"]
    assert mapped["attributes"][0]["taxonomy_term"]["name"] == "ganz/neu"
    assert hsds.organization(sparse)["id"] != hsds.organization({**sparse, "id": "x-2"})["id"]


def test_organisations_are_one_per_name_and_ids_stay_put() -> None:
    other = {**RECORD, "id": "sa-00043", "name": "Sozialberatung"}
    assert hsds.organization(other) == hsds.organization(RECORD)
    assert hsds.service(other)["id"] != SERVICE
    assert hsds.service(copy.deepcopy(RECORD)) == hsds.service(RECORD)


def test_weekday_codes_become_ical_days_in_week_order() -> None:
    assert byday(["so", "mo", "mi", "mo"]) == "MO,WE,SU"
    with pytest.raises(ValueError):
        byday(["xx"])
    late = {"id": "x", "opening_hours": [{"days": ["sa"], "opens": "20:00", "closes": "24:00"}]}
    assert schedules(late, SERVICE)[0]["closes_at"] == "24:00"
    with pytest.raises(ValueError):
        schedules({"id": "x", "opening_hours": [{"days": ["sa"], "opens": "9", "closes": "x"}]}, "")


def test_addresses_become_ascii_uris_and_emails() -> None:
    assert as_uri("https://café-müller.example/a|b") == "https://xn--caf-mller-d4a5s.example/a%7Cb"
    assert as_uri("https://x.example:8443/100%") == "https://x.example:8443/100%25"
    assert as_uri("https://x.example/%C3%A4") == "https://x.example/%C3%A4"
    assert as_uri("mailto:a@b.example") is None
    assert as_email("kita@café-müller.example") == "kita@xn--caf-mller-d4a5s.example"
    assert revision_time(1) is None


def test_taxonomy_terms_know_their_areas() -> None:
    found = {t["code"]: t for t in terms()}
    assert "parent_id" not in found["geld"]
    assert found["geld/schuldnerberatung"]["parent_id"] == found["geld"]["id"]
    assert code_of_term(DEBT["id"]) == "geld/schuldnerberatung"
    assert code_of_term(ORGANIZATION) is None
    assert term("geld/schuldnerberatung") == DEBT


def test_tables_have_the_official_columns_and_a_row_per_nested_object() -> None:
    import csv

    for table in TABLES:
        with hsds_path("examples", "csv", table.path).open(encoding="utf-8") as stream:
            assert tuple(next(csv.reader(stream))) == table.columns, table.path
    rows = service_rows(EXPECTED)
    counts = {name: len(found) for name, found in rows.items()}
    assert counts == {
        "service": 1, "phone": 1, "schedule": 2, "language": 2, "cost_option": 1,
        "attribute": 2, "service_at_location": 1, "location": 1, "address": 1,
        "accessibility": 1,
    }  # fmt: skip
    assert rows["attribute"][0]["taxonomy_term_id"] == DEBT["id"]
    package = datapackage(TABLES)
    assert [r["path"] for r in package["resources"]] == [t.path for t in TABLES]
