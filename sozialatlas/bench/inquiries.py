"""``sozialatlas bench inquiries``: a burst of inquiries through the real API to real SMTP.

The production path end to end, on a state of its own: the API under gunicorn (as
``sozialatlas serve`` starts it), the Celery worker with its beat (outbox sweep), and the
local SMTP server (aiosmtpd) — each on this run's own SQLite file, Redis database, index
prefix and mailbox directory (``<state>/bench-inquiries/``), all fresh per run, so nothing
mixes with the demo's or a test run's data, and the mailbox holds this run's mail only.

The burst: ``--inquiries`` POSTs to ``/api/v1/inquiries`` from ``--clients`` simulated
clients (distinct ``X-Forwarded-For`` behind one trusted proxy, so the per-client limit
counts each), spread over ``--providers`` providers, sent by ``--concurrency`` threads as
fast as the API takes them; ``--spam`` of them come from one client, more than its
hourly limit allows, so the 429 path is part of the run. The limits are the production
defaults. Each accepted inquiry writes two mails (to the provider, a receipt to the
person). Then the clock runs until the SMTP server has kept every mail of the outbox.

Printed: accepted (201), rate-limited (429), anything else (must be 0); mails kept by
the SMTP server and how many Message-IDs arrived more than once (must be 0); the time
until all were delivered; the inquiries marked ``delivered``; intake latency p50/p95.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit, urlunsplit

from configuration.settings import Settings, to_env
from sozialatlas.bench.server import Server, free_port, wait_for_worker
from sozialatlas.bench.stats import percentile

LANGUAGES = ("de", "en", "uk", "ar", "ru", "tr")
MESSAGE = (
    "Guten Tag, ich brauche bitte einen Beratungstermin wegen meiner Nebenkostenabrechnung "
    "(Anfrage {i} von {n})."
)


@dataclass
class Burst:
    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0


def _with_db(url: str, db: int) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, parts.fragment))


def empty_redis_db(settings: Settings) -> dict[str, Any]:
    """A Redis database nobody uses now (no keys), as the setting that selects it.

    Not a fixed number: test runs pick theirs at random, and a benchmark must neither flush
    nor share one that a test run's worker consumes from.
    """
    import redis

    from configuration.endpoints import endpoints

    base = endpoints(settings).redis_url
    for db in range(15, 0, -1):
        if db != settings.redis_db and not redis.Redis.from_url(_with_db(base, db)).dbsize():
            return {"redis_url": _with_db(base, db)} if settings.redis_url else {"redis_db": db}
    raise RuntimeError("no empty Redis database (1-15) is left for the benchmark")


def isolate(settings: Settings, state: Path, smtp_port: int) -> Settings:
    """This run's private configuration (database, Redis DB, index prefix, SMTP, keys)."""
    if state.exists():
        shutil.rmtree(state)
    state.mkdir(parents=True)
    from cryptography.fernet import Fernet

    return settings.replace(
        **empty_redis_db(settings),
        state_dir=str(state),
        database_url=f"sqlite:///{state / 'bench.sqlite3'}",
        index_prefix=f"{settings.index_prefix}-benchinq",
        smtp_host="127.0.0.1",
        smtp_port=smtp_port,
        secret_key=secrets.token_urlsafe(50),
        inquiry_keys=Fernet.generate_key().decode("ascii"),
        debug=False,
        ssl_redirect=False,
        hsts_seconds=0,
        searchlog_enabled=False,
        trusted_proxies=1,  # the load generator stands in for the city's reverse proxy
        public_url="http://127.0.0.1:8000",
    )


def provider_file(state: Path, sample: Path, count: int) -> tuple[Path, list[str]]:
    """``count`` providers with an inquiry address, from the bundled sample's records."""
    records = [json.loads(line) for line in sample.read_text("utf-8").splitlines() if line]
    ids = []
    path = state / "providers.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            record = dict(records[i % len(records)])
            record["id"] = f"bench-{i:04d}"
            record["email"] = f"angebot-{i:04d}@bench.example"
            ids.append(record["id"])
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path, ids


