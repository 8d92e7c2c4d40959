"""Writing cleaned flat records onto the model, a batch at a time, only where they changed.

A legacy record names its organisation and its place in words: it joins the organisation
of the same normalised name and the location of the same normalised address, point and
accessibility (``directory.placement``), either created when first met, and has a service
of its own. An HSDS item says which organisation, service and location it belongs to
(:class:`Placement`): those rows are written under the publisher's ids, so one
organisation with several services stays one, and one service at several places too.

A record equal to what is stored is left alone (its revision kept); a changed one is
written with a new revision, and every other record built from a row it changed (a
shared service, organisation or location) gets a new revision as well and is reported
with the changed ones, so indexing picks it up. An organisation or a location that a
change left without services is removed. New rows go in through ``directory.rows``
(multi-row inserts, no signals): the caller queues the indexing. Each write leaves its
historical rows, in bulk as well, with the writer's source (``import`` unless a provider's
approved proposal is written: :mod:`directory.history`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import transaction
from django.utils import timezone

from directory.detail_models import TaxonomyTerm
from directory.exchange import Stored, read_stored
from directory.history import Source, change_source, write_changed, write_history
from directory.hsds_ids import location_id, organization_id, service_id, stable_id, taxonomy_term_id
from directory.placement import Placement, has_place, location_key, organization_key
from directory.record_details import write_details
from directory.records import DATA_FIELDS, RecordFields
from directory.revisions import bump_revisions
from directory.rows import insert_rows
from directory.service_models import (
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    Status,
    next_revision,
)

SERVICE_FIELDS = (
    "name", "description", "categories", "target_groups", "languages", "phone",
    "phone_display", "email", "website", "opening_hours", "opening_hours_text", "cost",
    "appointment_required", "online_counselling", "updated_at", "status",
)  # fmt: skip
LOCATION_FIELDS = ("street", "postal_code", "city", "district", "lat", "lon", "wheelchair")
_SERVICE_COLUMNS = (
    "organization_id", "name", "description", "email", "url", "status", "assured_date", "cost",
    "appointment_required", "online_counselling", "target_groups", "modified",
)  # fmt: skip


@dataclass
class BatchOutcome:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    affected: list[str] = field(default_factory=list)  # other records built from changed rows
    notes: list[tuple[str, str]] = field(default_factory=list)  # (record id, warning)

    @property
    def changed(self) -> list[str]:
        return [*self.created, *self.updated, *self.affected]


@dataclass
class _Target:
    """One record to write: its values and the rows it goes to."""

    fields: RecordFields
    placement: Placement | None
    old: Stored | None
    organization: str = ""
    service: str = ""
    location: str | None = None


def _keep_spelling(fields: RecordFields, old: Stored) -> None:
    """A legacy record naming its organisation or address as stored but spelled otherwise
    (case, spacing) keeps the stored spelling: it is the same organisation, the same place."""
    before = old.fields
    if organization_key(fields["organization"]) == organization_key(before["organization"]):
        fields["organization"] = before["organization"]
    place = [fields[k] for k in LOCATION_FIELDS]  # type: ignore[literal-required]
    if location_key(*place) == location_key(*(before[k] for k in LOCATION_FIELDS)):
        for key in LOCATION_FIELDS:
            fields[key] = before[key]  # type: ignore[literal-required]


def _placed_at(fields: RecordFields, placement: Placement) -> str | None:
    """The location an HSDS item's record is at: none when the record names no place."""
    f = fields
    if not has_place(f["street"], f["postal_code"], f["city"], f["district"], f["lat"],
                     f["wheelchair"]):  # fmt: skip
        return None
    return placement.location_id or stable_id("location-of", f["id"])


