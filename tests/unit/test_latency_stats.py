"""The pure parts of the benchmarks: the one percentile, ratios, targets, the PNG."""

from __future__ import annotations

import math
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from sozialatlas.bench.cells import (
    CellStats,
    check_targets,
    load_queries,
    prefixes,
    ratio,
    run_cell,
    summarize,
)
from sozialatlas.bench.cpu import CpuSample, per_request, process_tree_seconds
from sozialatlas.bench.stats import percentile


def cell(p50: float, p95: float, errors: int = 0) -> CellStats:
    return CellStats(100, errors, 1.0, 100.0, p50, p95, p95 + 1, p50)


def test_percentile_interpolates_between_closest_ranks() -> None:
    values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]
    assert percentile(values, 0) == 1.0
    assert percentile(values, 100) == 10.0
    assert percentile(values, 50) == pytest.approx(5.5)
    assert percentile(values, 95) == pytest.approx(9.55)
    assert percentile(values, 99) == pytest.approx(9.91)


def test_percentile_ignores_input_order_and_handles_edges() -> None:
    assert percentile([9.0, 1.0, 5.0], 50) == 5.0
    assert percentile([4.2], 99) == 4.2
    assert math.isnan(percentile([], 50))
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_summarize_counts_errors_in_throughput_not_in_latency() -> None:
    stats = summarize([10.0, 20.0, 30.0, 40.0], seconds=2.0, errors=2)
    assert stats.requests == 6
    assert stats.errors == 2
    assert stats.rps == 3.0
    assert stats.p50 == 25.0
    assert stats.mean == 25.0
    empty = summarize([], seconds=1.0, errors=3)
    assert empty.rps == 3.0 and math.isnan(empty.p95)


def test_ratio_is_api_over_direct_at_p50_and_p95() -> None:
    assert ratio(cell(12.0, 30.0), cell(8.0, 20.0)) == (1.5, 1.5)
    r50, r95 = ratio(cell(5.0, 5.0), cell(0.0, 2.0))
    assert math.isnan(r50) and r95 == 2.5


def test_targets_for_the_small_corpus_include_the_api_overhead() -> None:
    cells = {
        ("small", "search", "api", 8): cell(20.0, 29.0),
        ("small", "search", "direct", 8): cell(10.0, 20.0),
        ("small", "suggest", "api", 8): cell(5.0, 16.0),
        ("small", "suggest", "direct", 8): cell(4.0, 12.0),
        ("small", "search", "api", 1): cell(1.0, 1.0),
    }
    checks = {c.name: c for c in check_targets(cells, "small")}
    assert checks["search p95 @ c=8"].met
    assert not checks["suggest p95 @ c=8"].met
    assert not checks["search API/direct p50 @ c=8"].met  # 2.0×
    assert checks["search API/direct p95 @ c=8"].met  # 1.45×
    assert checks["suggest API/direct p95 @ c=8"].measured == pytest.approx(16 / 12)
    assert len(checks) == 6


def test_targets_for_the_large_corpus_are_search_p95_only() -> None:
    cells = {
        ("large", "search", "api", 8): cell(40.0, 61.0),
        ("large", "search", "direct", 8): cell(10.0, 20.0),
    }
    (check,) = check_targets(cells, "large")
    assert check.name == "search p95 @ c=8" and check.limit == 60.0 and not check.met


def test_queries_skip_comments_and_prefixes_are_2_to_8_characters(tmp_path: Path) -> None:
    file = tmp_path / "q.txt"
    file.write_text("# mix\nKita\n\n  Schuldnerberatung \nx\n", encoding="utf-8")
    queries = load_queries(file)
    assert queries == ["Kita", "Schuldnerberatung", "x"]
    found = prefixes(["Schuldnerberatung"] * 9 + ["x"])
    assert found[:7] == ["Sc", "Sch", "Schu", "Schul", "Schuld", "Schuldn", "Schuldne"]
    assert all(2 <= len(p) <= 8 for p in found) and "x" not in found


def test_run_cell_stops_at_the_request_bound_and_counts_failures() -> None:
    seen: list[int] = []
    lock = threading.Lock()

    def call(i: int) -> bool:
        with lock:
            seen.append(i)
        if i == 3:
            raise RuntimeError("boom")
        return i != 4

    stats = run_cell(call, items=5, concurrency=4, duration=30.0, max_requests=20)
    assert stats.requests == 20
    assert stats.errors == 8  # items 3 and 4, four times each
    assert sorted(seen) == sorted(list(range(5)) * 4)


def test_the_plot_is_a_png_with_a_row_per_corpus(tmp_path: Path) -> None:
    from sozialatlas.bench.cells import CONCURRENCY, ENDPOINTS, PATHS, CorpusResult
    from sozialatlas.bench.latency_report import draw_plot

    def cells(key: str) -> dict[tuple[str, str, str, int], CellStats]:
        return {
            (key, endpoint, kind, c): cell(10.0 * c, 20.0 * c)
            for endpoint in ENDPOINTS
            for kind in PATHS
            for c in CONCURRENCY
        }

    results = [
        CorpusResult(key, Path("x"), 1, [cells(key)], {}, {}, {}, "", [])
        for key in ("small", "large")
    ]
    path = tmp_path / "latency.png"
    draw_plot(path, results)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1000, 600)  # 10 x 6 inches at 100 dpi: two rows


def test_cpu_is_shared_out_per_request_and_missing_parties_stay_missing() -> None:
    before = CpuSample(es_s=10.0, api_s=None, client_s=1.0)
    after = CpuSample(es_s=12.0, api_s=None, client_s=1.5)
    used = per_request(before, after, 1000, seconds=10.0)
    assert used.es_ms == pytest.approx(2.0)
    assert used.api_ms is None
    assert used.client_ms == pytest.approx(0.5)
    assert used.total_ms == pytest.approx(2.5)
    assert per_request(before, after, 0, seconds=10.0).es_ms is None
    # shorter than Elasticsearch's refresh of the figure: no figure rather than a wrong one
    assert per_request(before, after, 1000, seconds=1.0).es_ms is None


BUSY_THEN_IDLE = (
    "import time\n"
    "start = time.process_time()\n"
    "while time.process_time() - start < 0.3:\n"
    "    pass\n"
    "time.sleep(30)\n"
)


def test_process_tree_cpu_counts_a_busy_child() -> None:
    child = subprocess.Popen([sys.executable, "-c", BUSY_THEN_IDLE])
    try:
        spent = 0.0
        for _ in range(100):
            spent = process_tree_seconds(child.pid) or 0.0
            if spent >= 0.3:
                break
            time.sleep(0.1)
        assert spent >= 0.3
    finally:
        child.kill()
        child.wait()
    assert process_tree_seconds(child.pid) is None  # gone: no figure rather than a wrong one
