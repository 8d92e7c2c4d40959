"""The privacy notice the inquiry form's consent links to: what is passed on, to whom, and
for how long it is kept (the retention period is the configured one, not a copy of it)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from api.inquiry_intake import config
from api.web import i18n
from api.web.frame import begin_page, finish_page


def privacy_page(request: HttpRequest) -> HttpResponse:
    lang, explicit = i18n.choose(request)
    context = begin_page(request, lang)
    context["storage"] = context["t"]["privacy_storage"] % {"days": config().retention_days}
    return finish_page(request, render(request, "web/privacy.html", context), lang, explicit)
