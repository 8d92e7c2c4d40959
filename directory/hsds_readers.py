"""Reading HSDS 3.0 JSON: service, organisation and service-at-location objects, lists, pages.

HSDS nests what our flat record keeps together (in the tabular form, it spreads it over
files: ``directory.hsds_package``). Either way the import needs the same thing: each
service at each of its locations, with its organisation, phones, schedules, languages,
cost options and taxonomy terms at hand (:class:`ServiceItem`); turning that into our
record is ``directory.hsds_import``'s job.

A file holds one object (full, or as a list item), a list of them (mixed, too), or a
page whose ``contents`` are; references by id (``service_id``, ``location_id``,
``organization_id``) are resolved against every object of the file, which is read whole.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from directory.errors import ImportFileError, RecordError
from directory.readers import FALLBACK_ENCODING

Obj = dict[str, Any]


@dataclass(frozen=True)
class ServiceItem:
    """One service at one of its locations (``at_location`` None: it has no location)."""

    service: Obj
    organization: Obj | None
    at_location: Obj | None


HsdsItem = tuple[int, ServiceItem | RecordError]

# Fields only a service has, and fields only an organisation has: what an object is.
_SERVICE_KEYS = frozenset({
    "status", "url", "organization_id", "program_id", "service_at_locations", "program",
    "fees_description", "eligibility_description", "application_process", "assured_date",
    "cost_options", "interpretation_services",
})  # fmt: skip
_ORGANIZATION_KEYS = frozenset({
    "services", "website", "tax_status", "tax_id", "year_incorporated", "legal_status",
    "logo", "uri", "parent_organization_id", "locations", "programs",
    "organization_identifiers",
})  # fmt: skip
_AT_LOCATION_KEYS = frozenset({"service", "location", "service_id", "location_id"})
_HEAD_BYTES = 1 << 20


def classify(item: Mapping[str, Any]) -> str:
    """``service``, ``organization`` or ``service_at_location``: by the fields only that
    object has (a service-at-location has no name, an organisation no status)."""
    keys = item.keys()
    if "service" in keys or ("name" not in keys and keys & _AT_LOCATION_KEYS):
        return "service_at_location"
    if "services" in keys or (keys & _ORGANIZATION_KEYS and not keys & _SERVICE_KEYS):
        return "organization"
    return "service"


def objects_in(value: Any) -> list[Obj]:
    """The objects of a JSON list (anything else in it, or no list, gives none)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


# --- JSON ----------------------------------------------------------------------------------


class _References:
    """Every service, organisation and location of a file by id, to resolve references."""

    def __init__(self, items: Iterable[Any]) -> None:
        self.services: dict[Any, Obj] = {}
        self.organizations: dict[Any, Obj] = {}
        self.locations: dict[Any, Obj] = {}
        for item in items:
            if isinstance(item, dict):
                self._add(item, classify(item))

    def _add(self, item: Obj, kind: str) -> None:
        if kind == "organization":
            self.organizations.setdefault(item.get("id"), item)
            for place in objects_in(item.get("locations")):
                self.locations.setdefault(place.get("id"), place)
            for service in objects_in(item.get("services")):
                self._add(service, "service")
        elif kind == "service":
            self.services.setdefault(item.get("id"), item)
            if isinstance(item.get("organization"), dict):
                self._add(item["organization"], "organization")
            for at_location in objects_in(item.get("service_at_locations")):
                self._add(at_location, "service_at_location")
        else:
            if isinstance(item.get("location"), dict):
                self.locations.setdefault(item["location"].get("id"), item["location"])
            if isinstance(item.get("service"), dict):
                self._add(item["service"], "service")

    def organization_of(self, service: Obj) -> Obj | None:
        nested = service.get("organization")
        return (
            nested
            if isinstance(nested, dict)
            else self.organizations.get(service.get("organization_id"))
        )

    def placed(self, at_location: Obj) -> Obj:
        """The service-at-location with its location, nested or found by ``location_id``."""
        place = at_location.get("location")
        if not isinstance(place, dict):
            place = self.locations.get(at_location.get("location_id"))
        return {**at_location, "location": place}


