"""The editors' side of the confirmation cycle, in the Django admin.

*Change proposals (review queue)* lists the providers' proposals, open ones first; opening
one shows it field by field (when proposed → now → proposed), with approve all, approve
the ticked fields, or reject with a note (:mod:`directory.proposals`). A field an editor
changed after the proposal is marked as a conflict and only written when ticked.
*Confirmation requests* lists every round of the cycle, with an action that revokes their
links; *entries that need checking* are the flagged ones.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from directory.confirmation_models import (
    ChangeProposal,
    ConfirmationRequest,
    NeedsChecking,
    ProposalState,
    RequestState,
)
from directory.confirmations import revoke
from directory.errors import ProposalConflict, ProposalInvalid
from directory.proposals import approve, diff, reject


@admin.register(ChangeProposal)
class ChangeProposalAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("entry_id", "created", "state", "changed_fields", "reviewed_by")
    list_filter = ("state",)
    search_fields = ("entry_id",)
    ordering = ("state", "created")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # proposals come from the providers' page only

    @admin.display(description="changed fields")
    def changed_fields(self, proposal: ChangeProposal) -> str:
        return ", ".join(sorted(proposal.changes))

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:  # fmt: skip
        """The review page instead of a form: the diff and the three decisions."""
        proposal = get_object_or_404(ChangeProposal, pk=object_id)
        if request.method == "POST" and self.has_change_permission(request, proposal):
            self._decide(request, proposal)
            return HttpResponseRedirect(request.path)
        rows = diff(proposal)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Review the proposal for {proposal.entry_id}",
            "opts": self.model._meta,
            "proposal": proposal,
            "rows": rows,
            "conflicts": [row["field"] for row in rows if row["conflict"]],
            "open": proposal.state == ProposalState.OPEN,
        }
        return TemplateResponse(request, "admin/api/changeproposal/review.html", context)

    def _decide(self, request: HttpRequest, proposal: ChangeProposal) -> None:
        editor = request.user.get_username()
        try:
            if "reject" in request.POST:
                reject(proposal, editor, request.POST.get("note", ""))
                self.message_user(request, "Proposal rejected.", messages.SUCCESS)
                return
            fields = None if "approve_all" in request.POST else request.POST.getlist("fields")
            if fields == []:
                self.message_user(request, "Tick at least one field.", messages.WARNING)
                return
            changed = approve(proposal, editor, fields)
            self.message_user(request, f"Approved; {len(changed)} record(s) re-indexed.")
        except ProposalConflict as exc:
            self.message_user(
                request, f"Not approved: {exc}. Tick the fields you want.", messages.ERROR
            )
        except ProposalInvalid as exc:
            self.message_user(request, f"Not approved: {exc}", messages.ERROR)


@admin.action(description="Revoke the links of these requests", permissions=["change"])
def revoke_links(
    modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[Any]
) -> None:
    count = revoke(queryset)
    modeladmin.message_user(request, f"{count} link(s) revoked.", messages.SUCCESS)


@admin.register(ConfirmationRequest)
class ConfirmationRequestAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("entry_id", "service", "state", "created", "last_sent", "reminders",
                    "answered_at", "paused_until")  # fmt: skip
    list_filter = ("state",)
    search_fields = ("entry_id", "service__name")
    readonly_fields = ("service", "entry_id", "state", "created", "last_sent", "reminders",
                       "answered_at", "paused_until")  # fmt: skip
    exclude = ("nonce",)
    actions = (revoke_links,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the periodic task starts them


@admin.register(NeedsChecking)
class NeedsCheckingAdmin(ConfirmationRequestAdmin):
    """Entries whose provider answered neither the request nor two reminders."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).filter(state=RequestState.FLAGGED)
