"""Producer side: queue work by task name, on the broker of the configuration given.

The API and the CLI import only this module, never the task bodies. Each gets a
:class:`TaskQueue` for its own configuration (``queue_for``), so that a process pointed at
another broker (a benchmark's, a fault test's) sends there without patching a global app.
The API calls it from ``transaction.on_commit`` so that a worker never reads a row before
it is committed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

from celery import Celery
from kombu.exceptions import OperationalError

from configuration.settings import Settings
from workers.app import create_app

log = logging.getLogger("sozialatlas.queue")
CHUNK = 500


class TaskQueue:
    """The tasks other layers may start, sent through one Celery app."""

    def __init__(self, app: Celery) -> None:
        self.app = app

    def enqueue_index(self, ids: Sequence[str]) -> bool:
        """Queue (re)indexing of ``ids`` in chunks; False if the broker is unreachable.

        A lost message is not a lost edit: the periodic reconciliation compares database
        revisions with the index and re-queues what is behind.
        """
        try:
            for start in range(0, len(ids), CHUNK):
                chunk = list(ids[start : start + CHUNK])
                if len(chunk) == 1:
                    self.app.send_task("workers.index_provider", args=[chunk[0]])
                else:
                    self.app.send_task("workers.index_providers", args=[chunk])
        except OperationalError as exc:
            log.warning("broker unreachable, %d ids left to reconciliation: %s", len(ids), exc)
            return False
        return True

    def enqueue_delete(self, provider_id: str, version: int) -> bool:
        try:
            self.app.send_task("workers.delete_provider", args=[provider_id, version])
        except OperationalError as exc:
            log.warning(
                "broker unreachable, delete of %s left to reconciliation: %s", provider_id, exc
            )
            return False
        return True

    def enqueue_mail(self, mail_ids: Sequence[int]) -> bool:
        """Queue sending of outbox rows; False if the broker is unreachable.

        A lost message is not a lost mail: the row stays pending in the database and the
        outbox sweep (Celery beat) queues it again.
        """
        try:
            for mail_id in mail_ids:
                self.app.send_task("workers.send_mail", args=[mail_id])
        except OperationalError as exc:
            log.warning("broker unreachable, %d mails left to the sweep: %s", len(mail_ids), exc)
            return False
        return True

    def dispatch_rebuild(self, ids: list[str], index: str) -> None:
        """Queue one batch of a rebuild; raises if the broker is down (the rebuild aborts)."""
        self.app.send_task("workers.index_providers", args=[ids], kwargs={"index": index})

    def send_searchlog(self, entries: list[dict[str, Any]], prefix: str) -> None:
        """Hand a batch of redacted search-log entries to the log worker (no retry)."""
        self.app.send_task(
            "workers.searchlog_write", args=[entries], kwargs={"prefix": prefix}, retry=False
        )


_queues: dict[Settings, TaskQueue] = {}
_lock = threading.Lock()


def queue_for(settings: Settings) -> TaskQueue:
    """The task queue of ``settings`` (one Celery producer per configuration, reused)."""
    with _lock:
        found = _queues.get(settings)
        if found is None:
            found = _queues[settings] = TaskQueue(create_app(settings))
        return found
