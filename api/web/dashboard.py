"""The analysts' dashboard: a staff-only shell whose search panels the script fills from the
analytics API, so the page itself holds no search log data and needs no queries of its own.

Below them, for staff allowed to see inquiry figures (the analysts' and the coordination
desk's groups), the mediated inquiries of the last twelve months as tables rendered here
(no script needed): per month, per service type and per district — inquiries, the answered,
declined and expired rates, the median time to the first answer, the decline reasons — and
the needs nobody could serve. Only aggregates: no inquiry, message or contact is read.
Also rendered on the server: the entries' freshness (:mod:`directory.freshness`,
the figures of ``sozialatlas report freshness``): it reads the database, not the search log.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from analyzers import taxonomy
from api.web import i18n
from api.web.frame import begin_page, finish_page
from directory.freshness import Freshness, current_freshness
from directory.inquiry_report import Dimension, figures_by
from directory.inquiry_unmet import unserved_by_type

# Reports of the analytics API (``/api/v1/analytics/reports/<name>``, staff session). The
# page shows "no data" for an empty report and "could not be loaded" for one that still
# fails after two more tries (dashboard-v3.js).
# Each panel's title is the page string ``panel_<name>`` (api.messages, the catalogues).
ANALYTICS_PANELS: tuple[tuple[str, str, str], ...] = (
    ("trends", "line", "/api/v1/analytics/reports/trends"),
    ("top_queries", "bar", "/api/v1/analytics/reports/top-queries?limit=10"),
    ("zero_results", "bar", "/api/v1/analytics/reports/zero-results?limit=10"),
    ("demand_categories", "bar", "/api/v1/analytics/reports/demand-categories?limit=10"),
    ("demand_districts", "bar", "/api/v1/analytics/reports/demand-districts?limit=10"),
)
FIGURES_PERMISSION = "api.view_inquiry_figures"
FIGURES_DAYS = 365
INQUIRY_CSV = "/api/v1/analytics/inquiries?since=12m&format=csv"
# (dimension, title string, column heading string)
TABLES: tuple[tuple[Dimension, str, str], ...] = (
    ("month", "dash_inq_by_month", "dash_inq_month"),
    ("service_type", "dash_inq_by_type", "facet_category"),
    ("district", "dash_inq_by_district", "district"),
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
    if request.user.has_perm(FIGURES_PERMISSION):
        context["inquiries"] = inquiry_tables(lang, t)
        context["inquiry_csv"] = INQUIRY_CSV
    context["freshness"] = freshness_rows(current_freshness(timezone.localdate()), lang, t)
    return finish_page(request, render(request, "web/dashboard.html", context), lang, explicit)


def inquiry_tables(lang: str, t: dict[str, str]) -> dict[str, Any]:
    """The inquiry figures of the last twelve months, labelled in ``lang``."""
    until = timezone.now()
    since = until - timedelta(days=FIGURES_DAYS)
    tables = []
    for by, title, heading in TABLES:
        rows = figures_by(since, until, by)
        tables.append(
            {
                "key": by,
                "title": t[title],
                "heading": t[heading],
                "rows": [_row(row, by, lang, t) for row in rows],
            }
        )
    unserved = [
        {
            "label": _type_label(row["service_type"], lang),
            "count": row["unserved_inquiries"],
            "asked": row["providers_asked"],
            "districts": ", ".join(f"{d}: {n}" for d, n in row["unserved_districts"].items()),
            "reasons": _reasons(row["decline_reasons"], t),
        }
        for row in unserved_by_type(since, until)
    ]
    return {"tables": tables, "unserved": unserved, "empty": not tables[0]["rows"]}


def _row(row: dict[str, Any], by: Dimension, lang: str, t: dict[str, str]) -> dict[str, Any]:
    hours = row["median_hours_to_first_answer"]
    label = _type_label(row["key"], lang) if by == "service_type" else row["key"]
    return {
        "label": label,
        "inquiries": row["inquiries"],
        "answered": _percent(row["answered_rate"]),
        "declined": _percent(row["declined_rate"]),
        "expired": _percent(row["expired_rate"]),
        "median": "–"
        if hours is None
        else t["dash_inq_hours"] % {"hours": i18n.decimal(lang, hours)},
        "reasons": _reasons(row["decline_reasons"], t),
    }


def _percent(rate: float) -> str:
    return f"{round(rate * 100)} %"


def _reasons(reasons: dict[str, int], t: dict[str, str]) -> str:
    return ", ".join(f"{t.get(f'reason_{code}', code)}: {n}" for code, n in reasons.items())


def _type_label(code: str, lang: str) -> str:
    return taxonomy.label(code, lang)  # a code the taxonomy no longer has: the code


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
        row("fresh_needs_checking", figures.needs_checking),
        row("fresh_open_proposals", figures.open_proposals, share=False),
        row("fresh_review_median", figures.median_days_to_review, share=False, places=1),
    ]
