"""The partner widget's pages: the demo, and the widget's own strings.

The demo is one ``<script>`` tag turning an input into autocomplete, embedded as a partner
portal would embed it, so partners can see it work before they copy it (and the browser
tests have a page to drive it on).

The widget (``static/sozialatlas-widget.js``) runs on partner pages, so its strings come as
plain JSON from :func:`widget_text` rather than Django's ``JavaScriptCatalog``: that script
would define a global ``django`` on a page that is not ours (and may have its own), and
choosing a plural form in the browser means evaluating the catalogue's formula as code,
which a strict Content-Security-Policy forbids. The counted status line is therefore sent
already chosen for every number of suggestions the API can return.
"""

from __future__ import annotations

from typing import cast

from annotated_types import Le
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from api.routers.suggest import SuggestParams
from api.web import i18n
from api.web.frame import begin_page, finish_page

WIDGET_KEYS = ("suggestions", "suggestion_category", "suggestion_provider", "no_suggestions")
# The most suggestions one answer holds: the status line is sent for 0 up to this many.
_LIMIT = SuggestParams.model_fields["limit"].metadata
MAX_SUGGESTIONS = next(cast(int, rule.le) for rule in _LIMIT if isinstance(rule, Le))
TEXT_MAX_AGE = 3600  # the strings change with a deployment only


def widget_demo(request: HttpRequest) -> HttpResponse:
    lang, explicit = i18n.choose(request)
    context = begin_page(request, lang)
    # A partner key is public by design (it sits in the partner's page); without one the
    # widget is an anonymous caller of the suggest endpoint.
    context["partner_key"] = request.GET.get("key", "")[:100]
    return finish_page(request, render(request, "web/widget_demo.html", context), lang, explicit)


def widget_text(request: HttpRequest) -> JsonResponse:
    """The widget's strings in ``?lang=`` (German for a language the site does not speak).

    The answer names the language it is in, which the widget then asks suggestions in.
    Like the widget script itself (WhiteNoise serves static files to any origin), these are
    public words without credentials, so any partner origin may read them.
    """
    asked = request.GET.get("lang", "")
    lang = asked if asked in i18n.LANGUAGES else i18n.DEFAULT
    t = i18n.strings(lang)
    body: dict[str, object] = {"lang": lang, "dir": i18n.direction(lang)}
    body.update({key: t[key] for key in WIDGET_KEYS})
    body["suggestions_count"] = [
        i18n.counted(lang, "suggestions_count", n) for n in range(MAX_SUGGESTIONS + 1)
    ]
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = f"public, max-age={TEXT_MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    response["Content-Language"] = lang
    return response
