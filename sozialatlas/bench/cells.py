"""The measurement grid of ``sozialatlas bench latency``: cells, their statistics, targets."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

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
