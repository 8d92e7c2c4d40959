"""Migration 0006 moves the flat Provider rows onto HSDS's core and keeps every record, its
revision and its near-duplicate flag (the index needs no rebuild); and back."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from directory.snapshot import read_clean_records
from tests.conftest import shared_file

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
BEFORE, AFTER = [("api", "0005_entry_reports")], [("api", "0006_hsds_model")]


def _migrate(target: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def test_provider_rows_become_organisations_services_and_locations() -> None:
    from directory.models import Location, Organization, ServiceAtLocation

    cleaned, _ = read_clean_records(shared_file("providers.jsonl"), limit=300)
    try:
        old = _migrate(BEFORE)
        provider = old.get_model("api", "Provider")
        for n, rid in enumerate(sorted(cleaned)):
            record = cleaned[rid]
            address, point = record["address"], record["location"] or {}
            provider.objects.create(
                **{k: record[k] for k in (
                    "id", "name", "organization", "description", "categories", "target_groups",
                    "languages", "phone", "phone_display", "email", "website", "opening_hours",
                    "opening_hours_text", "cost", "appointment_required", "online_counselling",
                    "updated_at",
                )},
                **address, lat=point.get("lat"), lon=point.get("lon"),
                wheelchair=record["accessibility"]["wheelchair"],
                duplicate_of="sa-00001" if n == 5 else None, revision=1000 + n,
            )  # fmt: skip
        _migrate(AFTER)
        loaded = {r["id"]: r for r in ServiceAtLocation.load_records(ServiceAtLocation.all_ids())}
        assert sorted(loaded) == sorted(cleaned)
        for n, rid in enumerate(sorted(cleaned)):
            assert loaded[rid] == {**cleaned[rid], "revision": 1000 + n}, rid
        fifth = sorted(cleaned)[5]
        assert ServiceAtLocation.objects.get(id=fifth).duplicate_of == "sa-00001"
        names = {r["organization"] for r in cleaned.values()}
        assert Organization.objects.count() == len(names)
        assert Location.objects.count() <= len(cleaned)
        back = _migrate(BEFORE)  # and back: the flat rows again
        rows = back.get_model("api", "Provider").objects.order_by("id")
        assert [(p.id, p.organization, p.street, p.revision) for p in rows] == [
            (rid, cleaned[rid]["organization"], cleaned[rid]["address"]["street"], 1000 + n)
            for n, rid in enumerate(sorted(cleaned))
        ]
    finally:
        _migrate(AFTER)
