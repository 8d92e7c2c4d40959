"""The change history of the directory's records, and the source of every change.

django-simple-history keeps a historical row for each save and delete of an organisation,
a service, a location and a service at a location (who and when come with the library;
the models declare ``history``). What it cannot know is *why* a row changed, so every
change names its source in ``history_change_reason``: ``import`` (the importer and the
record writer), ``editor`` (the admin, or anyone saving by hand), ``provider`` (the
self-service page: still correct, closed, paused; an approved proposal) or ``report`` (an
editor correcting an entry from the error-report queue).

Code that changes records says so with :func:`change_source`; a save outside such a block
is an editor's. Bulk writes (the importer's multi-row inserts and updates) send no signals:
:func:`write_history` writes their historical rows the same way, one insert per batch.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from directory.rows import insert_rows


class Source(models.TextChoices):
    IMPORT = "import", "import"
    EDITOR = "editor", "editor"
    PROVIDER = "provider", "provider"
    REPORT = "report", "report"


# Fields that change with every write and say nothing an editor needs (the index's version).
NOT_TRACKED = ("modified", "revision")

_source: ContextVar[str] = ContextVar("change_source", default=Source.EDITOR)


def current_source() -> str:
    return _source.get()


@contextmanager
def change_source(source: str) -> Iterator[None]:
    """Every change to a record inside the block is recorded as coming from ``source``."""
    if source not in Source.values:
        raise ValueError(f"unknown change source {source!r}")
    token = _source.set(source)
    try:
        yield
    finally:
        _source.reset(token)


def keep_history() -> HistoricalRecords:
    """The history a record model declares (``history = keep_history()``)."""
    return HistoricalRecords(excluded_fields=list(NOT_TRACKED), cascade_delete_history=False)


def current_user_id() -> int | None:
    """The signed-in user of the request being served, if any (the library's middleware)."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return int(user.pk)


def _stamp(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    if not history_instance.history_change_reason:
        history_instance.history_change_reason = current_source()


def connect() -> None:
    """Name the source of every history row the library writes (once, when ready)."""
    pre_create_historical_record.connect(_stamp, dispatch_uid="history-source")


def write_history(
    model: type[models.Model],
    rows: Sequence[Mapping[str, Any]],
    kind: str,
    source: str | None = None,
    when: datetime | None = None,
) -> int:
    """Historical rows for ``rows`` of ``model`` written in bulk (``kind``: ``+`` created,
    ``~`` changed). ``rows`` give attribute values as :func:`directory.rows.insert_rows`
    takes them; tracked fields they leave out get their defaults, as the insert gave them."""
    if not rows:
        return 0
    historical: Any = model.history.model  # type: ignore[attr-defined]
    tracked = {f.attname for f in historical.tracked_fields}
    stamp = {
        "history_date": when or timezone.now(),
        "history_type": kind,
        "history_change_reason": source or current_source(),
        "history_user_id": current_user_id(),
    }
    return insert_rows(
        historical, [{**{k: v for k, v in row.items() if k in tracked}, **stamp} for row in rows]
    )


def write_changed(model: type[models.Model], ids: Sequence[Any], source: str | None = None) -> int:
    """Historical rows (``~``) for rows of ``model`` changed in bulk, read back as stored."""
    if not ids:
        return 0
    historical: Any = model.history.model  # type: ignore[attr-defined]
    names = [f.attname for f in historical.tracked_fields]
    written = 0
    for start in range(0, len(ids), 500):
        chunk = model._default_manager.filter(pk__in=ids[start : start + 500]).values(*names)
        written += write_history(model, list(chunk), "~", source)
    return written
