"""The Ninja API: routers mounted in one place, errors mapped to HTTP statuses in one place."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from api.errors import ApiError, NotFound, RecordError
from api.routers import categories, health, providers, search, suggest
from indexer.errors import IndexMissing, IndexerError, SearchUnavailable

api = NinjaAPI(
    title="Sozialatlas Search API",
    version="1",
    description="Search the city's directory of social services.",
    urls_namespace="api-v1",
)

api.add_router("/health", health.router)
api.add_router("/search", search.router)
api.add_router("/suggest", suggest.router)
api.add_router("/providers", providers.router)
api.add_router("/categories", categories.router)

# Specific exceptions of every package, most specific first.
STATUS: list[tuple[type[Exception], int, str]] = [
    (SearchUnavailable, 503, "search_unavailable"),
    (IndexMissing, 503, "index_missing"),
    (IndexerError, 500, "indexer_error"),
    (RecordError, 422, "invalid_record"),
    (NotFound, 404, "not_found"),
    (ApiError, 400, "bad_request"),
]


def _handler(status: int, code: str):  # type: ignore[no-untyped-def]
    def handle(request: HttpRequest, exc: Exception) -> HttpResponse:
        response = api.create_response(
            request, {"error": code, "detail": str(exc)}, status=status
        )
        if status == 503:
            response["Retry-After"] = "5"
        return response

    return handle


for exc_class, status, code in STATUS:
    api.add_exception_handler(exc_class, _handler(status, code))
