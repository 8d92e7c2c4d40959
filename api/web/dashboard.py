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
ANALYTICS_PANELS: tuple[tuple[str, str, str], ...] = (
    ("trends", "line", "/api/v1/analytics/reports/trends"),
    ("top_queries", "bar", "/api/v1/analytics/reports/top-queries?limit=10"),
    ("zero_results", "bar", "/api/v1/analytics/reports/zero-results?limit=10"),
    ("demand_categories", "bar", "/api/v1/analytics/reports/demand-categories?limit=10"),
    ("demand_districts", "bar", "/api/v1/analytics/reports/demand-districts?limit=10"),
)
PANEL_TITLES: dict[str, dict[str, str]] = {
    "de": {
        "trends": "Suchen pro Woche",
        "top_queries": "Häufigste Suchbegriffe",
        "zero_results": "Suchen ohne Ergebnis",
        "demand_categories": "Gefragte Bereiche",
        "demand_districts": "Gefragte Stadtteile",
    },
    "en": {
        "trends": "Searches per week",
        "top_queries": "Top queries",
        "zero_results": "Searches without results",
        "demand_categories": "Areas in demand",
        "demand_districts": "Districts in demand",
    },
}


@staff_member_required
def analytics_dashboard(request: HttpRequest) -> HttpResponse:
    lang, explicit = i18n.choose(request)
    context = begin_page(request, lang)
    titles = PANEL_TITLES.get(lang, PANEL_TITLES["en"])
    context["panels"] = [
        {"key": key, "kind": kind, "url": url, "title": titles[key]}
        for key, kind, url in ANALYTICS_PANELS
    ]
    return finish_page(request, render(request, "web/dashboard.html", context), lang, explicit)
