"""``sozialatlas analyze "text"``: show how a query is understood."""

from __future__ import annotations

import argparse
import json

from configuration.settings import Settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("analyze", help="print the QueryAnalysis of a query as JSON")
    parser.add_argument("text")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from analyzers import analyze_query

    print(json.dumps(analyze_query(args.text).to_dict(), ensure_ascii=False, indent=2))
    return 0
