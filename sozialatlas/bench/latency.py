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
import math
import os
import platform
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlencode

from configuration.settings import Settings
from indexer.settings import IndexerSettings
from sozialatlas.bench import cpu
from sozialatlas.bench.cpu import CpuPerRequest
from sozialatlas.bench.stats import percentile

CONCURRENCY = (1, 8, 32)
ENDPOINTS = ("search", "suggest")
WARM_UP_SENDS = 4  # per API worker and question, before the cells
PATHS = ("api", "direct")
SUGGEST_LIMIT = 8
# (corpus, endpoint) -> p95 target in ms at concurrency 8; API/direct ratio target
TARGETS: dict[tuple[str, str], float] = {
    ("small", "search"): 30.0,
    ("small", "suggest"): 15.0,
    ("large", "search"): 60.0,
}
RATIO_TARGET = 1.5
TARGET_CONCURRENCY = 8


@dataclass(frozen=True)
class CellStats:
    requests: int
    errors: int
    seconds: float
    rps: float
    p50: float
    p95: float
    p99: float
    mean: float


def summarize(latencies_ms: Sequence[float], seconds: float, errors: int = 0) -> CellStats:
    """Throughput and latency percentiles of one cell (latencies of successful requests)."""
    done = len(latencies_ms) + errors
    return CellStats(
        requests=done,
        errors=errors,
        seconds=seconds,
        rps=done / seconds if seconds > 0 else math.nan,
        p50=percentile(latencies_ms, 50),
        p95=percentile(latencies_ms, 95),
        p99=percentile(latencies_ms, 99),
        mean=sum(latencies_ms) / len(latencies_ms) if latencies_ms else math.nan,
    )


def ratio(api: CellStats, direct: CellStats) -> tuple[float, float]:
    """API ÷ direct Elasticsearch, at p50 and at p95 (nan when direct is 0 or missing)."""

    def div(a: float, b: float) -> float:
        return a / b if b > 0 and not math.isnan(a) else math.nan

    return div(api.p50, direct.p50), div(api.p95, direct.p95)


@dataclass(frozen=True)
class TargetCheck:
    name: str
    limit: float
    measured: float
    met: bool


def check_targets(
    cells: dict[tuple[str, str, str, int], CellStats],
    corpus: str,
    concurrency: int = TARGET_CONCURRENCY,
) -> list[TargetCheck]:
    """The targets of ``corpus`` against one round's cells keyed (corpus, endpoint, path, c)."""
    checks: list[TargetCheck] = []
    for (name, endpoint), limit in TARGETS.items():
        cell = cells.get((corpus, endpoint, "api", concurrency))
        if name != corpus or cell is None:
            continue
        checks.append(
            TargetCheck(f"{endpoint} p95 @ c={concurrency}", limit, cell.p95, cell.p95 <= limit)
        )
    if corpus == "small":
        for endpoint in ENDPOINTS:
            api = cells.get((corpus, endpoint, "api", concurrency))
            direct = cells.get((corpus, endpoint, "direct", concurrency))
            if api is None or direct is None:
                continue
            for label, value in zip(("p50", "p95"), ratio(api, direct), strict=True):
                checks.append(
                    TargetCheck(
                        f"{endpoint} API/direct {label} @ c={concurrency}",
                        RATIO_TARGET,
                        value,
                        value <= RATIO_TARGET,
                    )
                )
    return checks


# --------------------------------------------------------------------------- queries


