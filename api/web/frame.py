"""The frame every public page shares: the language switch and the headers of the answer.

Each page starts with :func:`begin_page` and ends with :func:`finish_page`, so that no page
can forget the language cookie, the ``Vary`` that keeps caches from mixing languages, or
the Content Security Policy.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse

from api.web import i18n

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'self'; frame-ancestors 'none'"
)


def begin_page(request: HttpRequest, lang: str) -> dict[str, Any]:
    """The template context every page starts from: strings, direction, language links."""
    t = i18n.strings(lang)
    rest = {k: v for k, v in request.GET.lists() if k not in ("lang", "partial")}
    switch = []
    for code in i18n.LANGUAGES:
        pairs = [(k, v) for k, values in rest.items() for v in values] + [("lang", code)]
        switch.append(
            {
                "code": code,
                "name": i18n.ENDONYMS[code],
                "url": "?" + urlencode(pairs),
                "current": code == lang,
                "dir": i18n.direction(code),
            }
        )
    return {"t": t, "lang": lang, "dir": i18n.direction(lang), "languages": switch}


def finish_page(
    request: HttpRequest, response: HttpResponse, lang: str, explicit: bool
) -> HttpResponse:
    if explicit:
        response.set_cookie(i18n.COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax")
    response["Content-Language"] = lang
    response["Vary"] = "Cookie, Accept-Language"
    response.setdefault("Content-Security-Policy", CSP)
    return response
