"""Sending the outbox: each mail at most once per Message-ID, none lost to an SMTP outage.

A sender first **claims** a row in one ``UPDATE … WHERE`` (state ``pending`` and due, or
``sending`` with its lease run out → ``sending``, a fresh claim token, a lease): of two
workers, a retried task and the beat sweep racing for the same row, exactly one gets it.
It then hands the message to SMTP through Django's e-mail backend and, once the server has
answered 250 to the data, marks the row ``sent`` (only if its claim is still the row's).
A refused attempt puts the row back to ``pending`` with a doubling wait (up to five
minutes), so mail written while the SMTP server was down goes out when it is back.

The one window for a duplicate, honestly: a worker that dies *after* the server accepted
the data and *before* the ``sent`` update (milliseconds) leaves the row ``sending``; when
the lease ends, it is sent again — with the same Message-ID, which receiving systems use
to drop the copy. A worker killed earlier (connecting, before the data is complete) leaves
nothing at the server, so the retry after the lease is the only copy. Closing that window
completely would need the SMTP server to deduplicate, which SMTP does not offer.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.dispatch import Signal
from django.utils import timezone

from directory.inquiry_config import InquiryConfig
from directory.inquiry_models import Inquiry, MailState, OutboundMail
from directory.inquiry_states import Action, Actor, Status, record

log = logging.getLogger("sozialatlas.outbox")
MAX_WAIT = 300.0  # seconds: the longest back-off, so mail flows within minutes of recovery

Outcome = Literal["sent", "skipped", "retry", "failed"]
# Sent with ``ids`` once a transaction that made mails due outside the usual path (a staff
# retry) has committed; the API layer queues them at once (api.signals), else the next
# outbox sweep would send them.
mails_due = Signal()


@dataclass(frozen=True)
class Delivery:
    outcome: Outcome
    retry_in: float = 0.0


def due(now: datetime) -> Q:
    """Rows a sender may claim now: pending and due, or claimed by a sender that is gone."""
    return Q(state=MailState.PENDING, next_attempt_at__lte=now) | Q(
        state=MailState.SENDING, lease_until__lt=now
    )


def due_ids(now: datetime | None = None, limit: int = 500) -> list[int]:
    """The oldest mails a sweep should send (a bounded batch; the next sweep takes more)."""
    query = OutboundMail.objects.filter(due(now or timezone.now())).order_by("id")
    return list(query.values_list("id", flat=True)[:limit])


def claim(mail_id: int, config: InquiryConfig, now: datetime) -> str | None:
    """The claim token if this caller now owns the row, else None (sent, taken, not due)."""
    token = secrets.token_hex(8)
    claimed = OutboundMail.objects.filter(due(now), pk=mail_id).update(
        state=MailState.SENDING,
        claim=token,
        lease_until=now + timedelta(seconds=config.lease_seconds),
        attempts=F("attempts") + 1,
    )
    return token if claimed == 1 else None


def deliver(mail_id: int, config: InquiryConfig, now: datetime | None = None) -> Delivery:
    """Send one mail if it is due and nobody else is sending it; safe to call any number
    of times, from any number of processes."""
    now = now or timezone.now()
    token = claim(mail_id, config, now)
    if token is None:
        return Delivery("skipped")
    mail = OutboundMail.objects.get(pk=mail_id)
    message = EmailMessage(
        subject=mail.subject,
        body=config.cipher.open(mail.body_sealed),
        from_email=config.mail_from,
        to=[config.cipher.open(mail.recipient_sealed)],
        headers={
            "Message-ID": mail.message_id,
            "Auto-Submitted": "auto-generated",  # RFC 3834: no auto-replies to us
            "X-Sozialatlas-Kind": mail.kind,
        },
    )
    try:
        get_connection(fail_silently=False).send_messages([message])
    except (smtplib.SMTPException, OSError) as exc:
        return _failed(mail, token, exc, config)
    _sent(mail, token)
    return Delivery("sent")


def _sent(mail: OutboundMail, token: str) -> None:
    """Mark sent (body emptied: it is not needed any more) and move the inquiry on."""
    sent_at = timezone.now()
    with transaction.atomic():
        marked = OutboundMail.objects.filter(pk=mail.pk, claim=token).update(
            state=MailState.SENT, sent_at=sent_at, lease_until=None, body_sealed="", last_error=""
        )
        if marked and mail.marks_delivered and mail.inquiry_id is not None:
            inquiry = Inquiry.objects.select_for_update().get(pk=mail.inquiry_id)
            # Only the mail of the current assignment: a forward made an older one moot.
            if inquiry.status == Status.RECEIVED and mail.created >= inquiry.assigned_at:
                record(inquiry, Action.DELIVER, Actor.SYSTEM, sent_at)
    if not marked:  # the lease ran out mid-send and another sender took over
        log.warning("mail %s was sent after its lease ended (claim lost)", mail.pk)


def _failed(mail: OutboundMail, token: str, exc: Exception, config: InquiryConfig) -> Delivery:
    """Back to pending with a doubling wait; a permanent refusal (5xx) or too many attempts
    ends as failed. The error is recorded by class and SMTP code, never with addresses."""
    # Only a refusal of this message or recipient is final; a wrong password, a refused
    # sender or a dead server is the operator's to fix, and the mail waits for it.
    refusal = isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError)
    permanent = refusal and _smtp_code(exc) >= 500
    attempts = mail.attempts
    wait = min(MAX_WAIT, config.retry_seconds * 2 ** max(0, attempts - 1))
    gives_up = permanent or attempts >= config.max_attempts
    OutboundMail.objects.filter(pk=mail.pk, claim=token).update(
        state=MailState.FAILED if gives_up else MailState.PENDING,
        lease_until=None,
        next_attempt_at=timezone.now() + timedelta(seconds=wait),
        last_error=f"{type(exc).__name__} {_smtp_code(exc) or ''}".strip()[:200],
    )
    if gives_up:
        log.error(
            "mail %s failed for good after %d attempts (%s)", mail.pk, attempts, type(exc).__name__
        )
        return Delivery("failed")
    log.warning(
        "mail %s not sent (attempt %d, %s); next try in %.0f s",
        mail.pk,
        attempts,
        type(exc).__name__,
        wait,
    )
    return Delivery("retry", wait)


def _smtp_code(exc: Exception) -> int:
    """The SMTP reply code of a refusal (0 when the server was not reached)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return min(codes) if codes else 0
    code = getattr(exc, "smtp_code", 0)
    return code if isinstance(code, int) else 0


def revive(mail_ids: list[int], now: datetime) -> list[int]:
    """Failed mails due again with fresh attempts (an operator fixed the cause); the ids.

    A mail whose body was emptied (its inquiry's personal data was deleted, or the inquiry
    itself) cannot be sent again and is left as it is. Call inside a transaction; the
    workers are told after the commit (:data:`mails_due`).
    """
    revived = list(
        OutboundMail.objects.filter(pk__in=mail_ids, state=MailState.FAILED)
        .exclude(body_sealed="")
        .exclude(recipient_sealed="")
        .values_list("pk", flat=True)
    )
    OutboundMail.objects.filter(pk__in=revived).update(
        state=MailState.PENDING,
        attempts=0,
        next_attempt_at=now,
        lease_until=None,
        claim="",
        last_error="",
    )
    if revived:
        transaction.on_commit(lambda: mails_due.send(sender=OutboundMail, ids=revived))
    return revived


def cancel(mails: QuerySet[OutboundMail]) -> None:
    """Mails that must never go out (their inquiry was deleted): failed, emptied."""
    mails.exclude(state=MailState.SENT).update(state=MailState.FAILED, last_error="deleted")
    mails.update(recipient_sealed="", body_sealed="")
