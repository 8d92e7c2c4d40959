"""``sozialatlas status``: services, index, queue and parked jobs at a glance."""

from __future__ import annotations

import argparse
import json

from sozialatlas import services
from sozialatlas.config import Settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("status", help="show services, index, queue length and dead letters")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    import redis

    from indexer.client import get_client
    from indexer.lifecycle import indices_behind
    from sozialatlas.runtime import indexer_settings
    from workers.app import QUEUE
    from workers.deadletter import parked

    statuses = services.services_status(settings)
    for status in statuses:
        print(status.line())
    ok = all(s.running for s in statuses)
    if not ok:
        return 3
    conf = indexer_settings(settings)
    es = get_client(conf)
    names = indices_behind(es, conf.alias)
    documents = es.count(index=conf.alias).body["count"] if names else 0
    print(f"index          {conf.alias} -> {', '.join(names) or '(none)'}: {documents} documents")
    client = redis.Redis.from_url(services.endpoints(settings).redis_url)
    print(f"queue          {QUEUE}: {client.llen(QUEUE)} waiting")
    dead = parked(settings)
    print(f"dead letters   {len(dead)}")
    for entry in dead[:10]:
        print("  " + json.dumps(entry, ensure_ascii=False)[:200])
    return 0
