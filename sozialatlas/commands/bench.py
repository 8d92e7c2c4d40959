"""``sozialatlas bench …``: benchmarks that print figures."""

from __future__ import annotations

import argparse
from pathlib import Path

from configuration.settings import Settings
from sozialatlas.commands.common import setup_django
from sozialatlas.commands.data import SAMPLE

SAMPLE_QUERIES = SAMPLE.parent / "replay-sample.jsonl"
LATENCY_QUERIES = Path(__file__).resolve().parents[2] / "benchmarks" / "queries-latency.txt"
SHARED_PROVIDERS = Path("/work/shared/data/providers.jsonl")
CRISIS_PHRASINGS = Path(__file__).resolve().parents[2] / "tests" / "data" / "crisis-phrasings.tsv"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    bench = sub.add_parser("bench", help="run a benchmark and print its figures")
    kinds = bench.add_subparsers(dest="bench", required=True, metavar="BENCHMARK")

    relevance = kinds.add_parser(
        "relevance",
        help="nDCG@10, success@3, zero-result rate on judged queries, beside a baseline",
    )
    relevance.add_argument("--queries", type=Path, required=True, help="judged queries (JSONL)")
    relevance.add_argument(
        "--import",
        dest="import_file",
        type=Path,
        default=None,
        help="index this provider file into a separate bench index first",
    )
    relevance.add_argument(
        "--run-out",
        type=Path,
        default=None,
        help="write one JSON line per query with the ranked ids",
    )
    relevance.add_argument(
        "--record",
        type=Path,
        default=None,
        help="write the overall figures (the CI regression reference)",
    )
    relevance.set_defaults(handler=run_relevance)

    indexing = kinds.add_parser(
        "indexing", help="records/s from a file to searchable, through the Celery workers"
    )
    indexing.add_argument("--file", type=Path, required=True, help="provider records file")
    indexing.add_argument("--workers", type=int, default=2, help="worker processes")
    indexing.set_defaults(handler=run_indexing)

    analyzers = kinds.add_parser("analyzers", help="time query and record analysis, show memory")
    analyzers.add_argument(
        "--queries",
        type=Path,
        default=SAMPLE_QUERIES,
        help="queries, JSONL with q (default: the bundled replay sample)",
    )
    analyzers.add_argument(
        "--records",
        type=Path,
        default=SAMPLE,
        help="provider records, JSONL (default: the bundled sample data)",
    )
    analyzers.set_defaults(handler=run_analyzers)

    crisis = kinds.add_parser(
        "crisis", help="recall of the crisis layer by kind, language and style; false alarms"
    )
    crisis.add_argument(
        "--phrasings",
        type=Path,
        default=CRISIS_PHRASINGS,
        help="kind<TAB>lang<TAB>style<TAB>query lines (default: tests/data/crisis-phrasings.tsv)",
    )
    crisis.add_argument(
        "--negatives", type=Path, default=None, help="queries that must raise no alarm (TSV)"
    )
    crisis.add_argument(
        "--dev", type=Path, default=None, help="judged queries (JSONL): alarms off their intent"
    )
    crisis.set_defaults(handler=run_crisis)

    latency = kinds.add_parser(
        "latency", help="search/suggest latency under load, API beside direct Elasticsearch"
    )
    latency.add_argument(
        "--queries",
        type=Path,
        default=LATENCY_QUERIES,
        help="one query per line (default: benchmarks/queries-latency.txt)",
    )
    latency.add_argument(
        "--file",
        type=Path,
        default=None,
        help="provider records (default: the shared 1.1k corpus, else the sample)",
    )
    latency.add_argument(
        "--file-large",
        type=Path,
        default=None,
        help="a large provider file (e.g. the 100k corpus), measured as well",
    )
    latency.add_argument("--duration", type=float, default=15.0, help="seconds per cell at most")
    latency.add_argument(
        "--requests",
        type=int,
        default=100_000,
        help="requests per cell at most (by default the duration decides: short cells give "
        "noisy percentiles)",
    )
    latency.add_argument("--rounds", type=int, default=1, help="measure every cell this often")
    latency.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    latency.add_argument(
        "--out",
        type=Path,
        default=Path("benchmarks/latency-report.md"),
        help="Markdown report (the PNG plot goes beside it)",
    )
    latency.set_defaults(handler=run_latency)

    inquiries = kinds.add_parser(
        "inquiries",
        help="a burst of inquiries through the real API, workers and SMTP server: accepted, "
        "rate-limited, delivered, duplicates, intake latency",
    )
    inquiries.add_argument("--inquiries", type=int, default=1000, help="inquiries in the burst")
    inquiries.add_argument("--providers", type=int, default=40, help="providers asked")
    inquiries.add_argument(
        "--clients", type=int, default=200, help="simulated clients (distinct addresses)"
    )
    inquiries.add_argument(
        "--spam",
        type=int,
        default=15,
        help="of the inquiries, this many from one client (over its hourly limit: 429s)",
    )
    inquiries.add_argument("--concurrency", type=int, default=8, help="requests at a time")
    inquiries.add_argument(
        "--deliver-timeout", type=float, default=600.0, help="seconds to wait for all mail"
    )
    inquiries.set_defaults(handler=run_inquiries)


def run_relevance(args: argparse.Namespace, settings: Settings) -> int:
    setup_django(settings)
    from indexer.settings import indexer_settings
    from sozialatlas.bench.relevance import main

    main(indexer_settings(settings), args.queries, args.import_file, args.run_out, args.record)
    return 0


def run_analyzers(args: argparse.Namespace, settings: Settings) -> int:
    from sozialatlas.bench import analyzers as benchmark

    return benchmark.main(["--queries", str(args.queries), "--records", str(args.records)])


def run_crisis(args: argparse.Namespace, settings: Settings) -> int:
    from sozialatlas.bench.crisis import main

    main(args.phrasings, args.negatives, args.dev)
    return 0


def run_indexing(args: argparse.Namespace, settings: Settings) -> int:
    from sozialatlas.bench.indexing import run

    run(settings, args.file, args.workers)
    return 0


def run_latency(args: argparse.Namespace, settings: Settings) -> int:
    setup_django(settings)
    from sozialatlas.bench.latency import main

    file = args.file or (SHARED_PROVIDERS if SHARED_PROVIDERS.exists() else SAMPLE)
    main(
        settings,
        args.queries,
        file,
        args.file_large,
        args.duration,
        args.requests,
        args.rounds,
        args.workers,
        args.out,
    )
    return 0


def run_inquiries(args: argparse.Namespace, settings: Settings) -> int:
    from sozialatlas.bench.inquiries import run

    figures = run(
        settings,
        args.inquiries,
        args.providers,
        args.clients,
        args.spam,
        args.concurrency,
        args.deliver_timeout,
    )
    complete = (
        not figures["other"]
        and figures["mails_missing"] == 0
        and figures["duplicate_message_ids"] == 0
        and figures["accepted"] + figures["rate_limited"] == figures["inquiries"]
    )
    return 0 if complete else 1
