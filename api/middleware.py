"""HTTP-level guards of the API: request size limits and per-partner CORS.

CORS is decided per request, never "allow all":

* A preflight (``OPTIONS`` with ``Access-Control-Request-Method``) carries no key, so it is
  allowed for an origin that some active partner (or the city's own public site, see
  ``settings.CORS_PUBLIC_ORIGINS``) has, on the public read endpoints, for ``GET`` only —
  and for ``POST`` on the widget's click events and on ``/api/v1/inquiries`` (a partner
  portal's own "ask this service" form sends the inquiry with its key). The inquiry's
  tracking and answer paths are not cross-origin: their tokens stay on the city's pages.
* The actual request gets ``Access-Control-Allow-Origin`` only if its ``Origin`` belongs to
  the partner whose key authenticated it (``request.partner``, set by
  :class:`api.auth.PartnerKey`), or, without a key, if it is a public origin. A partner key
  from a foreign origin is refused by the authentication itself (403).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils.cache import patch_vary_headers

from api.auth import KEY_HEADER, InvalidOrigin, normalize_origin
from api.ratelimit import partner_of
from api.searchlog import SESSION_HEADER

API_PREFIXES = ("/api/v1/", "/hsds/")  # the Ninja APIs (api.apis, api.hsds_api)
# Endpoints partner portals (and the public site) may call from a browser on another origin.
EVENTS_PATH = "/api/v1/events/"
CORS_PATHS = (
    "/api/v1/search",
    "/api/v1/suggest",
    "/api/v1/categories",
    "/api/v1/providers/",
    EVENTS_PATH,
    "/hsds/",  # read-only, the same keys (api.hsds_api)
)
# Posting an inquiry (exactly this path; its token paths below it are not cross-origin).
INQUIRY_PATH = "/api/v1/inquiries"
CORS_MAX_AGE = "600"

Handler = Callable[[HttpRequest], HttpResponseBase]


def _is_cors_path(path: str) -> bool:
    if path == INQUIRY_PATH:
        return True
    return any(path == p or path.startswith(p.rstrip("/") + "/") for p in CORS_PATHS)


def _accepts_post(path: str) -> bool:
    return path == INQUIRY_PATH or path.startswith(EVENTS_PATH)


def _origin(request: HttpRequest) -> str | None:
    raw = request.headers.get("Origin")
    if not raw:
        return None
    try:
        return normalize_origin(raw)
    except InvalidOrigin:
        return None


def _public_origins() -> list[str]:
    return list(getattr(settings, "CORS_PUBLIC_ORIGINS", []))


def _partner_origins() -> set[str]:
    from directory.models import ApiKey

    origins: set[str] = set()
    active = ApiKey.objects.filter(kind=ApiKey.Kind.PARTNER, revoked_at__isnull=True)
    for listed in active.values_list("origins", flat=True):
        origins.update(listed or [])
    return origins


class RequestLimitsMiddleware:
    """Refuse oversized query strings (414) and declared bodies (413) before any work."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path.startswith(API_PREFIXES):
            query = request.META.get("QUERY_STRING", "")
            if len(query) > settings.MAX_QUERY_STRING:
                return JsonResponse(
                    {
                        "error": "uri_too_long",
                        "detail": f"query string over {settings.MAX_QUERY_STRING} characters",
                    },
                    status=414,
                )
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                return JsonResponse(
                    {
                        "error": "payload_too_large",
                        "detail": f"request body over {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes",
                    },
                    status=413,
                )
        return self.get_response(request)


class PartnerCorsMiddleware:
    """Per-partner CORS for the public read endpoints; sets ``request.partner`` to None first."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request.partner = None  # type: ignore[attr-defined]  # PartnerKey sets the real one
        if not _is_cors_path(request.path):
            return self.get_response(request)
        origin = _origin(request)
        if (
            request.method == "OPTIONS"
            and origin is not None
            and "Access-Control-Request-Method" in request.headers
        ):
            return self.preflight(request, origin)
        response = self.get_response(request)
        patch_vary_headers(response, ("Origin", KEY_HEADER))
        if origin is not None and self.allowed(request, origin):
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Expose-Headers"] = "Retry-After"
        return response

    @staticmethod
    def allowed(request: HttpRequest, origin: str) -> bool:
        partner = partner_of(request)
        if partner is not None:
            return origin in partner.origins
        if KEY_HEADER in request.headers:
            return False  # a key that did not authenticate: no allowance for anybody
        return origin in _public_origins()

    @staticmethod
    def preflight(request: HttpRequest, origin: str) -> HttpResponse:
        response = HttpResponse(status=204)
        patch_vary_headers(response, ("Origin",))
        method = request.headers.get("Access-Control-Request-Method", "").upper()
        # Clicks (POST /events/...) come from the widget of a partner page too, and so do
        # inquiries from a partner portal's form (POST /inquiries).
        posting = method == "POST" and _accepts_post(request.path)
        if (method in ("GET", "HEAD") or posting) and (
            origin in _public_origins() or origin in _partner_origins()
        ):
            response["Access-Control-Allow-Origin"] = origin
            methods = "POST, OPTIONS" if posting else "GET, OPTIONS"
            response["Access-Control-Allow-Methods"] = methods
            response["Access-Control-Allow-Headers"] = ", ".join(
                (KEY_HEADER, SESSION_HEADER, *(("Content-Type",) if posting else ()))
            )
            response["Access-Control-Max-Age"] = CORS_MAX_AGE
        return response
