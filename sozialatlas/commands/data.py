"""``sozialatlas migrate | import | reindex``: the data path from files to the index."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from configuration.settings import Settings
from sozialatlas.commands.common import setup_django
from sozialatlas.progress import Progress

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample_providers.jsonl"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    migrate = sub.add_parser("migrate", help="create or update the database schema")
    migrate.set_defaults(handler=run_migrate)

    imp = sub.add_parser(
        "import",
        help="import provider records (JSON Lines, JSON, CSV; .gz too) or an HSDS publication",
    )
    imp.add_argument(
        "file",
        type=Path,
        nargs="?",
        default=SAMPLE,
        help="file, or HSDS Data Package directory, to import (default: the bundled sample data)",
    )
    imp.add_argument(
        "--format",
        choices=("auto", "legacy", "hsds"),
        default="auto",
        help="legacy: our exchange records; hsds: Open Referral HSDS 3.0 JSON (services, "
        "organisations, services at locations, pages) or a directory of its CSV tables; "
        "auto (default): a directory or JSON with HSDS fields is HSDS",
    )
    imp.add_argument(
        "--no-index",
        action="store_true",
        help="only write the database; index later with `reindex`",
    )
    imp.set_defaults(handler=run_import)

    reindex = sub.add_parser(
        "reindex", help="rebuild the search index from the database, then swap it in atomically"
    )
    reindex.add_argument(
        "--inline",
        action="store_true",
        help="index in this process instead of through the Celery workers",
    )
    reindex.add_argument("--batch-size", type=int, default=None)
    reindex.add_argument(
        "--timeout",
        type=float,
        default=1800.0,
        help="seconds to wait for the workers before giving up",
    )
    reindex.add_argument(
        "--stall",
        type=float,
        default=60.0,
        help="seconds without progress before unfinished batches are sent to the workers again",
    )
    reindex.set_defaults(handler=run_reindex)


def run_migrate(args: argparse.Namespace, settings: Settings) -> int:
    setup_django(settings)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    print("database schema up to date")
    return 0


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    setup_django(settings)
    from django.core.management import call_command

    from directory.hsds_import import import_hsds
    from directory.hsds_readers import is_hsds
    from directory.importer import import_file
    from workers.queue import queue_for

    call_command("migrate", interactive=False, verbosity=0)
    unqueued: list[str] = []

    def queue(ids: list[str]) -> None:
        if not queue_for(settings).enqueue_index(ids):
            unqueued.extend(ids)

    hsds = args.format == "hsds" or (args.format == "auto" and is_hsds(args.file))
    importer = import_hsds if hsds else import_file
    report = importer(args.file, on_batch=None if args.no_index else queue)
    print(report.to_text())
    if not args.no_index and report.changed_ids:
        queued = len(report.changed_ids) - len(unqueued)
        print(f"queued {queued} changed records for indexing by the workers")
        if unqueued:
            print(
                f"broker unreachable for {len(unqueued)} records: run `sozialatlas reindex` "
                "once it is back",
                file=sys.stderr,
            )
    return 0


def run_reindex(args: argparse.Namespace, settings: Settings) -> int:
    setup_django(settings)
    from directory.models import ServiceAtLocation
    from directory.writeclock import mark_written
    from indexer.rebuild import rebuild
    from indexer.settings import indexer_settings
    from workers.queue import queue_for

    started = time.monotonic()
    progress = Progress("reindex", stream=sys.stderr)
    outcome = rebuild(
        indexer_settings(settings),
        list_ids=ServiceAtLocation.searchable_ids,
        load=ServiceAtLocation.load_records,
        dispatch=None if args.inline else queue_for(settings).dispatch_rebuild,
        batch_size=args.batch_size or settings.index_batch_size,
        timeout=args.timeout,
        on_progress=progress.update,
        stall=args.stall,
    )
    progress.close()
    mark_written()  # the alias now points elsewhere: reused answers are out of date
    print(
        f"{outcome.documents} documents in {outcome.index} "
        f"({time.monotonic() - started:.1f} s); retired: {', '.join(outcome.retired) or '-'}"
        + (f"; removed partial: {', '.join(outcome.orphans)}" if outcome.orphans else "")
        + (f"; batches sent again: {outcome.resent}" if outcome.resent else "")
    )
    for doc_id, reason in outcome.failures[:20]:
        print(f"  failed {doc_id}: {reason}", file=sys.stderr)
    return 0
