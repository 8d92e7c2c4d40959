"""The local SMTP server: where mail goes in development, tests and the demo.

An ``aiosmtpd`` process (the ``local`` extra) on 127.0.0.1:``SOZIALATLAS_SMTP_PORT`` that
accepts every message and keeps it under ``<state>/mail/messages`` (``sozialatlas mail
list | show``). Started, found and stopped like Redis: pid file, port check, SIGTERM. With
``SOZIALATLAS_SMTP_HOST`` set, the relay named there is used and nothing is started.
"""

from __future__ import annotations

import importlib.util
import smtplib
import subprocess
import sys
import time
from pathlib import Path

from configuration.endpoints import LOCAL_HOST
from configuration.settings import Settings
from sozialatlas.services.local_service import LocalService, ServiceError, ServiceStatus
from sozialatlas.services.processes import read_pid, stop_pid, tail_log

START_TIMEOUT = 20.0


def smtp_answers(host: str, port: int, timeout: float = 2.0) -> bool:
    """An SMTP server greets with 220 and answers NOOP (a mere open port is not enough)."""
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as client:
            return client.noop()[0] == 250
    except (OSError, smtplib.SMTPException):
        return False


class LocalSmtp(LocalService):
    """The embedded SMTP server of ``sozialatlas services up``; keeps, never relays."""

    name = "mail"
    port_setting = "SOZIALATLAS_SMTP_PORT"

    def __init__(self, settings: Settings, rcpt_delay: float = 0.0) -> None:
        self.settings = settings
        self.port = settings.smtp_port
        state = settings.state_path.resolve()
        self.dir = state / "mail"
        self.messages = self.dir / "messages"
        self.log_path = self.dir / "server.log"
        self.pid_file = state / "run" / "smtp.pid"
        self.rcpt_delay = rcpt_delay  # fault tests only

    @property
    def url(self) -> str:
        return f"smtp://{LOCAL_HOST}:{self.port}"

    def healthy(self) -> bool:
        return smtp_answers(LOCAL_HOST, self.port, timeout=1.0)

    def status(self) -> ServiceStatus:
        pid = read_pid(self.pid_file)
        detail = f"pid {pid}, messages in {self.messages}" if pid else ""
        return ServiceStatus(self.name, self.url, self.healthy(), True, detail)

    def up(self) -> ServiceStatus:
        existing = self.running()
        if existing:
            return existing
        if importlib.util.find_spec("aiosmtpd") is None:
            raise ServiceError(
                "aiosmtpd is not installed, so no local SMTP server can run: install the "
                "project's local extra (pip install -e '.[local]') or set SOZIALATLAS_SMTP_HOST."
            )
        self.messages.mkdir(parents=True, exist_ok=True)
        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "sozialatlas.services.smtp_server"]
        command += ["--port", str(self.port), "--dir", str(self.messages)]
        if self.rcpt_delay:
            command += ["--rcpt-delay", str(self.rcpt_delay)]
        with open(self.log_path, "ab") as log:
            proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                cwd=Path(__file__).resolve().parents[2],
            )
        self.pid_file.write_text(str(proc.pid))
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                self.pid_file.unlink(missing_ok=True)
                raise ServiceError(
                    "the SMTP server exited during start-up:\n" + tail_log(self.log_path)
                )
            if self.healthy():
                return self.status()
            time.sleep(0.1)
        stop_pid(proc.pid, timeout=5)
        self.pid_file.unlink(missing_ok=True)
        raise ServiceError(
            f"the SMTP server did not answer within {START_TIMEOUT:.0f} s:\n"
            + tail_log(self.log_path)
        )
