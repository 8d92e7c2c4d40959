"""The staff admin of mediated inquiries (Django admin, ``/admin/api/inquiry/``).

What each role sees (groups of :mod:`directory.inquiry_roles`):

* the **coordination desk** lists inquiries with status, provider, service type, district
  and age, filters them, opens one and sees the person's message, contact and the notes —
  every such view is written to the audit log first (:func:`directory.inquiry_staff.personal_data`)
  — answers for a provider without e-mail through the answer page (a fresh desk link),
  reopens a closed inquiry with a note, deletes one opened by mistake (audited);
* **analysts** have no access here: their figures are on the dashboard (aggregates only);
* the **audit log** (``/admin/api/inquiryaudit/``) is browsable by the desk, never editable.

Nothing is edited in a form: states change only through the workflow's one transition
table, so the pages are read-only and the actions have views of their own. The admin is
German, the language of the city's staff (``LANGUAGE_CODE``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.timesince import timesince

from directory import inquiry_staff as staff
from directory.admin_readonly import ReadOnlyAdmin
from directory.errors import InquiryError
from directory.inquiry_config import InquiryConfig
from directory.inquiry_models import Inquiry, InquiryAudit
from directory.inquiry_states import CLOSED, OPEN
from directory.inquiry_tokens import ANSWER_PATH, answer_token

PERSONAL = "api.view_personal_data"
REOPEN = "api.reopen_inquiry"
# What the list and the page show: never a *_sealed column (ciphertext is no business of
# the page; the plain text comes from inquiry_staff, audited).
SHOWN = (
    "reference",
    "status",
    "provider_id",
    "provider_name",
    "category",
    "district",
    "language",
    "routed_to_desk",
    "created",
    "assigned_at",
    "first_answer_at",
    "closed_at",
    "decline_reason",
    "forwards",
    "reminded_at",
    "escalated_at",
    "purged_at",
    "follows",
)

_config: Callable[[], InquiryConfig] | None = None

if TYPE_CHECKING:  # Django's ModelAdmin is generic in its stubs only
    InquiryModelAdmin = admin.ModelAdmin[Inquiry]
    AuditModelAdmin = admin.ModelAdmin[InquiryAudit]
else:
    InquiryModelAdmin = AuditModelAdmin = admin.ModelAdmin


def use_config(source: Callable[[], InquiryConfig]) -> None:
    """Hand the admin the workflow's configuration (``api.apps`` at start-up): the directory
    reads no settings itself."""
    global _config
    _config = source


def config() -> InquiryConfig:
    if _config is None:
        raise RuntimeError("the inquiry admin has no configuration (api.apps calls use_config)")
    return _config()


@admin.register(Inquiry)
class InquiryAdmin(InquiryModelAdmin):
    list_display = ("reference", "status", "provider", "category", "district", "age")
    list_filter = (
        "status",
        "routed_to_desk",
        "category",
        "district",
        "language",
        ("created", admin.DateFieldListFilter),
    )
    search_fields = ("reference", "provider_id", "provider_name")
    date_hierarchy = "created"
    ordering = ("-created",)
    fields = SHOWN
    readonly_fields = SHOWN
    list_per_page = 50

    @admin.display(description="Angebot", ordering="provider_name")
    def provider(self, inquiry: Inquiry) -> str:
        return f"{inquiry.provider_name} ({inquiry.provider_id})"

    @admin.display(description="Alter", ordering="-created")
    def age(self, inquiry: Inquiry) -> str:
        return timesince(inquiry.created, timezone.now(), depth=1)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # inquiries come from people, through the site

    def has_change_permission(self, request: HttpRequest, obj: Inquiry | None = None) -> bool:
        return False  # states change through the workflow only (reopen has its own view)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        inquiry = self.get_object(request, unquote(object_id))
        context = dict(extra_context or {})
        if inquiry is not None and self.has_view_permission(request, inquiry):
            context.update(self._detail(request, inquiry))
        return super().change_view(request, object_id, form_url, context)

    def _detail(self, request: HttpRequest, inquiry: Inquiry) -> dict[str, Any]:
        """The history for everybody who may see the inquiry; the personal data (audited)
        and the desk's answer link only for the coordination desk."""
        user = request.user
        personal = None
        if request.method == "GET" and user.has_perm(PERSONAL):
            personal = staff.personal_data(inquiry, user, config())
        answer_url = ""
        if personal is not None and inquiry.status in OPEN:
            token = answer_token(inquiry.reference, inquiry.provider_id, "desk")
            answer_url = ANSWER_PATH.format(token=token)
        return {
            "history": list(inquiry.events.all()),
            "personal": personal,
            "may_see_personal": user.has_perm(PERSONAL),
            "answer_url": answer_url,
            "reopen_url": (
                reverse("admin:api_inquiry_reopen", args=[inquiry.pk])
                if user.has_perm(REOPEN) and inquiry.status in CLOSED and not inquiry.purged_at
                else ""
            ),
        }

    def get_urls(self) -> list[URLPattern]:
        reopen = path(
            "<path:object_id>/reopen/",
            self.admin_site.admin_view(self.reopen_view),
            name="api_inquiry_reopen",
        )
        return [reopen, *super().get_urls()]

    def reopen_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Reopen a closed inquiry with a note (the desk, staff with the permission)."""
        if not request.user.has_perm(REOPEN):
            raise PermissionDenied
        inquiry = self.get_object(request, unquote(object_id))
        if inquiry is None:
            raise Http404("no such inquiry")
        error = ""
        if request.method == "POST":
            try:
                staff.reopen(
                    inquiry.pk, request.POST.get("note", "")[:5000], request.user, config()
                )
            except InquiryError as exc:
                error = str(exc)
            else:
                messages.success(request, f"Die Anfrage {inquiry.reference} ist wieder geöffnet.")
                change = reverse("admin:api_inquiry_change", args=[inquiry.pk])
                return HttpResponseRedirect(change)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "inquiry": inquiry,
            "error": error,
            "title": f"Anfrage {inquiry.reference} wieder öffnen",
        }
        return TemplateResponse(request, "admin/api/inquiry/reopen.html", context)

    def delete_model(self, request: HttpRequest, obj: Inquiry) -> None:
        """An inquiry opened by mistake: deleted with its history, the audit entry stays."""
        staff.delete(obj.pk, request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Inquiry]) -> None:
        for pk in list(queryset.values_list("pk", flat=True)):
            staff.delete(pk, request.user)


@admin.register(InquiryAudit)
class InquiryAuditAdmin(ReadOnlyAdmin, AuditModelAdmin):
    """The audit log: who saw or did what with which inquiry, when. Append-only."""

    list_display = ("at", "username", "action", "reference", "detail")
    list_filter = ("action", ("at", admin.DateFieldListFilter))
    search_fields = ("reference", "username")
    date_hierarchy = "at"
    fields = ("at", "username", "user", "action", "reference", "inquiry", "detail")
    readonly_fields = fields
    list_per_page = 100
