"""Latency and memory benchmark of the analysers.

``run`` warms up (loads spaCy, lingua, resources), then measures median and p99
of single query analysis, single record analysis and batched record analysis
(amortised per record), and the process RSS once everything is loaded.  Query
analysis is measured uncached (there is no result cache); token-level caches
are warm, as in production after the first minutes.

    sozialatlas bench analyzers --queries FILE [--records FILE] [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from analyzers import warm_up
from analyzers.query import analyze_query
from analyzers.record import analyze_record, analyze_records
from sozialatlas.bench.stats import percentile


def _rss_mb() -> float:
    try:
        import psutil  # type: ignore[import-untyped,unused-ignore]

        return float(psutil.Process().memory_info().rss) / 1e6
    except Exception:  # psutil is optional; fall back to /proc
        try:
            for line in Path("/proc/self/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1e3
        except OSError:
            pass
    return 0.0


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples) or [0.0]
    return {
        "median_ms": percentile(ordered, 50),
        "p95_ms": percentile(ordered, 95),
        "p99_ms": percentile(ordered, 99),
        "n": float(len(samples)),
    }


def run(
    queries: Sequence[str], records: Sequence[dict[str, Any]], batch_size: int = 500
) -> dict[str, Any]:
    """Measure analysis latency/throughput; returns a JSON-ready dict."""
    rss_before = _rss_mb()
    warm_start = time.perf_counter()
    warm_up()  # what servers do before they fork
    for q in list(queries)[:20]:
        analyze_query(q)
    analyze_records(list(records)[:200])
    warmup_s = time.perf_counter() - warm_start
    query_ms = [_timed(partial(analyze_query, q)) for q in queries]
    record_ms = [_timed(partial(analyze_record, r)) for r in records[:2000]]
    batch_ms: list[float] = []
    start = time.perf_counter()
    for i in range(0, len(records), batch_size):
        chunk = list(records[i : i + batch_size])
        batch_ms.append(_timed(partial(analyze_records, chunk)) / max(1, len(chunk)))
    total = time.perf_counter() - start
    return {
        "warmup_s": round(warmup_s, 3),
        "query": _stats(query_ms),
        "record_single": _stats(record_ms),
        "record_batched_per_record": _stats(batch_ms),
        "records_per_second": len(records) / total if total else 0.0,
        "rss_mb_before": round(rss_before, 1),
        "rss_mb_loaded": round(_rss_mb(), 1),
    }


def format_report(result: dict[str, Any]) -> str:
    lines = [f"warm-up: {result['warmup_s']:.2f} s"]
    for key in ("query", "record_single", "record_batched_per_record"):
        s = result[key]
        lines.append(
            f"{key:28s} median {s['median_ms']:.3f} ms  p95 {s['p95_ms']:.3f} ms  "
            f"p99 {s['p99_ms']:.3f} ms  (n={int(s['n'])})"
        )
    lines.append(f"batched throughput: {result['records_per_second']:.0f} records/s (1 core)")
    lines.append(
        f"RSS: {result['rss_mb_before']} MB before load, {result['rss_mb_loaded']} MB loaded"
    )
    return "\n".join(lines)


def _read_jsonl(path: str, limit: int) -> list[dict[str, Any]]:
    opener = gzip.open if path.endswith(".gz") else open
    out: list[dict[str, Any]] = []
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                out.append(json.loads(line))
            if len(out) >= limit:
                break
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", required=True, help="JSONL with a 'q' field, or plain lines")
    parser.add_argument("--records", required=True, help="records JSONL (.gz allowed)")
    parser.add_argument("--limit", type=int, default=100_000)
    args = parser.parse_args(argv)
    queries: list[str] = []
    for line in Path(args.queries).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line:
            queries.append(json.loads(line).get("q", "") if line.startswith("{") else line)
    records = _read_jsonl(args.records, args.limit)
    print(format_report(run(queries, records)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
