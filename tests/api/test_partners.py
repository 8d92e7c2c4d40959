"""Partner keys: hashed storage, per-partner CORS, revocation, the CLI and the staff API."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import pytest
from django.test import Client, RequestFactory

from api.auth import OriginNotAllowed, PartnerKey, normalize_origin
from api.errors import ApiError
from api.partners import create_key, list_keys, revoke_key
from api.ratelimit import reset_breaker
from directory.models import ApiKey
from sozialatlas.cli import main

pytestmark = pytest.mark.django_db

PORTAL = "https://portal.caritas.example"
OTHER = "https://other.example"


@pytest.fixture(autouse=True)
def _fresh_breaker() -> None:
    reset_breaker()


@pytest.fixture()
def partner() -> tuple[ApiKey, str]:
    return create_key("Caritas Portal", [PORTAL])


def _search(
    client: Client,
    key: str | None = None,
    origin: str | None = None,
    path: str = "/api/v1/search?q=Schuldnerberatung",
) -> Any:
    headers: dict[str, str] = {}
    if key is not None:
        headers["X-Api-Key"] = key
    if origin is not None:
        headers["Origin"] = origin
    return client.get(path, headers=headers)


def test_only_the_hash_of_a_key_is_stored(partner: tuple[ApiKey, str]) -> None:
    row, key = partner
    assert key.startswith("sa_") and len(key) >= 40
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    stored = json.dumps(list(ApiKey.objects.values()), default=str)
    assert key not in stored
    assert row.key_prefix == key[:10]


@pytest.mark.parametrize(
    "origin",
    [
        "http://portal.example.org",
        "https://*.example.org",
        "https://portal.example.org/app",
        "portal.example.org",
        "ftp://portal.example.org",
        "https://user@portal.example.org",
    ],
)
def test_bad_origins_are_refused(origin: str) -> None:
    with pytest.raises(ApiError):
        create_key("X", [origin])


def test_origins_are_normalised() -> None:
    assert normalize_origin("HTTPS://Portal.Example.org:443/") == "https://portal.example.org"
    assert normalize_origin("https://portal.example.org:8443") == "https://portal.example.org:8443"
    assert normalize_origin("http://localhost:3000") == "http://localhost:3000"


@pytest.mark.parametrize(
    ("origins", "rate", "kind"),
    [
        ([], "", "partner"),  # a partner needs an origin
        ([PORTAL], "", "analyst"),  # analysts take none
        ([PORTAL], "lots", "partner"),  # not a rate
        ([PORTAL], "0/min", "partner"),
    ],
)
def test_invalid_keys_are_refused(origins: list[str], rate: str, kind: str) -> None:
    with pytest.raises(ApiError):
        create_key("X", origins, rate, kind)


def test_partner_key_from_its_origin_gets_cors(
    sample_index: Any, partner: tuple[ApiKey, str]
) -> None:
    _, key = partner
    response = _search(Client(), key, PORTAL)
    assert response.status_code == 200, response.content
    assert response.json()["total"] > 0
    assert response["Access-Control-Allow-Origin"] == PORTAL
    assert "Origin" in response["Vary"]
    assert "Access-Control-Allow-Credentials" not in response


def test_partner_key_works_for_suggest_and_server_side(
    sample_index: Any, partner: tuple[ApiKey, str]
) -> None:
    _, key = partner
    suggest = _search(Client(), key, PORTAL, "/api/v1/suggest?q=Schul")
    assert suggest.status_code == 200 and suggest["Access-Control-Allow-Origin"] == PORTAL
    server_side = _search(Client(), key)  # no Origin: a partner's backend
    assert server_side.status_code == 200
    assert "Access-Control-Allow-Origin" not in server_side


def test_foreign_origin_gets_no_cors_allowance(
    sample_index: Any, partner: tuple[ApiKey, str]
) -> None:
    _, key = partner
    response = _search(Client(), key, OTHER)
    assert response.status_code == 403
    assert response.json()["error"] == "origin_not_allowed"
    assert "Access-Control-Allow-Origin" not in response


def test_another_partners_origin_is_foreign(sample_index: Any, partner: tuple[ApiKey, str]) -> None:
    create_key("Diakonie", [OTHER])
    _, key = partner
    response = _search(Client(), key, OTHER)
    assert response.status_code == 403 and "Access-Control-Allow-Origin" not in response


def test_anonymous_calls_work_without_cors_allowance(
    sample_index: Any, partner: tuple[ApiKey, str]
) -> None:
    response = _search(Client(), None, PORTAL)  # a partner origin, but no key
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_public_origins_are_allowed_anonymously(sample_index: Any, settings: Any) -> None:
    settings.CORS_PUBLIC_ORIGINS = ["https://www.stadt.example"]
    response = _search(Client(), None, "https://www.stadt.example")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "https://www.stadt.example"


def test_preflight_only_for_partner_origins(partner: tuple[ApiKey, str]) -> None:
    client = Client()
    headers = {
        "Origin": PORTAL,
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "x-api-key",
    }
    allowed = client.options("/api/v1/suggest?q=a", headers=headers)
    assert allowed.status_code == 204
    assert allowed["Access-Control-Allow-Origin"] == PORTAL
    assert "X-Api-Key" in allowed["Access-Control-Allow-Headers"]
    assert allowed["Access-Control-Allow-Methods"] == "GET, OPTIONS"
    foreign = client.options("/api/v1/suggest?q=a", headers={**headers, "Origin": OTHER})
    assert "Access-Control-Allow-Origin" not in foreign
    post = client.options(
        "/api/v1/suggest", headers={**headers, "Access-Control-Request-Method": "POST"}
    )
    assert "Access-Control-Allow-Origin" not in post
    admin = client.options("/api/v1/partners", headers=headers)
    assert "Access-Control-Allow-Origin" not in admin
    # The widget reports a picked service: a POST with a JSON body to /events/ only.
    click = client.options(
        "/api/v1/events/click",
        headers={**headers, "Access-Control-Request-Method": "POST"},
    )
    assert click["Access-Control-Allow-Origin"] == PORTAL
    assert click["Access-Control-Allow-Methods"] == "POST, OPTIONS"
    assert "Content-Type" in click["Access-Control-Allow-Headers"]
    assert "X-Search-Session" in allowed["Access-Control-Allow-Headers"]


def test_revoked_key_is_refused_at_once(sample_index: Any, partner: tuple[ApiKey, str]) -> None:
    row, key = partner
    assert _search(Client(), key, PORTAL).status_code == 200
    revoke_key(row.id)
    response = _search(Client(), key, PORTAL)
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    assert "Access-Control-Allow-Origin" not in response


def test_unknown_or_analyst_key_is_401_not_anonymous(sample_index: Any) -> None:
    assert _search(Client(), "sa_not-a-real-key").status_code == 401
    assert _search(Client(), "").status_code == 401
    _, analyst = create_key("Analyse", kind="analyst")
    assert _search(Client(), analyst).status_code == 401


def test_partner_is_on_the_request_for_the_search_log(partner: tuple[ApiKey, str]) -> None:
    row, key = partner
    request = RequestFactory().get("/api/v1/search", headers={"X-Api-Key": key, "Origin": PORTAL})
    assert PartnerKey()(request) == row
    assert request.partner == row  # type: ignore[attr-defined]
    foreign = RequestFactory().get("/api/v1/search", headers={"X-Api-Key": key, "Origin": OTHER})
    with pytest.raises(OriginNotAllowed):
        PartnerKey()(foreign)


def test_partner_rate_limit_is_per_key(sample_index: Any, settings: Any) -> None:
    _, slow = create_key("Slow", [PORTAL], rate="2/min")
    _, other = create_key("Other", [PORTAL])
    client = Client()
    path = "/api/v1/categories"
    assert [_search(client, slow, PORTAL, path).status_code for _ in range(2)] == [200, 200]
    limited = _search(client, slow, PORTAL, path)
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited["Access-Control-Allow-Origin"] == PORTAL  # the portal can read the 429
    assert _search(client, other, PORTAL, path).status_code == 200


def test_a_key_sent_without_its_origin_gets_the_public_rate(
    sample_index: Any, settings: Any
) -> None:
    # The key sits in the partner's page: curl with it must not spend the partner's quota.
    settings.RATE_LIMIT_ANON = "2/min"
    _, key = create_key("Bound", [PORTAL], rate="100/min")
    client = Client()
    path = "/api/v1/categories"
    assert [_search(client, key, None, path).status_code for _ in range(3)] == [200, 200, 429]
    assert _search(client, key, PORTAL, path).status_code == 200  # the portal is unharmed


def test_one_client_cannot_use_up_a_partners_quota(sample_index: Any, settings: Any) -> None:
    settings.RATE_LIMIT_PARTNER_CLIENT = "2/min"
    _, key = create_key("Shared", [PORTAL], rate="100/min")
    path = "/api/v1/categories"
    greedy = Client(REMOTE_ADDR="203.0.113.7")
    assert [_search(greedy, key, PORTAL, path).status_code for _ in range(3)] == [200, 200, 429]
    visitor = Client(REMOTE_ADDR="198.51.100.9")
    assert _search(visitor, key, PORTAL, path).status_code == 200


def test_cli_create_list_revoke(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "partners",
                "create",
                "Beratungsportal Nord",
                "--origin",
                PORTAL,
                "--origin",
                "https://nord.example",
                "--rate",
                "300/min",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    key = re.search(r"^key\s+(sa_\S+)$", out, re.M)
    assert key is not None, out
    row = ApiKey.objects.get(name="Beratungsportal Nord")
    assert row.origins == [PORTAL, "https://nord.example"] and row.rate == "300/min"

    assert main(["partners", "list"]) == 0
    listing = capsys.readouterr().out
    assert "Beratungsportal Nord" in listing and key.group(1) not in listing
    assert row.key_prefix in listing and "active" in listing

    assert main(["partners", "revoke", str(row.id)]) == 0
    capsys.readouterr()
    assert main(["partners", "list"]) == 0
    assert "revoked" in capsys.readouterr().out
    assert [k.id for k in list_keys(include_revoked=False)] == []


def test_cli_refuses_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["partners", "create", "X", "--origin", "http://insecure.example"]) == 1
    assert "https" in capsys.readouterr().err
    assert main(["partners", "revoke", "999999"]) == 1
    assert "no key" in capsys.readouterr().err


def test_key_management_api_needs_staff(django_user_model: Any) -> None:
    client = Client()
    assert client.get("/api/v1/partners").status_code == 401
    assert (
        client.post(
            "/api/v1/partners", {"name": "X", "origins": [PORTAL]}, content_type="application/json"
        ).status_code
        == 401
    )
    user = django_user_model.objects.create_user("editor", password="pw-123456789")
    client.force_login(user)
    assert client.get("/api/v1/partners").status_code == 401  # logged in, but not staff
    _, analyst = create_key("Analyse", kind="analyst")
    assert Client().get("/api/v1/partners", headers={"X-Api-Key": analyst}).status_code == 401


def test_key_management_api_for_staff(django_user_model: Any) -> None:
    staff = django_user_model.objects.create_user("admin", password="pw-123456789", is_staff=True)
    client = Client()
    client.force_login(staff)
    created = client.post(
        "/api/v1/partners",
        {"name": "Portal", "origins": [PORTAL + "/"], "rate": "100/min"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["key"].startswith("sa_") and body["origins"] == [PORTAL]
    listing = client.get("/api/v1/partners").json()
    assert [k["name"] for k in listing] == ["Portal"] and "key" not in listing[0]
    bad = client.post(
        "/api/v1/partners",
        {"name": "X", "origins": ["http://x.example"]},
        content_type="application/json",
    )
    assert bad.status_code == 400
    revoked = client.post(f"/api/v1/partners/{body['id']}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert client.post("/api/v1/partners/424242/revoke").status_code == 404
