"""A report over a cluster that is away is a 503 (SearchUnavailable), never a raw 500."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from elasticsearch import Elasticsearch

from indexer.errors import SearchUnavailable
from indexer.report_queries import ReportRange
from indexer.reports import REPORTS, run_report
from indexer.searchlog import SearchLogSettings
from tests.settings import free_port


@pytest.mark.parametrize("name", REPORTS)
def test_every_report_says_the_cluster_is_unavailable(name: str) -> None:
    es = Elasticsearch(f"http://127.0.0.1:{free_port()}", request_timeout=0.5, max_retries=0)
    now = datetime.now(UTC)
    rng = ReportRange(now - timedelta(days=30), now)
    with pytest.raises(SearchUnavailable, match="unreachable"):
        run_report(es, SearchLogSettings(index_prefix="test-unreachable"), name, rng)
