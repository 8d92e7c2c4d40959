"""``sozialatlas status``: services, index, queue and parked jobs at a glance;
``sozialatlas probe``: the container health check of a running API."""

from __future__ import annotations

import argparse
import json
import urllib.error
import urllib.request

from configuration.endpoints import endpoints
from configuration.settings import Settings
from sozialatlas import services


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("status", help="show services, index, queue length and dead letters")
    parser.set_defaults(handler=run)
    probe_parser = sub.add_parser("probe", help="exit 0 if the API at --url answers its health")
    probe_parser.add_argument("--url", default="http://127.0.0.1:8000", help="the API's base URL")
    probe_parser.add_argument("--timeout", type=float, default=3.0, help="seconds to wait")
    probe_parser.set_defaults(handler=probe)


def probe(args: argparse.Namespace, settings: Settings) -> int:
    """GET /api/v1/health as a client of the configured host would (Host header).

    A probe with ``Host: localhost`` is refused by a server configured for its real domain
    name; this one names the first of SOZIALATLAS_ALLOWED_HOSTS.
    """
    host = next((h.strip() for h in settings.allowed_hosts.split(",") if h.strip()), "localhost")
    request = urllib.request.Request(
        args.url.rstrip("/") + "/api/v1/health", headers={"Host": host}
    )
    try:
        with urllib.request.urlopen(request, timeout=args.timeout) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError as exc:
        print(f"unhealthy: {exc}")
        return 1
    print(f"health {status} (Host: {host})")
    return 0 if status == 200 else 1


def run(args: argparse.Namespace, settings: Settings) -> int:
    import redis

    from indexer.client import get_client
    from indexer.lifecycle import indices_behind
    from indexer.settings import indexer_settings
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
    client = redis.Redis.from_url(endpoints(settings).redis_url)
    print(f"queue          {QUEUE}: {client.llen(QUEUE)} waiting")
    dead = parked(settings)
    print(f"dead letters   {len(dead)}")
    for entry in dead[:10]:
        print("  " + json.dumps(entry, ensure_ascii=False)[:200])
    return 0
