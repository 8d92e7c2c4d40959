"""The database side of the HSDS API: filtered, paged record ids and id look-ups.

HSDS ids are UUIDs derived from record ids and organisation names (``directory.hsds_ids``)
and the database does not store them (the data model is unchanged). Looking one up means
knowing the ids of every row; that index is built once and reused while the table's
fingerprint (row count, highest revision) stays the same: every save raises the highest
revision, every delete lowers the count.

Filters the database cannot express portably (a category of the JSON list, a distance)
run in Python over the few columns they need; everything is ordered by record id, so
pages are stable.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Q

from directory.errors import DirectoryError
from directory.hsds_ids import organization_id, service_at_location_id, service_id
from directory.hsds_values import revision_after
from directory.models import Provider

EARTH_KM = 6371.0088
DEFAULT_RADIUS_KM = 5.0


class HsdsQueryError(DirectoryError):
    """A parameter of an HSDS request that cannot be understood (HTTP 400)."""


@dataclass(frozen=True)
class Near:
    lat: float
    lon: float
    km: float


@dataclass(frozen=True)
class ServiceFilter:
    """What a list of services asks for; ``category`` matches its service types too."""

    category: str | None = None
    modified_after: datetime | None = None
    postcode: str | None = None
    near: Near | None = None
    located: bool = False  # only records with a place (service_at_locations)


def build_filter(
    category: str | None = None,
    modified_after: datetime | None = None,
    postcode: str | None = None,
    proximity: str | None = None,
    located: bool = False,
) -> ServiceFilter | None:
    """The filter of an HSDS request; None when nothing can match (a postcode without any
    located record to measure from).

    ``proximity`` is ``lat,long[,km]`` (then a postcode filters as well), or a number of
    metres from the postcode's centre, as the HSDS API reference describes it.
    """
    postcode = (postcode or "").strip() or None
    near = None
    if proximity:
        numbers = _numbers(proximity)
        if len(numbers) == 1 and postcode and 0 < numbers[0] <= 200_000:
            centre = postcode_centre(postcode)
            if centre is None:
                return None
            near, postcode = Near(*centre, numbers[0] / 1000), None
        elif len(numbers) in (2, 3):
            near = _near(*numbers)
        if near is None:
            raise HsdsQueryError(
                "proximity must be 'lat,long' or 'lat,long,km' (0 < km <= 200), "
                "or metres (up to 200000) together with a postcode"
            )
    return ServiceFilter(category, modified_after, postcode, near, located)


def _numbers(text: str) -> list[float]:
    try:
        numbers = [float(part) for part in text.split(",")]
    except ValueError:
        return []
    return numbers if all(math.isfinite(n) for n in numbers) else []


def _near(lat: float, lon: float, km: float = DEFAULT_RADIUS_KM) -> Near | None:
    if -90 <= lat <= 90 and -180 <= lon <= 180 and 0 < km <= 200:
        return Near(lat, lon, km)
    return None


def postcode_centre(postcode: str) -> tuple[float, float] | None:
    """The centre of our located records with this postcode (we keep no postcode areas)."""
    rows = Provider.objects.filter(postal_code=postcode.strip(), lat__isnull=False)
    points: list[tuple[float, float]] = [
        (float(lat), float(lon))
        for lat, lon in rows.values_list("lat", "lon")
        if lat is not None and lon is not None
    ]
    if not points:
        return None
    lats, lons = zip(*points, strict=True)
    return sum(lats) / len(points), sum(lons) / len(points)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), as Elasticsearch's ``geo_distance`` measures."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(a))


def in_category(codes: Sequence[str], wanted: str) -> bool:
    return any(code == wanted or code.startswith(wanted + "/") for code in codes)


def page_of_ids(wanted: ServiceFilter, page: int, per_page: int) -> tuple[int, list[str]]:
    """(total, record ids of the page) of the records that match, ordered by id."""
    rows = Provider.objects.order_by("id")
    if wanted.modified_after is not None:
        rows = rows.filter(revision__gte=revision_after(wanted.modified_after))
    if wanted.postcode:
        rows = rows.filter(postal_code=wanted.postcode)
    if wanted.located:
        rows = rows.filter(Q(lat__isnull=False) | ~Q(street="") | ~Q(postal_code="") | ~Q(city=""))
    start = (page - 1) * per_page
    if wanted.category is None and wanted.near is None:
        return rows.count(), list(rows.values_list("id", flat=True)[start : start + per_page])
    ids = [
        record_id
        for record_id, codes, lat, lon in rows.values_list("id", "categories", "lat", "lon")
        if _matches(wanted, codes, lat, lon)
    ]
    return len(ids), ids[start : start + per_page]


def _matches(wanted: ServiceFilter, codes: Sequence[str], lat: Any, lon: Any) -> bool:
    if wanted.category is not None and not in_category(codes, wanted.category):
        return False
    near = wanted.near
    return near is None or (
        lat is not None and lon is not None and distance_km(near.lat, near.lon, lat, lon) <= near.km
    )


def page_object(
    contents: list[dict[str, Any]], total: int, page_number: int, per_page: int
) -> dict[str, Any]:
    """A page as the HSDS API reference's ``Page`` schema describes it."""
    pages = math.ceil(total / per_page)
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page_number,
        "size": len(contents),
        "first_page": page_number == 1,
        "last_page": page_number >= pages,
        "empty": total == 0,
        "contents": contents,
    }


def records(ids: Sequence[str]) -> list[dict[str, Any]]:
    """The records of ``ids`` in that order (missing ones left out)."""
    by_id = {record["id"]: record for record in Provider.load_records(ids)}
    return [by_id[record_id] for record_id in ids if record_id in by_id]


@dataclass(frozen=True)
class IdIndex:
    """HSDS ids of every row: services, service-at-locations, organisations."""

    services: dict[str, str]  # service id → record id
    at_locations: dict[str, str]  # service_at_location id → record id
    organizations: dict[str, tuple[str, list[str]]]  # id → (name, record ids)


_lock = threading.Lock()
_index: tuple[tuple[int, int | None], IdIndex] | None = None


def id_index() -> IdIndex:
    """The index of HSDS ids, rebuilt only when the table changed since the last one."""
    global _index
    stats = Provider.objects.aggregate(count=Count("id"), top=Max("revision"))
    fingerprint = (stats["count"], stats["top"])
    with _lock:
        if _index is not None and _index[0] == fingerprint:
            return _index[1]
    services: dict[str, str] = {}
    at_locations: dict[str, str] = {}
    organizations: dict[str, tuple[str, list[str]]] = {}
    for record_id, name, owner in Provider.objects.order_by("id").values_list(
        "id", "name", "organization"
    ):
        services[service_id(record_id)] = record_id
        at_locations[service_at_location_id(record_id)] = record_id
        key = organization_id(owner or "", record_id)
        organizations.setdefault(key, ((owner or "").strip() or name, []))[1].append(record_id)
    ordered = dict(sorted(organizations.items(), key=lambda item: (item[1][0], item[0])))
    index = IdIndex(services, at_locations, ordered)
    with _lock:
        _index = (fingerprint, index)
    return index
