"""``/hsds/``: the directory in Open Referral HSDS 3.0's API profile (HTTP only).

The objects come from :mod:`directory.hsds` and the database look-ups from
:mod:`directory.hsds_queries`. ``search`` goes through the same search service as
``GET /api/v1/search`` (``api.context.searcher``, recorded in the search log the same
way), so other systems get the multilingual, typo-tolerant ranking in HSDS's shape; without
``search`` services are listed from the database in record order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Path, Query, Router, Schema
from pydantic import Field, field_validator

from api.context import searcher
from api.errors import NotFound
from api.search_models import MAX_QUERY, SearchParams
from api.searchlog import record_search
from directory import hsds, hsds_taxonomy
from directory.hsds_queries import (
    HsdsQueryError,
    ServiceFilter,
    build_filter,
    id_index,
    page_object,
    page_of_ids,
    records,
    siblings,
)

router = Router(tags=["hsds"])
log = logging.getLogger("sozialatlas.api")

HSDS_VERSION = "3.0"
PROFILE = "https://docs.openreferral.org/en/v3.0/"
SEARCH_PAGES = 100  # the deepest page the search service serves (SearchParams.page)
Mapped = dict[str, Any]


class PageParams(Schema):
    page: int = Field(default=1, ge=1, le=1_000_000, description="Page number, from 1")
    per_page: int = Field(default=20, ge=1, le=50, description="Items per page")


class ServiceParams(PageParams):
    search: str = Field(
        default="", max_length=MAX_QUERY, description="Full text, as /api/v1/search's q"
    )
    taxonomy_term_id: str | None = Field(default=None, max_length=36)
    modified_after: datetime | None = Field(
        default=None, description="Changed at or after this time (without search)"
    )
    postcode: str | None = Field(default=None, max_length=10)
    proximity: str | None = Field(
        default=None,
        max_length=64,
        description="lat,long[,km] (default 5 km), or metres from the postcode's centre",
    )
    full: bool = Field(default=False, description="Fully nested services in the page")

    @field_validator("modified_after", mode="before")
    @classmethod
    def _a_date_time(cls, value: Any) -> Any:
        """A date and time as the schema says, not a number read as seconds since 1970."""
        if isinstance(value, str) and value.strip().lstrip("+-").replace(".", "", 1).isdigit():
            raise ValueError("modified_after: a date and time (ISO 8601), not a number")
        return value


class TermParams(PageParams):
    parent_id: str | None = Field(default=None, max_length=36)


class Page(Schema):
    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[dict[str, Any]]


class Info(Schema):
    version: str
    profile: str
    openapi_url: str


@router.get("/", response=Info, summary="About this HSDS API")
def info(request: HttpRequest) -> Mapped:
    openapi = request.build_absolute_uri(reverse("hsds:openapi-json"))
    return {"version": HSDS_VERSION, "profile": PROFILE, "openapi_url": openapi}


def _mapped(found: Iterable[Mapped], shape: Callable[[Mapped], Mapped | None]) -> list[Mapped]:
    """Each record shaped; one that cannot be is logged and left out, not the whole page."""
    out: list[Mapped] = []
    for record in found:
        try:
            item = shape(record)
        except Exception:
            log.exception("record %s cannot be shown as HSDS", record.get("id"))
            continue
        if item is not None:
            out.append(item)
    return out


def _filter(params: ServiceParams, located: bool) -> ServiceFilter | None:
    category = None
    if params.taxonomy_term_id:
        category = hsds_taxonomy.code_of_term(params.taxonomy_term_id)
        if category is None:
            return None  # a term we do not have files nothing
    return build_filter(category, params.modified_after, params.postcode, params.proximity, located)


def _searched(
    request: HttpRequest, params: ServiceParams, wanted: ServiceFilter
) -> tuple[int, list[str]]:
    """(total, record ids) from the search service, recorded in the search log as a search
    of ``/api/v1/search`` is."""
    if wanted.modified_after is not None or wanted.postcode:
        raise HsdsQueryError(
            "search combines with taxonomy_term_id and proximity (or postcode with metres), "
            "not with modified_after or a postcode alone"
        )
    beyond = params.page > SEARCH_PAGES  # past the window a search pages through: empty
    near = wanted.near
    question = SearchParams(
        q=params.search,
        category=[wanted.category] if wanted.category else [],
        near=f"{near.lat:.6f},{near.lon:.6f}" if near else None,
        radius_km=near.km if near else None,
        page=1 if beyond else params.page,
        size=params.per_page,
    )
    answer = record_search(request, question, searcher().answer)
    return int(answer.total), [] if beyond else [str(hit.id) for hit in answer.hits]


def _listing(
    request: HttpRequest,
    params: ServiceParams,
    located: bool,
    shape: Callable[[Mapped, list[Mapped]], Any],
    per_service: bool = False,
) -> Mapped:
    """A page of records, each shaped with the records of its service at other places
    (read for the whole page at once, and only for fully nested services)."""
    wanted = _filter(params, located)
    ids: list[str] = []
    total = 0
    if wanted is not None and params.search.strip():
        total, ids = _searched(request, params, wanted)
    elif wanted is not None:
        total, ids = page_of_ids(wanted, params.page, params.per_page, per_service)
    found = records(ids)
    others = siblings(found) if per_service and params.full else {}
    contents = _mapped(found, lambda r: shape(r, others.get(hsds.the_service_id(r), [])))
    return page_object(contents, total, params.page, params.per_page)


@router.get("/services", response=Page, summary="Services, paged; search like /api/v1")
def services(request: HttpRequest, params: Query[ServiceParams]) -> Mapped:
    def shape(record: Mapped, others: list[Mapped]) -> Mapped:
        return hsds.service(record, others) if params.full else hsds.service_summary(record, True)

    return _listing(request, params, False, shape, per_service=True)


def _record(record_id: str | None, what: str, hsds_id: str) -> Mapped:
    found = records([record_id]) if record_id else []
    if not found:
        raise NotFound(f"no {what} with id {hsds_id[:40]!r}")
    return found[0]


@router.get("/services/{service_id}", response=dict[str, Any], summary="One service, nested")
def service(request: HttpRequest, service_id: Path[str]) -> Mapped:
    record = _record(id_index().services.get(service_id), "service", service_id)
    return hsds.service(record, siblings([record]).get(hsds.the_service_id(record), []))


@router.get("/service_at_locations", response=Page, summary="Services at their locations")
def service_at_locations(request: HttpRequest, params: Query[ServiceParams]) -> Mapped:
    def shape(record: Mapped, others: list[Mapped]) -> Mapped | None:
        return hsds.service_at_location(record, full=params.full, with_service=True)

    return _listing(request, params, True, shape)


@router.get(
    "/service_at_locations/{sal_id}", response=dict[str, Any], summary="One service at a place"
)
def service_at_location(request: HttpRequest, sal_id: Path[str]) -> Mapped:
    record = _record(id_index().at_locations.get(sal_id), "service_at_location", sal_id)
    found = hsds.service_at_location(record, with_service=True)
    if found is None:
        raise NotFound(f"no service_at_location with id {sal_id[:40]!r}")
    return found


@router.get("/organizations", response=Page, summary="Organisations, paged")
def organizations(request: HttpRequest, params: Query[PageParams]) -> Mapped:
    everything = list(id_index().organizations.items())
    start = (params.page - 1) * params.per_page
    contents = [
        hsds.organization_named(org_id, name)
        for org_id, (name, _ids) in everything[start : start + params.per_page]
    ]
    return page_object(contents, len(everything), params.page, params.per_page)


@router.get("/organizations/{org_id}", response=dict[str, Any], summary="One organisation")
def organization(request: HttpRequest, org_id: Path[str]) -> Mapped:
    _name, ids = id_index().organizations.get(org_id, ("", []))
    found = records(ids)
    if not found:
        raise NotFound(f"no organization with id {org_id[:40]!r}")
    return hsds.organization_full(found[0], found)


def _paged(items: list[Mapped], params: PageParams) -> Mapped:
    start = (params.page - 1) * params.per_page
    chosen = items[start : start + params.per_page]
    return page_object(chosen, len(items), params.page, params.per_page)


@router.get("/taxonomies", response=Page, summary="The taxonomy of our categories")
def taxonomies(request: HttpRequest, params: Query[PageParams]) -> Mapped:
    return _paged([hsds_taxonomy.taxonomy()], params)


@router.get("/taxonomies/{taxonomy_id}", response=dict[str, Any], summary="One taxonomy")
def taxonomy(request: HttpRequest, taxonomy_id: Path[str]) -> Mapped:
    found = hsds_taxonomy.taxonomy()
    if found["id"] != taxonomy_id:
        raise NotFound(f"no taxonomy with id {taxonomy_id[:40]!r}")
    return found


@router.get("/taxonomy_terms", response=Page, summary="Terms: areas and service types")
def taxonomy_terms(request: HttpRequest, params: Query[TermParams]) -> Mapped:
    terms = hsds_taxonomy.terms()
    if params.parent_id:
        terms = [term for term in terms if term.get("parent_id") == params.parent_id]
    return _paged(terms, params)


@router.get("/taxonomy_terms/{term_id}", response=dict[str, Any], summary="One term")
def taxonomy_term(request: HttpRequest, term_id: Path[str]) -> Mapped:
    code = hsds_taxonomy.code_of_term(term_id)
    if code is None:
        raise NotFound(f"no taxonomy_term with id {term_id[:40]!r}")
    return hsds_taxonomy.term(code)
