"""From records to searchable documents: analyse in batches, build, bulk-write.

Used by the Celery tasks and by ``sozialatlas reindex --inline`` alike, so both paths
produce the same documents. A record that cannot be analysed or built is reported with
its id and skipped; the rest of the batch goes through.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from elasticsearch import Elasticsearch

from analyzers import analyze_records
from indexer.bulk import BulkResult, build_actions, send
from indexer.document import build_document
from indexer.lifecycle import write_targets
from indexer.settings import IndexerSettings


@dataclass
class Timing:
    analysis: float = 0.0
    write: float = 0.0


def is_searchable(record: Mapping[str, Any]) -> bool:
    """Only an active service is found (a record without ``status`` is active)."""
    return bool(record.get("status", "active") == "active")


def build_documents(
    records: Sequence[Mapping[str, Any]], result: BulkResult
) -> list[dict[str, Any]]:
    """Analyse in one batch; fall back to one-by-one so one bad record costs only itself."""
    try:
        analyses = analyze_records(list(records))
    except Exception:
        analyses = []
        for record in records:
            try:
                analyses.extend(analyze_records([record]))
            except Exception as exc:
                result.failures.append((str(record.get("id")), f"analysis failed: {exc}"))
                analyses.append(None)  # type: ignore[arg-type]
    documents = []
    for record, analysis in zip(records, analyses, strict=True):
        if analysis is None:
            continue
        try:
            documents.append(build_document(record, analysis))
        except (KeyError, TypeError, ValueError) as exc:
            result.failures.append((str(record.get("id")), f"invalid record: {exc!r}"))
    return documents


def index_records(
    es: Elasticsearch,
    settings: IndexerSettings,
    records: Sequence[Mapping[str, Any]],
    deletes: Sequence[tuple[str, int]] = (),
    targets: Sequence[str] | None = None,
    refresh: bool = False,
    timing: Timing | None = None,
) -> BulkResult:
    """Index ``records`` and delete ``(id, version)`` pairs in every write target.

    A record whose service is not active (``status``: inactive, defunct, temporarily
    closed) is not searchable: it is deleted at its revision instead of indexed.
    """
    result = BulkResult()
    started = time.perf_counter()
    closed = [r for r in records if not is_searchable(r)]
    if closed:
        records = [r for r in records if is_searchable(r)]
        deletes = [*deletes, *((str(r["id"]), int(r.get("revision") or 0)) for r in closed)]
    documents = build_documents(records, result)
    analysed = time.perf_counter()
    actions = build_actions(targets or write_targets(es, settings), documents, deletes)
    result.merge(send(es, actions, refresh=refresh))
    if timing is not None:
        timing.analysis += analysed - started
        timing.write += time.perf_counter() - analysed
    return result
