"""The served OpenAPI document tells the truth, and regressions the fuzzing found."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from api.search_models import NEAR_PATTERN

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock():
        response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_errors_are_documented(schema: Any) -> None:
    assert "Error" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            for status in ("400", "414", "422", "503"):
                assert status in responses, (method, path, status)
            if operation.get("security"):
                assert {"401", "403"} <= set(responses), (method, path)


def test_public_endpoints_document_optional_partner_key(schema: Any) -> None:
    for path in ("/api/v1/search", "/api/v1/suggest"):
        operation = schema["paths"][path]["get"]
        assert operation["security"] == [{}, {"PartnerKey": []}]
        assert "429" in operation["responses"]
    scheme = schema["components"]["securitySchemes"]["PartnerKey"]
    assert scheme == {"type": "apiKey", "in": "header", "name": "X-Api-Key"}


@pytest.mark.parametrize(
    ("near", "valid"),
    [
        ("52.13,11.62", True),
        ("90,180", True),
        ("-90.0,-180.0", True),
        ("0,0", True),
        ("8,-771", False),  # found by Schemathesis: the schema allowed it, the API said 422
        ("91,0", False),
        ("0,180.5", False),
        ("52.1", False),
    ],
)
def test_near_pattern_promises_only_what_the_api_accepts(
    near: str, valid: bool, sample_index: Any
) -> None:
    assert bool(re.match(NEAR_PATTERN, near)) is valid
    response = Client().get("/api/v1/search", {"near": near})
    assert (response.status_code == 200) is valid, response.content


def test_too_long_query_is_a_documented_414(services: Any, schema: Any) -> None:
    # Found by Schemathesis: 414 from the size limit was an undocumented status.
    assert "414" in schema["paths"]["/api/v1/search"]["get"]["responses"]
    response = Client().get("/api/v1/search?" + "district=abcdefghij&" * 400)
    assert response.status_code == 414
    assert response.json()["error"] == "uri_too_long"


@pytest.mark.parametrize("q", ["o\x1fi", "\x1e", "a\x00b", "Schul\x1f", "\r\n\t"])
def test_control_characters_in_suggest_are_not_a_server_error(q: str, sample_index: Any) -> None:
    # Found by Schemathesis: U+001F made the completion suggester answer 400, the API 500.
    response = Client().get("/api/v1/suggest", {"q": q})
    assert response.status_code == 200, response.content
