"""OpenSearch: browsers offer the site's search in their address bar, with suggestions.

``/opensearch.xml`` describes the search (the search page's URL template) and where the
suggestions come from; the pages link to it (``<link rel="search">`` in ``base.html``).
Browsers want suggestions in the OpenSearch shape ``[query, [completions]]``
(``application/x-suggestions+json``), not our API's objects, so ``/opensearch/suggest`` is a
thin adapter over ``GET /api/v1/suggest``: the same cleaning, answer cache and search log.
"""

from __future__ import annotations

import json
from typing import cast

from annotated_types import MaxLen
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from api.ratelimit import throttle_page
from api.routers.suggest import SuggestParams, suggest_endpoint
from api.web import i18n
from configuration.languages import UiLanguage
from indexer.errors import IndexMissing, SearchUnavailable

DESCRIPTION_TYPE = "application/opensearchdescription+xml; charset=utf-8"
SUGGESTIONS_TYPE = "application/x-suggestions+json; charset=utf-8"
SHORT_NAME_LENGTH = 16  # the OpenSearch 1.1 limit of <ShortName>
# The longest prefix the API accepts; a longer address-bar text is cut, not refused.
MAX_PREFIX = next(
    rule.max_length for rule in SuggestParams.model_fields["q"].metadata if isinstance(rule, MaxLen)
)
SUGGESTIONS = 8  # what an address bar shows
MAX_AGE = 24 * 3600  # the description changes only with a deployment


def _short_name(title: str) -> str:
    """The title, cut at a word to fit ``<ShortName>`` ("Sozialatlas Chemnitz" → "Sozialatlas")."""
    if len(title) <= SHORT_NAME_LENGTH:
        return title
    cut = title[: SHORT_NAME_LENGTH + 1].rsplit(" ", 1)[0]
    return cut if len(cut) <= SHORT_NAME_LENGTH else title[:SHORT_NAME_LENGTH]


def opensearch_description(request: HttpRequest) -> HttpResponse:
    lang, _ = i18n.choose(request)
    t = i18n.strings(lang)
    search_url = request.build_absolute_uri(reverse("web:search"))
    context = {
        "short_name": _short_name(t["site_title"]),
        "description": t["site_title"],
        "lang": lang,
        "search_template": f"{search_url}?q={{searchTerms}}",
        "suggest_template": request.build_absolute_uri(reverse("web:opensearch-suggest"))
        + "?q={searchTerms}",
        "self_url": request.build_absolute_uri(reverse("web:opensearch")),
        "search_form": search_url,
    }
    response = render(request, "web/opensearch.xml", context, content_type=DESCRIPTION_TYPE)
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response["Vary"] = "Cookie, Accept-Language"
    return response


@throttle_page
def opensearch_suggestions(request: HttpRequest) -> HttpResponse:
    """``[query, [completions]]`` for what the browser's address bar holds so far."""
    query = request.GET.get("q", "")
    prefix = query.strip()[:MAX_PREFIX]
    completions: list[str] = []
    status = 200
    if prefix:
        lang, _ = i18n.choose(request)
        params = SuggestParams(q=prefix, limit=SUGGESTIONS, lang=cast(UiLanguage, lang))
        try:
            answer = suggest_endpoint(request, params)
        except (SearchUnavailable, IndexMissing):
            status = 503  # the browser shows no suggestions; the search itself still answers
        else:
            completions = list(dict.fromkeys(s.text for s in answer.suggestions))
    body = json.dumps([query, completions])  # ASCII: \u escapes survive any odd input
    response = HttpResponse(body, content_type=SUGGESTIONS_TYPE, status=status)
    response["Cache-Control"] = "no-store"
    return response
