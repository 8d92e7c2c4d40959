"""Fixtures that start the real services; nothing here mocks Elasticsearch, Redis or Celery.

A missing service is started (through the same code as ``sozialatlas services up``), never
skipped: if it cannot be started, the run fails.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from analyzers import model_store
from configuration.settings import Settings
from sozialatlas.bench.server import wait_for_worker

# This process's classifiers come from the project's model store, as a server's do: the
# workers and servers the tests start read what the first of them trained.
model_store.keep_in(Settings.from_env().model_path)

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def shared_file(name: str) -> Path:
    """A file of ``../shared/data`` (CI always has it): missing, the test fails, never skips."""
    path = SHARED_DATA / name
    if not path.is_file():
        pytest.fail(f"{path} is missing: clone the project next to shared/ (see README)")
    return path


@pytest.fixture(scope="session")
def settings_obj() -> Settings:
    return Settings.from_env()


def run_smtp(settings: Settings) -> Any:
    """This run's own SMTP server (``tests/settings.py`` points the mail settings at it)."""
    from sozialatlas.services import LocalSmtp
    from tests.settings import RUN_DIR

    return LocalSmtp(Settings(state_dir=str(RUN_DIR / "smtp"), smtp_port=settings.smtp_port))


@pytest.fixture(scope="session")
def services(settings_obj: Settings) -> Iterator[Any]:
    """Elasticsearch and Redis are up; this run's index prefix and Redis DB are clean; the
    run's SMTP server is running (the real local one, as ``services up`` starts it)."""
    import redis

    from indexer.client import get_client
    from indexer.lifecycle import drop_all
    from indexer.settings import indexer_settings
    from sozialatlas.services import services_up

    endpoints = services_up(settings_obj, echo=False)
    smtp = run_smtp(settings_obj)
    smtp.up()
    redis.Redis.from_url(endpoints.redis_url).flushdb()
    conf = indexer_settings(settings_obj)
    es = get_client(conf)
    drop_all(es, conf)
    yield endpoints
    smtp.down()
    if conf.index_prefix.startswith("test-"):  # this run's own namespace (tests/settings.py)
        # Everything the run created: the sample's index, the search log, the roll-ups.
        es.indices.delete(index=f"{conf.index_prefix}-*", ignore_unavailable=True)
    else:
        drop_all(es, conf)


@pytest.fixture(scope="session")
def es_client(services: Any) -> Any:
    from django.conf import settings

    from indexer.client import get_client

    return get_client(settings.INDEXER)


@pytest.fixture(scope="session")
def worker(
    services: Any, django_db_setup: Any, django_db_blocker: Any
) -> Iterator[subprocess.Popen[bytes]]:
    """A real Celery worker process consuming this run's Redis DB."""
    from sozialatlas.commands.processes import worker_command
    from tests.settings import RUN_DIR
    from workers.app import app

    log = open(RUN_DIR / "worker.log", "ab")  # noqa: SIM115
    proc = subprocess.Popen(
        worker_command(Settings.from_env(), concurrency=2, loglevel="INFO"),
        env=dict(os.environ),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for_worker(app, proc)
    except RuntimeError as exc:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        raise RuntimeError(f"{exc}; see {RUN_DIR / 'worker.log'}") from exc
    yield proc
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    log.close()


@pytest.fixture(scope="session")
def mail_store(services: Any, settings_obj: Settings) -> Any:
    """The messages this run's SMTP server received (real SMTP, kept as .eml files)."""
    from sozialatlas.services import MailStore

    return MailStore(run_smtp(settings_obj).messages)


def wait_until(predicate: Any, timeout: float = 10.0, interval: float = 0.1) -> Any:
    """Poll ``predicate`` until it returns something truthy; fail the test on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


@pytest.fixture(autouse=True)
def _fresh_answers() -> None:
    """Each test starts without reused answers (``api.answers``), as a new API process."""
    from api.answers import search_answers, suggest_answers

    search_answers.clear()
    suggest_answers.clear()


@pytest.fixture(scope="session")
def sample_conf(services: Any) -> Any:
    """An index (own alias) holding the bundled sample data, for API and search tests."""
    from dataclasses import replace

    from django.conf import settings

    from directory.snapshot import index_file
    from sozialatlas.commands.data import SAMPLE

    conf = replace(settings.INDEXER, index_prefix=settings.INDEXER.index_prefix + "-sample")
    documents, rejected = index_file(conf, SAMPLE)
    assert documents > 50 and rejected == 0
    return conf


@pytest.fixture()
def sample_index(sample_conf: Any, settings: Any) -> Any:
    """Point the API at the sample index for one test."""
    settings.INDEXER = sample_conf
    return sample_conf
