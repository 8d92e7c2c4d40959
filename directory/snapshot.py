"""An index built straight from an export file, without the database.

Records are cleaned exactly as an import would clean them, then indexed under the given
alias. Benchmarks and test fixtures use it to measure and search a file without sharing (or
filling) the directory's database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from directory.errors import RecordError
from directory.exchange import record_from_fields
from directory.readers import read_records
from directory.records import clean_record
from indexer.pipeline import is_searchable
from indexer.rebuild import rebuild
from indexer.settings import IndexerSettings


def read_clean_records(
    file: Path, limit: int | None = None
) -> tuple[dict[str, dict[str, Any]], int]:
    """Records of ``file`` cleaned exactly as an import would; returns (records, rejected)."""
    records: dict[str, dict[str, Any]] = {}
    rejected = 0
    for _line, raw in read_records(file):
        if not isinstance(raw, dict):
            rejected += 1
            continue
        try:
            record = record_from_fields(clean_record(raw), revision=1)
        except (RecordError, TypeError, ValueError):
            rejected += 1
            continue
        records[record["id"]] = record
        if limit is not None and len(records) >= limit:
            break
    return records, rejected


def index_file(conf: IndexerSettings, file: Path) -> tuple[int, int]:
    """Rebuild ``conf``'s alias from ``file`` alone, bypassing the database."""
    records, rejected = read_clean_records(file)
    searchable = sorted(rid for rid, record in records.items() if is_searchable(record))
    outcome = rebuild(
        conf,
        list_ids=lambda: searchable,
        load=lambda ids: [records[i] for i in ids],
        dispatch=None,
    )
    return outcome.documents, rejected
