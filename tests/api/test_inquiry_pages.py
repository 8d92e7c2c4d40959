"""The inquiry pages through Django's test client, against the real services.

The form on the provider page, the person's tracking page and the provider's answer page,
without JavaScript: a real Celery worker sends the mails to this run's SMTP server and the
answer link is taken from the received ``.eml``, as a provider would click it.
"""

from __future__ import annotations

import html
import re
import uuid
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from api.web.tracking import similar_services
from directory.inquiry_models import Inquiry
from directory.inquiry_tokens import tracking_token
from tests.conftest import wait_until
from tests.factories import provider

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ANSWER_LINK = re.compile(r"https?://[^/\s]+(/antwort/\S+)")
TRACKING_LINK = re.compile(r"https?://[^/\s]+(/anfrage/\S+)")
MESSAGE = "Ich habe Schulden bei den Stadtwerken und brauche bald einen Termin."


@pytest.fixture(autouse=True)
def _no_fill_time(settings: Any) -> None:
    """The test client fills the form at once; the fill-time guard has its own test."""
    settings.INQUIRY_MIN_FILL_SECONDS = 0


def _address(label: str) -> str:
    return f"{label}-{uuid.uuid4().hex[:10]}@example.org"


def _client(lang: str = "de") -> Client:
    return Client(REMOTE_ADDR=f"198.51.100.{uuid.uuid4().int % 250 + 1}", HTTP_ACCEPT_LANGUAGE=lang)


def _form_token(page: str) -> str:
    found = re.search(r'name="form_token" value="([^"]+)"', page)
    assert found, "the form carries no token"
    return found.group(1)


def _submit(client: Client, provider_id: str, **fields: Any) -> Any:
    page = client.get(f"/p/{provider_id}").content.decode()
    body = {
        "message": MESSAGE,
        "contact_email": _address("person"),
        "language": "de",
        "name": "Anna K.",
        "consent": "on",
        "website": "",
        "form_token": _form_token(page),
        **fields,
    }
    return client.post(
        f"/p/{provider_id}/anfrage", {k: v for k, v in body.items() if v is not None}
    )


def _mail(store: Any, to: str, words: str = "", count: int = 1) -> Any:
    def found() -> Any:
        mails = [m for m in store.to(to) if words in m.subject]
        return len(mails) >= count and mails

    return wait_until(found, timeout=15.0)[-1]


def _text(page: Any) -> str:
    return html.unescape(page.content.decode())


def test_ask_track_answer_and_see_the_reply(worker: Any, mail_store: Any) -> None:
    office = provider(email=_address("beratung"))
    client = _client()
    person = _address("person")
    page = client.get(f"/p/{office.id}").content.decode()
    assert 'id="inquiry-form"' in page and 'name="website"' in page and 'class="hp"' in page
    assert 'href="/datenschutz"' in page and 'name="consent"' in page and "<script>" not in page

    sent = _submit(client, office.id, contact_email=person, callback="on", contact_times="9-12")
    assert sent.status_code == 303, sent.content
    tracking = sent["Location"]
    assert tracking.startswith("/anfrage/") and "sent=1" in tracking
    shown = client.get(tracking)
    assert shown.status_code == 200 and shown["Cache-Control"] == "no-store, private"
    assert shown["Referrer-Policy"] == "same-origin"  # the token stays on this site
    assert "Danke! Ihre Anfrage wurde gesendet." in _text(shown)
    reference = re.search(r'id="reference" dir="ltr">([^<]+)<', shown.content.decode()).group(1)  # type: ignore[union-attr]
    inquiry = Inquiry.objects.get(reference=reference)
    assert inquiry.provider_id == office.id

    # The provider's mail arrived at the SMTP server with the answer page's link.
    mail = _mail(mail_store, office.email)
    body = mail_store.text(mail)
    assert MESSAGE in body and "Bitte zurückrufen: 9-12" in body
    answer = ANSWER_LINK.search(body).group(1)  # type: ignore[union-attr]
    receipt = mail_store.text(_mail(mail_store, person))
    assert TRACKING_LINK.search(receipt).group(1).split("?")[0] == tracking.split("?")[0]  # type: ignore[union-attr]

    # Opening the answer page shows the inquiry and marks it read, once.
    for _ in range(2):
        opened = client.get(answer)
        assert opened.status_code == 200 and 'data-status="read"' in opened.content.decode()
    assert MESSAGE in _text(opened) and person in _text(opened)
    assert inquiry.events.filter(action="read").count() == 1
    assert opened["X-Robots-Tag"] == "noindex, nofollow"

    reply = "Kommen Sie am Dienstag um 10 Uhr, bringen Sie die Rechnungen mit."
    done = client.post(f"{answer}/senden", {"action": "reply", "text": reply})
    assert done.status_code == 303 and "ok=1" in done["Location"]
    assert "Gespeichert." in _text(client.get(done["Location"]))

    # The person sees the reply on the tracking page, and can write again.
    seen = _text(client.get(tracking))
    assert reply in seen and "Vom Angebot gelesen" in seen
    again = client.post(f"{tracking.split('?')[0]}/nachricht", {"text": "Passt, danke!"})
    assert again.status_code == 303
    assert "Passt, danke!" in _text(client.get(again["Location"]))


