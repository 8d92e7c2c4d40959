"""The analysts' dashboard: a staff-only shell whose panels the script fills from the
analytics API, so the page itself holds no search log data and needs no queries of its own.

The one panel rendered on the server is the entries' freshness (:mod:`directory.freshness`,
the figures of ``sozialatlas report freshness``): it reads the database, not the search log.
"""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from api.web import i18n
from api.web.frame import begin_page, finish_page
from directory.freshness import Freshness, current_freshness

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
    context["freshness"] = freshness_rows(current_freshness(timezone.localdate()), lang, t)
    return finish_page(request, render(request, "web/dashboard.html", context), lang, explicit)


def freshness_rows(figures: Freshness, lang: str, t: dict[str, str]) -> list[dict[str, str]]:
    """The freshness panel's rows: label, count, share of all entries as a percentage."""

    def row(key: str, count: float | None, share: bool = True, places: int = 0) -> dict[str, str]:
        value = "–" if count is None else i18n.decimal(lang, count, places)
        percent = figures.share(int(count or 0)) if share else None
        shown = "" if percent is None else f"{i18n.decimal(lang, percent * 100)} %"
        return {"key": key, "label": t[key], "count": value, "share": shown}

    stale = figures.stale
    return [
        row("fresh_entries", figures.entries),
        row("fresh_6m", figures.confirmed_6m),
        row("fresh_12m", figures.confirmed_12m),
        row("fresh_6_12m", stale["6-12m"]),
        row("fresh_1_2y", stale["1-2y"]),
        row("fresh_over_2y", stale["over_2y"]),
        row("fresh_never", stale["never"]),
        row("fresh_open_reports", figures.open_reports, share=False),
        row("fresh_median", figures.median_days_to_close, share=False, places=1),
    ]
