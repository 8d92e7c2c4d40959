"""Mapping, documents, opening hours and bulk lines: pure builders, exact comparison."""

from __future__ import annotations

from datetime import datetime

from analyzers import RecordAnalysis
from indexer.bulk import build_actions, encode
from indexer.document import build_document, completeness
from indexer.hours import minute_of_week, week_ranges
from indexer.mapping import build_index_body
from tests.factories import record


def test_mapping_uses_core_features_only() -> None:
    body = build_index_body()
    props = body["mappings"]["properties"]
    assert body["mappings"]["dynamic"] == "strict"
    assert {props[f]["analyzer"] for f in props if f.endswith("_terms")} == {"whitespace"}
    assert props["suggest"] == {
        "type": "completion",
        "analyzer": "simple",
        "preserve_separators": False,
        "max_input_length": 60,
    }
    assert props["open_minutes"] == {"type": "integer_range"}
    assert props["location"] == {"type": "geo_point"}
    assert body["settings"]["analysis"] == {
        "normalizer": {"folded": {"type": "custom", "filter": ["lowercase"]}}
    }


def test_week_ranges_split_slots_past_midnight_and_round_the_week() -> None:
    assert week_ranges([{"days": ["mo"], "opens": "09:00", "closes": "12:00"}]) == [
        {"gte": 540, "lt": 720}
    ]
    # Saturday 18:00 -> Sunday 08:00, Sunday 18:00 -> Monday 08:00 (wraps to the week's start)
    assert week_ranges([{"days": ["sa", "so"], "opens": "18:00", "closes": "08:00"}]) == [
        {"gte": 0, "lt": 480},
        {"gte": 8280, "lt": 9120},
        {"gte": 9720, "lt": 10080},
    ]
    assert week_ranges(
        [
            {"days": ["mo"], "opens": "00:00", "closes": "24:00"},
            {"days": ["di"], "opens": "00:00", "closes": "24:00"},
        ]
    ) == [{"gte": 0, "lt": 2880}]
    assert week_ranges([{"days": ["xx"], "opens": "9", "closes": "?"}]) == []


def test_minute_of_week_counts_from_monday() -> None:
    assert minute_of_week(datetime(2026, 11, 23, 0, 0)) == 0  # a Monday
    assert minute_of_week(datetime(2026, 11, 29, 23, 59)) == 10079  # Sunday night


def test_document_carries_analysis_facets_and_hours() -> None:
    rec = record(id="t-doc", revision=7)
    analysis = RecordAnalysis(
        name="schuldnerberatung schuldner beratung",
        organization="stadtmission",
        description="beratung schulden",
        categories="schuldnerberatung",
        clean_description="Wir beraten.",
        suggest=("Schuldnerberatung",),
    )
    doc = build_document(rec, analysis)
    assert doc["main_category"] == "geld/schuldnerberatung" and doc["areas"] == ["geld"]
    assert doc["name_terms"] == "schuldnerberatung schuldner beratung"
    assert doc["description"] == "Wir beraten."
    assert doc["open_minutes"] == [
        {"gte": 540, "lt": 960},
        {"gte": 1980, "lt": 2400},
        {"gte": 4860, "lt": 5280},
    ]
    assert doc["revision"] == 7 and doc["wheelchair"] is True
    assert doc["suggest"] == {"input": ["Schuldnerberatung"]}
    assert completeness({"description": "x", "phone": None}) == round(1 / 6, 3)


def test_bulk_lines_use_external_versions_for_every_target() -> None:
    lines = build_actions(["a", "b"], [{"id": "x", "revision": 5}], [("y", 9)])
    assert lines == [
        {"index": {"_index": "a", "_id": "x", "version": 5, "version_type": "external_gte"}},
        {"id": "x", "revision": 5},
        {"index": {"_index": "b", "_id": "x", "version": 5, "version_type": "external_gte"}},
        {"id": "x", "revision": 5},
        {"delete": {"_index": "a", "_id": "y", "version": 9, "version_type": "external_gte"}},
        {"delete": {"_index": "b", "_id": "y", "version": 9, "version_type": "external_gte"}},
    ]


def test_bulk_body_is_one_json_object_per_line() -> None:
    body = encode([{"index": {"_id": "ä"}}, {"name": "Straße", "n": [1, 2.5, None, True]}])
    assert body == (
        b'{"index":{"_id":"\xc3\xa4"}}\n{"name":"Stra\xc3\x9fe","n":[1,2.5,null,true]}\n'
    )


def test_a_public_holiday_in_saxony_counts_as_a_sunday() -> None:
    sunday = 6 * 1440 + 10 * 60
    assert minute_of_week(datetime(2026, 12, 25, 10, 0)) == sunday  # Christmas, a Friday
    assert minute_of_week(datetime(2026, 11, 18, 10, 0)) == sunday  # Buß- und Bettag (Saxony)
    assert minute_of_week(datetime(2026, 10, 31, 10, 0)) == sunday  # Reformationstag
    # Epiphany is a holiday in Bavaria, not in Saxony: an ordinary Tuesday.
    assert minute_of_week(datetime(2026, 1, 6, 10, 0)) == 1 * 1440 + 10 * 60
