"""What staff do with inquiries in the admin, each step with its audit entry.

The admin (:mod:`directory.inquiry_admin`) shows; this module decides and records. Reading
a person's message and contact goes through :func:`personal_data` only, which writes the
audit entry before it returns the plain text: there is no way for the admin to show
personal data without leaving a trace. Reopening, deleting an inquiry opened by mistake and
sending failed mails again are audited the same way (who, when, which inquiry, what).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from directory.errors import InquiryLinkExpired
from directory.inquiries import provider_or_none
from directory.inquiry_config import InquiryConfig
from directory.inquiry_fields import clean_note
from directory.inquiry_mail import post, provider_recipient
from directory.inquiry_models import AuditAction, Inquiry, InquiryAudit, OutboundMail
from directory.inquiry_roles import DESK_GROUP
from directory.inquiry_states import Action, Actor, record
from directory.outbox import cancel, revive

# Staff is a user of the admin (django.contrib.auth); typed loosely so no layer below the
# admin needs the auth models.
StaffUser = Any


@dataclass(frozen=True)
class Note:
    at: datetime
    action: str
    actor: str
    text: str


@dataclass(frozen=True)
class PersonalData:
    name: str
    email: str
    phone: str
    times: str
    message: str
    notes: list[Note]


def audit(
    user: StaffUser,
    action: AuditAction,
    inquiry: Inquiry | None,
    detail: str = "",
    now: datetime | None = None,
    reference: str = "",
) -> InquiryAudit:
    """One entry of the audit log (no personal data: who, when, which inquiry, what)."""
    return InquiryAudit.objects.create(
        at=now or timezone.now(),
        user_id=user.pk,
        username=user.get_username(),
        inquiry=inquiry,
        reference=inquiry.reference if inquiry is not None else reference,
        action=action,
        detail=detail[:200],
    )


def actor_for(user: StaffUser) -> Actor:
    """The coordination desk acts as the desk; anybody else in the admin as staff."""
    return Actor.DESK if user.groups.filter(name=DESK_GROUP).exists() else Actor.STAFF


def personal_data(
    inquiry: Inquiry, user: StaffUser, config: InquiryConfig, now: datetime | None = None
) -> PersonalData | None:
    """The person's message, contact and the written notes, decrypted — and audited.

    None once the data has been deleted (retention): nothing is shown, nothing logged.
    """
    if inquiry.purged_at is not None:
        return None
    open_ = config.cipher.open
    notes = [
        Note(event.at, event.action, event.actor, open_(event.note_sealed))
        for event in inquiry.events.all()
        if event.note_sealed
    ]
    audit(user, AuditAction.VIEW, inquiry, "message, contact, notes", now)
    return PersonalData(
        name=open_(inquiry.name_sealed),
        email=open_(inquiry.contact_email_sealed),
        phone=open_(inquiry.contact_phone_sealed),
        times=open_(inquiry.contact_times_sealed),
        message=open_(inquiry.message_sealed),
        notes=notes,
    )


def reopen(
    inquiry_id: int,
    note: str,
    user: StaffUser,
    config: InquiryConfig,
    now: datetime | None = None,
) -> Inquiry:
    """A closed inquiry open again (``read``), with the staff's note; the provider (or the
    desk, if it has left the directory) gets it with a fresh answer link."""
    now = now or timezone.now()
    text = clean_note(note, "note", required=True)
    with transaction.atomic():
        inquiry = Inquiry.objects.select_for_update().get(pk=inquiry_id)
        if inquiry.purged_at is not None:
            raise InquiryLinkExpired("the personal data of this inquiry has been deleted")
        to = provider_recipient(provider_or_none(inquiry.provider_id), config)
        inquiry.routed_to_desk = to.audience == "desk"
        record(inquiry, Action.REOPEN, actor_for(user), now, config.cipher.seal(text))
        post(inquiry, "provider_reopened", to.address, config, now, audience=to.audience, note=text)
        audit(user, AuditAction.REOPEN, inquiry, now=now)
    return inquiry


def delete(inquiry_id: int, user: StaffUser, now: datetime | None = None) -> str:
    """Delete an inquiry opened by mistake (its history and unsent mails with it); the
    audit entry stays, with the reference. Returns the reference."""
    now = now or timezone.now()
    with transaction.atomic():
        inquiry = Inquiry.objects.select_for_update().get(pk=inquiry_id)
        reference = inquiry.reference
        audit(user, AuditAction.DELETE, inquiry, f"status {inquiry.status}", now)
        cancel(OutboundMail.objects.filter(inquiry=inquiry))
        inquiry.delete()
    return reference


def retry_mails(mail_ids: list[int], user: StaffUser, now: datetime | None = None) -> list[int]:
    """Failed mails sent again (an operator fixed the cause); the ids that were revived."""
    now = now or timezone.now()
    with transaction.atomic():
        revived = revive(mail_ids, now)
        for mail in OutboundMail.objects.filter(pk__in=revived).select_related("inquiry"):
            audit(
                user,
                AuditAction.RETRY_MAIL,
                mail.inquiry,
                f"{mail.kind} #{mail.pk}",
                now,
                reference="-",
            )
    return revived
