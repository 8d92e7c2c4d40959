"""The mails of the confirmation cycle, written into the outbox (German, as every mail to
providers is: the language of the city's services, :data:`PROVIDER_LANGUAGE`).

The texts are gettext messages (sources in :mod:`directory.confirmation_texts`, translations
in the catalogues), read in the provider's language as the inquiry mails are.

Like the inquiry mails (:mod:`directory.inquiry_mail`) a row of the outbox is created in
the caller's transaction, recipient and body sealed; the outbox sends it over SMTP with
retries (:mod:`directory.outbox`).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils import timezone, translation

from directory.confirmation_texts import BODY_KEY, MAIL, SUBJECT_KEYS
from directory.inquiry_mail import PROVIDER_LANGUAGE
from directory.inquiry_models import OutboundMail

if TYPE_CHECKING:
    from directory.confirm_config import ConfirmConfig
    from directory.confirmation_models import ConfirmationRequest

PAGE_PATH = "/eintrag/{token}"  # the self-service page (api/web/confirm_page.py)
KINDS = {0: "confirm_request", 1: "confirm_reminder", 2: "confirm_reminder"}
SIGNATURE = "\n\n-- \nSozialatlas Chemnitz · %(entry)s\n"


def text(key: str, lang: str, **values: object) -> str:
    """The catalogue's ``key`` in ``lang`` (German where untranslated), filled in."""
    with translation.override(lang):
        return translation.pgettext(key, MAIL[key]) % values


def post_request(
    request: ConfirmationRequest, to: str, config: ConfirmConfig, token: str, now: datetime
) -> OutboundMail:
    """The request (or, by its reminder count, a reminder) with a fresh link, to the outbox."""
    lang = PROVIDER_LANGUAGE
    values = {
        "name": request.service.name,
        "url": config.mail.url(PAGE_PATH.format(token=token)),
        "days": config.link_days,
        "entry": request.entry_id,
    }
    return OutboundMail.objects.create(
        message_id=f"<{uuid.uuid4().hex}@{config.mail.mail_domain}>",
        kind=KINDS[request.reminders],
        recipient_sealed=config.mail.cipher.seal(to),
        subject=text(SUBJECT_KEYS[request.reminders], lang, **values)[:300],
        body_sealed=config.mail.cipher.seal(text(BODY_KEY, lang, **values) + SIGNATURE % values),
        next_attempt_at=min(now, timezone.now()),  # due at once, whatever ``now`` says
        created=now,
    )
