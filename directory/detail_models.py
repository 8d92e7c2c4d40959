"""The details of a service, as HSDS 3.0 keeps them: phones, schedules, languages, cost
options and the taxonomy terms that file it.

Lists whose order means something (the main category first, the phone to show first, the
slots as the provider wrote them) keep a ``position``. Times stay text ("09:00", and
"24:00" for the end of a day, which no time type holds): the city's wall-clock time.
"""

from __future__ import annotations

from django.db import models

from directory.service_models import Service


class Phone(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="phones")
    position = models.PositiveSmallIntegerField(default=0)
    number = models.CharField(
        max_length=32, null=True, blank=True, help_text="E.164; empty if it could not be read"
    )
    display = models.CharField(max_length=40, blank=True, default="", help_text="As shown")

    class Meta:
        ordering = ["service", "position", "id"]

    def __str__(self) -> str:
        return self.display or self.number or ""


class Schedule(models.Model):
    """A weekly opening time (an RFC 5545 rule as HSDS has it), valid between two dates if
    given; a schedule with a description only is opening hours in words."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    position = models.PositiveSmallIntegerField(default=0)
    freq = models.CharField(max_length=10, blank=True, default="WEEKLY")
    byday = models.CharField(
        max_length=27, blank=True, default="", help_text="iCal days, e.g. MO,TU"
    )
    opens_at = models.CharField(max_length=5, blank=True, default="", help_text="HH:MM")
    closes_at = models.CharField(
        max_length=5, blank=True, default="", help_text="HH:MM; before opens_at: past midnight"
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    description = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["service", "position", "id"]

    def __str__(self) -> str:
        return f"{self.byday} {self.opens_at}–{self.closes_at}".strip() or self.description


class Language(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    position = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(max_length=3, help_text="ISO 639-1 (or 639-3) code")

    class Meta:
        ordering = ["service", "position", "id"]

    def __str__(self) -> str:
        return self.code


class CostOption(models.Model):
    """A price of the service (HSDS cost_option); free of charge is 0 EUR."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    option = models.CharField(max_length=200, blank=True, default="")
    amount = models.FloatField(null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, default="EUR")

    class Meta:
        ordering = ["service", "id"]

    def __str__(self) -> str:
        return f"{self.option} {self.amount} {self.currency}".strip()


class TaxonomyTerm(models.Model):
    """A category of our taxonomy (``analyzers.taxonomy``), or one kept from another
    publisher under ``extern/``; the HSDS id is derived from the code."""

    id = models.CharField(primary_key=True, max_length=36, help_text="UUID")
    code = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Attribute(models.Model):
    """A service filed under a term (HSDS attribute, link type service_type); the first
    position is the main category."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="attributes")
    term = models.ForeignKey(TaxonomyTerm, on_delete=models.PROTECT, related_name="attributes")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["service", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "term"], name="one_attribute_per_term")
        ]

    def __str__(self) -> str:
        return str(self.term)
