"""``sozialatlas bench indexing``: records per second from a file to searchable.

The run is the production path, end to end, on its own SQLite file and index prefix:
the file is imported batch by batch into the database, each committed batch is queued
for the Celery workers (started by this command, consuming from Redis), the workers
re-read the rows, analyse them and bulk-index them; the clock stops when Elasticsearch
counts every accepted record as searchable. The analysis share is measured separately
by indexing a sample in-process with the same pipeline and timing its two phases (after
one pass over the sample, so that the memoised vocabulary is warm, as in a busy worker).
The CPU seconds of the import, the worker group and Elasticsearch are printed too: on a
2-core machine the sum is what bounds the throughput.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from configuration.settings import Settings, to_env
from sozialatlas.bench.server import wait_for_worker


def isolate(settings: Settings) -> Settings:
    """Point this process (and the workers it starts) at a private database and index."""
    state = settings.state_path / "bench-indexing"
    state.mkdir(parents=True, exist_ok=True)
    db = state / "bench.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return settings.replace(
        database_url=f"sqlite:///{db}",
        index_prefix=f"{settings.index_prefix}-benchidx",
        redis_db=min(settings.redis_db + 14, 15),
    )


def run(settings: Settings, file: Path, workers: int, out: TextIO = sys.stdout) -> dict[str, Any]:
    settings = isolate(settings)
    from sozialatlas.commands.common import setup_django

    setup_django(settings)
    import redis
    from django.core.management import call_command

    from configuration.endpoints import endpoints
    from directory.importer import import_file
    from indexer.client import get_client
    from indexer.lifecycle import count, drop_all, ensure_index
    from indexer.settings import indexer_settings
    from sozialatlas.commands.processes import worker_command
    from workers.queue import queue_for

    call_command("migrate", interactive=False, verbosity=0)
    conf = indexer_settings(settings)
    es = get_client(conf)
    drop_all(es, conf)
    index = ensure_index(es, conf)
    redis.Redis.from_url(endpoints(settings).redis_url).flushdb()
    proc = subprocess.Popen(
        worker_command(settings, concurrency=workers, loglevel="WARNING"),
        env={**os.environ, **to_env(settings)},  # the worker gets the same isolation
        start_new_session=True,
    )
    try:
        queue = queue_for(settings)
        wait_for_worker(queue.app, proc)
        cpu_before = cpu_seconds(es, proc)
        started = time.perf_counter()
        report = import_file(file, on_batch=queue.enqueue_index)
        imported = time.perf_counter() - started
        accepted = report.created + report.updated + report.unchanged
        deadline = time.monotonic() + 900
        while count(es, index) < accepted:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("the workers did not index every record in 15 minutes")
            time.sleep(0.25)
        total = time.perf_counter() - started
        cpu_after = cpu_seconds(es, proc)
        cpu = {k: round(cpu_after[k] - cpu_before[k], 1) for k in cpu_before}
        rebuild_started = time.perf_counter()
        from directory.models import ServiceAtLocation
        from indexer.rebuild import rebuild

        rebuilt = rebuild(
            conf,
            list_ids=ServiceAtLocation.searchable_ids,
            load=ServiceAtLocation.load_records,
            dispatch=queue.dispatch_rebuild,
            batch_size=settings.index_batch_size,
            timeout=900,
        )
        rebuild_seconds = time.perf_counter() - rebuild_started
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    share = analysis_share(conf, file)
    figures = {
        "records": accepted,
        "rejected": report.rejected,
        "seconds": round(total, 2),
        "records_per_second": round(accepted / total),
        "import_seconds": round(imported, 2),
        "workers": workers,
        "cpu_seconds": cpu,
        "analysis_share": share,
        "rebuild_seconds": round(rebuild_seconds, 2),
        "rebuild_records_per_second": round(rebuilt.documents / rebuild_seconds),
    }
    print(
        f"{accepted} records from {file.name} searchable in {total:.1f} s "
        f"= {accepted / total:,.0f} records/s (import alone {imported:.1f} s, "
        f"{workers} worker processes, {report.rejected} rejected)",
        file=out,
    )
    print(
        "CPU seconds until searchable: "
        + ", ".join(f"{name} {seconds:.1f}" for name, seconds in cpu.items())
        + f" (wall {total:.1f} s x {os.cpu_count()} cores = {total * (os.cpu_count() or 1):.0f})",
        file=out,
    )
    print(
        f"full rebuild from the database through the workers: {rebuilt.documents} records "
        f"in {rebuild_seconds:.1f} s = {rebuilt.documents / rebuild_seconds:,.0f} records/s "
        "(alias swapped atomically)",
        file=out,
    )
    print(
        f"in-process pipeline on a sample: analysis {share['analysis']:.0%}, "
        f"Elasticsearch bulk {share['write']:.0%} of indexing time",
        file=out,
    )
    drop_all(es, conf)
    return figures


def cpu_seconds(es: Any, workers: subprocess.Popen[bytes]) -> dict[str, float]:
    """CPU seconds used so far by this process, the worker group and Elasticsearch.

    On a 2-core machine throughput is bounded by total CPU, so the split says where a
    saving would count. Elasticsearch reports its own (works for any deployment).
    """
    import psutil

    mine = psutil.Process().cpu_times()
    group = 0.0
    try:
        root = psutil.Process(workers.pid)
        for proc in [root, *root.children(recursive=True)]:
            times = proc.cpu_times()
            group += times.user + times.system
    except psutil.NoSuchProcess:
        pass
    nodes = es.nodes.stats(metric="process")["nodes"].values()
    cluster = sum(node["process"]["cpu"]["total_in_millis"] for node in nodes) / 1000
    return {"import": mine.user + mine.system, "workers": group, "elasticsearch": cluster}


def analysis_share(conf: Any, file: Path, sample: int = 5000) -> dict[str, float]:

    from analyzers import analyze_records
    from directory.snapshot import read_clean_records
    from indexer.client import get_client
    from indexer.lifecycle import create_index
    from indexer.pipeline import Timing, index_records

    records, _ = read_clean_records(file, limit=sample)
    analyze_records(list(records.values()))  # steady state: workers have seen this vocabulary
    probe = replace(conf, index_prefix=conf.index_prefix + "-probe", timeout=60.0)
    es = get_client(probe)
    name = create_index(es, probe)
    timing = Timing()
    batch = list(records.values())
    for start in range(0, len(batch), 500):
        index_records(es, probe, batch[start : start + 500], targets=[name], timing=timing)
    es.indices.delete(index=name)
    spent = timing.analysis + timing.write
    return {"analysis": timing.analysis / spent, "write": timing.write / spent}
