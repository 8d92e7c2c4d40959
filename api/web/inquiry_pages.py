"""What the inquiry pages share: the words for states and steps, errors in the page's
language, the "link does not work" page and the headers of a page with personal data.

The workflow (``directory/inquir*.py``) refuses input with English details that name the
field ("message: at least 10 characters"), written for API clients. A person needs the
reason in their own language next to the field, so :func:`field_error` reads the field and
the kind of refusal from that detail and picks the page string; anything it does not know
still lands on the right field with a general "please check".
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, translation

from api.web.frame import begin_page, finish_page
from directory.errors import InquiryError, InquiryLinkExpired
from directory.inquiry_config import InquiryConfig
from directory.inquiry_models import Inquiry
from directory.inquiry_states import Action
from directory.workdays import CITY_TIME

# Steps whose note is shown as a message (the same set as the API's view).
SHOWN_NOTES = {Action.MESSAGE, Action.REPLY, Action.ACCEPT, Action.DECLINE, Action.COMPLETE,
               Action.WITHDRAW, Action.FORWARD}  # fmt: skip
# (field, words in the detail) -> page string; first match wins, then the field's default.
_KINDS: list[tuple[str, str, str]] = [
    ("message", "at least", "inq_err_message_short"),
    ("message", "links", "inq_err_links"),
    ("contact_email", "or a phone", "inq_err_contact"),
    ("contact_email", "not an e-mail", "inq_err_email"),
    ("text", "needs a text", "inq_err_text"),
    ("provider_id", "no provider", "inq_err_provider"),
]
_DEFAULTS = {
    "consent": "inq_err_consent",
    "contact_phone": "inq_err_phone",
    "language": "inq_err_language",
    "reason": "inq_err_reason",
}


def field_error(exc: InquiryError, t: dict[str, str]) -> tuple[str, str]:
    """(field, message in the page's language) for a refusal of the workflow."""
    detail = str(exc)
    field, _, rest = detail.partition(":")
    field = field.strip() if rest else "form"
    if "provider" in detail and field == "form":  # UnknownProvider carries no field name
        return "provider_id", t["inq_err_provider"]
    for name, words, key in _KINDS:
        if name == field and words in rest:
            return field, t[key]
    if "at most" in rest:
        return field, t["inq_err_too_long"]
    return field, t[_DEFAULTS.get(field, "inq_err_field")]


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
