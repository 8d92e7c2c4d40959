"""CPU spent per request by each party of a load test: Elasticsearch, the API, the client.

Why: when the three share two cores, latency under concurrency is set by what a request
costs in CPU altogether, not by any one part's latency; the split shows who spends it and
what throughput the machine can give at most (cores ÷ CPU per request).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import psutil

# Elasticsearch refreshes its process CPU figure about once a second: a cell shorter than
# this gets no Elasticsearch figure rather than one that is off by a second's work.
MIN_ES_SECONDS = 3.0


@dataclass(frozen=True)
class CpuSample:
    es_s: float | None  # None: the cluster does not report process CPU
    api_s: float | None  # None: no API process under test (direct cells)
    client_s: float


@dataclass(frozen=True)
class CpuPerRequest:
    es_ms: float | None
    api_ms: float | None
    client_ms: float

    @property
    def total_ms(self) -> float:
        return (self.es_ms or 0.0) + (self.api_ms or 0.0) + self.client_ms


def es_cpu_seconds(es: Any) -> float | None:
    """Process CPU of every node (the node refreshes the figure about once a second)."""
    try:
        nodes = es.nodes.stats(metric="process").body["nodes"].values()
        return float(sum(node["process"]["cpu"]["total_in_millis"] for node in nodes)) / 1000
    except Exception:  # a restricted cluster: report the other parties only
        return None


def process_tree_seconds(pid: int | None) -> float | None:
    """User + system CPU of a process and all its children (gunicorn and its workers)."""
    if pid is None:
        return None
    try:
        root = psutil.Process(pid)
        total = 0.0
        for proc in (root, *root.children(recursive=True)):
            times = proc.cpu_times()
            total += times.user + times.system
        return total
    except psutil.Error:
        return None


def sample(es: Any, api_pid: int | None) -> CpuSample:
    return CpuSample(es_cpu_seconds(es), process_tree_seconds(api_pid), time.process_time())


def per_request(
    before: CpuSample, after: CpuSample, requests: int, seconds: float
) -> CpuPerRequest:
    def share(a: float | None, b: float | None) -> float | None:
        if a is None or b is None or requests <= 0:
            return None
        return (b - a) * 1000 / requests

    client = share(before.client_s, after.client_s)
    return CpuPerRequest(
        share(before.es_s, after.es_s) if seconds >= MIN_ES_SECONDS else None,
        share(before.api_s, after.api_s),
        client if client is not None else 0.0,
    )
