"""Reconciliation: bring the index back in line with the database, whatever was lost.

Queued jobs can be lost (Redis down when a record was saved, a job parked after too many
failures, a message dropped by an operator). The database holds every record's
``revision``, the index holds the revision it was built from, so comparing the two finds
every difference: records missing from the index or indexed at an older revision are
re-indexed, documents whose record is gone are deleted.

The index is read *before* the database. A document in the index whose row is absent
from the later database read was therefore really deleted (it cannot be a record created
in between), so reconciliation never deletes a live record; anything created or edited
meanwhile is at worst re-indexed once more, which external versions make harmless.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from elasticsearch import Elasticsearch

from indexer.bulk import BulkResult
from indexer.lifecycle import indices_behind
from indexer.pipeline import index_records
from indexer.settings import IndexerSettings

PAGE = 5000

Revisions = Mapping[str, int]
Load = Callable[[Sequence[str]], Sequence[Mapping[str, Any]]]


@dataclass(frozen=True)
class Plan:
    """What reconciliation has to do; both lists sorted by id."""

    reindex: list[str] = field(default_factory=list)  # missing, or older in the index
    delete: list[str] = field(default_factory=list)  # in the index, not in the database

    @property
    def empty(self) -> bool:
        return not self.reindex and not self.delete

    def summary(self) -> str:
        return f"{len(self.reindex)} to re-index, {len(self.delete)} to delete"


def diff(database: Revisions, index: Revisions) -> Plan:
    """Compare revisions (pure): what must be re-indexed and what deleted."""
    reindex = sorted(
        doc_id
        for doc_id, revision in database.items()
        if doc_id not in index or index[doc_id] < revision
    )
    delete = sorted(doc_id for doc_id in index if doc_id not in database)
    return Plan(reindex=reindex, delete=delete)


def indexed_revisions(es: Elasticsearch, index: str, page: int = PAGE) -> dict[str, int]:
    """Every document id behind ``index`` (an alias) with its ``revision``, page by page."""
    if not indices_behind(es, index):
        return {}  # no index yet: everything is missing
    es.indices.refresh(index=index)
    found: dict[str, int] = {}
    after: list[Any] | None = None
    while True:
        body: dict[str, Any] = {
            "size": page,
            "_source": False,
            "docvalue_fields": ["revision"],
            "sort": [{"id": "asc"}],
            "query": {"match_all": {}},
            "track_total_hits": False,
        }
        if after is not None:
            body["search_after"] = after
        hits = es.search(index=index, **body).body["hits"]["hits"]
        for hit in hits:
            values = hit.get("fields", {}).get("revision") or [0]
            found[hit["_id"]] = int(values[0])
        if len(hits) < page:
            return found
        after = hits[-1]["sort"]


def plan(es: Elasticsearch, settings: IndexerSettings, database: Callable[[], Revisions]) -> Plan:
    """Read the index first, then the database (see the module docstring), and diff."""
    indexed = indexed_revisions(es, settings.alias)
    return diff(database(), indexed)


def delete_gone(es: Elasticsearch, settings: IndexerSettings, ids: Sequence[str]) -> BulkResult:
    """Delete documents whose record is gone, with a version above any revision so far."""
    version = time.time_ns() // 1000
    return index_records(es, settings, [], [(doc_id, version) for doc_id in ids])


def reindex_inline(
    es: Elasticsearch,
    settings: IndexerSettings,
    ids: Sequence[str],
    load: Load,
    batch_size: int = 500,
) -> BulkResult:
    """Index ``ids`` as the database holds them now (rows gone meanwhile are skipped)."""
    result = BulkResult()
    for start in range(0, len(ids), batch_size):
        records = load(list(ids[start : start + batch_size]))
        result.merge(index_records(es, settings, records))
    return result
