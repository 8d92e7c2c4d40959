"""Two processes meeting an empty cluster at once each create an index; exactly one must end
up behind the alias (two behind it would answer every search twice and stall writes)."""

from __future__ import annotations

import threading
import uuid
from dataclasses import replace
from typing import Any

import pytest
from django.conf import settings

from indexer.lifecycle import ensure_index, indices_behind

pytestmark = pytest.mark.integration


def test_concurrent_first_creations_leave_one_index_behind_the_alias(es_client: Any) -> None:
    for _ in range(5):
        conf = replace(
            settings.INDEXER,
            index_prefix=f"{settings.INDEXER.index_prefix}-race-{uuid.uuid4().hex[:6]}",
        )
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
