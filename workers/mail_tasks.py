"""Outbox and inquiry tasks. Thin: take ids, re-read the rows, hand them to ``directory``.

* ``workers.send_mail`` — send one outbox row (queued on commit when the row is written).
* ``workers.send_pending_mail`` (beat, every ``SOZIALATLAS_OUTBOX_SWEEP_SECONDS``) — queue
  every row that is due: mail written while the broker or the SMTP server was away, mail
  whose earlier attempt failed and waits out its back-off, mail of a worker that died.
* ``workers.inquiries_maintain`` (beat, hourly) — reminders, escalation, expiry, and the
  deletion of personal data after the retention period (also the notes of closed error
  reports on entries).
* ``workers.confirmations_maintain`` (beat, hourly) — the entries' confirmation cycle:
  requests, reminders, "needs checking" flags, pauses ending (``directory.confirmations``).

Every task is safe to run twice and concurrently: a mail is claimed in the database before
it is sent (:mod:`directory.outbox`), so a second delivery of the task finds it taken or
sent and does nothing. Failed attempts are not retried through Celery: the row keeps its
next attempt time and the sweep picks it up, so an SMTP outage of an hour parks nothing in
the broker or in worker memory — the outbox table is the one queue that matters.
"""

from __future__ import annotations

import logging

import django

from configuration.settings import installed
from workers.app import app
from workers.queue import TaskQueue

django.setup()

from directory.confirm_config import confirm_config  # noqa: E402
from directory.confirmations import run_cycle  # noqa: E402
from directory.entry_reports import purge_report_notes  # noqa: E402
from directory.inquiry_config import InquiryConfig, inquiry_config  # noqa: E402
from directory.inquiry_retention import purge_personal_data  # noqa: E402
from directory.inquiry_schedule import run_schedule  # noqa: E402
from directory.outbox import deliver, due_ids  # noqa: E402

log = logging.getLogger("sozialatlas.workers.mail")


def _config() -> InquiryConfig:
    """What the worker's entry point (``workers.app``) was configured with."""
    return inquiry_config(installed())


@app.task(name="workers.send_mail")
def send_mail(mail_id: int) -> str:
    """Send one outbox row if it is due and unclaimed; the outcome for the worker's log."""
    return deliver(mail_id, _config()).outcome


@app.task(name="workers.send_pending_mail")
def send_pending_mail() -> dict[str, int]:
    """Queue every due row (oldest first, a bounded batch per run)."""
    ids = due_ids()
    if ids and not TaskQueue(app).enqueue_mail(ids):
        return {"due": len(ids), "queued": 0}
    return {"due": len(ids), "queued": len(ids)}


@app.task(name="workers.inquiries_maintain")
def inquiries_maintain() -> dict[str, int]:
    """Reminders, escalation and expiry that are due now; then the retention purge."""
    config = _config()
    done = run_schedule(config)
    done["purged"] = purge_personal_data(config.retention_days)
    done["report_notes_purged"] = purge_report_notes(config.retention_days)
    if any(done.values()):
        log.info("inquiries: %s", ", ".join(f"{k} {v}" for k, v in sorted(done.items())))
    return done


@app.task(name="workers.confirmations_maintain")
def confirmations_maintain() -> dict[str, int]:
    """The confirmation cycle's work that is due now (each step marks itself done)."""
    done = run_cycle(confirm_config(installed()))
    if done:
        log.info("confirmations: %s", ", ".join(f"{k} {v}" for k, v in sorted(done.items())))
    return done
