"""Keeping revisions right when a row that records are built from changes.

A record (a service at a location) is built from its service, the service's organisation
and details, and its location; the index holds it at its revision. An edit of any of those
rows (an organisation renamed, a location moved, a phone edited) gives every record built
from it a new revision, and ``records_changed`` tells whoever queues the indexing (the api
package, after the commit) which records to re-index. Bulk imports send no signals: the
importer raises the revisions itself and returns the ids (``directory.record_writer``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import F, Model, Value
from django.db.models.functions import Greatest
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal
from django.utils import timezone

from directory.detail_models import Attribute, CostOption, Language, Phone, Schedule
from directory.service_models import (
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    next_revision,
)

# Sent with ``ids`` (record ids whose revision was raised) inside the writing transaction.
records_changed = Signal()

DETAILS: tuple[type[Model], ...] = (Phone, Schedule, Language, CostOption, Attribute)
WATCHED: tuple[type[Model], ...] = (Organization, Service, Location, *DETAILS)


def bump_revisions(ids: Sequence[str]) -> None:
    """A new revision for each of ``ids``: newer than now and than its current one."""
    revision, now = next_revision(), timezone.now()
    for start in range(0, len(ids), 500):
        ServiceAtLocation.objects.filter(id__in=ids[start : start + 500]).update(
            revision=Greatest(F("revision") + 1, Value(revision)), modified=now
        )


def affected_ids(instance: Model) -> list[str]:
    """The records built from ``instance`` (a row of one of the :data:`WATCHED` models)."""
    rows = ServiceAtLocation.objects.all()
    if isinstance(instance, Organization):
        rows = rows.filter(service__organization_id=instance.pk)
    elif isinstance(instance, Service):
        rows = rows.filter(service_id=instance.pk)
    elif isinstance(instance, Location):
        rows = rows.filter(location_id=instance.pk)
    else:
        rows = rows.filter(service_id=instance.service_id)  # type: ignore[attr-defined]
    return list(rows.values_list("id", flat=True))


def _changed(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loading fixtures: nothing to index yet
        return
    ids = affected_ids(instance)
    if ids:
        bump_revisions(ids)
        records_changed.send(sender=sender, ids=ids)


def connect() -> None:
    """Watch every model records are built from (called once, when the app is ready)."""
    for model in WATCHED:
        uid = f"revisions-{model.__name__}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + "-delete")
