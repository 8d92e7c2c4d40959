"""Signed ids and tokens of the search log: query ids, click tokens and session tokens.

The log's figures are only as good as what clients cannot invent. Every token is signed
with the server's ``SECRET_KEY``: a script can neither click or give feedback on a query id
it made up (ids also expire), nor claim a click on a result that was never shown, nor make
up sessions that would distort intent linking and session counts.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time

from django.conf import settings
from django.http import HttpRequest

SESSION_HEADER = "X-Search-Session"
_SESSION = re.compile(r"^s([0-9a-z]{1,10})-([0-9a-f]{16})$")
_QUERY_ID = re.compile(r"^[0-9a-f]{40}$")


def _key() -> bytes:
    return str(settings.SECRET_KEY).encode()


def _sign(text: str, length: int = 8) -> str:
    return hmac.new(_key(), text.encode(), hashlib.sha256).hexdigest()[:length]


def new_query_id(now: float | None = None) -> str:
    """The minute (8 hex digits), 24 random hex digits and an 8-digit signature.

    Ids cannot be guessed or invented, and they expire (:func:`valid_query_id`): a click
    or feedback weeks later, or on an id made up by a script, is refused.
    """
    minute = int((time.time() if now is None else now) // 60)
    raw = f"{minute:08x}{secrets.token_hex(12)}"
    return raw + _sign(raw)


def valid_query_id(value: str, now: float | None = None) -> bool:
    """Signed by this server and at most ``SOZIALATLAS_QUERY_ID_HOURS`` old."""
    if not _QUERY_ID.match(value) or not hmac.compare_digest(_sign(value[:32]), value[32:]):
        return False
    age = (time.time() if now is None else now) / 60 - int(value[:8], 16)
    return 0 <= age <= settings.CONFIG.query_id_hours * 60


def click_token(query_id: str, provider_id: str) -> str:
    """Proof that ``provider_id`` was among the results answered under ``query_id``.

    Each hit of an answer carries its token; a click must present it, so clicks on results
    that were never shown cannot be forged into the click-through figures.
    """
    return _sign(f"{query_id}:{provider_id}", 16)


def valid_click(query_id: str, provider_id: str, token: str) -> bool:
    return valid_query_id(query_id) and hmac.compare_digest(
        click_token(query_id, provider_id), token
    )


def _new_session(now: float) -> str:
    raw = f"s{_base36(int(now // 60))}-{secrets.token_hex(4)}"
    return raw + _sign(raw)


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rem = divmod(number, 36)
        out = digits[rem] + out
        if not number:
            return out


def session_token(request: HttpRequest, now: float, max_minutes: int) -> str:
    """The client's token if this server signed it and it is young enough, else a fresh one.

    A token a client makes up is replaced: sessions, and the intent linking and session
    counts built on them, cannot be forged.
    """
    given = request.headers.get(SESSION_HEADER) or request.GET.get("session") or ""
    match = _SESSION.match(given)
    if (
        match
        and hmac.compare_digest(_sign(given[:-8]), given[-8:])  # issued by this server
        and 0 <= now / 60 - int(match.group(1), 36) <= max_minutes
    ):
        return given
    return _new_session(now)
