"""What the local services share: the error, the status line and the base class.

Elasticsearch, Redis and the SMTP server are started, found and stopped the same way (pid
file, port check, SIGTERM); only provisioning and the health check differ, so those are
left to the subclasses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sozialatlas.services.processes import port_in_use, read_pid, stop_pid


class ServiceError(RuntimeError):
    """A local service could not be provisioned or started; the message says how to fix it."""


@dataclass(frozen=True)
class ServiceStatus:
    name: str
    url: str
    running: bool
    managed: bool  # started by us (False: external, configured by URL)
    detail: str = ""

    def line(self) -> str:
        state = "running" if self.running else "not running"
        origin = "local" if self.managed else "external"
        return f"{self.name:<14} {state:<12} {origin:<8} {self.url}  {self.detail}".rstrip()


class LocalService:
    """What both local services share: pid file, port checks, stopping."""

    name: str
    port: int
    pid_file: Path
    port_setting: str  # the variable that moves the service to another port

    @property
    def url(self) -> str:
        raise NotImplementedError

    def healthy(self) -> bool:
        raise NotImplementedError

    def status(self) -> ServiceStatus:
        raise NotImplementedError

    def up(self) -> ServiceStatus:
        """Start the service (idempotent: a running one is only reported)."""
        raise NotImplementedError

    def running(self) -> ServiceStatus | None:
        """The status if the service already answers; an error if its port is taken."""
        if read_pid(self.pid_file) and self.healthy():
            return self.status()
        if port_in_use(self.port):
            if self.healthy():
                return ServiceStatus(self.name, self.url, True, False, "already served on the port")
            raise ServiceError(
                f"Port {self.port} on 127.0.0.1 is taken by another program; stop it or set "
                f"{self.port_setting} to a free port."
            )
        return None

    def down(self) -> None:
        pid = read_pid(self.pid_file)
        if pid:
            stop_pid(pid)
        self.pid_file.unlink(missing_ok=True)
