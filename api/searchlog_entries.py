"""Log entries: what a request left behind, turned into the stored document.

This is where personal data is redacted (e-mail addresses, phone numbers, IBANs, exact
locations, a person in danger's own words), in the API process and before an entry is
handed to the task queue, so nothing unredacted reaches Redis, the worker or
Elasticsearch. Building an entry is left to the writer's background thread
(:mod:`api.searchlog_writer`), so the request path only keeps a small :class:`Pending`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from analyzers import fold
from analyzers.crisis import detect as detect_crisis
from analyzers.models import CrisisSignal
from analyzers.redaction import redact, redact_terms
from analyzers.tokens import tokenize

if TYPE_CHECKING:
    from analyzers import QueryAnalysis

TOP_RESULTS = 10


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
