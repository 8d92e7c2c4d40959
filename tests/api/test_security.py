"""Security: what needs a login, rate limits (and failing open), limits, deploy settings."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings as django_settings
from django.test import Client, override_settings
from elasticsearch import Elasticsearch
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from analyzers import analyze_query
from api.apis import api
from api.partners import create_key
from api.ratelimit import reset_breaker
from configuration.rates import parse_rate
from indexer.query import build_search_body, build_suggest_body
from indexer.request import Filters, SearchRequest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# Served without a login (path -> methods); everything else the API has must require one.
PUBLIC = {
    "/api/v1/health": {"get"},
    "/api/v1/search": {"get"},
    "/api/v1/suggest": {"get"},
    "/api/v1/categories": {"get"},
    "/api/v1/providers/{provider_id}": {"get"},
    # "Something wrong with this entry?": anyone may report; limited per client and entry.
    "/api/v1/providers/{provider_id}/reports": {"post"},
    # Click/feedback beacons of the public site: rate-limited, signed query ids only.
    "/api/v1/events/click": {"post"},
    "/api/v1/events/feedback": {"post"},
    # Mediated inquiries: anyone may ask; the rest needs a signed tracking or answer link.
    "/api/v1/inquiries": {"post"},
    "/api/v1/inquiries/{token}": {"get"},
    "/api/v1/inquiries/{token}/messages": {"post"},
    "/api/v1/inquiries/{token}/withdraw": {"post"},
    "/api/v1/inquiries/provider/{token}": {"get", "post"},
}
ES_SYNTAX = [
    "name:foo AND (bar",
    "*",
    "foo~2",
    '"unclosed',
    "a OR b NOT c",
    "/regex.*/",
    "field:[* TO *]",
    "\\",
    '{"query": 1}',
    "<script>",
    "😀",
    "\udcff",
]


@pytest.fixture(autouse=True)
def _fresh_breaker() -> Any:
    reset_breaker()
    yield
    reset_breaker()


def _client(ip: str) -> Client:
    return Client(REMOTE_ADDR=ip)


def test_anonymous_search_works(sample_index: Any) -> None:
    response = Client().get("/api/v1/search", {"q": "Schuldnerberatung"})
    assert response.status_code == 200
    assert response.json()["total"] > 0


@pytest.mark.parametrize(
    "path",
    ["/api/v1/health", "/api/v1/categories", "/api/v1/providers/nope", "/api/v1/openapi.json"],
)
def test_public_endpoints_need_no_login(services: Any, path: str) -> None:
    assert Client().get(path).status_code in (200, 404)


def test_every_other_operation_requires_authentication() -> None:
    schema = api.get_openapi_schema()
    checked = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            security = operation.get("security") or []
            if method in PUBLIC.get(path, ()):
                if path != "/api/v1/health":
                    assert operation.get("responses", {}).get(429), f"{path} is not rate-limited"
                continue
            assert security and {} not in security, f"{method.upper()} {path} has no auth"
            checked += 1
    assert checked >= 3  # at least the key management


def test_protected_endpoint_refuses_anonymous() -> None:
    client = Client()
    assert client.get("/api/v1/partners").status_code == 401
    assert client.post("/api/v1/partners/1/revoke").status_code == 401
    assert client.get("/admin/").status_code == 302  # the admin's login page


def test_rate_limit_answers_429_with_retry_after(services: Any, settings: Any) -> None:
    settings.RATE_LIMIT_ANON = "3/min"
    client = _client("203.0.113.10")
    statuses = [client.get("/api/v1/categories").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    limited = client.get("/api/v1/categories")
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited.json()["error"] == "too_many_requests"
    assert _client("203.0.113.11").get("/api/v1/categories").status_code == 200  # per client


@pytest.mark.parametrize("path", ["/?q=Kita", "/?q=Kita&partial=1", "/p/demo-0001"])
def test_web_pages_share_the_api_limit(sample_index: Any, settings: Any, path: str) -> None:
    settings.RATE_LIMIT_ANON = "3/min"
    client = _client(f"203.0.113.{30 + len(path)}")
    assert client.get("/api/v1/categories").status_code == 200  # one budget for both
    assert [client.get(path).status_code for _ in range(2)] == [200, 200]
    limited = client.get(path)
    assert limited.status_code == 429 and 1 <= int(limited["Retry-After"]) <= 60


def test_client_address_is_never_stored(services: Any, settings: Any) -> None:
    settings.RATE_LIMIT_ANON = "100/min"
    _client("198.51.100.77").get("/api/v1/categories")
    keys = redis.Redis.from_url(django_settings.ENDPOINTS.redis_url).keys("*")
    assert keys, "the limiter should have counted in Redis"
    assert not [k for k in keys if b"198.51.100.77" in k]
    assert any(b"ratelimit:client:" in k for k in keys)


def test_forwarded_for_is_ignored_without_trusted_proxies(services: Any, settings: Any) -> None:
    settings.RATE_LIMIT_ANON = "1/min"
    client = _client("203.0.113.20")
    assert client.get("/api/v1/categories", HTTP_X_FORWARDED_FOR="10.0.0.1").status_code == 200
    # A spoofed X-Forwarded-For does not make a new client.
    assert client.get("/api/v1/categories", HTTP_X_FORWARDED_FOR="10.0.0.2").status_code == 429


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_rate_limiting_fails_open_when_redis_is_down(sample_index: Any, settings: Any) -> None:
    settings.RATE_LIMIT_ANON = "1/min"
    dead = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    client = _client("203.0.113.30")
    with override_settings(CACHES=dead):
        for _ in range(3):
            reset_breaker()  # ask the dead Redis every time: each must fail open
            response = client.get("/api/v1/search", {"q": "Schuldnerberatung"})
            assert response.status_code == 200
            assert response.json()["total"] > 0
        # With the breaker tripped the dead cache is not even asked.
        assert client.get("/api/v1/search", {"q": "Tafel"}).status_code == 200
    # Redis is back: once the breaker is reset, the limits hold again.
    reset_breaker()
    statuses = [client.get("/api/v1/categories").status_code for _ in range(2)]
    assert statuses == [200, 429]


def test_query_string_and_body_limits(services: Any) -> None:
    client = Client()
    long = client.get("/api/v1/search?" + "q=x&" * 2000)
    assert long.status_code == 414 and long.json()["error"] == "uri_too_long"
    big = client.post(
        "/api/v1/partners",
        data=b"x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
        content_type="application/json",
    )
    assert big.status_code == 413
    many = client.get("/api/v1/search?" + "&".join(f"f{i}=1" for i in range(300)))
    assert many.status_code == 400
    assert client.get("/api/v1/search", {"size": 51}).status_code == 422  # page-size cap
    assert client.get("/api/v1/search", {"q": "x" * 501}).status_code == 422


def test_security_headers_on_https(services: Any) -> None:
    response = Client().get("/api/v1/categories", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"


@hsettings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.one_of(st.sampled_from(ES_SYNTAX), st.text(max_size=200)),
    extra=st.lists(st.text(max_size=30), max_size=3),
)
def test_no_user_text_becomes_query_syntax(text: str, extra: list[str]) -> None:
    request = SearchRequest(
        text=text, filters=Filters(category=tuple(extra), district=tuple(extra))
    )
    bodies = [
        build_search_body(request, analyze_query(text)),
        build_search_body(request, None),
        build_suggest_body(text, 8),
    ]
    for body in bodies:
        dumped = json.dumps(body)
        assert "query_string" not in dumped and "simple_query_string" not in dumped


def test_no_query_syntax_reaches_elasticsearch(sample_index: Any, monkeypatch: Any) -> None:
    """Every body the API really sends (search, did-you-mean, suggest) for hostile text."""
    sent: list[dict[str, Any]] = []
    real_search = Elasticsearch.search

    def spy(self: Elasticsearch, **kwargs: Any) -> Any:
        sent.append(kwargs)
        return real_search(self, **kwargs)

    monkeypatch.setattr(Elasticsearch, "search", spy)
    client = Client()
    for text in ES_SYNTAX[:-1]:
        assert client.get("/api/v1/search", {"q": text}).status_code == 200
        assert client.get("/api/v1/suggest", {"q": text}).status_code == 200
    assert len(sent) >= 2 * len(ES_SYNTAX[:-1])
    dumped = json.dumps(sent, default=str)
    assert "query_string" not in dumped and "simple_query_string" not in dumped


def test_rates_parse() -> None:
    assert parse_rate("120/min") == (120, 60)
    assert parse_rate("10/5s") == (10, 5)
    assert parse_rate("1000/day") == (1000, 86400)
    for bad in ("", "x/min", "10/fortnight", "0/min", "10/0s"):
        with pytest.raises(ValueError):
            parse_rate(bad)


@pytest.mark.django_db
def test_a_rate_a_key_could_not_enforce_is_refused_when_stored() -> None:
    from api.errors import ApiError

    with pytest.raises(ApiError, match="600/min"):
        create_key("Portal", ["https://portal.example"], rate="10/0s")


def _django(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return _python(["-m", "django", *args], tmp_path, **env)


def _python(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SOZIALATLAS_")}
    clean.update(
        {
            "DJANGO_SETTINGS_MODULE": "api.settings",
            "SOZIALATLAS_STATE_DIR": str(tmp_path),
            "PYTHONPATH": str(ROOT),
        },
        **env,
    )
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_in_production(tmp_path: Path) -> None:
    result = _django(
        ["check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        SOZIALATLAS_DEBUG="0",
        SOZIALATLAS_SECRET_KEY=secrets.token_urlsafe(60),
        SOZIALATLAS_ALLOWED_HOSTS="search.stadt.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_behind_a_proxy(tmp_path: Path) -> None:
    result = _django(
        ["diffsettings", "--all"],
        tmp_path,
        SOZIALATLAS_DEBUG="0",
        SOZIALATLAS_SECRET_KEY=secrets.token_urlsafe(60),
        SOZIALATLAS_TRUSTED_PROXIES="1",
    )
    assert result.returncode == 0, result.stderr
    assert "SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')" in result.stdout
    assert "NINJA_NUM_PROXIES = 1" in result.stdout


def test_default_secret_key_is_refused_without_debug(tmp_path: Path) -> None:
    # The server (api.wsgi: gunicorn, runserver) refuses to start on the default key ...
    served = _python(["-c", "import api.wsgi"], tmp_path, SOZIALATLAS_DEBUG="0")
    assert served.returncode != 0
    assert "SOZIALATLAS_SECRET_KEY must be set" in served.stderr
    # ... while CLI jobs, which sign nothing, and the demo (debug on) keep working.
    assert _django(["check"], tmp_path, SOZIALATLAS_DEBUG="0").returncode == 0
    assert _django(["check"], tmp_path, SOZIALATLAS_DEBUG="1").returncode == 0


def test_bad_rate_setting_is_refused(tmp_path: Path) -> None:
    result = _django(["check"], tmp_path, SOZIALATLAS_DEBUG="1", SOZIALATLAS_RATE_LIMIT_ANON="lots")
    assert result.returncode != 0 and "SOZIALATLAS_RATE_LIMIT_ANON" in result.stderr


def test_guessing_keys_is_answered_429(services: Any, settings: Any) -> None:
    settings.RATE_LIMIT_BAD_KEYS = "3/min"
    guesser = _client("203.0.113.61")
    headers = {"X-Api-Key": "sa_" + "0" * 40}
    statuses = [guesser.get("/api/v1/categories", headers=headers).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    analytics = guesser.get("/api/v1/analytics/reports", headers=headers)
    assert analytics.status_code == 429  # analyst keys count in the same budget
    assert _client("203.0.113.62").get("/api/v1/categories", headers=headers).status_code == 401
    assert guesser.get("/api/v1/categories").status_code == 200  # without a key: the public


def test_admin_login_is_locked_after_repeated_failures(services: Any, settings: Any) -> None:
    from django.contrib.auth.models import User

    User.objects.create_superuser("editor", password="right-horse-battery")
    settings.AXES_FAILURE_LIMIT = 3
    attacker = _client("203.0.113.71")
    wrong = {"username": "editor", "password": "wrong"}
    statuses = [attacker.post("/admin/login/", wrong).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]  # the form again twice, then locked
    right = {"username": "editor", "password": "right-horse-battery"}
    assert attacker.post("/admin/login/", right).status_code == 429  # even the right password
    other = _client("203.0.113.72")  # the editor at their own desk is not locked out
    assert other.post("/admin/login/", right).status_code == 302


HOSTILE_QUERIES = [
    '=HYPERLINK("http://evil.example")',
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\u202eSchulden\u202c",
    "%00%ff%fe",
    "Schulden\x00Beratung",
    "🙂" * 300,
    "a" * 5000,
    '{"query": {"match_all": {}}}',
    "Kita~~~^^^***???",
    "ﷺ" * 50,
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
@pytest.mark.parametrize("path", ["/api/v1/search", "/api/v1/suggest", "/"])
def test_hostile_queries_get_an_answer_never_a_500(
    sample_index: Any, path: str, query: str
) -> None:
    response = _client("203.0.113.90").get(path, {"q": query})
    assert response.status_code in (200, 400, 414, 422), response.content[:200]
    if path == "/":  # the page escapes what it echoes
        assert "<script>alert(1)" not in response.content.decode()
    else:  # JSON echoes the text as a string, served as JSON, never as HTML
        assert response["Content-Type"].startswith("application/json")


def test_invalid_utf8_in_the_query_string_is_a_clear_answer(sample_index: Any) -> None:
    for path in ("/api/v1/search?q=%ED%A0%80Kita", "/api/v1/search?q=%FF%FE", "/?q=%C3"):
        assert _client("203.0.113.91").get(path).status_code in (200, 400, 422)
