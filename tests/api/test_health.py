"""`GET /api/v1/health` reports each dependency; a dead one never takes the API down."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from ninja.testing import TestClient

from api.apis import api
from indexer.settings import IndexerSettings

pytestmark = pytest.mark.django_db

client = TestClient(api)


def test_health_reports_services_up(services: Any) -> None:
    response = client.get("/health")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert body["elasticsearch"]["ok"] and body["redis"]["ok"] and body["database"]["ok"]


def test_health_names_the_service_that_is_down(services: Any, settings: Any) -> None:
    dead = IndexerSettings(elasticsearch_url="http://127.0.0.1:1", index_prefix="dead", timeout=0.5)
    with override_settings(INDEXER=dead):
        response = client.get("/health")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "degraded"
    assert body["elasticsearch"]["ok"] is False and body["redis"]["ok"] is True
    with override_settings(INDEXER=dead):
        staff = client.get("/health", user=_Staff()).json()
    assert "unreachable" in staff["elasticsearch"]["detail"]


class _Staff:
    is_authenticated = True
    is_staff = True


def test_public_health_tells_no_index_names_or_counts(sample_index: Any) -> None:
    public = client.get("/health").json()
    assert public["status"] == "ok" and public["index"] is None
    assert all(public[d]["detail"] is None for d in ("elasticsearch", "redis", "database"))
    staff = client.get("/health", user=_Staff()).json()
    assert staff["index"]["documents"] > 0 and staff["index"]["indices"]
    assert staff["elasticsearch"]["detail"].startswith("cluster ")
