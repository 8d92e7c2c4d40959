"""The analysts' dashboard: a staff-only shell whose panels the script fills from the
analytics API, so the page itself holds no search log data and needs no queries of its own.
"""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from api.web import i18n
from api.web.frame import begin_page, finish_page

# Reports of the analytics API (``/api/v1/analytics/reports/<name>``, staff session). The
# page shows "no data" for any that is missing, fails or answers in an unexpected shape.
# Each panel's title is the page string ``panel_<name>`` (api.messages, the catalogues).
ANALYTICS_PANELS: tuple[tuple[str, str, str], ...] = (
    ("trends", "line", "/api/v1/analytics/reports/trends"),
    ("top_queries", "bar", "/api/v1/analytics/reports/top-queries?limit=10"),
    ("zero_results", "bar", "/api/v1/analytics/reports/zero-results?limit=10"),
    ("demand_categories", "bar", "/api/v1/analytics/reports/demand-categories?limit=10"),
    ("demand_districts", "bar", "/api/v1/analytics/reports/demand-districts?limit=10"),
)


@staff_member_required
def analytics_dashboard(request: HttpRequest) -> HttpResponse:
    lang, explicit = i18n.choose(request)
    context = begin_page(request, lang)
    t = context["t"]
    context["panels"] = [
        {"key": key, "kind": kind, "url": url, "title": t[f"panel_{key}"]}
        for key, kind, url in ANALYTICS_PANELS
    ]
    return finish_page(request, render(request, "web/dashboard.html", context), lang, explicit)