def _at_locations(service: Obj, owner: Obj | None, refs: _References) -> Iterator[ServiceItem]:
    at_locations = objects_in(service.get("service_at_locations"))
    if not at_locations:
        yield ServiceItem(service, owner, None)
    for at_location in at_locations:
        yield ServiceItem(service, owner, refs.placed(at_location))


def _items_of(
    item: Obj, refs: _References, notes: list[str]
) -> Iterator[ServiceItem | RecordError]:
    kind = classify(item)
    if kind == "organization":
        services = objects_in(item.get("services"))
        if not services:
            name = f"organization {item.get('id')} ({item.get('name')})"
            notes.append(f"{name} lists no services: nothing to import from it")
        owner = {key: value for key, value in item.items() if key != "services"}
        for service in services:
            yield from _at_locations(service, owner, refs)
    elif kind == "service":
        yield from _at_locations(item, refs.organization_of(item), refs)
    else:
        nested = item.get("service")
        offered = nested if isinstance(nested, dict) else refs.services.get(item.get("service_id"))
        if offered is None:
            missing = f"its service {item.get('service_id')} is not in the input"
            yield RecordError(f"service_at_location {item.get('id')}: {missing}")
            return
        yield ServiceItem(offered, refs.organization_of(offered), refs.placed(item))


def _text_of(path: Path, notes: list[str], limit: int = -1) -> str:
    """The file's text (gzipped or not); ``limit`` bytes of it to peek at the start."""
    try:
        with path.open("rb") as raw:
            gzipped = raw.read(2) == b"\x1f\x8b"
        with gzip.open(path, "rb") if gzipped else path.open("rb") as stream:
            data = stream.read(limit)
    except (OSError, EOFError) as exc:
        raise ImportFileError(f"cannot read {path.name}: {exc}") from None
    if limit >= 0:  # a peek may end inside a character
        return data.decode("utf-8-sig", "replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        notes.append(f"{path.name} is not UTF-8; read as Windows-1252 ({FALLBACK_ENCODING})")
        return data.decode(FALLBACK_ENCODING, "replace")


def read_json(path: Path, notes: list[str]) -> Iterator[HsdsItem]:
    """``(place in the list, ServiceItem or RecordError)`` of an HSDS JSON file."""
    try:
        data = orjson.loads(_text_of(path, notes))
    except orjson.JSONDecodeError as exc:
        raise ImportFileError(f"{path.name} is not JSON: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        data = data["contents"]  # a page of the HSDS API
    items = data if isinstance(data, list) else [data]
    refs = _References(items)
    for position, item in enumerate(items, 1):
        if not isinstance(item, dict):
            yield position, RecordError("item is not a JSON object")
            continue
        for found in _items_of(item, refs, notes):
            yield position, found


# --- telling HSDS from legacy records ------------------------------------------------------


def is_hsds(path: Path) -> bool:
    """Whether ``path`` is an HSDS publication rather than legacy records: a directory, or
    JSON whose first object has HSDS's fields and no ``categories`` (``--format auto``)."""
    path = Path(path)
    if path.is_dir():
        return True
    if path.name.lower().removesuffix(".gz").endswith((".csv", ".jsonl", ".ndjson")):
        return False
    if not path.is_file():
        return False
    head = _text_of(path, [], _HEAD_BYTES)
    text = head.lstrip("\ufeff \t\r\n")
    if text.startswith("["):
        text = text[1:].lstrip()
    try:
        first, _end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError:  # the first object is longer than the head
        return '"categories"' not in head and '"service_at_locations"' in head
    if not isinstance(first, dict):
        return False
    if isinstance(first.get("contents"), list):
        return True
    # legacy records have a "location" too, and always "categories"
    markers = _SERVICE_KEYS | _ORGANIZATION_KEYS | (_AT_LOCATION_KEYS - {"location"})
    return "categories" not in first and bool(first.keys() & markers)