def requests_for(
    total: int, clients: int, spam: int, providers: list[str]
) -> list[tuple[str, dict[str, Any]]]:
    """(client address, body) per inquiry: most clients send a few, one sends ``spam``."""
    out = []
    for i in range(total):
        client = "198.18.0.1" if i < spam else f"10.{i % clients // 250}.{i % clients % 250}.9"
        body = {
            "provider_id": providers[i % len(providers)],
            "message": MESSAGE.format(i=i + 1, n=total),
            "contact_email": f"person-{i:05d}@bench.example",
            "language": LANGUAGES[i % len(LANGUAGES)],
            "consent": True,
        }
        out.append((client, body))
    spammer, rest = out[:spam], out[spam:]
    step = max(1, len(rest) // max(1, spam))  # the spammer's requests among the others
    mixed: list[tuple[str, dict[str, Any]]] = []
    for i, item in enumerate(rest):
        if spammer and i % step == 0:
            mixed.append(spammer.pop())
        mixed.append(item)
    return mixed + spammer


def send_burst(base: str, requests: list[tuple[str, dict[str, Any]]], concurrency: int) -> Burst:
    import urllib3

    host, port = base.removeprefix("http://").split(":")
    pool = urllib3.HTTPConnectionPool(
        host, int(port), maxsize=concurrency, block=True, timeout=30.0, retries=False
    )
    burst = Burst()
    lock = threading.Lock()

    def post(item: tuple[str, dict[str, Any]]) -> None:
        client, body = item
        started = time.perf_counter()
        response = pool.request(
            "POST",
            "/api/v1/inquiries",
            body=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "X-Forwarded-For": client},
        )
        elapsed = time.perf_counter() - started
        with lock:
            burst.statuses[response.status] += 1
            burst.latencies.append(elapsed)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as threads:
        list(threads.map(post, requests))
    burst.seconds = time.perf_counter() - started
    pool.close()
    return burst


def kept(messages: Path) -> int:
    """Messages the SMTP server has kept so far (cheap: a directory listing)."""
    return sum(1 for _ in messages.glob("*.eml")) if messages.is_dir() else 0


