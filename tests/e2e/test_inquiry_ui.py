"""End to end in Chromium: ask a service, the provider answers by the mailed link, the person
sees the reply; the pages pass axe-core, the Arabic form is right-to-left.

The provider is committed to the test database before the browser starts (Django refuses
database calls while Playwright's loop runs); the mail goes through a real Celery worker to
this run's SMTP server, and the answer link is read from the received message.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import wait_until
from tests.e2e.conftest import shot

pytestmark = pytest.mark.integration
ANSWER_LINK = re.compile(r"https?://[^/\s]+(/antwort/\S+)")
MESSAGE = "Ich brauche Hilfe mit einem Brief vom Jobcenter, bitte bald."
FILL_SECONDS = 3.5  # the form's minimum fill time (3 s by default) and a margin


@pytest.fixture(scope="module")
def office(e2e_database: None, django_db_blocker: Any) -> Iterator[Any]:
    from tests.factories import provider

    with django_db_blocker.unblock():
        row = provider(email=f"e2e-{uuid.uuid4().hex[:8]}@example.org", name="Beratung E2E")
    yield row
    with django_db_blocker.unblock():
        row.delete()


def _axe_serious(page: Any) -> list[Any]:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    result = Axe().run(page)
    return [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in result.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def test_ask_a_service_and_see_the_reply(
    office: Any, worker: Any, mail_store: Any, page: Any, server_url: str
) -> None:
    page.goto(f"{server_url}/p/{office.id}")
    assert not _axe_serious(page)
    page.fill("#f-message", MESSAGE)
    page.fill("#f-contact_email", "person-e2e@example.org")
    page.check("#f-consent")
    shot(page, "20-inquiry-form")
    page.wait_for_timeout(FILL_SECONDS * 1000)
    page.click("#inquiry-form button[type=submit]")
    page.wait_for_url(re.compile(r"/anfrage/"))
    expect(page.locator(".done")).to_be_visible()
    tracking = page.url.split("?")[0]
    assert not _axe_serious(page)

    mail = wait_until(lambda: mail_store.to(office.email), timeout=20.0)[-1]
    answer = ANSWER_LINK.search(mail_store.text(mail)).group(1)  # type: ignore[union-attr]
    page.goto(server_url + answer)
    expect(page.locator("#status")).to_have_attribute("data-status", "read")
    expect(page.locator("#message")).to_contain_text(MESSAGE)
    assert not _axe_serious(page)
    page.fill("#f-reply", "Rufen Sie uns morgen an.")
    page.click("section[aria-labelledby=sec-reply] button[type=submit]")
    expect(page.locator(".done")).to_be_visible()

    page.goto(tracking)
    expect(page.locator(".notes")).to_contain_text("Rufen Sie uns morgen an.")
    shot(page, "21-tracking-reply")

    page.goto(f"{server_url}/p/{office.id}?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.wait_for_timeout(FILL_SECONDS * 1000)
    page.click("#inquiry-form button[type=submit]")  # empty: the refusals in Arabic
    expect(page.locator("#inquiry-errors")).to_contain_text("يرجى")
    assert not _axe_serious(page)
    shot(page, "22-inquiry-form-ar-errors")
