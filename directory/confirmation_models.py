"""Providers confirming their entries, and the changes they propose (issue 15, part 2).

A :class:`ConfirmationRequest` is one round of "is your entry still right?" for a service:
the mail, up to two reminders, then the "needs checking" flag if nobody answered. Its
``nonce`` is part of every link it sends, so an editor revoking the request (or the
provider answering it) ends every link at once. A :class:`ChangeProposal` is what a
provider asked to change: the entry's flat record when they proposed (``base``) and the
fields they changed (``changes``), cleaned like an import; an editor approves all or some
of the fields, or rejects them with a note.
"""

from __future__ import annotations

import secrets

from django.db import models

from directory.service_models import Service


def new_nonce() -> str:
    return secrets.token_hex(8)


class RequestState(models.TextChoices):
    OPEN = "open", "open"
    CONFIRMED = "confirmed", "confirmed"
    PROPOSED = "proposed", "changes proposed"
    CLOSED = "closed", "closed or paused"
    FLAGGED = "flagged", "needs checking"
    REVOKED = "revoked", "revoked"


ANSWERED = (RequestState.CONFIRMED, RequestState.PROPOSED, RequestState.CLOSED)


class ConfirmationRequest(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="confirmations")
    entry_id = models.CharField(max_length=32, help_text="The record the page shows")
    nonce = models.CharField(max_length=16, default=new_nonce, editable=False)
    state = models.CharField(
        max_length=16, choices=RequestState.choices, default=RequestState.OPEN, db_index=True
    )
    created = models.DateTimeField(db_index=True)
    last_sent = models.DateTimeField()
    reminders = models.PositiveSmallIntegerField(default=0)
    answered_at = models.DateTimeField(null=True, blank=True)
    paused_until = models.DateField(
        null=True, blank=True, help_text="The service is back in search on this day"
    )

    class Meta:
        ordering = ("-created", "-id")
        verbose_name = "confirmation request"
        verbose_name_plural = "confirmation requests"

    def __str__(self) -> str:
        return f"confirmation of {self.entry_id} ({self.state})"


class NeedsChecking(ConfirmationRequest):
    """The flagged requests: entries whose provider did not answer (see the admin)."""

    class Meta:
        proxy = True
        verbose_name = "entry that needs checking"
        verbose_name_plural = "entries that need checking"


class ProposalState(models.TextChoices):
    OPEN = "open", "open"
    APPROVED = "approved", "approved"
    PARTLY = "partly", "partly approved"
    REJECTED = "rejected", "rejected"


class ChangeProposal(models.Model):
    entry_id = models.CharField(max_length=32, db_index=True)
    request = models.ForeignKey(
        ConfirmationRequest, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="proposals",
    )  # fmt: skip
    base = models.JSONField(help_text="The entry's flat record when the change was proposed")
    changes = models.JSONField(help_text="The changed fields, cleaned like an import")
    state = models.CharField(
        max_length=16, choices=ProposalState.choices, default=ProposalState.OPEN, db_index=True
    )
    created = models.DateTimeField(db_index=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.CharField(max_length=150, blank=True, default="")
    approved_fields = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True, default="", help_text="The editor's note")

    class Meta:
        ordering = ("created", "id")
        verbose_name = "change proposal"
        verbose_name_plural = "change proposals (review queue)"

    def __str__(self) -> str:
        return f"proposal for {self.entry_id} ({self.state})"
