"""What happens to inquiries with time: reminders, escalation, expiry, the desk taking over.

Run by Celery beat (``workers.inquiries_maintain``) with the current time, and by tests
with any time they like. Deadlines count working days (:mod:`directory.workdays`) from
``assigned_at`` (the submission, or the last forward — a new provider gets its own clock):

* **reminder** after ``reminder_days`` (2) while the provider has not opened the link;
* **escalation** to the coordination desk after ``escalation_days`` (5) without a decision
  or reply;
* **expiry** after ``expiry_days`` (10) without one: the person is told, the tracking page
  offers similar services;
* an open inquiry whose provider has left the directory goes to the desk at once.

Each step is its own transaction that re-checks the row under lock, so two beats at once
(or a provider answering meanwhile) cannot remind twice or expire an answered inquiry.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from directory.inquiries import desk_preface
from directory.inquiry_config import InquiryConfig
from directory.inquiry_mail import post, provider_recipient, sealed_contact
from directory.inquiry_models import Inquiry
from directory.inquiry_states import AWAITING, OPEN, UNREAD, Action, Actor, record
from directory.models import ServiceAtLocation
from directory.workdays import add_working_days

Step = Callable[[Inquiry, InquiryConfig, datetime], bool]


def run_schedule(config: InquiryConfig, now: datetime | None = None) -> dict[str, int]:
    """Every step that is due at ``now``; counts per step (for the worker's log)."""
    now = now or timezone.now()
    done: Counter[str] = Counter()
    steps: list[tuple[str, frozenset[str], Step]] = [
        ("rerouted", OPEN, _reroute),
        ("expired", AWAITING, _expire),
        ("escalated", AWAITING, _escalate),
        ("reminded", UNREAD, _remind),
    ]
    for name, states, step in steps:
        candidates = Inquiry.objects.filter(status__in=states, purged_at__isnull=True)
        for pk in candidates.values_list("pk", flat=True):
            with transaction.atomic():
                inquiry = Inquiry.objects.select_for_update().get(pk=pk)
                if inquiry.status in states and step(inquiry, config, now):
                    done[name] += 1
    return dict(done)


def _waiting_since(inquiry: Inquiry) -> bool:
    """No reply from the current provider yet (a reply counts as an answer)."""
    return inquiry.replied_at is None or inquiry.replied_at < inquiry.assigned_at


def _expire(inquiry: Inquiry, config: InquiryConfig, now: datetime) -> bool:
    if not _waiting_since(inquiry) or now < add_working_days(
        inquiry.assigned_at, config.expiry_days
    ):
        return False
    record(inquiry, Action.EXPIRE, Actor.SYSTEM, now)
    email = config.cipher.open(inquiry.contact_email_sealed)
    if email:
        post(inquiry, "person_expired", email, config, now)
    return True


def _escalate(inquiry: Inquiry, config: InquiryConfig, now: datetime) -> bool:
    if (
        inquiry.escalated_at is not None
        or inquiry.routed_to_desk  # the desk has it already
        or not _waiting_since(inquiry)
        or now < add_working_days(inquiry.assigned_at, config.escalation_days)
    ):
        return False
    record(inquiry, Action.ESCALATE, Actor.SYSTEM, now)
    post(
        inquiry, "desk_escalation", config.desk_email, config, now,
        audience="desk", days=config.escalation_days,
    )  # fmt: skip
    return True


def _remind(inquiry: Inquiry, config: InquiryConfig, now: datetime) -> bool:
    if inquiry.reminded_at is not None or now < add_working_days(
        inquiry.assigned_at, config.reminder_days
    ):
        return False
    record(inquiry, Action.REMIND, Actor.SYSTEM, now)
    to = provider_recipient(
        ServiceAtLocation.objects.filter(id=inquiry.provider_id).first(), config
    )
    post(inquiry, "provider_reminder", to.address, config, now, audience=to.audience)
    return True


def _reroute(inquiry: Inquiry, config: InquiryConfig, now: datetime) -> bool:
    """A provider removed from the directory: the desk gets the inquiry with a link."""
    if inquiry.routed_to_desk or ServiceAtLocation.objects.filter(id=inquiry.provider_id).exists():
        return False
    inquiry.routed_to_desk = True
    record(inquiry, Action.REROUTE, Actor.SYSTEM, now)
    post(
        inquiry, "provider_new", config.desk_email, config, now,
        audience="desk", desk_note=desk_preface(None),
        message=config.cipher.open(inquiry.message_sealed), **sealed_contact(inquiry, config),
    )  # fmt: skip
    return True