def load_queries(path: Path) -> list[str]:
    """One query per line; blank lines and lines starting with ``#`` are skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def prefixes(queries: Sequence[str]) -> list[str]:
    """A typed prefix of each query, 2 to 8 characters, cycling through the lengths."""
    out = []
    for i, query in enumerate(queries):
        prefix = query[: 2 + i % 7].strip()
        if len(prefix) >= 2:
            out.append(prefix)
    return out


# --------------------------------------------------------------------------- load generator


def run_cell(
    call: Callable[[int], bool],
    items: int,
    concurrency: int,
    duration: float,
    max_requests: int,
) -> CellStats:
    """``call(i)`` from ``concurrency`` threads until ``duration`` s or ``max_requests``."""
    lock = threading.Lock()
    issued = 0
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    start_gate = threading.Barrier(concurrency + 1)
    deadline = 0.0

    def worker(slot: int) -> None:
        nonlocal issued
        start_gate.wait()
        mine = latencies[slot]
        while True:
            with lock:
                if issued >= max_requests or time.perf_counter() >= deadline:
                    return
                index = issued
                issued += 1
            began = time.perf_counter()
            try:
                ok = call(index % items)
            except Exception:
                ok = False
            if ok:
                mine.append((time.perf_counter() - began) * 1000)
            else:
                errors[slot] += 1

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    deadline = started + duration
    start_gate.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return summarize([v for part in latencies for v in part], elapsed, sum(errors))


class ApiCaller:
    """GET requests through one keep-alive urllib3 pool (the transport the ES client uses)."""

    def __init__(self, base: str, endpoint: str, texts: Sequence[str]) -> None:
        import urllib3

        host, port = base.removeprefix("http://").split(":")
        self.pool = urllib3.HTTPConnectionPool(
            host, int(port), maxsize=max(CONCURRENCY) * 2, block=True, timeout=10.0, retries=False
        )
        self.urls = [f"/api/v1/{endpoint}?{urlencode({'q': text})}" for text in texts]

    def __call__(self, i: int) -> bool:
        response = self.pool.request("GET", self.urls[i])
        return bool(response.status == 200)

    def close(self) -> None:
        self.pool.close()


class DirectCaller:
    """Pre-built bodies straight to Elasticsearch through the shared client."""

    def __init__(self, es: Any, alias: str, bodies: Sequence[dict[str, Any]]) -> None:
        self.es = es
        self.alias = alias
        self.bodies = bodies

    def __call__(self, i: int) -> bool:
        self.es.search(index=self.alias, **self.bodies[i])
        return True


# --------------------------------------------------------------------------- index and server


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


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(settings: Settings, prefix: str, state: Path, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "SOZIALATLAS_INDEX_PREFIX": prefix,
        "SOZIALATLAS_RATE_LIMIT_ANON": "",
        "SOZIALATLAS_RATE_LIMIT_PARTNER": "",
        "SOZIALATLAS_SSL_REDIRECT": "false",
        "SOZIALATLAS_HSTS_SECONDS": "0",
        "SOZIALATLAS_DEBUG": "false",
        "SOZIALATLAS_SECRET_KEY": secrets.token_urlsafe(50),
        "SOZIALATLAS_SEARCHLOG_ENABLED": "false",
        "SOZIALATLAS_DATABASE_URL": f"sqlite:///{state / 'bench.sqlite3'}",
        "SOZIALATLAS_BIND_HOST": "127.0.0.1",
        "SOZIALATLAS_BIND_PORT": str(port),
    }


class Server:
    """The API under gunicorn, exactly as ``sozialatlas serve`` starts it."""

    def __init__(self, settings: Settings, prefix: str, state: Path, workers: int) -> None:
        from sozialatlas.commands.processes import serve_command

        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = server_env(settings, prefix, state, self.port)
        child = Settings.from_env(env)
        self.log_path = state / f"gunicorn-{prefix}.log"
        self.log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            serve_command(child, workers=workers, bind=f"127.0.0.1:{self.port}"),
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_healthy(self, documents: int, timeout: float = 90.0) -> None:
        import urllib3

        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited during start-up, see {self.log_path}")
            try:
                response = urllib3.request(
                    "GET", f"{self.base}/api/v1/health", timeout=2.0, retries=False
                )
                body = json.loads(response.data)
                if response.status == 200 and body["index"].get("documents") == documents:
                    return
                last = response.data[:200].decode(errors="replace")
            except (urllib3.exceptions.HTTPError, ValueError, KeyError) as exc:
                last = repr(exc)
            time.sleep(0.3)
        raise RuntimeError(f"the API was not healthy within {timeout:.0f} s: {last}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


# --------------------------------------------------------------------------- bodies


@dataclass
class Workload:
    queries: list[str]
    prefixes: list[str]
    search_bodies: list[dict[str, Any]]
    suggest_bodies: list[dict[str, Any]]
    analyses: list[Any] = field(default_factory=list)
    requests: list[Any] = field(default_factory=list)


def build_workload(queries: list[str]) -> Workload:
    """The direct bodies, built exactly as the endpoint builds them (page 1, size 10)."""
    from analyzers import analyze_query
    from api.search_models import SearchParams
    from api.searcher import to_request
    from indexer.query import build_search_body, build_suggest_body

    work = Workload(queries, prefixes(queries), [], [])
    for text in queries:
        request = to_request(SearchParams(q=text))
        analysis = analyze_query(request.text) if request.text else None
        work.requests.append(request)
        work.analyses.append(analysis)
        work.search_bodies.append(build_search_body(request, analysis))
    work.suggest_bodies = [build_suggest_body(p.strip(), SUGGEST_LIMIT) for p in work.prefixes]
    return work


# --------------------------------------------------------------------------- phases


def phase_breakdown(es: Any, conf: IndexerSettings, work: Workload) -> dict[str, dict[str, float]]:
    """Single-threaded, in-process time of each phase of the search path per query (ms)."""
    from analyzers import analyze_query
    from api.search_models import SearchParams
    from api.searcher import Searcher, explain, to_request
    from indexer.query import build_search_body
    from indexer.search import did_you_mean, execute

    phases: dict[str, list[float]] = {
        name: []
        for name in (
            "analysis",
            "body",
            "es round trip",
            "es took",
            "did_you_mean",
            "shape",
            "json",
        )
    }
    dym_count = 0
    for text in work.queries:
        t0 = time.perf_counter()
        request = to_request(SearchParams(q=text))
        analysis = analyze_query(request.text) if request.text else None
        t1 = time.perf_counter()
        body = build_search_body(request, analysis)
        t2 = time.perf_counter()
        result = execute(es, conf, request, analysis, body)
        t3 = time.perf_counter()
        dym = 0.0
        if analysis is not None and result.total < 3 and analysis.words:
            did_you_mean(es, conf, analysis)
            dym = (time.perf_counter() - t3) * 1000
            dym_count += 1
        t4 = time.perf_counter()
        response = Searcher(es, conf).shape(request, None, result)
        if analysis is not None:
            response.query = explain(analysis, request)
        t5 = time.perf_counter()
        json.dumps(response.model_dump(), ensure_ascii=False)
        t6 = time.perf_counter()
        phases["analysis"].append((t1 - t0) * 1000)
        phases["body"].append((t2 - t1) * 1000)
        phases["es round trip"].append((t3 - t2) * 1000)
        phases["es took"].append(float(result.took_ms))
        phases["did_you_mean"].append(dym)
        phases["shape"].append((t5 - t4) * 1000)
        phases["json"].append((t6 - t5) * 1000)
    out = {
        name: {
            "mean": sum(values) / len(values),
            "p50": percentile(values, 50),
            "p95": percentile(values, 95),
        }
        for name, values in phases.items()
    }
    out["did_you_mean"]["share"] = dym_count / max(len(work.queries), 1)
    return out


def suggest_breakdown(
    es: Any, conf: IndexerSettings, work: Workload
) -> dict[str, dict[str, float]]:
    """The same for ``/suggest``: category matching in Python, Elasticsearch, shaping."""
    from api.routers.suggest import Suggestion, SuggestResponse, category_suggestions
    from indexer.search import suggest

    phases: dict[str, list[float]] = {
        "suggest: category labels": [],
        "suggest: es round trip": [],
        "suggest: shape + json": [],
    }
    for prefix in work.prefixes:
        t0 = time.perf_counter()
        categories = category_suggestions(prefix, "de", max(2, SUGGEST_LIMIT // 3))
        t1 = time.perf_counter()
        providers = suggest(es, conf, prefix, SUGGEST_LIMIT)
        t2 = time.perf_counter()
        items = categories + [
            Suggestion(type="provider", text=p.get("name", p["text"]), id=p["id"])
            for p in providers
        ]
        response = SuggestResponse(q=prefix, suggestions=items[:SUGGEST_LIMIT])
        json.dumps(response.model_dump(), ensure_ascii=False)
        t3 = time.perf_counter()
        phases["suggest: category labels"].append((t1 - t0) * 1000)
        phases["suggest: es round trip"].append((t2 - t1) * 1000)
        phases["suggest: shape + json"].append((t3 - t2) * 1000)
    return {
        name: {
            "mean": sum(values) / len(values),
            "p50": percentile(values, 50),
            "p95": percentile(values, 95),
        }
        for name, values in phases.items()
    }


def _strip(node: Any, key: str) -> Any:
    """``node`` without list items that are ``{key: …}`` (and dis_max left empty)."""
    if isinstance(node, dict):
        stripped = {k: _strip(v, key) for k, v in node.items()}
        if "dis_max" in stripped and not stripped["dis_max"]["queries"]:
            return None
        return stripped
    if isinstance(node, list):
        items = [_strip(item, key) for item in node if not (isinstance(item, dict) and key in item)]
        return [item for item in items if item is not None]
    return node


def _without_prior(node: Any) -> Any:
    """``node`` without the prior: the function_score around the query, or the rescore."""
    if isinstance(node, dict):
        node = {k: v for k, v in node.items() if k != "rescore"}
        if "function_score" in node:
            return _without_prior(node["function_score"]["query"])
        return {k: _without_prior(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_without_prior(item) for item in node]
    return node


def _fuzzy_name_only(node: Any) -> Any:
    """Drop fuzzy clauses on every field but ``name_terms``."""
    if isinstance(node, dict):
        return {k: _fuzzy_name_only(v) for k, v in node.items()}
    if isinstance(node, list):
        return [
            _fuzzy_name_only(item)
            for item in node
            if not (
                isinstance(item, dict) and "fuzzy" in item and "name_terms" not in item["fuzzy"]
            )
        ]
    return node


def _lean(body: dict[str, Any]) -> dict[str, Any]:
    """No facets, no function_score prior, totals counted to 1,000 only (allows WAND)."""
    lean = {k: v for k, v in _without_prior(body).items() if k != "aggs"}
    return {**lean, "track_total_hits": 1000}


VARIANTS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "as sent": lambda b: b,
    "no aggs (facets)": lambda b: {k: v for k, v in b.items() if k != "aggs"},
    "no fuzzy clauses": lambda b: _strip(b, "fuzzy"),
    "no prior (rescore or function_score)": _without_prior,
    "track_total_hits: false": lambda b: {**b, "track_total_hits": False},
    "size 0 (no fetch)": lambda b: b | {"size": 0},
    "fuzzy on name_terms only": _fuzzy_name_only,
    "lean: no aggs, no prior, total to 1000": _lean,
    "lean + fuzzy on name_terms only": lambda b: _fuzzy_name_only(_lean(b)),
}


def ablation(es: Any, alias: str, bodies: Sequence[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Mean and p95 of Elasticsearch ``took`` and round trip for each variant of the bodies."""
    out: dict[str, dict[str, float]] = {}
    for name, variant in VARIANTS.items():
        took: list[float] = []
        trip: list[float] = []
        failed = 0
        for body in bodies:
            try:
                changed = variant(json.loads(json.dumps(body)))
                began = time.perf_counter()
                response = es.search(index=alias, **changed).body
                trip.append((time.perf_counter() - began) * 1000)
                took.append(float(response.get("took", 0)))
            except Exception:
                failed += 1
        out[name] = {
            "took_mean": sum(took) / max(len(took), 1),
            "took_p95": percentile(took, 95),
            "trip_mean": sum(trip) / max(len(trip), 1),
            "trip_p95": percentile(trip, 95),
            "failed": failed,
        }
    return out


