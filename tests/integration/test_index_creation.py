"""Two processes meeting an empty cluster at once each create an index; exactly one must end
up behind the alias (two behind it would answer every search twice and stall writes). A write
that names an index dropped meanwhile must fail, not create it with mappings Elasticsearch
guesses (a benchmark killed mid-run, a test emptying the search log while the server logs):
the project's services refuse automatic creation, and only the search log's template allows
its month indices."""

from __future__ import annotations

import threading
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from django.conf import settings

from indexer.bulk import build_actions, send
from indexer.lifecycle import ensure_index, indices_behind
from indexer.searchlog import SearchLogSettings, drop_storage, ensure_storage, write_batch

pytestmark = pytest.mark.integration


def _prefix(what: str) -> str:
    """This run's index prefix with a fresh suffix: each test's indices its own."""
    return f"{settings.INDEXER.index_prefix}-{what}-{uuid.uuid4().hex[:6]}"


def test_concurrent_first_creations_leave_one_index_behind_the_alias(es_client: Any) -> None:
    for _ in range(5):
        conf = replace(settings.INDEXER, index_prefix=_prefix("race"))
        start = threading.Barrier(3)
        chosen: list[str] = []

        def create(conf: Any = conf, start: Any = start, chosen: list[str] = chosen) -> None:
            start.wait()
            chosen.append(ensure_index(es_client, conf))

        workers = [threading.Thread(target=create) for _ in range(3)]
        try:
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join(timeout=60)
            behind = indices_behind(es_client, conf.alias)
            assert len(behind) == 1, behind
            assert set(chosen) == set(behind)  # every caller was told the index that stayed
            created = es_client.indices.get(index=f"{conf.index_prefix}-providers-v*").body
            assert sorted(created) == behind  # the losers removed their own
        finally:
            es_client.indices.delete(index=f"{conf.index_prefix}-*", ignore_unavailable=True)


def test_a_write_to_a_dropped_index_fails_and_creates_nothing(es_client: Any) -> None:
    conf = replace(settings.INDEXER, index_prefix=_prefix("dropped"))
    name = ensure_index(es_client, conf)
    try:
        es_client.indices.delete(index=name)
        result = send(es_client, build_actions([name], [{"id": "p1", "revision": 1}]))
        assert result.indexed == 0 and [doc for doc, _ in result.failures] == ["p1"]
        assert not es_client.indices.exists(index=name)
    finally:
        es_client.indices.delete(index=f"{conf.index_prefix}-*", ignore_unavailable=True)


def test_only_the_search_log_template_lets_a_write_create_its_month_index(es_client: Any) -> None:
    conf = SearchLogSettings(index_prefix=_prefix("log"))
    entry = {"id": "q1", "kind": "search", "ts": "2026-03-01T12:00:00+00:00", "total": 0}
    month = conf.index_for(datetime(2026, 3, 1, tzinfo=UTC))
    try:
        assert write_batch(es_client, conf, [dict(entry)])[:2] == (0, 1)  # no template yet
        assert not es_client.indices.exists(index=month)
        ensure_storage(es_client, conf)
        assert write_batch(es_client, conf, [dict(entry)])[:2] == (1, 0)
        mapping = es_client.indices.get_mapping(index=month).body[month]["mappings"]
        assert mapping["dynamic"] == "strict"  # the template's mappings, not guessed ones
    finally:
        drop_storage(es_client, conf)
