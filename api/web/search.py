"""The search page: server-rendered, enhanced by JS.

It calls the same ``run`` and ``shape`` as ``GET /api/v1/search`` in-process, so a browser
without JavaScript gets exactly the API's results. With ``?partial=1`` only the results
region (facets, hits, pagination) is rendered, for the script to swap in.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from api.context import searcher
from api.ratelimit import throttle_page
from api.search_models import MAX_QUERY, SearchResponse
from api.searchlog import record_search
from api.web import i18n
from api.web.frame import begin_page, finish_page
from api.web.query_string import parse_params, query_url
from api.web.results import (
    active_filters,
    area_links,
    facet_groups,
    hit_views,
    interpretation,
    pagination,
)
from directory.inquiries import known_providers
from indexer.errors import IndexMissing, SearchUnavailable

FEW_RESULTS = 2  # at or below, the page also offers the service areas and the helpline


def helpline() -> dict[str, str]:
    """The city's social counselling line for the empty state (SOZIALATLAS_HELPLINE_*)."""
    config = settings.CONFIG
    phone = config.helpline_phone
    return {
        "name": config.helpline_name,
        "phone": "".join(c for c in phone if c.isdigit() or c == "+"),
        "phone_display": phone,
        "hours": config.helpline_hours,
    }


@throttle_page
def search_page(request: HttpRequest) -> HttpResponse:
    lang, explicit = i18n.choose(request)
    context = begin_page(request, lang)
    t = context["t"]
    params, data = parse_params(request, lang)
    status = 200
    started = time.perf_counter()
    try:  # the API's path: run, shape, and record in the search log (channel "public")
        response: SearchResponse | None = record_search(request, params, searcher().answer)
    except (SearchUnavailable, IndexMissing):
        response = None
        status = 503
    context.update(
        {
            "params": params,
            "data": data,
            "max_query": MAX_QUERY,
            "response": response,
            "unavailable": response is None,
            "clear_url": query_url({"q": params.q} if params.q else {}),
        }
    )
    if response is not None:
        context.update(
            {
                "hits": hit_views(
                    response,
                    t,
                    lang,
                    (params.page - 1) * params.size + 1,
                    # Only entries of the database can be asked (the index may hold more).
                    known_providers([hit.id for hit in response.hits]),
                ),
                "facets": facet_groups(response, params, t),
                "chips": active_filters(params, data, t),
                "interpretation": interpretation(response, params, t),
                "pagination": pagination(response, data),
                "count_text": i18n.counted(lang, "results_count", response.total),
                "did_you_mean_url": query_url({**data, "q": response.did_you_mean})
                if response.did_you_mean
                else None,
                "areas": area_links(lang, response),
                "helpline": helpline(),
                "helpline_text": t["helpline"] % {"name": helpline()["name"]},
                "few_results": 0 < response.total <= FEW_RESULTS,
                "sorts": [("relevance", t["sort_relevance"]), ("name", t["sort_name"])]
                + ([("distance", t["sort_distance"])] if params.near else []),
            }
        )
    partial = request.GET.get("partial") == "1"
    template = "web/_results.html" if partial else "web/search.html"
    page = render(request, template, context, status=status)
    elapsed = (time.perf_counter() - started) * 1000
    page["Server-Timing"] = f"app;dur={elapsed:.1f}" + (
        f", es;dur={response.took_ms}" if response is not None else ""
    )
    if partial:
        page["Cache-Control"] = "no-store"
    return finish_page(request, page, lang, explicit)
