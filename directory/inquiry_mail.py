"""The e-mails of the inquiry workflow, written into the outbox with the change they report.

Each mail is a row of :class:`~directory.inquiry_models.OutboundMail`, created inside the
caller's transaction (:func:`post`): the change and its mail commit together or not at all.
Recipient and body are sealed like every other piece of personal data. Texts for providers
and the coordination desk are German; a person gets German and, for any other language,
English below it (the interface's gettext catalogues take over with the web pages).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from directory.inquiry_config import InquiryConfig
from directory.inquiry_models import Inquiry, OutboundMail
from directory.inquiry_tokens import (
    ANSWER_PATH,
    TRACKING_PATH,
    Audience,
    answer_token,
    tracking_token,
)
from directory.models import ServiceAtLocation
from directory.workdays import CITY_TIME

_CONTACT = (
    "Name: {name}\nE-Mail: {email}\nTelefon: {phone}\nErreichbar: {times}\n"
    "Bevorzugte Sprache: {language}"
)
_ANSWER = (
    "Bitte antworten Sie über diesen Link (antworten, annehmen, ablehnen, weiterleiten, "
    "erledigt); er ist {link_days} Tage gültig:\n{answer_url}\n\n"
    "Bitte antworten Sie nicht auf diese E-Mail."
)
_TRACK_DE = (
    "Den Stand Ihrer Anfrage sehen Sie hier (ohne Konto, bitte aufbewahren):\n{tracking_url}"
)
_TRACK_EN = "See the status of your inquiry here (no account needed, please keep):\n{tracking_url}"

# kind -> (subject, German body, English body for people who asked in another language)
TEXTS: dict[str, tuple[str, str, str]] = {
    "provider_new": (
        "Neue Anfrage über den Sozialatlas [{reference}]",
        "Guten Tag,\n\nüber den Sozialatlas Chemnitz hat eine Person eine Anfrage an "
        "{provider_name} gesendet.\n\n{desk_note}Nachricht:\n{message}\n\n"
        + _CONTACT
        + "\n\n"
        + _ANSWER,
        "",
    ),
    "provider_message": (
        "Neue Nachricht zur Anfrage [{reference}]",
        "Guten Tag,\n\nzur Anfrage {reference} hat die anfragende Person geschrieben:\n\n"
        "{note}\n\n" + _ANSWER,
        "",
    ),
    "provider_withdrawn": (
        "Anfrage zurückgezogen [{reference}]",
        "Guten Tag,\n\ndie Person hat ihre Anfrage {reference} zurückgezogen. "
        "Es ist nichts mehr zu tun.{note_block}",
        "",
    ),
    "provider_reminder": (
        "Erinnerung: unbeantwortete Anfrage [{reference}]",
        "Guten Tag,\n\ndie Anfrage {reference} an {provider_name} vom {created} ist noch "
        "nicht geöffnet worden. Die Person wartet auf eine Antwort.\n\n" + _ANSWER,
        "",
    ),
    "desk_escalation": (
        "Ohne Antwort: Anfrage [{reference}] an {provider_name}",
        "Guten Tag,\n\ndie Anfrage {reference} an {provider_name} ({provider_id}) vom "
        "{created} ist seit {days} Arbeitstagen ohne Antwort. Bitte vermitteln Sie.\n\n" + _ANSWER,
        "",
    ),
    "person_received": (
        "Ihre Anfrage an {provider_name} [{reference}]",
        "Guten Tag,\n\nIhre Anfrage an {provider_name} ist angekommen. Referenz: "
        "{reference}\n\n" + _TRACK_DE,
        "Hello,\n\nyour inquiry to {provider_name} has arrived. Reference: {reference}\n\n"
        + _TRACK_EN,
    ),
    "person_reply": (
        "Antwort von {provider_name} [{reference}]",
        "Guten Tag,\n\n{provider_name} hat auf Ihre Anfrage geantwortet:\n\n{note}\n\n" + _TRACK_DE,
        "Hello,\n\n{provider_name} has answered your inquiry (the answer is above).\n\n"
        + _TRACK_EN,
    ),
    "person_accepted": (
        "Anfrage angenommen [{reference}]",
        "Guten Tag,\n\n{provider_name} hat Ihre Anfrage angenommen und meldet sich bei "
        "Ihnen.{note_block}\n\n" + _TRACK_DE,
        "Hello,\n\n{provider_name} has accepted your inquiry and will contact you.\n\n" + _TRACK_EN,
    ),
    "person_declined": (
        "Anfrage abgelehnt [{reference}]",
        "Guten Tag,\n\n{provider_name} kann Ihre Anfrage leider nicht übernehmen "
        "(Grund: {reason}).{note_block}\n\nAuf der Seite Ihrer Anfrage finden Sie ähnliche "
        "Angebote.\n\n" + _TRACK_DE,
        "Hello,\n\nunfortunately {provider_name} cannot take on your inquiry. Similar "
        "services are listed on the page of your inquiry.\n\n" + _TRACK_EN,
    ),
    "person_forwarded": (
        "Anfrage weitergeleitet [{reference}]",
        "Guten Tag,\n\nIhre Anfrage wurde an {provider_name} weitergeleitet, das Ihnen "
        "besser helfen kann.\n\n" + _TRACK_DE,
        "Hello,\n\nyour inquiry was forwarded to {provider_name}, who can help you better.\n\n"
        + _TRACK_EN,
    ),
    "person_expired": (
        "Anfrage ohne Antwort [{reference}]",
        "Guten Tag,\n\nauf Ihre Anfrage an {provider_name} kam leider keine Antwort. "
        "Auf der Seite Ihrer Anfrage finden Sie ähnliche Angebote.\n\n" + _TRACK_DE,
        "Hello,\n\n{provider_name} has not answered your inquiry. Similar services are "
        "listed on the page of your inquiry.\n\n" + _TRACK_EN,
    ),
}


@dataclass(frozen=True)
class Recipient:
    address: str
    audience: Audience  # who acts on an answer link in this mail


def provider_recipient(provider: ServiceAtLocation | None, config: InquiryConfig) -> Recipient:
    """The provider's address, else the coordination desk (no e-mail, or left the directory)."""
    if provider is not None and provider.email:
        return Recipient(provider.email, "provider")
    return Recipient(config.desk_email, "desk")


