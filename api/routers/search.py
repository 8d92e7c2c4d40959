"""``GET /search``: fuzzy, ranked, multilingual search with disjunctive facets."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import BaseModel, Field, field_validator

from analyzers import QueryAnalysis, analyze_query, highlight, relax, taxonomy
from api.answers import search_answers
from api.context import es, indexer_settings
from api.crisis import CrisisBlock
from api.crisis import block as crisis_block
from api.searchlog import record_search
from configuration.languages import UiLanguage
from indexer import associations
from indexer.client import get_client
from indexer.hours import minute_of_week
from indexer.request import Filters, Near, SearchRequest
from indexer.search import SearchResult, did_you_mean, execute
from indexer.settings import IndexerSettings

router = Router(tags=["search"])
CITY_TZ = ZoneInfo("Europe/Berlin")

MAX_QUERY = 200
# lat,lon within range, so that the OpenAPI schema promises only what the validator accepts.
NEAR_PATTERN = (
    r"^-?(90(\.0+)?|[0-8]?\d(\.\d+)?),"
    r"-?(180(\.0+)?|(1[0-7]\d|0?\d?\d)(\.\d+)?)$"
)


class SearchParams(Schema):
    q: str = Field(
        default="", max_length=MAX_QUERY, description="Free text; may be empty to browse"
    )
    category: list[str] = Field(default=[], max_length=20, description="Service type or area codes")
    district: list[str] = Field(default=[], max_length=20)
    language: list[str] = Field(default=[], max_length=20, description="ISO 639-1 codes")
    target_group: list[str] = Field(default=[], max_length=20)
    cost: list[Literal["kostenlos", "teilweise kostenpflichtig", "kostenpflichtig"]] = Field(
        default=[], max_length=3
    )
    wheelchair: bool | None = None
    open_now: bool = False
    near: str | None = Field(default=None, description="lat,lon", pattern=NEAR_PATTERN)
    radius_km: float | None = Field(default=None, gt=0, le=200)
    page: int = Field(default=1, ge=1, le=100)
    size: int = Field(default=10, ge=1, le=50)
    sort: Literal["relevance", "distance", "name"] = "relevance"
    lang: UiLanguage = Field(default="de", description="Language of labels in the answer")
    apply_implied: bool = Field(
        default=False, description="Apply filters the text implies instead of boosting"
    )

    @field_validator("near")
    @classmethod
    def _near_in_range(cls, value: str | None) -> str | None:
        if value is None:
            return value
        lat, lon = (float(part) for part in value.split(","))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError("near must be lat,lon with -90<=lat<=90 and -180<=lon<=180")
        return value


# Answers are plain pydantic models: Ninja's ``Schema`` reads every value through a getter
# meant for ORM objects, which made shaping a page of hits cost milliseconds.
class Category(BaseModel):
    code: str
    label: str


class SearchHit(BaseModel):
    id: str
    name: str
    organization: str
    snippet: str = Field(
        description="About 160 characters of the description around the matched words: "
        "HTML-escaped, matched words in <mark>"
    )
    name_highlighted: str = Field(description="The name, HTML-escaped, matched words in <mark>")
    categories: list[Category]
    district: str | None
    distance_km: float | None
    languages: list[str]
    open_now: bool | None
    cost: str | None
    wheelchair: bool
    score: float | None
    click_token: str | None = Field(
        default=None, description="Send with a click on this hit (POST /events/click)"
    )


class FacetValue(BaseModel):
    value: str
    label: str
    count: int


class ImpliedFilterOut(BaseModel):
    field: str
    value: str
    text: str
    treatment: Literal["applied", "boosted"]


class QueryExplanation(BaseModel):
    text: str
    language: str
    language_confidence: float
    words: list[dict[str, Any]]
    expansions: list[dict[str, Any]]
    concepts: list[dict[str, Any]]
    implied_filters: list[ImpliedFilterOut]
    crisis: str | None = Field(default=None, description="Kind of danger the text expresses")
    stage: str = Field(
        default="words",
        description="Which relaxation stage answered: words, fuzzy, transliterated, concepts",
    )


class SearchResponse(BaseModel):
    crisis: CrisisBlock | None = Field(
        default=None, description="Present when the query expresses acute danger: lines first"
    )
    total: int
    page: int
    size: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetValue]]
    query: QueryExplanation | None
    did_you_mean: str | None
    took_ms: int
    query_id: str | None = None  # for click/feedback events; session: the visit's log token
    session: str | None = None


def to_request(params: SearchParams, now: datetime | None = None) -> SearchRequest:
    near = None
    if params.near:
        lat, lon = (float(part) for part in params.near.split(","))
        near = Near(lat, lon, params.radius_km)
    minute = minute_of_week(now or datetime.now(CITY_TZ)) if params.open_now else None
    filters = Filters(
        category=tuple(params.category),
        district=tuple(params.district),
        language=tuple(params.language),
        target_group=tuple(params.target_group),
        cost=tuple(params.cost),
        wheelchair=params.wheelchair,
        open_minute=minute,
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


def run(
    params: SearchParams, now: datetime | None = None, conf: IndexerSettings | None = None
) -> tuple[SearchRequest, QueryAnalysis | None, SearchResult]:
    """The search path shared by the endpoint and the relevance benchmark."""
    request = to_request(params, now)
    conf = conf or indexer_settings()
    client = get_client(conf)
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


def shape(
    request: SearchRequest,
    analysis: QueryAnalysis | None,
    result: SearchResult,
    now: datetime | None = None,
) -> SearchResponse:
    minute = minute_of_week(now or datetime.now(CITY_TZ))
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
                open_now=hit.is_open(minute),
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
        suggestion = did_you_mean(es(), indexer_settings(), analysis)
    crisis = None
    if analysis is not None and analysis.crisis is not None:
        crisis = crisis_block(
            analysis.crisis, lang, analysis.language, hits, settings.CONFIG.crisis_lines_file
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
    params: SearchParams, now: datetime | None = None
) -> tuple[QueryAnalysis | None, SearchResult, SearchResponse]:
    """Run and shape a search, or reuse the answer to the same question (``api.answers``).

    The minute of the week is part of the question only when "open now" filters; otherwise
    a reused answer gets each hit's "open now" label recomputed for this minute.
    """
    now = now or datetime.now(CITY_TZ)
    minute = minute_of_week(now)
    key = (indexer_settings().alias, _params_key(params), minute if params.open_now else None)

    def compute() -> tuple[QueryAnalysis | None, SearchResult, SearchResponse, int]:
        request, analysis, result = run(params, now)
        return analysis, result, shape(request, analysis, result, now), minute

    analysis, result, response, shaped_at = search_answers.reuse(key, compute)
    if shaped_at != minute:
        response = _open_at(response, result, minute)
    return analysis, result, response.model_copy()  # the caller stamps its log ids on it


def _open_at(response: SearchResponse, result: SearchResult, minute: int) -> SearchResponse:
    hits = [
        shaped.model_copy(update={"open_now": hit.is_open(minute)})
        for shaped, hit in zip(response.hits, result.hits, strict=True)
    ]
    return response.model_copy(update={"hits": hits})


def _params_key(params: SearchParams) -> tuple[tuple[str, Any], ...]:
    return tuple(
        (name, tuple(value) if isinstance(value, list) else value)
        for name, value in params.model_dump().items()
    )


@router.get("", response=SearchResponse, summary="Search providers")
def search(request: HttpRequest, params: Query[SearchParams]) -> SearchResponse:
    response: SearchResponse = record_search(request, params, answer)  # never fails the search
    return response
