"""``sozialatlas reconcile``: make the index match the database revisions, in this process.

The same comparison the ``workers.reconcile`` beat job runs, without needing a worker or
the broker: after Redis was down, edits saved meanwhile reach the index here.
"""

from __future__ import annotations

import argparse
import sys

from configuration.settings import Settings
from sozialatlas.commands.common import setup_django

SHOWN = 20


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "reconcile",
        help="re-index records the index lacks or holds at an older revision, delete the gone",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="only show what would be re-indexed and deleted"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    setup_django(settings)
    from directory.models import ServiceAtLocation
    from indexer.client import get_client
    from indexer.reconcile import delete_gone, plan, reindex_inline
    from indexer.settings import indexer_settings

    conf = indexer_settings(settings)
    es = get_client(conf)
    todo = plan(es, conf, ServiceAtLocation.searchable_revisions)
    print(f"reconcile {conf.alias}: {todo.summary()}")
    for label, ids in (("re-index", todo.reindex), ("delete", todo.delete)):
        if ids:
            more = f" (+{len(ids) - SHOWN} more)" if len(ids) > SHOWN else ""
            print(f"  {label}: {', '.join(ids[:SHOWN])}{more}")
    if args.dry_run or todo.empty:
        return 0
    deleted = delete_gone(es, conf, todo.delete) if todo.delete else None
    indexed = reindex_inline(
        es, conf, todo.reindex, ServiceAtLocation.load_records, batch_size=settings.index_batch_size
    )
    failures = indexed.failures + (deleted.failures if deleted else [])
    print(
        f"re-indexed {indexed.indexed} (stale {indexed.stale}), "
        f"deleted {deleted.deleted if deleted else 0}, failed {len(failures)}"
    )
    for doc_id, reason in failures[:SHOWN]:
        print(f"  failed {doc_id}: {reason}", file=sys.stderr)
    return 1 if failures else 0
