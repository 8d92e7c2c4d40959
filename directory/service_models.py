"""The directory's core, as Open Referral HSDS 3.0 has it: organisations run services,
offered at locations; a service at a location is what a search finds.

One organisation may run many services at many locations, and one location may host the
services of several organisations. ``ServiceAtLocation`` is the searchable unit: its key is
the record id of the legacy exchange format (``sa-00042``), it carries the ``revision``
sent to Elasticsearch as an external version (so an older revision that arrives late
can never overwrite a newer one) and the near-duplicate flag. Every change to a row that a
record is built from raises the revisions of the records it affects
(``directory.revisions``). The details of a service (phones, schedules, languages, cost
options, taxonomy terms) are ``directory.detail_models``; the flat exchange record read
from all of them is ``directory.exchange``.

HSDS ids are UUIDs; organisations, services and locations keep the ids they were
published or imported under, so partners who harvest the directory keep them too.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import models

from directory.history import keep_history
from directory.placement import location_key, organization_key


def new_id() -> str:
    """The id of a row an editor creates (imports bring their own)."""
    return str(uuid.uuid4())


def next_revision() -> int:
    """Microseconds since the epoch: strictly growing across processes without a lock."""
    return time.time_ns() // 1000


class Cost(models.TextChoices):
    FREE = "kostenlos", "kostenlos"
    PARTLY = "teilweise kostenpflichtig", "teilweise kostenpflichtig"
    PAID = "kostenpflichtig", "kostenpflichtig"


class Status(models.TextChoices):
    """HSDS's service statuses; only an active service is searchable."""

    ACTIVE = "active", "active"
    INACTIVE = "inactive", "inactive"
    DEFUNCT = "defunct", "defunct"
    TEMPORARILY_CLOSED = "temporarily closed", "temporarily closed"


class Organization(models.Model):
    """Who runs services. ``name`` empty: the legacy record named none (it is its own
    organisation, and HSDS shows its service's name)."""

    id = models.CharField(primary_key=True, max_length=36, default=new_id, help_text="UUID")
    name = models.CharField(max_length=300, blank=True, default="")
    description = models.TextField(blank=True, default="")
    email = models.EmailField(blank=True, default="")
    website = models.URLField(max_length=500, blank=True, default="")
    match_key = models.CharField(
        max_length=300, blank=True, default="", editable=False, db_index=True,
        help_text="Normalised name: legacy records with the same one share the organisation",
    )  # fmt: skip
    modified = models.DateTimeField(auto_now=True)
    history = keep_history()  # who, when, what and from which source (directory.history)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name or f"(ohne Namen) {self.id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.match_key = organization_key(self.name)
        super().save(*args, **kwargs)


class Service(models.Model):
    """What is offered: HSDS's service, with the legacy record's service fields."""

    id = models.CharField(primary_key=True, max_length=36, default=new_id, help_text="UUID")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True, default="")
    email = models.EmailField(null=True, blank=True)
    url = models.URLField(max_length=500, null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.ACTIVE,
        help_text="Only an active service is searchable",
    )  # fmt: skip
    assurer_email = models.EmailField(
        blank=True, default="", help_text="Who confirms the entry (the owner's contact)"
    )
    assured_date = models.DateField(
        null=True, blank=True, help_text="Date the provider last confirmed the entry"
    )
    cost = models.CharField(
        max_length=32, choices=Cost.choices, null=True, blank=True,
        help_text="HSDS fees_description; exact amounts are cost options",
    )  # fmt: skip
    appointment_required = models.BooleanField(default=False)
    online_counselling = models.BooleanField(default=False)
    target_groups = models.JSONField(
        default=list, blank=True, help_text="HSDS eligibility_description, as a list"
    )
    modified = models.DateTimeField(auto_now=True)
    history = keep_history()  # who, when, what and from which source (directory.history)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    """A place services are offered at. Legacy records with the same normalised address,
    point and accessibility share it; an edit of it reaches every service there."""

    id = models.CharField(primary_key=True, max_length=36, default=new_id, help_text="UUID")
    name = models.CharField(max_length=300, blank=True, default="")
    street = models.CharField(max_length=200, blank=True, default="")
    postal_code = models.CharField(max_length=10, blank=True, default="")
    city = models.CharField(max_length=100, blank=True, default="")
    district = models.CharField(max_length=100, blank=True, default="", help_text="HSDS region")
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    wheelchair = models.BooleanField(
        default=False, help_text="Accessible by wheelchair (HSDS accessibility)"
    )
    match_key = models.CharField(max_length=64, editable=False, db_index=True, default="")
    modified = models.DateTimeField(auto_now=True)
    history = keep_history()  # who, when, what and from which source (directory.history)

    class Meta:
        ordering = ["street", "id"]

    def __str__(self) -> str:
        place = ", ".join(part for part in (self.street, self.city) if part)
        return place or self.name or self.id

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.match_key = location_key(
            self.street, self.postal_code, self.city, self.district,
            self.lat, self.lon, self.wheelchair,
        )  # fmt: skip
        super().save(*args, **kwargs)


class ServiceAtLocation(models.Model):
    """A service at one of its locations: one search hit, one legacy record."""

    id = models.CharField(primary_key=True, max_length=32, help_text="Record id, e.g. sa-00042")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="at_locations")
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="at_locations",
        help_text="Empty: offered without a place (by phone, online)",
    )  # fmt: skip
    duplicate_of = models.CharField(
        max_length=32, null=True, blank=True, help_text="Near-duplicate of this record, if detected"
    )
    revision = models.BigIntegerField(default=0, editable=False, db_index=True)
    modified = models.DateTimeField(auto_now=True)
    history = keep_history()  # who, when, what and from which source (directory.history)

    class Meta:
        ordering = ["id"]
        verbose_name = "service at location"
        verbose_name_plural = "services at locations"

    def __str__(self) -> str:
        return self.id

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.revision = max(next_revision(), self.revision + 1)
        super().save(*args, **kwargs)

    # What the inquiry workflow and the pages ask of "a provider" (one query each, unless
    # read with ``select_related("service", "location")``).
    @property
    def name(self) -> str:
        return self.service.name

    @property
    def email(self) -> str | None:
        return self.service.email

    @property
    def district(self) -> str:
        return self.location.district if self.location is not None else ""

    @property
    def categories(self) -> list[str]:
        """Taxonomy codes, main category first."""
        return list(
            self.service.attributes.order_by("position").values_list("term__code", flat=True)
        )

    @classmethod
    def all_ids(cls) -> list[str]:
        return list(cls.objects.order_by("id").values_list("id", flat=True))

    @classmethod
    def searchable_ids(cls) -> list[str]:
        """The records the index should hold (their service is active), in id order."""
        rows = cls.objects.filter(service__status=Status.ACTIVE).order_by("id")
        return list(rows.values_list("id", flat=True))

    @classmethod
    def searchable_revisions(cls) -> dict[str, int]:
        """Revision of every record the index should hold (its service is active)."""
        rows = cls.objects.filter(service__status=Status.ACTIVE)
        return dict(rows.values_list("id", "revision"))

    @classmethod
    def load_records(cls, ids: Sequence[str]) -> list[dict[str, Any]]:
        """Records in the exchange schema, as the indexer consumes them."""
        from directory.exchange import load_records

        return load_records(ids)

    def to_record(self) -> dict[str, Any]:
        """The record in the exchange schema (as the import files carry it)."""
        from directory.exchange import load_records

        return load_records([self.id])[0]
