"""``GET /suggest``: autocomplete for partner portals (names, categories, completions)."""

from __future__ import annotations

import unicodedata
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import BaseModel, Field

from analyzers import taxonomy
from api.answers import suggest_answers
from api.context import es, indexer_settings
from api.searchlog import record_suggest
from configuration.languages import UiLanguage
from indexer.search import suggest

router = Router(tags=["suggest"])


class SuggestParams(Schema):
    q: str = Field(..., min_length=1, max_length=60, description="The typed prefix")
    limit: int = Field(8, ge=1, le=20)
    lang: UiLanguage = "de"


class Suggestion(BaseModel):  # plain: see api.search_models
    type: Literal["provider", "category"]
    text: str
    id: str | None = None
    code: str | None = None
    district: str | None = None
    click_token: str | None = None  # a provider pick: send with POST /events/click


class SuggestResponse(BaseModel):  # plain: see api.search_models
    q: str
    suggestions: list[Suggestion]
    query_id: str | None = None  # for click events; session: the visit's log token
    session: str | None = None


def category_suggestions(prefix: str, lang: str, limit: int) -> list[Suggestion]:
    """Categories whose label (UI language or German) has a word starting with the prefix."""
    return [
        Suggestion(type="category", text=text, code=code)
        for code, text in taxonomy.matching_prefix(prefix, lang, limit)
    ]


@router.get("", response=SuggestResponse, summary="Autocomplete a typed prefix")
def suggest_endpoint(request: HttpRequest, params: Query[SuggestParams]) -> SuggestResponse:
    # Control characters (U+001F, U+001E, U+0000 are reserved by the completion suggester and
    # made Elasticsearch answer 400, i.e. a 500 here; found by Schemathesis) become spaces.
    prefix = "".join(" " if unicodedata.category(c) == "Cc" else c for c in params.q).strip()
    key = (indexer_settings().alias, prefix, params.lang, params.limit)
    items = suggest_answers.reuse(key, lambda: _suggestions(prefix, params.lang, params.limit))
    response = SuggestResponse(q=params.q, suggestions=list(items))
    return record_suggest(request, params, response)


def _suggestions(prefix: str, lang: str, limit: int) -> list[Suggestion]:
    if not prefix:
        return []
    categories = category_suggestions(prefix, lang, max(2, limit // 3))
    providers = suggest(es(), indexer_settings(), prefix, limit)
    items = categories + [
        Suggestion(
            type="provider",
            text=p["name"] if "name" in p else p["text"],
            id=p["id"],
            district=p.get("district"),
        )
        for p in providers
    ]
    return items[:limit]
