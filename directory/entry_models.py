"""Public error reports on entries ("Something wrong with this entry?"), the editors' queue.

A report is keyed by the entry's record id (``sa-00042``), not by a foreign key: the
entry's tables change (flat provider rows today, HSDS services at locations next), the
record id stays, and a report on an entry that was removed meanwhile is still an editor's
question to close. The note is what a member of the public wrote, cleaned of markup and of
e-mail addresses and phone numbers before it is stored, and sealed like an inquiry's message
(:mod:`directory.encryption`); it is emptied ``retention_days`` after the report is closed.
"""

from __future__ import annotations

from django.db import models


class ReportKind(models.TextChoices):
    PHONE = "phone", "phone"
    ADDRESS = "address", "address"
    HOURS = "hours", "hours"
    CLOSED = "closed", "closed"
    OTHER = "other", "other"


class ReportStatus(models.TextChoices):
    OPEN = "open", "open"
    RESOLVED = "resolved", "resolved"
    DISMISSED = "dismissed", "dismissed"


class EntryReport(models.Model):
    entry_id = models.CharField(max_length=32, db_index=True, help_text="Record id of the entry")
    kind = models.CharField(max_length=16, choices=ReportKind.choices)
    note_sealed = models.TextField(blank=True, default="", help_text="Encrypted, redacted note")
    channel = models.CharField(
        max_length=120, default="web", help_text='"web", "api" or "partner:<name>"'
    )
    language = models.CharField(max_length=8, blank=True, default="")
    created = models.DateTimeField(db_index=True)
    status = models.CharField(
        max_length=16, choices=ReportStatus.choices, default=ReportStatus.OPEN, db_index=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.CharField(max_length=150, blank=True, default="")
    resolution_note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ("-created", "-id")
        verbose_name = "error report"
        verbose_name_plural = "error reports"
        indexes = [models.Index(fields=("entry_id", "status"), name="entry_report_entry_status")]

    def __str__(self) -> str:
        return f"{self.kind} report on {self.entry_id} ({self.status})"


class ReportedEntry(EntryReport):
    """The queue's view: one row per entry with open reports (its newest), see the admin."""

    class Meta:
        proxy = True
        verbose_name = "reported entry"
        verbose_name_plural = "reported entries (editors' queue)"
