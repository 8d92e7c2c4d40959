"""The city's figures on mediated inquiries: ``sozialatlas report inquiries``.

Per month (of submission), service type (the provider's main category then) and district:
inquiries, how many were answered (any reaction of the provider), declined, expired and
withdrawn, the median time to the first answer, and the decline reasons. Each month also
gets a row over all service types and districts. Only plain columns are read, never the
sealed personal data, so the figures are the same before and after the retention purge.
The rows fit the search-log reports' :class:`indexer.reports.Report` (table, JSON, CSV);
:func:`figures_by` gives the same figures along one dimension for the dashboard.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import datetime
from typing import Any, Literal

from directory.inquiry_models import Inquiry
from directory.inquiry_states import Status
from directory.workdays import CITY_TIME
from indexer.reports import Report

ALL = "(all)"
COLUMNS = [
    "month",
    "service_type",
    "district",
    "inquiries",
    "answered",
    "declined",
    "expired",
    "cancelled",
    "open",
    "answered_rate",
    "declined_rate",
    "expired_rate",
    "median_hours_to_first_answer",
    "decline_reasons",
]
_OPEN = {Status.RECEIVED, Status.DELIVERED, Status.READ, Status.ACCEPTED}
Dimension = Literal["month", "service_type", "district"]


def _rows(since: datetime, until: datetime) -> list[dict[str, Any]]:
    """The plain columns of the inquiries submitted in ``[since, until)``, with their month."""
    rows = Inquiry.objects.filter(created__gte=since, created__lt=until).values(
        "created", "category", "district", "status", "first_answer_at", "decline_reason"
    )
    out = []
    for values in rows:
        row: dict[str, Any] = dict(values)
        row["month"] = f"{row['created'].astimezone(CITY_TIME):%Y-%m}"
        row["service_type"] = row["category"] or "-"
        row["district"] = row["district"] or "-"
        out.append(row)
    return out


def inquiry_report(since: datetime, until: datetime) -> Report:
    """The figures for inquiries submitted in ``[since, until)``: per month, service type and
    district, and each month over all (first)."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in _rows(since, until):
        groups[(row["month"], row["service_type"], row["district"])].append(row)
        groups[(row["month"], ALL, ALL)].append(row)
    out = [
        {"month": month, "service_type": service_type, "district": district, **figures(members)}
        for (month, service_type, district), members in sorted(groups.items(), key=_order)
    ]
    return Report("inquiries", COLUMNS, out, since=since.isoformat(), until=until.isoformat())


def figures_by(since: datetime, until: datetime, by: Dimension) -> list[dict[str, Any]]:
    """The same figures along one dimension (the dashboard's tables): ``key`` and figures,
    months in order, service types and districts by number of inquiries."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _rows(since, until):
        groups[row[by]].append(row)
    out = [{"key": key, **figures(members)} for key, members in groups.items()]
    if by == "month":
        return sorted(out, key=lambda row: row["key"])
    return sorted(out, key=lambda row: (-row["inquiries"], row["key"]))


def _order(item: tuple[tuple[str, str, str], list[dict[str, Any]]]) -> tuple[str, bool, str, str]:
    (month, service_type, district), _ = item
    return month, service_type != ALL, service_type, district  # each month's total first


def figures(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts, rates, the median time to the first answer and the decline reasons."""
    total = len(rows)
    status = Counter(row["status"] for row in rows)
    answered = sum(1 for row in rows if row["first_answer_at"] is not None)
    hours = [
        (row["first_answer_at"] - row["created"]).total_seconds() / 3600
        for row in rows
        if row["first_answer_at"] is not None
    ]
    reasons = Counter(row["decline_reason"] for row in rows if row["decline_reason"])
    return {
        "inquiries": total,
        "answered": answered,
        "declined": status[Status.DECLINED],
        "expired": status[Status.EXPIRED],
        "cancelled": status[Status.CANCELLED],
        "open": sum(status[s] for s in _OPEN),
        "answered_rate": round(answered / total, 3),
        "declined_rate": round(status[Status.DECLINED] / total, 3),
        "expired_rate": round(status[Status.EXPIRED] / total, 3),
        "median_hours_to_first_answer": round(statistics.median(hours), 1) if hours else None,
        "decline_reasons": dict(reasons.most_common()),
    }
