"""``sozialatlas bench latency``: client-side latency of search and suggest under load.

For each corpus the command indexes the provider file into its own alias (reused when an
earlier run left the same file indexed), starts the real API (gunicorn, as ``sozialatlas
serve`` does) on a free loopback port against that alias with the rate limit lifted, and
sends a fixed mix of queries at concurrency 1, 8 and 32 with threads and keep-alive
connections, to ``/api/v1/search`` and ``/api/v1/suggest`` (prefixes of 2–8 characters),
and, in the same run, the very same Elasticsearch bodies (``build_search_body`` /
``build_suggest_body`` from the same analysis) directly through the ``elasticsearch``
client. Latency is measured per request on the client side.

The API server runs with the search log off, so that the benchmark leaves no entries in
the shared Redis queue; on the request path the log costs one deque append. It reuses
answers to repeated questions as configured (``SOZIALATLAS_ANSWER_CACHE_SECONDS``); the
report says which, and the direct Elasticsearch figures are never cached.

Afterwards a single-threaded, in-process breakdown times each phase of the search path
(analysis, body, Elasticsearch round trip against its ``took``, did-you-mean, shaping,
JSON) and re-runs the bodies with parts removed to show what each part costs inside
Elasticsearch.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from configuration.settings import Settings
from indexer.settings import IndexerSettings
from sozialatlas.bench import cpu
from sozialatlas.bench.cells import (
    CONCURRENCY,
    ENDPOINTS,
    PATHS,
    WARM_UP_SENDS,
    ApiCaller,
    CellStats,
    CorpusResult,
    DirectCaller,
    check_targets,
    load_queries,
    run_cell,
)
from sozialatlas.bench.cpu import CpuPerRequest
from sozialatlas.bench.latency_report import draw_plot, write_report
from sozialatlas.bench.phases import (
    ablation,
    build_workload,
    es_profile,
    phase_breakdown,
    suggest_breakdown,
)
from sozialatlas.bench.server import Server


def corpus_count(es: Any, alias: str) -> int:
    try:
        return int(es.count(index=alias).body["count"])
    except Exception:
        return -1


def ensure_index(conf: IndexerSettings, file: Path, state: Path, out: TextIO) -> int:
    """Index ``file`` into ``conf``'s alias unless an earlier run left it there intact."""
    from directory.snapshot import index_file
    from indexer.client import get_client

    stat = file.stat()
    marker = state / f"{conf.index_prefix}.json"
    signature = {"file": str(file.resolve()), "size": stat.st_size, "mtime": stat.st_mtime}
    es = get_client(replace(conf, timeout=30.0))
    if marker.exists():
        saved = json.loads(marker.read_text())
        if saved.get("signature") == signature and corpus_count(es, conf.alias) == saved.get(
            "documents"
        ):
            print(f"reusing {conf.alias}: {saved['documents']} records of {file}", file=out)
            return int(saved["documents"])
    started = time.monotonic()
    documents, rejected = index_file(replace(conf, timeout=60.0), file)
    es.indices.refresh(index=conf.alias)
    marker.write_text(json.dumps({"signature": signature, "documents": documents}))
    print(
        f"indexed {documents} records ({rejected} rejected) from {file} into {conf.alias} "
        f"in {time.monotonic() - started:.1f} s",
        file=out,
    )
    return documents


