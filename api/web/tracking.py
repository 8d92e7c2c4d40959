"""The person's tracking page ``/anfrage/<token>``: status, history, the provider's reply.

The signed token is the person's only key (no account), so the page is the one place to
write again, withdraw, and — once the provider declined or did not answer in time — send
the same message to a similar service in one click. Similar services come from the search
service (same service type, as the search page finds them); only entries of the directory's
database are offered, because only those can receive an inquiry. A re-send is a new
inquiry through :func:`api.inquiry_intake.submit_inquiry` with the old message and contact,
and needs the consent again, for the new provider, by its own checkbox.

Each POST answers with a redirect (303) to the page, so a reload sends nothing twice; a
refusal shows the page again with the message in the page's language.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST
from ninja.errors import Throttled

from api.context import searcher
from api.inquiry_intake import config, submit_inquiry
from api.ratelimit import enforce, throttle_page
from api.search_models import SearchParams
from api.web import i18n
from api.web.frame import begin_page, finish_page
from api.web.inquiry_pages import field_error, link_problem, personal, timeline
from directory import inquiries as person_side
from directory.errors import IllegalTransition, InquiryError, InquiryLinkExpired, InquiryLinkInvalid
from directory.inquiry_fields import NOTE_MAX, Draft
from directory.inquiry_models import Inquiry
from directory.inquiry_states import Actor, Status, allowed_actions
from directory.inquiry_tokens import read_tracking
from directory.models import ServiceAtLocation
from indexer.errors import SearchUnavailable

RESEND_AFTER = frozenset({Status.DECLINED, Status.EXPIRED})
SIMILAR = 5


def similar_services(inquiry: Inquiry, lang: str) -> list[dict[str, Any]]:
    """Up to five other providers of the same service type that can receive an inquiry."""
    if not inquiry.category:
        return []
    params = SearchParams(category=[inquiry.category], size=20, lang=lang)  # type: ignore[arg-type]
    try:
        _, _, response = searcher().answer(params)
    except SearchUnavailable:
        return []
    ids = [hit.id for hit in response.hits if hit.id != inquiry.provider_id]
    known = set(ServiceAtLocation.objects.filter(id__in=ids).values_list("id", flat=True))
    return [
        {"id": hit.id, "name": hit.name, "district": hit.district or ""}
        for hit in response.hits
        if hit.id in known
    ][:SIMILAR]


def _page(
    request: HttpRequest, token: str, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    lang, explicit = i18n.choose(request)
    try:
        inquiry = person_side.find(read_tracking(token))
    except (InquiryLinkInvalid, InquiryLinkExpired) as exc:
        return link_problem(request, lang, explicit, exc)
    context = begin_page(request, lang)
    t = context["t"]
    actions = {str(a) for a in allowed_actions(Status(inquiry.status), Actor.PERSON)}
    offer = inquiry.status in RESEND_AFTER
    context.update(timeline(inquiry, config(), t, lang))
    context.update(
        {
            "inquiry": inquiry,
            "token": token,
            "sent": request.GET.get("sent") == "1",
            "can_write": "message" in actions,
            "can_withdraw": "withdraw" in actions,
            "offer": offer,
            "similar": similar_services(inquiry, lang) if offer else [],
            "errors": errors or {},
            "note_max": NOTE_MAX,
        }
    )
    response = render(request, "web/tracking.html", context, status=status)
    return personal(finish_page(request, response, lang, explicit))


@throttle_page
def tracking_page(request: HttpRequest, token: str) -> HttpResponse:
    return _page(request, token)


def _back(token: str, request: HttpRequest) -> HttpResponse:
    lang, _ = i18n.choose(request)
    return HttpResponseRedirect(f"{reverse('web:tracking', args=[token])}?lang={lang}", status=303)


def _refused(request: HttpRequest, token: str, where: str, exc: Exception) -> HttpResponse:
    """The page again with the refusal next to the form it came from."""
    t = i18n.strings(i18n.choose(request)[0])
    if isinstance(exc, (InquiryLinkInvalid, InquiryLinkExpired)):
        return link_problem(request, *i18n.choose(request), exc)
    if isinstance(exc, IllegalTransition):
        return _page(request, token, {where: t["inq_err_state"]}, status=409)
    if isinstance(exc, Throttled):
        return _page(request, token, {where: t["inq_err_busy"]}, status=429)
    assert isinstance(exc, InquiryError)
    return _page(request, token, {where: field_error(exc, t)[1]}, status=422)


@require_POST
@throttle_page
def tracking_message(request: HttpRequest, token: str) -> HttpResponse:
    """The person writes again (the API's ``POST /inquiries/{token}/messages``)."""
    try:
        reference = read_tracking(token)
        enforce("inquiry-message", reference, settings.RATE_LIMIT_INQUIRY_CLIENT)
        person_side.add_message(reference, request.POST.get("text", "")[: NOTE_MAX * 2], config())
    except (InquiryError, Throttled) as exc:
        return _refused(request, token, "message", exc)
    return _back(token, request)


@require_POST
@throttle_page
def tracking_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    try:
        person_side.withdraw(read_tracking(token), None, config())
    except InquiryError as exc:
        return _refused(request, token, "withdraw", exc)
    return _back(token, request)


@require_POST
@throttle_page
def tracking_resend(request: HttpRequest, token: str) -> HttpResponse:
    """The same message and contact to another provider: a new inquiry, a new tracking page."""
    where = "resend"
    try:
        old = person_side.find(read_tracking(token))
        if old.status not in RESEND_AFTER:
            raise IllegalTransition("resend", old.status)
        open_ = config().cipher.open
        draft = Draft(
            provider_id=request.POST.get("provider_id", "")[:32],
            message=open_(old.message_sealed),
            contact_email=open_(old.contact_email_sealed) or None,
            contact_phone=open_(old.contact_phone_sealed) or None,
            contact_times=open_(old.contact_times_sealed) or None,
            language=old.language,
            name=open_(old.name_sealed) or None,
            consent=request.POST.get("consent") == "on",
        )
        submitted = submit_inquiry(request, draft, None, None)
    except (InquiryError, Throttled) as exc:
        return _refused(request, token, where, exc)
    lang, _ = i18n.choose(request)
    target = reverse("web:tracking", args=[submitted.tracking_token])
    return HttpResponseRedirect(f"{target}?sent=1&lang={lang}", status=303)
