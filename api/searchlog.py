"""Recording searches, suggestions, clicks and feedback without slowing or failing a search.

The request path does the least possible: it stamps a signed ``query_id``, reads or issues
the visit's session token (:mod:`api.searchlog_tokens`) and appends a small
:class:`~api.searchlog_entries.Pending` to a bounded in-process buffer. A background thread
(:mod:`api.searchlog_writer`) turns these into log entries — redacting e-mail addresses,
phone numbers and IBANs *before* anything leaves the process (:mod:`api.searchlog_entries`)
— and hands batches to the Celery task ``workers.searchlog_write`` through Redis. The
worker links keystrokes into intents and writes Elasticsearch.

This module holds the entry points the routers and views call, and re-exports the parts
they also use (tokens, entries, the writer), so the rest of the code imports the search log
from one place.

No IP address, no user agent and no cookie is recorded: only the random session token
the client sends back (header ``X-Search-Session`` or parameter ``session``), which
rotates after ``searchlog_session_minutes``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest

from api.searchlog_entries import TOP_RESULTS, Pending, to_entry
from api.searchlog_tokens import (
    SESSION_HEADER,
    click_token,
    new_query_id,
    session_token,
    valid_click,
    valid_query_id,
)
from api.searchlog_writer import LogWriter, log_settings, writer, writer_status

__all__ = [
    "SESSION_HEADER",
    "LogWriter",
    "Pending",
    "channel_of",
    "click_token",
    "log_settings",
    "new_query_id",
    "record_event",
    "record_search",
    "record_suggest",
    "session_token",
    "to_entry",
    "valid_click",
    "valid_query_id",
    "writer",
    "writer_status",
]

log = logging.getLogger("sozialatlas.searchlog")


def channel_of(request: HttpRequest) -> str:
    """The channel a request came through: "public" or "partner:<name>".

    ``api.auth.PartnerKey`` sets ``request.partner`` for a valid ``X-Api-Key``.
    """
    partner = getattr(request, "partner", None)
    name = getattr(partner, "name", None)
    return f"partner:{name}" if name else "public"


R = TypeVar("R")


def _stamp(response: Any, query_id: str | None, session: str | None) -> None:
    try:
        response.query_id = query_id
        response.session = session
    except (AttributeError, ValueError):
        return
    if not query_id:
        return
    for field_name in ("hits", "suggestions"):
        items = getattr(response, field_name, None)
        if items:  # copies: a reused answer shares its hits with other requests
            setattr(response, field_name, [_with_token(item, query_id) for item in items])


def _with_token(item: Any, query_id: str) -> Any:
    if not getattr(item, "id", None) or not hasattr(item, "click_token"):
        return item
    return item.model_copy(update={"click_token": click_token(query_id, item.id)})


def _filters(params: Any) -> dict[str, Any]:
    keys = (
        "category",
        "district",
        "language",
        "target_group",
        "cost",
        "wheelchair",
        "open_now",
        "near",
        "radius_km",
        "sort",
    )
    return {k: getattr(params, k, None) for k in keys}


def record_search(request: HttpRequest, params: Any, answer: Callable[[Any], Any]) -> Any:
    """Answer a search (errors propagate untouched), then record it.

    ``answer(params)`` returns ``(analysis, result, response)``; the response must be this
    request's own object, since its query id and session are stamped on it.
    """
    started = time.perf_counter()
    analysis, result, response = answer(params)
    _record(
        request,
        response,
        "search",
        text=params.q,
        analysis=analysis,
        filters=_filters(params),
        total=result.total,
        hits=list(result.hits[:TOP_RESULTS]),
        latency_ms=round((time.perf_counter() - started) * 1000, 2),
        page=params.page,
        ui_lang=params.lang,
    )
    return response


def record_suggest(request: HttpRequest, params: Any, response: R) -> R:
    """Record an autocomplete request (latency is not measured here)."""
    suggestions = list(getattr(response, "suggestions", []))
    _record(
        request,
        response,
        "suggest",
        text=params.q,
        analysis=None,
        total=len(suggestions),
        hits=[s.id or s.code or s.text for s in suggestions],
        ui_lang=params.lang,
    )
    return response


def _record(request: HttpRequest, response: Any, kind: str, **fields: Any) -> None:
    """Buffer one entry and stamp its query id and session on the response; never raises."""
    try:
        log_writer = writer()
        if not log_writer.enabled:
            return
        now = time.time()
        query_id = new_query_id()
        session = session_token(request, now, settings.CONFIG.searchlog_session_minutes)
        log_writer.record(
            Pending(
                kind=kind,
                query_id=query_id,
                ts=now,
                session=session,
                channel=channel_of(request),
                **fields,
            )
        )
        _stamp(response, query_id, session)
    except Exception:  # logging must never fail a search
        log.exception("could not record a %s request", kind)


def record_event(request: HttpRequest, kind: str, query_id: str, **extra: Any) -> str:
    """Record a click or feedback event; returns its id."""
    now = time.time()
    event_id = new_query_id()
    writer().record(
        Pending(
            kind=kind,
            query_id=event_id,
            ts=now,
            session=session_token(request, now, settings.CONFIG.searchlog_session_minutes),
            channel=channel_of(request),
            extra={"query_id": query_id, **extra},
        )
    )
    return event_id
