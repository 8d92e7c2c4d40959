"""Writing the whole directory as an HSDS 3.0 publication: JSON files and a Data Package.

Records are read in batches (with the rows behind them) and streamed to the files, so
100,000 records never sit in memory as HSDS objects; only the organisations (with
references to their services) and the ids of what was written are collected to the end.
A service is written once, at its first record, with all its locations; a location shared
by several services goes into the tables once. A record that cannot be mapped is reported with its
id and reason and left out, and the export goes on, as the importer does with records it
cannot read. Files are written under temporary names and renamed at the end, so an
interrupted export leaves the previous one intact.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from analyzers import taxonomy as tree
from directory import hsds
from directory.hsds_queries import records, siblings
from directory.hsds_tables import TABLE, TABLES, cell, datapackage, row, service_rows
from directory.hsds_taxonomy import taxonomy, term, terms
from directory.models import ServiceAtLocation

JSON_FILES = (
    "services.json",
    "organizations.json",
    "service_at_locations.json",
    "taxonomies.json",
    "taxonomy_terms.json",
)
BATCH_SIZE = 500

Mapper = Callable[[Mapping[str, Any], Sequence[Mapping[str, Any]]], dict[str, Any]]


@dataclass
class ExportReport:
    out: Path
    counts: dict[str, int] = field(default_factory=dict)  # file name → objects or rows
    failures: list[tuple[str, str]] = field(default_factory=list)  # (record id, reason)

    def to_text(self) -> str:
        lines = [f"HSDS 3.0 export in {self.out}:"]
        lines += [f"  {name}: {count}" for name, count in self.counts.items()]
        lines.append(f"  records left out: {len(self.failures)}")
        lines += [f"    {record_id}: {reason}" for record_id, reason in self.failures[:50]]
        if len(self.failures) > 50:
            lines.append(f"    … and {len(self.failures) - 50} more")
        return "\n".join(lines)


class _JsonArray:
    """A JSON array written one item per line as items arrive."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream, self.count = stream, 0
        stream.write(b"[")

    def add(self, item: Any) -> None:
        self.stream.write((b",\n" if self.count else b"\n") + orjson.dumps(item))
        self.count += 1

    def finish(self) -> None:
        self.stream.write(b"\n]\n")


class _Publication:
    """The files of one export, open under temporary names until :meth:`finish`."""

    def __init__(self, out: Path, stack: ExitStack, partial: list[Path]) -> None:
        self.out, self.stack = out, stack
        self.partial = partial  # the caller removes what is left of them on failure
        self.services = _JsonArray(self._open("services.json"))
        self.at_locations = _JsonArray(self._open("service_at_locations.json"))
        self.writers = {t.name: csv.writer(self._open(t.path, text=True)) for t in TABLES}
        for table in TABLES:
            self.writers[table.name].writerow(table.columns)
        self.rows = dict.fromkeys(self.writers, 0)
        self.organizations: dict[str, dict[str, Any]] = {}
        self.codes: dict[str, None] = {}
        self.places: set[str] = set()  # locations written to the tables

    def _open(self, name: str, text: bool = False) -> Any:
        path = self.out / f".{name}.partial"
        self.partial.append(path)
        if text:
            return self.stack.enter_context(path.open("w", encoding="utf-8", newline=""))
        return self.stack.enter_context(path.open("wb"))

    def write_rows(self, name: str, rows: list[dict[str, Any]]) -> None:
        for values in rows:
            self.writers[name].writerow([cell(values[c]) for c in TABLE[name].columns])
        self.rows[name] += len(rows)

    def add(self, record: Mapping[str, Any], full: dict[str, Any]) -> None:
        tables = service_rows(full)  # before writing anything: it may fail too
        self.services.add(full)
        for at_location in full.get("service_at_locations", []):
            self.at_locations.add(at_location)
        fresh = {row["id"] for row in tables["location"]} - self.places
        for name in ("location", "address", "accessibility"):
            key = "id" if name == "location" else "location_id"
            unique = {row[key]: row for row in tables[name] if row[key] in fresh}
            tables[name] = (
                list(unique.values())
                if name == "location"
                else [row for row in tables[name] if row[key] in fresh]
            )
        self.places |= fresh
        for name, rows in tables.items():
            self.write_rows(name, rows)
        owner = hsds.organization(record)
        found = self.organizations.setdefault(owner["id"], {**owner, "services": []})
        found["services"].append(hsds.service_reference(record))
        self.codes.update(dict.fromkeys(record.get("categories") or []))

    def finish(self) -> dict[str, int]:
        """Write what was collected, rename every file into place; objects per file."""
        all_terms = terms() + [term(code) for code in self.codes if not tree.exists(code)]
        organizations = sorted(self.organizations.values(), key=lambda o: (o["name"], o["id"]))
        self.write_rows("organization", [row(TABLE["organization"], o) for o in organizations])
        self.write_rows("taxonomy", [row(TABLE["taxonomy"], taxonomy())])
        self.write_rows("taxonomy_term", [row(TABLE["taxonomy_term"], t) for t in all_terms])
        counts = {"services.json": self.services.count}
        for name, items in (
            ("organizations.json", organizations),
            ("taxonomies.json", [taxonomy()]),
            ("taxonomy_terms.json", all_terms),
        ):
            self._open(name).write(orjson.dumps(items, option=orjson.OPT_INDENT_2) + b"\n")
            counts[name] = len(items)
        counts["service_at_locations.json"] = self.at_locations.count
        self.services.finish()
        self.at_locations.finish()
        self._open("datapackage.json").write(
            orjson.dumps(datapackage(TABLES), option=orjson.OPT_INDENT_2) + b"\n"
        )
        counts.update({table.path: self.rows[table.name] for table in TABLES})
        self.stack.close()  # flushes and closes every file
        for path in self.partial:
            os.replace(path, self.out / path.name.removeprefix(".").removesuffix(".partial"))
        return {name: counts[name] for name in (*JSON_FILES, *(t.path for t in TABLES))}


def export_hsds(
    out: Path,
    batch_size: int = BATCH_SIZE,
    mapper: Mapper = hsds.service,
) -> ExportReport:
    """Write every record of the directory as HSDS JSON and CSV files into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    report = ExportReport(out)
    partial: list[Path] = []
    try:
        with ExitStack() as stack:
            publication = _Publication(out, stack, partial)
            _export_records(publication, report, mapper, batch_size)
            report.counts = publication.finish()
    finally:
        for path in partial:
            path.unlink(missing_ok=True)  # only left when the export failed
    return report


def _export_records(
    publication: _Publication, report: ExportReport, mapper: Mapper, batch_size: int
) -> None:
    ids = ServiceAtLocation.all_ids()
    done: set[str] = set()  # services written (with every record of theirs)
    for start in range(0, len(ids), batch_size):
        found = [r for r in records(ids[start : start + batch_size])
                 if r["hsds"]["service_id"] not in done]  # fmt: skip
        others = siblings(found)
        for record in found:
            sid = record["hsds"]["service_id"]
            if sid in done:
                continue  # a record of a service written at an earlier record
            done.add(sid)
            try:
                publication.add(record, mapper(record, others.get(sid, [])))
            except Exception as exc:  # one bad record must not stop the export
                report.failures.append((record["id"], f"{type(exc).__name__}: {exc}"))
