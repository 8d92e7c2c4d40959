"""The outbox under faults: SMTP down, a worker killed mid-send — every mail exactly once.

A dedicated SMTP server (the real local one, on its own port and directory) is stopped and
started; a dedicated worker runs the outbox sweep (Celery beat, every second). Exactly once
is checked where it counts: the Message-IDs in the ``.eml`` files the server kept.
"""

from __future__ import annotations

import socket
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from configuration.settings import Settings
from directory.inquiry_models import Inquiry, OutboundMail
from sozialatlas.services import LocalSmtp, MailStore
from tests.conftest import wait_until
from tests.factories import provider
from tests.faults.conftest import Dedicated, FaultWorker, started

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]
SMTP_TIMEOUT = 2  # the lease is 3 × this + 10 s: a dead sender's mail is retried after 16 s


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture()
def smtp_settings(fault: Dedicated) -> Iterator[Settings]:
    """Where the dedicated SMTP server listens and keeps mail; stopped after the test."""
    settings = Settings(
        state_dir=str(fault.state / f"smtp-{uuid.uuid4().hex[:6]}"), smtp_port=_free_port()
    )
    yield settings
    LocalSmtp(settings).down()


def _worker_env(fault: Dedicated, smtp: Settings) -> dict[str, str]:
    return {
        "SOZIALATLAS_SMTP_HOST": "127.0.0.1",
        "SOZIALATLAS_SMTP_PORT": str(smtp.smtp_port),
        "SOZIALATLAS_SMTP_TIMEOUT": str(SMTP_TIMEOUT),
        "SOZIALATLAS_OUTBOX_SWEEP_SECONDS": "1",
        "SOZIALATLAS_OUTBOX_RETRY_SECONDS": "1",
        "SOZIALATLAS_STATE_DIR": str(fault.state),  # the beat's schedule file
    }


def _send(provider_id: str, **contact: str) -> str:
    client = Client(REMOTE_ADDR=f"192.0.2.{uuid.uuid4().int % 250 + 1}")
    body = {
        "provider_id": provider_id,
        "message": "Bitte um Rückruf wegen Wohngeld.",
        "consent": True,
    }
    response = client.post(
        "/api/v1/inquiries", {**body, **contact}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return str(response.json()["reference"])


def _kept(store: MailStore) -> Counter[str]:
    """Message-ID -> how many times the SMTP server received it."""
    return Counter(mail.message_id for mail in store.all())


def test_smtp_down_then_back_delivers_everything_exactly_once(
    fault: Dedicated, fault_worker: FaultWorker, smtp_settings: Settings
) -> None:
    server = LocalSmtp(smtp_settings)
    store = MailStore(server.messages)
    started(fault_worker, concurrency=2, env=_worker_env(fault, smtp_settings), beat=True)
    office = provider(email=f"amt-{uuid.uuid4().hex[:8]}@example.org")

    # SMTP is down: inquiries are accepted all the same, their mails wait in the outbox.
    references = [_send(office.id, contact_email=f"p{i}@example.org") for i in range(5)]
    mails = OutboundMail.objects.filter(inquiry__reference__in=references)
    assert mails.count() == 10  # to the provider and a receipt to each person
    wait_until(lambda: all(m.attempts >= 2 for m in mails.all()), timeout=30, interval=0.5)
    assert set(mails.values_list("state", flat=True)) <= {"pending", "sending"}
    assert all(m.last_error for m in mails.all() if m.state == "pending")
    assert not store.all()

    server.up()  # back: the sweep sends what is due
    wait_until(
        lambda: set(mails.values_list("state", flat=True)) == {"sent"}, timeout=60, interval=0.5
    )
    time.sleep(3)  # three more sweeps: nothing may go out twice
    kept = _kept(store)
    expected = set(mails.values_list("message_id", flat=True))
    assert set(kept) == expected and set(kept.values()) == {1}, kept
    assert set(
        Inquiry.objects.filter(reference__in=references).values_list("status", flat=True)
    ) == {"delivered"}


def test_a_worker_killed_mid_send_leaves_exactly_one_message(
    fault: Dedicated, fault_worker: FaultWorker, smtp_settings: Settings
) -> None:
    server = LocalSmtp(smtp_settings, rcpt_delay=1.5)  # holds the SMTP dialogue at RCPT
    server.up()
    store = MailStore(server.messages)
    env = _worker_env(fault, smtp_settings)
    started(fault_worker, env=env, beat=True)
    office = provider(email=f"amt-{uuid.uuid4().hex[:8]}@example.org")
    reference = _send(office.id, contact_phone="0371 4881234")  # one mail: to the provider
    mail = OutboundMail.objects.get(inquiry__reference=reference)

    wait_until(lambda: OutboundMail.objects.get(pk=mail.pk).state == "sending", interval=0.02)
    time.sleep(0.5)  # the worker is now waiting for the server's answer to RCPT
    fault_worker.kill_group()
    assert OutboundMail.objects.get(pk=mail.pk).state == "sending"  # claimed, never finished
    time.sleep(2)
    assert mail.message_id not in _kept(store)  # the server got no data

    fault_worker.start(beat=True)  # the claim's lease runs out, the sweep sends it again
    sent = wait_until(
        lambda: (row := OutboundMail.objects.get(pk=mail.pk)).state == "sent" and row,
        timeout=60,
        interval=0.5,
    )
    time.sleep(3)
    assert _kept(store)[mail.message_id] == 1
    assert sent.attempts == 2
    assert Inquiry.objects.get(reference=reference).status == "delivered"


def test_two_senders_racing_for_one_mail_send_it_once(
    fault: Dedicated, smtp_settings: Settings, settings: Any
) -> None:
    """The claim: a task delivered twice, and the sweep, may all try; one sends."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import close_old_connections

    from directory.outbox import deliver

    server = LocalSmtp(smtp_settings)
    server.up()
    # This process sends itself here: real SMTP (the test runner's default is in-memory).
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_PORT = smtp_settings.smtp_port
    office = provider(email=f"amt-{uuid.uuid4().hex[:8]}@example.org")
    reference = _send(office.id, contact_phone="0371 4881234")
    mail = OutboundMail.objects.get(inquiry__reference=reference)

    def attempt(_: int) -> str:
        try:
            return deliver(mail.pk, settings.INQUIRIES).outcome
        finally:
            close_old_connections()

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = Counter(pool.map(attempt, range(8)))
    assert outcomes["sent"] == 1 and outcomes["skipped"] == 7, outcomes
    assert _kept(MailStore(server.messages))[mail.message_id] == 1
