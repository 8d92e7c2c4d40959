"""What a person or a provider may write into an inquiry, checked field by field.

Pure (no database): every rule that can refuse input lives here, so the API, the web form
and the tests share one reading; a refusal names every bad field with a stable code
(:class:`~directory.errors.InquiryInvalid`), which the API and the pages put into the
person's language. Contacts are normalised as provider records are
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


class Problems:
    """The refusals of one submission, collected so that every bad field is named at once
    (a person fixes the form in one go instead of meeting one refusal after another)."""

    def __init__(self) -> None:
        self.found: dict[str, tuple[str, str]] = {}  # field -> (code, English reason)

    def add(self, field: str, code: str, reason: str) -> None:
        self.found.setdefault(field, (code, reason))

    def text(self, text: str | None, limit: int, field: str, multiline: bool = True) -> str | None:
        """:func:`clean_text`, its refusal recorded (None) instead of raised."""
        try:
            return clean_text(text, limit, field, multiline)
        except InquiryInvalid as exc:
            self.add(field, exc.fields.get(field, "invalid"), str(exc).partition(": ")[2])
            return None

    def check(self) -> None:
        """Raise one :class:`InquiryInvalid` naming every refused field, if there is any."""
        if self.found:
            detail = "; ".join(f"{field}: {reason}" for field, (_, reason) in self.found.items())
            raise InquiryInvalid(detail, {field: code for field, (code, _) in self.found.items()})


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
        raise InquiryInvalid(
            f"{field}: at most {limit} characters, got {len(cleaned)}", {field: "too_long"}
        )
    return cleaned


def clean_draft(draft: Draft, max_links: int) -> CleanDraft:
    """The draft cleaned; every field that cannot be accepted is refused by name and code."""
    problems = Problems()
    if draft.consent is not True:
        problems.add(
            "consent",
            "consent_required",
            "the provider can only be asked if you agree that your message and contact are "
            "passed on to it",
        )
    message = problems.text(draft.message, MESSAGE_MAX, "message")
    if message is not None and len(message) < MESSAGE_MIN:
        problems.add("message", "too_short", f"at least {MESSAGE_MIN} characters, please")
    elif message is not None and (links := count_links(message)) > max_links:
        problems.add(
            "message",
            "too_many_links",
            f"at most {max_links} links, found {links} (links are a sign of spam)",
        )
    email = ""
    if draft.contact_email and draft.contact_email.strip():
        email = clean_email(draft.contact_email[:254]) or ""
        if not email:
            problems.add("contact_email", "invalid_email", "this is not an e-mail address")
    phone = ""
    if draft.contact_phone and draft.contact_phone.strip():
        phone = clean_phone(draft.contact_phone[:40])[0] or ""
        if not phone:
            problems.add("contact_phone", "invalid_phone", "this is not a phone number we can call")
    if not (draft.contact_email or "").strip() and not (draft.contact_phone or "").strip():
        problems.add(
            "contact_email",
            "contact_missing",
            "give an e-mail address or a phone number (or both), so that the provider can answer",
        )
    language = (draft.language or "de").strip().lower()
    if not LANGUAGE.match(language):
        problems.add("language", "invalid_language", "a language code such as de, en, ar or uk")
    times = problems.text(draft.contact_times, TIMES_MAX, "contact_times", multiline=False)
    name = problems.text(draft.name, NAME_MAX, "name", multiline=False)
    problems.check()
    return CleanDraft(
        provider_id=draft.provider_id.strip()[:32],
        message=message or "",
        contact_email=email,
        contact_phone=phone,
        contact_times=times or "",
        language=language,
        name=name or "",
    )


def clean_note(text: str | None, field: str, required: bool) -> str:
    """A reply, a message or a reason: bounded, and present where the action needs it."""
    note = clean_text(text, NOTE_MAX, field)
    if required and not note:
        raise InquiryInvalid(f"{field}: this action needs a text", {field: "required"})
    return note
