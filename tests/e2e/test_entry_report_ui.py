"""End to end in Chromium: "Something wrong with this entry?" on a provider page.

A stale entry shows the hint with its link to the form; the form is sent with the keyboard
(no pointer), the page thanks and the report is in the editors' queue; the page passes
axe-core in German and in Arabic (right-to-left).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_serious, shot

pytestmark = pytest.mark.integration
FILL_SECONDS = 3.5  # the form's minimum fill time (3 s by default) and a margin


@pytest.fixture(scope="module")
def stale_office(e2e_database: None, django_db_blocker: Any) -> Iterator[Any]:
    from tests.factories import provider

    with django_db_blocker.unblock():
        row = provider(name=f"Beratung alt {uuid.uuid4().hex[:6]}", updated_at="2021-02-01")
    yield row
    with django_db_blocker.unblock():
        from directory.entry_models import EntryReport

        EntryReport.objects.filter(entry_id=row.id).delete()
        row.delete()


def test_report_an_error_from_the_stale_hint(
    stale_office: Any, page: Any, server_url: str, django_db_blocker: Any
) -> None:
    page.goto(f"{server_url}/p/{stale_office.id}")
    expect(page.locator("#freshness")).to_contain_text("Februar 2021")
    hint = page.locator("#stale-hint a")
    expect(hint).to_have_attribute("href", "#entry-report")
    assert not axe_serious(page)
    hint.click()
    page.locator("#r-kind-hours").check()
    page.fill("#r-note", "Dienstags ist seit Mai geschlossen.")
    shot(page, "30-entry-report-form")
    page.wait_for_timeout(FILL_SECONDS * 1000)
    page.locator("#report-form button[type=submit]").press("Enter")
    expect(page.locator("#report-sent")).to_be_visible()
    assert not axe_serious(page)

    def stored() -> tuple[str, str, str]:  # off Playwright's event loop, as Django asks
        from directory.entry_models import EntryReport

        with django_db_blocker.unblock():
            report = EntryReport.objects.get(entry_id=stale_office.id)
            return report.kind, report.status, report.channel

    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(stored).result() == ("hours", "open", "web")

    page.goto(f"{server_url}/p/{stale_office.id}?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.wait_for_timeout(FILL_SECONDS * 1000)
    page.click("#report-form button[type=submit]")  # nothing chosen: refused in Arabic
    expect(page.locator("#report-errors")).to_contain_text("يرجى اختيار")
    assert not axe_serious(page)
    shot(page, "31-entry-report-ar-errors")
