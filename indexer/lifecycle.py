"""Index lifecycle: versioned concrete indices behind a read alias, atomic rebuilds.

Searches always go to the read alias. A rebuild creates a new concrete index and points a
second alias (``…-building``) at it, so that live updates reach both the serving and the
new index while the bulk load runs; external versions (the database revision) make the
order of those writes irrelevant. Only a verified, complete new index is swapped in, in
one atomic alias action; a rebuild that dies half-way leaves the alias on the old index,
and the next rebuild deletes the orphan.
"""

from __future__ import annotations

import time
from typing import Any

from elasticsearch import ApiError, BadRequestError, Elasticsearch, NotFoundError, TransportError

from indexer.errors import IndexMissing, ReindexFailed, SearchUnavailable
from indexer.mapping import REFRESH_SECONDS, build_index_body
from indexer.settings import IndexerSettings

BULK_TIMEOUT = 120.0


def new_index_name(settings: IndexerSettings) -> str:
    return f"{settings.index_prefix}-providers-v{time.time_ns() // 1000}"


def indices_behind(es: Elasticsearch, alias: str) -> list[str]:
    try:
        return sorted(es.indices.get_alias(name=alias).body)
    except NotFoundError:
        return []


def serving_index(es: Elasticsearch, settings: IndexerSettings) -> str:
    names = indices_behind(es, settings.alias)
    if not names:
        raise IndexMissing(
            f"no index behind the alias {settings.alias!r}: run `sozialatlas reindex`"
        )
    return names[0]


def create_index(es: Elasticsearch, settings: IndexerSettings, name: str | None = None) -> str:
    name = name or new_index_name(settings)
    es.options(request_timeout=BULK_TIMEOUT).indices.create(index=name, **build_index_body())
    return name


def ensure_index(es: Elasticsearch, settings: IndexerSettings) -> str:
    """The serving index, created empty behind the alias if there is none yet.

    The first index has a fixed name (``…-providers-v0``; rebuilds name theirs by the
    clock): two processes meeting an empty cluster at once (two workers' first tasks) then
    create the same index, only one of them succeeds, and both put that one index behind
    the alias — never two indices, which would answer every search twice.
    """
    names = indices_behind(es, settings.alias)
    if names:
        return names[0]
    name = f"{settings.index_prefix}-providers-v0"
    created = False
    try:
        create_index(es, settings, name)
        created = True
    except BadRequestError as exc:
        if exc.error != "resource_already_exists_exception":
            raise  # another process created it a moment ago: put it behind the alias too
    try:
        es.indices.update_aliases(actions=[{"add": {"index": name, "alias": settings.alias}}])
    except ApiError:
        if created:
            es.indices.delete(index=name, ignore_unavailable=True)
        raise
    return indices_behind(es, settings.alias)[0]


def write_targets(es: Elasticsearch, settings: IndexerSettings) -> list[str]:
    """Every index a change must reach: the serving one and one being rebuilt."""
    try:
        targets = indices_behind(es, settings.alias) + indices_behind(es, settings.building_alias)
    except (TransportError, ApiError) as exc:
        raise SearchUnavailable(f"Elasticsearch unreachable: {exc}") from exc
    return sorted(set(targets)) or [ensure_index(es, settings)]


def is_live(es: Elasticsearch, settings: IndexerSettings, name: str) -> bool:
    """Whether ``name`` serves searches or is being built.

    A rebuild batch for an index that was swapped out or dropped meanwhile is stale work:
    writing it would fail where the cluster refuses to create indices on a write (the
    project's services do), or elsewhere create the index again with a guessed mapping, an
    orphan the next rebuild has to remove.
    """
    return name in indices_behind(es, settings.alias) + indices_behind(es, settings.building_alias)


def orphan_indices(es: Elasticsearch, settings: IndexerSettings) -> list[str]:
    """Concrete indices of this prefix that no alias serves: leftovers of dead rebuilds."""
    existing = es.indices.get(index=settings.index_pattern, ignore_unavailable=True).body
    keep = set(indices_behind(es, settings.alias))
    return sorted(name for name in existing if name not in keep)


def begin_rebuild(es: Elasticsearch, settings: IndexerSettings) -> tuple[str, list[str]]:
    """Create the next index and route live writes to it; returns (new, removed orphans)."""
    orphans = orphan_indices(es, settings)
    if orphans:
        es.indices.delete(index=",".join(orphans), ignore_unavailable=True)
    name = create_index(es, settings)
    # Bulk loading is faster without refreshes; finish_rebuild refreshes once.
    es.indices.put_settings(index=name, settings={"index": {"refresh_interval": "-1"}})
    es.indices.update_aliases(actions=[{"add": {"index": name, "alias": settings.building_alias}}])
    return name, orphans


def count(es: Elasticsearch, index: str) -> int:
    es.indices.refresh(index=index)
    return int(es.count(index=index).body["count"])


def finish_rebuild(
    es: Elasticsearch, settings: IndexerSettings, name: str, expected: int
) -> list[str]:
    """Verify ``name`` holds ``expected`` documents, then swap the alias atomically.

    Returns the indices that were retired. Raises :class:`ReindexFailed` and leaves the
    alias untouched when the count does not match.
    """
    es.indices.put_settings(
        index=name, settings={"index": {"refresh_interval": f"{REFRESH_SECONDS:g}s"}}
    )
    found = count(es, name)
    if found != expected:
        raise ReindexFailed(
            f"index {name} holds {found} documents, the database {expected}; alias not swapped"
        )
    old = indices_behind(es, settings.alias)
    actions: list[dict[str, Any]] = [{"remove": {"index": o, "alias": settings.alias}} for o in old]
    actions += [
        {"add": {"index": name, "alias": settings.alias}},
        {"remove": {"index": name, "alias": settings.building_alias}},
    ]
    es.indices.update_aliases(actions=actions)
    retired = [o for o in old if o != name]
    if retired:
        es.indices.delete(index=",".join(retired), ignore_unavailable=True)
    return retired


def abort_rebuild(es: Elasticsearch, settings: IndexerSettings, name: str) -> None:
    """Drop a partial index; the serving alias never pointed at it."""
    es.indices.delete(index=name, ignore_unavailable=True)


def drop_all(es: Elasticsearch, settings: IndexerSettings) -> None:
    """Remove every index of this prefix (tests and `reindex --drop`)."""
    es.indices.delete(index=settings.index_pattern, ignore_unavailable=True)