def loadavg() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "n/a"
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def run_corpus(
    settings: Settings,
    key: str,
    file: Path,
    queries: list[str],
    duration: float,
    max_requests: int,
    rounds: int,
    workers: int,
    out: TextIO,
) -> CorpusResult:
    from indexer.client import get_client
    from indexer.settings import indexer_settings

    state = settings.state_path / "bench-latency"
    state.mkdir(parents=True, exist_ok=True)
    prefix = f"{settings.index_prefix}-benchlat-{key}"
    conf = replace(indexer_settings(settings), index_prefix=prefix)
    documents = ensure_index(conf, file, state, out)
    work = build_workload(queries)
    direct_conf = replace(conf, timeout=settings.elasticsearch_timeout)
    from elasticsearch import Elasticsearch

    es = Elasticsearch(
        direct_conf.elasticsearch_url,
        request_timeout=direct_conf.timeout,
        max_retries=0,
        retry_on_timeout=False,
        connections_per_node=max(CONCURRENCY) * 2,
    )
    server = Server(settings, prefix, state, workers)
    all_rounds: list[dict[tuple[str, str, str, int], CellStats]] = []
    all_cpu: list[dict[tuple[str, str, str, int], CpuPerRequest]] = []
    load: list[tuple[str, str]] = [("before", loadavg())]
    try:
        server.wait_healthy(documents)
        callers: dict[tuple[str, str], Callable[[int], bool]] = {}
        api_callers = []
        for endpoint, texts, bodies in (
            ("search", work.queries, work.search_bodies),
            ("suggest", work.prefixes, work.suggest_bodies),
        ):
            api = ApiCaller(server.base, endpoint, texts)
            api_callers.append(api)
            callers[(endpoint, "api")] = api
            callers[(endpoint, "direct")] = DirectCaller(es, conf.alias, bodies)
        sizes = {"search": len(work.queries), "suggest": len(work.prefixes)}
        # Warm-up (caches, JIT, connections). Keep-alive connections stick to one API worker
        # each, so a question sent once may have reached only one of them: every question
        # is sent WARM_UP_SENDS times per worker, so that the cells measure the steady state
        # of a server that has seen the mix, not its first minute.
        for (endpoint, _path), caller in callers.items():
            run_cell(caller, sizes[endpoint], 8, 60.0, sizes[endpoint] * WARM_UP_SENDS * workers)
        for round_no in range(rounds):
            cells: dict[tuple[str, str, str, int], CellStats] = {}
            spent: dict[tuple[str, str, str, int], CpuPerRequest] = {}
            for endpoint in ENDPOINTS:
                for concurrency in CONCURRENCY:
                    for path in PATHS:
                        api_pid = server.proc.pid if path == "api" else None
                        before = cpu.sample(es, api_pid)
                        stats = run_cell(
                            callers[(endpoint, path)],
                            sizes[endpoint],
                            concurrency,
                            duration,
                            max_requests,
                        )
                        used = cpu.per_request(
                            before, cpu.sample(es, api_pid), stats.requests, stats.seconds
                        )
                        cells[(key, endpoint, path, concurrency)] = stats
                        spent[(key, endpoint, path, concurrency)] = used
                        print(
                            f"[{key} r{round_no + 1}] {endpoint:<7} {path:<6} c={concurrency:<3}"
                            f" {stats.rps:7.1f} req/s  p50 {stats.p50:6.1f}  p95 {stats.p95:6.1f}"
                            f"  p99 {stats.p99:6.1f} ms  errors {stats.errors}"
                            f"  CPU/request {used.total_ms:.2f} ms  (load {loadavg()})",
                            file=out,
                            flush=True,
                        )
            all_rounds.append(cells)
            all_cpu.append(spent)
            load.append((f"after round {round_no + 1}", loadavg()))
        for api in api_callers:
            api.close()
    finally:
        server.stop()
    phases = phase_breakdown(es, conf, work) | suggest_breakdown(es, conf, work)
    variants = ablation(es, conf.alias, work.search_bodies)
    tooks = []
    for body in work.search_bodies:
        tooks.append(int(es.search(index=conf.alias, **body).body.get("took", 0)))
    slowest = max(range(len(tooks)), key=lambda i: tooks[i])
    profile = es_profile(es, conf.alias, work.search_bodies[slowest])
    get_client.cache_clear()
    return CorpusResult(
        key,
        file,
        documents,
        all_rounds,
        phases,
        variants,
        profile,
        work.queries[slowest],
        load,
        all_cpu,
    )


def main(
    settings: Settings,
    queries_file: Path,
    file: Path,
    file_large: Path | None,
    duration: float,
    max_requests: int,
    rounds: int,
    workers: int,
    report: Path,
    out: TextIO = sys.stdout,
) -> list[CorpusResult]:
    from indexer.client import get_client
    from indexer.settings import indexer_settings

    queries = load_queries(queries_file)
    print(f"{len(queries)} queries; load average {loadavg()}", file=out)
    results = [
        run_corpus(settings, "small", file, queries, duration, max_requests, rounds, workers, out)
    ]
    if file_large is not None:
        results.append(
            run_corpus(
                settings, "large", file_large, queries, duration, max_requests, rounds, workers, out
            )
        )
    try:
        info = get_client(indexer_settings(settings)).info().body
        es_version = str(info["version"]["number"])
    except Exception:  # some set-ups refuse GET /; the provisioned version is then the answer
        es_version = settings.elasticsearch_version
    plot = report.with_suffix(".png")
    report.parent.mkdir(parents=True, exist_ok=True)
    draw_plot(plot, results)
    write_report(
        report,
        results,
        queries_file,
        len(queries),
        duration,
        max_requests,
        workers,
        es_version,
        plot,
        settings.answer_cache_seconds,
    )
    for result in results:
        for number, cells in enumerate(result.rounds, 1):
            for check in check_targets(cells, result.key):
                verdict = "met" if check.met else "NOT met"
                print(
                    f"[{result.key} r{number}] {check.name}: {check.measured:.2f} "
                    f"(limit {check.limit:g}) {verdict}",
                    file=out,
                )
    print(f"report: {report}; plot: {plot}", file=out)
    return results
