"""The tabular form of an HSDS publication read back: CSV files linked by their id columns.

A Data Package spreads a service over a dozen files (``services.csv``, ``phones.csv``,
``schedules.csv`` …). They are read whole (a directory's tables are small next to its
JSON) and nested as the JSON nests them, so that one mapping serves both forms. Files are
found by the paths ``datapackage.json`` lists, else by HSDS's file names (the official
examples' descriptor is a placeholder); an empty cell is an absent value.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from directory.errors import ImportFileError
from directory.hsds_readers import HsdsItem, Obj, ServiceItem
from directory.hsds_tables import TABLES
from directory.readers import CSV_FIELD_LIMIT, detect_encoding

_PARENT_COLUMNS = ("service_id", "location_id", "service_at_location_id")


def _table_paths(directory: Path, notes: list[str]) -> dict[str, Path]:
    """Table name → CSV file: HSDS's file names, or the paths ``datapackage.json`` gives."""
    paths = {table.name: directory / table.path for table in TABLES}
    by_file = {table.path: table.name for table in TABLES}
    descriptor = directory / "datapackage.json"
    if descriptor.is_file():
        try:
            for resource in orjson.loads(descriptor.read_bytes())["resources"]:
                path = directory / str(resource["path"])
                name = resource.get("name")
                table = name if name in paths else by_file.get(path.name)
                if table and path.resolve().is_relative_to(directory.resolve()):
                    paths[table] = path
        except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
            problem = f"{type(exc).__name__}: {exc}"
            notes.append(
                f"datapackage.json is no Data Package descriptor ({problem}); "
                "the CSV files were read by their HSDS names"
            )
    return {name: path for name, path in paths.items() if path.is_file()}


def _rows(path: Path, notes: list[str]) -> list[tuple[int, Obj]]:
    """``(line, row)`` of a CSV file; an empty cell is an absent value (CSV has no null)."""
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)
    encoding = detect_encoding(path)
    if encoding != "utf-8":
        notes.append(f"{path.name} is not UTF-8; read as Windows-1252 ({encoding})")
    found: list[tuple[int, Obj]] = []
    text_encoding = "utf-8-sig" if encoding == "utf-8" else encoding
    with path.open(encoding=text_encoding, errors="replace", newline="") as stream:
        reader = csv.DictReader(stream)
        start = 2
        try:
            for row in reader:
                found.append((start, _cells(row)))
                start = reader.line_num + 1
        except csv.Error as exc:
            notes.append(f"{path.name}: malformed CSV at line {start} ({exc}); not read on")
    return found


def _cells(row: Mapping[Any, Any]) -> Obj:
    return {
        key.strip(): value.strip()
        for key, value in row.items()
        if isinstance(key, str) and isinstance(value, str) and value.strip()
    }


def _group(rows: Iterable[tuple[int, Obj]], column: str) -> dict[str, list[Obj]]:
    groups: dict[str, list[Obj]] = {}
    for _line, row in rows:
        if row.get(column):
            groups.setdefault(row[column], []).append(row)
    return groups


def read_package(directory: Path, notes: list[str]) -> Iterator[HsdsItem]:
    """``(line in services.csv, ServiceItem)`` for each service at each of its locations."""
    paths = _table_paths(directory, notes)
    if "service" not in paths:
        raise ImportFileError(f"{directory} holds no services.csv: no HSDS Data Package")
    rows = {name: _rows(path, notes) for name, path in paths.items()}

    def by(table: str, column: str) -> dict[str, list[Obj]]:
        return _group(rows.get(table, []), column)

    terms = {row.get("id"): row for _line, row in rows.get("taxonomy_term", [])}
    attributes = {
        link: [{**a, "taxonomy_term": terms.get(a.get("taxonomy_term_id"))} for a in found]
        for link, found in by("attribute", "link_id").items()
    }
    owners = {row.get("id"): row for _line, row in rows.get("organization", [])}
    # phones, schedules and languages hang off services, locations and services at them
    nested = {
        key: {column: by(table, column) for column in _PARENT_COLUMNS}
        for key, table in (
            ("phones", "phone"),
            ("schedules", "schedule"),
            ("languages", "language"),
        )
    }

    def with_nested(row: Obj, column: str) -> Obj:
        ident = row.get("id", "")
        return {**row, **{key: found[column].get(ident, []) for key, found in nested.items()}}

    addresses, access = by("address", "location_id"), by("accessibility", "location_id")
    places = {
        row.get("id"): {
            **with_nested(row, "location_id"),
            "addresses": addresses.get(row.get("id", ""), []),
            "accessibility": access.get(row.get("id", ""), []),
        }
        for _line, row in rows.get("location", [])
    }
    at_locations = by("service_at_location", "service_id")
    costs = by("cost_option", "service_id")
    for line, row in rows["service"]:
        sid = row.get("id", "")
        service = {
            **with_nested(row, "service_id"),
            "cost_options": costs.get(sid, []),
            "attributes": attributes.get(sid, []),
        }
        owner = owners.get(row.get("organization_id"))
        found = at_locations.get(sid, [])
        if not found:
            yield line, ServiceItem(service, owner, None)
        for at_location in found:
            place = places.get(at_location.get("location_id"))
            placed = {**with_nested(at_location, "service_at_location_id"), "location": place}
            yield line, ServiceItem(service, owner, placed)
