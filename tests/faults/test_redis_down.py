"""Redis stopped: searching goes on, edits are saved, reconciliation indexes them later."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time

import pytest
from ninja.testing import TestClient

from api.apis import api
from indexer.reconcile import diff
from tests.conftest import wait_until
from tests.factories import provider
from tests.faults.conftest import (
    Dedicated,
    FaultWorker,
    converged,
    db_state,
    index_inline,
    index_state,
    load_sample,
    started,
)

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]
client = TestClient(api)


def _cli(fault: Dedicated, *args: str) -> subprocess.CompletedProcess[str]:
    from configuration.settings import PROJECT_ROOT

    return subprocess.run(
        [sys.executable, "-m", "sozialatlas.cli", *args],
        env={**os.environ, **fault.env},
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_searches_and_edits_go_on_and_reconcile_catches_up(
    fault: Dedicated,
    fault_worker: FaultWorker,
    settings: object,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from api.searchlog import writer
    from directory.models import ServiceAtLocation
    from tests.factories import rename

    load_sample()
    index_inline(fault)
    started(fault_worker)
    settings.RATE_LIMIT_ANON = "3/min"  # type: ignore[attr-defined]
    log_writer = writer()
    enabled, log_writer.enabled = log_writer.enabled, True
    dropped_before = log_writer.counters["dropped_unavailable"]

    fault.redis_service().down()
    try:
        # Searching: rate limiting fails open, the search log drops and counts.
        timings = []
        for _ in range(6):  # twice the limit
            started_at = time.monotonic()
            response = client.get("/search?q=Schulden")
            timings.append(time.monotonic() - started_at)
            assert response.status_code == 200 and response.json()["total"] > 0
        log_writer.flush()
        dropped = log_writer.counters["dropped_unavailable"] - dropped_before
        assert dropped >= 6
        health = client.get("/health").json()
        assert health["redis"]["ok"] is False and health["elasticsearch"]["ok"] is True

        # Editing: saves commit, the enqueue fails and says so.
        rows = list(ServiceAtLocation.objects.order_by("id")[:5])
        save_times = []
        with caplog.at_level(logging.WARNING, logger="sozialatlas.queue"):
            for row in rows[:3]:
                started_at = time.monotonic()
                rename(row, row.name + " (Redis war weg)")
                save_times.append(time.monotonic() - started_at)
            deleted_id = rows[3].id
            rows[3].delete()
            created = provider(name="Neu angelegt ohne Redis")
        unreachable = [r for r in caplog.records if "broker unreachable" in r.getMessage()]
        assert len(unreachable) == 5
    finally:
        log_writer.enabled = enabled
        fault.up()

    # Redis is back; the jobs were never queued, so the index stays behind ...
    time.sleep(2)
    drift = diff(db_state(), index_state(fault))
    assert drift.reindex == sorted([*(row.id for row in rows[:3]), created.id])
    assert drift.delete == [deleted_id]
    dry = _cli(fault, "reconcile", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "4 to re-index, 1 to delete" in dry.stdout
    assert diff(db_state(), index_state(fault)) == drift  # a dry run changes nothing
    # ... until reconciliation runs.
    started_at = time.monotonic()
    run = _cli(fault, "reconcile")
    assert run.returncode == 0, run.stdout + run.stderr
    took = time.monotonic() - started_at
    assert converged(fault)
    again = _cli(fault, "reconcile")
    assert "0 to re-index, 0 to delete" in again.stdout
    # Searching with Redis back: limits apply again once the breaker re-checks.
    wait_until(lambda: client.get("/health").status_code == 200, timeout=10)
    print(
        f"[faults] redis down: 6 searches all 200 (max {max(timings):.2f} s), "
        f"{dropped} log entries dropped, saves took max {max(save_times):.2f} s, "
        f"reconcile CLI fixed 4+1 in {took:.1f} s"
    )
