"""The processes under test: a real gunicorn on a free loopback port, started and stopped,
and the wait for a Celery worker the benchmark started."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from configuration.settings import Settings

# A cold process trains the analysers' letter and danger models and builds their indexes
# before it answers (about 45 s of one core); a worker and a server starting together on two
# busy cores take twice that. Every wait for a starting process uses this one bound.
START_TIMEOUT = 240.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(settings: Settings, prefix: str, state: Path, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "SOZIALATLAS_INDEX_PREFIX": prefix,
        "SOZIALATLAS_RATE_LIMIT_ANON": "",
        "SOZIALATLAS_RATE_LIMIT_PARTNER": "",
        "SOZIALATLAS_SSL_REDIRECT": "false",
        "SOZIALATLAS_HSTS_SECONDS": "0",
        "SOZIALATLAS_DEBUG": "false",
        "SOZIALATLAS_SECRET_KEY": secrets.token_urlsafe(50),
        "SOZIALATLAS_SEARCHLOG_ENABLED": "false",
        "SOZIALATLAS_DATABASE_URL": f"sqlite:///{state / 'bench.sqlite3'}",
        "SOZIALATLAS_BIND_HOST": "127.0.0.1",
        "SOZIALATLAS_BIND_PORT": str(port),
    }


class Server:
    """The API under gunicorn, exactly as ``sozialatlas serve`` starts it."""

    def __init__(
        self,
        settings: Settings,
        prefix: str,
        state: Path,
        workers: int,
        env_overrides: dict[str, str] | None = None,
    ) -> None:
        """``env_overrides`` (``SOZIALATLAS_*``) win over the latency benchmark's defaults:
        a benchmark whose API must share a database, Redis and keys with its workers."""
        from sozialatlas.commands.processes import serve_command

        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**server_env(settings, prefix, state, self.port), **(env_overrides or {})}
        child = Settings.from_env(env)
        self.log_path = state / f"gunicorn-{prefix}.log"
        self.log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            serve_command(child, workers=workers, bind=f"127.0.0.1:{self.port}"),
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_healthy(self, documents: int, timeout: float = 90.0) -> None:
        """Until the API answers and serves the benchmark's index (public ``/health`` names
        no index: browsing without a query counts what the alias holds)."""

        def serving(status: int, data: bytes) -> bool:
            return status == 200 and json.loads(data).get("total") == documents

        self._wait("/api/v1/search?size=1", serving, timeout, "healthy")

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        """Until ``/api/v1/health`` answers 200 (Elasticsearch, Redis, database reachable)."""
        self._wait("/api/v1/health", lambda status, _: status == 200, timeout, "ready")

    def _wait(
        self, path: str, done: Callable[[int, bytes], bool], timeout: float, what: str
    ) -> None:
        import urllib3

        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited during start-up, see {self.log_path}")
            try:
                response = urllib3.request("GET", f"{self.base}{path}", timeout=5.0, retries=False)
                if done(response.status, response.data):
                    return
                last = response.data[:200].decode(errors="replace")
            except (urllib3.exceptions.HTTPError, ValueError, KeyError) as exc:
                last = repr(exc)
            time.sleep(0.3)
        raise RuntimeError(f"the API was not {what} within {timeout:.0f} s: {last}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def wait_for_worker(app: Any, proc: subprocess.Popen[bytes]) -> None:
    """Until the Celery worker ``proc`` answers a ping (``START_TIMEOUT`` at most)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the Celery worker exited during start-up")
        if app.control.ping(timeout=0.5):
            return
    raise RuntimeError(f"the Celery worker did not answer within {START_TIMEOUT:.0f} s")
