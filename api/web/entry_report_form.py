"""The "Something wrong with this entry?" form on the provider page, and its POST view.

Works without JavaScript: it posts to ``/p/<id>/fehler``, which calls
:func:`api.report_intake.submit_report` — the function behind
``POST /api/v1/providers/{id}/reports`` — so the page has the API's guards and limits. A
refusal shows the page again with the input kept and the message in the page's language
(429 with ``Retry-After`` when the limits are reached); success redirects (303) to the page
with a thank-you note, so a reload does not send the report twice.
"""

from __future__ import annotations

import math
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST
from ninja.errors import Throttled

from api.inquiry_guard import SpamSuspected, form_token
from api.ratelimit import throttle_page
from api.report_intake import submit_report
from api.web import i18n
from directory.entry_models import ReportKind
from directory.entry_reports import NOTE_MAX
from directory.errors import ReportInvalid, UnknownEntry

SENT = "gemeldet"  # query parameter of the page after a report was filed
_SPAM = {"honeypot": "inq_err_honeypot", "too_fast": "inq_err_too_fast"}


def report_form(
    t: dict[str, str],
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    sent: bool = False,
) -> dict[str, Any]:
    """What ``web/_entry_report_form.html`` needs; every render gets a new form token."""
    values = values or {}
    return {
        "values": values,
        "errors": errors or {},
        "sent": sent,
        "token": form_token(),
        "limit": NOTE_MAX,
        "kinds": [
            {"value": kind, "label": t[f"rep_kind_{kind}"], "checked": values.get("kind") == kind}
            for kind in ReportKind.values
        ],
    }


@require_POST
@throttle_page
def report_submit(request: HttpRequest, provider_id: str) -> HttpResponse:
    """File the report and show the page with thanks; on a refusal show the form again."""
    from api.web.provider import render_provider  # the page imports this module

    lang, explicit = i18n.choose(request)
    t = i18n.strings(lang)
    values = {
        "kind": request.POST.get("kind", "")[:20],
        "note": request.POST.get("note", "")[: NOTE_MAX * 2],
    }
    errors: dict[str, str] = {}
    status, wait = 422, None
    try:
        submit_report(
            request,
            provider_id,
            values["kind"],
            values["note"],
            request.POST.get("website"),
            request.POST.get("form_token", "")[:100],
            language=lang,
            web=True,
        )
    except ReportInvalid as exc:
        field = exc.field if exc.field in ("kind", "note") else "form"
        errors[field] = t["rep_err_kind"] if field == "kind" else t["inq_err_too_long"]
    except UnknownEntry:
        return render_provider(request, provider_id, status=404)
    except SpamSuspected as exc:
        errors["form"], status = t[_SPAM.get(exc.reason, "inq_err_form")], 400
    except Throttled as exc:
        errors["form"], status, wait = t["rep_err_busy"], 429, exc.wait
    else:
        target = reverse("web:provider", args=[provider_id[:32]])
        return HttpResponseRedirect(f"{target}?{SENT}=1&lang={lang}#entry-report", status=303)
    form = report_form(t, values, errors)
    response = render_provider(request, provider_id, report=form, status=status, explicit=explicit)
    if wait:
        response["Retry-After"] = str(math.ceil(wait))
    return response
