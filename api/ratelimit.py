"""Rate limits on the public API, per client and per partner key, in the shared cache.

Built on Ninja's throttling hook (``throttle=`` of routers; Ninja answers 429 with
``Retry-After``), with a fixed-window counter instead of Ninja's timestamp list: one atomic
``INCR`` per request in Redis, so that concurrent workers count correctly.

* Anonymous callers are counted per client IP (``settings.RATE_LIMIT_ANON``). The IP only
  ever appears in the cache key as an HMAC under the secret key, which expires with the
  window: it is never stored in the clear.
* Partners are counted per key (the key's own ``rate`` or ``settings.RATE_LIMIT_PARTNER``)
  and per key and client (``settings.RATE_LIMIT_PARTNER_CLIENT``).
* Wrong keys are counted per client (``settings.RATE_LIMIT_BAD_KEYS``): guessing keys is
  answered 429 (:func:`count_bad_key`, called by :mod:`api.auth`).

If the cache (Redis) fails, limiting fails OPEN: the request is served, a warning logged,
and the cache is not asked again for :data:`BACKOFF_SECONDS`, so that a dead Redis costs at
most one timeout per process and back-off period.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import math
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from ninja.errors import Throttled
from ninja.throttling import BaseThrottle

from configuration.rates import parse_rate

log = logging.getLogger("sozialatlas.ratelimit")

BACKOFF_SECONDS = 5.0
_state = threading.local()
_breaker_lock = threading.Lock()
_cache_down_until = 0.0


def reset_breaker() -> None:
    """Ask the cache again on the next request (tests; after Redis is back)."""
    global _cache_down_until
    with _breaker_lock:
        _cache_down_until = 0.0


def _cache_down() -> bool:
    return time.monotonic() < _cache_down_until


def _trip_breaker(exc: Exception) -> None:
    global _cache_down_until
    with _breaker_lock:
        _cache_down_until = time.monotonic() + BACKOFF_SECONDS
    log.warning(
        "rate limiting is off for %.0f s: the cache failed (%s: %s)",
        BACKOFF_SECONDS,
        type(exc).__name__,
        exc,
    )


def hit(scope: str, ident: str, rate: str) -> float | None:
    """Count one request; None if allowed, else the seconds until the window ends."""
    limit, period = parse_rate(rate)
    if _cache_down():
        return None
    now = time.time()
    window = int(now // period)
    key = f"ratelimit:{scope}:{ident}:{period}:{window}"
    try:
        cache = caches["default"]
        cache.add(key, 0, timeout=period + 1)
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr: a new window began
        return None
    except Exception as exc:  # any cache failure (connection, timeout, protocol): fail open
        _trip_breaker(exc)
        return None
    if count > limit:
        return max(1.0, (window + 1) * period - now)
    return None


def enforce(scope: str, ident: str, rate: str) -> None:
    """Count one request against a limit a view decides itself; 429 (``Throttled``) beyond it.

    For limits on what a request *says* (inquiries per provider), which a router-level
    throttle cannot see; ``ident`` is hashed like client addresses, ``""`` rate = no limit.
    """
    if not rate:
        return
    digest = hmac.new(settings.SECRET_KEY.encode(), ident.encode(), hashlib.sha256)
    wait = hit(scope, digest.hexdigest()[:32], rate)
    if wait is not None:
        raise Throttled(wait=math.ceil(wait))


def partner_of(request: HttpRequest) -> Any:
    """The partner :class:`api.auth.PartnerKey` set on the request (None for the public)."""
    return getattr(request, "partner", None)


def client_digest(request: HttpRequest) -> str:
    """The client's address as an HMAC under the secret key (never stored in the clear)."""
    address = BaseThrottle().get_ident(request) or "unknown"
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def count_bad_key(request: HttpRequest) -> float | None:
    """Count one wrong key from this client; the seconds to wait once it guessed too often."""
    return hit("bad-key", client_digest(request), str(settings.RATE_LIMIT_BAD_KEYS))


class _Throttle(BaseThrottle):
    scope = ""

    def identity(self, request: HttpRequest) -> tuple[str, str] | None:
        """(cache identity, rate) or None if this throttle does not apply."""
        raise NotImplementedError

    def allow_request(self, request: HttpRequest) -> bool:
        _state.wait = None
        found = self.identity(request)
        if found is None or not found[1]:
            return True
        wait = hit(self.scope, *found)
        _state.wait = wait
        return wait is None

    def wait(self) -> float | None:
        wait: float | None = getattr(_state, "wait", None)
        return None if wait is None else float(math.ceil(wait))


class ClientThrottle(_Throttle):
    """Anonymous callers, per client IP (hashed with the secret key)."""

    scope = "client"

    def identity(self, request: HttpRequest) -> tuple[str, str] | None:
        if partner_of(request) is not None:
            return None
        return client_digest(request), str(settings.RATE_LIMIT_ANON)


class PartnerClientThrottle(_Throttle):
    """Partner portals, per key *and* client: a partner key sits in the partner's page for
    anyone to copy; one client using it must not exhaust the quota of the partner's visitors."""

    scope = "partner-client"

    def identity(self, request: HttpRequest) -> tuple[str, str] | None:
        partner = partner_of(request)
        if partner is None:
            return None
        ident = f"{partner.key_hash[:16]}:{client_digest(request)}"
        return ident, str(settings.RATE_LIMIT_PARTNER_CLIENT)


class PartnerThrottle(_Throttle):
    """Partner portals, per key: the key's own rate or the default partner rate."""

    scope = "partner"

    def identity(self, request: HttpRequest) -> tuple[str, str] | None:
        partner = partner_of(request)
        if partner is None:
            return None
        # The hash, not the id: ids can be reused (a restored database), keys cannot.
        return partner.key_hash[:24], partner.rate or str(settings.RATE_LIMIT_PARTNER)


PUBLIC_THROTTLES: list[BaseThrottle] = [
    ClientThrottle(),
    PartnerClientThrottle(),
    PartnerThrottle(),
]


TOO_MANY = (
    "Zu viele Anfragen – bitte warten Sie einen Moment.\n"
    "Too many requests – please wait a moment.\n"
)


def throttle_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The public API's per-client limit for a web page that runs the same searches.

    The search page, its live partial and the provider page cost what ``/api/v1/search``
    costs; without this they were a way around the limit. Same scope, same budget.
    """

    @functools.wraps(view)
    def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        found = ClientThrottle().identity(request)
        if found is not None and found[1]:
            wait = hit(ClientThrottle.scope, *found)
            if wait is not None:
                response = HttpResponse(
                    TOO_MANY, status=429, content_type="text/plain; charset=utf-8"
                )
                response["Retry-After"] = str(math.ceil(wait))
                return response
        return view(request, *args, **kwargs)

    return limited
