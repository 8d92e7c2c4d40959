"""The staff admin of inquiries with real staff users in Django's test client.

The roles are the groups ``migrate`` creates (``directory/inquiry_roles.py``): the
coordination desk reads messages and contacts (each view audited), reopens and deletes;
analysts see aggregates only; operators see failed mails and send them again — through a
real Celery worker to this run's SMTP server.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from directory.inquiries import submit
from directory.inquiry_answers import answer
from directory.inquiry_fields import Draft
from directory.inquiry_models import Inquiry, InquiryAudit, InquiryEvent, OutboundMail
from directory.inquiry_roles import ANALYST_GROUP, DESK_GROUP, OPERATOR_GROUP, ROLES
from directory.inquiry_tokens import answer_token
from tests.conftest import wait_until
from tests.factories import provider

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
MESSAGE = "Ich habe Schulden bei den Stadtwerken und brauche einen Termin."
ADMIN = "/admin/api/inquiry/"


def _staff(group: str | None) -> tuple[User, Client]:
    user = User.objects.create_user(f"staff-{uuid.uuid4().hex[:8]}", is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return user, client


def _inquiry(settings: Any, **draft: Any) -> Inquiry:
    office = provider(email=f"amt-{uuid.uuid4().hex[:8]}@example.org")
    values = {
        "contact_email": f"anna-{uuid.uuid4().hex[:6]}@example.org",
        "contact_phone": "0371 4881234",
        "name": "Anna K.",
        **draft,
    }
    return submit(Draft(office.id, MESSAGE, consent=True, **values), settings.INQUIRIES, 2).inquiry


def _decline(inquiry: Inquiry, settings: Any, reason: str = "no_capacity") -> None:
    token = answer_token(inquiry.reference, inquiry.provider_id, "provider")
    answer(token, "decline", settings.INQUIRIES, reason=reason)


def test_migrate_creates_the_three_roles() -> None:
    for name, codenames in ROLES.items():
        have = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert have >= set(codenames), name


def test_the_desk_reads_the_message_and_every_view_is_audited(services: Any, settings: Any) -> None:
    inquiry = _inquiry(settings)
    desk, client = _staff(DESK_GROUP)

    listing = client.get(ADMIN)
    page = listing.content.decode()
    assert listing.status_code == 200 and inquiry.reference in page
    assert inquiry.provider_name in page and "received" in page and "Sonnenberg" in page
    assert MESSAGE not in page and "anna-" not in page  # the list shows no personal data
    assert not InquiryAudit.objects.exists()

    for expected in (1, 2):
        shown = client.get(f"{ADMIN}{inquiry.pk}/change/")
        assert shown.status_code == 200
        text = shown.content.decode()
        assert MESSAGE in text and "+493714881234" in text and "Anna K." in text
        assert "_sealed" not in text and inquiry.message_sealed not in text
        assert InquiryAudit.objects.filter(inquiry=inquiry, user=desk).count() == expected
    entry = InquiryAudit.objects.filter(inquiry=inquiry).first()
    assert entry is not None and (entry.action, entry.username) == ("view", desk.username)
    assert entry.reference == inquiry.reference and entry.at <= timezone.now()

    log = client.get("/admin/api/inquiryaudit/")
    assert log.status_code == 200 and inquiry.reference in log.content.decode()
    assert client.get(f"/admin/api/inquiryaudit/{entry.pk}/delete/").status_code == 403
    assert client.post(f"/admin/api/inquiryaudit/{entry.pk}/change/", {}).status_code == 403
    # The desk may answer for a provider from the admin: a fresh desk link to the answer page.
    link = re.search(r'id="desk-answer" href="(/antwort/[^"]+)"', text)
    assert link and client.get(link.group(1)).status_code == 200
    assert inquiry.events.filter(action="read", actor="desk").exists()


def test_filters_by_status_district_and_category(services: Any, settings: Any) -> None:
    declined = _inquiry(settings)
    _decline(declined, settings)
    waiting = _inquiry(settings)
    _, client = _staff(DESK_GROUP)
    only = client.get(ADMIN, {"status__exact": "declined"}).content.decode()
    assert declined.reference in only and waiting.reference not in only
    everything = client.get(ADMIN, {"district": "Sonnenberg"}).content.decode()
    assert declined.reference in everything and waiting.reference in everything
    none = client.get(ADMIN, {"category": "familie/kita"}).content.decode()
    assert declined.reference not in none


def test_analysts_see_aggregates_only(services: Any, settings: Any) -> None:
    inquiry = _inquiry(settings)
    _decline(inquiry, settings, "outside_area")
    _, analyst = _staff(ANALYST_GROUP)
    for path in (ADMIN, f"{ADMIN}{inquiry.pk}/change/", "/admin/api/inquiryaudit/"):
        assert analyst.get(path).status_code == 403, path
    dashboard = analyst.get("/analytics/?lang=de")
    page = dashboard.content.decode()
    assert dashboard.status_code == 200 and 'id="inquiry-figures"' in page
    by_type = re.search(r'<table id="inquiries-by-service_type">.*?</table>', page, re.S)
    assert by_type and "Schuldner- und Insolvenzberatung" in by_type.group(0)  # its label
    assert "Außerhalb des Gebiets: 1" in page and "100 %" in page
    unserved = re.search(r'<table id="inquiries-unserved">.*?</table>', page, re.S)
    assert unserved and "Sonnenberg: 1" in unserved.group(0)
    assert MESSAGE not in page and "anna-" not in page and inquiry.reference not in page
    csv = analyst.get("/api/v1/analytics/inquiries", {"since": "30d", "format": "csv"})
    assert csv.status_code == 200 and "declined_rate" in csv.content.decode()
    assert not InquiryAudit.objects.exists()  # nothing personal was read

    _, plain = _staff(None)  # staff without a role: neither figures nor inquiries
    assert 'id="inquiry-figures"' not in plain.get("/analytics/").content.decode()
    assert plain.get("/api/v1/analytics/inquiries").status_code == 403
    assert plain.get(ADMIN).status_code == 403


def _body(mail: OutboundMail, settings: Any, store: Any) -> str:
    """A mail's text: sealed in the database until it is sent, then emptied there (a
    Celery worker of an earlier test may already have sent it), so read from what this
    run's SMTP server received under its Message-ID."""
    mail.refresh_from_db()
    if mail.body_sealed:
        return str(settings.INQUIRIES.cipher.open(mail.body_sealed))
    [stored] = [m for m in store.all() if m.message_id == mail.message_id]
    return str(store.text(stored))


