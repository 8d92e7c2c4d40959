"""Search-log commands: reports in the terminal, retention, replay and the log benchmark.

* ``sozialatlas report NAME [--since 30d] [--until …] [--channel …] [--format table|json|csv]``
* ``sozialatlas analytics maintain`` — roll up and enforce retention now (beat does it hourly)
* ``sozialatlas analytics delete --since … --until …`` — delete raw entries in a time range
* ``sozialatlas bench replay FILE [--url URL]`` — send queries through the API. Without
  ``--url`` the queries go through the API *in process* (Ninja's test client: the real
  routers, recorder and Celery transport, no server needed; the anonymous rate limit is
  lifted for the replay); with ``--url`` they are sent over HTTP to a running server.
* ``sozialatlas bench searchlog`` — search latency with logging on vs off, write throughput.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import random
import secrets
import statistics
import sys
import time
import urllib.parse
import urllib.request
import wsgiref.util
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from configuration.settings import Settings
from indexer.reports import REPORTS as REPORT_NAMES
from sozialatlas.bench.stats import percentile
from sozialatlas.commands.common import setup_django

SAMPLE_REPLAY = Path(__file__).resolve().parent.parent / "data" / "replay-sample.jsonl"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = sub.add_parser("report", help="print a search-log report (e.g. unmet-needs)")
    report.add_argument("name", choices=REPORT_NAMES)
    report.add_argument("--since", default="30d", help="30d, 12w, 6m, 24h or an ISO date")
    report.add_argument("--until", default=None, help="as --since; default now")
    report.add_argument("--channel", default=None, help='"public" or "partner:<name>"')
    report.add_argument("--limit", type=int, default=30)
    report.add_argument("--format", choices=("table", "json", "csv"), default="table")
    report.add_argument(
        "--separator", choices=(",", ";"), default=",", help="CSV separator (German Excel: ;)"
    )
    report.set_defaults(handler=run_report)

    analytics = sub.add_parser("analytics", help="search log maintenance")
    actions = analytics.add_subparsers(dest="action", required=True, metavar="ACTION")
    maintain = actions.add_parser("maintain", help="roll up days and enforce retention now")
    maintain.set_defaults(handler=run_maintain)
    delete = actions.add_parser("delete", help="delete raw log entries in a time range")
    delete.add_argument("--since", default=None, help="start (inclusive); default: the beginning")
    delete.add_argument("--until", required=True, help="end (exclusive): 30d, ISO date, …")
    delete.set_defaults(handler=run_delete)

    kinds = _bench_kinds(sub)
    replay = kinds.add_parser(
        "replay",
        help="send queries (JSONL with q, or plain lines) through the API to fill the search log",
    )
    replay.add_argument("file", type=Path, nargs="?", default=SAMPLE_REPLAY)
    replay.add_argument(
        "--url",
        default=None,
        help="base URL of a running server, e.g. http://127.0.0.1:8000 (default: in-process)",
    )
    replay.add_argument(
        "--typing",
        action="store_true",
        help="also send the keystrokes of each query to /suggest first",
    )
    replay.add_argument("--seed", type=int, default=7)
    replay.set_defaults(handler=run_replay)

    bench = kinds.add_parser(
        "searchlog", help="search latency with logging on vs off, log write throughput"
    )
    bench.add_argument("--queries", type=Path, default=SAMPLE_REPLAY)
    bench.add_argument("--rounds", type=int, default=5)
    bench.add_argument("--entries", type=int, default=5000, help="entries for throughput")
    bench.add_argument(
        "--send",
        action="store_true",
        help="hand the entries to the real log worker (default: discard them)",
    )
    bench.set_defaults(handler=run_bench)


def _bench_kinds(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """The sub-commands of ``bench`` (registered by ``commands.bench``), to add ours."""
    bench = sub.choices.get("bench")
    if bench is None:
        bench = sub.add_parser("bench", help="run a benchmark and print its figures")
        return bench.add_subparsers(dest="bench", required=True, metavar="BENCHMARK")
    for action in bench._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise RuntimeError("the bench command has no sub-commands")  # pragma: no cover


# --------------------------------------------------------------------------- reports


def _log_env(settings: Settings) -> tuple[Any, Any]:
    setup_django(settings)
    from api.context import es
    from api.searchlog import log_settings

    return es(), log_settings()


def run_report(args: argparse.Namespace, settings: Settings) -> int:
    from indexer.report_queries import make_range
    from indexer.reports import run_report as build

    client, conf = _log_env(settings)
    rng = make_range(args.since, args.until, args.channel, args.limit)
    report = build(client, conf, args.name, rng)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "report": report.name,
                    "since": report.since,
                    "until": report.until,
                    "rows": report.rows,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    elif args.format == "csv":
        sys.stdout.write(report.to_csv(args.separator))
    else:
        print_table(report.name, report.since, report.until, report.columns, report.rows)
    return 0


def _cell(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}:{v}" for k, v in value.items())
    if isinstance(value, list):
        return " | ".join(map(str, value))
    return "" if value is None else str(value)


def print_table(
    name: str, since: str, until: str, columns: list[str], rows: list[dict[str, Any]]
) -> None:
    print(f"{name}  {since} .. {until}  ({len(rows)} rows)")
    if not rows:
        print("  (no data in this range)")
        return
    if name == "unmet-needs":
        for i, row in enumerate(rows, 1):
            print(
                f"\n{i:>3}. {row['need']}  — {row['searches']} searches, "
                f"{row['sessions']} sessions, {row['zero_results']} without results"
            )
            print(f"     languages: {_cell(row['languages'])}")
            print(f"     examples:  {_cell(row['examples'])}")
            if row["unmet_filters"]:
                print(f"     unmet:     {_cell(row['unmet_filters'])}")
            print(f"     seen:      {row['first_seen']} .. {row['last_seen']}")
        return
    table = [[_cell(row.get(c))[:48] for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in table)) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for r in table:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)))


def run_maintain(args: argparse.Namespace, settings: Settings) -> int:
    from indexer.searchlog import enforce_retention

    client, conf = _log_env(settings)
    print(json.dumps(enforce_retention(client, conf)))
    return 0


def run_delete(args: argparse.Namespace, settings: Settings) -> int:
    from indexer.report_queries import parse_when
    from indexer.searchlog import delete_range

    client, conf = _log_env(settings)
    since = parse_when(args.since) if args.since else None
    until = parse_when(args.until)
    print(f"deleted {delete_range(client, conf, since, until)} entries")
    return 0


# --------------------------------------------------------------------------- replay


def read_queries(path: Path) -> Iterator[dict[str, Any]]:
    """JSONL lines with at least ``q`` (extra keys: session, typing, feedback, click), or
    plain text lines, one query each; blank lines and ``#`` comments are skipped."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("{"):
                item = json.loads(line)
                if isinstance(item, dict) and str(item.get("q", "")).strip():
                    yield item
            else:
                yield {"q": line}


