"""The German sources of the inquiry mails: gettext messages like every interface string.

Plain data (no Django), declared here because the directory writes the mails, and carried
into the catalogues by :func:`api.messages.all_messages` (``api/locale/<lang>``), where
translators see them with the pages' strings. Each key is the entry's ``msgctxt``; a mail
of ``kind`` has ``mail_<kind>_subject`` and ``mail_<kind>``. Mails to the person are written
in the person's language (:mod:`directory.inquiry_mail`); mails to providers and the
coordination desk in German, the language of the city's services.

Placeholders are Python's ``%(name)s``: translators may move them, never rename or drop them.
"""

from __future__ import annotations

# The reasons a provider gives for declining (the answer page, the tracking page and the
# person's mail); keys are ``reason_<DeclineReason value>``.
REASONS: dict[str, str] = {
    "reason_no_capacity": "Keine Kapazität",
    "reason_not_responsible": "Nicht zuständig",
    "reason_outside_area": "Außerhalb des Gebiets",
    "reason_unreachable": "Person nicht erreichbar",
    "reason_other": "Anderer Grund",
}

# Paragraphs that several mails share, filled in before the mail's own text.
_SHARED: dict[str, str] = {
    "mail_contact": (
        "Name: %(name)s\nE-Mail: %(email)s\nTelefon: %(phone)s\nErreichbar: %(times)s\n"
        "Bevorzugte Sprache: %(language)s"
    ),
    "mail_not_given": "(nicht angegeben)",
    "mail_answer": (
        "Bitte antworten Sie über diesen Link (antworten, annehmen, ablehnen, weiterleiten, "
        "erledigt); er ist %(link_days)s Tage gültig:\n%(answer_url)s\n\n"
        "Bitte antworten Sie nicht auf diese E-Mail."
    ),
    "mail_track": (
        "Den Stand Ihrer Anfrage sehen Sie hier (ohne Konto, bitte aufbewahren):\n%(tracking_url)s"
    ),
    "mail_note": "Nachricht:\n%(note)s",
    "mail_desk_no_email": (
        "Für %(provider_name)s (%(provider_id)s) ist keine E-Mail-Adresse hinterlegt: "
        "bitte vermitteln Sie."
    ),
    "mail_desk_gone": "Der Anbieter ist nicht mehr im Verzeichnis: bitte vermitteln Sie.",
    "mail_forwarded_by": "Weitergeleitet von einem anderen Angebot des Sozialatlas.",
}

