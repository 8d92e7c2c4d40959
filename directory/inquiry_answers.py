"""The provider's side of an inquiry (or the coordination desk acting for it), by answer link.

Opening the link shows the inquiry and marks it read — once: opening it again changes
nothing, so a link opened twice (or by a mail scanner first) is harmless. The answers are
reply, accept, decline (with a reason), forward to another provider of the directory (a
referral: the new provider gets its own link, the old one stops working) and done. Each is
one transaction through :func:`directory.inquiry_states.record`, with the mails it causes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.db import transaction
from django.utils import timezone

from directory.errors import InquiryInvalid, InquiryLinkExpired, UnknownProvider
from directory.inquiries import find, locked, provider_or_none
from directory.inquiry_config import InquiryConfig
from directory.inquiry_fields import clean_note
from directory.inquiry_mail import (
    desk_note,
    forwarded_note,
    post,
    provider_recipient,
    sealed_contact,
)
from directory.inquiry_models import DeclineReason, Inquiry
from directory.inquiry_states import UNREAD, Action, Actor, record
from directory.inquiry_tokens import AnswerLink, read_answer
from directory.models import ServiceAtLocation

AnswerAction = Literal["reply", "accept", "decline", "forward", "done"]
MAX_FORWARDS = 5  # a referral chain longer than this is a loop; the desk should step in
_ACTIONS: dict[str, Action] = {
    "reply": Action.REPLY,
    "accept": Action.ACCEPT,
    "decline": Action.DECLINE,
    "forward": Action.FORWARD,
    "done": Action.COMPLETE,
}


def actor_of(link: AnswerLink) -> Actor:
    return Actor.DESK if link.audience == "desk" else Actor.PROVIDER


def check_link(token: str, config: InquiryConfig, now: datetime) -> AnswerLink:
    """The link's content if it is ours, young enough and still for the current provider."""
    link = read_answer(token, config.link_days, now.timestamp())
    inquiry = find(link.reference)
    _same_provider(inquiry, link)
    return link


def _same_provider(inquiry: Inquiry, link: AnswerLink) -> None:
    if inquiry.provider_id != link.provider_id:
        raise InquiryLinkExpired(
            "this inquiry has been forwarded to another service; this link no longer works"
        )


def open_inquiry(token: str, config: InquiryConfig, now: datetime | None = None) -> Inquiry:
    """The inquiry behind an answer link; the first opening marks it read."""
    now = now or timezone.now()
    link = check_link(token, config, now)
    with transaction.atomic():
        inquiry = locked(link.reference)
        _same_provider(inquiry, link)
        if inquiry.status in UNREAD:
            record(inquiry, Action.READ, actor_of(link), now)
    return inquiry


def answer(
    token: str,
    action: AnswerAction,
    config: InquiryConfig,
    text: str | None = None,
    reason: str | None = None,
    provider_id: str | None = None,
    now: datetime | None = None,
) -> Inquiry:
    """Apply one answer; illegal in the current state is refused, nothing half-done."""
    now = now or timezone.now()
    link = check_link(token, config, now)
    if action not in _ACTIONS:
        raise InquiryInvalid(f"action: one of {', '.join(_ACTIONS)}", {"action": "invalid_action"})
    note = clean_note(text, "text", required=action == "reply")
    target = _forward_target(link, provider_id) if action == "forward" else None
    if action == "decline" and reason not in DeclineReason.values:
        raise InquiryInvalid(
            f"reason: one of {', '.join(DeclineReason.values)}", {"reason": "invalid_reason"}
        )
    with transaction.atomic():
        inquiry = locked(link.reference)
        _same_provider(inquiry, link)
        actor, sealed = actor_of(link), config.cipher.seal(note)
        if target is not None:
            _forward(inquiry, target, actor, sealed, config, now)
            return inquiry
        if action == "decline":
            inquiry.decline_reason = str(reason)
        record(inquiry, _ACTIONS[action], actor, now, sealed)
        _tell_person(inquiry, action, note, config, now)
    return inquiry


def _forward_target(link: AnswerLink, provider_id: str | None) -> ServiceAtLocation:
    wanted = (provider_id or "").strip()[:32]
    if not wanted:
        raise InquiryInvalid(
            "provider_id: forwarding needs the id of another provider", {"provider_id": "required"}
        )
    if wanted == link.provider_id:
        raise InquiryInvalid(
            "provider_id: the inquiry is already with this provider",
            {"provider_id": "same_provider"},
        )
    target = provider_or_none(wanted)
    if target is None:
        raise UnknownProvider(f"no provider with id {wanted!r}")
    return target


def _forward(
    inquiry: Inquiry,
    target: ServiceAtLocation,
    actor: Actor,
    sealed_note: str,
    config: InquiryConfig,
    now: datetime,
) -> None:
    """A referral: the new provider gets the inquiry and its own link; the person is told."""
    if inquiry.forwards >= MAX_FORWARDS:
        raise InquiryInvalid(
            f"provider_id: forwarded {inquiry.forwards} times already; the desk takes over",
            {"provider_id": "too_many_forwards"},
        )
    inquiry.provider_id, inquiry.provider_name = target.id, target.name
    to = provider_recipient(target, config)
    inquiry.routed_to_desk = to.audience == "desk"
    record(inquiry, Action.FORWARD, actor, now, sealed_note)
    post(
        inquiry, "provider_new", to.address, config, now, marks_delivered=True,
        audience=to.audience, message=config.cipher.open(inquiry.message_sealed),
        desk_note=forwarded_note() + ("" if to.audience == "provider" else desk_note(target)),
        **sealed_contact(inquiry, config),
    )  # fmt: skip
    _tell_person(inquiry, "forward", "", config, now)


def _tell_person(
    inquiry: Inquiry, action: str, note: str, config: InquiryConfig, now: datetime
) -> None:
    """Mail the person what changed, if they gave an address (a phone only: the page)."""
    kinds = {
        "reply": "person_reply",
        "accept": "person_accepted",
        "decline": "person_declined",
        "forward": "person_forwarded",
    }
    email = config.cipher.open(inquiry.contact_email_sealed)
    if action not in kinds or not email:
        return
    post(inquiry, kinds[action], email, config, now, note=note, reason=inquiry.decline_reason)
