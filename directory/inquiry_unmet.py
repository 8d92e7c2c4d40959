"""Inquiries nobody could serve, for the unmet-needs report.

A person who asked a service and was declined — and then, from the tracking page, asked
similar services and was declined or left without an answer there too — has a need the
directory did not meet, as surely as a search without results. Such a **chain** (the first
inquiry and its re-sends, linked by ``follows``) counts once, under the service type and
district of its first inquiry, when every inquiry in it is closed as declined, or expired
without any answer. A chain with an open, accepted, answered or withdrawn inquiry does not
count. Only plain columns are read (the figures survive the retention purge).

:func:`join_unmet` adds these to the search log's unmet-needs clusters by service type
(a cluster's concept is a category code of the same taxonomy), and appends the service
types nobody searched for in vain but nobody could serve either.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from directory.inquiry_models import Inquiry
from directory.inquiry_states import Status
from indexer.report_queries import _label
from indexer.reports import Report

COLUMNS = ("unserved_inquiries", "unserved_districts", "decline_reasons")


def _unserved(row: dict[str, Any]) -> bool:
    """Declined, or expired without the provider ever reacting."""
    return row["status"] == Status.DECLINED or (
        row["status"] == Status.EXPIRED and row["first_answer_at"] is None
    )


def unserved_chains(since: datetime, until: datetime) -> list[dict[str, Any]]:
    """One row per chain begun in ``[since, until)`` that ended with nobody serving it."""
    rows = {
        row["id"]: row
        for row in Inquiry.objects.filter(created__gte=since).values(
            "id", "follows_id", "created", "category", "district", "language", "status",
            "first_answer_at", "decline_reason",
        )
    }  # fmt: skip
    chains: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows.values():
        root = row
        while root["follows_id"] is not None and root["follows_id"] in rows:
            root = rows[root["follows_id"]]
        if root["follows_id"] is not None:  # begun before the range: its chain is not ours
            continue
        chains[root["id"]].append(row)
    out = []
    for root_id, members in sorted(chains.items()):
        root = rows[root_id]
        if root["created"] >= until or not all(_unserved(m) for m in members):
            continue
        out.append(
            {
                "root": root_id,
                "created": root["created"],
                "service_type": root["category"] or "-",
                "district": root["district"] or "-",
                "language": root["language"],
                "asked": len(members),
                "decline_reasons": Counter(
                    m["decline_reason"] for m in members if m["decline_reason"]
                ),
            }
        )
    return out


def unserved_by_type(since: datetime, until: datetime) -> list[dict[str, Any]]:
    """Per service type: chains nobody served, their districts, languages and reasons."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for chain in unserved_chains(since, until):
        groups[chain["service_type"]].append(chain)
    out = []
    for service_type, chains in groups.items():
        reasons: Counter[str] = Counter()
        for chain in chains:
            reasons.update(chain["decline_reasons"])
        out.append(
            {
                "service_type": service_type,
                "unserved_inquiries": len(chains),
                "providers_asked": sum(chain["asked"] for chain in chains),
                "unserved_districts": dict(Counter(c["district"] for c in chains).most_common()),
                "languages": dict(Counter(c["language"] for c in chains).most_common()),
                "decline_reasons": dict(reasons.most_common()),
                "first_seen": min(c["created"] for c in chains).isoformat(),
                "last_seen": max(c["created"] for c in chains).isoformat(),
            }
        )
    return sorted(out, key=lambda row: (-row["unserved_inquiries"], row["service_type"]))


def join_unmet(report: Report, since: datetime, until: datetime) -> Report:
    """The unmet-needs report with the inquiries nobody could serve joined in.

    A cluster whose concept is a service type gets that type's unserved inquiries; a type
    without such a cluster becomes a row of its own (no searches, its inquiries' languages).
    """
    unserved = {row["service_type"]: row for row in unserved_by_type(since, until)}
    rows = []
    for cluster in report.rows:
        found = unserved.pop(cluster.get("concept") or "", None)
        rows.append({**cluster, **_joined(found)})
    for service_type, found in unserved.items():
        rows.append(
            {
                "need": _label(service_type),
                "concept": service_type,
                "searches": 0,
                "sessions": 0,
                "zero_results": 0,
                "languages": found["languages"],
                "examples": [],
                "forms": [],
                "unmet_filters": {},
                "first_seen": found["first_seen"],
                "last_seen": found["last_seen"],
                **_joined(found),
            }
        )
    columns = [*report.columns, *(c for c in COLUMNS if c not in report.columns)]
    return Report(report.name, columns, rows, since=report.since, until=report.until)


def _joined(found: dict[str, Any] | None) -> dict[str, Any]:
    if found is None:
        return {"unserved_inquiries": 0, "unserved_districts": {}, "decline_reasons": {}}
    return {name: found[name] for name in COLUMNS}
