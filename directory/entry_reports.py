"""Filing and closing public error reports; the one path the API, the page and the admin take.

A report says *what* is wrong (phone, address, hours, closed, other) and may carry a short
note. Nobody has to say who they are, and what they write anyway is minimised before it is
stored: markup is removed by the same sanitiser the records go through
(:func:`analyzers.normalize.clean_text`, nh3), then e-mail addresses, phone, IBAN and
reference numbers are replaced by placeholders, as the search log does
(:func:`analyzers.redaction.redact`). The note is then sealed (:mod:`directory.encryption`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from analyzers.normalize import clean_text
from analyzers.redaction import redact
from directory.encryption import FieldCipher
from directory.entry_models import EntryReport, ReportKind, ReportStatus
from directory.entry_source import entry_exists
from directory.errors import ReportInvalid, UnknownEntry

NOTE_MAX = 1000  # characters of a note; a report is a hint for an editor, not a letter
CLOSED = (ReportStatus.RESOLVED, ReportStatus.DISMISSED)


def clean_note(note: str | None) -> str:
    """The note as stored: no markup, no contact data, within :data:`NOTE_MAX`."""
    text = clean_text(note or "")
    if len(text) > NOTE_MAX:
        raise ReportInvalid("note", f"at most {NOTE_MAX} characters, got {len(text)}")
    return redact(text)


def file_report(
    entry_id: str,
    kind: str,
    note: str | None,
    cipher: FieldCipher,
    channel: str = "web",
    language: str = "",
    now: datetime | None = None,
) -> EntryReport:
    """Store a report on ``entry_id``; raises :class:`UnknownEntry` or :class:`ReportInvalid`."""
    if not entry_exists(entry_id):
        raise UnknownEntry(f"no entry with id {entry_id!r}")
    if kind not in ReportKind.values:
        raise ReportInvalid("kind", f"one of {', '.join(ReportKind.values)}, got {kind[:20]!r}")
    return EntryReport.objects.create(
        entry_id=entry_id,
        kind=kind,
        note_sealed=cipher.seal(clean_note(note)),
        channel=channel[:120],
        language=language[:8],
        created=now or timezone.now(),
    )


def close_reports(
    reports: QuerySet[EntryReport],
    status: str,
    note: str,
    editor: str,
    now: datetime | None = None,
) -> int:
    """Close the open ones among ``reports`` as ``resolved`` or ``dismissed``, with the
    editor's note; the number closed (a report closed meanwhile is left as it is)."""
    if status not in CLOSED:
        raise ReportInvalid("status", f"one of {', '.join(CLOSED)}, got {status!r}")
    with transaction.atomic():
        return reports.filter(status=ReportStatus.OPEN).update(
            status=status,
            closed_at=now or timezone.now(),
            closed_by=editor[:150],
            resolution_note=clean_text(note)[:NOTE_MAX],
        )


def purge_report_notes(retention_days: int, now: datetime | None = None) -> int:
    """Empty the notes of reports closed at least ``retention_days`` ago; the number emptied.

    Kind, entry, times and the editor's resolution stay: the figures need no note.
    """
    cutoff = (now or timezone.now()) - timedelta(days=retention_days)
    return (
        EntryReport.objects.filter(status__in=CLOSED, closed_at__lte=cutoff)
        .exclude(note_sealed="")
        .update(note_sealed="")
    )
