"""The confirmation cycle against the real services (issue 15, part 2).

Mails go through the outbox to this run's SMTP server (a real Celery worker sends them and
indexes the changes into the real Elasticsearch). Time is moved forward by handing
``now`` to the cycle, as the inquiry schedule's tests do; nothing sleeps for days.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from directory.confirmation_models import (
    ChangeProposal,
    ConfirmationRequest,
    ProposalState,
    RequestState,
)
from directory.confirmations import link_token, run_cycle
from directory.errors import ProposalConflict
from directory.freshness import current_freshness
from directory.models import Service, ServiceAtLocation
from directory.proposals import approve, diff
from tests.conftest import wait_until
from tests.factories import provider

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
LINK = re.compile(r"https?://\S+(/eintrag/\S+)")


def _address(label: str) -> str:
    return f"{label}-{uuid.uuid4().hex[:10]}@example.org"


def _client() -> Client:
    return Client(REMOTE_ADDR=f"198.51.100.{uuid.uuid4().int % 250 + 1}")


def _link(mail_store: Any, to: str, count: int = 1) -> str:
    mails = wait_until(lambda: (found := mail_store.to(to)) and len(found) >= count and found, 15)
    match = LINK.search(mail_store.text(mails[-1]))
    assert match, mail_store.text(mails[-1])
    return match.group(1)


def _document(es_client: Any, record_id: str) -> dict[str, Any] | None:
    es_client.indices.refresh(index=settings.INDEXER.alias, ignore_unavailable=True)
    found = es_client.options(ignore_status=404).get(index=settings.INDEXER.alias, id=record_id)
    return found.body["_source"] if found.body.get("found") else None


def _service(entry: Any) -> Service:
    return Service.objects.get(pk=entry.service_id)


def test_mail_then_still_correct_confirms_and_reindexes(
    worker: Any, mail_store: Any, es_client: Any
) -> None:
    owner = _address("traeger")
    entry = provider(email=owner, updated_at="2024-01-15")
    wait_until(lambda: _document(es_client, entry.id), 15)
    done = run_cycle(settings.CONFIRMATIONS)
    assert done.get("sent", 0) >= 1
    link = _link(mail_store, owner)
    [mail] = mail_store.to(owner)
    assert "noch aktuell" in mail.subject and entry.name in mail.subject
    client = _client()
    for _ in range(2):  # opening (twice, a mail scanner first) changes nothing
        page = client.get(link)
        assert page.status_code == 200 and entry.name in page.content.decode()
        assert page["Cache-Control"] == "no-store, private"
    assert str(_service(entry).assured_date) == "2024-01-15"
    confirmed = client.post(f"{link}/senden", {"action": "confirm"})
    assert confirmed.status_code == 303 and "ok=confirmed" in confirmed["Location"]
    today = timezone.localdate()
    assert _service(entry).assured_date == today
    assert "Danke!" in client.get(confirmed["Location"]).content.decode()
    # Re-indexed within 2 s of the answer.
    wait_until(lambda: (d := _document(es_client, entry.id)) and d["updated_at"] == str(today), 2)
    # Asked again only after the next period.
    assert run_cycle(settings.CONFIRMATIONS).get("sent", 0) == 0
    later = timezone.now() + timedelta(days=31 * settings.CONFIRMATIONS.months)
    assert entry.service_id in _asked(run_cycle(settings.CONFIRMATIONS, now=later), entry)


def _asked(done: dict[str, int], entry: Any) -> set[str]:
    assert done.get("sent", 0) >= 1
    return set(
        ConfirmationRequest.objects.filter(state=RequestState.OPEN).values_list(
            "service_id", flat=True
        )
    )


def test_propose_review_approve_is_searchable_and_the_owner_email_waits(
    worker: Any, mail_store: Any, es_client: Any
) -> None:
    owner = _address("owner")
    entry = provider(email=owner, updated_at="2024-02-01")
    run_cycle(settings.CONFIRMATIONS)
    link = _link(mail_store, owner)
    client = _client()
    name = f"Schuldnerberatung Neu {uuid.uuid4().hex[:6]}"
    new_owner = _address("neu")
    form = {
        "action": "propose", "name": f"<b>{name}</b>", "description": entry.service.description,
        "phone": "0371 123456", "email": new_owner, "website": "stadtmission.example",
        "street": "Glockenstraße 5", "postal_code": "09130", "city": "Chemnitz",
        "district": "Sonnenberg", "opening_hours_text": "Mo–Fr 9–15 Uhr",
        "languages": "de\nru\nuk", "wheelchair": "on", "cost": "kostenlos",
        "target_groups": "Erwachsene", "categories": "geld/schuldnerberatung",
    }  # fmt: skip
    sent = client.post(f"{link}/senden", form)
    assert sent.status_code == 303 and "ok=proposed" in sent["Location"]
    [proposal] = ChangeProposal.objects.filter(entry_id=entry.id)
    assert proposal.changes["name"] == name  # markup stripped, as an import strips it
    assert proposal.changes["email"] == new_owner and proposal.changes["phone"] == "+49371123456"
    assert proposal.changes["languages"] == ["de", "ru", "uk"]
    assert proposal.base["name"] == entry.name and "description" not in proposal.changes
    # Nothing changed yet: not the name, not the owner contact the mails go to.
    service = _service(entry)
    assert (service.name, service.email) == (entry.name, owner)
    assert current_freshness(timezone.localdate()).open_proposals == 1

    editor = User.objects.create_superuser("redaktion", "r@example.org", "pw-123456789")
    admin = Client()
    admin.force_login(editor)
    review = admin.get(f"/admin/api/changeproposal/{proposal.pk}/change/")
    page = review.content.decode()
    assert review.status_code == 200 and name in page and "owner contact" in page
    assert admin.post(f"/admin/api/changeproposal/{proposal.pk}/change/", {"approve_all": "1"})
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.APPROVED and proposal.reviewed_by == "redaktion"
    service = _service(entry)
    assert (service.name, service.email) == (name, new_owner)
    assert service.assured_date == timezone.localdate()
    wait_until(lambda: (d := _document(es_client, entry.id)) and d["name"] == name, 2)
    figures = current_freshness(timezone.localdate())
    assert figures.open_proposals == 0 and figures.median_days_to_review is not None


def test_no_answer_two_reminders_then_needs_checking(worker: Any, mail_store: Any) -> None:
    owner = _address("still")
    entry = provider(email=owner, updated_at="2024-03-01")
    config = settings.CONFIRMATIONS
    start = timezone.now()
    assert run_cycle(config, now=start)["sent"] >= 1
    step = timedelta(days=config.reminder_days)
    assert "reminded" not in run_cycle(config, now=start + step - timedelta(hours=1))
    assert run_cycle(config, now=start + step)["reminded"] >= 1
    assert run_cycle(config, now=start + 2 * step)["reminded"] >= 1
    mails = wait_until(lambda: len(found := mail_store.to(owner)) == 3 and found, 15)
    assert sum("Erinnerung" in m.subject for m in mails) == 2
    assert "reminded" not in run_cycle(config, now=start + 2 * step + timedelta(days=1))
    assert run_cycle(config, now=start + 3 * step)["flagged"] >= 1
    request = ConfirmationRequest.objects.get(service_id=entry.service_id)
    assert request.state == RequestState.FLAGGED and request.reminders == 2
    assert current_freshness(timezone.localdate()).needs_checking >= 1
    assert len(mail_store.to(owner)) == 3  # no fourth mail
    # The provider answers late (the last link is still valid): no longer counted.
    client = _client()
    client.post(f"{_link(mail_store, owner, 3)}/senden", {"action": "confirm"})
    assert current_freshness(timezone.localdate()).needs_checking == 0


def test_closing_leaves_search_at_once_and_a_pause_comes_back(
    worker: Any, mail_store: Any, es_client: Any
) -> None:
    closing, pausing = _address("zu"), _address("pause")
    gone = provider(email=closing, updated_at="2024-01-01")
    paused = provider(email=pausing, updated_at="2024-01-01")
    wait_until(lambda: _document(es_client, gone.id) and _document(es_client, paused.id), 15)
    run_cycle(settings.CONFIRMATIONS)
    client = _client()
    closed = client.post(
        f"{_link(mail_store, closing)}/senden", {"action": "close", "kind": "closed"}
    )
    assert closed.status_code == 303 and _service(gone).status == "defunct"
    wait_until(lambda: _document(es_client, gone.id) is None, 2)

    link = _link(mail_store, pausing)
    past = client.post(
        f"{link}/senden", {"action": "close", "kind": "paused", "until": "2020-01-01"}
    )
    assert past.status_code == 422 and _service(paused).status == "active"
    until = timezone.localdate() + timedelta(days=30)
    paused_post = {"action": "close", "kind": "paused", "until": until.isoformat()}
    assert client.post(f"{link}/senden", paused_post).status_code == 303
    assert _service(paused).status == "temporarily closed"
    wait_until(lambda: _document(es_client, paused.id) is None, 2)
    assert "resumed" not in run_cycle(settings.CONFIRMATIONS)
    back = timezone.now() + timedelta(days=31)
    assert run_cycle(settings.CONFIRMATIONS, now=back)["resumed"] == 1
    assert _service(paused).status == "active" and _service(gone).status == "defunct"
    wait_until(lambda: _document(es_client, paused.id), 5)


def test_an_editors_change_after_the_proposal_is_shown_as_a_conflict(
    worker: Any, mail_store: Any
) -> None:
    owner = _address("konflikt")
    entry = provider(email=owner, updated_at="2024-01-01")
    run_cycle(settings.CONFIRMATIONS)
    client = _client()
    link = _link(mail_store, owner)
    page_values = {"action": "propose", "name": "Vom Anbieter", "description": "Neu beschrieben",
                   "street": "Glockenstraße 5", "postal_code": "09130", "city": "Chemnitz",
                   "district": "Sonnenberg", "categories": "geld/schuldnerberatung",
                   "languages": "de", "cost": "kostenlos"}  # fmt: skip
    assert client.post(f"{link}/senden", page_values).status_code == 303
    [proposal] = ChangeProposal.objects.filter(entry_id=entry.id)
    service = _service(entry)
    service.name = "Von der Redaktion"  # an editor, after the proposal was made
    service.save()
    rows = {row["field"]: row for row in diff(proposal)}
    assert rows["name"]["conflict"] and not rows["description"]["conflict"]
    assert (rows["name"]["base"], rows["name"]["current"], rows["name"]["proposed"]) == (
        entry.name, "Von der Redaktion", "Vom Anbieter",
    )  # fmt: skip
    with pytest.raises(ProposalConflict):
        approve(proposal, "redaktion")
    assert _service(entry).name == "Von der Redaktion"  # nothing silently overwritten
    editor = User.objects.create_superuser("chefin", "c@example.org", "pw-123456789")
    admin = Client()
    admin.force_login(editor)
    url = f"/admin/api/changeproposal/{proposal.pk}/change/"
    assert 'id="conflicts"' in admin.get(url).content.decode()
    admin.post(url, {"approve_some": "1", "fields": ["description"]})
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.PARTLY and proposal.approved_fields == ["description"]
    service = _service(entry)
    assert (service.name, service.description) == ("Von der Redaktion", "Neu beschrieben")


def test_tampered_expired_revoked_links_and_bad_input_get_clear_pages(
    worker: Any, mail_store: Any
) -> None:
    owner = _address("links")
    entry = provider(email=owner, updated_at="2024-01-01")
    run_cycle(settings.CONFIRMATIONS)
    link = _link(mail_store, owner)
    client = _client()
    tampered = client.get(link[:-3] + ("abc" if not link.endswith("abc") else "xyz"))
    assert tampered.status_code == 404 and "funktioniert nicht" in tampered.content.decode()
    assert client.get("/eintrag/" + "x" * 1000).status_code == 404
    request = ConfirmationRequest.objects.get(service_id=entry.service_id)
    old = timezone.now() - timedelta(days=settings.CONFIRMATIONS.link_days + 1)
    expired = client.get(f"/eintrag/{link_token(request, old)}")
    assert expired.status_code == 410 and "gilt nicht mehr" in expired.content.decode()
    late_post = client.post(f"/eintrag/{link_token(request, old)}/senden", {"action": "confirm"})
    assert late_post.status_code == 410 and str(_service(entry).assured_date) == "2024-01-01"

    wrong = {"action": "propose", "name": entry.name, "email": "nicht-eine-adresse"}
    bad = client.post(f"{link}/senden", {**wrong, "categories": "geld/schuldnerberatung"})
    assert bad.status_code == 422 and "nicht gültig" in bad.content.decode()
    english = client.post(f"{link}/senden?lang=en", {"action": "propose", "name": "   "})
    assert english.status_code == 422 and "Please give a name." in english.content.decode()
    assert not ChangeProposal.objects.filter(entry_id=entry.id).exists()

    editor = User.objects.create_superuser("admin2", "a@example.org", "pw-123456789")
    admin = Client()
    admin.force_login(editor)
    revoked = admin.post(
        "/admin/api/confirmationrequest/",
        {"action": "revoke_links", "_selected_action": [request.pk]},
    )
    assert revoked.status_code == 302
    gone = _client().get(link)  # (the client above chose English)
    assert gone.status_code == 410 and "zurückgezogen" in gone.content.decode()
    assert ServiceAtLocation.objects.filter(id=entry.id).exists()
