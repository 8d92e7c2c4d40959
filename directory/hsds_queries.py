"""The database side of the HSDS API: filtered, paged record ids and id look-ups.

Organisations and services are rows with their HSDS ids; a service at a location is
named by a UUID derived from its record id (``directory.hsds_ids``), which the database
does not store. Looking one up means knowing the ids of every record; that index is built
once and reused while the fingerprint (record count, highest revision) stays the same:
every change to a row a record is built from raises the highest revision, every delete
lowers the count.

A distance is measured in Python over the few columns it needs; everything is ordered by
record id (a service by its first record), so pages are stable.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Min, Q

from directory.errors import DirectoryError
from directory.exchange import load_hsds_records
from directory.hsds_ids import service_at_location_id
from directory.hsds_values import revision_after
from directory.models import Organization, ServiceAtLocation

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
    rows = ServiceAtLocation.objects.filter(
        location__postal_code=postcode.strip(), location__lat__isnull=False
    )
    points: list[tuple[float, float]] = [
        (float(lat), float(lon))
        for lat, lon in rows.values_list("location__lat", "location__lon")
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


def page_of_ids(
    wanted: ServiceFilter, page: int, per_page: int, per_service: bool = False
) -> tuple[int, list[str]]:
    """(total, record ids of the page) of the records that match, ordered by id;
    ``per_service``: only the first record of each service (a service is listed once)."""
    rows = ServiceAtLocation.objects.order_by("id")
    if per_service:
        firsts = ServiceAtLocation.objects.values("service_id").annotate(first=Min("id"))
        rows = rows.filter(id__in=firsts.values("first"))
    if wanted.modified_after is not None:
        rows = rows.filter(revision__gte=revision_after(wanted.modified_after))
    if wanted.postcode:
        rows = rows.filter(location__postal_code=wanted.postcode)
    if wanted.located:
        rows = rows.filter(location__isnull=False).filter(
            Q(location__lat__isnull=False)
            | ~Q(location__street="")
            | ~Q(location__postal_code="")
            | ~Q(location__city="")
        )
    if wanted.category is not None:
        code = wanted.category
        filed = ServiceAtLocation.objects.filter(
            Q(service__attributes__term__code=code)
            | Q(service__attributes__term__code__startswith=code + "/")
        )
        rows = rows.filter(id__in=filed.values("id"))
    start = (page - 1) * per_page
    if wanted.near is None:
        return rows.count(), list(rows.values_list("id", flat=True)[start : start + per_page])
    near = wanted.near
    ids = [
        record_id
        for record_id, lat, lon in rows.values_list("id", "location__lat", "location__lon")
        if lat is not None
        and lon is not None
        and distance_km(near.lat, near.lon, lat, lon) <= near.km
    ]
    return len(ids), ids[start : start + per_page]


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
    """The records of ``ids`` in that order (missing ones left out), with their rows."""
    by_id = {record["id"]: record for record in load_hsds_records(ids)}
    return [by_id[record_id] for record_id in ids if record_id in by_id]


def siblings(found: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Service id → the records of each service of ``found`` other than the first of
    ``found`` (the one it is shown at); a service with one record reads nothing."""
    services = {record["hsds"]["service_id"] for record in found}
    shared = (
        ServiceAtLocation.objects.filter(service_id__in=services)
        .values("service_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values("service_id")
    )
    rows = ServiceAtLocation.objects.filter(service_id__in=shared).order_by("id")
    every: dict[str, list[dict[str, Any]]] = {}
    for record in records(list(rows.values_list("id", flat=True))):
        every.setdefault(record["hsds"]["service_id"], []).append(record)
    first: dict[str, str] = {}
    for record in found:  # the record each service is shown at
        first.setdefault(record["hsds"]["service_id"], record["id"])
    return {sid: [r for r in group if r["id"] != first[sid]] for sid, group in every.items()}


@dataclass(frozen=True)
class IdIndex:
    """HSDS ids of every row: services, service-at-locations, organisations."""

    services: dict[str, str]  # service id → its first record id
    at_locations: dict[str, str]  # service_at_location id → record id
    organizations: dict[str, tuple[str, list[str]]]  # id → (name, record ids)


_lock = threading.Lock()
_index: tuple[tuple[int, int | None, int], IdIndex] | None = None


def id_index() -> IdIndex:
    """The index of HSDS ids, rebuilt only when the records changed since the last one."""
    global _index
    stats = ServiceAtLocation.objects.aggregate(count=Count("id"), top=Max("revision"))
    fingerprint = (stats["count"], stats["top"], Organization.objects.count())
    with _lock:
        if _index is not None and _index[0] == fingerprint:
            return _index[1]
    services: dict[str, str] = {}
    at_locations: dict[str, str] = {}
    organizations: dict[str, tuple[str, list[str]]] = {}
    for record_id, sid, org_id, owner, name in ServiceAtLocation.objects.order_by(
        "id"
    ).values_list(
        "id", "service_id", "service__organization_id", "service__organization__name",
        "service__name",
    ):  # fmt: skip
        services.setdefault(sid, record_id)
        at_locations[service_at_location_id(record_id)] = record_id
        organizations.setdefault(org_id, (owner or name, []))[1].append(record_id)
    ordered = dict(sorted(organizations.items(), key=lambda item: (item[1][0], item[0])))
    index = IdIndex(services, at_locations, ordered)
    with _lock:
        _index = (fingerprint, index)
    return index
