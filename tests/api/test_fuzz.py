"""Schemathesis against the served OpenAPI document: every operation, all default checks.

The API runs in-process as the real WSGI application (all middleware, the real
Elasticsearch with the sample index, the real Redis); no server error and no answer that
contradicts the schema is allowed, for valid and for invalid (negative) input alike.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis.errors import Unsatisfiable
from schemathesis.config._checks import NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES
from schemathesis.specs.openapi.checks import ignored_auth

from api.ratelimit import reset_breaker

pytestmark = pytest.mark.django_db

POSITIVE_EXAMPLES = 100
NEGATIVE_EXAMPLES = 50
MIN_CASES = 1000
# Invalid input may also be refused by the size limits (413/414) before validation.
CONFIG_CHECKS = {
    "negative_data_rejection": {
        "expected-statuses": [*NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES, "413", "414"]
    }
}
CONFIG = schemathesis.Config.from_dict({"checks": CONFIG_CHECKS})


@pytest.fixture()
def wsgi_app() -> Any:
    # As Django's test client does: keep the test's database connection across requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    reset_breaker()
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _fuzz(
    operation: Any,
    mode: schemathesis.GenerationMode,
    examples: int,
    counts: dict[str, int],
    auth: tuple[dict[str, str], dict[str, str]] | None = None,
    statuses: dict[int, int] | None = None,
) -> None:
    """``auth``: (headers, cookies) of a signed-in role, laid over what is generated."""
    label = f"{operation.label} [{mode.value}]"

    @hsettings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        counts[label] = counts.get(label, 0) + 1
        excluded = []
        if auth is not None:
            case.headers = {**(case.headers or {}), **auth[0]}
            case.cookies = {**(case.cookies or {}), **auth[1]}
            excluded = [ignored_auth]  # it probes with broken credentials; ours stay valid
        response = case.call_and_validate(excluded_checks=excluded)
        if statuses is not None:
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

    run()


# The HSDS profile's search cannot combine with modified_after or a postcode alone (the
# search service has no such filters): a documented 400 that no OpenAPI schema can express.
HSDS_CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            **CONFIG_CHECKS,
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409", "429"]
            },
        }
    }
)


@pytest.mark.parametrize(
    ("document", "least_operations"),
    [("/api/v1/openapi.json", 8), ("/hsds/openapi.json", 11)],  # our API; the HSDS profile
)
def test_openapi_schema_fuzzing(
    sample_index: Any, wsgi_app: Any, document: str, least_operations: int
) -> None:
    config = HSDS_CONFIG if document.startswith("/hsds/") else CONFIG
    schema = schemathesis.openapi.from_wsgi(document, wsgi_app, config=config)
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= least_operations
    counts: dict[str, int] = {}
    failures: list[str] = []
    for operation in operations:
        for mode, examples in (
            (schemathesis.GenerationMode.POSITIVE, POSITIVE_EXAMPLES),
            (schemathesis.GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES),
        ):
            try:
                _fuzz(operation, mode, examples, counts)
            except Unsatisfiable:  # no invalid input exists (an operation without parameters)
                assert mode is schemathesis.GenerationMode.NEGATIVE, operation.label
            except (Exception, BaseExceptionGroup) as exc:  # report all, not only the first
                failures.append(f"{operation.label} [{mode.value}]: {exc}")
    total = sum(counts.values())
    print(f"schemathesis: {total} cases over {len(operations)} operations", counts)
    assert not failures, "\n\n".join(failures)
    assert total >= MIN_CASES, counts


ROLE_CASES = 1000  # per role, over the operations that role may call
CSRF = "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz"  # 32 characters: an unmasked CSRF secret


def _credentials(role: str) -> tuple[tuple[dict[str, str], dict[str, str]], tuple[str, ...]]:
    """(headers, cookies) that authenticate ``role``, and the path prefixes it may call."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from api.partners import create_key
    from directory.inquiry_roles import ANALYST_GROUP
    from directory.models import ApiKey

    if role == "analyst":
        _, key = create_key("Fuzzing analyst", kind=ApiKey.Kind.ANALYST)
        return ({"X-Api-Key": key}, {}), ("/api/v1/analytics",)
    user = get_user_model().objects.create_user("fuzz-staff", password="x" * 20, is_staff=True)
    # The analysts' role (created by migrate): the inquiry figures are theirs to read.
    user.groups.add(Group.objects.get(name=ANALYST_GROUP))
    client = Client()
    client.force_login(user)
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}
    return ({"X-CSRFToken": CSRF}, cookies), ("/api/v1/analytics", "/api/v1/partners")


@pytest.mark.parametrize("role", ["analyst", "staff"])
def test_authenticated_endpoints_are_fuzzed_as_their_role(
    sample_index: Any, wsgi_app: Any, role: str
) -> None:
    auth, prefixes = _credentials(role)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app, config=CONFIG)
    every = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    operations = [op for op in every if op.full_path.startswith(prefixes)]
    assert operations, "no operation for this role"
    per_operation = ROLE_CASES // len(operations) + 1
    counts: dict[str, int] = {}
    statuses: dict[int, int] = {}
    failures: list[str] = []
    for operation in operations:
        for mode, examples in (
            (schemathesis.GenerationMode.POSITIVE, per_operation),
            (schemathesis.GenerationMode.NEGATIVE, per_operation // 2),
        ):
            try:
                _fuzz(operation, mode, examples, counts, auth, statuses)
            except Unsatisfiable:
                assert mode is schemathesis.GenerationMode.NEGATIVE, operation.label
            except (Exception, BaseExceptionGroup) as exc:
                failures.append(f"{operation.label} [{mode.value}]: {exc}")
    total = sum(counts.values())
    print(f"schemathesis as {role}: {total} cases", counts, statuses)
    assert not failures, "\n\n".join(failures)
    assert total >= ROLE_CASES, counts
    assert statuses.get(401, 0) + statuses.get(403, 0) < total / 10, statuses  # really signed in
