"""``sozialatlas bench replay``: send queries through the API as visitors would.

The search log and its reports need traffic to show anything; a replay produces it from a
file of queries (the sample ships with the package). Without ``--url`` the queries go
through the API *in process* (the real WSGI application: routers, recorder and Celery
transport, no server needed); with ``--url`` they are sent over HTTP to a running server.
The tests and ``bench searchlog`` reuse the readers and callers defined here.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import random
import secrets
import time
import urllib.parse
import urllib.request
import wsgiref.util
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from configuration.settings import Settings
from sozialatlas.commands.common import setup_django

SAMPLE_REPLAY = Path(__file__).resolve().parent.parent / "data" / "replay-sample.jsonl"


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
