"""The Celery application and its delivery guarantees.

Delivery is at-least-once: a task is acknowledged only after it ran (``acks_late``), a
task whose worker died is re-queued (``reject_on_worker_lost``), a worker holds one task
at a time beyond the running one (``prefetch_multiplier=1``) so a crash strands little,
and the hard time limit stays below Redis' visibility timeout so that a hung task is
killed before the broker would hand it to a second worker. Indexing is idempotent
(external versions), so a second delivery is harmless.
"""

from __future__ import annotations

import os

from celery import Celery

from sozialatlas.config import Settings
from sozialatlas.services import endpoints

VISIBILITY_TIMEOUT = 3600
TIME_LIMIT = 900
QUEUE = "indexing"


def create_app(settings: Settings) -> Celery:
    broker = endpoints(settings).redis_url
    app = Celery("sozialatlas", broker=broker, backend=None)
    app.conf.update(
        task_default_queue=QUEUE,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_time_limit=TIME_LIMIT,
        task_soft_time_limit=TIME_LIMIT - 60,
        broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT},
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=2,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        task_always_eager=settings.celery_eager,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        imports=("workers.tasks", "workers.logging_tasks"),
        # Search log rollup + retention (idempotent); run a beat: `celery -A workers.app beat`.
        beat_schedule={
            "searchlog-maintain": {"task": "workers.searchlog_maintain", "schedule": 3600.0}
        },
    )
    return app


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "api.settings")
app = create_app(Settings.from_env())
