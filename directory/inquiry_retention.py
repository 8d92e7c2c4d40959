"""Deleting the personal data of closed inquiries, keeping what the figures need.

``retention_days`` (90) after an inquiry closes, its message, contact, name, the notes of
its events and the recipients and bodies of its mails are emptied, and a ``purge`` event
is written. Provider, service type, district, language, states and their times and the
decline reason stay: the city's figures (:mod:`directory.inquiry_report`) are the same
before and after. The tracking and answer links then answer "deleted" (410).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from directory.inquiry_models import Inquiry, InquiryEvent, MailState, OutboundMail
from directory.inquiry_states import CLOSED, Action, Actor, record


def purge_personal_data(retention_days: int, now: datetime | None = None) -> int:
    """Purge every inquiry closed at least ``retention_days`` ago; the number purged."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=retention_days)
    due = Inquiry.objects.filter(
        status__in=CLOSED, closed_at__lte=cutoff, purged_at__isnull=True
    ).values_list("pk", flat=True)
    purged = 0
    for pk in list(due):
        with transaction.atomic():
            inquiry = Inquiry.objects.select_for_update().get(pk=pk)
            if inquiry.status not in CLOSED or inquiry.purged_at is not None:
                continue  # reopened meanwhile
            purge(inquiry, now)
            purged += 1
    return purged


def purge(inquiry: Inquiry, now: datetime) -> None:
    """Empty one inquiry's personal data (inside the caller's transaction)."""
    for field in (
        "name_sealed",
        "contact_email_sealed",
        "contact_phone_sealed",
        "contact_times_sealed",
        "message_sealed",
    ):
        setattr(inquiry, field, "")
    inquiry.purged_at = now
    InquiryEvent.objects.filter(inquiry=inquiry).update(note_sealed="")
    mails = OutboundMail.objects.filter(inquiry=inquiry)
    mails.exclude(state=MailState.SENT).update(state=MailState.FAILED, last_error="purged")
    mails.update(recipient_sealed="", body_sealed="")
    record(inquiry, Action.PURGE, Actor.SYSTEM, now)
