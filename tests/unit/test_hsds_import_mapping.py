"""HSDS 3.0 back to our flat records (``directory.hsds_records`` and its inverses): exact.

Our own publication must come back as the record it was made from; another publisher's
service (the official example) as exactly this record with exactly these notes.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from directory import hsds
from directory.hsds_ids import imported_record_id, service_id, taxonomy_term_id
from directory.hsds_import import map_item, read_hsds, resolve_record_id
from directory.hsds_readers import ServiceItem, classify, is_hsds
from directory.hsds_records import (
    build_record,
    detect_wheelchair,
    map_cost,
    map_languages,
    map_point,
    map_terms,
    pick_phone,
    split_target_groups,
)
from directory.hsds_schedules import read_opening_hours, read_slot, schedules
from directory.hsds_taxonomy import NO_TERM, find_code, make_unmapped_code, term
from directory.hsds_values import as_email, as_uri, decode_email, decode_uri
from directory.records import clean_record
from tests.hsds_schemas import hsds_path
from tests.unit.test_hsds_mapping import RECORD

COUNSELLING = "ac148810-d857-441c-9679-408f346de14b"  # the official example's service
CIVIC_CENTER = "3a19ff88-4620-4d17-9830-ac1d859eb5d5"  # … and its location


def item_of(record: dict[str, Any]) -> ServiceItem:
    """Our own publication of ``record``, as the reader hands it to the mapping."""
    service = hsds.service(copy.deepcopy(record))
    at_locations = service.get("service_at_locations") or [None]
    return ServiceItem(service, service["organization"], at_locations[0])


def test_our_own_service_comes_back_as_the_record_it_was_made_from() -> None:
    record, notes = build_record(item_of(RECORD), "sa-00042")
    expected = {k: v for k, v in RECORD.items() if k not in ("revision", "phone_display")}
    # a space is escaped on the way out and stays so: a stored address has none
    expected["website"] = "https://stadtmission.example/über%20uns?x=1"
    assert record == expected
    assert notes == []


def test_a_sparse_record_round_trips_through_cleaning() -> None:
    sparse = clean_record({
        "id": "x-1", "name": "Sprachcafé", "organization": "", "categories": ["ganz/neu"],
        "phone": "0371 / 12 34 (AB)", "opening_hours_text": "nach Absprache",
        "website": "beratung.example", "cost": "teilweise kostenpflichtig",
    })  # fmt: skip
    legacy = {**sparse, "address": {}, "location": None, "accessibility": {}}
    record, notes = build_record(item_of(legacy), "x-1")
    assert clean_record(record) == sparse  # its own organisation stays no organisation
    assert record["website"] == "https://beratung.example"  # no "/" added on the way
    assert notes == []  # our code unknown to the taxonomy is ours: no warning


def test_the_official_example_service_maps_to_exactly_this_record() -> None:
    notes: list[str] = []
    [(position, item)] = list(read_hsds(hsds_path("examples", "service_full.json"), notes))
    assert (position, notes) == (1, [])
    assert isinstance(item, ServiceItem)
    mapped = map_item(item, {})
    assert mapped.origin == f"service {COUNSELLING} at location {CIVIC_CENTER}"
    assert mapped.refusal is None
    assert mapped.record == {
        "id": imported_record_id(COUNSELLING, CIVIC_CENTER),
        "name": "Community Counselling",
        "organization": "Example Organization Inc.",
        "description": "Counselling Services provided by trained professionals. Suitable for "
        "people with mental health conditions such as anxiety, depression, or eating "
        "disorders as well as people experiencing difficult life events and circumstances."
        "\n\nThis service is intended for all people aged 12 and over who require "
        "counselling services in the MyCity area\n\nNon-NHS patients are expected to pay "
        "for their counselling sessions. We charge a flat rate per hour of counselling. The "
        "current rate is £50 per hour. Please see our website for up to date prices.",
        "categories": ["extern/code"],
        "target_groups": [],
        "languages": ["ur"],
        "address": {
            "street": "1-30 Main Street",
            "postal_code": "ABC 1234",
            "city": "MyCity",
            "district": "MyRegion",
        },
        "location": None,
        "phone": "+44 1234 234567",
        "email": "email@example.com",
        "website": "http://example.com/counselling",
        "opening_hours": [],
        "opening_hours_text": "The service is available from 10 am to 6pm weekdays. The "
        "service is not available on public holidays.",
        "accessibility": {"wheelchair": True},
        "cost": "kostenpflichtig",
        "appointment_required": False,
        "online_counselling": False,
        "updated_at": "2005-01-01",
    }
    assert mapped.notes == (
        "schedule 48102e86-bb50-41c4-8f1e-e269368c41d1: byweekno 41,42 is no weekly opening "
        "time; kept its description only",
        "taxonomy term 'name' is no Sozialatlas category: kept as 'extern/code'",
        "location: latitude 100, longitude 101 is no point on Earth: dropped",
    )


def test_record_ids_come_back_from_the_location_the_directory_or_the_publisher() -> None:
    ours = item_of(RECORD)
    assert resolve_record_id(ours, {}) == "sa-00042"  # named at the location, and it checks
    foreign = ServiceItem({"id": "s-1"}, None, {"location": {"id": "l-1"}})
    derived = resolve_record_id(foreign, {})
    assert derived == imported_record_id("s-1", "l-1") and derived.startswith("hsds-")
    assert len(derived) <= 32 and derived != imported_record_id("s-1", "l-2")
    assert resolve_record_id(ServiceItem({"id": "s-1"}, None, None), {}) == imported_record_id(
        "s-1"
    )
    # another publisher's external identifier (a UPRN) names no record of ours
    uprn = ServiceItem({"id": "s-1"}, None, {"location": {"external_identifier": "sa-00042"}})
    assert resolve_record_id(uprn, {}) == imported_record_id("s-1")
    # a service of ours without a location: found among the directory's records
    bare = ServiceItem({"id": service_id("sa-7")}, None, None)
    assert resolve_record_id(bare, {service_id("sa-7"): "sa-7"}) == "sa-7"


def test_a_service_without_id_or_no_longer_offered_is_refused() -> None:
    assert map_item(ServiceItem({"name": "x"}, None, None), {}).refusal == (
        "id: missing (every HSDS object has one)"
    )
    gone = map_item(ServiceItem({"id": "s-1", "name": "x", "status": "defunct"}, None, None), {})
    assert (gone.record, gone.refusal) == (
        {"id": imported_record_id("s-1")},
        "status defunct: not offered",
    )


def test_schedules_come_back_as_slots_or_as_their_text() -> None:
    published = schedules({"id": "x", "opening_hours": RECORD["opening_hours"]}, "s")
    assert read_opening_hours(published) == (RECORD["opening_hours"], "", [])
    assert read_slot({"freq": "WEEKLY", "byday": "SU,MO", "opens_at": "9:30:00",
                      "closes_at": "24:00"}) == (
        {"days": ["mo", "so"], "opens": "09:30", "closes": "24:00"}, None,
    )  # fmt: skip
    assert read_slot({"description": "nach Absprache"}) == (None, None)
    for rule, problem in (
        ({"freq": "MONTHLY", "bymonthday": "1"}, "freq MONTHLY"),
        ({"byday": "MO", "interval": 2}, "every 2 weeks"),
        ({"byday": "MO", "opens_at": "09:00", "closes_at": "12:00", "valid_from": "2026-01-05",
          "valid_to": "2025-12-31"}, "valid_from 2026-01-05 after valid_to 2025-12-31"),
        ({"byday": "MO", "opens_at": "09:00", "closes_at": "12:00", "valid_to": "soon"},
         "valid_to 'soon'"),
        ({"byday": "1MO", "opens_at": "09:00", "closes_at": "12:00"}, "byday '1MO'"),
        ({"byday": "MO", "opens_at": "09:00"}, "opens_at '09:00', closes_at None"),
        ({"byday": "MO", "opens_at": "24:00", "closes_at": "12:00"},
         "opens_at '24:00', closes_at '12:00'"),
    ):  # fmt: skip
        assert read_slot(rule) == (None, problem)
    found = [
        {"id": "a", "freq": "WEEKLY", "byday": "TU", "opens_at": "08:00", "closes_at": "12:00",
         "description": "Di 8–12"},
        {"id": "b", "freq": "MONTHLY", "description": "jeden 1. Montag"},
        {"id": "c", "freq": "MONTHLY"},
    ]  # fmt: skip
    assert read_opening_hours(found) == (
        [{"days": ["di"], "opens": "08:00", "closes": "12:00"}],
        "Di 8–12; jeden 1. Montag",
        [
            "schedule b: freq MONTHLY is no weekly opening time; kept its description only",
            "schedule c: freq MONTHLY is no weekly opening time; dropped (it has no description)",
        ],
    )


def test_schedule_validity_ranges_round_trip() -> None:
    summer = [
        {"days": ["mo", "mi"], "opens": "09:00", "closes": "13:00", "valid_from": "2025-06-01",
         "valid_to": "2025-08-31"},
        {"days": ["fr"], "opens": "10:00", "closes": "12:00", "valid_from": "2025-09-01"},
        {"days": ["sa"], "opens": "10:00", "closes": "12:00"},
    ]  # fmt: skip
    published = schedules({"id": "x", "opening_hours": summer}, "s")
    assert [(s.get("valid_from"), s.get("valid_to")) for s in published] == [
        ("2025-06-01", "2025-08-31"), ("2025-09-01", None), (None, None),
    ]  # fmt: skip
    assert read_opening_hours(published) == (summer, "", [])
    # a timestamp is read as its day; the record's cleaning keeps the range
    stamped = {**published[0], "valid_from": "2025-06-01T00:00:00Z"}
    assert read_slot(stamped)[0] == summer[0]
    cleaned = clean_record({"id": "v-1", "name": "Sommer", "categories": ["x/y"],
                            "opening_hours": summer})  # fmt: skip
    assert cleaned["opening_hours"] == summer


def test_terms_are_ours_by_id_code_or_name_else_kept_under_extern() -> None:
    assert find_code(term("geld/schuldnerberatung")) == "geld/schuldnerberatung"
    assert find_code(term("ganz/neu")) == "ganz/neu"  # a code we published ourselves
    assert find_code({"id": "t", "code": "familie/kita"}) == "familie/kita"
    assert find_code({"id": "t", "code": "KITA"}) == "familie/kita"
    assert find_code({"id": "t", "name": "Schuldner- und Insolvenzberatung"}) == (
        "geld/schuldnerberatung"
    )
    assert find_code({"id": "t", "name": "Money & legal help"}) == "geld"
    assert find_code({"id": "t", "code": "ganz/neu"}) is None  # not our id: not ours
    assert make_unmapped_code({"code": "BD-1800.2000 Food"}) == "extern/bd-1800.2000-food"
    assert make_unmapped_code({"name": "Tafel?"}) == "extern/tafel"
    assert make_unmapped_code({"id": "t"}) is None
    notes: list[str] = []
    attributes: list[dict[str, Any]] = [
        {"taxonomy_term": {"id": "t1", "code": "X1", "name": "Food"}},
        {"taxonomy_term_id": taxonomy_term_id("familie/kita")},
        {"taxonomy_term_id": "unknown"},
        {"value": "no term"},
    ]
    assert map_terms(attributes, notes) == ["extern/x1", "familie/kita"]
    assert notes == [
        "taxonomy term 'Food' is no Sozialatlas category: kept as 'extern/x1'",
        "taxonomy term unknown is not in the input: dropped",
    ]
    assert map_terms([], notes) == [NO_TERM]


def test_addresses_come_back_out_of_their_ascii_forms() -> None:
    for url in ("https://café-müller.example/über", "https://x.example", "http://a.example/b?c"):
        assert decode_uri(as_uri(url)) == url
    assert decode_uri("https://x.example/%20%C3%A4%FF") == "https://x.example/%20ä%FF"
    assert decode_email(as_email("kita@café-müller.example")) == "kita@café-müller.example"
    assert decode_uri("") is None and decode_email(None) is None


def test_contact_place_and_cost_values() -> None:
    notes: list[str] = []
    assert map_point({"latitude": "50.83", "longitude": 12.92}, notes) == {
        "lat": 50.83,
        "lon": 12.92,
    }
    assert map_point({"latitude": 50.8}, notes) is None and len(notes) == 1
    langs = [{"code": "en-GB"}, {"name": "Arabic"}, {"code": "DE"}, {"name": "Klingon"}]
    assert map_languages([{"languages": langs}, {"languages": [{"code": "de"}]}], notes) == [
        "en", "ar", "de",
    ]  # fmt: skip
    assert notes[-1] == "language 'Klingon' has no ISO 639 code: dropped"
    phones = [{"number": "0371 1", "type": "fax"}, {"number": '"0371 2"', "type": "voice"}]
    assert pick_phone([{"phones": phones}]) == "0371 2"
    assert pick_phone([{"phones": [{"number": "0171 3", "type": "cell"}]}]) == "0171 3"
    assert detect_wheelchair({"accessibility": [{"description": "Rollstuhlgerecht."}]})
    assert not detect_wheelchair({"accessibility": [{"description": "Not wheelchair accessible"}]})
    assert map_cost({"fees_description": "kostenlos"}) == ("kostenlos", "")
    assert map_cost({"fees_description": "Free."}) == ("kostenlos", "")
    assert map_cost({"cost_options": [{"amount": 0}, {"amount": "5"}]}) == (
        "teilweise kostenpflichtig",
        "",
    )
    assert map_cost({"fees_description": "nach Einkommen"}) == (None, "nach Einkommen")
    assert split_target_groups({"eligibility_description": "Kinder, Eltern"}) == (
        ["Kinder", "Eltern"],
        "",
    )
    prose = "Für alle, die in Chemnitz wohnen und eine Beratung zu ihren Schulden brauchen"
    assert split_target_groups({"eligibility_description": prose}) == ([], prose)


def test_objects_are_told_apart_by_their_fields() -> None:
    for name, kind in (
        ("service_full.json", "service"),
        ("organization_full.json", "organization"),
        ("service_at_location_full.json", "service_at_location"),
    ):
        assert classify(json.loads(hsds_path("examples", name).read_text())) == kind
    assert classify({"id": "o", "name": "Verein", "description": "d", "website": "w"}) == (
        "organization"
    )
    assert classify({"id": "s", "description": "no name, no status"}) == "service"


@pytest.mark.parametrize(
    ("text", "hsds_or_not"),
    [
        ('{"total_items": 1, "contents": [{"id": "s"}]}', True),
        ('[\n{"id": "s", "name": "n", "status": "active"}\n]', True),
        ('{"id": "sa-1", "name": "n", "categories": ["geld"], "organization": "o"}\n', False),
        ('[{"id": "sa-1", "name": "n", "categories": ["geld"], "location": null}]', False),
    ],
)
def test_auto_format_tells_hsds_from_legacy_files(
    tmp_path: Path, text: str, hsds_or_not: bool
) -> None:
    path = tmp_path / "input.json"
    path.write_text(text, encoding="utf-8")
    assert is_hsds(path) is hsds_or_not
    assert is_hsds(tmp_path) is True  # a directory: a Data Package
    assert is_hsds(tmp_path / "x.jsonl") is False
