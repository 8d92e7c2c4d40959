"""The Celery application and its delivery guarantees.

Delivery is at-least-once: a task is acknowledged only after it ran (``acks_late``), a
task whose worker died is re-queued (``reject_on_worker_lost``), a worker holds one task
at a time beyond the running one (``prefetch_multiplier=1``) so a crash strands little,
and the hard time limit stays below Redis' visibility timeout so that a hung task is
killed before the broker would hand it to a second worker. Indexing is idempotent
(external versions), so a second delivery is harmless. A task that kills its worker every
time is parked after ``task_max_deliveries`` deliveries (``workers.tasks``), and a beat
job (``workers.reconcile``) re-queues whatever the queue lost.
"""

from __future__ import annotations

import os

from celery import Celery

from configuration.endpoints import endpoints
from configuration.native import limit_native_threads
from configuration.settings import ConfigError, Settings, installed

limit_native_threads()  # before the tasks import numpy (configuration/native.py)

QUEUE = "indexing"


def unacked_lock_seconds(visibility: int) -> int:
    """How long the lock of the sweep for dead workers' messages outlives its holder."""
    return max(2, min(30, visibility // 4))


def create_app(settings: Settings) -> Celery:
    visibility, limit = settings.visibility_timeout, settings.task_time_limit
    if not 0 < limit < visibility:
        # Otherwise Redis hands a task that is still running to a second worker.
        raise ConfigError(
            f"SOZIALATLAS_TASK_TIME_LIMIT={limit} must be positive and below "
            f"SOZIALATLAS_VISIBILITY_TIMEOUT={visibility}"
        )
    broker = endpoints(settings).redis_url
    app = Celery("sozialatlas", broker=broker, backend=None)
    app.conf.update(
        task_default_queue=QUEUE,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_time_limit=limit,
        task_soft_time_limit=limit - min(60, max(1, limit // 10)),
        broker_transport_options={
            "visibility_timeout": visibility,
            # Sweep for messages of dead workers every ~visibility/10 s (at most 10 s).
            "unacked_restore_interval": max(1, min(10, visibility // 10)),
            "unacked_restore_throttle": 1,
            # The sweep runs under a lock in Redis. A worker killed mid-sweep leaves it held,
            # and at kombu's default (300 s) no worker would restore anything for 5 minutes.
            # A sweep takes milliseconds; a second sweeper is harmless (restoring is atomic).
            "unacked_mutex_expire": unacked_lock_seconds(visibility),
        },
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=2,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        task_always_eager=settings.celery_eager,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        imports=("workers.tasks", "workers.logging_tasks", "workers.mail_tasks"),
        # Search log rollup + retention (idempotent); run a beat: `celery -A workers.app beat`.
        beat_schedule={
            "searchlog-maintain": {"task": "workers.searchlog_maintain", "schedule": 3600.0},
            # Index vs database; a run not started within one period is dropped, not stacked.
            "reconcile": {
                "task": "workers.reconcile",
                "schedule": settings.reconcile_seconds,
                "options": {"expires": settings.reconcile_seconds},
            },
            # The outbox: what is due (after an SMTP or broker outage, a back-off, a dead
            # worker) is queued again; the claim in the database keeps each mail single.
            "outbox-sweep": {
                "task": "workers.send_pending_mail",
                "schedule": settings.outbox_sweep_seconds,
                "options": {"expires": settings.outbox_sweep_seconds},
            },
            # Inquiry reminders, escalation, expiry and retention (working days, idempotent).
            "inquiries-maintain": {"task": "workers.inquiries_maintain", "schedule": 3600.0},
            # Entries: confirmation requests, reminders, flags, pauses ending (idempotent).
            "confirmations-maintain": {
                "task": "workers.confirmations_maintain",
                "schedule": 3600.0,
            },
        },
    )
    return app


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "api.settings")
app = create_app(installed())
