"""``sozialatlas report inquiries``: the city's figures on mediated inquiries.

The other reports read the search log in Elasticsearch; this one reads the database
(:mod:`directory.inquiry_report`), with the same range options and output formats (table,
JSON, CSV with formula-safe cells and a byte-order mark).
"""

from __future__ import annotations

import argparse

from configuration.settings import Settings
from indexer.reports import Report
from sozialatlas.commands.common import setup_django

NAME = "inquiries"


def build(args: argparse.Namespace, settings: Settings) -> Report:
    """The report for the range the ``report`` command was given."""
    setup_django(settings)
    from directory.inquiry_report import inquiry_report
    from indexer.report_queries import make_range

    rng = make_range(args.since, args.until, None, args.limit)
    return inquiry_report(rng.since, rng.until)
