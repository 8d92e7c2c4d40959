"""The provider's answer page ``/antwort/<token>``, the link in the provider's mail.

No account: the signed link is the provider's key. Opening it shows the inquiry (decrypted
by the workflow's cipher) and marks it read — once, as ``GET /api/v1/inquiries/provider/``
does, through the same :func:`directory.inquiry_answers.open_inquiry`, so a mail scanner
opening it first is harmless. The answers (reply, accept, decline with a reason, forward,
done) post to the page and go through :func:`directory.inquiry_answers.answer`, the API's
function. Forwarding takes another provider's id, or words to search the directory for one;
the search shows candidates, each with its own "forward here" button.

A link that is not ours is a 404 page, one that expired or was forwarded away a 410 page —
never a 500. After an answer the page redirects (303) to itself, so a reload does nothing;
after a forward the link no longer works, so the confirmation is shown directly.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from api.context import searcher
from api.inquiry_intake import config
from api.ratelimit import throttle_page
from api.search_models import SearchParams
from api.web import i18n
from api.web.frame import begin_page, finish_page
from api.web.inquiry_pages import field_error, link_problem, personal, timeline
from directory import inquiry_answers as provider_side
from directory.errors import IllegalTransition, InquiryError, InquiryLinkExpired, InquiryLinkInvalid
from directory.inquiries import find
from directory.inquiry_fields import NOTE_MAX
from directory.inquiry_models import DeclineReason, Inquiry
from directory.inquiry_states import Action, Status, allowed_actions
from directory.models import ServiceAtLocation
from indexer.errors import SearchUnavailable

_ACTIONS = {"reply": Action.REPLY, "accept": Action.ACCEPT, "decline": Action.DECLINE,
            "forward": Action.FORWARD, "done": Action.COMPLETE}  # fmt: skip
_LINK_ERRORS = (InquiryLinkInvalid, InquiryLinkExpired)


def _candidates(words: str, current: str, lang: str) -> list[dict[str, Any]]:
    """Providers of the directory matching ``words`` (by id first), to forward to."""
    words = words.strip()[:200]
    if ServiceAtLocation.objects.filter(id=words[:32]).exclude(id=current).exists():
        return [{"id": words[:32], "name": ServiceAtLocation.objects.get(id=words[:32]).name}]
    try:
        _, _, response = searcher().answer(SearchParams(q=words, size=20, lang=lang))  # type: ignore[arg-type]
    except SearchUnavailable:
        return []
    ids = [hit.id for hit in response.hits if hit.id != current]
    known = set(ServiceAtLocation.objects.filter(id__in=ids).values_list("id", flat=True))
    return [{"id": h.id, "name": h.name} for h in response.hits if h.id in known][:8]


def _page(
    request: HttpRequest,
    token: str,
    inquiry: Inquiry,
    extra: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    lang, explicit = i18n.choose(request)
    context = begin_page(request, lang)
    t = context["t"]
    link = provider_side.check_link(token, config(), timezone.now())
    allowed: set[Action] = set()
    if inquiry.provider_id == link.provider_id:
        allowed = set(allowed_actions(Status(inquiry.status), provider_side.actor_of(link)))
    open_ = config().cipher.open
    context.update(timeline(inquiry, config(), t, lang))
    context.update(
        {
            "inquiry": inquiry,
            "token": token,
            "message": open_(inquiry.message_sealed),
            "contact": {
                "name": open_(inquiry.name_sealed),
                "email": open_(inquiry.contact_email_sealed),
                "phone": open_(inquiry.contact_phone_sealed),
                "times": open_(inquiry.contact_times_sealed),
            },
            "language_name": i18n.ENDONYMS.get(inquiry.language, inquiry.language),
            "can": {name for name, action in _ACTIONS.items() if action in allowed},
            "reasons": [(r, t.get(f"reason_{r}", r)) for r in DeclineReason.values],
            "saved": request.GET.get("ok") == "1",
            "errors": {},
            "candidates": None,
            "note_max": NOTE_MAX,
            **(extra or {}),
        }
    )
    response = render(request, "web/answer.html", context, status=status)
    return personal(finish_page(request, response, lang, explicit))


@throttle_page
def answer_page(request: HttpRequest, token: str) -> HttpResponse:
    """Show the inquiry; the first opening marks it read."""
    lang, explicit = i18n.choose(request)
    try:
        inquiry = provider_side.open_inquiry(token, config())
        return _page(request, token, inquiry)
    except _LINK_ERRORS as exc:
        return link_problem(request, lang, explicit, exc)


@require_POST
@throttle_page
def answer_post(request: HttpRequest, token: str) -> HttpResponse:
    """Apply one answer; a refusal shows the page again, next to the action's form."""
    lang, explicit = i18n.choose(request)
    t = i18n.strings(lang)
    action = request.POST.get("action", "")
    post = {k: request.POST.get(k, "")[: NOTE_MAX * 2] for k in ("text", "reason")}
    target = request.POST.get("provider_id", "").strip()[:32]
    try:
        link = provider_side.check_link(token, config(), timezone.now())
        if action == "forward" and not target:
            words = request.POST.get("provider_query", "")
            found = _candidates(words, link.provider_id, lang) if words.strip() else []
            extra = {"candidates": found, "query": words[:200]}
            return _page(request, token, find(link.reference), extra)
        if action not in _ACTIONS:
            return _page(request, token, find(link.reference), status=400)
        provider_side.answer(
            token,
            action,  # type: ignore[arg-type]  # checked against _ACTIONS just above
            config(),
            text=post["text"] or None,
            reason=post["reason"] or None,
            provider_id=target or None,
        )
    except _LINK_ERRORS as exc:
        return link_problem(request, lang, explicit, exc)
    except IllegalTransition:
        return _page(request, token, find(link.reference), _error(action, t["inq_err_state"]), 409)
    except InquiryError as exc:
        message = field_error(exc, t)[1]
        return _page(request, token, find(link.reference), _error(action, message), 422)
    if action == "forward":
        context = begin_page(request, lang)
        response = render(request, "web/answer_forwarded.html", context)
        return personal(finish_page(request, response, lang, explicit))
    url = reverse("web:answer", args=[token])
    return HttpResponseRedirect(f"{url}?ok=1&lang={lang}", status=303)


def _error(action: str, message: str) -> dict[str, Any]:
    return {"errors": {action: message}}
