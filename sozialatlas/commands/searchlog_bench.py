"""``sozialatlas bench searchlog``: what the search log costs a search, and its throughput.

Logging sits in the request path, so its price must stay measurable: search latency with
logging on and off (interleaved, so drift in the machine's load hits both sides alike),
and the throughput of each stage the entries pass (record, build, write to Elasticsearch).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

from configuration.settings import Settings
from sozialatlas.bench.stats import percentile
from sozialatlas.commands.common import setup_django
from sozialatlas.commands.searchlog_replay import in_process_client, read_queries


def run_bench(args: argparse.Namespace, settings: Settings) -> int:
    setup_django(settings)
    from api.searchlog import Pending, to_entry, writer
    from indexer.searchlog import drop_storage, ensure_storage, write_batch
    from indexer.searchlog_intents import link_batch

    queries = [str(i["q"])[:200] for i in read_queries(args.queries)]
    call = in_process_client()
    log_writer = writer()
    if not args.send:
        # Keep the benchmark's entries out of the real log; serialising them costs what the
        # Celery hand-off costs the writer thread (JSON), so the comparison stays fair.
        def discard(entries: list[dict[str, Any]]) -> None:
            json.dumps(entries)

        log_writer.send = discard
    timings: dict[bool, list[float]] = {True: [], False: []}
    for q in queries[:20]:  # warm-up: caches, analyzers, connections
        call("GET", "/search", {"q": q}, {})
    # Interleaved per query (on/off, alternating which goes first) so that drift in the
    # machine's load hits both sides alike; paired differences show the noise.
    for round_no in range(args.rounds):
        for i, q in enumerate(queries):
            order = (True, False) if (i + round_no) % 2 == 0 else (False, True)
            for enabled in order:
                log_writer.enabled = enabled
                start = time.perf_counter()
                call("GET", "/search", {"q": q}, {})
                timings[enabled].append((time.perf_counter() - start) * 1000)
    log_writer.enabled = True
    log_writer.flush()
    print(f"search latency over {len(queries)} queries x {args.rounds} rounds (in-process, ms)")
    for enabled in (True, False):
        t = timings[enabled]
        print(
            f"  logging {'on ' if enabled else 'off'}: median {statistics.median(t):.2f}  "
            f"p95 {percentile(t, 95):.2f}  mean {statistics.fmean(t):.2f}  (n={len(t)})"
        )
    diff = statistics.median(timings[True]) - statistics.median(timings[False])
    pairs = sorted(a - b for a, b in zip(timings[True], timings[False], strict=True))
    print(
        f"  difference of medians: {diff:+.2f} ms; paired differences: median "
        f"{statistics.median(pairs):+.2f} ms, middle half {percentile(pairs, 25):+.2f} .. "
        f"{percentile(pairs, 75):+.2f} ms"
    )

    # Throughput of each stage, on synthetic entries.
    from analyzers import analyze_query

    analyses = [analyze_query(q) for q in queries[:200]]
    pending = [
        Pending(
            kind="search",
            query_id=f"{i:040x}",
            ts=time.time() + i / 1000,
            session=f"s{i // 5}",
            channel="public",
            text=a.text,
            analysis=a,
            total=3,
            hits=[],
        )
        for i, a in enumerate(analyses * (args.entries // len(analyses) + 1))
    ]
    pending = pending[: args.entries]
    from api.searchlog import LogWriter

    sink = LogWriter(lambda entries: None, capacity=len(pending) + 1)
    start = time.perf_counter()
    for item in pending:
        sink.record(item)
    record_rate = len(pending) / (time.perf_counter() - start)
    start = time.perf_counter()
    entries = [to_entry(p) for p in pending]
    build_rate = len(entries) / (time.perf_counter() - start)
    from dataclasses import replace

    from api.context import es
    from api.searchlog import log_settings

    conf = replace(log_settings(), index_prefix=log_settings().index_prefix + "-logbench")
    client = es()
    ensure_storage(client, conf)
    start = time.perf_counter()
    written = 0
    for i in range(0, len(entries), 500):
        batch, updates = link_batch(entries[i : i + 500], {}, conf)
        written += write_batch(client, conf, batch, updates)[0]
    write_rate = written / (time.perf_counter() - start)
    drop_storage(client, conf)
    print(f"log throughput ({len(pending)} entries):")
    print(
        f"  record() in the request path : {record_rate:,.0f} entries/s "
        f"({1e6 / record_rate:.1f} µs each)"
    )
    print(f"  entry build + redaction      : {build_rate:,.0f} entries/s (writer thread)")
    print(f"  link + bulk write to ES      : {write_rate:,.0f} entries/s (worker task)")
    print(f"log writer: {json.dumps(log_writer.status())}")
    return 0
