"""The "Ask this service" form on the provider page, and the view its POST goes to.

The form works without JavaScript: it posts to ``/p/<id>/anfrage``, which calls
:func:`api.inquiry_intake.submit_inquiry` — the very function behind
``POST /api/v1/inquiries`` — so the page has the API's spam guards, limits and rules, no
weaker copy of them. A refusal shows the provider page again with the person's input and
each field's message in the page's language; success redirects (303) to the private
tracking page, so a reload cannot send the inquiry twice. Every refused field is named at
once, each with its message.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST
from ninja.errors import Throttled

from api.inquiry_guard import SpamSuspected, form_token
from api.inquiry_intake import submit_inquiry
from api.ratelimit import throttle_page
from api.web import i18n
from api.web.inquiry_pages import field_errors
from directory.errors import InquiryInvalid, UnknownProvider
from directory.inquiry_fields import MESSAGE_MAX, NAME_MAX, TIMES_MAX, Draft

FIELDS = ("message", "contact_email", "contact_phone", "contact_times", "language", "name")
_SPAM = {"honeypot": "inq_err_honeypot", "too_fast": "inq_err_too_fast"}
# The provider reads the mail in German; "call me back" is said to it in its language.
CALLBACK = "Bitte zurückrufen"


def blank_form(lang: str) -> dict[str, Any]:
    """A fresh form: the page's language preselected, a newly signed form token."""
    return form_context({"language": lang}, {}, lang)


def form_context(values: dict[str, Any], errors: dict[str, str], lang: str) -> dict[str, Any]:
    """What ``web/_inquiry_form.html`` needs; every render gets a new form token."""
    chosen = values.get("language") or lang
    return {
        "values": values,
        "errors": errors,
        "token": form_token(),
        "limits": {"message": MESSAGE_MAX, "name": NAME_MAX, "times": TIMES_MAX},
        "languages": [
            {"code": code, "name": i18n.ENDONYMS[code], "selected": code == chosen}
            for code in i18n.LANGUAGES
        ],
    }


def _draft(provider_id: str, values: dict[str, Any]) -> Draft:
    times = values["contact_times"].strip()
    if values["callback"]:
        times = f"{CALLBACK}: {times}" if times else CALLBACK
    return Draft(
        provider_id=provider_id,
        message=values["message"],
        contact_email=values["contact_email"] or None,
        contact_phone=values["contact_phone"] or None,
        contact_times=times or None,
        language=values["language"] or "de",
        name=values["name"] or None,
        consent=values["consent"],
    )


@require_POST
@throttle_page
def inquiry_submit(request: HttpRequest, provider_id: str) -> HttpResponse:
    """Send the inquiry and go to its tracking page; on a refusal show the form again."""
    from api.web.provider import render_provider  # the page imports this module

    lang, explicit = i18n.choose(request)
    t = i18n.strings(lang)
    values: dict[str, Any] = {name: request.POST.get(name, "")[:5000] for name in FIELDS}
    values["callback"] = request.POST.get("callback") == "on"
    values["consent"] = request.POST.get("consent") == "on"
    errors: dict[str, str] = {}
    status = 422
    try:
        submitted = submit_inquiry(
            request,
            _draft(provider_id[:32], values),
            request.POST.get("website"),
            request.POST.get("form_token", "")[:100],
        )
    except InquiryInvalid as exc:
        for field, message in field_errors(exc, t).items():
            errors[field if field in (*FIELDS, "consent") else "form"] = message
    except UnknownProvider:
        return render_provider(request, provider_id, status=404)
    except SpamSuspected as exc:
        errors["form"], status = t[_SPAM.get(exc.reason, "inq_err_form")], 400
    except Throttled:
        errors["form"], status = t["inq_err_busy"], 429
    else:
        target = reverse("web:tracking", args=[submitted.tracking_token])
        return HttpResponseRedirect(f"{target}?sent=1&lang={lang}", status=303)
    form = form_context(values, errors, lang)
    return render_provider(request, provider_id, form=form, status=status, explicit=explicit)
