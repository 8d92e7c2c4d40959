"""The mails of the confirmation cycle, written into the outbox (German, as every mail to
providers is: the language of the city's services).

Like the inquiry mails (:mod:`directory.inquiry_mail`) a row of the outbox is created in
the caller's transaction, recipient and body sealed; the outbox sends it over SMTP with
retries (:mod:`directory.outbox`).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from directory.inquiry_models import OutboundMail

if TYPE_CHECKING:
    from directory.confirm_config import ConfirmConfig
    from directory.confirmation_models import ConfirmationRequest

SUBJECTS = {
    0: "Ist Ihr Eintrag im Sozialatlas noch aktuell? – %(name)s",
    1: "Erinnerung: Bitte bestätigen Sie Ihren Eintrag im Sozialatlas – %(name)s",
    2: "Letzte Erinnerung: Bitte bestätigen Sie Ihren Eintrag im Sozialatlas – %(name)s",
}
BODY = (
    "Guten Tag,\n\n"
    "im Sozialatlas Chemnitz steht Ihr Angebot „%(name)s“. Damit Ratsuchende richtige "
    "Angaben finden, bitten wir Sie, den Eintrag zu prüfen. Über diesen Link sehen Sie ihn "
    "und können mit einem Klick bestätigen, dass er stimmt, Änderungen vorschlagen oder "
    "mitteilen, dass das Angebot geschlossen oder pausiert ist:\n\n%(url)s\n\n"
    "Der Link ist %(days)s Tage gültig. Ein Konto brauchen Sie nicht. Änderungen prüft die "
    "Redaktion, bevor sie erscheinen.\n\n"
    "Bitte antworten Sie nicht auf diese E-Mail.\n\n-- \nSozialatlas Chemnitz · %(entry)s\n"
)
PAGE_PATH = "/eintrag/{token}"  # the self-service page (api/web/confirm_page.py)
KINDS = {0: "confirm_request", 1: "confirm_reminder", 2: "confirm_reminder"}


def post_request(
    request: ConfirmationRequest, to: str, config: ConfirmConfig, token: str, now: datetime
) -> OutboundMail:
    """The request (or, by its reminder count, a reminder) with a fresh link, to the outbox."""
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
        subject=(SUBJECTS[request.reminders] % values)[:300],
        body_sealed=config.mail.cipher.seal(BODY % values),
        next_attempt_at=min(now, timezone.now()),  # due at once, whatever ``now`` says
        created=now,
    )
