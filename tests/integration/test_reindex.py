"""Import, zero-downtime rebuild, and a rebuild killed half-way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from typing import Any

import pytest
from django.conf import settings

from api.context import task_queue
from directory.models import ServiceAtLocation
from indexer.lifecycle import indices_behind, orphan_indices
from indexer.rebuild import rebuild
from indexer.request import SearchRequest
from indexer.search import execute
from sozialatlas.cli import main
from sozialatlas.commands.data import SAMPLE
from tests.conftest import shared_file, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _alias_ids(es: Any) -> set[str]:
    alias = settings.INDEXER.alias
    es.indices.refresh(index=alias, ignore_unavailable=True)
    hits = es.search(
        index=alias, size=5000, _source=False, query={"match_all": {}}, ignore_unavailable=True
    ).body
    return {hit["_id"] for hit in hits["hits"]["hits"]}


def test_import_reports_counts_and_every_accepted_record_is_indexed(
    worker: Any, es_client: Any, capsys: Any
) -> None:
    assert main(["import", str(shared_file("providers.jsonl"))]) == 0
    out = capsys.readouterr().out
    counts_line = next(line for line in out.splitlines() if line.startswith("created "))
    created = int(counts_line.split(",")[0].split()[1])
    assert created == ServiceAtLocation.objects.count() > 80
    assert "rejected 0" in counts_line
    expected = set(ServiceAtLocation.objects.values_list("id", flat=True))
    wait_until(lambda: expected <= _alias_ids(es_client), timeout=60, interval=0.5)
    assert created == 1138 and "duplicates 19" in counts_line
    assert ServiceAtLocation.objects.exclude(duplicate_of=None).count() == 19


def test_rebuild_under_concurrent_searching_never_fails_or_comes_back_empty(
    worker: Any, es_client: Any
) -> None:
    main(["import", str(SAMPLE), "--no-index"])
    conf = settings.INDEXER
    first = rebuild(
        conf,
        ServiceAtLocation.all_ids,
        ServiceAtLocation.load_records,
        dispatch=task_queue().dispatch_rebuild,
        batch_size=20,
        timeout=120,
    )
    errors: list[str] = []
    totals: list[int] = []
    stop = threading.Event()

    def keep_searching() -> None:
        while not stop.is_set():
            try:
                result = execute(es_client, conf, SearchRequest(size=1, facets=False), None)
                totals.append(result.total)
            except Exception as exc:  # any failure counts
                errors.append(repr(exc))

    searcher = threading.Thread(target=keep_searching)
    searcher.start()
    try:
        second = rebuild(
            conf,
            ServiceAtLocation.all_ids,
            ServiceAtLocation.load_records,
            dispatch=task_queue().dispatch_rebuild,
            batch_size=10,
            timeout=120,
        )
    finally:
        stop.set()
        searcher.join()
    assert errors == []
    assert len(totals) > 10 and min(totals) == ServiceAtLocation.objects.count()
    assert second.index != first.index and first.index in second.retired
    assert indices_behind(es_client, conf.alias) == [second.index]
    assert orphan_indices(es_client, conf) == []


def test_rebuild_killed_half_way_leaves_the_old_index_serving(es_client: Any) -> None:
    main(["import", str(shared_file("providers.jsonl")), "--no-index"])
    conf = settings.INDEXER
    before = rebuild(
        conf, ServiceAtLocation.all_ids, ServiceAtLocation.load_records, batch_size=500
    )
    command = [sys.executable, "-m", "sozialatlas.cli", "reindex", "--inline", "--batch-size", "5"]
    proc = subprocess.Popen(
        command, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_until(
            lambda: indices_behind(es_client, conf.building_alias), timeout=30, interval=0.05
        )
        partial = indices_behind(es_client, conf.building_alias)[0]
        wait_until(
            lambda: es_client.count(index=partial).body["count"] > 0 or proc.poll(),
            timeout=30,
            interval=0.05,
        )
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert indices_behind(es_client, conf.alias) == [before.index]
    es_client.indices.refresh(index=conf.alias)
    assert es_client.count(index=conf.alias).body["count"] == ServiceAtLocation.objects.count()
    assert partial in orphan_indices(es_client, conf)
    rerun = rebuild(conf, ServiceAtLocation.all_ids, ServiceAtLocation.load_records, batch_size=500)
    assert partial in rerun.orphans
    assert indices_behind(es_client, conf.alias) == [rerun.index]
    assert orphan_indices(es_client, conf) == []
