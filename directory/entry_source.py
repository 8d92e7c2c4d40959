"""The one place where error reports and freshness figures read the directory's entries.

Entries are read by record id (a service at a location) and through their "last confirmed"
date only: HSDS's ``assured_date`` of the service.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import F

from directory.confirmation_models import ConfirmationRequest, RequestState
from directory.models import ServiceAtLocation


def entry_exists(entry_id: str) -> bool:
    return ServiceAtLocation.objects.filter(id=entry_id).exists()


def entry_names(entry_ids: Iterable[str]) -> dict[str, str]:
    """Names by record id (entries removed meanwhile are missing)."""
    rows = ServiceAtLocation.objects.filter(id__in=list(entry_ids))
    return dict(rows.values_list("id", "service__name"))


def confirmation_dates() -> list[date | None]:
    """The date each entry was last confirmed (None: never), one per entry."""
    return list(ServiceAtLocation.objects.values_list("service__assured_date", flat=True))


def flagged_services() -> set[str]:
    """Services flagged "needs checking" and not confirmed since (by anyone, an import too)."""
    rows = ConfirmationRequest.objects.filter(state=RequestState.FLAGGED).exclude(
        service__assured_date__gte=F("created__date")
    )
    return set(rows.values_list("service_id", flat=True))
