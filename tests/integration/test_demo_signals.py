"""`sozialatlas demo` stopped by SIGTERM or SIGHUP leaves no worker or API behind."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import psutil
import pytest

from tests.settings import RUN_DIR

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_demo_stops_worker_and_api_on_signal(services: Any, tmp_path: Path, signum: int) -> None:
    port = _free_port()
    env = dict(
        os.environ,
        SOZIALATLAS_ELASTICSEARCH_URL=services.elasticsearch_url,
        SOZIALATLAS_REDIS_URL=services.redis_url,
        SOZIALATLAS_DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        SOZIALATLAS_INDEX_PREFIX=f"test-demo-{port}",
        SOZIALATLAS_BIND_PORT=str(port),
        SOZIALATLAS_STATE_DIR=str(tmp_path),
        SOZIALATLAS_WORKER_CONCURRENCY="1",
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = open(RUN_DIR / f"demo-{signum}.log", "wb")  # noqa: SIM115
    demo = subprocess.Popen(
        [sys.executable, "-m", "sozialatlas.cli", "demo"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/api/v1/health"
    try:
        deadline = time.monotonic() + 240
        while not _answers(url):
            assert demo.poll() is None, (RUN_DIR / f"demo-{signum}.log").read_text()[-2000:]
            assert time.monotonic() < deadline, "the demo's API did not come up"
            time.sleep(1)
        children = psutil.Process(demo.pid).children(recursive=True)
        groups = {os.getpgid(c.pid) for c in children if c.is_running()}
        assert len(groups) >= 2  # worker and API in their own process groups
        demo.send_signal(signum)
        demo.wait(timeout=60)
        deadline = time.monotonic() + 30
        while any(c.is_running() and c.status() != psutil.STATUS_ZOMBIE for c in children):
            assert time.monotonic() < deadline, [c.pid for c in children if c.is_running()]
            time.sleep(0.5)
        assert not _answers(url)  # the port is free again
    finally:
        if demo.poll() is None:
            demo.kill()
        for group in locals().get("groups", set()):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
        log.close()
