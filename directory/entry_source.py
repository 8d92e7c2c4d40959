"""The one place where error reports and freshness figures read the directory's entries.

Entries are read by record id and through their "last confirmed" date only, so that when
the flat provider rows give way to HSDS tables (a service at a location's id is the record
id, the service's ``assured_date`` the confirmation date) only this module changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from directory.models import Provider


def entry_exists(entry_id: str) -> bool:
    return Provider.objects.filter(id=entry_id).exists()


def entry_names(entry_ids: Iterable[str]) -> dict[str, str]:
    """Names by record id (entries removed meanwhile are missing)."""
    return dict(Provider.objects.filter(id__in=list(entry_ids)).values_list("id", "name"))


def confirmation_dates() -> list[date | None]:
    """The date each entry was last confirmed (None: never), one per entry."""
    return list(Provider.objects.values_list("updated_at", flat=True))