Call = Callable[[str, str, dict[str, Any], dict[str, str]], tuple[int, dict[str, Any]]]


def in_process_client() -> Call:
    """The real WSGI application of this process, called as a server would call it.

    Each request comes from its own client address in 198.18.0.0/15 (the range reserved
    for benchmarks), so that a replay of many visitors meets the per-client limits as many
    visitors would, without lifting them.
    """
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    host = next((h for h in settings.ALLOWED_HOSTS if h and "*" not in h), "localhost")
    counter = itertools.count(1)

    def call(
        method: str, path: str, params: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, dict[str, Any]]:
        n = next(counter) % 131_070 + 1
        body = json.dumps(params).encode() if method != "GET" else b""
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "PATH_INFO": "/api/v1" + path,
            "QUERY_STRING": urllib.parse.urlencode(params, doseq=True) if method == "GET" else "",
            "REMOTE_ADDR": f"198.{18 + (n >> 16)}.{(n >> 8) & 255}.{n & 255}",
            "HTTP_HOST": host,
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "https",  # as behind the TLS proxy: no redirect
            "HTTPS": "on",
            **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()},
        }
        wsgiref.util.setup_testing_defaults(environ)
        status: list[int] = []

        def start_response(line: str, _headers: Any, _exc_info: Any = None) -> Any:
            status.append(int(line.split()[0]))
            return lambda _data: None

        chunks = app(environ, start_response)
        try:
            payload = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        return status[0], json.loads(payload or b"{}")

    return call


