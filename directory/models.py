"""The directory's models: HSDS's core (``directory.service_models``), the details of a
service (``directory.detail_models``), access keys, and the inquiry workflow
(``directory.inquiry_models``), importable from one place.
"""

from __future__ import annotations

from django.db import models

from directory.detail_models import (
    Attribute,
    CostOption,
    Language,
    Phone,
    Schedule,
    TaxonomyTerm,
)
from directory.service_models import (
    Cost,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    Status,
    next_revision,
)


class ApiKey(models.Model):
    """A key for a partner portal (search/suggest from its origins) or an analyst.

    Only the SHA-256 of the key is stored: keys are 256-bit random tokens, so a fast hash
    is enough, and the plain key is shown once, at creation.
    """

    class Kind(models.TextChoices):
        PARTNER = "partner", "partner"
        ANALYST = "analyst", "analyst"

    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PARTNER)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(max_length=16, editable=False, help_text="To recognise a key")
    origins = models.JSONField(default=list, blank=True, help_text="Allowed CORS origins")
    rate = models.CharField(
        max_length=20,
        blank=True,
        default="",
        help_text='Own rate limit, e.g. "600/min"; empty = the default',
    )
    created = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.kind} key {self.id} {self.name} ({self.key_prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


# The inquiry models live in their own module; importing them here registers them with the app.
from directory.inquiry_models import (  # noqa: E402
    AuditAction,
    DeclineReason,
    Inquiry,
    InquiryAudit,
    InquiryEvent,
    MailState,
    OutboundMail,
)

__all__ = [
    "ApiKey",
    "Attribute",
    "AuditAction",
    "Cost",
    "CostOption",
    "DeclineReason",
    "Inquiry",
    "InquiryAudit",
    "InquiryEvent",
    "Language",
    "Location",
    "MailState",
    "Organization",
    "OutboundMail",
    "Phone",
    "Schedule",
    "Service",
    "ServiceAtLocation",
    "Status",
    "TaxonomyTerm",
    "next_revision",
]
