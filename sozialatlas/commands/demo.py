"""``sozialatlas demo``: everything on the embedded defaults, in one command."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from configuration.settings import Settings
from sozialatlas import services
from sozialatlas.commands.common import setup_django
from sozialatlas.commands.data import SAMPLE
from sozialatlas.commands.processes import serve_command, worker_command


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = sub.add_parser(
        "demo", help="start services, import and index the sample data, run worker and API"
    )
    demo.add_argument(
        "--no-wait",
        action="store_true",
        help="exit once the API answers (leaves worker and API running)",
    )
    demo.set_defaults(handler=run)


def _wait_http(url: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except OSError:
            time.sleep(0.3)
    return False


def _stop_on(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)


@contextmanager
def supervised() -> Iterator[list[subprocess.Popen[bytes]]]:
    """A list for child process groups that are stopped however this process ends.

    Ctrl-C, SIGTERM (a process manager) and SIGHUP (a closed terminal) all end the block,
    and the children - in their own sessions, so a terminal's signals do not reach them -
    get SIGTERM, then SIGKILL after 15 s; otherwise worker and API would keep running and
    hold the port. Children removed from the list before the block ends keep running.
    """
    previous = {
        signum: signal.signal(signum, _stop_on)
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
    }
    children: list[subprocess.Popen[bytes]] = []
    try:
        yield children
    finally:
        for child in children:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def run(args: argparse.Namespace, settings: Settings) -> int:
    with supervised() as children:
        return _run(args, settings, children)


def _run(
    args: argparse.Namespace, settings: Settings, children: list[subprocess.Popen[bytes]]
) -> int:
    settings = settings.replace(debug=True) if "SOZIALATLAS_DEBUG" not in os.environ else settings
    os.environ.setdefault("SOZIALATLAS_DEBUG", "1" if settings.debug else "0")
    services.services_up(settings)
    setup_django(settings)
    from django.core.management import call_command

    from directory.importer import import_file
    from directory.models import ServiceAtLocation
    from indexer.rebuild import rebuild
    from indexer.settings import indexer_settings
    from workers.queue import queue_for

    call_command("migrate", interactive=False, verbosity=0)
    env = dict(os.environ)
    logs = settings.state_path / "logs"
    logs.mkdir(parents=True, exist_ok=True)

    def output(name: str) -> Any:
        # Detached children must not hold the caller's terminal or pipe open.
        return open(logs / f"{name}.log", "ab") if args.no_wait else None

    children.append(
        subprocess.Popen(
            worker_command(settings, loglevel="WARNING", beat=True),
            env=env,
            stdout=output("worker"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    )
    report = import_file(SAMPLE)
    print(report.to_text().splitlines()[-1])
    outcome = rebuild(
        indexer_settings(settings),
        list_ids=ServiceAtLocation.searchable_ids,
        load=ServiceAtLocation.load_records,
        dispatch=queue_for(settings).dispatch_rebuild,
        timeout=300,
    )
    print(f"indexed {outcome.documents} providers through the worker into {outcome.index}")
    children.append(
        subprocess.Popen(
            serve_command(settings, workers=2),
            env=env,
            stdout=output("api"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    )
    base = f"http://{settings.bind_host}:{settings.bind_port}"
    if not _wait_http(f"{base}/api/v1/health", 60):
        print("sozialatlas: the API did not come up; see the output above", file=sys.stderr)
        return 1
    print(f"\nSozialatlas Search runs at {base}/  (API: {base}/api/v1/docs)")
    print(f"try: curl '{base}/api/v1/search?q=Kita'")
    if args.no_wait:
        pids = " ".join(str(child.pid) for child in children)
        print(f"worker and API keep running (process groups {pids}; logs in {logs})")
        children.clear()  # leave them running
        return 0
    print("Ctrl-C stops worker and API (services keep running: `sozialatlas services down`).")
    while all(child.poll() is None for child in children):
        time.sleep(1)
    return 1