def _service_values(fields: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(repr(fields[key]) for key in SERVICE_FIELDS)


class RecordWriter:
    """Writes the batches of one import; remembers what the import wrote so far (the
    services of an HSDS publication, the taxonomy terms)."""

    def __init__(self, source: str = Source.IMPORT) -> None:
        self.source = source  # what the change history names as the changes' source
        self.services: dict[str, tuple[Any, ...]] = {}  # service id → its values, this import
        self.terms: dict[str, str] = {}  # code → term id

    # --- deciding -----------------------------------------------------------------------

    def _settle(self, fields: RecordFields, placement: Placement) -> tuple[Placement, str]:
        """The placement, with a service of its own for an item whose service says other
        things at this location than at an earlier one (a phone or hours of the place):
        a flat record has one service. Returns the note that says so, if it was needed."""
        values = _service_values(fields)
        known = self.services.setdefault(placement.service_id, values)
        if known == values:
            return placement, ""
        own = stable_id("service", placement.service_id, placement.location_id or fields["id"])
        self.services.setdefault(own, values)
        note = (f"service {placement.service_id} differs at this location (phone, hours or "
                f"categories of the place): kept as a service of its own ({own})")  # fmt: skip
        return replace(placement, service_id=own), note

    @staticmethod
    def _unchanged(target: _Target, assurer: str | None) -> bool:
        old, fields, placement = target.old, target.fields, target.placement
        if old is None or any(old.fields[k] != fields[k] for k in DATA_FIELDS):  # type: ignore[literal-required]
            return False
        if placement is None:
            return True
        place = _placed_at(fields, placement)
        return (
            (old.organization_id, old.service_id, old.location_id)
            == (placement.organization_id, placement.service_id, place)
            and (assurer is None or assurer == old.assurer_email)
            and (place is None or placement.location_name == old.location_name)
        )

    # --- writing ------------------------------------------------------------------------

    def write(self, batch: Sequence[tuple[RecordFields, Placement | None]]) -> BatchOutcome:
        """Write one batch in one transaction; see the module docstring."""
        outcome = BatchOutcome()
        ids = [fields["id"] for fields, _ in batch]
        with transaction.atomic(), change_source(self.source):
            stored = read_stored(ids)
            targets: list[_Target] = []
            for fields, placement in batch:
                old = stored.get(fields["id"])
                if old is not None and fields["duplicate_of"] is None:
                    # Only a full import sees both records of a pair: a partial import
                    # must not clear a flag it cannot re-detect.
                    fields["duplicate_of"] = old.fields["duplicate_of"]
                if fields["status"] is None:  # not stated: as stored (HSDS states it)
                    keep = old is not None and placement is None
                    fields["status"] = old.fields["status"] if keep else Status.ACTIVE  # type: ignore[union-attr]
                if placement is None and old is not None:
                    _keep_spelling(fields, old)
                if placement is not None:
                    placement, note = self._settle(fields, placement)
                    if note:
                        outcome.notes.append((fields["id"], note))
                target = _Target(fields, placement, old)
                if self._unchanged(target, placement.assurer_email if placement else None):
                    outcome.unchanged += 1
                else:
                    targets.append(target)
            if targets:
                self._write_targets(targets, outcome)
        return outcome

    def _write_targets(self, targets: list[_Target], outcome: BatchOutcome) -> None:
        revision, now = next_revision(), timezone.now()
        touched = self._organizations(targets, now)
        touched |= self._locations(targets, now)
        touched |= self._services(targets, now)
        creates: list[dict[str, Any]] = []
        updates: list[ServiceAtLocation] = []
        for t in targets:
            row = {"id": t.fields["id"], "service_id": t.service, "location_id": t.location,
                   "duplicate_of": t.fields["duplicate_of"]}  # fmt: skip
            if t.old is None:
                creates.append({**row, "revision": revision})
                outcome.created.append(t.fields["id"])
            else:
                rev = max(revision, t.old.revision + 1)
                updates.append(ServiceAtLocation(**row, revision=rev, modified=now))
                outcome.updated.append(t.fields["id"])
        insert_rows(ServiceAtLocation, creates)
        ServiceAtLocation.objects.bulk_update(
            updates, ["service_id", "location_id", "duplicate_of", "revision", "modified"]
        )
        write_history(ServiceAtLocation, creates, "+", self.source)
        write_changed(ServiceAtLocation, [row.id for row in updates], self.source)
        outcome.affected = self._bump_others(touched, {t.fields["id"] for t in targets})
        self._remove_orphans(targets)

    def _organizations(self, targets: list[_Target], now: Any) -> set[tuple[str, str]]:
        """Find or create each target's organisation; returns the renamed ones.

        A legacy name finds the organisation of the same normalised name; a new one gets
        the id derived from its name (or, if an editor's renamed organisation has that id
        already, one derived from the name and the record). A nameless record's own
        organisation and an HSDS organisation have fixed ids: their names are written.
        """
        keys = {organization_key(t.fields["organization"]) for t in targets if not t.placement}
        by_key: dict[str, str] = {}
        for org_id, key in (
            Organization.objects.filter(match_key__in=keys - {""})
            .order_by("-id")
            .values_list("id", "match_key")
        ):
            by_key[key] = org_id  # the smallest id wins
        fixed: dict[str, str] = {}  # id → name, written as given
        new: dict[str, str] = {}  # id → name of organisations a legacy name creates
        for t in targets:
            name, rid = t.fields["organization"], t.fields["id"]
            key = organization_key(name)
            if t.placement is not None or not name:
                t.organization = (
                    t.placement.organization_id if t.placement else organization_id("", rid)
                )
                fixed.setdefault(t.organization, name)
            elif key in by_key:
                t.organization = by_key[key]
            else:
                t.organization = by_key[key] = organization_id(name, rid)
                new.setdefault(t.organization, name)
        taken = set(Organization.objects.filter(id__in=new).values_list("id", flat=True))
        for org_id in taken:
            name = new.pop(org_id)
            fresh = stable_id("organization", name, org_id)
            new[fresh] = name
            for t in targets:
                if t.organization == org_id and t.placement is None and t.fields["organization"]:
                    t.organization = fresh
        existing = dict(Organization.objects.filter(id__in=fixed).values_list("id", "name"))
        new.update({i: name for i, name in fixed.items() if i not in existing})
        rows = [{"id": i, "name": name, "match_key": organization_key(name)}
                for i, name in new.items()]  # fmt: skip
        insert_rows(Organization, rows)
        write_history(Organization, rows, "+", self.source)
        renamed = [i for i, name in fixed.items() if i in existing and existing[i] != name]
        for org_id in renamed:
            Organization.objects.filter(id=org_id).update(
                name=fixed[org_id], match_key=organization_key(fixed[org_id]), modified=now
            )
        write_changed(Organization, renamed, self.source)
        return {("organization", i) for i in renamed}

    def _locations(self, targets: list[_Target], now: Any) -> set[tuple[str, str]]:
        """Find or create each target's location; returns the ones whose values changed.

        A legacy record finds the location of the same key, else creates one under the id
        derived from its record id (or, if that id is taken by a place it left, one
        derived from id and key). An HSDS location is written as the publication has it.
        """
        keyed = [(t, location_key(*(t.fields[k] for k in LOCATION_FIELDS))) for t in targets]  # type: ignore[literal-required]
        legacy_keys = {key for t, key in keyed if t.placement is None}
        by_key: dict[str, str] = {}
        for loc_id, key in (
            Location.objects.filter(match_key__in=legacy_keys)
            .order_by("-id")
            .values_list("id", "match_key")
        ):
            by_key[key] = loc_id
        fixed: dict[str, dict[str, Any]] = {}  # HSDS: written as given
        new: dict[str, dict[str, Any]] = {}  # legacy: created
        for t, key in keyed:
            f = t.fields
            values = {k: f[k] for k in LOCATION_FIELDS}  # type: ignore[literal-required]
            if not has_place(f["street"], f["postal_code"], f["city"], f["district"], f["lat"],
                             f["wheelchair"]):  # fmt: skip
                t.location = None
            elif t.placement is not None:
                place = t.placement.location_id or stable_id("location-of", f["id"])
                t.location = place
                fixed.setdefault(place, {**values, "name": t.placement.location_name})
            elif key in by_key:
                t.location = by_key[key]
            else:
                t.location = by_key[key] = location_id(f["id"])
                new.setdefault(t.location, {**values, "name": ""})
        taken = set(Location.objects.filter(id__in=new).values_list("id", flat=True))
        for loc_id in taken:
            values = new.pop(loc_id)
            fresh = stable_id(
                "location", loc_id, location_key(*(values[k] for k in LOCATION_FIELDS))
            )
            new[fresh] = values
            for t in targets:
                if t.location == loc_id and t.placement is None:
                    t.location = fresh
        existing = {
            row["id"]: row
            for row in Location.objects.filter(id__in=fixed).values("id", "name", *LOCATION_FIELDS)
        }
        changed: set[tuple[str, str]] = set()
        for loc_id, values in fixed.items():
            old = existing.get(loc_id)
            if old is None:
                new[loc_id] = values
            elif any(old[k] != v for k, v in values.items()):
                key = location_key(*(values[k] for k in LOCATION_FIELDS))
                Location.objects.filter(id=loc_id).update(**values, match_key=key, modified=now)
                changed.add(("location", loc_id))
        rows = [
            {"id": i, **values, "match_key": location_key(*(values[k] for k in LOCATION_FIELDS))}
            for i, values in new.items()
        ]
        insert_rows(Location, rows)
        write_history(Location, rows, "+", self.source)
        write_changed(Location, [loc_id for _, loc_id in changed], self.source)
        return changed

    def _services(self, targets: list[_Target], now: Any) -> set[tuple[str, str]]:
        """Write the services of the targets whose service values changed, with their
        details; returns those that existed (other records may be built from them)."""
        for t in targets:
            if t.placement is not None:
                t.service = t.placement.service_id
            elif t.old is not None:
                t.service = t.old.service_id
            else:
                t.service = service_id(t.fields["id"])
        first: dict[str, _Target] = {}
        for t in targets:
            first.setdefault(t.service, t)
        current = self._current_services(first)
        creates, updates, write, reassured = [], [], {}, []
        for sid, t in first.items():
            f = t.fields
            assurer = t.placement.assurer_email if t.placement else None
            values = {
                "organization_id": t.organization, "name": f["name"],
                "description": f["description"], "email": f["email"], "url": f["website"],
                "status": f["status"], "assured_date": f["updated_at"], "cost": f["cost"],
                "appointment_required": f["appointment_required"],
                "online_counselling": f["online_counselling"],
                "target_groups": f["target_groups"], "modified": now,
            }  # fmt: skip
            if sid not in current:
                creates.append({"id": sid, **values, "assurer_email": assurer or ""})
                del creates[-1]["modified"]  # the time of the insert, once for all rows
                write[sid] = t
                continue
            if assurer is not None and (
                Service.objects.filter(id=sid)
                .exclude(assurer_email=assurer)
                .update(assurer_email=assurer)
            ):
                reassured.append(sid)
            if current[sid] != (t.organization, _service_values(f)):
                updates.append(Service(id=sid, **values))
                write[sid] = t
        insert_rows(Service, creates)
        Service.objects.bulk_update(updates, list(_SERVICE_COLUMNS))
        write_history(Service, creates, "+", self.source)
        write_changed(Service, sorted({*reassured, *(s.id for s in updates)}), self.source)
        self._details(write, replaced=[s.id for s in updates])
        return {("service", s.id) for s in updates}

    @staticmethod
    def _current_services(first: Mapping[str, _Target]) -> dict[str, tuple[Any, ...]]:
        """(organisation, values) of the services that exist, as stored records show them."""
        current: dict[str, tuple[Any, ...]] = {}
        ask: list[str] = []
        for sid, t in first.items():
            if t.old is not None and t.old.service_id == sid:
                current[sid] = (t.old.organization_id, _service_values(t.old.fields))
            else:
                ask.append(sid)
        if ask:
            one: dict[str, str] = {}
            for sal_id, sid in ServiceAtLocation.objects.filter(service_id__in=ask).values_list(
                "id", "service_id"
            ):
                one.setdefault(sid, sal_id)
            for stored in read_stored(list(one.values())).values() if one else ():
                current[stored.service_id] = (stored.organization_id,
                                              _service_values(stored.fields))  # fmt: skip
            bare = set(ask) - set(one)  # a service without records: rewrite it
            for sid in Service.objects.filter(id__in=bare).values_list("id", flat=True):
                current[sid] = ("", ())
        return current

    def _term_ids(self, codes: Iterable[str]) -> dict[str, str]:
        missing = set(codes) - set(self.terms)
        if missing:
            found = TaxonomyTerm.objects.filter(code__in=missing).values_list("code", "id")
            self.terms.update(dict(found))
            new = [code for code in sorted(missing) if code not in self.terms]
            insert_rows(TaxonomyTerm, [{"id": taxonomy_term_id(c), "code": c} for c in new])
            self.terms.update({code: taxonomy_term_id(code) for code in new})
        return self.terms

    def _details(self, services: Mapping[str, _Target], replaced: Sequence[str]) -> None:
        """Write the phones, schedules, languages, terms and cost options of ``services``
        (those of the ``replaced`` ones are removed first)."""
        fields = {sid: t.fields for sid, t in services.items()}
        terms = self._term_ids(c for f in fields.values() for c in f["categories"])
        write_details(fields, terms, replaced)

    def _bump_others(self, touched: set[tuple[str, str]], written: set[str]) -> list[str]:
        """New revisions for the records (not written here) built from rows that changed."""
        if not touched:
            return []
        by_kind: dict[str, list[str]] = {}
        for kind, row_id in touched:
            by_kind.setdefault(kind, []).append(row_id)
        rows = ServiceAtLocation.objects.none()
        for kind, row_ids in by_kind.items():
            lookup = {"organization": "service__organization_id__in",
                      "location": "location_id__in", "service": "service_id__in"}[kind]  # fmt: skip
            rows = rows | ServiceAtLocation.objects.filter(**{lookup: row_ids})
        others = sorted(set(rows.exclude(id__in=written).values_list("id", flat=True)))
        bump_revisions(others)
        return others

    def _remove_orphans(self, targets: list[_Target]) -> None:
        """Organisations, services and locations the changed records left, if nothing else
        uses them (a record moved to another address, another organisation)."""
        left = [t.old for t in targets if t.old is not None]
        services = {o.service_id for o in left} - {t.service for t in targets}
        if services:
            Service.objects.filter(id__in=services, at_locations__isnull=True).delete()
        orgs = {o.organization_id for o in left} - {t.organization for t in targets}
        if orgs:
            Organization.objects.filter(id__in=orgs, services__isnull=True).delete()
        places = {o.location_id for o in left} - {t.location for t in targets} - {None}
        if places:
            Location.objects.filter(id__in=places, at_locations__isnull=True).delete()