def es_profile(es: Any, alias: str, body: dict[str, Any], top: int = 10) -> dict[str, Any]:
    """Where Elasticsearch spends one search: rewrite, costliest query nodes, aggs, fetch.

    Nodes with the same type and clause (one per segment slice) are summed.
    """
    response = es.search(index=alias, **body, profile=True).body
    shard = response["profile"]["shards"][0]
    nodes: dict[tuple[int, str, str], int] = {}

    def walk(node: dict[str, Any], depth: int) -> None:
        key = (depth, node["type"], node["description"][:110])
        nodes[key] = nodes.get(key, 0) + int(node["time_in_nanos"])
        if depth < 3:
            for child in node.get("children", []):
                walk(child, depth + 1)

    rewrite = 0
    for search in shard["searches"]:
        rewrite += int(search.get("rewrite_time", 0))
        for node in search["query"]:
            walk(node, 0)
    query = sum(ns for (depth, _, _), ns in nodes.items() if depth == 0)
    aggs = sum(int(a["time_in_nanos"]) for a in shard.get("aggregations", []))
    fetch = shard.get("fetch", {})
    fetch_children = {
        child["type"]: int(child["time_in_nanos"]) / 1e6 for child in fetch.get("children", [])
    }
    ranked = sorted(nodes.items(), key=lambda item: item[1], reverse=True)
    return {
        "took": response.get("took"),
        "rewrite_ms": rewrite / 1e6,
        "query_ms": query / 1e6,
        "aggs_ms": aggs / 1e6,
        "fetch_ms": int(fetch.get("time_in_nanos", 0)) / 1e6,
        "fetch_children": fetch_children,
        "nodes": [
            {"ms": ns / 1e6, "depth": depth, "type": kind, "description": text}
            for (depth, kind, text), ns in ranked
            if depth > 0
        ][:top],
    }


