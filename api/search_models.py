"""The search's shapes: the query parameters and the answer (HTTP API, pages, benchmarks)."""

from __future__ import annotations

from typing import Any, Literal

from ninja import Schema
from pydantic import BaseModel, Field, field_validator

from analyzers.query import MAX_QUERY_CHARS
from api.crisis import CrisisBlock
from configuration.languages import UiLanguage

# A message typed into the search box may tell a story of several sentences: as long as the
# analysis reads (analyzers.query.MAX_QUERY_CHARS), not cut at a search-box length.
MAX_QUERY = MAX_QUERY_CHARS
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
