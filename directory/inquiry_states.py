"""The states of a mediated inquiry and the one table of what may happen in each.

Named after the HL7 FHIR Task states that referral platforms use: ``received`` (stored) →
``delivered`` (the provider's SMTP server took the mail) → ``read`` (the answer link was
opened) → ``accepted`` → ``completed``; or ``declined`` (with a reason), ``cancelled`` (the
person withdrew), ``expired`` (no answer in time, or answered and then left without any step
for ``SOZIALATLAS_INQUIRY_CLOSE_DAYS``). Every change goes through
:func:`record`, which refuses an action the current state has no edge for with
:class:`~directory.errors.IllegalTransition` and writes an :class:`InquiryEvent` (time,
actor, note): the history of an inquiry is complete by construction, because there is no
other way to change its status.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import models

from directory.errors import IllegalTransition

if TYPE_CHECKING:
    from directory.inquiry_models import Inquiry, InquiryEvent


class Status(models.TextChoices):
    RECEIVED = "received", "received"
    DELIVERED = "delivered", "delivered"
    READ = "read", "read"
    ACCEPTED = "accepted", "accepted"
    COMPLETED = "completed", "completed"
    DECLINED = "declined", "declined"
    CANCELLED = "cancelled", "cancelled"
    EXPIRED = "expired", "expired"


class Action(models.TextChoices):
    SUBMIT = "submit", "submit"  # the person sent it (the first event; no edge needed)
    DELIVER = "deliver", "deliver"  # the provider's mail was accepted by SMTP
    READ = "read", "read"  # the answer link was opened
    REPLY = "reply", "reply"
    ACCEPT = "accept", "accept"
    DECLINE = "decline", "decline"
    FORWARD = "forward", "forward"  # a referral to another provider of the directory
    COMPLETE = "complete", "complete"  # "done"
    MESSAGE = "message", "message"  # the person adds a message
    WITHDRAW = "withdraw", "withdraw"
    EXPIRE = "expire", "expire"
    REOPEN = "reopen", "reopen"  # a closed inquiry again, with a note (desk, staff)
    REMIND = "remind", "remind"  # events that leave the status as it is
    ESCALATE = "escalate", "escalate"
    REROUTE = "reroute", "reroute"  # the provider left the directory: the desk takes over
    PURGE = "purge", "purge"  # personal data deleted after the retention period


class Actor(models.TextChoices):
    PERSON = "person", "person"
    PROVIDER = "provider", "provider"
    DESK = "desk", "desk"  # the city's coordination desk
    SYSTEM = "system", "system"
    STAFF = "staff", "staff"


CLOSED = frozenset({Status.COMPLETED, Status.DECLINED, Status.CANCELLED, Status.EXPIRED})
OPEN = frozenset(Status) - CLOSED
UNREAD = frozenset({Status.RECEIVED, Status.DELIVERED})
# Waiting for the provider: no decision yet (a reply alone leaves an inquiry here).
AWAITING = frozenset({Status.RECEIVED, Status.DELIVERED, Status.READ})
_HANDLED = AWAITING | {Status.ACCEPTED}

# action -> {status before: status after}; an action missing for a status is illegal.
TRANSITIONS: dict[Action, dict[Status, Status]] = {
    Action.DELIVER: {Status.RECEIVED: Status.DELIVERED},
    Action.READ: dict.fromkeys(UNREAD, Status.READ),
    Action.REPLY: {
        **dict.fromkeys(AWAITING, Status.READ),
        Status.ACCEPTED: Status.ACCEPTED,
    },
    Action.ACCEPT: dict.fromkeys(AWAITING, Status.ACCEPTED),
    Action.DECLINE: dict.fromkeys(AWAITING, Status.DECLINED),
    Action.FORWARD: dict.fromkeys(_HANDLED, Status.RECEIVED),
    Action.COMPLETE: dict.fromkeys(_HANDLED, Status.COMPLETED),
    Action.MESSAGE: {status: status for status in OPEN},
    Action.WITHDRAW: dict.fromkeys(OPEN, Status.CANCELLED),
    # Unanswered in time, or answered/accepted and then left without a step (lapsed).
    Action.EXPIRE: dict.fromkeys(_HANDLED, Status.EXPIRED),
    Action.REOPEN: dict.fromkeys(CLOSED, Status.READ),
    Action.REMIND: {status: status for status in UNREAD},
    Action.ESCALATE: {status: status for status in AWAITING},
    Action.REROUTE: {status: status for status in OPEN},
    Action.PURGE: {status: status for status in CLOSED},
}

_PROVIDER_SIDE = frozenset({Actor.PROVIDER, Actor.DESK, Actor.STAFF})
ACTORS: dict[Action, frozenset[Actor]] = {
    Action.SUBMIT: frozenset({Actor.PERSON}),
    Action.DELIVER: frozenset({Actor.SYSTEM}),
    Action.READ: _PROVIDER_SIDE,
    Action.REPLY: _PROVIDER_SIDE,
    Action.ACCEPT: _PROVIDER_SIDE,
    Action.DECLINE: _PROVIDER_SIDE,
    Action.FORWARD: _PROVIDER_SIDE,
    Action.COMPLETE: _PROVIDER_SIDE,
    Action.MESSAGE: frozenset({Actor.PERSON}),
    Action.WITHDRAW: frozenset({Actor.PERSON}),
    Action.EXPIRE: frozenset({Actor.SYSTEM}),
    Action.REOPEN: frozenset({Actor.DESK, Actor.STAFF}),
    Action.REMIND: frozenset({Actor.SYSTEM}),
    Action.ESCALATE: frozenset({Actor.SYSTEM}),
    Action.REROUTE: frozenset({Actor.SYSTEM}),
    Action.PURGE: frozenset({Actor.SYSTEM}),
}
# A provider's first reaction of any kind: the start of "time to first answer".
ANSWERS = frozenset({Action.REPLY, Action.ACCEPT, Action.DECLINE, Action.FORWARD, Action.COMPLETE})


def next_status(action: Action, status: Status, actor: Actor) -> Status:
    """The status after ``action``; :class:`IllegalTransition` if there is no such edge."""
    if actor not in ACTORS[action]:
        raise IllegalTransition(f"{action!s} by the {actor!s}", status)
    edges = TRANSITIONS.get(action)
    if edges is None or status not in edges:
        raise IllegalTransition(action, status)
    return edges[status]


def allowed_actions(status: Status, actor: Actor) -> list[Action]:
    """What ``actor`` may do now (the answer page shows these buttons, the API lists them)."""
    return [
        action
        for action, edges in TRANSITIONS.items()
        if status in edges and actor in ACTORS[action]
    ]


def record(
    inquiry: Inquiry, action: Action, actor: Actor, now: datetime, note_sealed: str = ""
) -> InquiryEvent:
    """Apply ``action`` to ``inquiry`` (saved) and write its event; the one way to change state.

    Keeps the timestamps the schedule and the figures use: ``closed_at`` on entering a
    closed state (retention counts from it), ``first_answer_at`` on the provider's first
    reaction, ``replied_at`` on a reply, ``assigned_at`` and the reminder marks on a forward
    (the new provider gets its own reminder and escalation clock).
    """
    before = Status(inquiry.status)
    after = next_status(action, before, actor)
    inquiry.status = after
    if after in CLOSED and before not in CLOSED:
        inquiry.closed_at = now
    elif action == Action.REOPEN:
        # A new clock for the provider, as after a forward: reminders and expiry start again.
        inquiry.closed_at = None
        inquiry.assigned_at = now
        inquiry.escalated_at = None
    if action in ANSWERS and inquiry.first_answer_at is None:
        inquiry.first_answer_at = now
    if action == Action.REPLY:
        inquiry.replied_at = now
    elif action == Action.FORWARD:
        inquiry.assigned_at = now
        inquiry.reminded_at = inquiry.escalated_at = inquiry.replied_at = None
        inquiry.forwards += 1
    elif action == Action.REMIND:
        inquiry.reminded_at = now
    elif action == Action.ESCALATE:
        inquiry.escalated_at = now
    inquiry.save()
    return inquiry.events.create(
        at=now,
        action=action,
        actor=actor,
        status_from=before,
        status_to=after,
        provider_id=inquiry.provider_id,
        note_sealed=note_sealed,
    )
