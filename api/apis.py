"""The Ninja API: routers mounted in one place, errors mapped to HTTP statuses in one place."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, AuthorizationError, Throttled

from api import partners
from api.auth import OriginNotAllowed, partner_or_public
from api.errors import ApiError, NotFound
from api.openapi import DocumentedAPI
from api.ratelimit import PUBLIC_THROTTLES
from api.renderer import OrjsonRenderer
from api.routers import analytics, categories, events, health, providers, search, suggest
from directory.errors import DirectoryError, RecordError
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
api.add_router("/categories", categories.router, auth=partner_or_public, throttle=PUBLIC_THROTTLES)
api.add_router("/events", events.router, auth=partner_or_public, throttle=PUBLIC_THROTTLES)
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
        return response

    return handle


for exc_class, status, code in STATUS:
    api.add_exception_handler(exc_class, _handler(status, code))
