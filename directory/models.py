"""The source of truth: provider records as editors maintain them.

Elasticsearch only ever holds a projection of these rows. ``revision`` grows with every
save and is sent to Elasticsearch as an external version, so that an older revision that
arrives late can never overwrite a newer one.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import models


def next_revision() -> int:
    """Microseconds since the epoch: strictly growing across processes without a lock."""
    return time.time_ns() // 1000


class Cost(models.TextChoices):
    FREE = "kostenlos", "kostenlos"
    PARTLY = "teilweise kostenpflichtig", "teilweise kostenpflichtig"
    PAID = "kostenpflichtig", "kostenpflichtig"


class Provider(models.Model):
    id = models.CharField(primary_key=True, max_length=32)
    name = models.CharField(max_length=300)
    organization = models.CharField(max_length=300, blank=True, default="")
    description = models.TextField(blank=True, default="")
    categories = models.JSONField(default=list, help_text="Taxonomy codes, main one first")
    target_groups = models.JSONField(default=list, blank=True)
    languages = models.JSONField(default=list, blank=True, help_text="ISO 639-1 codes")
    street = models.CharField(max_length=200, blank=True, default="")
    postal_code = models.CharField(max_length=10, blank=True, default="")
    city = models.CharField(max_length=100, blank=True, default="")
    district = models.CharField(max_length=100, blank=True, default="")
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    phone = models.CharField(max_length=32, null=True, blank=True, help_text="E.164")
    phone_display = models.CharField(max_length=40, null=True, blank=True)
    email = models.EmailField(null=True, blank=True)
    website = models.URLField(max_length=500, null=True, blank=True)
    opening_hours = models.JSONField(default=list, blank=True)
    opening_hours_text = models.CharField(max_length=500, blank=True, default="")
    wheelchair = models.BooleanField(default=False)
    cost = models.CharField(max_length=32, choices=Cost.choices, null=True, blank=True)
    appointment_required = models.BooleanField(default=False)
    online_counselling = models.BooleanField(default=False)
    updated_at = models.DateField(
        null=True, blank=True, help_text="Date the provider last confirmed"
    )
    duplicate_of = models.CharField(
        max_length=32, null=True, blank=True, help_text="Near-duplicate of this record, if detected"
    )
    revision = models.BigIntegerField(default=0, editable=False, db_index=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.id} {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.revision = max(next_revision(), self.revision + 1)
        super().save(*args, **kwargs)

    @classmethod
    def all_ids(cls) -> list[str]:
        return list(cls.objects.order_by("id").values_list("id", flat=True))

    @classmethod
    def load_records(cls, ids: Sequence[str]) -> list[dict[str, Any]]:
        """Records in the exchange schema, as the indexer consumes them.

        Read as plain rows (``values()``): building model instances would cost the
        indexing workers a tenth of their time for nothing.
        """
        rows = cls.objects.filter(id__in=list(ids)).values(*_RECORD_COLUMNS)
        return [_exchange_record(row) for row in rows]

    def to_record(self) -> dict[str, Any]:
        """The record in the exchange schema (as the import files carry it)."""
        return _exchange_record({name: getattr(self, name) for name in _RECORD_COLUMNS})


_RECORD_COLUMNS = (
    "id", "name", "organization", "description", "categories", "target_groups",
    "languages", "street", "postal_code", "city", "district", "lat", "lon", "phone",
    "phone_display", "email", "website", "opening_hours", "opening_hours_text",
    "wheelchair", "cost", "appointment_required", "online_counselling", "updated_at",
    "revision",
)  # fmt: skip


def _exchange_record(row: Mapping[str, Any]) -> dict[str, Any]:
    lat, lon, updated = row["lat"], row["lon"], row["updated_at"]
    return {
        "id": row["id"],
        "name": row["name"],
        "organization": row["organization"],
        "description": row["description"],
        "categories": list(row["categories"]),
        "target_groups": list(row["target_groups"]),
        "languages": list(row["languages"]),
        "address": {
            "street": row["street"],
            "postal_code": row["postal_code"],
            "city": row["city"],
            "district": row["district"],
        },
        "location": {"lat": lat, "lon": lon} if lat is not None and lon is not None else None,
        "phone": row["phone"],
        "phone_display": row["phone_display"],
        "email": row["email"],
        "website": row["website"],
        "opening_hours": list(row["opening_hours"]),
        "opening_hours_text": row["opening_hours_text"],
        "accessibility": {"wheelchair": row["wheelchair"]},
        "cost": row["cost"],
        "appointment_required": row["appointment_required"],
        "online_counselling": row["online_counselling"],
        "updated_at": updated.isoformat() if updated else None,
        "revision": row["revision"],
    }


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
    "AuditAction",
    "Cost",
    "DeclineReason",
    "Inquiry",
    "InquiryAudit",
    "InquiryEvent",
    "MailState",
    "OutboundMail",
    "Provider",
    "next_revision",
]
