"""The search log end to end: API -> buffered writer -> Redis -> Celery worker -> ES -> reports.

Real Elasticsearch, Redis and a real Celery worker (fixtures). The replay sends the dev
queries (``../shared``) plus the bundled replay sample with invented unmet
needs through the in-process API.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import override_settings
from ninja.testing import TestClient

from api.apis import api
from tests.conftest import shared_file, wait_until

pytestmark = [pytest.mark.django_db, pytest.mark.integration]
client = TestClient(api)


class Staff:
    is_authenticated = True
    is_staff = True
    is_superuser = False
    is_active = True
    pk = 1


def _log_conf() -> Any:
    from api.searchlog import log_settings

    return log_settings()


def _entries(es: Any, conf: Any, **term: Any) -> list[dict[str, Any]]:
    es.indices.refresh(index=conf.alias, ignore_unavailable=True)
    query = {"bool": {"filter": [{"term": {k: v}} for k, v in term.items()]}}
    hits = es.search(
        index=conf.alias, size=2000, query=query, ignore_unavailable=True, allow_no_indices=True
    ).body["hits"]["hits"]
    return [{"id": h["_id"], **h["_source"]} for h in hits]


def _drain_log_queue(log_writer: Any) -> None:
    """Let the worker write what earlier tests logged before the log is cleared.

    Otherwise their entries (thousands of random Schemathesis queries among them) land
    after the clean-up and crowd this module's report.
    """
    import redis
    from django.conf import settings

    from workers.app import QUEUE, app

    log_writer.flush()
    broker = redis.Redis.from_url(settings.ENDPOINTS.redis_url)

    def idle() -> bool:
        active = app.control.inspect(timeout=1.0).active() or {}
        return broker.llen(QUEUE) == 0 and not any(active.values())

    wait_until(idle, timeout=120, interval=0.5)


@pytest.fixture(scope="module")
def replayed(
    worker: Any, sample_conf: Any, es_client: Any, django_db_blocker: Any
) -> Iterator[dict[str, Any]]:
    """The dev queries and the sample replay, sent through the API and written by the worker."""
    from api.searchlog import writer
    from indexer.searchlog import drop_storage
    from sozialatlas.commands.analytics import (
        SAMPLE_REPLAY,
        in_process_client,
        read_queries,
        replay,
    )

    with (
        override_settings(INDEXER=sample_conf, RATE_LIMIT_ANON="1000000/min"),
        django_db_blocker.unblock(),
    ):
        conf = _log_conf()
        _drain_log_queue(writer())
        drop_storage(es_client, conf)
        items = list(read_queries(shared_file("queries-dev.jsonl")))[:150]
        items += list(read_queries(SAMPLE_REPLAY))
        items += [
            {"q": "Tierarzt kostenlos", "session": "refine"},
            {"q": "Tierklinik", "session": "refine"},
        ]

        call = in_process_client()  # the same caller `bench replay` uses
        counts = replay(items, call, typing=False, seed=3)
        writer().flush()
        expected = counts["searches"] + counts["suggests"] + counts["clicks"] + counts["feedback"]

        def all_written() -> bool:
            return len(_entries(es_client, conf)) >= expected

        wait_until(all_written, timeout=60, interval=0.5)
        yield {"conf": conf, "counts": counts, "items": items}
        drop_storage(es_client, conf)


@pytest.fixture()
def log_api(sample_index: Any, settings: Any) -> Any:
    settings.RATE_LIMIT_ANON = "1000000/min"
    return sample_index


def _report(name: str, query: str = "") -> Any:
    return client.get(f"/analytics/reports/{name}{query}", user=Staff())


def test_unmet_need_clusters_group_languages_and_spellings(replayed: Any, log_api: Any) -> None:
    assert replayed["counts"]["errors"] == 0
    response = _report("unmet-needs", "?since=1d&limit=200")
    assert response.status_code == 200, response.json()
    clusters = response.json()["rows"]
    by_form = {form: c for c in clusters for form in c["forms"]}
    vet = by_form["tierarzt kostenlos"]
    assert {"vet free", "tierartz kostenlos", "veterinarian for free"} <= set(vet["forms"])
    assert len(vet["languages"]) >= 2 and vet["zero_results"] >= 4
    assert vet["first_seen"] and vet["last_seen"]
    debt = by_form["schuldnerberatung auf tigrinya"]
    assert "debt advice in tigrinya" in debt["forms"]
    assert debt["concept"] == "geld/schuldnerberatung"
    assert debt["unmet_filters"].get("language:ti", 0) >= 2
    babysitter = by_form["babysitter notfall"]  # results, but "did not help" feedback
    assert {"babysitter emergency", "babysiter notfal"} <= set(babysitter["forms"])
    assert set(babysitter["languages"]) >= {"de", "en"}
    # The terminal report shows the same clusters.
    from sozialatlas.cli import main

    assert main(["report", "unmet-needs", "--since", "1d"]) == 0


def test_personal_data_is_redacted(replayed: Any, log_api: Any, es_client: Any) -> None:
    entries = _entries(es_client, replayed["conf"])
    text = repr(entries)
    assert "mustermann@example.org" not in text and "98765432" not in text
    assert "1234567" not in text
    hilfe = [e for e in entries if "[email]" in e.get("query", "")]
    assert hilfe and hilfe[0]["query"] == "Hilfe [email] [phone]"
    assert hilfe[0]["lemmas"] == ["hilfe"] and "@" not in hilfe[0]["normalized"]
    comments = [e["comment"] for e in entries if e.get("comment")]
    assert any("[phone]" in c for c in comments)
    assert not any(k in e for e in entries for k in ("ip", "user_agent", "remote_addr"))


def test_refinement_and_feedback_are_linked(replayed: Any, log_api: Any, es_client: Any) -> None:
    conf = replayed["conf"]
    refining = [e for e in _entries(es_client, conf, normalized="tierklinik") if e.get("refines")]
    assert refining
    refined = _entries(es_client, conf, refined=True)
    assert any(e["id"] == refining[0]["refines"] for e in refined)
    assert _entries(es_client, conf, not_helpful=True)
    zero = {r["query"]: r for r in _report("zero-results", "?since=1d&limit=500").json()["rows"]}
    assert zero["tierarzt kostenlos"]["refined"] >= 1


def test_keystrokes_count_as_one_search(log_api: Any, worker: Any, es_client: Any) -> None:
    from api.searchlog import writer

    conf = _log_conf()
    session: str | None = None
    for prefix in ("Ki", "Kit", "Kita", "Kita Sonn", "Kita Sonnenberg"):
        headers: dict[str, str] = {"X-Search-Session": session} if session else {}
        body = client.get("/search", query_params={"q": prefix}, headers=headers).json()
        session = body["session"]
    writer().flush()

    def written() -> list[dict[str, Any]]:
        found = _entries(es_client, conf, session=session)
        return found if len(found) == 5 and sum(e["final"] for e in found) == 1 else []

    entries = wait_until(written, timeout=30, interval=0.3)
    final = [e for e in entries if e["final"]]
    assert final[0]["normalized"] == "kita sonnenberg"
    assert len({e["intent"] for e in entries}) == 1
    zero = _report("zero-results", "?since=1h&limit=500").json()["rows"]
    assert not {"ki", "kit"} & {r["query"] for r in zero}


def test_click_and_feedback(log_api: Any, worker: Any, es_client: Any) -> None:
    from api.searchlog import writer

    conf = _log_conf()
    body = client.get("/search", query_params={"q": "Kita"}).json()
    query_id = body["query_id"]
    assert query_id and body["session"]
    writer().flush()
    wait_until(lambda: _entries(es_client, conf, _id=query_id), timeout=30)
    first, second = body["hits"][0], body["hits"][1]
    forged = {"query_id": query_id, "rank": 1, "provider_id": "sa-00999"}
    forged["token"] = second["click_token"]  # a real token, for another hit
    assert client.post("/events/click", json=forged).status_code == 404
    click = client.post(
        "/events/click",
        json={
            "query_id": query_id,
            "rank": 1,
            "provider_id": first["id"],
            "token": first["click_token"],
        },
    )
    assert click.status_code == 202, click.json()
    writer().flush()
    wait_until(lambda: _entries(es_client, conf, _id=query_id, clicked=True), timeout=30)
    feedback = client.post("/events/feedback", json={"query_id": query_id, "comment": "leer"})
    assert feedback.status_code == 202


def test_unknown_query_id_is_404_without_side_effects(log_api: Any) -> None:
    from api.searchlog import writer

    # Only what is recorded: the background sender may still be shipping an earlier test's
    # entries ("sent", "batches" moved once in CI while these requests ran).
    before = writer().counters["recorded"]
    for query_id in (uuid.uuid4().hex + "0" * 8, "nope"):
        click = {"query_id": query_id, "rank": 1, "provider_id": "sa-00001", "token": "0" * 16}
        response = client.post("/events/click", json=click)
        assert response.status_code == 404, response.json()
        assert client.post("/events/feedback", json={"query_id": query_id}).status_code == 404
    assert writer().counters["recorded"] == before


def test_analytics_refuses_anonymous_callers(log_api: Any) -> None:
    for path in (
        "/analytics/reports/top-queries",
        "/analytics/reports/unmet-needs",
        "/analytics/log-status",
        "/analytics/reports",
    ):
        assert client.get(path).status_code == 401


def test_report_parameters_and_formats(replayed: Any, log_api: Any) -> None:
    wrong = _report("top-queries", "?since=1d&colour=blue")
    assert wrong.status_code == 422 and "colour" in wrong.json()["detail"]
    assert _report("top-queries", "?since=someday").status_code == 422
    assert _report("no-such-report").status_code == 422
    empty = _report("top-queries", "?since=2001-01-01&until=2001-02-01")
    assert empty.status_code == 200 and empty.json()["rows"] == []
    for name in (
        "top-queries",
        "zero-results",
        "low-clicks",
        "trends",
        "demand-categories",
        "demand-districts",
        "unmet-needs",
    ):
        response = _report(name, "?since=1d&format=csv")
        assert response.status_code == 200, (name, response.content[:200])
        assert response["Content-Type"].startswith("text/csv")
        assert response.content.decode().splitlines()[0].split(",")[0]
    top = _report("top-queries", "?since=1d").json()["rows"]
    assert top and top[0]["searches"] >= 1
    demand = _report("demand-categories", "?since=1d").json()["rows"]
    assert any(r["code"] == "familie/kita" for r in demand)
    assert _report("trends", "?since=1d").json()["rows"][0]["searches"] > 0


def test_retention_deletes_old_entries_and_keeps_rollups(
    services: Any, es_client: Any, settings: Any
) -> None:
    from indexer.searchlog import drop_storage, ensure_storage, write_batch
    from indexer.searchlog_intents import link_batch
    from indexer.searchlog_retention import enforce_retention

    conf = replace(
        _log_conf(), index_prefix=settings.INDEXER.index_prefix + "-retention", retention_days=90
    )
    drop_storage(es_client, conf)
    ensure_storage(es_client, conf)
    now = datetime.now(UTC)
    # "edge" typed in five sessions (kept in the roll-up), "lonely" in one (counted as rare).
    rows = [("fresh", 3, "s1"), ("old", 200, "s1"), ("lonely", 91, "s9")]
    rows += [("edge", 91, f"s{i}") for i in range(2, 7)]
    entries = [
        {
            "id": f"{name}-{session}",
            "kind": "search",
            "ts": (now - timedelta(days=age, seconds=60 * i)).isoformat(),
            "session": session,
            "normalized": name,
            "total": 0,
            "channel": "public",
        }
        for i, (name, age, session) in enumerate(rows)
    ]
    batch, updates = link_batch(entries, {}, conf)
    assert write_batch(es_client, conf, batch, updates)[:2] == (len(rows), 0)
    es_client.indices.refresh(index=conf.alias)
    try:
        result = enforce_retention(es_client, conf, now)
        es_client.indices.refresh(index=f"{conf.alias},{conf.rollup}")
        left = {h["_id"] for h in es_client.search(index=conf.alias, size=20).body["hits"]["hits"]}
        assert left == {"fresh-s1"} and result["deleted"] == len(rows) - 1
        rollups = [
            r["_source"] for r in es_client.search(index=conf.rollup, size=20).body["hits"]["hits"]
        ]
        by_text = {r["normalized"]: r for r in rollups}
        assert by_text["edge"]["searches"] == 5
        assert "lonely" not in by_text and by_text["(rare)"]["searches"] >= 1
        assert all("session" not in r for r in rollups)
    finally:
        drop_storage(es_client, conf)


def test_a_mark_that_arrives_before_its_search_is_kept(
    worker: Any, es_client: Any, settings: Any
) -> None:
    """Batches reach the worker pool out of order: feedback first, then its search."""
    from api.context import task_queue
    from indexer.searchlog import drop_storage, ensure_storage

    conf = replace(_log_conf(), index_prefix=settings.INDEXER.index_prefix + "-early")
    drop_storage(es_client, conf)
    ensure_storage(es_client, conf)
    now = datetime.now(UTC).isoformat()
    query_id = uuid.uuid4().hex
    search = {
        "id": query_id,
        "kind": "search",
        "ts": now,
        "session": "early",
        "normalized": "babysitter emergency",
        "total": 7,
        "channel": "public",
    }
    marks = [
        {"id": uuid.uuid4().hex, "kind": kind, "ts": now, "query_id": query_id}
        for kind in ("feedback", "click")
    ]
    try:
        task_queue().send_searchlog(marks, conf.index_prefix)
        wait_until(lambda: len(_entries(es_client, conf)) == 2, timeout=30)
        task_queue().send_searchlog([search], conf.index_prefix)
        wait_until(lambda: _entries(es_client, conf, _id=query_id), timeout=30)
        (entry,) = _entries(es_client, conf, _id=query_id)
        assert entry["not_helpful"] is True and entry["clicked"] is True
    finally:
        drop_storage(es_client, conf)