def test_reopen_with_a_note_goes_back_to_the_provider(
    services: Any, settings: Any, mail_store: Any
) -> None:
    inquiry = _inquiry(settings)
    _decline(inquiry, settings)
    desk, client = _staff(DESK_GROUP)
    reopen = f"{ADMIN}{inquiry.pk}/reopen/"
    assert f'href="{reopen}"' in client.get(f"{ADMIN}{inquiry.pk}/change/").content.decode()

    refused = client.post(reopen, {"note": "  "})
    assert refused.status_code == 200 and "errornote" in refused.content.decode()
    assert Inquiry.objects.get(pk=inquiry.pk).status == "declined"
    done = client.post(reopen, {"note": "Die Person hat angerufen: bitte noch einmal prüfen."})
    assert done.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == "read" and inquiry.closed_at is None
    event = inquiry.events.get(action="reopen")
    assert (event.actor, event.status_from) == ("desk", "declined")
    config = settings.INQUIRIES
    assert config.cipher.open(event.note_sealed).startswith("Die Person hat angerufen")
    body = _body(inquiry.mails.get(kind="provider_reopened"), settings, mail_store)
    assert "Die Person hat angerufen" in body
    assert "/antwort/" in body  # a fresh answer link
    assert InquiryAudit.objects.filter(inquiry=inquiry, action="reopen", user=desk).exists()
    again = client.post(reopen, {"note": "noch einmal"})  # open now: not possible
    assert again.status_code == 200 and "reopen" in again.content.decode()
    _, analyst = _staff(ANALYST_GROUP)
    assert analyst.post(reopen, {"note": "x"}).status_code == 403


