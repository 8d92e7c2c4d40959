"""Each delivery setting earns its place, shown against a real worker and broker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import pytest

from configuration.settings import PROJECT_ROOT, Settings
from tests.conftest import wait_until
from tests.faults.conftest import (
    FAST_RESTORE,
    MAX_DELIVERIES,
    Dedicated,
    FaultWorker,
    db_state,
    index_state,
    load_sample,
    quiet_provider,
    started,
)
from workers.app import QUEUE, create_app

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def _active(dedicated: Dedicated) -> list[dict[str, Any]]:
    replies = dedicated.app.control.inspect(timeout=1.0).active() or {}
    return [task for tasks in replies.values() for task in tasks]


def _running(dedicated: Dedicated, name: str) -> dict[str, Any] | None:
    return next((task for task in _active(dedicated) if task["name"] == name), None)


def test_time_limit_stays_below_the_visibility_timeout() -> None:
    conf = create_app(Settings()).conf
    visibility = conf.broker_transport_options["visibility_timeout"]
    assert conf.task_time_limit < visibility
    assert conf.task_soft_time_limit < conf.task_time_limit
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    with pytest.raises(ValueError, match="below"):
        create_app(Settings(task_time_limit=3600, visibility_timeout=3600))


def test_killed_pool_process_task_is_redelivered_at_once(
    fault: Dedicated, fault_worker: FaultWorker
) -> None:
    """acks_late + reject_on_worker_lost: the message comes back when the child dies."""
    worker = started(fault_worker)
    row = quiet_provider(name="Frauenschutzhaus Mitte")
    fault.app.send_task("faults.slow_index", args=[row.id, 6.0])
    task = wait_until(lambda: _running(fault, "faults.slow_index"), timeout=15, interval=0.2)
    killed_at = time.monotonic()
    os.kill(task["worker_pid"], signal.SIGKILL)  # only the pool process running it
    assert row.id not in index_state(fault)  # killed before the task could finish
    wait_until(lambda: row.id in index_state(fault), timeout=20, interval=0.2)
    elapsed = time.monotonic() - killed_at
    log = worker.log_text()
    assert "WorkerLostError" in log  # it was killed while running, not after
    assert worker.proc is not None and worker.proc.poll() is None  # same main process
    assert index_state(fault) == {row.id: row.revision}
    print(f"[faults] pool process killed: redelivered and indexed {elapsed:.1f} s later")


def test_killed_worker_group_task_comes_back_after_the_visibility_timeout(
    fault: Dedicated, fault_worker: FaultWorker
) -> None:
    """Nobody is left to reject: Redis restores the unacked message after the timeout."""
    worker = started(fault_worker, env=FAST_RESTORE)
    row = quiet_provider(name="Suchtberatung Sonnenberg")
    # Long enough that the kill lands mid-task even on a loaded machine.
    fault.app.send_task("faults.slow_index", args=[row.id, 8.0])
    wait_until(lambda: _running(fault, "faults.slow_index"), timeout=15, interval=0.2)
    worker.kill_group()
    killed_at = time.monotonic()
    assert row.id not in index_state(fault)  # killed before the task could finish
    assert fault.redis().llen(QUEUE) == 0  # not in the queue: held as unacked
    assert fault.redis().hlen("unacked") == 1
    worker.start()
    wait_until(lambda: row.id in index_state(fault), timeout=45, interval=0.5)
    elapsed = time.monotonic() - killed_at
    assert elapsed >= int(FAST_RESTORE["SOZIALATLAS_VISIBILITY_TIMEOUT"]) - 1
    assert index_state(fault) == {row.id: row.revision}
    print(f"[faults] worker group killed: task restored and done {elapsed:.1f} s later")


def test_restore_lock_of_a_worker_killed_mid_sweep_does_not_stall_redelivery(
    fault: Dedicated, fault_worker: FaultWorker
) -> None:
    """A worker SIGKILLed while sweeping for dead workers' messages never releases the
    sweep's lock in Redis; the next worker must still restore them soon after the timeout.
    (At kombu's default lock expiry of 300 s this waited five minutes: a CI failure.)"""
    visibility = int(FAST_RESTORE["SOZIALATLAS_VISIBILITY_TIMEOUT"])
    options = create_app(Settings(visibility_timeout=visibility, task_time_limit=10)).conf
    expire = options.broker_transport_options["unacked_mutex_expire"]
    worker = started(fault_worker, env=FAST_RESTORE)
    row = quiet_provider(name="Schuldnerberatung Kaßberg")
    fault.app.send_task("faults.slow_index", args=[row.id, 8.0])
    wait_until(lambda: _running(fault, "faults.slow_index"), timeout=15, interval=0.2)
    # The state a kill in the middle of a sweep leaves: the lock, held by nobody alive.
    # (The live worker sweeps every second and holds it for milliseconds: try again.)
    lock = fault.redis().lock("unacked_mutex", timeout=expire)
    wait_until(lambda: lock.acquire(blocking=False), timeout=5, interval=0.01)
    worker.kill_group()
    killed_at = time.monotonic()
    assert fault.redis().exists("unacked_mutex") and fault.redis().hlen("unacked") == 1
    worker.start()
    # A bound of its own, not the configured expiry: the lock may delay by one more timeout.
    wait_until(lambda: row.id in index_state(fault), timeout=2 * visibility + 60)
    elapsed = time.monotonic() - killed_at
    assert index_state(fault) == {row.id: row.revision}
    print(f"[faults] sweep lock of a dead worker: task restored and done {elapsed:.1f} s later")


def test_prefetch_multiplier_one_holds_no_more_than_one_extra_message(
    fault: Dedicated, fault_worker: FaultWorker
) -> None:
    started(fault_worker, concurrency=1)
    rows = [quiet_provider(name=f"Tafel {n}") for n in range(5)]
    # Each task runs 4 s: both broadcast inspections (about 1 s each) fall into the first.
    for row in rows:
        fault.app.send_task("faults.slow_index", args=[row.id, 4.0])
    wait_until(lambda: _running(fault, "faults.slow_index"), timeout=15, interval=0.1)
    waiting = fault.redis().llen(QUEUE)
    replies = fault.app.control.inspect(timeout=1.0).reserved() or {}
    reserved = [task for tasks in replies.values() for task in tasks]
    assert len(reserved) <= 1
    assert waiting >= len(rows) - 2  # the rest stays in Redis, free for other workers
    print(f"[faults] prefetch: 1 active, {len(reserved)} reserved, {waiting} left in Redis")
    wait_until(lambda: len(index_state(fault)) == len(rows), timeout=45, interval=0.5)


def test_poison_task_is_parked_after_bounded_deliveries(
    fault: Dedicated, fault_worker: FaultWorker
) -> None:
    from workers.deadletter import parked

    worker = started(fault_worker)
    fault.app.send_task("faults.kill_own_worker", args=["poison-1"])
    healthy = quiet_provider(name="Jugendberatung Kappel")
    fault.app.send_task("workers.index_provider", args=[healthy.id])
    started_at = time.monotonic()
    dead = wait_until(lambda: parked(fault.config), timeout=60, interval=0.3)
    elapsed = time.monotonic() - started_at
    assert [(entry["task"], entry["args"]) for entry in dead] == [
        ("faults.kill_own_worker", ["poison-1"])
    ]
    assert "poison" in dead[0]["error"]
    # The queue moves on: the job behind the poison task is done, nothing is left over.
    wait_until(lambda: healthy.id in index_state(fault), timeout=20, interval=0.3)
    assert worker.log_text().count("exited with 'signal 9 (SIGKILL)'") == MAX_DELIVERIES
    assert fault.redis().llen(QUEUE) == 0 and fault.redis().hlen("unacked") == 0
    status = subprocess.run(
        [sys.executable, "-m", "sozialatlas.cli", "status"],
        env={**os.environ, **fault.env},
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert status.returncode == 0, status.stderr
    lines = status.stdout.splitlines()
    assert "dead letters   1" in lines
    assert '"task": "faults.kill_own_worker"' in lines[lines.index("dead letters   1") + 1]
    print(
        f"[faults] poison task: {MAX_DELIVERIES} pool processes lost, parked after "
        f"{elapsed:.1f} s; status lists it"
    )


def _rebuild_losing_the_third_batch(
    fault: Dedicated, fault_worker: FaultWorker, on_loss: Callable[[list[str]], None]
) -> tuple[int, Any, list[list[str]]]:
    """Load the sample and rebuild through real workers in batches of 5, the third batch's
    message lost once (``on_loss`` sees its ids); returns the records loaded, the outcome
    and the batches lost."""
    from directory.models import ServiceAtLocation
    from indexer.rebuild import rebuild
    from workers.queue import TaskQueue

    total = load_sample()
    started(fault_worker, concurrency=2)
    queue = TaskQueue(fault.app)
    third = ServiceAtLocation.all_ids()[10:15]
    dropped: list[list[str]] = []

    def lose_the_third_batch_once(ids: list[str], index: str) -> None:
        if not dropped and ids == third:
            dropped.append(ids)
            on_loss(ids)
            return
        queue.dispatch_rebuild(ids, index)

    outcome = rebuild(
        fault.indexer,
        ServiceAtLocation.all_ids,
        ServiceAtLocation.load_records,
        dispatch=lose_the_third_batch_once,
        batch_size=5,
        timeout=60,
        stall=4,
    )
    return total, outcome, dropped


def test_rebuild_sends_a_lost_batch_again_once_the_index_stops_growing(
    fault: Dedicated, fault_worker: FaultWorker
) -> None:
    """A batch message that never reaches a worker (lost with a killed one, celery/kombu#305)
    used to leave a rebuild waiting until its timeout, and then fail."""
    began = time.monotonic()
    total, outcome, dropped = _rebuild_losing_the_third_batch(fault, fault_worker, lambda ids: None)
    assert dropped and outcome.resent == 1
    assert outcome.documents == total and index_state(fault) == db_state()
    print(
        f"[faults] rebuild with a lost batch: sent again once, done after "
        f"{time.monotonic() - began:.1f} s"
    )


def test_a_rebuild_stops_waiting_for_a_record_deleted_after_its_batch_was_lost(
    fault: Dedicated, fault_worker: FaultWorker
) -> None:
    """At a stall the rebuild asks the database again: sending the lost batch as it was
    would wait for a deleted record until the timeout, and then fail."""
    from directory.models import ServiceAtLocation

    def delete_the_first(ids: list[str]) -> None:
        ServiceAtLocation.objects.get(id=ids[0]).delete()

    total, outcome, dropped = _rebuild_losing_the_third_batch(fault, fault_worker, delete_the_first)
    assert dropped and outcome.resent >= 1
    assert outcome.documents == total - 1 and index_state(fault) == db_state()
    assert dropped[0][0] not in index_state(fault)