def test_decline_offers_similar_services_and_resends(
    worker: Any, mail_store: Any, es_client: Any
) -> None:
    category = ["wohnen/notunterkunft"]
    name = f"Notunterkunft {uuid.uuid4().hex[:6]}"
    asked = provider(email=_address("asked"), categories=category, name=f"{name} Nord")
    other = provider(email=_address("other"), categories=category, name=f"{name} Süd")

    def indexed() -> bool:
        """Found by the search the tracking page runs (the worker indexes the saved rows)."""
        es_client.indices.refresh(index=django_settings.INDEXER.alias)
        ids = {hit["id"] for hit in similar_services(Inquiry(category=category[0]), "de")}
        return other.id in ids

    wait_until(indexed, timeout=15.0)
    client = _client()
    # From a result, straight to the form (only the database's entries can be asked).
    results = client.get("/", {"q": name}).content.decode()
    ask = re.search(rf'<a href="(/p/{asked.id}[^"]*#sec-inquiry)" id="ask-{asked.id}"', results)
    assert ask  # the click is counted, then the page (a browser keeps the #fragment)
    page = client.get(html.unescape(ask.group(1)), follow=True).content.decode()
    assert 'id="inquiry-form"' in page and 'id="sec-inquiry"' in page
    tracking = _submit(client, asked.id)["Location"].split("?")[0]
    answer = ANSWER_LINK.search(mail_store.text(_mail(mail_store, asked.email))).group(1)  # type: ignore[union-attr]
    client.get(answer)
    declined = client.post(f"{answer}/senden", {"action": "decline", "reason": "no_capacity"})
    assert declined.status_code == 303

    shown = client.get(tracking).content.decode()
    assert "Vom Angebot abgelehnt" in html.unescape(shown) and "Keine Kapazität" in shown
    assert 'id="sec-similar"' in shown and f'value="{other.id}"' in shown
    assert f'value="{asked.id}"' not in shown  # not the one that declined

    # Without the consent box ticked nothing is sent; with it, a new inquiry.
    refused = client.post(f"{tracking}/erneut", {"provider_id": other.id})
    assert refused.status_code == 422 and "Bitte stimmen Sie der Weitergabe zu" in _text(refused)
    resent = client.post(f"{tracking}/erneut", {"provider_id": other.id, "consent": "on"})
    assert resent.status_code == 303 and resent["Location"].split("?")[0] != tracking
    new = Inquiry.objects.get(provider_id=other.id)
    assert new.status in ("received", "delivered")
    assert MESSAGE in mail_store.text(_mail(mail_store, other.email))


