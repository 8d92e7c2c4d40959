"""Who is calling: partner portals, analysts, staff, or the anonymous public.

Keys travel in the ``X-Api-Key`` header. Only their SHA-256 is stored (see
:class:`api.models.ApiKey`); a key is shown once, when it is created.

For routers (``auth=`` of ``add_router`` or of an operation):

* :data:`partner_or_public` — public endpoints: anonymous callers are served, a partner key
  is checked (an unknown or revoked key is 401, never a silent fallback to anonymous, and a
  browser ``Origin`` that is not the key's own is 403). ``request.partner`` is the partner's
  :class:`~api.models.ApiKey` or ``None`` for the public; the search logger reads it.
* :data:`analyst_auth` — analytics: a staff session (Django admin login) or an analyst key.
* :data:`staff_auth` — management of keys: a staff session only.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import Throttled
from ninja.security import APIKeyHeader
from ninja.security.session import SessionAuthIsStaff

from api.errors import ApiError
from api.ratelimit import count_bad_key
from directory.models import ApiKey

KEY_HEADER = "X-Api-Key"
KEY_PREFIX = "sa_"
MAX_KEY_LENGTH = 128


class OriginNotAllowed(ApiError):
    """A partner key was sent from a browser origin that is not on that partner's list (403)."""


class InvalidOrigin(ApiError):
    """An origin to allow is not ``scheme://host[:port]``."""


def generate_key() -> str:
    """A new key: 256 random bits, URL-safe, with a recognisable prefix."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def normalize_origin(origin: str) -> str:
    """``scheme://host[:port]`` in lower case, as browsers send it in ``Origin``.

    Only https is accepted, except http for local development hosts.
    """
    raw = origin.strip()
    parts = urlsplit(raw)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host or "*" in raw:
        raise InvalidOrigin(f"origin {origin!r} must look like https://portal.example.org")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise InvalidOrigin(f"origin {origin!r} must not have a path, query or user")
    if parts.scheme == "http" and host not in ("localhost", "127.0.0.1", "[::1]", "::1"):
        raise InvalidOrigin(f"origin {origin!r} must use https")
    try:
        port = parts.port
    except ValueError as exc:
        raise InvalidOrigin(f"origin {origin!r} has an invalid port") from exc
    netloc = f"[{host}]" if ":" in host else host
    default_port = 443 if parts.scheme == "https" else 80
    if port is not None and port != default_port:
        netloc += f":{port}"
    return f"{parts.scheme}://{netloc}"


def checked_key(request: HttpRequest, key: str | None, kind: str) -> ApiKey | None:
    """The active key of this kind, or None; a client guessing keys is stopped (429).

    Keys are 256-bit random, so guessing cannot succeed; the limit keeps a scanner from
    turning the key lookup into load on the database.
    """
    if not key:
        return None
    api_key = find_key(key)
    if api_key is not None and api_key.kind == kind:
        return api_key
    wait = count_bad_key(request)
    if wait is not None:
        raise Throttled(math.ceil(wait))
    return None


def find_key(key: str | None) -> ApiKey | None:
    """The active key with this plain text, or None."""
    if not key or len(key) > MAX_KEY_LENGTH or not key.startswith(KEY_PREFIX):
        return None
    # The hash of a 256-bit random key is looked up directly: no timing oracle on the secret.
    return ApiKey.objects.filter(key_hash=hash_key(key), revoked_at__isnull=True).first()


def origin_allowed(api_key: ApiKey, origin: str) -> bool:
    try:
        wanted = normalize_origin(origin)
    except InvalidOrigin:
        return False
    return wanted in api_key.origins


class PartnerKey(APIKeyHeader):
    """A partner portal's key; its Origin, if the browser sent one, must be the partner's."""

    param_name = KEY_HEADER

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiKey | None:
        api_key = checked_key(request, key, ApiKey.Kind.PARTNER)
        if api_key is None:
            return None
        origin = request.headers.get("Origin")
        if origin and not origin_allowed(api_key, origin):
            raise OriginNotAllowed("this key may not be used from this origin")
        if api_key.origins and not origin:
            # A key bound to browser origins, sent without one (curl, a script): the key is
            # public in the partner's page, so the caller is served as the public is.
            request.partner = None  # type: ignore[attr-defined]
            return api_key
        request.partner = api_key  # type: ignore[attr-defined]
        return api_key


class AnalystKey(APIKeyHeader):
    """An analyst's key, for the analytics API (no browser origins: server-to-server)."""

    param_name = KEY_HEADER

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiKey | None:
        return checked_key(request, key, ApiKey.Kind.ANALYST)


class Anonymous:
    """``request.auth`` of a public caller (truthy, so that Ninja lets the request through)."""

    def __bool__(self) -> bool:
        return True

    def __str__(self) -> str:
        return "anonymous"


ANONYMOUS = Anonymous()


class PublicAccess:
    """Lets anonymous callers through, but only those who sent no key at all.

    It has no OpenAPI security scheme of its own; :mod:`api.openapi` documents operations
    that have it as "authentication optional".
    """

    def __call__(self, request: HttpRequest) -> Anonymous | None:
        if KEY_HEADER in request.headers:
            return None  # a key was sent: it must be valid (PartnerKey) or the answer is 401
        request.partner = None  # type: ignore[attr-defined]
        return ANONYMOUS


def is_public(auth_callbacks: Any) -> bool:
    return any(isinstance(callback, PublicAccess) for callback in auth_callbacks or ())


partner_or_public: list[Any] = [PartnerKey(), PublicAccess()]
staff_auth = SessionAuthIsStaff()
analyst_auth: list[Any] = [SessionAuthIsStaff(), AnalystKey()]


def mark_revoked(api_key: ApiKey) -> None:
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
