"""Recording searches, suggestions, clicks and feedback without slowing or failing a search.

The request path does the least possible: it stamps a signed ``query_id``, reads or issues
the visit's session token and appends a small tuple to a bounded in-process buffer. A
background thread (one per process, started lazily so that it survives gunicorn's fork)
turns the tuples into log entries — redacting e-mail addresses, phone numbers and IBANs
*before* anything leaves the process — and hands batches to the Celery task
``workers.searchlog_write`` through Redis. The worker links keystrokes into intents and
writes Elasticsearch.

Degradation: when the buffer is full an entry is dropped and counted (``dropped_full``);
when Redis is unreachable the batch is dropped and counted (``dropped_unavailable``).
:func:`writer_status` reports the counters (``GET /api/v1/analytics/log-status``).

No IP address, no user agent and no cookie is recorded: only the random session token
the client sends back (header ``X-Search-Session`` or parameter ``session``), which
rotates after ``searchlog_session_minutes``.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.conf import settings
from django.http import HttpRequest

from analyzers import fold
from analyzers.crisis import detect as detect_crisis
from analyzers.models import CrisisSignal
from analyzers.redaction import redact, redact_terms
from analyzers.tokens import tokenize
from indexer.searchlog import SearchLogSettings, searchlog_settings

if TYPE_CHECKING:
    from analyzers import QueryAnalysis

log = logging.getLogger("sozialatlas.searchlog")
TOP_RESULTS = 10
SESSION_HEADER = "X-Search-Session"
_SESSION = re.compile(r"^s([0-9a-z]{1,10})-([0-9a-f]{16})$")
_QUERY_ID = re.compile(r"^[0-9a-f]{40}$")


def log_settings() -> SearchLogSettings:
    """The search log's settings, from the one configuration object (via Django settings)."""
    return searchlog_settings(settings.CONFIG, settings.INDEXER.index_prefix)


# --------------------------------------------------------------------------- ids and tokens


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


def channel_of(request: HttpRequest) -> str:
    """The channel a request came through: "public" or "partner:<name>".

    ``api.auth.PartnerKey`` sets ``request.partner`` for a valid ``X-Api-Key``.
    """
    partner = getattr(request, "partner", None)
    name = getattr(partner, "name", None)
    return f"partner:{name}" if name else "public"


# --------------------------------------------------------------------------- entries


@dataclass(slots=True)
class Pending:
    """What a request leaves behind; turned into an entry by the background thread."""

    kind: str
    query_id: str
    ts: float
    session: str | None
    channel: str
    text: str = ""
    analysis: QueryAnalysis | None = None
    filters: dict[str, Any] = field(default_factory=dict)
    total: int = 0
    hits: list[Any] = field(default_factory=list)  # ids, or Hit objects (search)
    latency_ms: float | None = None
    page: int | None = None
    ui_lang: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _implied_unmet(analysis: QueryAnalysis, hits: list[Any]) -> list[str]:
    """Implied filters (e.g. a language) that none of the shown results satisfies."""
    if not hits:
        return []
    unmet = []
    for implied in analysis.filters:
        ok = False
        for hit in hits:
            src = getattr(hit, "source", {})
            value = src.get(implied.field)
            if implied.field == "wheelchair":
                ok = bool(value)
            elif isinstance(value, list):
                ok = implied.value in value
            else:
                ok = value == implied.value
            if ok:
                break
        if not ok:
            unmet.append(f"{implied.field}:{implied.value}")
    return unmet


def _crisis_of(text: str) -> CrisisSignal | None:
    """Danger in an unanalysed text (an autocomplete prefix), for the log's sake."""
    if not text:
        return None
    return detect_crisis([t.text for t in tokenize(text[:500])])


NEAR_DECIMALS = 2  # 0.01° is about 1.1 km north-south (0.7 km east-west in Saxony)


def coarse_near(value: str) -> str:
    """A ``lat,lon`` rounded to about a kilometre: a district, not a doorstep.

    A location tied to a session and a sensitive query can identify a person; the log
    keeps only what the analysis of unmet needs per area requires.
    """
    try:
        lat, lon = (float(part) for part in value.split(","))
    except ValueError:
        return ""
    return f"{lat:.{NEAR_DECIMALS}f},{lon:.{NEAR_DECIMALS}f}"


def _stored_filters(filters: dict[str, Any]) -> dict[str, Any]:
    stored = {k: v for k, v in filters.items() if v not in (None, [], False, "")}
    if "near" in stored:
        stored["near"] = coarse_near(str(stored["near"]))
    return stored


