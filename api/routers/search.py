"""``GET /search``: HTTP only; the search itself is :class:`api.searcher.Searcher`."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from api.context import searcher
from api.search_models import SearchParams, SearchResponse
from api.searchlog import record_search

router = Router(tags=["search"])


@router.get("", response=SearchResponse, summary="Search providers")
def search(request: HttpRequest, params: Query[SearchParams]) -> SearchResponse:
    response: SearchResponse = record_search(request, params, searcher().answer)  # never fails
    return response
