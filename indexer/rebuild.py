"""Rebuild the index from the source of truth without a moment of downtime.

The database is reached through two callables (``list_ids`` and ``load``) so the indexer
stays free of Django; the work goes either through the Celery workers (``dispatch``) or
in this process. See ``indexer.lifecycle`` for the alias protocol.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from indexer import associations
from indexer.client import get_client
from indexer.errors import ReindexFailed
from indexer.lifecycle import abort_rebuild, begin_rebuild, count, finish_rebuild
from indexer.pipeline import Timing, index_records
from indexer.settings import IndexerSettings

ListIds = Callable[[], Sequence[str]]
Load = Callable[[Sequence[str]], Sequence[Mapping[str, Any]]]
Dispatch = Callable[[list[str], str], None]
OnProgress = Callable[[int, int], None]


@dataclass
class RebuildOutcome:
    index: str
    documents: int
    retired: list[str]
    orphans: list[str]
    failures: list[tuple[str, str]] = field(default_factory=list)
    timing: Timing = field(default_factory=Timing)
    resent: int = 0  # batches sent to the workers again because the index stopped growing


def _chunks(ids: Sequence[str], size: int) -> list[list[str]]:
    return [list(ids[i : i + size]) for i in range(0, len(ids), size)]


def rebuild(
    settings: IndexerSettings,
    list_ids: ListIds,
    load: Load,
    dispatch: Dispatch | None = None,
    batch_size: int = 500,
    timeout: float = 1800.0,
    on_progress: OnProgress | None = None,
    stall: float = 60.0,
) -> RebuildOutcome:
    """Build a new index, verify it against the database, swap the alias, drop the old.

    With ``dispatch``, a batch whose records are still missing after the index has not grown
    for ``stall`` seconds is sent again: a message can be lost for good (a worker killed
    between taking it off the queue and recording it as unacked, celery/kombu#305) or held
    by a dead worker until the broker's visibility timeout, which may outlast ``timeout``.
    Sending a batch twice is safe: indexing a record is idempotent.
    """
    es = get_client(settings)
    name, orphans = begin_rebuild(es, settings)
    outcome = RebuildOutcome(index=name, documents=0, retired=[], orphans=orphans)
    progress = on_progress or (lambda done, total: None)
    try:
        ids = list(list_ids())
        chunks = _chunks(ids, batch_size)
        if dispatch is None:
            done = 0
            for chunk in chunks:
                result = index_records(
                    es, settings, load(chunk), targets=[name], timing=outcome.timing
                )
                outcome.failures += result.failures
                done += len(chunk)
                progress(done, len(ids))
        else:
            for chunk in chunks:
                dispatch(chunk, name)
            outcome.resent = _wait_for(
                es, name, chunks, _Waiting(dispatch, list_ids, timeout, stall, progress)
            )
        expected = _converge(es, settings, name, list_ids, load, outcome)
        associations.store(es, name, associations.compute(sorted(list_ids()), load))
        outcome.retired = finish_rebuild(es, settings, name, expected)
        outcome.documents = expected
    except BaseException:
        abort_rebuild(es, settings, name)
        raise
    return outcome


@dataclass(frozen=True)
class _Waiting:
    dispatch: Dispatch
    list_ids: ListIds
    timeout: float
    stall: float
    progress: OnProgress


def _wait_for(es: Any, name: str, chunks: list[list[str]], waiting: _Waiting) -> int:
    """Wait until the workers have indexed every batch; returns how many were sent again.

    At a stall the database is asked again: a record deleted since its batch was sent is
    never indexed, and waiting for it would last until the timeout.
    """
    total = sum(len(chunk) for chunk in chunks)
    started = last_growth = time.monotonic()
    seen, resent = -1, 0
    while True:
        found = count(es, name)
        waiting.progress(min(found, total), total)
        if found >= total:
            return resent
        now = time.monotonic()
        if found != seen:
            seen, last_growth = found, now
        elif now - last_growth >= waiting.stall:
            wanted = set(waiting.list_ids())
            present = _index_ids(es, name)
            chunks = [kept for chunk in chunks if (kept := [i for i in chunk if i in wanted])]
            total = sum(len(chunk) for chunk in chunks)
            for chunk in chunks:
                if not present.issuperset(chunk):
                    waiting.dispatch(chunk, name)
                    resent += 1
            last_growth = now
        if now - started > waiting.timeout:
            raise ReindexFailed(
                f"workers indexed {found} of {total} records within {waiting.timeout:.0f} s: "
                "is a worker running (`sozialatlas worker`)? The alias was not swapped."
            )
        time.sleep(0.5)


def _converge(
    es: Any,
    settings: IndexerSettings,
    name: str,
    list_ids: ListIds,
    load: Load,
    outcome: RebuildOutcome,
) -> int:
    """Index what is still missing (records created meanwhile, lost jobs) and drop extras.

    Returns the number of records the database holds now, which the index must match.
    """
    for _attempt in range(3):
        wanted = set(list_ids())
        present = _index_ids(es, name)
        missing = sorted(wanted - present)
        extra = sorted(present - wanted)
        if not missing and not extra:
            return len(wanted)
        deletes = [(doc_id, time.time_ns() // 1000) for doc_id in extra]
        result = index_records(
            es,
            settings,
            load(missing) if missing else [],
            deletes,
            targets=[name],
            timing=outcome.timing,
        )
        outcome.failures += result.failures
        es.indices.refresh(index=name)
    return len(set(list_ids()))


def _index_ids(es: Any, name: str) -> set[str]:
    es.indices.refresh(index=name)
    ids: set[str] = set()
    body: dict[str, Any] = {
        "size": 5000,
        "_source": False,
        "sort": [{"id": "asc"}],
        "query": {"match_all": {}},
    }
    while True:
        hits = es.search(index=name, **body).body["hits"]["hits"]
        ids.update(hit["_id"] for hit in hits)
        if len(hits) < body["size"]:
            return ids
        body["search_after"] = hits[-1]["sort"]
