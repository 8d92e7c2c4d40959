"""Mediated inquiries: a person asks a provider through the site (models, table ``api_*``).

Personal data (message, contact, name, the notes of events, the mail bodies and their
recipients) is stored sealed by :mod:`directory.encryption`; the ``*_sealed`` columns hold
Fernet tokens only. What the city's figures need — provider, service type and district at
the time, language, states and their times, decline reasons — is plain and stays when the
personal data is deleted after the retention period (:mod:`directory.inquiry_retention`).
A provider is referred to by its id, not a foreign key: the directory's rows come and go
with imports, and an inquiry must outlive the record it was sent to.
"""

from __future__ import annotations

from django.db import models

from directory.inquiry_states import Action, Actor, Status


class DeclineReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", "keine Kapazität"
    NOT_RESPONSIBLE = "not_responsible", "nicht zuständig"
    OUTSIDE_AREA = "outside_area", "außerhalb unseres Gebiets"
    UNREACHABLE = "unreachable", "Person nicht erreichbar"
    OTHER = "other", "anderer Grund"


class Inquiry(models.Model):
    reference = models.CharField(max_length=16, unique=True, help_text="Shown to the person")
    provider_id = models.CharField(max_length=32, db_index=True, help_text="Current provider")
    provider_name = models.CharField(max_length=300, blank=True, default="")
    category = models.CharField(
        max_length=100, blank=True, default="", help_text="Main service type when sent"
    )
    district = models.CharField(max_length=100, blank=True, default="")
    language = models.CharField(max_length=8, default="de")
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    routed_to_desk = models.BooleanField(
        default=False, help_text="The coordination desk handles it (no provider e-mail)"
    )
    consent_at = models.DateTimeField(help_text="When the person agreed to pass the data on")
    name_sealed = models.TextField(blank=True, default="")
    contact_email_sealed = models.TextField(blank=True, default="")
    contact_phone_sealed = models.TextField(blank=True, default="")
    contact_times_sealed = models.TextField(blank=True, default="")
    message_sealed = models.TextField(blank=True, default="")
    decline_reason = models.CharField(
        max_length=32, choices=DeclineReason.choices, blank=True, default=""
    )
    forwards = models.PositiveSmallIntegerField(default=0)
    created = models.DateTimeField(db_index=True)
    assigned_at = models.DateTimeField(help_text="The current provider has it since")
    first_answer_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    purged_at = models.DateTimeField(null=True, blank=True)
    follows = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resends",
        help_text="The declined or expired inquiry the person re-sent from its tracking page",
    )

    class Meta:
        ordering = ("id",)
        verbose_name = "Anfrage"
        verbose_name_plural = "Anfragen"
        # The roles of the staff admin (directory/inquiry_roles.py): reading a person's
        # message and contact is the coordination desk's permission alone, and is audited.
        permissions = [
            ("view_personal_data", "Nachricht und Kontakt lesen (wird protokolliert)"),
            ("reopen_inquiry", "Abgeschlossene Anfragen wieder öffnen"),
            ("view_inquiry_figures", "Zahlen zu Anfragen sehen (ohne persönliche Daten)"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.status})"


class InquiryEvent(models.Model):
    """One step of an inquiry's history: every transition, reminder and deletion."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    action = models.CharField(max_length=16, choices=Action.choices)
    actor = models.CharField(max_length=16, choices=Actor.choices)
    status_from = models.CharField(max_length=16, choices=Status.choices)
    status_to = models.CharField(max_length=16, choices=Status.choices)
    provider_id = models.CharField(max_length=32, blank=True, default="")
    note_sealed = models.TextField(blank=True, default="", help_text="A reply, message or note")

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} by {self.actor}"


class MailState(models.TextChoices):
    PENDING = "pending", "pending"
    SENDING = "sending", "sending"  # claimed by a worker until lease_until
    SENT = "sent", "sent"
    FAILED = "failed", "failed"  # refused for good, or out of attempts


class OutboundMail(models.Model):
    """The transactional outbox: a mail is written with the change that causes it.

    Rows are created in the same database transaction as the inquiry's change, so a mail is
    never lost (the change commits with it) and never sent for a change that rolled back;
    :mod:`directory.outbox` sends them, at most once per ``message_id``.
    """

    message_id = models.CharField(max_length=255, unique=True)
    inquiry = models.ForeignKey(
        Inquiry, null=True, blank=True, on_delete=models.SET_NULL, related_name="mails"
    )
    kind = models.CharField(max_length=32)
    marks_delivered = models.BooleanField(
        default=False, help_text="Sent, it moves its inquiry from received to delivered"
    )
    recipient_sealed = models.TextField(blank=True, default="")
    subject = models.CharField(max_length=300)
    body_sealed = models.TextField(blank=True, default="", help_text="Emptied once sent")
    state = models.CharField(
        max_length=16, choices=MailState.choices, default=MailState.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True, default="")
    last_error = models.CharField(max_length=200, blank=True, default="")
    created = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("id",)
        verbose_name = "ausgehende E-Mail"
        verbose_name_plural = "ausgehende E-Mails"
        permissions = [("retry_outboundmail", "Fehlgeschlagene E-Mails erneut senden")]

    def __str__(self) -> str:
        return f"{self.kind} {self.message_id} ({self.state})"


class AuditAction(models.TextChoices):
    VIEW = "view", "persönliche Daten angesehen"
    REOPEN = "reopen", "wieder geöffnet"
    DELETE = "delete", "gelöscht"
    RETRY_MAIL = "retry_mail", "E-Mail erneut gesendet"


class InquiryAudit(models.Model):
    """Who did what with an inquiry in the staff admin: every view of personal data, every
    reopening, deletion and mail retry (:mod:`directory.inquiry_audit`).

    Append-only (the admin offers no change or delete) and free of personal data: the
    user, the time, the inquiry's reference and the action. Reference and user name are
    copies, so the entry outlives a deleted inquiry or user account.
    """

    at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150)
    inquiry = models.ForeignKey(
        Inquiry, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit"
    )
    reference = models.CharField(max_length=16, db_index=True)
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    detail = models.CharField(max_length=200, blank=True, default="", help_text="What was seen")

    class Meta:
        ordering = ("-at", "-id")
        verbose_name = "Protokolleintrag"
        verbose_name_plural = "Protokoll der Anfragen"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.reference}"
