"""Edits flow from the database through a real Celery worker into Elasticsearch."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings

from indexer.bulk import build_actions, send
from indexer.lifecycle import ensure_index
from tests.conftest import wait_until
from tests.factories import provider, rename

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _get(es: Any, doc_id: str) -> dict[str, Any] | None:
    es.indices.refresh(index=settings.INDEXER.alias)
    response = es.options(ignore_status=404).get(index=settings.INDEXER.alias, id=doc_id)
    return response.body["_source"] if response.body.get("found") else None


def _search_ids(es: Any, text: str) -> list[str]:
    response = es.search(index=settings.INDEXER.alias, query={"match": {"name": text}}, size=50)
    return [hit["_id"] for hit in response.body["hits"]["hits"]]


@pytest.fixture()
def index(es_client: Any) -> str:
    return ensure_index(es_client, settings.INDEXER)


def test_saved_provider_is_searchable_within_two_seconds(
    worker: Any, es_client: Any, index: str
) -> None:
    row = provider(name="Familienzentrum Zwergenland")
    started = time.monotonic()
    wait_until(lambda: row.id in _search_ids(es_client, "Zwergenland"), timeout=2.0, interval=0.05)
    assert time.monotonic() - started < 2.0


def test_edit_replaces_the_document(worker: Any, es_client: Any, index: str) -> None:
    row = provider(name="Tafel Ausgabestelle Nord")
    wait_until(lambda: _get(es_client, row.id))
    rename(row, "Tafel Ausgabestelle Hilbersdorf")
    wait_until(lambda: (_get(es_client, row.id) or {}).get("name") == row.name, timeout=2.0)
    assert _get(es_client, row.id)["revision"] == row.revision  # type: ignore[index]


def test_delete_disappears(worker: Any, es_client: Any, index: str) -> None:
    row = provider(name="Kleiderkammer Gablenz")
    provider_id = row.id
    wait_until(lambda: _get(es_client, provider_id))
    row.delete()
    wait_until(lambda: _get(es_client, provider_id) is None, timeout=2.0)


def test_older_revision_delivered_late_does_not_win(
    worker: Any, es_client: Any, index: str
) -> None:
    row = provider(name="Seniorentreff Kaßberg")
    wait_until(lambda: _get(es_client, row.id))
    current = _get(es_client, row.id)
    assert current is not None
    stale = {**current, "id": row.id, "name": "Seniorentreff ALT", "revision": row.revision - 1}
    result = send(es_client, build_actions([index], [stale]), refresh=True)
    assert result.stale == 1 and result.indexed == 0
    assert _get(es_client, row.id)["name"] == "Seniorentreff Kaßberg"  # type: ignore[index]


def test_same_revision_twice_is_harmless(worker: Any, es_client: Any, index: str) -> None:
    row = provider(name="Jugendclub Heckert")
    wait_until(lambda: _get(es_client, row.id))
    doc = _get(es_client, row.id)
    assert doc is not None
    result = send(es_client, build_actions([index], [{**doc, "id": row.id}]), refresh=True)
    assert result.failures == [] and result.indexed + result.stale == 1


def test_edit_reaches_api_answers_within_two_seconds(
    worker: Any, es_client: Any, index: str
) -> None:
    """Reused answers (api.answers) never hide an edit for longer than the 2 s promise."""
    from django.core.cache import caches
    from ninja.testing import TestClient

    from api.answers import search_answers
    from api.apis import api
    from directory.writeclock import WRITE_CLOCK_KEY

    client = TestClient(api)
    row = provider(name="Nachbarschaftshilfe Morgenröte")
    wait_until(lambda: _get(es_client, row.id))

    def names() -> list[str]:
        body = client.get("/search", query_params={"q": "Nachbarschaftshilfe"}).json()
        return [hit["name"] for hit in body["hits"]]

    # Settled: answers are reused from now on, so none computed before this row existed
    # (an earlier test's search for the same word) may be left to reuse.
    caches["default"].set(WRITE_CLOCK_KEY, time.time() - 60, timeout=None)
    search_answers.clear()
    assert names() == names() == [row.name]
    assert search_answers.hits >= 1  # the answer is being reused
    rename(row, "Nachbarschaftshilfe Abendrot")
    started = time.monotonic()
    wait_until(lambda: names() == [row.name], timeout=2.0, interval=0.05)
    assert time.monotonic() - started < 2.0


def test_a_rebuild_batch_for_a_dropped_index_does_not_recreate_it(
    es_client: Any, index: str
) -> None:
    from workers.tasks import index_providers

    row = provider(name="Beratungsstelle Nachzügler")
    gone = f"{settings.INDEXER.index_prefix}-providers-v1"  # never built, or dropped since
    assert index_providers([row.id], gone) == {"skipped": 1}
    assert not es_client.indices.exists(index=gone)
    assert index_providers([row.id], index)["indexed"] == 1  # the live index is filled


def test_a_renamed_organisation_is_renamed_in_every_record_of_it(
    worker: Any, es_client: Any, index: str
) -> None:
    rows = [provider(organization="Verein Brücke", name=f"Brücke Angebot {n}") for n in (1, 2)]
    for row in rows:
        wait_until(lambda row=row: _get(es_client, row.id), timeout=5.0)
    org = rows[0].service.organization
    org.name = "Brücke e.V."
    org.save()  # as in the admin: both records get new revisions and are re-indexed

    def renamed() -> bool:
        return all((_get(es_client, r.id) or {}).get("organization") == org.name for r in rows)

    wait_until(renamed, timeout=5.0, interval=0.05)
    for row in rows:
        row.refresh_from_db()
        assert _get(es_client, row.id)["revision"] == row.revision  # type: ignore[index]


def test_a_service_that_closes_leaves_the_index(worker: Any, es_client: Any, index: str) -> None:
    row = provider(name="Schließt bald")
    wait_until(lambda: _get(es_client, row.id), timeout=5.0)
    service = row.service
    service.status = "temporarily closed"
    service.save()
    wait_until(lambda: _get(es_client, row.id) is None, timeout=5.0, interval=0.05)
    service.status = "active"
    service.save()  # open again: a newer revision than the delete's
    wait_until(lambda: _get(es_client, row.id), timeout=5.0, interval=0.05)
