"""The HSDS API under ``/hsds/``: its own Ninja API, so that its paths and its OpenAPI
document are HSDS's, with the same partner keys, rate limits and error answers as
``/api/v1`` (the mapping of exceptions to statuses is :data:`api.apis.STATUS`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from api.apis import STATUS
from api.auth import partner_or_public
from api.openapi import DocumentedAPI
from api.ratelimit import PUBLIC_THROTTLES
from api.renderer import OrjsonRenderer
from api.routers import hsds

hsds_api = DocumentedAPI(
    title="Sozialatlas Search – Open Referral HSDS 3.0",
    version="3.0",
    description="The city's directory of social services in the Human Services Data "
    "Specification 3.0 (Open Referral): services, organisations, locations, taxonomy. "
    "`search` is the multilingual search of /api/v1/search.",
    urls_namespace="hsds",
    renderer=OrjsonRenderer(),
)
hsds_api.add_router("", hsds.router, auth=partner_or_public, throttle=PUBLIC_THROTTLES)


def _handler(status: int, code: str) -> Callable[[HttpRequest, Any], HttpResponse]:
    def handle(request: HttpRequest, exc: Any) -> HttpResponse:
        body = {"error": code, "detail": str(exc)}
        response = hsds_api.create_response(request, body, status=status)
        if status == 503:
            response["Retry-After"] = "5"
        return response

    return handle


for exc_class, status, code in STATUS:
    hsds_api.add_exception_handler(exc_class, _handler(status, code))
