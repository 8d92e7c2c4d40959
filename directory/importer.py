"""Bulk import of provider records, with a report of what happened to each item.

Imports are streamed and written in batches, each batch in its own transaction, so a
100k-record file neither sits in memory twice nor holds one giant write lock. Only records
whose values actually changed are written (``directory.record_writer``, which maps the
flat record onto organisation, service, location and details), and their ids, with those
of other records built from a row they changed, are returned in
``ImportReport.changed_ids`` so that the caller can enqueue one bulk indexing job instead
of one task per saved row (no ``post_save`` is sent). The file formats are
``directory.readers``' job; HSDS publications arrive as :class:`MappedRecord` items
(``directory.hsds_import``) and go through the same cleaning, counting and batches.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from directory.duplicates import DuplicateFinder, DuplicatePair
from directory.errors import ImportFileError, RecordError
from directory.placement import Placement
from directory.readers import MappedRecord, RawItem, read_records
from directory.record_writer import RecordWriter
from directory.records import DATA_FIELDS, RecordFields, clean_record

__all__ = ["BATCH_SIZE", "DATA_FIELDS", "ImportReport", "OnBatch", "import_file", "import_records"]

BATCH_SIZE = 500
Batch = list[tuple[RecordFields, Placement | None]]

OnBatch = Callable[[list[str]], object]


@dataclass(frozen=True)
class Rejection:
    line: int
    record_id: str | None
    reason: str


@dataclass(frozen=True)
class RecordWarning:
    line: int
    record_id: str
    message: str


@dataclass
class ImportReport:
    source: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    duplicates: list[DuplicatePair] = field(default_factory=list)
    warnings: list[RecordWarning] = field(default_factory=list)
    changed_ids: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # about the whole file (its encoding)
    seconds: float = 0.0
    affected: int = 0  # records not in the file, built from a row it changed

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "duplicates": len(self.duplicates),
            "warnings": len(self.warnings),
        }

    def to_text(self, limit: int = 20) -> str:
        """Human-readable report for the CLI; the last line always holds the counts."""
        lines: list[str] = [f"Note: {note}" for note in self.notes]
        sections: list[tuple[str, list[str]]] = [
            ("Rejected", [f"line {r.line} ({r.record_id or 'no id'}): {r.reason}"
                          for r in self.rejections[:limit]]),
            ("Near-duplicates", [f"{d.duplicate_id} duplicates {d.original_id}: {d.reason}"
                                 for d in self.duplicates[:limit]]),
            ("Warnings", [f"line {w.line} ({w.record_id}): {w.message}"
                          for w in self.warnings[:limit]]),
        ]  # fmt: skip
        totals = (self.rejected, len(self.duplicates), len(self.warnings))
        for (title, items), total in zip(sections, totals, strict=True):
            if not items:
                continue
            lines.append(f"{title} ({total}):")
            lines.extend(f"  {item}" for item in items)
            if total > len(items):
                lines.append(f"  … and {total - len(items)} more")
        if self.affected:
            lines.append(f"Also re-indexed: {self.affected} records sharing a changed row")
        lines.append(f"Imported {self.source or 'records'} in {self.seconds:.1f} s")
        lines.append(", ".join(f"{key} {value}" for key, value in self.counts().items()))
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form for the API and for machine-readable CLI output."""
        return {
            "source": self.source,
            **self.counts(),
            "seconds": round(self.seconds, 3),
            "rejections": [asdict(r) for r in self.rejections],
            "duplicates": [d._asdict() for d in self.duplicates],
            "warnings": [asdict(w) for w in self.warnings],
            "notes": list(self.notes),
            "changed_ids": list(self.changed_ids),
        }


# --- writing -----------------------------------------------------------------------------


def _flush(
    writer: RecordWriter,
    batch: Batch,
    report: ImportReport,
    lines: dict[str, int],
    on_batch: OnBatch | None = None,
) -> None:
    """Write one batch; count what it created, updated and left unchanged."""
    outcome = writer.write(batch)
    report.created += len(outcome.created)
    report.updated += len(outcome.updated)
    report.unchanged += outcome.unchanged
    report.affected += len(outcome.affected)
    report.warnings.extend(RecordWarning(lines[rid], rid, note) for rid, note in outcome.notes)
    changed = outcome.changed
    report.changed_ids.extend(changed)
    if on_batch is not None and changed:
        on_batch(changed)  # after the commit: a worker may read these rows right away


def import_records(
    items: Iterable[RawItem],
    *,
    source: str = "",
    batch_size: int = BATCH_SIZE,
    on_batch: OnBatch | None = None,
) -> ImportReport:
    """Validate, de-duplicate and store records; bad ones are reported, not fatal.

    ``on_batch`` receives the ids each committed batch changed, so that indexing can run
    alongside the import instead of after it.

    Raises :class:`ImportFileError` only if not a single record could be read at all.
    """
    started = time.perf_counter()
    report = ImportReport(source=source)
    finder = DuplicateFinder()
    first_line: dict[str, int] = {}
    batch: Batch = []
    writer = RecordWriter()
    readable = 0
    for line_no, raw in items:
        if isinstance(raw, RecordError):
            report.rejections.append(Rejection(line_no, None, raw.reason))
            continue
        readable += 1
        origin = ""
        notes: list[str] = []
        placement = None
        if isinstance(raw, MappedRecord):  # translated from HSDS: name its origin
            origin, notes, placement = f"{raw.origin}: ", list(raw.notes), raw.placement
            if raw.refusal is not None:
                rejected_id = str(raw.record.get("id") or "") or None
                report.rejections.append(Rejection(line_no, rejected_id, origin + raw.refusal))
                continue
            raw = raw.record
        if not isinstance(raw, dict):
            report.rejections.append(Rejection(line_no, None, "record is not a JSON object"))
            continue
        raw_id = raw.get("id")
        record_id = raw_id if isinstance(raw_id, str) and raw_id else None
        try:
            fields = clean_record(raw, notes)
        except RecordError as exc:
            report.rejections.append(Rejection(line_no, record_id, origin + exc.reason))
            continue
        rid = fields["id"]
        if rid in first_line:
            reason = f"id: {rid} already imported from line {first_line[rid]}"
            report.rejections.append(Rejection(line_no, rid, reason))
            continue
        first_line[rid] = line_no
        report.warnings.extend(RecordWarning(line_no, rid, note) for note in notes)
        pair = finder.add(fields)
        if pair is not None:
            fields["duplicate_of"] = pair.original_id
            report.duplicates.append(pair)
        batch.append((fields, placement))
        if len(batch) >= batch_size:
            _flush(writer, batch, report, first_line, on_batch)
            batch = []
    if batch:
        _flush(writer, batch, report, first_line, on_batch)
    if readable == 0:
        raise ImportFileError(f"no readable record in {source or 'the input'}")
    report.seconds = time.perf_counter() - started
    return report


def import_file(
    path: Path, *, batch_size: int = BATCH_SIZE, on_batch: OnBatch | None = None
) -> ImportReport:
    """Import one file; see :func:`read_records` for the formats it understands."""
    path = Path(path)
    notes: list[str] = []
    report = import_records(
        read_records(path, notes), source=path.name, batch_size=batch_size, on_batch=on_batch
    )
    report.notes.extend(notes)
    return report
