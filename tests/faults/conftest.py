"""Dedicated Elasticsearch, Redis and Celery workers for the fault suite.

The fault tests stop, freeze and kill services, so they never touch the shared ones the
other tests use: a session fixture starts a second Elasticsearch and Redis on free ports
through the same code as ``sozialatlas services up`` (own state directory, the already
downloaded Elasticsearch zip linked in), with an own index prefix. The run's SQLite file is
shared with the dedicated workers (the tests run one at a time). Everything is stopped in
teardown, also when a test fails half-way through an outage.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from configuration.settings import PROJECT_ROOT, Settings
from sozialatlas.bench.server import START_TIMEOUT
from tests.conftest import wait_until

# Short on purpose, so that a message held by a killed worker comes back within seconds.
FAST_RESTORE = {"SOZIALATLAS_VISIBILITY_TIMEOUT": "12", "SOZIALATLAS_TASK_TIME_LIMIT": "10"}
MAX_DELIVERIES = 3


def pytest_configure(config: Any) -> None:
    config.addinivalue_line(
        "markers", "faults: stops and kills dedicated services and workers (tests/faults)"
    )


@dataclass
class Dedicated:
    settings: Settings  # how the services were started (ports, state directory)
    config: Settings  # what processes use: URLs of the dedicated services, own prefix
    env: dict[str, str]  # the same, as SOZIALATLAS_* variables for subprocesses
    app: Any  # a Celery app on the dedicated broker
    state: Path

    @property
    def indexer(self) -> Any:
        from indexer.settings import indexer_settings

        return indexer_settings(self.config)

    @property
    def es(self) -> Any:
        from indexer.client import get_client

        return get_client(self.indexer)

    def redis(self) -> Any:
        import redis

        return redis.Redis.from_url(self.config.redis_url, socket_timeout=2)

    def es_service(self) -> Any:
        from sozialatlas.services import LocalElasticsearch

        return LocalElasticsearch(self.settings)

    def redis_service(self) -> Any:
        from sozialatlas.services import LocalRedis

        return LocalRedis(self.settings)

    def es_pid(self) -> int:
        from sozialatlas.services import read_pid

        pid = read_pid(self.es_service().pid_file)
        assert pid, "the dedicated Elasticsearch is not running"
        return pid

    def up(self) -> None:
        from sozialatlas.services import services_up

        services_up(self.settings, echo=False)


@pytest.fixture(scope="session")
def dedicated(services: Any) -> Iterator[Dedicated]:
    """A second Elasticsearch + Redis for this run only; removed afterwards."""
    from sozialatlas.services import LocalElasticsearch, services_down, services_up
    from tests.settings import RUN_ID, free_port
    from workers.app import create_app

    shared = Settings.from_env()
    state = Path(tempfile.mkdtemp(prefix="sozialatlas-faults-"))
    state.chmod(0o755)  # Elasticsearch's own user (when run as root) must reach it
    downloads = state / "downloads"
    downloads.mkdir()
    # Reuse the shared download (the shared cache gets it first if it is not there yet).
    shared_state = shared.replace(state_dir=str(PROJECT_ROOT / ".cache"))
    zip_path = LocalElasticsearch(shared_state).download()
    (downloads / zip_path.name).symlink_to(zip_path)
    settings = Settings(
        state_dir=str(state),
        elasticsearch_version=shared.elasticsearch_version,
        elasticsearch_port=free_port(),
        elasticsearch_heap="512m",
        redis_port=free_port(),
        index_prefix=f"faults-{RUN_ID}",
    )
    try:
        endpoints = services_up(settings, echo=False)
        config = settings.replace(
            elasticsearch_url=endpoints.elasticsearch_url,
            redis_url=endpoints.redis_url,
            elasticsearch_timeout=shared.elasticsearch_timeout,
        )
        env = {
            "SOZIALATLAS_ELASTICSEARCH_URL": config.elasticsearch_url,
            "SOZIALATLAS_REDIS_URL": config.redis_url,
            "SOZIALATLAS_INDEX_PREFIX": config.index_prefix,
            "SOZIALATLAS_TASK_MAX_DELIVERIES": str(MAX_DELIVERIES),
        }
        yield Dedicated(settings, config, env, create_app(config), state)
    finally:
        with contextlib.suppress(ProcessLookupError, AssertionError):
            pid = Dedicated(settings, settings, {}, None, state).es_pid()
            os.killpg(pid, signal.SIGCONT)  # a frozen server cannot shut down
        services_down(settings)
        shutil.rmtree(state, ignore_errors=True)


class FaultWorker:
    """A real Celery worker on the dedicated broker, killable by process group or child."""

    def __init__(self, dedicated: Dedicated, log: Path, **env: str) -> None:
        self.dedicated = dedicated
        self.log = log
        self.env = {**os.environ, **dedicated.env, **env}
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self, concurrency: int = 1, beat: bool = False) -> FaultWorker:
        from sozialatlas.commands.processes import worker_command

        command = worker_command(Settings.from_env(self.env), concurrency, "INFO", beat=beat)
        command += ["--include", "tests.faults.tasks"]
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                command,
                env=self.env,
                cwd=PROJECT_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.starts += 1
        proc = self.proc

        def ready() -> bool:
            assert proc.poll() is None, f"the worker exited; see {self.log}"
            return bool(self.dedicated.app.control.ping(timeout=0.5))

        wait_until(ready, timeout=START_TIMEOUT, interval=0.2)
        return self

    def children(self) -> list[int]:
        assert self.proc is not None
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def kill_group(self) -> None:
        """SIGKILL the main process and its pool at once: nobody acks or rejects anything."""
        assert self.proc is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture()
def fault(
    dedicated: Dedicated, settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Dedicated]:
    """Clean dedicated services, and this process's API and producers pointed at them."""
    from api import ratelimit
    from indexer.lifecycle import drop_all

    dedicated.up()  # a previous test may have failed during an outage
    dedicated.redis().flushdb()
    drop_all(dedicated.es, dedicated.indexer)
    settings.INDEXER = dedicated.indexer
    settings.ENDPOINTS = replace(
        settings.ENDPOINTS,
        elasticsearch_url=dedicated.config.elasticsearch_url,
        redis_url=dedicated.config.redis_url,
    )
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": dedicated.config.redis_url,
            "KEY_PREFIX": dedicated.config.index_prefix,
        }
    }
    ratelimit.reset_breaker()
    yield dedicated
    ratelimit.reset_breaker()
    with contextlib.suppress(ProcessLookupError, AssertionError):
        os.killpg(dedicated.es_pid(), signal.SIGCONT)


