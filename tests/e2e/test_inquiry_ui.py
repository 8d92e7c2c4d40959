"""End to end in Chromium: find a service by searching, ask it, the provider answers by the
mailed link, the person sees the reply; a decline offers similar services and re-sends in
one click; the pages pass axe-core, the Arabic form is right-to-left.

The providers are committed to the test database before the browser starts (Django refuses
database calls while Playwright's loop runs) and indexed into the index the server searches
(the sample's), so the search finds them; the mail goes through a real Celery worker to
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
from tests.e2e.conftest import axe_serious, shot

pytestmark = pytest.mark.integration
ANSWER_LINK = re.compile(r"https?://[^/\s]+(/antwort/\S+)")
MESSAGE = "Ich brauche Hilfe mit einem Brief vom Jobcenter, bitte bald."
FILL_SECONDS = 3.5  # the form's minimum fill time (3 s by default) and a margin
SHELTER = ["wohnen/notunterkunft"]


@pytest.fixture(scope="module")
def offices(
    e2e_database: None, django_db_blocker: Any, sample_conf: Any
) -> Iterator[tuple[Any, Any]]:
    """Two shelters of the database, searchable on the server: one to ask, one similar."""
    from indexer.client import get_client
    from indexer.pipeline import index_records
    from tests.factories import provider

    with django_db_blocker.unblock():
        rows = (
            provider(
                email=f"e2e-{uuid.uuid4().hex[:8]}@example.org",
                name=f"Nachtasyl {place}",
                description="Notunterkunft für Menschen ohne Wohnung, auch nachts erreichbar.",
                categories=SHELTER,
            )
            for place in ("Lindenhof", "Ulmenhof")
        )
        asked, similar = list(rows)
        records = [asked.to_record(), similar.to_record()]
    es = get_client(sample_conf)
    result = index_records(es, sample_conf, records, refresh=True)
    assert result.indexed == 2, result
    yield asked, similar
    for row in (asked, similar):
        es.delete(index=sample_conf.alias, id=row.id, refresh=True)
    with django_db_blocker.unblock():
        asked.delete()
        similar.delete()


def _ask(page: Any, server_url: str, office: Any) -> str:
    """Find ``office`` by searching, ask it from the result; the tracking page's URL."""
    page.goto(f"{server_url}/?q={office.name.split()[-1]}")
    expect(page.locator(f"#h-{office.id}")).to_be_visible()
    page.locator(f"#ask-{office.id}").click()  # "Ask this service" from the result
    page.wait_for_url(re.compile(rf"/p/{office.id}"))
    assert not axe_serious(page)
    page.fill("#f-message", MESSAGE)
    page.fill("#f-contact_email", f"person-{uuid.uuid4().hex[:6]}@example.org")
    page.check("#f-consent")
    shot(page, "20-inquiry-form")
    page.wait_for_timeout(FILL_SECONDS * 1000)
    page.click("#inquiry-form button[type=submit]")
    page.wait_for_url(re.compile(r"/anfrage/"))
    expect(page.locator(".done")).to_be_visible()
    return str(page.url.split("?")[0])


def _answer_link(mail_store: Any, office: Any, before: int) -> str:
    """The answer link of the first mail to ``office`` after the ``before`` it had."""
    mails = wait_until(lambda: len(found := mail_store.to(office.email)) > before and found, 20.0)
    newest = next(m for m in mails[before:] if "Neue Anfrage" in m.subject)
    return ANSWER_LINK.search(mail_store.text(newest)).group(1)  # type: ignore[union-attr]


def test_find_a_service_ask_it_and_see_the_reply(
    offices: Any, worker: Any, mail_store: Any, page: Any, server_url: str
) -> None:
    office, _ = offices
    before = len(mail_store.to(office.email))
    tracking = _ask(page, server_url, office)
    assert not axe_serious(page)

    # The mail arrived at the SMTP server; its link opens the provider's answer page.
    page.goto(server_url + _answer_link(mail_store, office, before))
    expect(page.locator("#status")).to_have_attribute("data-status", "read")
    expect(page.locator("#message")).to_contain_text(MESSAGE)
    assert not axe_serious(page)
    page.fill("#f-reply", "Rufen Sie uns morgen an.")
    page.click("section[aria-labelledby=sec-reply] button[type=submit]")
    expect(page.locator(".done")).to_be_visible()

    page.goto(tracking)
    expect(page.locator(".notes")).to_contain_text("Rufen Sie uns morgen an.")
    shot(page, "21-tracking-reply")


def test_a_decline_offers_similar_services_sent_in_one_click(
    offices: Any, worker: Any, mail_store: Any, page: Any, server_url: str
) -> None:
    office, similar = offices
    before = len(mail_store.to(office.email))
    tracking = _ask(page, server_url, office)
    page.goto(server_url + _answer_link(mail_store, office, before))
    page.select_option("#f-reason", "no_capacity")
    page.click("section[aria-labelledby=sec-decline] button[type=submit]")
    expect(page.locator("#status")).to_have_attribute("data-status", "declined")

    page.goto(tracking)
    offer = page.locator("section[aria-labelledby=sec-similar]")
    expect(offer).to_contain_text(similar.name)
    expect(offer).not_to_contain_text(office.name)  # not the one that declined
    assert not axe_serious(page)
    shot(page, "23-tracking-similar")
    page.check(f"#c-{similar.id}")
    offer.locator(f"form:has(#s-{similar.id}) button[type=submit]").click()
    page.wait_for_url(re.compile(r"/anfrage/"))
    assert page.url.split("?")[0] != tracking
    expect(page.locator(".done")).to_be_visible()
    mail = wait_until(lambda: mail_store.to(similar.email), 20.0)[-1]
    assert MESSAGE in mail_store.text(mail)


def test_the_arabic_form_is_right_to_left(offices: Any, page: Any, server_url: str) -> None:
    office, _ = offices
    page.goto(f"{server_url}/p/{office.id}?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.wait_for_timeout(FILL_SECONDS * 1000)
    page.click("#inquiry-form button[type=submit]")  # empty: the refusals in Arabic
    expect(page.locator("#inquiry-errors")).to_contain_text("يرجى")
    assert not axe_serious(page)
    shot(page, "22-inquiry-form-ar-errors")
