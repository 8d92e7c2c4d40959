"""The directory's learnt word → service-type table, stored with each index version.

A rebuild computes the table from the records it indexes (``analyzers.associations``)
and writes it into the new index's ``_meta`` before the alias swaps, so the table always
belongs to the records being searched. The query side reads it once a minute at most.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from elasticsearch import ApiError, Elasticsearch, TransportError

from analyzers.associations import Learned, from_json, learn, to_json
from analyzers.concepts import german_index
from indexer.settings import IndexerSettings

SAMPLE = 20_000  # records learnt from at most (evenly spread), so a 100k rebuild stays quick
CHUNK = 1_000
REFRESH_SECONDS = 60.0
_cache: dict[str, tuple[float, Learned]] = {}


def compute(
    ids: Sequence[str], load: Callable[[Sequence[str]], Sequence[Mapping[str, Any]]]
) -> Learned:
    """Learn from the records of ``ids`` (a sample of at most :data:`SAMPLE`)."""
    step = max(1, len(ids) // SAMPLE)
    sample = list(ids[::step])
    known = frozenset(german_index().by_key)

    def records() -> Any:
        for start in range(0, len(sample), CHUNK):
            yield from load(sample[start : start + CHUNK])

    return learn(records(), known)


def store(es: Elasticsearch, index: str, table: Learned) -> None:
    es.indices.put_mapping(index=index, meta={"associations": to_json(table)})


def current(es: Elasticsearch, settings: IndexerSettings) -> Learned:
    """The serving index's table (cached per process for a minute); empty if unavailable."""
    now = time.monotonic()
    cached = _cache.get(settings.alias)
    if cached and now - cached[0] < REFRESH_SECONDS:
        return cached[1]
    try:
        mappings = es.indices.get_mapping(index=settings.alias).body
    except (ApiError, TransportError):
        table: Learned = cached[1] if cached else {}
    else:
        first: dict[str, Any] = next(iter(mappings.values()), {})
        meta: dict[str, Any] = first.get("mappings", {}).get("_meta", {})
        table = from_json(meta.get("associations"))
    _cache[settings.alias] = (now, table)
    return table