@pytest.mark.parametrize(
    ("lang", "consent_error", "direction"),
    [
        ("de", "Bitte stimmen Sie der Weitergabe zu", 'dir="ltr"'),
        ("ar", "يرجى الموافقة على نقل بياناتك", 'dir="rtl"'),
    ],
)
def test_field_errors_in_the_page_language_keep_the_input(
    services: Any, lang: str, consent_error: str, direction: str
) -> None:
    office = provider(email=_address("beratung"))
    client = _client(lang)
    typed = "Kurz"
    answer = _submit(client, office.id, message=typed, contact_email="kein-at", consent=None)
    page = _text(answer)
    assert answer.status_code == 422
    assert f'<html lang="{lang}" {direction}>' in page
    assert f">{typed}</textarea>" in page and 'value="kein-at"' in page  # input kept
    assert 'aria-invalid="true"' in page
    # every refused field is named at once, next to it, in the page's language
    short = {"de": "mindestens 10 Zeichen", "ar": "10 أحرف على الأقل"}[lang]
    wrong = {"de": "keine gültige E-Mail-Adresse", "ar": "ليس عنوان بريد إلكتروني صالحًا"}[lang]
    assert consent_error in page and short in page and wrong in page
    for field in ("message", "contact_email", "consent"):
        assert f'id="e-{field}"' in page, field
    fixed = _submit(client, office.id, message=typed, contact_email="kein-at")
    assert fixed.status_code == 422 and short in _text(fixed) and consent_error not in _text(fixed)
    bad_mail = _submit(client, office.id, contact_email="kein-at")
    assert bad_mail.status_code == 422 and wrong in _text(bad_mail)
    assert 'id="e-message"' not in _text(bad_mail)  # only the refused field is marked
    assert not Inquiry.objects.filter(provider_id=office.id).exists()


def test_honeypot_and_fill_time_refuse_with_a_clear_message(services: Any, settings: Any) -> None:
    office = provider(email=_address("beratung"))
    client = _client()
    trapped = _submit(client, office.id, website="https://spam.example")
    assert trapped.status_code == 400 and "verstecktes Feld" in _text(trapped)
    assert MESSAGE in _text(trapped)  # the message is kept for a person to send again
    settings.INQUIRY_MIN_FILL_SECONDS = 60
    hurried = _submit(client, office.id)
    assert hurried.status_code == 400 and "Das ging sehr schnell" in _text(hurried)
    assert not Inquiry.objects.filter(provider_id=office.id).exists()


def test_tampered_and_expired_links_get_a_clear_page(services: Any) -> None:
    client = _client()
    token = tracking_token("SA-ZZZZ-ZZZZ")  # ours, but for no inquiry
    for path in (
        "/anfrage/nicht-signiert",
        f"/anfrage/{token[:-2]}xx",
        f"/anfrage/{token}",
        "/antwort/nicht-signiert",
        f"/antwort/{token}",  # a tracking token is no answer token
    ):
        page = client.get(path)
        assert page.status_code == 404, path
        assert "Dieser Link ist ungültig" in _text(page)
    posted = client.post("/antwort/nicht-signiert/senden", {"action": "accept"})
    assert posted.status_code == 404
    office = provider(email=_address("beratung"))
    Inquiry.objects.all().delete()
    sent = _submit(client, office.id)
    inquiry = Inquiry.objects.get(provider_id=office.id)
    inquiry.purged_at = inquiry.created
    inquiry.save()
    gone = client.get(sent["Location"])
    assert gone.status_code == 410 and "Dieser Link gilt nicht mehr" in _text(gone)


def test_privacy_notice_names_the_retention(services: Any) -> None:
    page = _client("en").get("/datenschutz")
    assert page.status_code == 200 and "Privacy notice" in _text(page)
    assert f"{django_settings.INQUIRIES.retention_days} days" in _text(page)
