"""The search as a service: analyse, query, relax, shape, and reuse answers.

One :class:`Searcher` is built with the Elasticsearch client, the indexer's settings, the
crisis lines and the answer cache it uses; the search endpoint, the web pages and the
benchmarks call the same object, so that what is measured is what is served.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from elasticsearch import Elasticsearch

from analyzers import QueryAnalysis, analyze_query, highlight, relax, taxonomy
from api.answers import AnswerCache
from api.crisis import block as crisis_block
from api.search_models import (
    Category,
    FacetValue,
    ImpliedFilterOut,
    QueryExplanation,
    SearchHit,
    SearchParams,
    SearchResponse,
)
from indexer import associations
from indexer.hours import minute_of_week
from indexer.request import Filters, Near, SearchRequest
from indexer.search import SearchResult, did_you_mean, execute
from indexer.settings import IndexerSettings

CITY_TZ = ZoneInfo("Europe/Berlin")
Moment = tuple[int, date]  # minute of the week and day an answer's "open now" was shaped for


def to_request(params: SearchParams, now: datetime | None = None) -> SearchRequest:
    near = None
    if params.near:
        lat, lon = (float(part) for part in params.near.split(","))
        near = Near(lat, lon, params.radius_km)
    moment = now or datetime.now(CITY_TZ)
    minute = minute_of_week(moment) if params.open_now else None
    day = moment.date().isoformat() if params.open_now else None
    filters = Filters(
        category=tuple(params.category),
        district=tuple(params.district),
        language=tuple(params.language),
        target_group=tuple(params.target_group),
        cost=tuple(params.cost),
        wheelchair=params.wheelchair,
        open_minute=minute,
        open_day=day,
    )
    return SearchRequest(
        text=params.q.strip(),
        filters=filters,
        near=near,
        page=params.page,
        size=params.size,
        sort=params.sort,
        ui_language=params.lang,
        apply_implied_filters=params.apply_implied,
    )


def _label(code: str, lang: str) -> str:
    return taxonomy.label(code, lang)


def _facet_label(facet: str, value: Any, lang: str) -> str:
    if facet in ("category", "area"):
        return _label(str(value), lang)
    return str(value)


def explain(analysis: QueryAnalysis, request: SearchRequest) -> QueryExplanation:
    data = analysis.to_dict()
    treatment: Literal["applied", "boosted"] = (
        "applied" if request.apply_implied_filters else "boosted"
    )
    concepts = [
        {**c, "label": _label(c["code"], request.ui_language)} for c in data.get("concepts", [])
    ]
    return QueryExplanation(
        text=analysis.text,
        language=analysis.language,
        language_confidence=analysis.language_confidence,
        words=data.get("words", []),
        expansions=data.get("expansions", []),
        concepts=concepts,
        implied_filters=[
            ImpliedFilterOut(field=f.field, value=f.value, text=f.text, treatment=treatment)
            for f in analysis.filters
        ],
        crisis=analysis.crisis.kind if analysis.crisis else None,
        stage=analysis.stage,
    )


def _open_at(
    response: SearchResponse, result: SearchResult, minute: int, day: date
) -> SearchResponse:
    hits = [
        shaped.model_copy(update={"open_now": hit.is_open(minute, day)})
        for shaped, hit in zip(response.hits, result.hits, strict=True)
    ]
    return response.model_copy(update={"hits": hits})


def _params_key(params: SearchParams) -> tuple[tuple[str, Any], ...]:
    return tuple(
        (name, tuple(value) if isinstance(value, list) else value)
        for name, value in params.model_dump().items()
    )


@dataclass
class Searcher:
    """The search path, with everything it needs handed in (no global lookups)."""

    client: Elasticsearch
    conf: IndexerSettings
    crisis_lines_file: str = ""
    answers: AnswerCache | None = None  # None: every question is computed

    def run(
        self, params: SearchParams, now: datetime | None = None
    ) -> tuple[SearchRequest, QueryAnalysis | None, SearchResult]:
        """Analyse, query and, when nothing is found, relax step by step."""
        request = to_request(params, now)
        client, conf = self.client, self.conf
        learned = associations.current(client, conf) if request.text else {}
        analysis = analyze_query(request.text, learned) if request.text else None
        result = execute(client, conf, request, analysis)
        if analysis is not None and result.total == 0:
            # No dead ends: relax step by step (analyzers.relax); the answer names the stage.
            for relaxed in relax.stages(analysis, lambda text: analyze_query(text, learned)):
                outcome = execute(client, conf, request, relaxed)
                if outcome.total:
                    return request, relaxed, outcome
        return request, analysis, result

    def shape(
        self,
        request: SearchRequest,
        analysis: QueryAnalysis | None,
        result: SearchResult,
        now: datetime | None = None,
    ) -> SearchResponse:
        """The answer: highlighted hits, labelled facets, explanation, crisis block."""
        moment = now or datetime.now(CITY_TZ)
        minute, day = minute_of_week(moment), moment.date()
        lang = request.ui_language
        terms = highlight.query_terms(analysis) if analysis is not None else frozenset()
        hits = []
        for hit in result.hits:
            src = hit.source
            hits.append(
                SearchHit(
                    id=hit.id,
                    name=src["name"],
                    organization=src.get("organization") or "",
                    snippet=highlight.snippet(src.get("description") or "", terms),
                    name_highlighted=highlight.mark(src["name"], terms),
                    categories=[
                        Category(code=c, label=_label(c, lang)) for c in src.get("categories", [])
                    ],
                    district=src.get("district"),
                    distance_km=hit.distance_km,
                    languages=src.get("languages", []),
                    open_now=hit.is_open(minute, day),
                    cost=src.get("cost"),
                    wheelchair=bool(src.get("wheelchair")),
                    score=hit.score,
                )
            )
        facets = {
            name: [
                FacetValue(
                    value=str(value).lower() if name == "wheelchair" else str(value),
                    label=_facet_label(name, value, lang),
                    count=count,
                )
                for value, count in values
            ]
            for name, values in result.facets.items()
        }
        suggestion = None
        if analysis is not None and result.total < 3 and analysis.words:
            suggestion = did_you_mean(self.client, self.conf, analysis)
        crisis = None
        if analysis is not None and analysis.crisis is not None:
            crisis = crisis_block(
                analysis.crisis, lang, analysis.language, hits, self.crisis_lines_file
            )
        return SearchResponse(
            crisis=crisis,
            total=result.total,
            page=request.page,
            size=request.size,
            hits=hits,
            facets=facets,
            query=explain(analysis, request) if analysis else None,
            did_you_mean=suggestion,
            took_ms=result.took_ms,
        )

    def answer(
        self, params: SearchParams, now: datetime | None = None
    ) -> tuple[QueryAnalysis | None, SearchResult, SearchResponse]:
        """Run and shape a search, or reuse the answer to the same question.

        The minute of the week and the day (slots may hold between dates) are part of the
        question only when "open now" filters; otherwise a reused answer gets each hit's
        "open now" label recomputed for this minute. The response is a copy: the caller
        stamps its log ids on it.
        """
        now = now or datetime.now(CITY_TZ)
        minute, day = minute_of_week(now), now.date()

        def compute() -> tuple[QueryAnalysis | None, SearchResult, SearchResponse, Moment]:
            request, analysis, result = self.run(params, now)
            return analysis, result, self.shape(request, analysis, result, now), (minute, day)

        if self.answers is None:
            analysis, result, response, shaped_at = compute()
        else:
            when = (minute, day) if params.open_now else None
            key = (self.conf.alias, _params_key(params), when)
            analysis, result, response, shaped_at = self.answers.reuse(key, compute)
        if shaped_at != (minute, day):
            response = _open_at(response, result, minute, day)
        return analysis, result, response.model_copy()
