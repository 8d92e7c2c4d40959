"""``/analytics``: search-log reports for staff and analysts, as JSON or CSV, and the
figures of mediated inquiries.

Authentication: Django staff users via their session (``django_auth_is_staff``) or, once
``api.auth`` provides it, an analyst API key — see :func:`analytics_auth`, the one hook.
The inquiry figures (``/inquiries``) are aggregates from the database; a staff session
needs the permission to see them (the analysts' and the desk's groups), an analyst key has
it. The unmet-needs report joins in the inquiries nobody could serve
(:mod:`directory.inquiry_unmet`).
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.errors import AuthorizationError
from ninja.security import django_auth_is_staff

from api.context import es
from api.searchlog import log_settings, writer_status
from directory.inquiry_report import inquiry_report
from directory.inquiry_unmet import join_unmet
from directory.models import ApiKey
from indexer.report_queries import ReportParameterError, make_range
from indexer.reports import KINDS, REPORTS, Report, run_report

REPORT_PARAMS = {"since", "until", "channel", "limit", "format", "sep"}
INQUIRY_PARAMS = {"since", "until", "format", "sep"}
FIGURES_PERMISSION = "api.view_inquiry_figures"


def analytics_auth() -> list[Any]:
    """HOOK: who may read analytics — ``api.auth.analyst_auth`` (staff session or analyst
    key); falls back to staff sessions only if ``api.auth`` is unavailable."""
    try:
        from api.auth import analyst_auth
    except ImportError:
        return [django_auth_is_staff]
    return list(analyst_auth)


router = Router(tags=["analytics"], auth=analytics_auth())


def _int(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ReportParameterError(f"{name!r} must be an integer, got {raw!r}") from exc


@router.get("/reports", summary="The available reports")
def list_reports(request: HttpRequest) -> dict[str, Any]:
    return {
        "reports": list(REPORTS),
        "parameters": sorted(REPORT_PARAMS),
        "extra_parameters": {k: sorted(v.extra_params) for k, v in KINDS.items() if v.extra_params},
    }


# The report names as an enum, so that the OpenAPI document lists them and an unknown name
# is a validation error (422) of the path, like any other invalid parameter.
ReportName = Enum("ReportName", {name: name for name in REPORTS}, type=str)  # type: ignore[misc]


@router.get("/reports/{name}", summary="One report (JSON, or CSV with ?format=csv)")
def report(request: HttpRequest, name: ReportName) -> Any:  # type: ignore[valid-type]
    return _report(request, name.value)  # type: ignore[attr-defined]


def _report(request: HttpRequest, name: str) -> Any:
    allowed = REPORT_PARAMS | KINDS[name].extra_params
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise ReportParameterError(
            f"unknown parameter(s) {', '.join(unknown)} for report {name!r}; "
            f"allowed: {', '.join(sorted(allowed))}"
        )
    fmt = request.GET.get("format", "json")
    if fmt not in ("json", "csv"):
        raise ReportParameterError("'format' must be json or csv")
    rng = make_range(
        request.GET.get("since"),
        request.GET.get("until"),
        request.GET.get("channel"),
        _int(request, "limit", 50),
        _int(request, "min_searches", 2),
    )
    # Aggregations over months take longer than a search: their own, longer timeout.
    client = es().options(request_timeout=settings.CONFIG.report_timeout)
    result = run_report(client, log_settings(), name, rng)
    if name == "unmet-needs":
        result = join_unmet(result, rng.since, rng.until)
    return _answer(request, result, fmt)


def _answer(request: HttpRequest, result: Report, fmt: str) -> Any:
    if fmt == "csv":
        separator = request.GET.get("sep", ",")
        if separator not in (",", ";"):
            raise ReportParameterError("'sep' must be , or ;")
        response = HttpResponse(result.to_csv(separator), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{result.name}.csv"'
        return response
    return {
        "report": result.name,
        "since": result.since,
        "until": result.until,
        "columns": result.columns,
        "rows": result.rows,
    }


@router.get("/inquiries", summary="Figures of mediated inquiries (JSON, or CSV with ?format=csv)")
def inquiries(request: HttpRequest) -> Any:
    """Per month, service type and district: inquiries, answered/declined/expired rates,
    median hours to the first answer, decline reasons. Aggregates only."""
    user = getattr(request, "user", None)
    analyst_key = isinstance(getattr(request, "auth", None), ApiKey)
    if not analyst_key and not (user and user.has_perm(FIGURES_PERMISSION)):
        raise AuthorizationError(403, "this account may not see inquiry figures")
    unknown = sorted(set(request.GET) - INQUIRY_PARAMS)
    if unknown:
        allowed = ", ".join(sorted(INQUIRY_PARAMS))
        raise ReportParameterError(f"unknown parameter(s) {', '.join(unknown)}; allowed: {allowed}")
    fmt = request.GET.get("format", "json")
    if fmt not in ("json", "csv"):
        raise ReportParameterError("'format' must be json or csv")
    rng = make_range(request.GET.get("since", "12m"), request.GET.get("until"), None, 50)
    return _answer(request, inquiry_report(rng.since, rng.until), fmt)


@router.get("/log-status", summary="The search log writer of this API process")
def log_status(request: HttpRequest) -> dict[str, Any]:
    return writer_status()
