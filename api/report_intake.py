"""Accepting a public error report on an entry: the one path the API and the page take.

The entry is looked up first (a report on nobody is "not found" before anything else is
judged), then the spam guards the inquiry form has (honeypot, signed form token with a
minimum fill time: :mod:`api.inquiry_guard`), then the limits per client and per entry,
then :func:`directory.entry_reports.file_report`, which cleans and redacts the note.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from api.inquiry_guard import check_form
from api.ratelimit import client_digest, enforce, partner_of
from directory.entry_models import EntryReport
from directory.entry_reports import file_report
from directory.entry_source import entry_exists
from directory.errors import UnknownEntry


def channel_of(request: HttpRequest, web: bool) -> str:
    """Where a report came from, for the editors: the page, the API, or a partner by name."""
    partner = partner_of(request)
    if partner is not None:
        return f"partner:{partner.name}"
    return "web" if web else "api"


def submit_report(
    request: HttpRequest,
    entry_id: str,
    kind: str,
    note: str | None,
    honeypot: str | None,
    form_token: str | None,
    language: str = "",
    web: bool = False,
) -> EntryReport:
    """Check and store one report; raises the guards' and the directory's deliberate errors."""
    entry_id = entry_id[:32]
    if not entry_exists(entry_id):
        raise UnknownEntry(f"no entry with id {entry_id!r}")
    check_form(honeypot, form_token, settings.INQUIRY_MIN_FILL_SECONDS)
    enforce("report-client", client_digest(request), settings.RATE_LIMIT_REPORT_CLIENT)
    enforce("report-entry", entry_id, settings.RATE_LIMIT_REPORT_ENTRY)
    return file_report(
        entry_id,
        kind,
        note,
        settings.INQUIRIES.cipher,
        channel=channel_of(request, web),
        language=language,
    )
