"""Editing the directory in Django's admin: organisations with their services, services
with their phones, schedules, languages, terms and cost options, locations, and the
services at locations that search finds.

Every save goes through the models, so the records built from an edited row get new
revisions and are re-indexed once the edit is committed (``directory.revisions``,
``api.signals``): an organisation renamed here is renamed in every hit of its services.

Each record's *History* page (django-simple-history) lists every change: when, by whom,
the fields before and after, and its source (``directory.history``). What is saved here
is an editor's change; opened from the error-report queue (``?source=report``), it is
recorded as the resolution of a report.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from directory.detail_models import (
    Attribute,
    CostOption,
    Language,
    Phone,
    Schedule,
    TaxonomyTerm,
)
from directory.history import Source, change_source
from directory.service_models import Location, Organization, Service, ServiceAtLocation

# Addresses without a scheme are web addresses (Django 6 will assume https by itself).
URLS: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class RecordAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    """An admin whose saves, deletes and reverts are recorded as an editor's changes (or a
    report's resolution, when the editor came from the report queue)."""

    history_list_display = ("history_change_reason",)

    @staticmethod
    def source(request: HttpRequest) -> str:
        return Source.REPORT if request.GET.get("source") == Source.REPORT else Source.EDITOR

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with change_source(self.source(request)):
            return super().changeform_view(request, *args, **kwargs)  # type: ignore[no-any-return]

    def changelist_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with change_source(Source.EDITOR):  # actions
            return super().changelist_view(request, *args, **kwargs)  # type: ignore[no-any-return]

    def delete_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with change_source(self.source(request)):
            return super().delete_view(request, *args, **kwargs)  # type: ignore[no-any-return]

    def history_form_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with change_source(Source.EDITOR):  # reverting to an earlier version
            return super().history_form_view(request, *args, **kwargs)  # type: ignore[no-any-return]


class ServiceInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Service
    fields = ("name", "status", "assured_date")
    extra = 0
    show_change_link = True


@admin.register(Organization)
class OrganizationAdmin(RecordAdmin):
    list_display = ("__str__", "email", "id")
    search_fields = ("name", "id")
    fields = ("id", "name", "description", "email", "website")
    formfield_overrides = URLS
    inlines = (ServiceInline,)

    def get_readonly_fields(self, request: Any, obj: Any = None) -> tuple[str, ...]:
        return ("id",) if obj is not None else ()  # partners keep the id


class PhoneInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Phone
    fields = ("position", "number", "display")
    extra = 0


class ScheduleInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Schedule
    fields = ("position", "freq", "byday", "opens_at", "closes_at", "valid_from", "valid_to",
              "description")  # fmt: skip
    extra = 0


class LanguageInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Language
    fields = ("position", "code")
    extra = 0


class AttributeInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Attribute
    fields = ("position", "term")
    autocomplete_fields = ("term",)
    extra = 0
    verbose_name = "category (taxonomy term)"
    verbose_name_plural = "categories, main one first"


class CostOptionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CostOption
    fields = ("option", "amount", "currency")
    extra = 0


class AtLocationInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ServiceAtLocation
    fields = ("id", "location", "duplicate_of")
    autocomplete_fields = ("location",)
    extra = 0
    show_change_link = True


@admin.register(Service)
class ServiceAdmin(RecordAdmin):
    list_display = ("name", "organization", "status", "assured_date", "assurer_email")
    list_filter = ("status", "cost")
    search_fields = ("name", "id", "organization__name")
    autocomplete_fields = ("organization",)
    formfield_overrides = URLS
    fields = (
        "id", "organization", "name", "description", "email", "url", "status", "cost",
        "appointment_required", "online_counselling", "target_groups", "assured_date",
        "assurer_email",
    )  # fmt: skip
    inlines = (PhoneInline, ScheduleInline, LanguageInline, AttributeInline, CostOptionInline,
               AtLocationInline)  # fmt: skip

    def get_readonly_fields(self, request: Any, obj: Any = None) -> tuple[str, ...]:
        return ("id",) if obj is not None else ()


@admin.register(Location)
class LocationAdmin(RecordAdmin):
    list_display = ("__str__", "postal_code", "district", "wheelchair")
    list_filter = ("district", "wheelchair")
    search_fields = ("street", "postal_code", "city", "name", "id")
    fields = ("id", "name", "street", "postal_code", "city", "district", "lat", "lon",
              "wheelchair")  # fmt: skip

    def get_readonly_fields(self, request: Any, obj: Any = None) -> tuple[str, ...]:
        return ("id",) if obj is not None else ()


@admin.register(ServiceAtLocation)
class ServiceAtLocationAdmin(RecordAdmin):
    list_display = ("id", "service", "location", "duplicate_of", "revision")
    list_select_related = ("service", "location")
    search_fields = ("id", "service__name", "location__street")
    autocomplete_fields = ("service", "location")
    fields = ("id", "service", "location", "duplicate_of", "revision")
    readonly_fields = ("revision",)


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "id")
    search_fields = ("code",)
    fields = ("code",)

    def save_model(self, request: Any, obj: TaxonomyTerm, form: Any, change: bool) -> None:
        from directory.hsds_ids import taxonomy_term_id

        if not obj.id:
            obj.id = taxonomy_term_id(obj.code)  # the id partners know the code by
        super().save_model(request, obj, form, change)
