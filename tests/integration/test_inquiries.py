"""Mediated inquiries end to end: the API, the outbox, a real Celery worker, real SMTP.

Mail is not mocked: the worker sends through Django's SMTP backend to this run's own SMTP
server (``tests/conftest.py``), and the tests read the ``.eml`` files it kept — the answer
link a provider would click is taken from the mail itself. Time-dependent steps
(reminders, escalation, expiry, retention) get ``now`` passed in; nothing sleeps.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from directory.inquiries import submit
from directory.inquiry_fields import Draft
from directory.inquiry_models import Inquiry, InquiryEvent, OutboundMail
from directory.inquiry_report import inquiry_report
from directory.inquiry_retention import purge_personal_data
from directory.inquiry_schedule import run_schedule
from directory.inquiry_tokens import answer_token, tracking_token
from directory.workdays import CITY_TIME
from tests.conftest import wait_until
from tests.factories import provider

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
API = "/api/v1/inquiries"
# The mails link to the web pages (tests/api/test_inquiry_pages.py); the API takes the tokens.
ANSWER_LINK = re.compile(r"https?://\S+/antwort/(\S+)")
TRACKING_LINK = re.compile(r"https?://\S+/anfrage/(\S+)")
MESSAGE = "Ich habe Schulden bei den Stadtwerken und brauche einen Termin."


def _address(label: str) -> str:
    return f"{label}-{uuid.uuid4().hex[:10]}@example.org"


def _provider_in(district: str, **overrides: Any) -> Any:
    address = {"street": "Markt 1", "postal_code": "09111", "city": "Chemnitz"}
    return provider(address={**address, "district": district}, **overrides)


def _client() -> Client:
    return Client(REMOTE_ADDR=f"198.51.100.{uuid.uuid4().int % 250 + 1}")


def _send(client: Client, provider_id: str, **overrides: Any) -> Any:
    body = {
        "provider_id": provider_id,
        "message": MESSAGE,
        "contact_email": _address("person"),
        "language": "de",
        "name": "Anna K.",
        "consent": True,
        **overrides,
    }
    return client.post(API, body, content_type="application/json")


def _mail(store: Any, to: str, count: int = 1, timeout: float = 15.0) -> list[Any]:
    """The messages to ``to`` once there are ``count`` of them (the worker sends)."""
    return list(
        wait_until(lambda: (found := store.to(to)) and len(found) >= count and found, timeout)
    )


def _about(mails: list[Any], words: str) -> Any:
    """The one message whose subject has ``words`` (mails of one second may come in any order)."""
    [found] = [mail for mail in mails if words in mail.subject]
    return found


def _token(pattern: re.Pattern[str], text: str) -> str:
    match = pattern.search(text)
    assert match, text
    return match.group(1)


def test_the_provider_gets_the_mail_and_the_person_sees_the_reply(
    worker: Any, mail_store: Any
) -> None:
    office = provider(email=_address("beratung"))
    client = _client()
    person = _address("person")
    created = _send(client, office.id, contact_email=person, contact_phone="0371 4881234")
    assert created.status_code == 201, created.content
    answer = created.json()
    assert answer["status"] == "received" and re.match(r"^SA-\w{4}-\w{4}$", answer["reference"])
    assert answer["tracking_url"].endswith(f"/anfrage/{answer['tracking_token']}")
    tracking = f"{API}/{answer['tracking_token']}"

    # The mail arrived at the SMTP server, with the message, the contact and a signed link.
    [mail] = _mail(mail_store, office.email)
    text = mail_store.text(mail)
    assert MESSAGE in text and person in text and "+493714881234" in text
    assert answer["reference"] in mail.subject
    row = OutboundMail.objects.get(kind="provider_new", inquiry__reference=answer["reference"])
    assert mail.message_id == row.message_id
    wait_until(lambda: Inquiry.objects.get(reference=answer["reference"]).status == "delivered")
    [receipt] = _mail(mail_store, person)
    assert answer["reference"] in mail_store.text(receipt)

    # Opening the link marks it read, once; opening it again changes nothing.
    link = f"{API}/provider/{_token(ANSWER_LINK, text)}"
    for _ in range(2):
        opened = client.get(link)
        assert opened.status_code == 200 and opened.json()["status"] == "read"
    view = opened.json()
    assert view["message"] == MESSAGE and view["contact"]["email"] == person
    assert {"reply", "accept", "decline", "forward", "done"} == set(view["actions"])
    assert [s["action"] for s in view["history"]].count("read") == 1

    reply = "Kommen Sie am Dienstag um 10 Uhr, bringen Sie die Rechnungen mit."
    answered = client.post(
        link, {"action": "reply", "text": reply}, content_type="application/json"
    )
    assert answered.status_code == 200 and answered.json()["status"] == "read"

    # The person sees the reply on the tracking view and gets it by mail.
    shown = client.get(tracking).json()
    assert shown["status"] == "read" and shown["provider"]["id"] == office.id
    assert [n["text"] for n in shown["notes"] if n["action"] == "reply"] == [reply]
    assert set(shown["actions"]) == {"message", "withdraw"}
    mails = _mail(mail_store, person, count=2)
    assert reply in mail_store.text(_about(mails, "Antwort von"))

    # The person writes again; the provider gets it with a fresh link.
    again = client.post(
        f"{tracking}/messages", {"text": "Passt, danke!"}, content_type="application/json"
    )
    assert again.status_code == 200
    followup = _about(_mail(mail_store, office.email, count=2), "Neue Nachricht")
    assert "Passt, danke!" in mail_store.text(followup)

    accepted = client.post(link, {"action": "accept"}, content_type="application/json")
    done = client.post(link, {"action": "done"}, content_type="application/json")
    assert (accepted.json()["status"], done.json()["status"]) == ("accepted", "completed")
    steps = list(InquiryEvent.objects.filter(inquiry__reference=answer["reference"]))
    assert [(s.action, s.actor) for s in steps][:2] == [("submit", "person"), ("deliver", "system")]
    assert {s.action for s in steps} >= {"read", "reply", "message", "accept", "complete"}


def test_decline_tells_the_person_and_is_final(worker: Any, mail_store: Any) -> None:
    office = provider(email=_address("kita"))
    client = _client()
    person = _address("person")
    created = _send(client, office.id, contact_email=person).json()
    [mail] = _mail(mail_store, office.email)
    link = f"{API}/provider/{_token(ANSWER_LINK, mail_store.text(mail))}"

    refused = client.post(link, {"action": "decline"}, content_type="application/json")
    assert refused.status_code == 422 and "reason" in refused.json()["detail"]
    assert refused.json()["fields"]["reason"]["code"] == "invalid_reason"
    declined = client.post(
        link,
        {"action": "decline", "reason": "no_capacity", "text": "Leider voll bis März."},
        content_type="application/json",
    )
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    tracking = client.get(f"{API}/{created['tracking_token']}").json()
    assert tracking["decline_reason"] == "no_capacity" and tracking["closed"] is True
    assert tracking["actions"] == []
    told = mail_store.text(_about(_mail(mail_store, person, count=2), "abgelehnt"))
    assert "Grund: Keine Kapazität" in told and "Leider voll bis März." in told

    late = client.post(link, {"action": "accept"}, content_type="application/json")
    assert late.status_code == 409 and late.json()["error"] == "illegal_transition"


def test_the_person_withdraws_and_nothing_can_follow(worker: Any, mail_store: Any) -> None:
    office = provider(email=_address("pflege"))
    client = _client()
    created = _send(client, office.id).json()
    tracking = f"{API}/{created['tracking_token']}"
    [mail] = _mail(mail_store, office.email)
    link = f"{API}/provider/{_token(ANSWER_LINK, mail_store.text(mail))}"

    gone = client.post(
        f"{tracking}/withdraw", {"text": "Hat sich erledigt."}, content_type="application/json"
    )
    assert gone.status_code == 200 and gone.json()["status"] == "cancelled"
    notice = _about(_mail(mail_store, office.email, count=2), "zurückgezogen")
    assert "zurückgezogen" in notice.subject and "Hat sich erledigt." in mail_store.text(notice)
    assert "/provider/" not in mail_store.text(notice)  # nothing left to act on

    for path, body in [
        (f"{tracking}/withdraw", {}),
        (f"{tracking}/messages", {"text": "noch etwas"}),
        (link, {"action": "accept"}),
    ]:
        answer = client.post(path, body, content_type="application/json")
        assert answer.status_code == 409, (path, answer.content)
    assert client.get(link).json()["status"] == "cancelled"  # opening it is still harmless


def test_forward_goes_to_the_new_provider_and_the_old_link_stops(
    worker: Any, mail_store: Any
) -> None:
    first, second = provider(email=_address("erst")), provider(email=_address("zweit"))
    client = _client()
    person = _address("person")
    _send(client, first.id, contact_email=person)
    [mail] = _mail(mail_store, first.email)
    old = f"{API}/provider/{_token(ANSWER_LINK, mail_store.text(mail))}"

    forwarded = client.post(
        old, {"action": "forward", "provider_id": second.id}, content_type="application/json"
    )
    assert forwarded.status_code == 200, forwarded.content
    assert forwarded.json()["status"] == "received" and forwarded.json()["actions"] == []
    [handed] = _mail(mail_store, second.email)
    assert MESSAGE in mail_store.text(handed) and person in mail_store.text(handed)
    told = _about(_mail(mail_store, person, count=2), "weitergeleitet")
    assert second.name in mail_store.text(told)
    stale = client.get(old)
    assert stale.status_code == 410 and stale.json()["error"] == "link_expired"
    new = client.get(f"{API}/provider/{_token(ANSWER_LINK, mail_store.text(handed))}")
    assert new.status_code == 200 and new.json()["provider"]["id"] == second.id


def test_a_provider_without_e_mail_is_handled_by_the_desk(
    worker: Any, mail_store: Any, settings: Any
) -> None:
    desk = _address("koordination")
    settings.INQUIRIES = replace(settings.INQUIRIES, desk_email=desk)
    office = provider(email=None)
    created = _send(_client(), office.id)
    assert created.status_code == 201
    [mail] = _mail(mail_store, desk)
    assert "keine E-Mail-Adresse" in mail_store.text(mail)
    link = f"{API}/provider/{_token(ANSWER_LINK, mail_store.text(mail))}"
    assert (
        _client().post(link, {"action": "accept"}, content_type="application/json").status_code
        == 200
    )
    actors = InquiryEvent.objects.filter(inquiry__reference=created.json()["reference"])
    assert ("accept", "desk") in {(e.action, e.actor) for e in actors}


def test_tampered_expired_and_invented_links_are_clear_4xx(services: Any) -> None:
    office = provider(email=_address("amt"))
    client = _client()
    created = _send(client, office.id).json()
    token = created["tracking_token"]
    reference = created["reference"]
    tampered = token[:-2] + ("xy" if not token.endswith("xy") else "ab")
    expired = answer_token(reference, office.id, "provider", now=time.time() - 31 * 86400)
    invented = answer_token("SA-0000-0000", office.id, "provider")
    cases = [
        ("get", f"{API}/{tampered}", 404, "invalid_link"),
        ("get", f"{API}/{'A' * 500}", 404, "invalid_link"),
        ("get", f"{API}/provider/{token}", 404, "invalid_link"),  # a tracking token
        ("get", f"{API}/provider/{expired}", 410, "link_expired"),
        ("post", f"{API}/provider/{expired}", 410, "link_expired"),
        ("get", f"{API}/provider/{invented}", 404, "invalid_link"),
        ("post", f"{API}/{tampered}/withdraw", 404, "invalid_link"),
    ]
    for method, path, status, code in cases:
        body = {"action": "accept"} if "provider" in path else {}
        response = (
            getattr(client, method)(path, body, content_type="application/json")
            if method == "post"
            else client.get(path)
        )
        assert response.status_code == status, (path, response.content)
        assert response.json()["error"] == code and response.json()["detail"]


def test_rate_limits_per_client_and_per_provider_answer_429(services: Any, settings: Any) -> None:
    settings.RATE_LIMIT_INQUIRY_PROVIDER = "2/min"
    busy = provider(email=_address("gefragt"))
    statuses = [_send(_client(), busy.id).status_code for _ in range(3)]  # three clients
    assert statuses == [201, 201, 429]
    settings.RATE_LIMIT_INQUIRY_PROVIDER = ""
    settings.RATE_LIMIT_INQUIRY_CLIENT = "2/min"
    client = _client()
    statuses = [_send(client, provider(email=_address("p")).id).status_code for _ in range(3)]
    assert statuses[:2] == [201, 201]
    limited = _send(client, busy.id)
    assert limited.status_code == 429 and 1 <= int(limited["Retry-After"]) <= 60
    assert limited.json()["error"] == "too_many_requests"


def test_honeypot_and_too_fast_forms_are_rejected(services: Any, settings: Any) -> None:
    from api.inquiry_guard import form_token

    settings.INQUIRY_MIN_FILL_SECONDS = 3
    office = provider(email=_address("tafel"))
    client = _client()
    before = Inquiry.objects.count()
    trap = _send(client, office.id, website="http://spam.example")
    assert trap.status_code == 400 and trap.json()["error"] == "rejected"
    fast = _send(client, office.id, form_token=form_token())
    assert fast.status_code == 400 and "faster than a person" in fast.json()["detail"]
    forged = _send(client, office.id, form_token=str(int(time.time()) - 60) + ":forged")
    assert forged.status_code == 400
    assert Inquiry.objects.count() == before
    ok = _send(client, office.id, form_token=form_token(time.time() - 10), website="")
    assert ok.status_code == 201


def test_invalid_input_names_the_field_and_stores_nothing(services: Any) -> None:
    office = provider(email=_address("hilfe"))
    client = _client()
    before = Inquiry.objects.count()
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"provider_id": "does-not-exist"}, 404, "does-not-exist"),
        ({"consent": False}, 422, "consent"),
        ({"contact_email": "kein-at-zeichen"}, 422, "contact_email"),
        ({"contact_email": None, "contact_phone": "123"}, 422, "contact_phone"),
        ({"message": "Hilfe " + " ".join(f"https://x{i}.example" for i in range(3))}, 422, "links"),
        ({"message": "x" * 4001}, 422, "message"),
    ]
    for overrides, status, words in cases:
        response = _send(client, overrides.pop("provider_id", office.id), **overrides)
        assert response.status_code == status, (overrides, response.content)
        assert words in str(response.json()["detail"])
    assert Inquiry.objects.count() == before


def test_message_and_contact_are_encrypted_at_rest(services: Any) -> None:
    office = provider(email=_address("sucht"))
    person = _address("geheim")
    created = _send(_client(), office.id, contact_email=person, contact_phone="0371 4881234")
    reference = created.json()["reference"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT message_sealed, contact_email_sealed, contact_phone_sealed, name_sealed "
            "FROM api_inquiry WHERE reference = %s",
            [reference],
        )
        row = cursor.fetchone()
        cursor.execute(
            "SELECT recipient_sealed, body_sealed, subject FROM api_outboundmail m "
            "JOIN api_inquiry i ON m.inquiry_id = i.id WHERE i.reference = %s",
            [reference],
        )
        mails = cursor.fetchall()
    raw = " ".join(map(str, row)) + " ".join(" ".join(map(str, m)) for m in mails)
    for secret in ("Schulden", "Stadtwerken", person, "4881234", "Anna"):
        assert secret not in raw
    assert settings.INQUIRIES.cipher.open(row[0]) == MESSAGE


# --------------------------------------------------------------------------- time moves


def _berlin(day: str, hour: int = 15, minute: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=CITY_TIME)


def test_reminder_and_escalation_count_saxon_working_days(
    worker: Any, mail_store: Any, settings: Any
) -> None:
    desk = _address("koordination")
    config = replace(settings.INQUIRIES, desk_email=desk)
    office = provider(email=_address("langsam"))
    person = _address("wartend")
    draft = Draft(office.id, MESSAGE, contact_email=person, consent=True)
    sent = _berlin("2025-11-18")  # a Tuesday; Wednesday is Buß- und Bettag (Saxony only)
    reference = submit(draft, config, max_links=2, now=sent).inquiry.reference

    def due(day: str, hour: int, minute: int = 0) -> dict[str, int]:
        return run_schedule(config, now=_berlin(day, hour, minute))

    assert due("2025-11-20", 16) == {}  # two calendar days, but one working day
    assert due("2025-11-21", 15, 1) == {"reminded": 1}  # Friday: two working days
    assert due("2025-11-21", 18) == {}  # once
    reminder = _about(_mail(mail_store, office.email, count=2), "Erinnerung")
    assert "Erinnerung" in reminder.subject and ANSWER_LINK.search(mail_store.text(reminder))
    assert due("2025-11-25", 16) == {}  # four working days (the weekend does not count)
    assert due("2025-11-26", 15, 1) == {"escalated": 1}
    [escalation] = _mail(mail_store, desk)
    desk_link = _token(ANSWER_LINK, mail_store.text(escalation))
    assert "seit 5 Arbeitstagen" in mail_store.text(escalation)
    assert due("2025-12-03", 14) == {}
    assert due("2025-12-03", 15, 1) == {"expired": 1}  # ten working days
    inquiry = Inquiry.objects.get(reference=reference)
    assert inquiry.status == "expired" and inquiry.closed_at is not None
    assert _about(_mail(mail_store, person, count=2), "ohne Antwort")
    stale = _client().get(f"{API}/provider/{desk_link}")  # issued a year before this run
    assert stale.status_code == 410 and "older than" in stale.json()["detail"]
    fresh = f"{API}/provider/{answer_token(reference, office.id, 'desk')}"
    late = _client().post(fresh, {"action": "accept"}, content_type="application/json")
    assert late.status_code == 409 and "expired" in late.json()["detail"]


def test_an_answer_stops_the_clock(services: Any, settings: Any) -> None:
    config = settings.INQUIRIES
    office = provider(email=_address("schnell"))
    draft = Draft(office.id, MESSAGE, contact_phone="0371 4881234", consent=True)
    sent = _berlin("2025-11-18")
    submitted = submit(draft, config, max_links=2, now=sent)
    token = answer_token(submitted.inquiry.reference, office.id, "provider", now=sent.timestamp())
    from directory.inquiry_answers import answer

    answer(token, "reply", config, text="Rufen Sie uns an.", now=sent + timedelta(hours=2))
    assert run_schedule(config, now=_berlin("2025-12-10")) == {}
    assert Inquiry.objects.get(pk=submitted.inquiry.pk).status == "read"


def test_retention_deletes_personal_data_and_keeps_the_figures(
    services: Any, settings: Any
) -> None:
    config = settings.INQUIRIES
    office = _provider_in("Kaßberg", email=_address("alt"))
    sent = _berlin("2025-06-02", 10)
    refs = []
    for reason in ("no_capacity", "not_responsible", None):
        draft = Draft(office.id, MESSAGE, contact_email=_address("p"), name="Ben", consent=True)
        submitted = submit(draft, config, max_links=2, now=sent)
        token = answer_token(submitted.inquiry.reference, office.id, "provider", sent.timestamp())
        from directory.inquiry_answers import answer

        if reason:
            answer(
                token,
                "decline",
                config,
                reason=reason,
                text="Tut uns leid",
                now=sent + timedelta(hours=5),
            )
        else:
            answer(token, "accept", config, now=sent + timedelta(hours=1))
            answer(token, "done", config, now=sent + timedelta(days=3))
        refs.append(submitted.inquiry.reference)
    span = (_berlin("2025-06-01", 0), _berlin("2025-07-01", 0))
    before = inquiry_report(*span).rows

    assert purge_personal_data(90, now=sent + timedelta(days=60)) == 0  # not yet
    assert purge_personal_data(90, now=sent + timedelta(days=94)) == 3
    for inquiry in Inquiry.objects.filter(reference__in=refs):
        assert inquiry.purged_at is not None
        assert not any(
            getattr(inquiry, f)
            for f in (
                "message_sealed",
                "contact_email_sealed",
                "name_sealed",
                "contact_phone_sealed",
            )
        )
        assert not inquiry.events.exclude(note_sealed="").exists()
        assert not inquiry.mails.exclude(recipient_sealed="", body_sealed="").exists()
    assert inquiry_report(*span).rows == before
    total = next(r for r in before if r["district"] == "Kaßberg")
    assert (total["inquiries"], total["declined"], total["answered"]) == (3, 2, 3)
    assert total["decline_reasons"] == {"no_capacity": 1, "not_responsible": 1}
    assert total["median_hours_to_first_answer"] == 5.0
    tracking = _client().get(f"{API}/{tracking_token(refs[0])}")
    assert tracking.status_code == 410 and "deleted" in tracking.json()["detail"]


def test_report_and_mail_commands(
    worker: Any, mail_store: Any, capsys: Any, monkeypatch: Any, settings: Any
) -> None:
    from sozialatlas.cli import main

    office = _provider_in("Sonnenberg", email=_address("bericht"))
    draft = Draft(office.id, MESSAGE, contact_phone="0371 4881234", consent=True)
    submit(draft, settings.INQUIRIES, 2, now=_berlin("2025-03-03"))
    command = ["report", "inquiries", "--since", "2025-03-01", "--until", "2025-04-01"]
    assert main([*command, "--format", "csv"]) == 0
    csv = capsys.readouterr().out
    assert csv.startswith("\ufeffmonth,service_type,district,inquiries,answered")
    assert "2025-03,(all),(all),1,0" in csv and "Sonnenberg" in csv

    [mail] = _mail(mail_store, office.email)
    state = mail_store.directory.parent.parent  # <state>/mail/messages
    monkeypatch.setenv("SOZIALATLAS_STATE_DIR", str(state))
    assert main(["mail", "list", "--to", office.email]) == 0
    assert mail.id in capsys.readouterr().out
    assert main(["mail", "show", mail.id]) == 0
    shown = capsys.readouterr().out
    assert f"Message-ID: {mail.message_id}" in shown and MESSAGE in shown


# --------------------------------------------------------------------------- bad input


def test_a_refused_inquiry_names_each_field_with_a_code_in_the_ui_language(services: Any) -> None:
    office = provider(email=_address("hilfe"))
    client = _client()
    before = Inquiry.objects.count()
    body = {"consent": False, "message": "Kurz", "contact_email": "kein-at", "language": "!"}
    refused = client.post(
        f"{API}?lang=uk",
        {"provider_id": office.id, "contact_phone": "12", **body},
        content_type="application/json",
    )
    assert refused.status_code == 422
    answer = refused.json()
    assert answer["error"] == "invalid_inquiry" and answer["language"] == "uk"
    codes = {field: problem["code"] for field, problem in answer["fields"].items()}
    assert codes == {
        "consent": "consent_required",
        "message": "too_short",
        "contact_email": "invalid_email",
        "contact_phone": "invalid_phone",
        "language": "invalid_language",
    }
    assert answer["fields"]["contact_email"]["message"] == ("Це недійсна адреса електронної пошти.")
    assert "contact_phone" in answer["detail"]  # the English detail for developers

    # Schema errors (a missing field, a text over its limit) answer the same way, here in
    # the language the browser asks for.
    schema = _client().post(
        API,
        {"provider_id": office.id, "message": "x" * 4001},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ar, de;q=0.5",
    )
    assert schema.status_code == 422 and schema.json()["language"] == "ar"
    fields = schema.json()["fields"]
    assert (fields["consent"]["code"], fields["message"]["code"]) == ("required", "too_long")
    assert fields["message"]["message"] == "هذا النص طويل جدًا."
    assert Inquiry.objects.count() == before
    # Other endpoints keep Ninja's answer to a schema error.
    other = client.get("/api/v1/search", {"size": "many"})
    assert other.status_code == 422 and isinstance(other.json()["detail"], list)


# --------------------------------------------------------------------------- partners


def test_a_partner_portal_posts_an_inquiry_cross_origin(services: Any) -> None:
    from api.partners import create_key

    portal, elsewhere = "https://portal.example.org", "https://elsewhere.example.org"
    _, key = create_key("Stadtteilportal", origins=[portal])
    office = provider(email=_address("portal"))
    client = _client()
    preflight = {
        "Origin": portal,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-api-key",
    }
    allowed = client.options(API, headers=preflight)
    assert allowed.status_code == 204 and allowed["Access-Control-Allow-Origin"] == portal
    assert allowed["Access-Control-Allow-Methods"] == "POST, OPTIONS"
    assert {"X-Api-Key", "Content-Type"} <= {
        h.strip() for h in allowed["Access-Control-Allow-Headers"].split(",")
    }
    foreign = client.options(API, headers={**preflight, "Origin": elsewhere})
    assert "Access-Control-Allow-Origin" not in foreign
    # The token paths below stay same-origin: a tracking link is no partner's business.
    tracking = client.options(f"{API}/abc", headers=preflight)
    assert "Access-Control-Allow-Origin" not in tracking

    body = {"provider_id": office.id, "message": MESSAGE, "contact_phone": "0371 4881234"}
    sent = client.post(
        API,
        {**body, "consent": True},
        content_type="application/json",
        headers={"Origin": portal, "X-Api-Key": key},
    )
    assert sent.status_code == 201, sent.content
    assert sent["Access-Control-Allow-Origin"] == portal and "Origin" in sent["Vary"]
    refused = client.post(
        API,
        {**body, "consent": True},
        content_type="application/json",
        headers={"Origin": elsewhere, "X-Api-Key": key},
    )
    assert refused.status_code == 403 and "Access-Control-Allow-Origin" not in refused
    invalid = client.post(
        API, body, content_type="application/json", headers={"Origin": portal, "X-Api-Key": key}
    )  # the portal can read the refusal, to show it in its own form
    assert invalid.status_code == 422 and invalid["Access-Control-Allow-Origin"] == portal


# --------------------------------------------------------------------------- languages


def test_the_person_gets_mails_in_their_language_the_provider_in_german(
    worker: Any, mail_store: Any
) -> None:
    office = provider(email=_address("sprachen"))
    ukrainian, persian = _address("uk"), _address("fa")
    client = _client()
    assert _send(client, office.id, contact_email=ukrainian, language="uk").status_code == 201
    assert _send(client, office.id, contact_email=persian, language="fa").status_code == 201
    [receipt] = _mail(mail_store, ukrainian)
    assert receipt.subject.startswith("Ваш запит до")
    text = mail_store.text(receipt)
    assert "Номер запиту" in text and "Guten Tag" not in text and TRACKING_LINK.search(text)
    [other] = _mail(mail_store, persian)  # no Persian interface: German, English below
    assert "Guten Tag" in mail_store.text(other) and "— English —" in mail_store.text(other)
    for mail in _mail(mail_store, office.email, count=2):
        body = mail_store.text(mail)
        assert mail.subject.startswith("Neue Anfrage über den Sozialatlas")
        assert "Bevorzugte Sprache:" in body and "/antwort/" in body and "/anfrage/" not in body


# --------------------------------------------------------------------------- expiry


def test_answered_or_accepted_inquiries_never_closed_expire_and_the_person_is_told(
    worker: Any, mail_store: Any, settings: Any
) -> None:
    config = replace(settings.INQUIRIES, close_days=60)
    office = provider(email=_address("vergesslich"))
    sent = _berlin("2025-03-03", 10)
    people, refs = [], {}
    for step in ("accept", "reply", "done"):
        person = _address(step)
        draft = Draft(office.id, MESSAGE, contact_email=person, language="en", consent=True)
        submitted = submit(draft, config, max_links=2, now=sent)
        token = answer_token(submitted.inquiry.reference, office.id, "provider", sent.timestamp())
        from directory.inquiry_answers import answer

        answer(token, step, config, text="Wir melden uns.", now=sent + timedelta(hours=3))
        people.append(person)
        refs[step] = submitted.inquiry.reference

    last = (sent + timedelta(hours=3)).astimezone(UTC)  # days of 24 h, across the DST change
    assert run_schedule(config, now=last + timedelta(days=59)) == {}
    assert run_schedule(config, now=last + timedelta(days=60, minutes=1)) == {"lapsed": 2}
    assert run_schedule(config, now=last + timedelta(days=61)) == {}  # once
    status = {step: Inquiry.objects.get(reference=ref).status for step, ref in refs.items()}
    assert status == {"accept": "expired", "reply": "expired", "done": "completed"}
    for person in people[:2]:
        told = _about(_mail(mail_store, person, count=3), "Inquiry closed")
        assert "for 60 days" in mail_store.text(told)
    expired = Inquiry.objects.get(reference=refs["accept"])
    assert expired.closed_at is not None  # the retention clock now runs
    event = expired.events.get(action="expire")
    assert (event.actor, event.status_from) == ("system", "accepted")


# --------------------------------------------------------------------------- unmet needs


def test_inquiries_nobody_could_serve_join_the_unmet_needs_report(
    services: Any, settings: Any, capsys: Any
) -> None:
    from directory.inquiry_answers import answer
    from sozialatlas.cli import main

    config = settings.INQUIRIES
    shelter = ["wohnen/notunterkunft"]
    first, second, third = (
        _provider_in("Gablenz", email=_address(n), categories=shelter) for n in ("a", "b", "c")
    )
    sent = _berlin("2025-05-05", 9)

    def ask(office: Any, follows: Inquiry | None = None) -> Inquiry:
        draft = Draft(office.id, MESSAGE, contact_phone="0371 4881234", consent=True)
        return submit(draft, config, 2, now=sent, follows=follows).inquiry

    def decline(inquiry: Inquiry, reason: str) -> None:
        token = answer_token(inquiry.reference, inquiry.provider_id, "provider", sent.timestamp())
        answer(token, "decline", config, reason=reason, now=sent + timedelta(hours=1))

    # Declined, re-sent from the tracking page, declined again: nobody could serve it.
    chain = ask(first)
    decline(chain, "no_capacity")
    decline(ask(second, follows=chain), "outside_area")
    # Declined, then re-sent and accepted: served in the end.
    served = ask(first)
    decline(served, "no_capacity")
    resent = ask(third, follows=served)
    token = answer_token(resent.reference, third.id, "provider", sent.timestamp())
    answer(token, "accept", config, now=sent + timedelta(hours=2))

    since, until = "2025-05-01", "2025-06-01"
    assert (
        main(["report", "unmet-needs", "--since", since, "--until", until, "--format", "json"]) == 0
    )
    rows = json.loads(capsys.readouterr().out)["rows"]
    [shelter_row] = [row for row in rows if row["concept"] == "wohnen/notunterkunft"]
    assert shelter_row["unserved_inquiries"] == 1
    assert shelter_row["unserved_districts"] == {"Gablenz": 1}
    assert shelter_row["decline_reasons"] == {"no_capacity": 1, "outside_area": 1}
    assert shelter_row["searches"] == 0 and shelter_row["need"] != "wohnen/notunterkunft"

    from django.contrib.auth.models import User

    analyst = User.objects.create_user(f"a-{uuid.uuid4().hex[:6]}", is_staff=True)
    client = Client()
    client.force_login(analyst)
    api = client.get(
        "/api/v1/analytics/reports/unmet-needs", {"since": since, "until": until, "format": "csv"}
    )
    assert api.status_code == 200
    csv = api.content.decode()
    assert "unserved_inquiries" in csv.splitlines()[0] and "Gablenz=1" in csv
