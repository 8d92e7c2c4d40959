"""Indexing tasks. Thin on purpose: take ids, re-read the rows, hand them to ``indexer``.

Every task is safe to run twice (external versions make a repeated or late write a
no-op) and skips stale work: a job that finds a newer revision in the database than the
one it was queued for leaves the work to the newer job. While Elasticsearch is away, a
task retries with exponential backoff; after ``MAX_ATTEMPTS`` it is parked in the
dead-letter list (``sozialatlas status`` shows it) instead of looping for ever; so is a
task whose every delivery kills its worker (counted per attempt in Redis, see
``workers.deadletter.count_delivery``), after ``task_max_deliveries`` deliveries.
``workers.reconcile`` (Celery beat) re-queues whatever the queue lost.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

import django
from celery import Task
from celery.exceptions import Ignore
from elasticsearch import ApiError, TransportError

from analyzers import warm_up
from configuration.settings import Settings, installed
from indexer.client import get_client
from indexer.errors import SearchUnavailable
from indexer.lifecycle import is_live
from indexer.pipeline import index_records
from indexer.reconcile import delete_gone, plan
from indexer.settings import IndexerSettings, indexer_settings
from workers.app import app
from workers.deadletter import count_delivery, forget_delivery, park
from workers.queue import TaskQueue

django.setup()

from directory.models import ServiceAtLocation, next_revision  # noqa: E402
from directory.writeclock import mark_written  # noqa: E402  (needs django.setup())

log = logging.getLogger("sozialatlas.workers")
# celery-types makes Task generic; the runtime class is not subscriptable.
if TYPE_CHECKING:
    BaseTask: TypeAlias = Task[Any, Any]
else:
    BaseTask = Task


warm_up(installed().model_path)  # once, in the parent, before the pool forks
MAX_ATTEMPTS = 12  # ~2+4+…+60 s: about ten minutes of Elasticsearch outage


class IndexingTask(BaseTask):
    """Retries while Elasticsearch is unavailable, then parks the job."""

    autoretry_for = (SearchUnavailable,)
    retry_backoff = 2
    retry_backoff_max = 60
    retry_jitter = True
    max_retries = MAX_ATTEMPTS

    def before_start(self, task_id: str, args: Any, kwargs: Any) -> None:
        """Park a task that was delivered too often without finishing (it kills workers)."""
        if self.request.is_eager:
            return
        config = _config()
        deliveries = count_delivery(task_id, self.request.retries or 0, config)
        if deliveries is not None and deliveries > config.task_max_deliveries:
            reason = (
                f"delivered {deliveries} times, the worker was lost each time (poison task); "
                "reconciliation will index the record once the cause is fixed"
            )
            log.error("parking %s[%s]: %s", self.name, task_id, reason)
            park(self.name, list(args), dict(kwargs), reason, settings=config)
            raise Ignore()  # acknowledged, never run again

    def after_return(
        self, status: str, retval: Any, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        if not self.request.is_eager:
            forget_delivery(task_id, self.request.retries or 0, _config())

    def on_failure(
        self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        park(self.name, list(args), dict(kwargs), repr(exc))


def _config() -> Settings:
    """What the worker's entry point (``workers.app``) was configured with."""
    return installed()


def _settings() -> IndexerSettings:
    return indexer_settings(_config())


def _load(ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    return {record["id"]: record for record in ServiceAtLocation.load_records(list(ids))}


def _index(ids: Sequence[str], targets: Sequence[str] | None = None) -> dict[str, int]:
    settings = _settings()
    es = get_client(settings)
    rows = _load(ids)
    gone = [(i, next_revision()) for i in ids if i not in rows]
    result = index_records(es, settings, list(rows.values()), gone, targets=targets)
    if result.indexed or result.deleted:
        mark_written()
    for doc_id, reason in result.failures:
        log.error("could not index %s: %s", doc_id, reason)
    return {
        "indexed": result.indexed,
        "deleted": result.deleted,
        "stale": result.stale,
        "failed": len(result.failures),
    }


@app.task(base=IndexingTask, bind=True, name="workers.index_provider")
def index_provider(self: BaseTask, provider_id: str, revision: int | None = None) -> dict[str, int]:
    """(Re)index one provider as it is in the database now; delete it if it is gone."""
    if revision is not None:
        current = (
            ServiceAtLocation.objects.filter(id=provider_id)
            .values_list("revision", flat=True)
            .first()
        )
        if current is not None and current > revision:
            return {"skipped": 1}  # a newer save queued its own job
    return _index([provider_id])


@app.task(base=IndexingTask, bind=True, name="workers.index_providers")
def index_providers(
    self: BaseTask, provider_ids: list[str], index: str | None = None
) -> dict[str, int]:
    """Bulk variant; with ``index`` it fills that one index (a rebuild) only.

    A batch whose rebuild has ended (its index swapped out or dropped) is skipped.
    """
    if index and not is_live(get_client(_settings()), _settings(), index):
        log.info("skipping %d providers for %s: the index is gone", len(provider_ids), index)
        return {"skipped": len(provider_ids)}
    return _index(provider_ids, targets=[index] if index else None)


@app.task(base=IndexingTask, bind=True, name="workers.delete_provider")
def delete_provider(self: BaseTask, provider_id: str, version: int) -> dict[str, int]:
    """Remove a provider, unless it exists again (re-created after the delete)."""
    if ServiceAtLocation.objects.filter(id=provider_id).exists():
        return _index([provider_id])
    settings = _settings()
    result = index_records(get_client(settings), settings, [], [(provider_id, version)])
    if result.deleted:
        mark_written()
    return {"deleted": result.deleted, "missing": result.missing, "stale": result.stale}


def _database_revisions() -> dict[str, int]:
    return ServiceAtLocation.searchable_revisions()


@app.task(name="workers.reconcile")
def reconcile() -> dict[str, int]:
    """Compare the index with the database; delete what is gone, queue what is behind."""
    settings = _settings()
    es = get_client(settings)
    try:
        todo = plan(es, settings, _database_revisions)
        deleted = delete_gone(es, settings, todo.delete).deleted if todo.delete else 0
        if deleted:
            mark_written()
    except (SearchUnavailable, TransportError, ApiError) as exc:
        log.warning("reconcile: Elasticsearch unavailable, next run retries: %s", exc)
        return {"unavailable": 1}
    queued = len(todo.reindex) if todo.reindex and TaskQueue(app).enqueue_index(todo.reindex) else 0
    if not todo.empty:
        log.warning("reconcile: index was behind the database: %s", todo.summary())
    return {"reindex": len(todo.reindex), "queued": queued, "deleted": deleted}


@app.task(name="workers.ping")
def ping() -> dict[str, Any]:
    """Round trip for health checks and tests: proves a worker consumes from the broker."""
    return {
        "pong": True,
        "time": time.time(),
        "settings": json.dumps({"prefix": _settings().index_prefix}),
    }
