"""Elasticsearch frozen, then stopped, during searching and indexing; then back."""

from __future__ import annotations

import os
import signal
import time
from typing import Any

import pytest
from ninja.testing import TestClient

from api.apis import api
from indexer.bulk import BulkResult, build_actions, send
from indexer.lifecycle import serving_index
from indexer.pipeline import build_documents
from tests.conftest import wait_until
from tests.factories import provider
from tests.faults.conftest import (
    Dedicated,
    FaultWorker,
    converged,
    index_inline,
    index_state,
    load_sample,
    quiet_provider,
    started,
)

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]
client = TestClient(api)


def _search(q: str) -> tuple[Any, float]:
    started_at = time.monotonic()
    response = client.get("/search", query_params={"q": q})
    return response, time.monotonic() - started_at


def test_search_answers_503_fast_and_indexing_catches_up_after_the_outage(
    fault: Dedicated, fault_worker: FaultWorker
) -> None:
    from directory.models import ServiceAtLocation
    from tests.factories import rename

    load_sample()
    index_inline(fault)
    worker = started(fault_worker, concurrency=2)
    response, _ = _search("Beratung")
    assert response.status_code == 200 and response.json()["total"] > 0

    # Frozen (a hung node): the request timeout bounds the answer.
    pid = fault.es_pid()
    os.killpg(pid, signal.SIGSTOP)  # the launcher and the server JVM it started
    try:
        response, hung = _search("Schuldnerberatung")
    finally:
        os.killpg(pid, signal.SIGCONT)
    assert response.status_code == 503 and response.json()["error"] == "search_unavailable"
    assert response["Retry-After"] == "5"
    assert hung < 2.5

    # Stopped: refused at once; health says which dependency is down.
    fault.es_service().down()
    response, down = _search("Pflegedienst")
    assert response.status_code == 503 and response.json()["error"] == "search_unavailable"
    assert down < 2.0
    # An answer given before the outage is still served: the index has not changed since.
    cached, _ = _search("Beratung")
    assert cached.status_code == 200 and cached.json()["total"] > 0
    health = client.get("/health")
    assert health.status_code == 503
    assert health.json()["elasticsearch"]["ok"] is False and health.json()["redis"]["ok"]

    # Edits during the outage: the tasks fail, back off and retry.
    rows = list(ServiceAtLocation.objects.order_by("id")[:6])
    for row in rows[:4]:
        rename(row, row.name + " (während des Ausfalls)")
    for row in rows[4:]:
        row.delete()
    provider(name="Neue Beratungsstelle während des Ausfalls")
    wait_until(lambda: worker.log_text().count("Retry in") >= 7, timeout=30, interval=0.5)
    outage_started = time.monotonic()
    fault.up()
    restarted = time.monotonic() - outage_started

    # Searches recover by themselves (same process, same client object).
    wait_until(lambda: _search("Pflegedienst")[0].status_code == 200, timeout=30, interval=0.5)
    wait_until(lambda: converged(fault), timeout=150, interval=1.0)
    caught_up = time.monotonic() - outage_started
    retries = worker.log_text().count("Retry in")
    assert client.get("/health").status_code == 200
    print(
        f"[faults] es down: hung search 503 in {hung:.2f} s, stopped 503 in {down:.3f} s; "
        f"{retries} task retries; es restarted in {restarted:.0f} s; index == database "
        f"{caught_up:.0f} s after the restart began"
    )


def test_stale_update_after_tombstone_expiry_does_not_resurrect(
    fault: Dedicated, fault_worker: FaultWorker
) -> None:
    from directory.models import ServiceAtLocation

    started(fault_worker)
    row = quiet_provider(name="Obdachlosenhilfe Zentrum")
    row_id, old_record = row.id, row.to_record()
    fault.app.send_task("workers.index_provider", args=[row_id])
    wait_until(lambda: row_id in index_state(fault), timeout=20, interval=0.2)
    index = serving_index(fault.es, fault.indexer)
    fault.es.indices.put_settings(index=index, settings={"index": {"gc_deletes": "1s"}})
    row.delete()  # -> workers.delete_provider
    wait_until(lambda: row_id not in index_state(fault), timeout=20, interval=0.2)
    time.sleep(2.5)  # past gc_deletes: the tombstone (and its version) may be pruned
    fault.es.indices.refresh(index=index)

    # Elasticsearch alone would take the stale write now: its version check is gone.
    stale = build_documents([old_record], BulkResult())
    result = send(fault.es, build_actions([index], stale), refresh=True)
    assert result.indexed == 1 and row_id in index_state(fault)
    fault.es.delete(index=index, id=row_id, refresh=True)

    # The late job for the old revision re-reads the database and deletes instead.
    fault.app.send_task("workers.index_provider", args=[row_id, old_record["revision"]])
    sentinel = quiet_provider(name="Sentinel")
    fault.app.send_task("workers.index_provider", args=[sentinel.id])  # queued behind it
    wait_until(lambda: sentinel.id in index_state(fault), timeout=20, interval=0.2)
    assert row_id not in index_state(fault)
    assert not ServiceAtLocation.objects.filter(id=row_id).exists()