def http_client(base: str) -> Call:
    root = base.rstrip("/") + "/api/v1"

    def call(
        method: str, path: str, params: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, dict[str, Any]]:
        if method == "GET":
            request = urllib.request.Request(
                root + path + "?" + urllib.parse.urlencode(params, doseq=True), headers=headers
            )
        else:
            request = urllib.request.Request(
                root + path,
                data=json.dumps(params).encode(),
                headers={**headers, "Content-Type": "application/json"},
            )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")

    return call


def replay(
    items: list[dict[str, Any]], call: Call, typing: bool = False, seed: int = 7
) -> dict[str, int]:
    """Send each item as a visitor would; returns counts per outcome."""
    rng = random.Random(seed)
    counts = {"searches": 0, "suggests": 0, "clicks": 0, "feedback": 0, "errors": 0}
    sessions: dict[str, str] = {}
    for item in items:
        key = str(item.get("session") or secrets.token_hex(4))
        headers: dict[str, str] = {"X-Search-Session": sessions[key]} if key in sessions else {}
        query = str(item["q"])[:200]
        if typing or item.get("typing"):
            for end in range(2, len(query), max(1, len(query) // 4)):
                status, body = call("GET", "/suggest", {"q": query[:end][:60]}, headers)
                counts["suggests" if status == 200 else "errors"] += 1
                if status == 200 and body.get("session"):
                    headers = {"X-Search-Session": body["session"]}
        params: dict[str, Any] = {"q": query}
        params.update({k: item[k] for k in ("category", "district") if k in item})
        status, body = call("GET", "/search", params, headers)
        if status == 503:  # a busy cluster: try once more, as a visitor would
            time.sleep(0.5)
            status, body = call("GET", "/search", params, headers)
        if status != 200:
            counts["errors"] += 1
            continue
        counts["searches"] += 1
        if body.get("session"):
            sessions[key] = body["session"]
            headers = {"X-Search-Session": body["session"]}
        query_id = body.get("query_id")
        if not query_id:
            continue
        hits = body.get("hits") or []
        wants_click = item.get("click", hits and rng.random() < 0.4)
        if wants_click and hits:
            rank = min(
                int(item.get("click_rank", 1 + int(rng.random() * min(3, len(hits))))), len(hits)
            )
            hit = hits[rank - 1]
            click = {
                "query_id": query_id,
                "rank": rank,
                "provider_id": hit["id"],
                "token": hit.get("click_token") or "",
            }
            status, _ = call("POST", "/events/click", click, headers)
            counts["clicks" if status == 202 else "errors"] += 1
        if item.get("feedback"):
            status, _ = call(
                "POST",
                "/events/feedback",
                {"query_id": query_id, "comment": item.get("comment")},
                headers,
            )
            counts["feedback" if status == 202 else "errors"] += 1
    return counts


def run_replay(args: argparse.Namespace, settings: Settings) -> int:
    items = list(read_queries(args.file))
    started = time.perf_counter()
    if args.url:
        call = http_client(args.url)
    else:
        setup_django(settings)
        call = in_process_client()
    counts = replay(items, call, args.typing, args.seed)
    if not args.url:
        from api.searchlog import writer

        writer().flush()
        print(f"log writer: {json.dumps(writer().status())}")
    elapsed = time.perf_counter() - started
    print(
        f"replayed {len(items)} queries from {args.file} in {elapsed:.1f} s: "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
    )
    return 0 if counts["errors"] == 0 else 1


# --------------------------------------------------------------------------- benchmark


def run_bench(args: argparse.Namespace, settings: Settings) -> int:
    setup_django(settings)
    from api.searchlog import Pending, to_entry, writer
    from indexer.searchlog import drop_storage, ensure_storage, link_batch, write_batch

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
