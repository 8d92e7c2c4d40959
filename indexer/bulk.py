"""Write documents with external versions, item by item accounted for.

The version of a document is the database revision of its record (``external_gte``), so a
write of an older revision is refused by Elasticsearch itself (HTTP 409 per item) and
counted as stale, never as an error: delivery is at-least-once and the order of writes
does not matter. A delete carries a version too; the tombstone refuses late stale writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import orjson
from elasticsearch import (
    ApiError,
    ConnectionError,
    ConnectionTimeout,
    Elasticsearch,
    TransportError,
)

from indexer.errors import SearchUnavailable

BULK_TIMEOUT = 120.0


@dataclass
class BulkResult:
    indexed: int = 0
    deleted: int = 0
    stale: int = 0  # refused because a newer revision is already there
    missing: int = 0  # deletes of documents that were not there
    failures: list[tuple[str, str]] = field(default_factory=list)  # (id, reason)

    def merge(self, other: BulkResult) -> BulkResult:
        self.indexed += other.indexed
        self.deleted += other.deleted
        self.stale += other.stale
        self.missing += other.missing
        self.failures += other.failures
        return self


def build_actions(
    targets: Sequence[str],
    documents: Iterable[Mapping[str, Any]],
    deletes: Iterable[tuple[str, int]] = (),
) -> list[dict[str, Any]]:
    """The NDJSON lines of one bulk request (pure)."""
    lines: list[dict[str, Any]] = []
    for doc in documents:
        for index in targets:
            meta = {
                "_index": index,
                "_id": doc["id"],
                "version": doc["revision"],
                "version_type": "external_gte",
            }
            lines += [{"index": meta}, dict(doc)]
    for doc_id, version in deletes:
        for index in targets:
            lines.append(
                {
                    "delete": {
                        "_index": index,
                        "_id": doc_id,
                        "version": version,
                        "version_type": "external_gte",
                    }
                }
            )
    return lines


def encode(actions: Iterable[Mapping[str, Any]]) -> bytes:
    """The NDJSON body, encoded with orjson: several times faster than the client's own."""
    return b"".join(orjson.dumps(line, option=orjson.OPT_APPEND_NEWLINE) for line in actions)


def send(es: Elasticsearch, actions: list[dict[str, Any]], refresh: bool = False) -> BulkResult:
    """Send one bulk request; raise :class:`SearchUnavailable` when the cluster is away."""
    result = BulkResult()
    if not actions:
        return result
    try:
        response = es.options(request_timeout=BULK_TIMEOUT).bulk(
            # the client passes a ready NDJSON body through (its types only name lists)
            operations=cast(Any, encode(actions)),
            refresh="wait_for" if refresh else False,
        )
    except (ConnectionError, ConnectionTimeout) as exc:
        raise SearchUnavailable(f"Elasticsearch unreachable: {exc}") from exc
    except (ApiError, TransportError) as exc:
        status = getattr(exc, "status_code", None) or getattr(exc, "status", None)
        if isinstance(status, int) and status < 500 and status != 429:
            raise
        raise SearchUnavailable(f"Elasticsearch refused the bulk request: {exc}") from exc
    for item in response.body["items"]:
        ((op, outcome),) = item.items()
        status = outcome.get("status", 500)
        if status == 409:
            result.stale += 1
        elif op == "delete" and status == 404:
            result.missing += 1
        elif status >= 300:
            reason = (outcome.get("error") or {}).get("reason", f"status {status}")
            if status in (429,) or status >= 500:
                raise SearchUnavailable(
                    f"Elasticsearch could not take document {outcome.get('_id')}: {reason}"
                )
            result.failures.append((str(outcome.get("_id")), str(reason)))
        elif op == "delete":
            result.deleted += 1
        else:
            result.indexed += 1
    return result
