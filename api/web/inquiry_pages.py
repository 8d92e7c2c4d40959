"""What the inquiry pages share: the words for states and steps, errors in the page's
language, the "link does not work" page and the headers of a page with personal data.

The workflow (``directory/inquir*.py``) refuses input with a code per field; a person needs
the reason in their own language next to the field, so :func:`field_errors` picks each
field's page string through the API's own table (:mod:`api.inquiry_problems`); a code it
does not know still lands on the right field with a general "please check".
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, translation

from api.inquiry_problems import message_key
from api.web.frame import begin_page, finish_page
from directory.errors import InquiryError, InquiryInvalid, InquiryLinkExpired, UnknownProvider
from directory.inquiry_config import InquiryConfig
from directory.inquiry_models import Inquiry
from directory.inquiry_states import Action
from directory.workdays import CITY_TIME

# Steps whose note is shown as a message (the same set as the API's view).
SHOWN_NOTES = {Action.MESSAGE, Action.REPLY, Action.ACCEPT, Action.DECLINE, Action.COMPLETE,
               Action.WITHDRAW, Action.FORWARD}  # fmt: skip


def field_errors(exc: InquiryError, t: dict[str, str]) -> dict[str, str]:
    """Each refused field with its message in the page's language (the API's codes)."""
    if isinstance(exc, UnknownProvider):
        return {"provider_id": t["inq_err_provider"]}
    fields = exc.fields if isinstance(exc, InquiryInvalid) else {}
    if not fields:
        return {"form": t["inq_err_field"]}
    return {field: t[message_key(field, code)] for field, code in fields.items()}


def field_error(exc: InquiryError, t: dict[str, str]) -> tuple[str, str]:
    """The first refused field and its message (forms with one field)."""
    return next(iter(field_errors(exc, t).items()))


def personal(response: HttpResponse) -> HttpResponse:
    """Headers of a page that shows a person's inquiry: the URL is the key to it, so no
    cache keeps it, no search engine lists it and no other site learns it as a referrer.
    ``same-origin``, not ``no-referrer``: with the latter the browser posts the page's forms
    with ``Origin: null``, which Django's CSRF check rightly refuses."""
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


def link_problem(
    request: HttpRequest, lang: str, explicit: bool, exc: InquiryError
) -> HttpResponse:
    """A clear page for a link that is not ours (404) or no longer works (410), never a 500."""
    context = begin_page(request, lang)
    t = context["t"]
    expired = isinstance(exc, InquiryLinkExpired)
    context["problem_title"] = t["inq_link_expired_title" if expired else "inq_link_invalid_title"]
    context["problem_text"] = t["inq_link_expired" if expired else "inq_link_invalid"]
    response = render(request, "web/inquiry_gone.html", context, status=410 if expired else 404)
    return personal(finish_page(request, response, lang, explicit))


def when(value: Any, lang: str) -> str:
    """A time as the page's language writes it, in the city's time zone."""
    with translation.override(lang):
        return formats.date_format(value.astimezone(CITY_TIME), "SHORT_DATETIME_FORMAT")


def timeline(
    inquiry: Inquiry, config: InquiryConfig, t: dict[str, str], lang: str
) -> dict[str, Any]:
    """The history (step, who, when) and the written messages of an inquiry, in words."""
    events = list(inquiry.events.all())
    steps = [
        {
            "at": when(e.at, lang),
            "action": t.get(f"act_{e.action}", e.action),
            "actor": t.get(f"actor_{e.actor}", e.actor),
        }
        for e in events
    ]
    notes = [
        {
            "at": when(e.at, lang),
            "action": t.get(f"act_{e.action}", e.action),
            "actor": t.get(f"actor_{e.actor}", e.actor),
            "mine": e.actor == "person",
            "text": config.cipher.open(e.note_sealed),
        }
        for e in events
        if e.note_sealed and e.action in SHOWN_NOTES
    ]
    reason = inquiry.decline_reason
    return {
        "status_text": t.get(f"status_{inquiry.status}", inquiry.status),
        "steps": steps,
        "notes": notes,
        "reason_text": t.get(f"reason_{reason}", reason) if reason else "",
    }
