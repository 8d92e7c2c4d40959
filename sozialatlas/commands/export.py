"""``sozialatlas export --format hsds --out DIR``: the directory as an Open Referral
HSDS 3.0 publication (JSON files and the tabular Data Package) for other systems."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from configuration.settings import Settings
from sozialatlas.commands.common import setup_django


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = sub.add_parser(
        "export", help="write the directory in an exchange format (Open Referral HSDS 3.0)"
    )
    export.add_argument(
        "--format",
        choices=("hsds",),
        default="hsds",
        help="hsds: HSDS 3.0 JSON files and CSV tables with a datapackage.json (the default)",
    )
    export.add_argument("--out", type=Path, required=True, help="directory to write into")
    export.add_argument("--batch-size", type=int, default=500, help="records read at once")
    export.set_defaults(handler=run_export)


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    setup_django(settings)
    from directory.hsds_export import export_hsds

    report = export_hsds(args.out, batch_size=args.batch_size)
    print(report.to_text())
    if report.failures:
        print(f"{len(report.failures)} records could not be mapped (see above)", file=sys.stderr)
    return 0