# kind -> (subject, body); the recipient of each kind is fixed (PERSON_KINDS or not).
_MAILS: dict[str, tuple[str, str]] = {
    "provider_new": (
        "Neue Anfrage über den Sozialatlas [%(reference)s]",
        "Guten Tag,\n\nüber den Sozialatlas Chemnitz hat eine Person eine Anfrage an "
        "%(provider_name)s gesendet.\n\n%(desk_note)sNachricht:\n%(message)s\n\n%(contact)s"
        "\n\n%(answer)s",
    ),
    "provider_message": (
        "Neue Nachricht zur Anfrage [%(reference)s]",
        "Guten Tag,\n\nzur Anfrage %(reference)s hat die anfragende Person geschrieben:\n\n"
        "%(note)s\n\n%(answer)s",
    ),
    "provider_withdrawn": (
        "Anfrage zurückgezogen [%(reference)s]",
        "Guten Tag,\n\ndie Person hat ihre Anfrage %(reference)s zurückgezogen. Es ist nichts "
        "mehr zu tun.%(note_block)s",
    ),
    "provider_reminder": (
        "Erinnerung: unbeantwortete Anfrage [%(reference)s]",
        "Guten Tag,\n\ndie Anfrage %(reference)s an %(provider_name)s vom %(created)s ist noch "
        "nicht geöffnet worden. Die Person wartet auf eine Antwort.\n\n%(answer)s",
    ),
    "provider_reopened": (
        "Anfrage wieder geöffnet [%(reference)s]",
        "Guten Tag,\n\ndie Koordinierungsstelle hat die Anfrage %(reference)s an "
        "%(provider_name)s vom %(created)s wieder geöffnet.%(note_block)s\n\n%(answer)s",
    ),
    "desk_escalation": (
        "Ohne Antwort: Anfrage [%(reference)s] an %(provider_name)s",
        "Guten Tag,\n\ndie Anfrage %(reference)s an %(provider_name)s (%(provider_id)s) vom "
        "%(created)s ist seit %(days)s Arbeitstagen ohne Antwort. Bitte vermitteln Sie.\n\n"
        "%(answer)s",
    ),
    "person_received": (
        "Ihre Anfrage an %(provider_name)s [%(reference)s]",
        "Guten Tag,\n\nIhre Anfrage an %(provider_name)s ist angekommen. Vorgangsnummer: "
        "%(reference)s\n\n%(track)s",
    ),
    "person_reply": (
        "Antwort von %(provider_name)s [%(reference)s]",
        "Guten Tag,\n\n%(provider_name)s hat auf Ihre Anfrage geantwortet:\n\n%(note)s\n\n"
        "%(track)s",
    ),
    "person_accepted": (
        "Anfrage angenommen [%(reference)s]",
        "Guten Tag,\n\n%(provider_name)s hat Ihre Anfrage angenommen und meldet sich bei "
        "Ihnen.%(note_block)s\n\n%(track)s",
    ),
    "person_declined": (
        "Anfrage abgelehnt [%(reference)s]",
        "Guten Tag,\n\n%(provider_name)s kann Ihre Anfrage leider nicht übernehmen (Grund: "
        "%(reason)s).%(note_block)s\n\nAuf der Seite Ihrer Anfrage finden Sie ähnliche "
        "Angebote.\n\n%(track)s",
    ),
    "person_forwarded": (
        "Anfrage weitergeleitet [%(reference)s]",
        "Guten Tag,\n\nIhre Anfrage wurde an %(provider_name)s weitergeleitet, das Ihnen "
        "besser helfen kann.\n\n%(track)s",
    ),
    "person_expired": (
        "Anfrage ohne Antwort [%(reference)s]",
        "Guten Tag,\n\nauf Ihre Anfrage an %(provider_name)s kam leider keine Antwort. Auf der "
        "Seite Ihrer Anfrage finden Sie ähnliche Angebote.\n\n%(track)s",
    ),
    "person_lapsed": (
        "Anfrage abgeschlossen [%(reference)s]",
        "Guten Tag,\n\nbei Ihrer Anfrage an %(provider_name)s ist seit %(days)s Tagen nichts "
        "mehr geschehen, deshalb haben wir sie abgeschlossen. Brauchen Sie noch Hilfe, finden "
        "Sie auf der Seite Ihrer Anfrage ähnliche Angebote.\n\n%(track)s",
    ),
}

PERSON_KINDS = frozenset(kind for kind in _MAILS if kind.startswith("person_"))
KINDS = frozenset(_MAILS)


def subject_key(kind: str) -> str:
    return f"mail_{kind}_subject"


def body_key(kind: str) -> str:
    return f"mail_{kind}"


MAIL: dict[str, str] = {
    **_SHARED,
    **{key: text for kind, (subject, body) in _MAILS.items()
       for key, text in ((subject_key(kind), subject), (body_key(kind), body))},
}  # fmt: skip

# What a translator cannot tell from the sentence alone.
NOTES: dict[str, str] = {
    "mail_contact": "The contact block of a mail to a social service; keep one line per item.",
    "mail_not_given": "Stands for a contact detail the person left out.",
    "mail_answer": "%(answer_url)s is the service's private link to the answer page.",
    "mail_track": "%(tracking_url)s is the person's private link to the inquiry's page.",
    "mail_note": "Introduces a short text written by the service, the person or the city's desk.",
    "mail_desk_no_email": "To the city's coordination desk, which passes the inquiry on.",
    "mail_provider_new": "%(desk_note)s, %(contact)s, %(answer)s: paragraphs (desk_note ends in "
    "line breaks).",
    "mail_person_declined": "%(reason)s is one of the decline reasons (reason_*).",
    "mail_person_lapsed": "%(days)s is a number of days (for example 60).",
    "mail_desk_escalation": "%(days)s is a number of working days (for example 5).",
    "mail_provider_reopened": "The city's coordination desk opened a closed inquiry again.",
}


def note(key: str) -> str:
    """The translators' note of a mail message (kept short: one ``#.`` line)."""
    if key in NOTES:
        return NOTES[key]
    to_person = key.startswith("mail_person_")
    if key.endswith("_subject"):
        return (
            "Subject of an e-mail to the person (in their language)."
            if to_person
            else ("Subject of an e-mail to a social service or the city's desk (sent in German).")
        )
    if to_person:
        return "E-mail to the person who asked, in their language; keep the line breaks."
    return "E-mail to a social service or the city's desk (sent in German)."
