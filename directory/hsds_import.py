"""The import of an Open Referral HSDS 3.0 publication into the directory.

Each service at each of its locations becomes one record (``directory.hsds_records``) and
goes through the legacy importer (``import_records``), so an HSDS file gets the same
cleaning, per-item report, batches and idempotency as a legacy export. Rejected are only
what the legacy import rejects (a service without a name) and services no longer
offered; the rest is imported, with warnings for what a flat record cannot hold.

The organisation, service and location an item belongs to are written under the
publisher's ids (:class:`Placement`; an id that is no UUID becomes a stable one), so one
organisation with several services stays one organisation, one service at several places
one service.

Record ids: a location we published names its records (``external_identifier``: the
record ids of the services there), one trusted only when the service's id is the one
derived from it; else the directory's record of that service at that location (or of
that service, if it has one record); else an id derived from the publisher's service and
location ids, so a second import of the same file finds the records of the first.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from directory.errors import ImportFileError, RecordError
from directory.hsds_ids import imported_record_id, organization_id, service_id
from directory.hsds_package import read_package
from directory.hsds_readers import HsdsItem, ServiceItem, read_json
from directory.hsds_records import build_record, location_id_of, place_of, text_of
from directory.importer import BATCH_SIZE, ImportReport, OnBatch, import_records
from directory.models import ServiceAtLocation
from directory.placement import Placement, as_uuid
from directory.readers import MappedRecord, RawItem
from directory.records import clean_email

GONE = ("inactive", "defunct")  # HSDS statuses of services no longer offered


def known_key(service: str, location: str = "") -> str:
    """The key of :func:`known_records` for a service (at a location), by stored ids."""
    return f"{service}\x1f{location}" if location else service


def known_records() -> dict[str, str]:
    """The directory's record ids by (service, location) and, for a service with one
    record, by service."""
    known: dict[str, str] = {}
    count: dict[str, int] = {}
    rows = ServiceAtLocation.objects.order_by("id").values_list("id", "service_id", "location_id")
    for record_id, sid, lid in rows:
        known[known_key(sid, lid or "")] = record_id
        count[sid] = count.get(sid, 0) + 1
        known.setdefault(sid, record_id)
    return {key: rid for key, rid in known.items() if "\x1f" in key or count[key] == 1}


def resolve_record_id(item: ServiceItem, known: Mapping[str, str]) -> str:
    """Our record id for the item; ``known``: :func:`known_records`."""
    sid, lid = text_of(item.service.get("id")), location_id_of(item)
    named = text_of(place_of(item).get("external_identifier"))
    for candidate in named.split():
        if service_id(candidate) == sid:
            return candidate
    stored_sid = as_uuid(sid, "service")
    for key in (known_key(stored_sid, as_uuid(lid, "location") if lid else ""), stored_sid):
        if key in known:
            return known[key]
    return imported_record_id(sid, lid)


def placement_of(item: ServiceItem, record_id: str) -> Placement:
    """The organisation, service and location the item's record belongs to."""
    owner = text_of((item.organization or {}).get("id"))
    lid = location_id_of(item)
    assurer = text_of(item.service.get("assurer_email"))
    return Placement(
        organization_id=as_uuid(owner, "organization") if owner else organization_id("", record_id),
        service_id=as_uuid(text_of(item.service.get("id")), "service"),
        location_id=as_uuid(lid, "location") if lid else None,
        location_name=text_of(place_of(item).get("name"))[:300],
        assurer_email=clean_email(assurer) if assurer else None,
    )


def map_item(item: ServiceItem, known: Mapping[str, str]) -> MappedRecord:
    """The item as a record for ``import_records``, named by the publisher's ids."""
    sid, lid = text_of(item.service.get("id")), location_id_of(item)
    origin = f"service {sid or '(no id)'}" + (f" at location {lid}" if lid else "")
    if not sid:
        return MappedRecord({}, origin, refusal="id: missing (every HSDS object has one)")
    rid = resolve_record_id(item, known)
    status = text_of(item.service.get("status")).lower()
    if status in GONE:
        return MappedRecord({"id": rid}, origin, refusal=f"status {status}: not offered")
    record, notes = build_record(item, rid)
    return MappedRecord(record, origin, tuple(notes), placement=placement_of(item, rid))


def read_hsds(path: Path, notes: list[str]) -> Iterator[HsdsItem]:
    """The items of a JSON file, or of a directory: its Data Package (CSV files), else its
    ``services.json``. The position is the item's place in the JSON list (1 for a single
    object) or its service's line in ``services.csv``."""
    path = Path(path)
    if path.is_dir():
        if (path / "services.csv").is_file() or not (path / "services.json").is_file():
            yield from read_package(path, notes)
            return
        path = path / "services.json"
    if not path.is_file():
        raise ImportFileError(f"{path} does not exist")
    yield from read_json(path, notes)


def map_items(path: Path, notes: list[str], known: Mapping[str, str]) -> Iterator[RawItem]:
    """The import's items of an HSDS file or Data Package directory."""
    for position, item in read_hsds(path, notes):
        yield position, item if isinstance(item, RecordError) else map_item(item, known)


def import_hsds(
    path: Path, *, batch_size: int = BATCH_SIZE, on_batch: OnBatch | None = None
) -> ImportReport:
    """Import an HSDS publication (JSON file or Data Package directory) into the directory."""
    path = Path(path)
    known = known_records()
    notes: list[str] = []
    try:
        report = import_records(
            map_items(path, notes, known), source=path.name, batch_size=batch_size,
            on_batch=on_batch,
        )  # fmt: skip
    except ImportFileError as exc:  # say why, e.g. organisations without services
        raise ImportFileError("; ".join([str(exc), *notes])) from None
    report.notes.extend(notes)
    return report
