"""`/suggest`, `/providers/{id}` and `/categories`."""

from __future__ import annotations

from typing import Any

import pytest
from ninja.testing import TestClient

from api.apis import api
from tests.factories import provider

client = TestClient(api)
pytestmark = pytest.mark.django_db


def test_suggest_offers_categories_and_providers(sample_index: Any) -> None:
    body = client.get("/suggest", query_params={"q": "Schul"}).json()
    kinds = {s["type"] for s in body["suggestions"]}
    assert kinds == {"category", "provider"}
    assert any(s["code"] == "geld/schuldnerberatung" for s in body["suggestions"])
    assert any(s["id"] == "demo-0030" for s in body["suggestions"])


def test_suggest_tolerates_a_typo_and_respects_the_limit(sample_index: Any) -> None:
    body = client.get("/suggest", query_params={"q": "Schuldnr", "limit": 3}).json()
    assert 0 < len(body["suggestions"]) <= 3
    assert any("Schuldner" in s["text"] for s in body["suggestions"])


def test_suggest_category_labels_in_ui_language(sample_index: Any) -> None:
    body = client.get("/suggest", query_params={"q": "Fam", "lang": "en"}).json()
    assert any(s["text"] == "Family & children" for s in body["suggestions"])


@pytest.mark.parametrize("params", [{"q": ""}, {"q": "a", "limit": 100}, {"q": "x" * 61}])
def test_suggest_validates(sample_index: Any, params: dict[str, Any]) -> None:
    assert client.get("/suggest", query_params=params).status_code == 422


def test_provider_detail_and_404() -> None:
    row = provider(name="Familienzentrum Am Park", categories=["familie/familienzentrum"])
    body = client.get(f"/providers/{row.id}", query_params={"lang": "en"}).json()
    assert body["name"] == "Familienzentrum Am Park"
    assert body["phone"] == "+493714335120" and body["phone_display"]
    assert body["categories"] == [{"code": "familie/familienzentrum", "label": "Familienzentrum"}]
    missing = client.get("/providers/nope-404")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"


def test_categories_tree_has_six_languages() -> None:
    tree = client.get("/categories").json()
    assert len(tree) == 14
    family = next(node for node in tree if node["code"] == "familie")
    assert family["labels"]["uk"] == "Сім'я та діти"
    assert {child["code"] for child in family["children"]} >= {"familie/kita", "familie/hort"}
