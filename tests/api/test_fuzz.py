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

from api.ratelimit import reset_breaker

pytestmark = pytest.mark.django_db

POSITIVE_EXAMPLES = 100
NEGATIVE_EXAMPLES = 50
MIN_CASES = 1000
# Invalid input may also be refused by the size limits (413/414) before validation.
CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            "negative_data_rejection": {
                "expected-statuses": [*NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES, "413", "414"]
            }
        }
    }
)


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
    operation: Any, mode: schemathesis.GenerationMode, examples: int, counts: dict[str, int]
) -> None:
    label = f"{operation.label} [{mode.value}]"

    @hsettings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        counts[label] = counts.get(label, 0) + 1
        case.call_and_validate()

    run()


def test_openapi_schema_fuzzing(sample_index: Any, wsgi_app: Any) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app, config=CONFIG)
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 8
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