# --------------------------------------------------------------------------- the run


@dataclass
class CorpusResult:
    key: str
    file: Path
    documents: int
    rounds: list[dict[tuple[str, str, str, int], CellStats]]
    phases: dict[str, dict[str, float]]
    ablation: dict[str, dict[str, float]]
    profile: dict[str, Any]
    slow_query: str
    load: list[tuple[str, str]]
    cpu: list[dict[tuple[str, str, str, int], CpuPerRequest]] = field(default_factory=list)


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


def machine() -> dict[str, str]:
    model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "cpu": model,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "python": platform.python_version(),
        "os": platform.platform(),
    }


def _fmt(value: float, digits: int = 1) -> str:
    return "–" if math.isnan(value) else f"{value:.{digits}f}"


def results_table(result: CorpusResult) -> list[str]:
    lines = [
        "| round | endpoint | c | API req/s | API p50 | API p95 | API p99 | direct req/s "
        "| direct p50 | direct p95 | direct p99 | ratio p50 | ratio p95 | errors |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for number, cells in enumerate(result.rounds, 1):
        for endpoint in ENDPOINTS:
            for concurrency in CONCURRENCY:
                api = cells[(result.key, endpoint, "api", concurrency)]
                direct = cells[(result.key, endpoint, "direct", concurrency)]
                r50, r95 = ratio(api, direct)
                lines.append(
                    f"| {number} | {endpoint} | {concurrency} | {api.rps:.0f} | {_fmt(api.p50)} "
                    f"| {_fmt(api.p95)} | {_fmt(api.p99)} | {direct.rps:.0f} "
                    f"| {_fmt(direct.p50)} | {_fmt(direct.p95)} | {_fmt(direct.p99)} "
                    f"| {_fmt(r50, 2)} | {_fmt(r95, 2)} | {api.errors + direct.errors} |"
                )
    return lines


def cpu_table(result: CorpusResult, cores: int) -> list[str]:
    """CPU per request by party, and the throughput those costs allow on ``cores`` cores."""
    lines = [
        "| round | endpoint | c | path | Elasticsearch | API | load generator | total "
        "| ceiling req/s |",
        "|---|---|--:|---|--:|--:|--:|--:|--:|",
    ]
    for number, spent in enumerate(result.cpu, 1):
        for (_key, endpoint, path, concurrency), used in spent.items():
            ceiling = cores * 1000 / used.total_ms if used.total_ms > 0 else math.nan
            lines.append(
                f"| {number} | {endpoint} | {concurrency} | {path} "
                f"| {_fmt(used.es_ms if used.es_ms is not None else math.nan, 2)} "
                f"| {_fmt(used.api_ms if used.api_ms is not None else math.nan, 2)} "
                f"| {used.client_ms:.2f} | {used.total_ms:.2f} | {_fmt(ceiling, 0)} |"
            )
    return lines


def cache_note(seconds: float) -> str:
    """How the API under test reuses answers (``api.answers``): the figures depend on it.

    ``seconds`` is the setting the server was started with (it inherits the environment).
    """
    if seconds <= 0:
        return "off (every request reaches Elasticsearch)"
    return (
        f"on ({seconds:g} s; repeats of a question are answered from memory while the index "
        "is unchanged; run with SOZIALATLAS_ANSWER_CACHE_SECONDS=0 for the uncached path)"
    )


def write_report(
    path: Path,
    results: list[CorpusResult],
    queries_file: Path,
    n_queries: int,
    duration: float,
    max_requests: int,
    workers: int,
    es_version: str,
    plot: Path | None,
    answer_cache_seconds: float,
) -> None:
    info = machine()
    names = {"small": "1.1k corpus", "large": "100k corpus"}
    lines = [
        "# Search latency benchmark",
        "",
        f"Generated by `sozialatlas bench latency` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
        "",
        "## Machine and set-up",
        "",
        f"- CPU: {info['cpu']}, {info['cores']} cores; memory {info['memory']}; "
        f"Python {info['python']}; {info['os']}",
        f"- Elasticsearch {es_version} (local, shared with other engineers' test runs), "
        f"API: gunicorn `sozialatlas serve` command line, {workers} workers × 4 threads, "
        f"rate limit lifted, search log off, loopback only, answer cache "
        f"{cache_note(answer_cache_seconds)}",
        f"- Queries: {n_queries} from `{queries_file}` (search) and a 2–8 character prefix "
        "of each (suggest, limit 8); direct = the same bodies (`build_search_body` / "
        "`build_suggest_body`) through the `elasticsearch` client",
        f"- Each cell: {duration:g} s or {max_requests} requests, whichever first, after a "
        f"warm-up that sends every query {WARM_UP_SENDS * workers} times (with the answer "
        "cache on, the "
        "cells measure the steady state of a server that has seen these questions); client "
        "threads with keep-alive connections; latency measured client-side in ms; the load "
        "generator runs on the same 2 cores as the API and Elasticsearch",
        "",
    ]
    for result in results:
        lines += [
            f"## {names.get(result.key, result.key)}: {result.documents} records (`{result.file}`)",
            "",
            "Load average (1/5/15 min): "
            + "; ".join(f"{when} {value}" for when, value in result.load),
            "",
            *results_table(result),
            "",
            "### Targets",
            "",
            "| round | target | limit | measured | met |",
            "|---|---|--:|--:|---|",
        ]
        for number, cells in enumerate(result.rounds, 1):
            for check in check_targets(cells, result.key):
                unit = "×" if "/" in check.name else " ms"
                lines.append(
                    f"| {number} | {check.name} | ≤ {check.limit:g}{unit} "
                    f"| {_fmt(check.measured, 2 if unit == '×' else 1)}{unit} "
                    f"| {'yes' if check.met else '**no**'} |"
                )
        lines += [
            "",
            "### CPU per request (ms of CPU time; all parties share the machine's cores)",
            "",
            "The ceiling is the throughput these costs allow if every core did nothing else; "
            "a closed loop of c clients waits about c ÷ throughput per request. Elasticsearch "
            "refreshes its process CPU figure about once a second, so cells shorter than "
            f"{cpu.MIN_ES_SECONDS:g} s show none (–) and their total leaves it out.",
            "",
            *cpu_table(result, int(info["cores"]) if info["cores"].isdigit() else 1),
            "",
            "### Where the time goes (one query at a time, in-process, ms)",
            "",
            "| phase | mean | p50 | p95 |",
            "|---|--:|--:|--:|",
        ]
        for name, values in result.phases.items():
            extra = (
                f" (needed by {values['share']:.0%} of queries: fewer than 3 hits)"
                if name == "did_you_mean"
                else ""
            )
            lines.append(
                f"| {name}{extra} | {values['mean']:.2f} | {values['p50']:.2f} "
                f"| {values['p95']:.2f} |"
            )
        lines += [
            "",
            "### Elasticsearch cost of the parts of the body (same queries, sequential, ms)",
            "",
            "| variant | took mean | took p95 | round trip mean | round trip p95 |",
            "|---|--:|--:|--:|--:|",
        ]
        for name, values in result.ablation.items():
            failed = f" ({values['failed']:.0f} failed)" if values["failed"] else ""
            lines.append(
                f"| {name}{failed} | {values['took_mean']:.2f} | {_fmt(values['took_p95'])} "
                f"| {values['trip_mean']:.2f} | {_fmt(values['trip_p95'])} |"
            )
        prof = result.profile
        lines += [
            "",
            f"### Profile of the slowest query: “{result.slow_query}” (took {prof['took']} ms)",
            "",
            f"Rewrite {prof['rewrite_ms']:.1f} ms, query {prof['query_ms']:.1f} ms, "
            f"aggregations {prof['aggs_ms']:.1f} ms, "
            f"fetch {prof['fetch_ms']:.1f} ms "
            f"({', '.join(f'{k} {v:.1f}' for k, v in prof['fetch_children'].items())}).",
            "",
            "| ms | depth | type | clause |",
            "|--:|--:|---|---|",
        ]
        for node in prof["nodes"]:
            text = node["description"].replace("|", "\\|")
            lines.append(f"| {node['ms']:.2f} | {node['depth']} | {node['type']} | `{text}` |")
        lines.append("")
    if plot is not None:
        lines += [f"![latency]({plot.name})", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def draw_plot(path: Path, results: list[CorpusResult]) -> None:
    from sozialatlas.bench.plot import Canvas, Series, legend, panel

    palette = {
        "api": [(20, 60, 160), (40, 110, 220), (120, 170, 240)],
        "direct": [(200, 90, 0), (240, 140, 20), (250, 190, 110)],
    }
    row_height = 300
    canvas = Canvas(1000, 50 + row_height * len(results))
    names = {"small": "1.1K", "large": "100K"}
    keys = [
        (f"{kind.upper()} P{q}", palette[kind][i], kind == "direct")
        for kind in PATHS
        for i, q in enumerate((50, 95, 99))
    ]
    legend(canvas, 10, 12, [(label, [], color, dashed) for label, color, dashed in keys])
    for row, result in enumerate(results):
        cells = result.rounds[-1]
        for col, endpoint in enumerate(ENDPOINTS):
            series: list[Series] = []
            for kind in PATHS:
                for i, q in enumerate(("p50", "p95", "p99")):
                    values = [
                        getattr(cells[(result.key, endpoint, kind, c)], q) for c in CONCURRENCY
                    ]
                    series.append((q, values, palette[kind][i], kind == "direct"))
            box = (
                col * 500 + 5,
                45 + row * row_height,
                col * 500 + 495,
                40 + (row + 1) * row_height,
            )
            panel(
                canvas,
                box,
                f"{names.get(result.key, result.key)} {endpoint} latency ms",
                [f"C={c}" for c in CONCURRENCY],
                series,
                TARGETS.get((result.key, endpoint)),
            )
    canvas.save(path)


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