def test_staff_delete_of_a_mistaken_inquiry_leaves_an_audit_entry(
    services: Any, settings: Any
) -> None:
    inquiry = _inquiry(settings)
    reference, pk = inquiry.reference, inquiry.pk
    desk, client = _staff(DESK_GROUP)
    confirm = client.get(f"{ADMIN}{pk}/delete/")
    assert confirm.status_code == 200 and MESSAGE not in confirm.content.decode()
    deleted = client.post(f"{ADMIN}{pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    assert not Inquiry.objects.filter(pk=pk).exists()
    assert not InquiryEvent.objects.filter(inquiry_id=pk).exists()
    orphans = OutboundMail.objects.filter(inquiry__isnull=True, kind__in=["provider_new"])
    assert orphans.exists() and not orphans.exclude(state="sent").exclude(state="failed").exists()
    assert not orphans.exclude(body_sealed="", recipient_sealed="").exists()  # nothing to send
    entry = InquiryAudit.objects.get(reference=reference, action="delete")
    assert entry.user == desk and entry.inquiry is None
    _, analyst = _staff(ANALYST_GROUP)
    other = _inquiry(settings)
    assert analyst.post(f"{ADMIN}{other.pk}/delete/", {"post": "yes"}).status_code == 403


def test_operators_see_failed_mails_and_send_them_again(
    worker: Any, mail_store: Any, settings: Any
) -> None:
    inquiry = _inquiry(settings, contact_email=None)  # one mail: to the provider
    mail = inquiry.mails.get()
    wait_until(lambda: OutboundMail.objects.get(pk=mail.pk).state == "sent", timeout=15)
    # Make it fail for good, as an SMTP refusal after all attempts would, body still there.
    body = settings.INQUIRIES.cipher.seal("Erneut gesendet: " + MESSAGE)
    recipient = settings.INQUIRIES.cipher.seal(f"neu-{uuid.uuid4().hex[:8]}@example.org")
    OutboundMail.objects.filter(pk=mail.pk).update(
        state="failed", last_error="SMTPRecipientsRefused 550", attempts=300,
        body_sealed=body, recipient_sealed=recipient, message_id=f"<retry-{mail.pk}@x>",
    )  # fmt: skip
    purged = OutboundMail.objects.create(
        message_id=f"<purged-{uuid.uuid4().hex}@x>", kind="person_reply", subject="s",
        state="failed", next_attempt_at=timezone.now() - timedelta(days=1),
        created=timezone.now(), last_error="purged",
    )  # fmt: skip
    operator, client = _staff(OPERATOR_GROUP)
    listing = client.get("/admin/api/outboundmail/", {"state__exact": "failed"})
    page = listing.content.decode()
    assert listing.status_code == 200 and "SMTPRecipientsRefused 550" in page
    assert inquiry.reference in page and "neu-" not in page and MESSAGE not in page
    assert client.get(ADMIN).status_code == 403  # no inquiries, no personal data
    root, admin_client = _staff(None)  # not even a superuser changes mail: the worker does
    User.objects.filter(pk=root.pk).update(is_superuser=True)
    for path in ("add/", f"{purged.pk}/delete/"):
        assert admin_client.get(f"/admin/api/outboundmail/{path}").status_code == 403
    assert admin_client.post(f"/admin/api/outboundmail/{purged.pk}/change/", {}).status_code == 403

    done = client.post(
        "/admin/api/outboundmail/",
        {"action": "retry", "_selected_action": [mail.pk, purged.pk]},
        follow=True,
    )
    assert done.status_code == 200 and "1 E-Mail(s) werden erneut gesendet" in done.content.decode()
    assert OutboundMail.objects.get(pk=purged.pk).state == "failed"  # nothing left to send
    sent = wait_until(
        lambda: (row := OutboundMail.objects.get(pk=mail.pk)).state == "sent" and row, timeout=15
    )
    assert sent.attempts == 1
    [again] = [m for m in mail_store.all() if m.message_id == f"<retry-{mail.pk}@x>"]
    assert "Erneut gesendet" in mail_store.text(again)
    entry = InquiryAudit.objects.get(action="retry_mail")
    assert entry.user == operator and entry.inquiry == inquiry

    _, desk = _staff(DESK_GROUP)  # the desk sees mail states but may not resend
    OutboundMail.objects.filter(pk=mail.pk).update(state="failed")
    desk.post("/admin/api/outboundmail/", {"action": "retry", "_selected_action": [mail.pk]})
    assert OutboundMail.objects.get(pk=mail.pk).state == "failed"
