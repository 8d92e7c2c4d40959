"""The CPU accounting of `sozialatlas bench latency` reads the real cluster."""

from __future__ import annotations

import time
from typing import Any

import pytest

from sozialatlas.bench.cpu import es_cpu_seconds

pytestmark = pytest.mark.integration


def test_elasticsearch_reports_process_cpu_that_grows_with_work(es_client: Any) -> None:
    before = es_cpu_seconds(es_client)
    assert before is not None and before > 0
    deadline = time.monotonic() + 3.0  # the node refreshes the figure about once a second
    after = before
    while time.monotonic() < deadline and after <= before:
        for _ in range(50):
            es_client.cluster.health()
        after = es_cpu_seconds(es_client) or 0.0
    assert after > before
