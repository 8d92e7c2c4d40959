"""Reconciliation: the pure diff, and the beat task finding every kind of drift."""

from __future__ import annotations

import pytest

from indexer.bulk import build_actions, send
from indexer.lifecycle import ensure_index
from indexer.reconcile import Plan, diff
from tests.conftest import wait_until
from tests.faults.conftest import (
    Dedicated,
    FaultWorker,
    converged,
    db_state,
    index_inline,
    index_state,
    load_sample,
    quiet_provider,
    started,
)


def test_diff_finds_missing_older_and_gone_records() -> None:
    database = {"a": 5, "b": 7, "c": 9, "d": 1}
    index = {"a": 5, "b": 6, "c": 10, "x": 3}
    assert diff(database, index) == Plan(reindex=["b", "d"], delete=["x"])
    assert diff(database, dict(database)) == Plan()
    assert diff({}, {"a": 1}) == Plan(delete=["a"])
    assert diff({"b": 2, "a": 1}, {}) == Plan(reindex=["a", "b"])
    assert Plan().empty and not Plan(delete=["a"]).empty


@pytest.mark.faults
@pytest.mark.django_db(transaction=True)
def test_reconcile_task_repairs_every_kind_of_drift(
    fault: Dedicated, fault_worker: FaultWorker
) -> None:
    from directory.models import Service, ServiceAtLocation

    load_sample()
    index_inline(fault)
    ids = sorted(db_state())
    # Drift the queue never heard of: no signals fire for any of these writes.
    missing = quiet_provider(name="Erwerbslosenberatung Altendorf")
    ServiceAtLocation.objects.filter(id=ids[0]).update(revision=db_state()[ids[0]] + 1)
    Service.objects.filter(at_locations=ids[0]).update(name="Neu")
    ServiceAtLocation.objects.filter(id=ids[1])._raw_delete(using="default")
    index = ensure_index(fault.es, fault.indexer)
    ghost = {**ServiceAtLocation.objects.get(id=ids[2]).to_record(), "id": "ghost-1"}
    from indexer.bulk import BulkResult
    from indexer.pipeline import build_documents

    send(fault.es, build_actions([index], build_documents([ghost], BulkResult())), refresh=True)
    drift = diff(db_state(), index_state(fault))
    assert drift == Plan(reindex=sorted([ids[0], missing.id]), delete=sorted([ids[1], "ghost-1"]))
    started(fault_worker)
    fault.app.send_task("workers.reconcile")
    wait_until(lambda: converged(fault), timeout=30, interval=0.5)
    assert index_state(fault)[ids[0]] == ServiceAtLocation.objects.get(id=ids[0]).revision