def to_entry(item: Pending) -> dict[str, Any]:
    """The stored document of one pending record; personal data redacted here."""
    ts = datetime.fromtimestamp(item.ts, UTC).isoformat()
    entry: dict[str, Any] = {
        "id": item.query_id,
        "kind": item.kind,
        "ts": ts,
        "session": item.session,
        "channel": item.channel,
    }
    if item.kind in ("click", "feedback"):
        extra = dict(item.extra)
        if extra.get("comment"):
            extra["comment"] = redact(str(extra["comment"]))[:1000]
        return {**entry, **extra}
    text = item.text.strip()
    query = redact(text)
    analysis = item.analysis
    crisis = analysis.crisis if analysis is not None else _crisis_of(text)
    fallback = analysis is not None and analysis.stage == "concepts"
    if crisis is not None:
        # A person in danger is logged as the kind of danger only, never in their words.
        query = f"crisis:{crisis.kind}"
        normalized, lemmas, terms = query, [], []
        concepts = [c.code for c in analysis.concepts] if analysis is not None else []
        implied = [f"{f.field}:{f.value}" for f in analysis.filters] if analysis else []
        language: str | None = analysis.language if analysis is not None else None
    elif analysis is not None:
        # Redacted on the normalised text too: folding and NFKC may reveal what the raw
        # text hid (full-width digits, "name(at)…" split differently).
        normalized = redact(analysis.normalized)
        seen = f"{text} {analysis.normalized}"
        # Only words that survived redaction may leave a lemma or expansion behind:
        # "null(at)gmx.de" must not be logged as the lemma "nullen".
        survivors = set(re.findall(r"\w+", query.lower()))

        def kept(source: str) -> bool:
            return all(w in survivors for w in re.findall(r"\w+", source.lower()))

        lemmas = redact_terms([w.lemma for w in analysis.words if kept(w.text)], seen)
        terms = redact_terms(
            sorted(
                {
                    t
                    for e in analysis.expansions
                    if kept(e.source)
                    for t in e.terms
                    if e.kind in ("translation", "synonym", "lemma")
                }
            ),
            seen,
        )
        # A fallback answer (relaxation stage "concepts") is an unmet need: it is logged
        # like the zero-result search it replaced, so the unmet-needs report keeps it.
        concepts = [] if fallback else [c.code for c in analysis.concepts]
        implied = [f"{f.field}:{f.value}" for f in analysis.filters]
        language = analysis.language
    else:
        normalized = " ".join(fold(query.lower()).split())
        lemmas, terms, concepts, implied, language = [], [], [], [], None
    specific = [c for c in concepts if "/" in c] or concepts
    categories = sorted(set(item.filters.get("category", [])) | set(concepts))
    districts = set(item.filters.get("district", []))
    districts |= {i.split(":", 1)[1] for i in implied if i.startswith("district:")}
    ids = [getattr(h, "id", h) for h in item.hits[:TOP_RESULTS]]
    return {
        **entry,
        "query": query,
        "normalized": normalized,
        "lemmas": lemmas,
        "terms": terms,
        "concepts": concepts,
        "concept": specific[0] if specific else None,
        "language": language,
        "ui_lang": item.ui_lang,
        "implied": implied,
        "implied_unmet": _implied_unmet(analysis, item.hits) if analysis else [],
        "filters": _stored_filters(item.filters),
        "categories": categories,
        "districts": sorted(districts),
        "total": 0 if fallback else item.total,
        "results": [str(i) for i in ids],
        "latency_ms": item.latency_ms,
        "page": item.page,
    }


# --------------------------------------------------------------------------- the writer


class Sender(Protocol):
    def __call__(self, entries: list[dict[str, Any]]) -> None: ...


def celery_sender(entries: list[dict[str, Any]]) -> None:
    """Hand a batch to the log worker; the API decides where its log lives (prefix)."""
    from api.context import task_queue

    task_queue().send_searchlog(entries, log_settings().index_prefix)


class LogWriter:
    """Bounded buffer + background flusher; ``record`` never blocks and never raises."""

    def __init__(
        self, send: Sender, capacity: int = 10_000, batch: int = 500, interval: float = 1.0
    ) -> None:
        self.send = send
        self.capacity = capacity
        self.batch = batch
        self.interval = interval
        self.enabled = True
        self._buffer: deque[Pending] = deque()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self.counters = {
            "recorded": 0,
            "sent": 0,
            "dropped_full": 0,
            "dropped_unavailable": 0,
            "failed": 0,
            "batches": 0,
        }
        self.last_error: str | None = None

    def record(self, item: Pending) -> bool:
        if len(self._buffer) >= self.capacity:
            self.counters["dropped_full"] += 1
            return False
        self._buffer.append(item)  # deque.append is atomic
        self.counters["recorded"] += 1
        if self._pid != os.getpid():
            self._start()
        if len(self._buffer) >= self.batch:
            self._wake.set()
        return True

    def _start(self) -> None:
        with self._lock:
            if self._pid == os.getpid() and self._thread and self._thread.is_alive():
                return
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="searchlog-writer", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            self._wake.wait(self.interval)
            self._wake.clear()
            try:
                self.flush()
            except Exception:  # never let the thread die
                log.exception("search log flush failed")

    def flush(self) -> int:
        """Send everything buffered now; returns the number of entries sent."""
        sent = 0
        with self._lock:
            while self._buffer:
                items = [self._buffer.popleft() for _ in range(min(self.batch, len(self._buffer)))]
                entries = []
                for item in items:
                    try:
                        entries.append(to_entry(item))
                    except Exception:
                        self.counters["failed"] += 1
                        log.exception("could not build a search log entry")
                try:
                    self.send(entries)
                except Exception as exc:  # Redis down or any transport problem
                    self.counters["dropped_unavailable"] += len(entries)
                    self.last_error = f"{type(exc).__name__}: {exc}"[:300]
                    log.warning("search log: %d entries dropped: %s", len(entries), exc)
                    continue
                self.counters["sent"] += len(entries)
                self.counters["batches"] += 1
                sent += len(entries)
        return sent

    def status(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "buffered": len(self._buffer),
            "capacity": self.capacity,
            **self.counters,
            "last_error": self.last_error,
            "degraded": bool(self.counters["dropped_unavailable"] and self.last_error),
        }


_writer: LogWriter | None = None
_writer_lock = threading.Lock()


def writer() -> LogWriter:
    global _writer
    if _writer is None:
        with _writer_lock:
            if _writer is None:
                conf = settings.CONFIG
                _writer = LogWriter(
                    celery_sender,
                    conf.searchlog_queue_size,
                    conf.searchlog_batch_size,
                    conf.searchlog_flush_interval,
                )
                _writer.enabled = conf.searchlog_enabled
    return _writer


def writer_status() -> dict[str, Any]:
    return writer().status()


# --------------------------------------------------------------------------- entry points

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
