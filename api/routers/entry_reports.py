"""``POST /providers/{id}/reports``: "something is wrong with this entry", for partners too.

Mounted under ``/providers`` next to :mod:`api.routers.providers`; the intake
(:mod:`api.report_intake`) is the one the provider page's form uses, so a guard cannot be
missing on one of the two paths. Refusals are mapped to statuses in :mod:`api.apis`.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema
from ninja.responses import Status

from api.report_intake import submit_report
from directory.entry_reports import NOTE_MAX

router = Router(tags=["providers"])


class Error(Schema):
    """The error body of :mod:`api.apis` (a validation error carries ``detail`` only)."""

    error: str | None = None
    detail: Any


class ReportIn(Schema):
    kind: Literal["phone", "address", "hours", "closed", "other"] = Field(
        ..., description="What is wrong: phone, address, hours, closed (no longer exists), other"
    )
    note: str | None = Field(
        None,
        max_length=NOTE_MAX,
        description="Optional; markup is removed, e-mail addresses and phone numbers redacted",
    )
    language: str = Field("", max_length=8, description="Language of the page it came from")
    website: str | None = Field(None, max_length=500, description="Honeypot: leave empty")
    form_token: str | None = Field(None, max_length=100, description="From the web form")


class ReportOut(Schema):
    entry_id: str
    kind: str
    status: str
    received: str


@router.post(
    "/{provider_id}/reports",
    response={201: ReportOut, 400: Error, 404: Error, 422: Error, 429: Error},
    summary="Report an error in an entry",
)
def report_error(request: HttpRequest, provider_id: Path[str], body: ReportIn) -> Status[ReportOut]:
    """Lands in the editors' queue (admin), grouped per entry. No personal data needed;
    limited per client and per entry (429 with ``Retry-After``)."""
    report = submit_report(
        request, provider_id, body.kind, body.note, body.website, body.form_token, body.language
    )
    out = ReportOut(
        entry_id=report.entry_id,
        kind=report.kind,
        status=report.status,
        received=report.created.isoformat(),
    )
    return Status(201, out)
