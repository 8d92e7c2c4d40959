"""The Ninja API: routers mounted in one place, errors mapped to HTTP statuses in one place."""

from __future__ import annotations

import math

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, AuthorizationError, Throttled, ValidationError

from api import inquiry_problems, partners
from api.auth import OriginNotAllowed, partner_or_public
from api.errors import ApiError, NotFound
from api.inquiry_guard import SpamSuspected
from api.openapi import DocumentedAPI
from api.ratelimit import PUBLIC_THROTTLES
from api.renderer import OrjsonRenderer
from api.routers import (
    analytics,
    categories,
    entry_reports,
    events,
    health,
    inquiries,
    providers,
    search,
    suggest,
)
from directory.errors import (
    DirectoryError,
    IllegalTransition,
    InquiryInvalid,
    InquiryLinkExpired,
    InquiryLinkInvalid,
    RecordError,
    ReportInvalid,
    UnknownEntry,
    UnknownProvider,
)
from indexer.errors import IndexerError, IndexMissing, SearchUnavailable
from indexer.report_queries import ReportParameterError

api = DocumentedAPI(
    title="Sozialatlas Search API",
    version="1",
    description="Search the city's directory of social services.",
    urls_namespace="api-v1",
    renderer=OrjsonRenderer(),
)

# Public: anonymous callers and partner keys (api.auth), rate-limited per client / per key.
api.add_router("/health", health.router, throttle=PUBLIC_THROTTLES)
api.add_router("/search", search.router, auth=partner_or_public, throttle=PUBLIC_THROTTLES)
api.add_router("/suggest", suggest.router, auth=partner_or_public, throttle=PUBLIC_THROTTLES)
api.add_router("/providers", providers.router, auth=partner_or_public, throttle=PUBLIC_THROTTLES)
# Error reports on entries (POST /providers/{id}/reports): own limits per client and entry on top.
api.add_router(
    "/providers", entry_reports.router, auth=partner_or_public, throttle=PUBLIC_THROTTLES
)
api.add_router("/categories", categories.router, auth=partner_or_public, throttle=PUBLIC_THROTTLES)
api.add_router("/events", events.router, auth=partner_or_public, throttle=PUBLIC_THROTTLES)
# Mediated inquiries: anyone with the signed link; sending has its own limits on top.
api.add_router("/inquiries", inquiries.router, auth=partner_or_public, throttle=PUBLIC_THROTTLES)
# Staff only (auth on the router itself).
api.add_router("/partners", partners.router)
api.add_router("/analytics", analytics.router)  # staff session or analyst key

# Specific exceptions of every package, most specific first.
STATUS: list[tuple[type[Exception], int, str]] = [
    (SearchUnavailable, 503, "search_unavailable"),
    (IndexMissing, 503, "index_missing"),
    (ReportParameterError, 422, "invalid_parameter"),
    (IndexerError, 500, "indexer_error"),
    (RecordError, 422, "invalid_record"),
    (UnknownProvider, 404, "not_found"),
    (UnknownEntry, 404, "not_found"),
    (ReportInvalid, 422, "invalid_report"),
    (InquiryInvalid, 422, "invalid_inquiry"),  # /api/v1: with its fields (below)
    (IllegalTransition, 409, "illegal_transition"),
    (InquiryLinkInvalid, 404, "invalid_link"),
    (InquiryLinkExpired, 410, "link_expired"),
    (SpamSuspected, 400, "rejected"),
    (NotFound, 404, "not_found"),
    (OriginNotAllowed, 403, "origin_not_allowed"),
    (AuthenticationError, 401, "unauthorized"),
    (AuthorizationError, 403, "forbidden"),
    (Throttled, 429, "too_many_requests"),
    (RequestDataTooBig, 413, "payload_too_large"),
    (SuspiciousOperation, 400, "bad_request"),
    (DirectoryError, 400, "bad_request"),
    (ApiError, 400, "bad_request"),
]


def _handler(status: int, code: str):  # type: ignore[no-untyped-def]
    def handle(request: HttpRequest, exc: Exception) -> HttpResponse:
        response = api.create_response(request, {"error": code, "detail": str(exc)}, status=status)
        if status == 503:
            response["Retry-After"] = "5"
        wait = getattr(exc, "wait", None) if isinstance(exc, Throttled) else None
        if wait:  # raised by a view (api.ratelimit.enforce), not by a router's throttle
            response["Retry-After"] = str(math.ceil(wait))
        return response

    return handle


for exc_class, status, code in STATUS:
    api.add_exception_handler(exc_class, _handler(status, code))

INQUIRY_PATH = "/api/v1/inquiries"


def _invalid_inquiry(request: HttpRequest, exc: InquiryInvalid) -> HttpResponse:
    """422 with each refused field's code and a message in the interface language."""
    return api.create_response(request, inquiry_problems.body(request, exc), status=422)


def _invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Schema errors: an inquiry's as its field problems (the same answer as the workflow's
    refusals); every other endpoint's as Ninja answers them (422, ``detail`` lists them)."""
    if request.path.startswith(INQUIRY_PATH):
        return _invalid_inquiry(request, inquiry_problems.from_schema(exc.errors))
    return api.create_response(request, {"detail": exc.errors}, status=422)


api.add_exception_handler(InquiryInvalid, _invalid_inquiry)  # type: ignore[arg-type]
api.add_exception_handler(ValidationError, _invalid_request)  # type: ignore[arg-type]
