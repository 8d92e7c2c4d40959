"""The provider's self-service page ``/eintrag/<token>``, the link in the confirmation mail.

No account: the signed link is the key (:mod:`directory.confirmations`). Opening the page
changes nothing (a mail scanner may open it first); it shows the entry pre-filled with
three answers, each a plain form (no JavaScript): "still correct", "propose changes" (a
proposal for the editors, validated like an import, messages next to each field), and
"closed / paused until". After an answer the page redirects (303) to itself with a
thank-you, so a reload does nothing. A link that is not ours is a 404 page, an expired or
revoked one a 410 page — never a 500. Rate-limited like every public page.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, translation
from django.views.decorators.http import require_POST

from api.ratelimit import throttle_page
from api.web import i18n
from api.web.frame import begin_page, finish_page
from api.web.inquiry_pages import personal
from directory.confirm_config import ConfirmConfig
from directory.confirmation_models import ConfirmationRequest
from directory.confirmations import close, confirm, propose_changes
from directory.confirmations import read_link as read_confirm_link
from directory.errors import ConfirmLinkExpired, ConfirmLinkInvalid, ProposalInvalid
from directory.proposals import EDITABLE, LISTS, current_fields, form_values
from directory.service_models import Cost

TEXT_MAX = 20_000  # the longest field (description); anything longer is cut before cleaning
_LABELS = {"name": "conf_f_name", "description": "conf_f_description", "phone": "inq_phone",
           "email": "inq_email", "website": "website", "street": "conf_f_street",
           "postal_code": "conf_f_postal_code", "city": "conf_f_city", "district": "district",
           "opening_hours_text": "hours", "languages": "conf_f_languages",
           "wheelchair": "wheelchair", "cost": "facet_cost",
           "target_groups": "conf_f_target_groups", "categories": "conf_f_categories"}  # fmt: skip
_ERRORS = {"name": "conf_err_name", "phone": "conf_err_phone", "email": "conf_err_email",
           "website": "conf_err_website", "languages": "conf_err_list",
           "categories": "conf_err_list", "until": "conf_err_date"}  # fmt: skip
_DONE = {"confirmed", "proposed", "closed", "paused", "unchanged"}


def config() -> ConfirmConfig:
    value: ConfirmConfig = settings.CONFIRMATIONS
    return value


def _problem(request: HttpRequest, lang: str, explicit: bool, exc: Exception) -> HttpResponse:
    context = begin_page(request, lang)
    t = context["t"]
    expired = isinstance(exc, ConfirmLinkExpired)
    context["problem_title"] = t[
        "conf_link_expired_title" if expired else "conf_link_invalid_title"
    ]
    context["problem_text"] = t["conf_link_expired" if expired else "conf_link_invalid"]
    response = render(request, "web/inquiry_gone.html", context, status=410 if expired else 404)
    return personal(finish_page(request, response, lang, explicit))


def _page(
    request: HttpRequest,
    token: str,
    link: ConfirmationRequest,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    lang, explicit = i18n.choose(request)
    context = begin_page(request, lang)
    t = context["t"]
    shown = values or form_values(current_fields(link.entry_id))
    done = request.GET.get("ok", "")
    until = request.GET.get("until", "")
    context.update({
        "token": token,
        "entry_id": link.entry_id,
        "fields": [{"name": key, "label": t[_LABELS[key]], "value": shown.get(key),
                    "error": (errors or {}).get(key, ""),
                    "multiline": key in ("description", *LISTS)} for key in EDITABLE],
        "costs": [("", t["conf_cost_none"])] + [(c, t[f"cost_{c}"]) for c in Cost.values],
        "errors": errors or {},
        "done": done if done in _DONE else "",
        "paused_text": t["conf_paused_done"] % {"date": _day(until, lang)} if until else "",
    })  # fmt: skip
    response = render(request, "web/confirm.html", context, status=status)
    return personal(finish_page(request, response, lang, explicit))


def _day(text: str, lang: str) -> str:
    try:
        with translation.override(lang):
            return formats.date_format(date.fromisoformat(text), "DATE_FORMAT")
    except ValueError:
        return ""


@throttle_page
def confirm_page(request: HttpRequest, token: str) -> HttpResponse:
    """Show the entry and the three answers; opening it changes nothing."""
    lang, explicit = i18n.choose(request)
    try:
        link = read_confirm_link(token[:400], config())
        return _page(request, token, link)
    except (ConfirmLinkInvalid, ConfirmLinkExpired, ProposalInvalid) as exc:
        return _problem(request, lang, explicit, exc)


@require_POST
@throttle_page
def confirm_post(request: HttpRequest, token: str) -> HttpResponse:
    """Apply one answer; a refused proposal shows the form again with the messages."""
    lang, explicit = i18n.choose(request)
    t = i18n.strings(lang)
    action = request.POST.get("action", "")
    try:
        link = read_confirm_link(token[:400], config())
    except (ConfirmLinkInvalid, ConfirmLinkExpired) as exc:
        return _problem(request, lang, explicit, exc)
    extra = ""
    if action == "confirm":
        confirm(link)
        done = "confirmed"
    elif action == "close":
        raw = request.POST.get("until", "").strip()[:10]
        paused = request.POST.get("kind") == "paused"
        try:
            until = date.fromisoformat(raw) if paused else None
            if paused and until is None:
                raise ValueError(raw)
            close(link, until)
        except (ValueError, ProposalInvalid):
            return _page(request, token, link, errors={"until": t["conf_err_date"]}, status=422)
        done, extra = ("paused", f"&until={raw}") if paused else ("closed", "")
    elif action == "propose":
        form: dict[str, Any] = {k: request.POST.get(k, "")[:TEXT_MAX] for k in EDITABLE}
        form["wheelchair"] = request.POST.get("wheelchair") == "on"
        try:
            done = "proposed" if propose_changes(link, form) else "unchanged"
        except ProposalInvalid as exc:
            message = t[_ERRORS.get(exc.field, "conf_err_field")]
            field = exc.field if exc.field in EDITABLE else "form"
            return _page(request, token, link, form, {field: message}, status=422)
    else:
        return _page(request, token, link, status=400)
    url = reverse("web:confirm", args=[token])
    return HttpResponseRedirect(f"{url}?ok={done}{extra}&lang={lang}", status=303)
