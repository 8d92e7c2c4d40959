"""How current the directory is: ``sozialatlas report freshness`` and the analysts' dashboard.

An entry's "last confirmed" date is the day its provider (or an editor on its behalf) last
said it is right; the legacy export's ``updated_at`` is that date for imported entries.
The figures: the share confirmed in the last 6 and 12 months, the stale ones by age
(6–12 months, 1–2 years, over 2 years, never), the open error reports and the median time
an editor took to close one (resolved or dismissed). Ages are counted in calendar months
back from the day asked about ("as of"), so a report for a given day can be made again.
:func:`freshness_figures` is pure; :func:`freshness_report` reads the database.
"""

from __future__ import annotations

import calendar
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from directory.confirmation_models import ChangeProposal, ProposalState
from directory.entry_models import EntryReport, ReportStatus
from directory.entry_reports import CLOSED
from directory.entry_source import confirmation_dates, flagged_services
from indexer.reports import Report

NAME = "freshness"
AGE_BUCKETS = ("6-12m", "1-2y", "over_2y", "never")


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day if shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_stale(confirmed: date | None, today: date, months: int) -> bool:
    """Not confirmed within the last ``months`` months (or never)."""
    return confirmed is None or confirmed < months_before(today, months)


def age_bucket(confirmed: date | None, today: date) -> str:
    """``fresh`` (within 6 months) or the stale bucket of :data:`AGE_BUCKETS`."""
    if confirmed is None:
        return "never"
    if confirmed >= months_before(today, 6):
        return "fresh"
    if confirmed >= months_before(today, 12):
        return "6-12m"
    if confirmed >= months_before(today, 24):
        return "1-2y"
    return "over_2y"


@dataclass(frozen=True)
class Freshness:
    as_of: date
    entries: int
    confirmed_6m: int
    confirmed_12m: int
    stale: dict[str, int]  # by AGE_BUCKETS
    open_reports: int
    closed_reports: int
    median_days_to_close: float | None
    # The confirmation cycle (directory.confirmations): flagged entries, providers' proposals.
    needs_checking: int = 0
    open_proposals: int = 0
    reviewed_proposals: int = 0
    median_days_to_review: float | None = None

    def share(self, count: int) -> float | None:
        return round(count / self.entries, 3) if self.entries else None

    def rows(self) -> list[dict[str, object]]:
        """One row per figure: its count and, for entries, the share of all entries."""
        rows: list[dict[str, object]] = [
            {"figure": "entries", "value": self.entries, "share": self.share(self.entries)},
            {"figure": "confirmed_6m", "value": self.confirmed_6m,
             "share": self.share(self.confirmed_6m)},
            {"figure": "confirmed_12m", "value": self.confirmed_12m,
             "share": self.share(self.confirmed_12m)},
        ]  # fmt: skip
        rows += [
            {"figure": f"stale_{bucket}", "value": self.stale[bucket], "share": self.share(n)}
            for bucket, n in self.stale.items()
        ]
        rows += [
            {"figure": "open_reports", "value": self.open_reports, "share": None},
            {"figure": "closed_reports", "value": self.closed_reports, "share": None},
            {"figure": "median_days_to_close", "value": self.median_days_to_close, "share": None},
            {"figure": "needs_checking", "value": self.needs_checking,
             "share": self.share(self.needs_checking)},
            {"figure": "open_proposals", "value": self.open_proposals, "share": None},
            {"figure": "reviewed_proposals", "value": self.reviewed_proposals, "share": None},
            {"figure": "median_days_to_review", "value": self.median_days_to_review,
             "share": None},
        ]  # fmt: skip
        return rows


def freshness_figures(
    confirmed: Iterable[date | None],
    reports: Sequence[tuple[str, datetime, datetime | None]],
    today: date,
) -> Freshness:
    """The figures for entries confirmed on ``confirmed`` and reports given as
    ``(status, created, closed_at)``, as of ``today``."""
    counts = dict.fromkeys(("fresh", *AGE_BUCKETS), 0)
    for day in confirmed:
        counts[age_bucket(day, today)] += 1
    days = [
        (closed - created).total_seconds() / 86400
        for status, created, closed in reports
        if status in CLOSED and closed is not None
    ]
    return Freshness(
        as_of=today,
        entries=sum(counts.values()),
        confirmed_6m=counts["fresh"],
        confirmed_12m=counts["fresh"] + counts["6-12m"],
        stale={bucket: counts[bucket] for bucket in AGE_BUCKETS},
        open_reports=sum(1 for status, _, _ in reports if status == ReportStatus.OPEN),
        closed_reports=len(days),
        median_days_to_close=round(statistics.median(days), 1) if days else None,
    )


def _median_days(pairs: Iterable[tuple[datetime, datetime | None]]) -> float | None:
    days = [(end - start).total_seconds() / 86400 for start, end in pairs if end is not None]
    return round(statistics.median(days), 1) if days else None


def current_freshness(today: date) -> Freshness:
    """The figures of the database as of ``today``."""
    reports = list(EntryReport.objects.values_list("status", "created", "closed_at"))
    figures = freshness_figures(confirmation_dates(), reports, today)
    reviewed = ChangeProposal.objects.exclude(state=ProposalState.OPEN)
    return replace(
        figures,
        needs_checking=len(flagged_services()),
        open_proposals=ChangeProposal.objects.filter(state=ProposalState.OPEN).count(),
        reviewed_proposals=reviewed.count(),
        median_days_to_review=_median_days(reviewed.values_list("created", "reviewed_at")),
    )


def freshness_report(today: date) -> Report:
    """The figures as a report (table, JSON, CSV like the other reports)."""
    figures = current_freshness(today)
    day = str(today)
    return Report(NAME, ["figure", "value", "share"], figures.rows(), since=day, until=day)
