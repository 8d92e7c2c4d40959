"""The editors' queue of public error reports, in the Django admin.

*Reported entries* lists one row per entry with open reports — how many, of which kinds,
the newest and its note — so that an editor checks an entry once, not once per report.
*Error reports* lists every report (filter by status and kind, search by record id). Both
close reports as *resolved* or *dismissed* with a note, through an intermediate page
(:func:`directory.entry_reports.close_reports`); on the grouped list an action closes every
open report of the selected entries. *Correct the entry* opens the entry's service; what an
editor saves there is recorded in its change history with the source ``report``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from configuration.settings import installed
from directory.entry_models import EntryReport, ReportedEntry, ReportStatus
from directory.entry_reports import NOTE_MAX, close_reports
from directory.entry_source import entry_names
from directory.inquiry_config import inquiry_config
from directory.service_models import ServiceAtLocation

PREVIEW = 120  # characters of a note shown in a list


def _note(report: EntryReport) -> str:
    """The note in the clear, opened with the key of the configuration the server runs with."""
    return inquiry_config(installed()).cipher.open(report.note_sealed)


def _open_kinds(entry_id: str) -> str:
    counts = (
        EntryReport.objects.filter(entry_id=entry_id, status=ReportStatus.OPEN)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by("-n", "kind")
    )
    return ", ".join(kind if n == 1 else f"{kind} ×{n}" for kind, n in counts)


class _Closing(admin.ModelAdmin):  # type: ignore[type-arg]
    """Actions "mark resolved" / "mark dismissed", each asking for a note first."""

    actions = ("mark_resolved", "mark_dismissed")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # reports come from the public page and the API only

    def reports_of(self, selected: QuerySet[Any]) -> QuerySet[EntryReport]:
        raise NotImplementedError

    @admin.action(description="Mark resolved (with a note)", permissions=["change"])
    def mark_resolved(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse | None:
        return self._close(request, queryset, ReportStatus.RESOLVED)

    @admin.action(description="Mark dismissed (with a note)", permissions=["change"])
    def mark_dismissed(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse | None:
        return self._close(request, queryset, ReportStatus.DISMISSED)

    def _close(
        self, request: HttpRequest, queryset: QuerySet[Any], status: str
    ) -> HttpResponse | None:
        if "apply" in request.POST:
            note = request.POST.get("resolution_note", "")[:NOTE_MAX]
            closed = close_reports(
                self.reports_of(queryset), status, note, request.user.get_username()
            )
            self.message_user(request, f"{closed} report(s) marked {status}.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"Mark {status}",
            "status": status,
            "action": f"mark_{status}",
            "selected": queryset,
            "reports": self.reports_of(queryset).filter(status=ReportStatus.OPEN).count(),
            "checkbox_name": ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
            "limit": NOTE_MAX,
        }
        return TemplateResponse(request, "admin/entry_reports_close.html", context)


@admin.register(ReportedEntry)
class ReportedEntryAdmin(_Closing):
    """One row per entry with open reports: its newest open report, counted and summed up."""

    list_display = ("entry", "entry_name", "open_reports", "kinds", "newest", "newest_note",
                    "correct")  # fmt: skip
    list_display_links = None
    search_fields = ("entry_id",)

    def get_ordering(self, request: HttpRequest) -> tuple[str, ...]:
        return ("-open_reports", "-created")  # annotations: not allowed in ``ordering``

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReportedEntry]:
        open_reports = EntryReport.objects.filter(status=ReportStatus.OPEN)
        same_entry = open_reports.filter(entry_id=OuterRef("entry_id"))
        newest = same_entry.order_by("-created", "-id").values("id")[:1]
        count = same_entry.order_by().values("entry_id").annotate(n=Count("id")).values("n")
        rows: QuerySet[ReportedEntry] = (
            ReportedEntry.objects.filter(status=ReportStatus.OPEN, id=Subquery(newest))
            .annotate(open_reports=Subquery(count), newest=F("created"))
            .order_by(*self.get_ordering(request))
        )
        return rows

    def reports_of(self, selected: QuerySet[Any]) -> QuerySet[EntryReport]:
        return EntryReport.objects.filter(entry_id__in=[row.entry_id for row in selected])

    @admin.display(description="entry", ordering="entry_id")
    def entry(self, row: ReportedEntry) -> str:
        url = reverse("admin:api_entryreport_changelist") + f"?entry_id={row.entry_id}"
        return format_html('<a href="{}">{}</a>', url, row.entry_id)

    @admin.display(description="name")
    def entry_name(self, row: ReportedEntry) -> str:
        return entry_names([row.entry_id]).get(row.entry_id, "(no longer in the directory)")

    @admin.display(description="correct the entry")
    def correct(self, row: ReportedEntry) -> str:
        """The entry's service in the admin; what is saved there is recorded in the change
        history as the report's resolution (``directory.history``)."""
        service = ServiceAtLocation.objects.filter(id=row.entry_id).values_list(
            "service_id", flat=True
        )
        if not service:
            return ""
        url = reverse("admin:api_service_change", args=[service[0]]) + "?source=report"
        return format_html('<a href="{}">edit</a>', url)

    @admin.display(description="open reports", ordering="open_reports")
    def open_reports(self, row: Any) -> int:
        return int(row.open_reports)

    @admin.display(description="kinds")
    def kinds(self, row: ReportedEntry) -> str:
        return _open_kinds(row.entry_id)

    @admin.display(description="newest", ordering="newest")
    def newest(self, row: Any) -> Any:
        return row.newest

    @admin.display(description="newest note")
    def newest_note(self, row: ReportedEntry) -> str:
        return _note(row)[:PREVIEW]


@admin.register(EntryReport)
class EntryReportAdmin(_Closing):
    """Every report, open or closed."""

    list_display = ("entry_id", "kind", "status", "created", "channel", "note_preview")
    list_filter = ("status", "kind", "channel")
    search_fields = ("entry_id",)
    fields = (
        "entry_id", "kind", "note", "channel", "language", "created",
        "status", "closed_at", "closed_by", "resolution_note",
    )  # fmt: skip
    readonly_fields = fields

    def reports_of(self, selected: QuerySet[Any]) -> QuerySet[EntryReport]:
        return EntryReport.objects.filter(pk__in=[row.pk for row in selected])

    @admin.display(description="note")
    def note(self, report: EntryReport) -> str:
        return _note(report)

    @admin.display(description="note")
    def note_preview(self, report: EntryReport) -> str:
        return _note(report)[:PREVIEW]
