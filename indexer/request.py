"""What a search asks for, as plain data the query builder and the API share."""

from __future__ import annotations

from dataclasses import dataclass, field

FACETS = ("category", "district", "language", "target_group", "cost", "wheelchair")
SORTS = ("relevance", "distance", "name")


@dataclass(frozen=True)
class Filters:
    """Explicit filters; within one facet values are OR-ed, across facets AND-ed."""

    category: tuple[str, ...] = ()  # service type codes or area codes
    district: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    target_group: tuple[str, ...] = ()
    cost: tuple[str, ...] = ()
    wheelchair: bool | None = None
    open_minute: int | None = None  # minute of the week to be open at ("open now")
    open_day: str | None = None  # … on this day (ISO date), for slots valid between dates

    def is_empty(self) -> bool:
        return not (
            self.category
            or self.district
            or self.language
            or self.target_group
            or self.cost
            or self.wheelchair is not None
            or self.open_minute is not None
        )


@dataclass(frozen=True)
class Near:
    lat: float
    lon: float
    radius_km: float | None = None


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    filters: Filters = field(default_factory=Filters)
    near: Near | None = None
    page: int = 1
    size: int = 10
    sort: str = "relevance"
    ui_language: str = "de"
    apply_implied_filters: bool = False  # False: filters implied by the text only boost
    facets: bool = True
