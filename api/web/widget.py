"""The widget demo: one ``<script>`` tag turning an input into autocomplete, embedded as a
partner portal would embed it, so partners can see it work before they copy it (and the
browser tests have a page to drive it on).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from api.web import i18n
from api.web.frame import begin_page, finish_page


def widget_demo(request: HttpRequest) -> HttpResponse:
    lang, explicit = i18n.choose(request)
    context = begin_page(request, lang)
    # A partner key is public by design (it sits in the partner's page); without one the
    # widget is an anonymous caller of the suggest endpoint.
    context["partner_key"] = request.GET.get("key", "")[:100]
    return finish_page(request, render(request, "web/widget_demo.html", context), lang, explicit)
