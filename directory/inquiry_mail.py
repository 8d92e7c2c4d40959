"""The e-mails of the inquiry workflow, written into the outbox with the change they report.

Each mail is a row of :class:`~directory.inquiry_models.OutboundMail`, created inside the
caller's transaction (:func:`post`): the change and its mail commit together or not at all.
Recipient and body are sealed like every other piece of personal data.

The texts are gettext messages (sources in :mod:`directory.inquiry_texts`, translations in
the interface's catalogues). A mail to the person is written in the language the person
chose, when the site speaks it; for any other language in German with English below it.
Mails to providers and the coordination desk are German, the language of the city's services.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import translation

from configuration.languages import UI_LANGUAGES
from directory.inquiry_config import InquiryConfig
from directory.inquiry_models import Inquiry, OutboundMail
from directory.inquiry_texts import (
    MAIL,
    PERSON_KINDS,
    REASONS,
    body_key,
    subject_key,
)
from directory.inquiry_tokens import (
    ANSWER_PATH,
    TRACKING_PATH,
    Audience,
    answer_token,
    tracking_token,
)
from directory.models import ServiceAtLocation
from directory.workdays import CITY_TIME

PROVIDER_LANGUAGE = "de"
FALLBACK_LANGUAGES = ("de", "en")  # a person whose language the site does not speak
SIGNATURE = "\n\n-- \nSozialatlas Chemnitz · {reference}\n"


def text(key: str, lang: str, **values: Any) -> str:
    """The catalogue's ``key`` in ``lang`` (German where untranslated), filled in."""
    with translation.override(lang):
        return translation.pgettext(key, MAIL[key]) % values


def reason_text(code: str, lang: str) -> str:
    """A decline reason as the person's language says it (the pages' words)."""
    key = f"reason_{code}"
    if key not in REASONS:
        return code
    with translation.override(lang):
        return translation.pgettext(key, REASONS[key])


def mail_languages(kind: str, language: str) -> tuple[str, ...]:
    """The languages a mail of ``kind`` is written in, first the one of its subject."""
    if kind not in PERSON_KINDS:
        return (PROVIDER_LANGUAGE,)
    return (language,) if language in UI_LANGUAGES else FALLBACK_LANGUAGES


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
    values: dict[str, Any] = {
        "reference": inquiry.reference,
        "provider_name": inquiry.provider_name or inquiry.provider_id,
        "provider_id": inquiry.provider_id,
        "created": f"{inquiry.created.astimezone(CITY_TIME):%d.%m.%Y}",
        "link_days": config.link_days,
        "desk_note": "",
        "note": "",
        "reason": "",
        "days": "",
        **fields,
    }
    audience: Audience = values.pop("audience", "provider")
    if kind in PERSON_KINDS:  # the person's link; a provider's mail never carries it
        token = tracking_token(inquiry.reference)
        values["tracking_url"] = config.url(TRACKING_PATH.format(token=token))
    else:
        token = answer_token(inquiry.reference, inquiry.provider_id, audience, now.timestamp())
        values["answer_url"] = config.url(ANSWER_PATH.format(token=token))
    languages = mail_languages(kind, inquiry.language)
    bodies = [_body(kind, lang, values) for lang in languages]
    subject = text(subject_key(kind), languages[0], **values)
    body = "\n\n— English —\n\n".join(bodies)
    return subject, body + SIGNATURE.format(reference=inquiry.reference)


def _body(kind: str, lang: str, values: dict[str, Any]) -> str:
    """One language's body, its shared paragraphs in the same language."""
    note = str(values["note"])
    local = {
        **values,
        "note_block": "\n\n" + text("mail_note", lang, note=note) if note else "",
        "answer": text("mail_answer", lang, **values) if "answer_url" in values else "",
        "track": text("mail_track", lang, **values) if "tracking_url" in values else "",
        "reason": reason_text(values["reason"], lang) if values["reason"] else "",
    }
    if kind == "provider_new":
        local["contact"] = text("mail_contact", lang, **_contact(values, lang))
    return text(body_key(kind), lang, **local)


def _contact(values: dict[str, Any], lang: str) -> dict[str, str]:
    missing = text("mail_not_given", lang)
    return {
        name: str(values.get(name) or missing)
        for name in ("name", "email", "phone", "times", "language")
    }


def desk_note(provider: ServiceAtLocation | None) -> str:
    """The paragraph that tells the desk why an inquiry to a provider reached it."""
    if provider is None:
        return text("mail_desk_gone", PROVIDER_LANGUAGE) + "\n\n"
    values = {"provider_name": provider.name, "provider_id": provider.id}
    return text("mail_desk_no_email", PROVIDER_LANGUAGE, **values) + "\n\n"


def forwarded_note() -> str:
    return text("mail_forwarded_by", PROVIDER_LANGUAGE) + "\n\n"


def contact_fields(name: str, email: str, phone: str, times: str, language: str) -> dict[str, str]:
    """The contact block's values; an empty one is written as "not given" in the mail's
    language when the mail is rendered."""
    return {"name": name, "email": email, "phone": phone, "times": times, "language": language}


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