@pytest.fixture()
def fault_worker(fault: Dedicated, tmp_path: Path) -> Iterator[FaultWorker]:
    """A dedicated worker (not started: each test picks its settings), always stopped."""
    worker = FaultWorker(fault, tmp_path / "worker.log")
    yield worker
    worker.stop()


def started(
    worker: FaultWorker,
    concurrency: int = 1,
    env: dict[str, str] | None = None,
    beat: bool = False,
) -> FaultWorker:
    worker.env.update(env or {})
    return worker.start(concurrency, beat=beat)


# --------------------------------------------------------------------------- assertions


def index_state(dedicated: Dedicated) -> dict[str, int]:
    from indexer.reconcile import indexed_revisions

    return indexed_revisions(dedicated.es, dedicated.indexer.alias)


def db_state() -> dict[str, int]:
    from directory.models import ServiceAtLocation

    return dict(ServiceAtLocation.objects.values_list("id", "revision"))


def hit_count(dedicated: Dedicated) -> int:
    """Documents behind the alias, counted by Elasticsearch (duplicates would show here)."""
    es, alias = dedicated.es, dedicated.indexer.alias
    es.indices.refresh(index=alias)
    return int(es.count(index=alias).body["count"])


def converged(dedicated: Dedicated) -> bool:
    """Index ids == database ids and every indexed revision == the database revision."""
    try:
        return index_state(dedicated) == db_state() and hit_count(dedicated) == len(db_state())
    except Exception:  # Elasticsearch still starting
        return False


def behind(dedicated: Dedicated) -> dict[str, tuple[int | None, int | None]]:
    """Records whose index state differs from the database: id -> (indexed, database)."""
    indexed, stored = index_state(dedicated), db_state()
    return {
        doc_id: (indexed.get(doc_id), stored.get(doc_id))
        for doc_id in indexed.keys() | stored.keys()
        if indexed.get(doc_id) != stored.get(doc_id)
    }


def drained(dedicated: Dedicated, quiet: float = 3.0) -> bool:
    """Nothing queued or held unacked for ``quiet`` seconds: the workers have nothing left."""
    from workers.app import QUEUE

    client = dedicated.redis()
    deadline = time.monotonic() + quiet
    while time.monotonic() < deadline:
        if client.llen(QUEUE) or client.hlen("unacked"):
            return False
        time.sleep(0.25)
    return True


def quiet_provider(**overrides: Any) -> Any:
    """A record written without the save signal (as an import writes), so that nothing is
    queued; the service at a location."""
    from directory.models import ServiceAtLocation
    from directory.record_writer import RecordWriter
    from directory.records import clean_record
    from tests.factories import record

    fields = clean_record(record(**overrides))
    RecordWriter().write([(fields, None)])
    return ServiceAtLocation.objects.get(id=fields["id"])


def load_sample() -> int:
    from directory.importer import import_file
    from sozialatlas.commands.data import SAMPLE

    import_file(SAMPLE, on_batch=None)
    from directory.models import ServiceAtLocation

    return ServiceAtLocation.objects.count()


def index_inline(dedicated: Dedicated) -> None:
    """Fill the dedicated index from the database in this process (no worker needed)."""
    from directory.models import ServiceAtLocation
    from indexer.rebuild import rebuild

    rebuild(
        dedicated.indexer,
        ServiceAtLocation.searchable_ids,
        ServiceAtLocation.load_records,
        batch_size=500,
    )


def timed(fn: Any) -> tuple[Any, float]:
    started_at = time.monotonic()
    value = fn()
    return value, time.monotonic() - started_at
