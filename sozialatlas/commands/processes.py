"""``sozialatlas worker`` and ``sozialatlas serve``: the long-running processes."""

from __future__ import annotations

import argparse
import os
import sys

from configuration.settings import Settings, require_secret_key


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    worker = sub.add_parser("worker", help="run the Celery indexing worker")
    worker.add_argument(
        "--concurrency",
        type=int,
        default=None,
        help="worker processes (default: SOZIALATLAS_WORKER_CONCURRENCY)",
    )
    worker.add_argument("--loglevel", default="INFO")
    worker.add_argument(
        "--beat",
        action="store_true",
        help="also run the scheduler (log retention, roll-ups, reconciliation); "
        "exactly one worker of a deployment should",
    )
    worker.set_defaults(handler=run_worker)
    serve = sub.add_parser("serve", help="run the API with gunicorn (production server)")
    serve.add_argument("--workers", type=int, default=2)
    serve.add_argument("--bind", default=None, help="host:port (default from settings)")
    serve.set_defaults(handler=run_serve)


def worker_command(
    settings: Settings,
    concurrency: int | None = None,
    loglevel: str = "INFO",
    beat: bool = False,
) -> list[str]:
    # The scheduler (retention, roll-ups, reconciliation) runs inside one worker.
    schedule = ["--beat", "--schedule", str(settings.state_path / "celerybeat-schedule")]
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "workers.app",
        "worker",
        "--pool",
        "prefork",
        "--concurrency",
        str(concurrency or settings.worker_concurrency),
        "--queues",
        "indexing",
        "--loglevel",
        loglevel,
        "--without-gossip",
        "--without-mingle",
        "--hostname",
        f"indexer-{os.getpid()}@%h",
        *(schedule if beat else []),
    ]


# Method, path (without the query string), status and duration: never the client's address,
# the query text, the referrer or the user agent. What people search for is sensitive
# ("Frauenhaus", "schwanger"); the search log is the one place that keeps it, redacted and
# for a limited time.
ACCESS_LOG_FORMAT = "%(m)s %(U)s %(s)s %(M)sms"


def serve_command(settings: Settings, workers: int = 2, bind: str | None = None) -> list[str]:
    address = bind or f"{settings.bind_host}:{settings.bind_port}"
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "api.wsgi:application",
        "--bind",
        address,
        "--workers",
        str(workers),
        "--threads",
        "4",
        "--worker-class",
        "gthread",
        "--timeout",
        "30",
        "--preload",
        "--access-logfile",
        "-",
        "--access-logformat",
        ACCESS_LOG_FORMAT,
        # Tokens of inquiry links are credentials: the path is logged without them.
        "--logger-class",
        "sozialatlas.access_log.AccessLogger",
    ]


def run_worker(args: argparse.Namespace, settings: Settings) -> int:
    command = worker_command(settings, args.concurrency, args.loglevel, beat=args.beat)
    os.execv(command[0], command)
    return 0  # pragma: no cover


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    require_secret_key(settings)  # fail here, in one line, not in every gunicorn worker
    command = serve_command(settings, args.workers, args.bind)
    os.execv(command[0], command)
    return 0  # pragma: no cover
