"""Search-log commands: reports in the terminal, retention, replay and the log benchmark.

* ``sozialatlas report NAME [--since 30d] [--until …] [--channel …] [--format table|json|csv]``
* ``sozialatlas analytics maintain`` — roll up and enforce retention now (beat does it hourly)
* ``sozialatlas analytics delete --since … --until …`` — delete raw entries in a time range
* ``sozialatlas bench replay FILE [--url URL]`` — send queries through the API. Without
  ``--url`` the queries go through the API *in process* (Ninja's test client: the real
  routers, recorder and Celery transport, no server needed; the anonymous rate limit is
  lifted for the replay); with ``--url`` they are sent over HTTP to a running server.
* ``sozialatlas bench searchlog`` — search latency with logging on vs off, write throughput.

This module registers all of them and handles the reports and the log maintenance; the
replay (``searchlog_replay``) and the benchmark (``searchlog_bench``) are jobs of their own
and live in their own modules. Their public names stay importable from here.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from configuration.settings import Settings
from indexer.reports import REPORTS as REPORT_NAMES
from sozialatlas.commands import freshness, inquiries
from sozialatlas.commands.common import setup_django
from sozialatlas.commands.searchlog_bench import run_bench
from sozialatlas.commands.searchlog_replay import (
    SAMPLE_REPLAY,
    Call,
    http_client,
    in_process_client,
    read_queries,
    replay,
    run_replay,
)

__all__ = [
    "SAMPLE_REPLAY",
    "Call",
    "http_client",
    "in_process_client",
    "print_table",
    "read_queries",
    "register",
    "replay",
    "run_bench",
    "run_delete",
    "run_maintain",
    "run_replay",
    "run_report",
]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = sub.add_parser(
        "report",
        help="print a report: the search log's (e.g. unmet-needs), inquiries or freshness",
    )
    report.add_argument("name", choices=(*REPORT_NAMES, inquiries.NAME, freshness.NAME))
    report.add_argument("--since", default="30d", help="30d, 12w, 6m, 24h or an ISO date")
    report.add_argument("--until", default=None, help="as --since; default now")
    report.add_argument("--channel", default=None, help='"public" or "partner:<name>"')
    report.add_argument("--limit", type=int, default=30)
    report.add_argument("--format", choices=("table", "json", "csv"), default="table")
    report.add_argument(
        "--separator", choices=(",", ";"), default=",", help="CSV separator (German Excel: ;)"
    )
    freshness.add_arguments(report)
    report.set_defaults(handler=run_report)

    analytics = sub.add_parser("analytics", help="search log maintenance")
    actions = analytics.add_subparsers(dest="action", required=True, metavar="ACTION")
    maintain = actions.add_parser("maintain", help="roll up days and enforce retention now")
    maintain.set_defaults(handler=run_maintain)
    delete = actions.add_parser("delete", help="delete raw log entries in a time range")
    delete.add_argument("--since", default=None, help="start (inclusive); default: the beginning")
    delete.add_argument("--until", required=True, help="end (exclusive): 30d, ISO date, …")
    delete.set_defaults(handler=run_delete)

    kinds = _bench_kinds(sub)
    replay = kinds.add_parser(
        "replay",
        help="send queries (JSONL with q, or plain lines) through the API to fill the search log",
    )
    replay.add_argument("file", type=Path, nargs="?", default=SAMPLE_REPLAY)
    replay.add_argument(
        "--url",
        default=None,
        help="base URL of a running server, e.g. http://127.0.0.1:8000 (default: in-process)",
    )
    replay.add_argument(
        "--typing",
        action="store_true",
        help="also send the keystrokes of each query to /suggest first",
    )
    replay.add_argument("--seed", type=int, default=7)
    replay.set_defaults(handler=run_replay)

    bench = kinds.add_parser(
        "searchlog", help="search latency with logging on vs off, log write throughput"
    )
    bench.add_argument("--queries", type=Path, default=SAMPLE_REPLAY)
    bench.add_argument("--rounds", type=int, default=5)
    bench.add_argument("--entries", type=int, default=5000, help="entries for throughput")
    bench.add_argument(
        "--send",
        action="store_true",
        help="hand the entries to the real log worker (default: discard them)",
    )
    bench.set_defaults(handler=run_bench)


def _bench_kinds(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """The sub-commands of ``bench`` (registered by ``commands.bench``), to add ours."""
    bench = sub.choices.get("bench")
    if bench is None:
        bench = sub.add_parser("bench", help="run a benchmark and print its figures")
        return bench.add_subparsers(dest="bench", required=True, metavar="BENCHMARK")
    for action in bench._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise RuntimeError("the bench command has no sub-commands")  # pragma: no cover


# --------------------------------------------------------------------------- reports


def _log_env(settings: Settings) -> tuple[Any, Any]:
    setup_django(settings)
    from api.context import es
    from api.searchlog import log_settings

    return es(), log_settings()


def run_report(args: argparse.Namespace, settings: Settings) -> int:
    from indexer.report_queries import make_range
    from indexer.reports import run_report as build

    if args.name == inquiries.NAME:  # from the database, not the search log
        report = inquiries.build(args, settings)
    elif args.name == freshness.NAME:  # the entries' confirmation dates and error reports
        report = freshness.build(args, settings)
    else:
        client, conf = _log_env(settings)
        rng = make_range(args.since, args.until, args.channel, args.limit)
        report = build(client, conf, args.name, rng)
        if args.name == "unmet-needs":  # the inquiries nobody could serve join it
            from directory.inquiry_unmet import join_unmet

            report = join_unmet(report, rng.since, rng.until)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "report": report.name,
                    "since": report.since,
                    "until": report.until,
                    "rows": report.rows,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    elif args.format == "csv":
        sys.stdout.write(report.to_csv(args.separator))
    else:
        print_table(report.name, report.since, report.until, report.columns, report.rows)
    return 0


def _cell(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}:{v}" for k, v in value.items())
    if isinstance(value, list):
        return " | ".join(map(str, value))
    return "" if value is None else str(value)


def print_table(
    name: str, since: str, until: str, columns: list[str], rows: list[dict[str, Any]]
) -> None:
    print(f"{name}  {since} .. {until}  ({len(rows)} rows)")
    if not rows:
        print("  (no data in this range)")
        return
    if name == "unmet-needs":
        for i, row in enumerate(rows, 1):
            print(
                f"\n{i:>3}. {row['need']}  — {row['searches']} searches, "
                f"{row['sessions']} sessions, {row['zero_results']} without results"
            )
            print(f"     languages: {_cell(row['languages'])}")
            print(f"     examples:  {_cell(row['examples'])}")
            if row["unmet_filters"]:
                print(f"     unmet:     {_cell(row['unmet_filters'])}")
            if row.get("unserved_inquiries"):
                print(
                    f"     inquiries nobody could serve: {row['unserved_inquiries']} "
                    f"({_cell(row['unserved_districts'])}; declined: "
                    f"{_cell(row['decline_reasons']) or '-'})"
                )
            print(f"     seen:      {row['first_seen']} .. {row['last_seen']}")
        return
    table = [[_cell(row.get(c))[:48] for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in table)) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for r in table:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)))


def run_maintain(args: argparse.Namespace, settings: Settings) -> int:
    from indexer.searchlog_retention import enforce_retention

    client, conf = _log_env(settings)
    print(json.dumps(enforce_retention(client, conf)))
    return 0


def run_delete(args: argparse.Namespace, settings: Settings) -> int:
    from indexer.report_queries import parse_when
    from indexer.searchlog_retention import delete_range

    client, conf = _log_env(settings)
    since = parse_when(args.since) if args.since else None
    until = parse_when(args.until)
    print(f"deleted {delete_range(client, conf, since, until)} entries")
    return 0