def run(
    settings: Settings,
    inquiries: int,
    providers: int,
    clients: int,
    spam: int,
    concurrency: int,
    deliver_timeout: float,
    out: TextIO = sys.stdout,
) -> dict[str, Any]:
    from sozialatlas.services import LocalSmtp, MailStore, services_up

    # Elasticsearch and Redis as `services up` finds or starts them (shared, with their own
    # state); this run's SMTP server is its own, under the run's state directory.
    services_up(settings.replace(smtp_host="127.0.0.1"), echo=False)
    state = settings.state_path / "bench-inquiries"
    settings = isolate(settings, state, free_port())
    from sozialatlas.commands.common import setup_django

    setup_django(settings)
    import redis
    from django.core.management import call_command

    from configuration.endpoints import endpoints
    from directory.importer import import_file
    from directory.inquiry_models import Inquiry, MailState, OutboundMail
    from sozialatlas.commands.data import SAMPLE

    smtp = LocalSmtp(settings)  # under the run's state: its own port, pid file and mailbox
    smtp.up()
    broker = redis.Redis.from_url(endpoints(settings).redis_url)  # empty, and ours alone
    try:
        call_command("migrate", interactive=False, verbosity=0)
        file, ids = provider_file(state, SAMPLE, providers)
        report = import_file(file)  # no on_batch: the benchmark needs no search index
        if report.created != providers:
            raise RuntimeError(f"importing the bench providers failed: {report.to_dict()}")
        plan = requests_for(inquiries, clients, spam, ids)
        print(
            f"{inquiries} inquiries ({spam} of them from one client, the rest from {clients} "
            f"clients) to {providers} providers, {concurrency} at a time; API: gunicorn 2 "
            f"workers, Celery: 2 processes and beat; SMTP: {smtp.url} keeping mail in "
            f"{smtp.messages}",
            file=out,
        )
        burst, expected, delivered_after = _measure(settings, state, plan, concurrency, smtp,
                                                    deliver_timeout)  # fmt: skip
        mails = MailStore(smtp.messages).all()
    finally:
        broker.flushdb()  # the run's queue, rate-limit counters and answers: nobody else's
        smtp.down()
    by_id = Counter(mail.message_id for mail in mails)
    outbox = set(OutboundMail.objects.values_list("message_id", flat=True))
    figures = {
        "inquiries": inquiries,
        "accepted": burst.statuses.get(201, 0),
        "rate_limited": burst.statuses.get(429, 0),
        "other": {str(k): v for k, v in burst.statuses.items() if k not in (201, 429)},
        "burst_seconds": round(burst.seconds, 1),
        "mails_expected": expected,
        "mails_kept": len(mails),
        "mails_missing": len(outbox - set(by_id)),
        "duplicate_message_ids": sum(1 for n in by_id.values() if n > 1),
        "outbox_not_sent": OutboundMail.objects.exclude(state=MailState.SENT).count(),
        "seconds_until_all_delivered": round(delivered_after, 1),
        "inquiries_delivered": Inquiry.objects.filter(status="delivered").count(),
        "intake_p50_ms": round(percentile(burst.latencies, 50) * 1000, 1),
        "intake_p95_ms": round(percentile(burst.latencies, 95) * 1000, 1),
    }
    _print(figures, out)
    return figures


def _measure(
    settings: Settings,
    state: Path,
    plan: list[tuple[str, dict[str, Any]]],
    concurrency: int,
    smtp: Any,
    deliver_timeout: float,
) -> tuple[Burst, int, float]:
    """Worker and API up; the burst; the wait until the SMTP server kept every mail."""
    from directory.inquiry_models import OutboundMail
    from sozialatlas.commands.processes import worker_command
    from workers.app import app

    log = (state / "worker.log").open("wb")
    worker = subprocess.Popen(
        worker_command(settings, concurrency=2, loglevel="WARNING", beat=True),
        env={**os.environ, **to_env(settings)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = Server(settings, settings.index_prefix, state, 2, to_env(settings))
    try:
        wait_for_worker(app, worker)
        server.wait_ready()
        started = time.perf_counter()
        burst = send_burst(server.base, plan, concurrency)
        expected = OutboundMail.objects.count()
        deadline = time.monotonic() + deliver_timeout
        while kept(smtp.messages) < expected and time.monotonic() < deadline:
            time.sleep(0.2)
        delivered_after = time.perf_counter() - started
        time.sleep(3)  # a few more outbox sweeps: a late copy would show now
    finally:
        server.stop()
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
        log.close()
    return burst, expected, delivered_after


def _print(f: dict[str, Any], out: TextIO) -> None:
    print(
        f"burst: {f['inquiries']} sent in {f['burst_seconds']} s — accepted {f['accepted']}, "
        f"rate-limited (429) {f['rate_limited']}, other {f['other'] or 0}",
        file=out,
    )
    print(
        f"intake latency: p50 {f['intake_p50_ms']} ms, p95 {f['intake_p95_ms']} ms",
        file=out,
    )
    print(
        f"delivered: {f['mails_kept']} of {f['mails_expected']} mails kept by the SMTP server "
        f"({f['mails_missing']} missing), all within {f['seconds_until_all_delivered']} s of "
        f"the burst's start; duplicates by Message-ID: {f['duplicate_message_ids']}; outbox "
        f"rows not sent: {f['outbox_not_sent']}; inquiries marked delivered: "
        f"{f['inquiries_delivered']} of {f['accepted']}",
        file=out,
    )
    print(json.dumps(f), file=out)
