"""What a person or a provider may write into an inquiry, checked field by field.

Pure (no database): every rule that can refuse input lives here, so the API, the later web
form and the tests share one reading, and every refusal names its field
(:class:`~directory.errors.InquiryInvalid`). Contacts are normalised as provider records are
(:mod:`directory.records`): e-mail addresses in lower case, phone numbers in E.164.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from directory.errors import InquiryInvalid
from directory.records import clean_email, clean_phone

MESSAGE_MIN = 10
MESSAGE_MAX = 4000
NAME_MAX = 100
TIMES_MAX = 200
NOTE_MAX = 4000
LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[a-z]{2,8})?$")
# http(s)://…, www.…, and bare host/path ("bit.ly/x"); an e-mail address is no link.
_LINK = re.compile(r"(?i)\b(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/\S*")
_CONTROL = {"Cc", "Cf", "Cs", "Co", "Cn"}


@dataclass(frozen=True)
class Draft:
    """An inquiry as submitted (API, later the form)."""

    provider_id: str
    message: str
    contact_email: str | None = None
    contact_phone: str | None = None
    contact_times: str | None = None
    language: str = "de"
    name: str | None = None
    consent: bool = False


@dataclass(frozen=True)
class CleanDraft:
    provider_id: str
    message: str
    contact_email: str
    contact_phone: str
    contact_times: str
    language: str
    name: str


def count_links(text: str) -> int:
    """Links in a text, however written; spam carries them, a person asking for help rarely."""
    return len(_LINK.findall(text))


def clean_text(text: str | None, limit: int, field: str, multiline: bool = True) -> str:
    """Text without control characters (line breaks kept where allowed), trimmed, bounded."""
    if not text:
        return ""
    kept = []
    for char in unicodedata.normalize("NFC", text):
        if char in "\n\t" and multiline:
            kept.append(char)
        elif char in "\r":
            continue
        elif unicodedata.category(char) in _CONTROL and char not in "\u200c\u200d":
            kept.append(" " if char in "\n\t" else "")  # ZWJ/ZWNJ stay: Persian needs them
        else:
            kept.append(char)
    cleaned = "".join(kept).strip()
    if len(cleaned) > limit:
        raise InquiryInvalid(f"{field}: at most {limit} characters, got {len(cleaned)}")
    return cleaned


def clean_draft(draft: Draft, max_links: int) -> CleanDraft:
    """The draft cleaned; the first field that cannot be accepted is refused by name."""
    if draft.consent is not True:
        raise InquiryInvalid(
            "consent: the provider can only be asked if you agree that your message and "
            "contact are passed on to it"
        )
    message = clean_text(draft.message, MESSAGE_MAX, "message")
    if len(message) < MESSAGE_MIN:
        raise InquiryInvalid(f"message: at least {MESSAGE_MIN} characters, please")
    links = count_links(message)
    if links > max_links:
        raise InquiryInvalid(
            f"message: at most {max_links} links, found {links} (links are a sign of spam)"
        )
    email = ""
    if draft.contact_email and draft.contact_email.strip():
        email = clean_email(draft.contact_email[:254]) or ""
        if not email:
            raise InquiryInvalid("contact_email: this is not an e-mail address")
    phone = ""
    if draft.contact_phone and draft.contact_phone.strip():
        phone = clean_phone(draft.contact_phone[:40])[0] or ""
        if not phone:
            raise InquiryInvalid("contact_phone: this is not a phone number we can call")
    if not email and not phone:
        raise InquiryInvalid(
            "contact_email: give an e-mail address or a phone number (or both), "
            "so that the provider can answer"
        )
    language = (draft.language or "de").strip().lower()
    if not LANGUAGE.match(language):
        raise InquiryInvalid("language: a language code such as de, en, ar or uk")
    return CleanDraft(
        provider_id=draft.provider_id.strip()[:32],
        message=message,
        contact_email=email,
        contact_phone=phone,
        contact_times=clean_text(draft.contact_times, TIMES_MAX, "contact_times", False),
        language=language,
        name=clean_text(draft.name, NAME_MAX, "name", multiline=False),
    )


def clean_note(text: str | None, field: str, required: bool) -> str:
    """A reply, a message or a reason: bounded, and present where the action needs it."""
    note = clean_text(text, NOTE_MAX, field)
    if required and not note:
        raise InquiryInvalid(f"{field}: this action needs a text")
    return note
