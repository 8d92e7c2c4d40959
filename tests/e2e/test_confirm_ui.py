"""End to end in Chromium: the provider's self-service page, opened from the mail.

The confirmation cycle mails the provider through the outbox (a real Celery worker, this
run's SMTP server); the link is read from the received message and opened in the browser.
"Still correct" confirms the entry (recorded in its history as the provider's change);
a new phone number proposed on the same page reaches the editors' review queue, where
an editor signed in to the admin sees it field by field. The page passes axe-core.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import wait_until
from tests.e2e.conftest import axe_serious, shot

pytestmark = pytest.mark.integration
LINK = re.compile(r"https?://[^/\s]+(/eintrag/\S+)")
NEW_PHONE = "0371 5554433"
EDITOR_PASSWORD = "e2e-" + uuid.uuid4().hex


def _db(django_db_blocker: Any, job: Any) -> Any:
    """Run ``job`` against the database off Playwright's event loop, as Django asks."""

    def run() -> Any:
        with django_db_blocker.unblock():
            return job()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


@pytest.fixture(scope="module")
def stale_entry(
    e2e_database: None, django_db_blocker: Any, worker: Any, mail_store: Any
) -> Iterator[tuple[Any, str]]:
    """An entry not confirmed for years, and the path of the link the cycle mailed for it."""
    from django.conf import settings

    from directory.confirmation_models import ConfirmationRequest
    from directory.confirmations import run_cycle
    from tests.factories import provider

    owner = f"e2e-owner-{uuid.uuid4().hex[:8]}@example.org"
    with django_db_blocker.unblock():
        row = provider(
            name=f"Familienberatung {uuid.uuid4().hex[:6]}", email=owner, updated_at="2019-03-01"
        )
        run_cycle(settings.CONFIRMATIONS)
        assert ConfirmationRequest.objects.filter(service_id=row.service_id).exists()
    mail = wait_until(lambda: mail_store.to(owner), 20.0)[-1]
    assert "noch aktuell" in mail.subject and row.service.name in mail.subject
    match = LINK.search(mail_store.text(mail))
    assert match, mail_store.text(mail)
    yield row, match.group(1)
    with django_db_blocker.unblock():
        from directory.confirmation_models import ChangeProposal
        from directory.models import Service

        ChangeProposal.objects.filter(entry_id=row.id).delete()
        ConfirmationRequest.objects.filter(service_id=row.service_id).delete()
        Service.objects.filter(pk=row.service_id).delete()


@pytest.fixture(scope="module")
def editor(e2e_database: None, django_db_blocker: Any) -> Iterator[str]:
    """An editor (superuser) committed to the test database, so the server sees them."""
    from django.contrib.auth import get_user_model

    name = "e2e-editor-" + uuid.uuid4().hex[:6]
    with django_db_blocker.unblock():
        user = get_user_model().objects.create_superuser(name, f"{name}@example.org",
                                                          EDITOR_PASSWORD)  # fmt: skip
    yield name
    with django_db_blocker.unblock():
        user.delete()


def test_still_correct_then_a_new_phone_number_reaches_the_review_queue(
    stale_entry: tuple[Any, str], editor: str, page: Any, server_url: str,
    django_db_blocker: Any,
) -> None:  # fmt: skip
    row, link = stale_entry
    page.goto(server_url + link)
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("#f-name")).to_have_value(row.service.name)  # the entry, pre-filled
    assert not axe_serious(page)
    shot(page, "40-confirm-page")

    page.locator("#confirm").click()  # "still correct", one click
    expect(page.locator("#done")).to_be_visible()
    assert not axe_serious(page)

    def confirmed() -> tuple[str, str | None]:
        from directory.models import Service

        service = Service.objects.get(pk=row.service_id)
        newest = service.history.latest("history_date", "history_id")
        return str(service.assured_date), newest.history_change_reason

    assured, source = _db(django_db_blocker, confirmed)
    assert assured != "2019-03-01" and source == "provider"

    page.goto(server_url + link)
    page.fill("#f-phone", NEW_PHONE)
    page.locator("#propose button[type=submit]").click()
    expect(page.locator("#done")).to_be_visible()
    assert not axe_serious(page)
    shot(page, "41-confirm-proposed")

    def proposed() -> tuple[int, dict[str, Any]]:
        from directory.confirmation_models import ChangeProposal

        proposal = ChangeProposal.objects.get(entry_id=row.id)
        return proposal.pk, proposal.changes

    pk, changes = _db(django_db_blocker, proposed)
    assert changes["phone"] == "+493715554433" and set(changes) == {"phone", "phone_display"}

    page.goto(server_url + "/admin/api/changeproposal/")
    page.fill("#id_username", editor)
    page.fill("#id_password", EDITOR_PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#result_list")).to_contain_text(row.id)  # the review queue
    page.goto(f"{server_url}/admin/api/changeproposal/{pk}/change/")
    phone = page.locator("#proposal-diff tr[data-field=phone]")
    expect(phone.locator("ins")).to_have_text("+493715554433")
    expect(phone.locator("del")).to_have_text("+493714335120")  # the number it replaces
    shot(page, "42-confirm-review")
