"""Producer side: queue indexing work by task name.

The API imports only this module, never the task bodies, and calls it from
``transaction.on_commit`` so that a worker never reads a row before it is committed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from kombu.exceptions import OperationalError

from workers.app import app

log = logging.getLogger("sozialatlas.queue")
CHUNK = 500


def enqueue_index(ids: Sequence[str]) -> bool:
    """Queue (re)indexing of ``ids`` in chunks; False if the broker is unreachable.

    A lost message is not a lost edit: the periodic reconciliation compares database
    revisions with the index and re-queues what is behind.
    """
    try:
        for start in range(0, len(ids), CHUNK):
            chunk = list(ids[start : start + CHUNK])
            if len(chunk) == 1:
                app.send_task("workers.index_provider", args=[chunk[0]])
            else:
                app.send_task("workers.index_providers", args=[chunk])
    except OperationalError as exc:
        log.warning("broker unreachable, %d ids left to reconciliation: %s", len(ids), exc)
        return False
    return True


def enqueue_delete(provider_id: str, version: int) -> bool:
    try:
        app.send_task("workers.delete_provider", args=[provider_id, version])
    except OperationalError as exc:
        log.warning("broker unreachable, delete of %s left to reconciliation: %s", provider_id, exc)
        return False
    return True


def dispatch_rebuild(ids: list[str], index: str) -> None:
    """Queue one batch of a rebuild; raises if the broker is down (the rebuild aborts)."""
    app.send_task("workers.index_providers", args=[ids], kwargs={"index": index})
