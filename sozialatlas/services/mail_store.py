"""The messages the local SMTP server kept: listing and reading ``<state>/mail/messages``.

Used by ``sozialatlas mail list | show`` and by the tests, which read what really went
through SMTP (headers, Message-IDs, the links in the body) instead of a mocked backend.
"""

from __future__ import annotations

from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser, BytesParser
from pathlib import Path

from sozialatlas.services.local_service import ServiceError


@dataclass(frozen=True)
class StoredMail:
    id: str  # the file name without .eml: receiving time and a random suffix
    path: Path
    sender: str
    recipients: str  # the envelope's, as the server received them
    to: str
    subject: str
    message_id: str
    date: str


class MailStore:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def all(self) -> list[StoredMail]:
        """Every kept message, oldest first."""
        if not self.directory.is_dir():
            return []
        return [self._summary(path) for path in sorted(self.directory.glob("*.eml"))]

    def to(self, address: str) -> list[StoredMail]:
        """The messages whose envelope names ``address`` (case-insensitive)."""
        wanted = address.lower()
        return [
            mail
            for mail in self.all()
            if wanted in (r.strip().lower() for r in mail.recipients.split(","))
        ]

    def find(self, mail_id: str) -> StoredMail:
        """The message with this id, or the one whose id starts with it."""
        matches = [mail for mail in self.all() if mail.id.startswith(mail_id)]
        exact = [mail for mail in matches if mail.id == mail_id]
        if exact or len(matches) == 1:
            return (exact or matches)[0]
        problem = "no message" if not matches else f"{len(matches)} messages"
        raise ServiceError(f"{problem} with id {mail_id!r} in {self.directory}")

    def message(self, mail: StoredMail) -> EmailMessage:
        with open(mail.path, "rb") as handle:
            parsed = BytesParser(policy=policy.default).parse(handle)
        assert isinstance(parsed, EmailMessage)
        return parsed

    def text(self, mail: StoredMail) -> str:
        """The plain-text body, decoded (quoted-printable, base64, any charset)."""
        body = self.message(mail).get_body(preferencelist=("plain",))
        return "" if body is None else str(body.get_content())  # type: ignore[attr-defined]

    @staticmethod
    def _summary(path: Path) -> StoredMail:
        with open(path, "rb") as handle:
            headers = BytesHeaderParser(policy=policy.default).parse(handle)
        return StoredMail(
            id=path.stem,
            path=path,
            sender=str(headers.get("X-Envelope-From", "")),
            recipients=str(headers.get("X-Envelope-To", "")),
            to=str(headers.get("To", "")),
            # A long encoded subject may be folded right after "Subject:"; unfolded, it
            # starts with the fold's space, which is not part of the text.
            subject=str(headers.get("Subject", "")).strip(),
            message_id=str(headers.get("Message-ID", "")),
            date=str(headers.get("Date", "")),
        )