def post(
    inquiry: Inquiry,
    kind: str,
    to: str,
    config: InquiryConfig,
    now: datetime,
    marks_delivered: bool = False,
    **fields: Any,
) -> OutboundMail:
    """Write one mail of ``kind`` to the outbox (call inside the change's transaction)."""
    subject, body = render(inquiry, kind, config, now, **fields)
    return OutboundMail.objects.create(
        message_id=f"<{uuid.uuid4().hex}@{config.mail_domain}>",
        inquiry=inquiry,
        kind=kind,
        marks_delivered=marks_delivered,
        recipient_sealed=config.cipher.seal(to),
        subject=subject[:300],
        body_sealed=config.cipher.seal(body),
        next_attempt_at=now,
        created=now,
    )


def render(
    inquiry: Inquiry, kind: str, config: InquiryConfig, now: datetime, **fields: Any
) -> tuple[str, str]:
    """(subject, body) of a mail; answer links are issued fresh (``now``) for each mail."""
    subject, german, english = TEXTS[kind]
    values: dict[str, Any] = {
        "reference": inquiry.reference,
        "provider_name": inquiry.provider_name or inquiry.provider_id,
        "provider_id": inquiry.provider_id,
        "created": f"{inquiry.created.astimezone(CITY_TIME):%d.%m.%Y}",
        "link_days": config.link_days,
        "desk_note": "",
        "note": "",
        **fields,
    }
    note = str(values["note"])
    values["note_block"] = f"\n\nNachricht / message:\n{note}" if note else ""
    if "{answer_url}" in german:
        audience: Audience = values.pop("audience", "provider")
        token = answer_token(inquiry.reference, inquiry.provider_id, audience, now.timestamp())
        values["answer_url"] = config.url(ANSWER_PATH.format(token=token))
    if "{tracking_url}" in german:
        token = tracking_token(inquiry.reference)
        values["tracking_url"] = config.url(TRACKING_PATH.format(token=token))
    body = german.format(**values)
    if english and inquiry.language != "de":
        body += "\n\n— English —\n\n" + english.format(**values)
    return subject.format(**values), body + f"\n\n-- \nSozialatlas Chemnitz · {inquiry.reference}\n"


def contact_fields(name: str, email: str, phone: str, times: str, language: str) -> dict[str, str]:
    """The contact block's values as the provider sees them."""
    missing = "(nicht angegeben)"
    return {
        "name": name or missing,
        "email": email or missing,
        "phone": phone or missing,
        "times": times or missing,
        "language": language,
    }


def sealed_contact(inquiry: Inquiry, config: InquiryConfig) -> dict[str, Any]:
    """The contact block's values from an inquiry's sealed fields (forward, reroute)."""
    cipher = config.cipher
    return contact_fields(
        cipher.open(inquiry.name_sealed),
        cipher.open(inquiry.contact_email_sealed),
        cipher.open(inquiry.contact_phone_sealed),
        cipher.open(inquiry.contact_times_sealed),
        inquiry.language,
    )
