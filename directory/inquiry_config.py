"""What the inquiry workflow needs to know, handed in by the caller (API, worker, CLI).

Built once per configuration from :class:`configuration.settings.Settings`, like
``indexer.settings``: the directory never reads the environment or Django settings for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parseaddr
from functools import lru_cache

from configuration.settings import Settings
from directory.encryption import FieldCipher, cipher_for

LEASE_MARGIN = 10.0  # seconds beyond the SMTP dialogue a claimed mail stays with its worker


@dataclass(frozen=True)
class InquiryConfig:
    cipher: FieldCipher
    public_url: str
    mail_from: str
    desk_email: str
    retention_days: int = 90
    reminder_days: int = 2
    escalation_days: int = 5
    expiry_days: int = 10
    close_days: int = 60
    link_days: int = 30
    retry_seconds: float = 10.0
    max_attempts: int = 300
    lease_seconds: float = 60.0

    @property
    def mail_domain(self) -> str:
        """The sender's domain: Message-IDs are made under it (RFC 5322 asks for one we own)."""
        address = parseaddr(self.mail_from)[1]
        return address.rpartition("@")[2] or "localhost"

    def url(self, path: str) -> str:
        return self.public_url.rstrip("/") + path


@lru_cache(maxsize=8)
def inquiry_config(settings: Settings) -> InquiryConfig:
    """The inquiry part of the one configuration object."""
    return InquiryConfig(
        cipher=cipher_for(settings),
        public_url=settings.public_url,
        mail_from=settings.mail_from,
        desk_email=settings.inquiry_desk_email,
        retention_days=settings.inquiry_retention_days,
        reminder_days=settings.inquiry_reminder_days,
        escalation_days=settings.inquiry_escalation_days,
        expiry_days=settings.inquiry_expiry_days,
        close_days=settings.inquiry_close_days,
        link_days=settings.inquiry_link_days,
        retry_seconds=settings.outbox_retry_seconds,
        max_attempts=settings.outbox_max_attempts,
        # Connect, greet, MAIL, RCPT, DATA each within the timeout, plus a margin: a
        # worker still talking to the server keeps its claim.
        lease_seconds=3 * settings.smtp_timeout + LEASE_MARGIN,
    )
