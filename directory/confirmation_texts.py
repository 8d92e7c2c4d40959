"""The German sources of the confirmation cycle's mails: gettext messages like the inquiry
mails (:mod:`directory.inquiry_texts`).

Plain data (no Django), carried into the catalogues by :func:`api.messages.all_messages`
(``api/locale/<lang>``). The mails go to providers and are sent in German, the language of
the city's services (:mod:`directory.confirmation_mail`); the translations let the editors
read them and keep the door open for providers who prefer another language.

Placeholders are Python's ``%(name)s``: translators may move them, never rename or drop them.
"""

from __future__ import annotations

# Subject by the number of reminders sent before (0: the request itself).
SUBJECT_KEYS: dict[int, str] = {
    0: "mail_confirm_request_subject",
    1: "mail_confirm_reminder_subject",
    2: "mail_confirm_last_reminder_subject",
}
BODY_KEY = "mail_confirm_request"

MAIL: dict[str, str] = {
    "mail_confirm_request_subject": "Ist Ihr Eintrag im Sozialatlas noch aktuell? – %(name)s",
    "mail_confirm_reminder_subject": (
        "Erinnerung: Bitte bestätigen Sie Ihren Eintrag im Sozialatlas – %(name)s"
    ),
    "mail_confirm_last_reminder_subject": (
        "Letzte Erinnerung: Bitte bestätigen Sie Ihren Eintrag im Sozialatlas – %(name)s"
    ),
    BODY_KEY: (
        "Guten Tag,\n\n"
        "im Sozialatlas Chemnitz steht Ihr Angebot „%(name)s“. Damit Ratsuchende richtige "
        "Angaben finden, bitten wir Sie, den Eintrag zu prüfen. Über diesen Link sehen Sie "
        "ihn und können mit einem Klick bestätigen, dass er stimmt, Änderungen vorschlagen "
        "oder mitteilen, dass das Angebot geschlossen oder pausiert ist:\n\n%(url)s\n\n"
        "Der Link ist %(days)s Tage gültig. Ein Konto brauchen Sie nicht. Änderungen prüft "
        "die Redaktion, bevor sie erscheinen.\n\n"
        "Bitte antworten Sie nicht auf diese E-Mail."
    ),
}

NOTES: dict[str, str] = {
    "mail_confirm_request_subject": "Subject: a service is asked to check its entry (in German).",
    "mail_confirm_reminder_subject": "Subject of the first reminder to a service (sent in German).",
    "mail_confirm_last_reminder_subject": "Subject of the last reminder to a service (in German).",
    BODY_KEY: "E-mail to a service (in German); %(url)s: its private link, %(days)s: days valid.",
}


def note(key: str) -> str:
    """The translators' note of a confirmation mail message."""
    return NOTES[key]
