"""``sozialatlas report freshness [--as-of DATE] [--csv FILE]``: how current the entries are.

Reads the database (:mod:`directory.freshness`): the share of entries confirmed in the
last 6 / 12 months, the stale ones by age, open error reports and the median days an
editor took to close one. ``--as-of`` counts ages back from another day than today (a
report can be made again for the same day); ``--csv FILE`` also writes the figures as CSV.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from configuration.settings import Settings
from indexer.reports import Report
from sozialatlas.commands.common import setup_django

NAME = "freshness"


def add_arguments(report: argparse.ArgumentParser) -> None:
    report.add_argument(
        "--as-of", default=None, help="freshness: ISO date the ages are counted from (today)"
    )
    report.add_argument(
        "--csv", type=Path, default=None, help="freshness: also write the figures to FILE"
    )


def build(args: argparse.Namespace, settings: Settings) -> Report:
    setup_django(settings)
    from django.utils import timezone

    from directory.freshness import freshness_report

    today = date.fromisoformat(args.as_of) if args.as_of else timezone.localdate()
    report = freshness_report(today)
    if args.csv is not None:
        args.csv.write_text(report.to_csv(args.separator), encoding="utf-8")
    return report
