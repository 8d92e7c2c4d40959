"""The inquiry mails from the catalogues: every kind in every interface language, complete.

No database and no SMTP: :func:`directory.inquiry_mail.render` on an unsaved inquiry, with
the compiled catalogues the settings built. What goes out (through SMTP, from the outbox)
is tested in ``tests/integration/test_inquiries.py``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.conf import settings

from configuration.languages import UI_LANGUAGES
from directory.inquiry_mail import render
from directory.inquiry_models import Inquiry
from directory.inquiry_texts import KINDS, PERSON_KINDS

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
FIELDS = {
    "message": "Ich brauche Hilfe.",
    "note": "Bitte rufen Sie an.",
    "reason": "no_capacity",
    "days": 5,
    "name": "Anna",
    "email": "anna@example.org",
    "phone": "",
    "times": "",
    "language": "uk",
}


def _inquiry(language: str) -> Inquiry:
    return Inquiry(
        reference="SA-AAAA-BBBB",
        provider_id="t-00001",
        provider_name="Beratung Nord",
        language=language,
        created=NOW,
    )


@pytest.mark.parametrize("language", [*UI_LANGUAGES, "fa"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_mail_renders_completely_in_every_language(kind: str, language: str) -> None:
    subject, body = render(_inquiry(language), kind, settings.INQUIRIES, NOW, **FIELDS)
    assert "SA-AAAA-BBBB" in subject and "SA-AAAA-BBBB" in body
    assert "%(" not in subject + body and not re.search(r"%[sd]", subject + body)
    assert body.endswith("Sozialatlas Chemnitz · SA-AAAA-BBBB\n")
    if kind in PERSON_KINDS:  # the person's link, never the provider's
        assert "/anfrage/" in body and "/antwort/" not in body
    elif kind == "provider_withdrawn":  # nothing left to act on
        assert "/antwort/" not in body and "/anfrage/" not in body
    else:
        assert "/antwort/" in body and "/anfrage/" not in body


def test_the_person_reads_their_language_the_provider_german() -> None:
    config = settings.INQUIRIES
    greeting = {"de": "Guten Tag", "en": "Hello", "uk": "Добрий день", "ru": "Здравствуйте",
                "ar": "مرحبًا", "tr": "Merhaba"}  # fmt: skip
    for language in UI_LANGUAGES:
        _, body = render(_inquiry(language), "person_declined", config, NOW, **FIELDS)
        assert body.startswith(greeting[language]), (language, body[:40])
        provider_subject, provider_body = render(
            _inquiry(language), "provider_new", config, NOW, **FIELDS
        )
        assert provider_body.startswith("Guten Tag") and provider_subject.startswith("Neue Anfrage")
    _, arabic = render(_inquiry("ar"), "person_declined", config, NOW, **FIELDS)
    assert "لا توجد قدرة استيعابية" in arabic  # the decline reason in Arabic too
    _, persian = render(_inquiry("fa"), "person_declined", config, NOW, **FIELDS)
    german, english = persian.split("\n\n— English —\n\n")
    assert german.startswith("Guten Tag") and "Keine Kapazität" in german
    assert english.startswith("Hello") and "No capacity" in english
    _, missing = render(_inquiry("de"), "provider_new", config, NOW, **{**FIELDS, "phone": ""})
    assert "Telefon: (nicht angegeben)" in missing
