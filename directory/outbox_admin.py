"""Outgoing mail in the staff admin (``/admin/api/outboundmail/``): the operators' view.

Operators see every mail's kind, state, attempts and last error (an SMTP code and an
exception's name, never an address), filter the failed ones and send them again once the
cause is fixed (a relay password, a full mailbox) — each retry audited. Recipient and body
are personal data: they are neither listed nor shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from directory import inquiry_staff as staff
from directory.admin_readonly import ReadOnlyAdmin
from directory.inquiry_models import OutboundMail

RETRY = "api.retry_outboundmail"
SHOWN = (
    "message_id",
    "kind",
    "state",
    "attempts",
    "last_error",
    "next_attempt_at",
    "created",
    "sent_at",
    "inquiry",
)

if TYPE_CHECKING:  # Django's ModelAdmin is generic in its stubs only
    MailModelAdmin = admin.ModelAdmin[OutboundMail]
else:
    MailModelAdmin = admin.ModelAdmin


@admin.register(OutboundMail)
class OutboundMailAdmin(ReadOnlyAdmin, MailModelAdmin):
    list_display = (
        "id",
        "kind",
        "state",
        "attempts",
        "last_error",
        "created",
        "sent_at",
        "reference",
    )
    list_filter = ("state", "kind")
    search_fields = ("message_id", "inquiry__reference")
    ordering = ("-id",)
    fields = SHOWN
    readonly_fields = SHOWN
    actions = ("retry",)
    list_select_related = ("inquiry",)

    @admin.display(description="Anfrage", ordering="inquiry__reference")
    def reference(self, mail: OutboundMail) -> str:
        return mail.inquiry.reference if mail.inquiry is not None else "–"

    @admin.action(description="Fehlgeschlagene E-Mails erneut senden", permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboundMail]) -> None:
        wanted = list(queryset.values_list("pk", flat=True))
        revived = staff.retry_mails(wanted, request.user)
        messages.success(request, f"{len(revived)} E-Mail(s) werden erneut gesendet.")
        if len(revived) < len(wanted):
            messages.warning(
                request,
                f"{len(wanted) - len(revived)} nicht erneut gesendet: nicht fehlgeschlagen, "
                "oder ihr Inhalt ist schon gelöscht.",
            )

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(RETRY)
