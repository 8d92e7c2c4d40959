"""The directory's model follows HSDS's core: the legacy export maps onto organisations,
services, locations and services at locations, and comes back as exactly the same flat
records; changes to a shared row reach every record built from it.

``../shared`` (the legacy export, the HSDS examples) must be there: missing, tests fail.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from directory.exchange import read_stored
from directory.hsds_import import import_hsds
from directory.importer import import_file
from directory.models import (
    Location,
    Organization,
    Phone,
    Service,
    ServiceAtLocation,
    Status,
)
from directory.revisions import records_changed
from directory.snapshot import read_clean_records
from sozialatlas.cli import main
from tests.conftest import shared_file
from tests.factories import flat, record

pytestmark = pytest.mark.django_db


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_the_whole_legacy_export_comes_back_as_exactly_the_cleaned_records(
    django_assert_max_num_queries: Any,
) -> None:
    path = shared_file("providers.jsonl")
    report = import_file(path)
    assert (report.created, report.rejected) == (1138, 0)
    expected, rejected = read_clean_records(path)
    assert (len(expected), rejected) == (1138, 0)
    ids = ServiceAtLocation.all_ids()
    with django_assert_max_num_queries(6):  # records, phones, schedules, languages, terms
        loaded = ServiceAtLocation.load_records(ids)
    assert [r["id"] for r in loaded] == sorted(expected)
    for got in loaded:
        assert got["revision"] > 0
        assert {**got, "revision": 1} == expected[got["id"]], got["id"]
    # organisations are shared by name, locations by address; one service per record
    assert Organization.objects.count() == len({r["organization"] for r in loaded})
    assert Location.objects.count() < Service.objects.count() == 1138
    again = import_file(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1138)
    assert ServiceAtLocation.load_records(ids) == loaded  # revisions kept


def test_legacy_records_share_organisations_and_places_by_normalised_value(
    tmp_path: Path,
) -> None:
    place = {"street": "Glockenstraße 5", "postal_code": "09130", "city": "Chemnitz"}
    path = write_jsonl(tmp_path / "a.jsonl", [
        record(id="o-1", organization="Caritas  e.V.", address=place),
        record(id="o-2", organization="caritas e.V.", name="Kleiderkammer",
               address={**place, "street": "glockenstraße 5"}),
        record(id="o-3", organization="", name="Nachbarschaftshilfe", address=place),
        record(id="o-4", organization="", name="Telefonseelsorge", address={}, location=None,
               accessibility={"wheelchair": False}),
    ])  # fmt: skip
    assert import_file(path).created == 4
    by_id = {s.fields["id"]: s for s in read_stored(["o-1", "o-2", "o-3", "o-4"]).values()}
    assert by_id["o-1"].organization_id == by_id["o-2"].organization_id
    assert flat("o-2").organization == "Caritas e.V."  # the name as first spelled
    assert by_id["o-3"].organization_id != by_id["o-4"].organization_id  # each its own
    assert flat("o-3").organization == "" and Organization.objects.filter(name="").count() == 2
    assert by_id["o-1"].location_id == by_id["o-2"].location_id == by_id["o-3"].location_id
    assert flat("o-2").street == "Glockenstraße 5"  # the street as first spelled
    assert by_id["o-4"].location_id is None  # offered without a place
    assert Location.objects.count() == 1
    again = import_file(path)  # the other spellings are the same values: nothing changed
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


def test_an_import_that_moves_a_record_keeps_shared_rows_and_drops_left_ones(
    tmp_path: Path,
) -> None:
    first = [record(id="m-1", organization="Stadtmission"), record(id="m-2")]
    assert import_file(write_jsonl(tmp_path / "1.jsonl", first)).created == 2
    shared_place = read_stored(["m-1"])["m-1"].location_id
    before = flat("m-2").revision
    moved = [
        record(
            id="m-1", organization="Diakonie", address={"street": "Markt 1", "city": "Chemnitz"}
        ),
        record(id="m-2"),
    ]
    report = import_file(write_jsonl(tmp_path / "2.jsonl", moved))
    assert (report.updated, report.unchanged, report.affected) == (1, 1, 0)
    assert flat("m-2").revision == before  # its organisation and place did not change
    assert read_stored(["m-2"])["m-2"].location_id == shared_place
    assert flat("m-1").organization == "Diakonie" and flat("m-1").street == "Markt 1"
    assert not Organization.objects.filter(name="Stadtmission").exists()  # m-1 left it
    moved_away = [record(id="m-2", address={"street": "Markt 1", "city": "Chemnitz"})]
    import_file(write_jsonl(tmp_path / "3.jsonl", moved_away))
    assert not Location.objects.filter(id=shared_place).exists()  # nobody is there now
    places = read_stored(["m-1", "m-2"])
    assert places["m-1"].location_id == places["m-2"].location_id  # Markt 1, together


def test_a_changed_row_gives_every_record_built_from_it_a_new_revision(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [record(id="r-1"), record(id="r-2"), record(id="x")])
    import_file(path)
    told: list[list[str]] = []

    def listen(sender: Any, ids: list[str], **kwargs: Any) -> None:
        told.append(sorted(ids))

    records_changed.connect(listen)
    try:

        def revisions() -> dict[str, int]:
            return dict(ServiceAtLocation.objects.values_list("id", "revision"))

        start = revisions()
        org = Organization.objects.get(name="Stadtmission Chemnitz e.V.")
        org.name = "Stadtmission Chemnitz"
        org.save()
        renamed = revisions()
        assert all(renamed[i] > start[i] for i in ("r-1", "r-2", "x"))
        assert {r["organization"] for r in ServiceAtLocation.load_records(["r-1", "r-2"])} == {
            "Stadtmission Chemnitz"
        }
        place = Location.objects.get(id=read_stored(["r-1"])["r-1"].location_id)
        place.street = "Glockenstraße 7"
        place.save()
        moved = revisions()
        assert all(moved[i] > renamed[i] for i in ("r-1", "r-2", "x"))
        assert flat("r-2").street == "Glockenstraße 7"
        phone = Phone.objects.get(service__at_locations="r-1")
        phone.display = "0371 4335120 (Zentrale)"
        phone.save()
        edited = revisions()
        assert edited["r-1"] > moved["r-1"] and edited["r-2"] == moved["r-2"]
        assert flat("r-1").phone_display == "0371 4335120 (Zentrale)"
    finally:
        records_changed.disconnect(listen)
    assert told == [["r-1", "r-2", "x"], ["r-1", "r-2", "x"], ["r-1"]]
    # the next import brings the file's values back, as the file is the source
    report = import_file(path)
    assert (report.updated, report.unchanged) == (3, 0)


HSDS_ORG = "0b6e4a0e-5ba9-4a55-9b1a-3d0a8cbbd0a1"
HSDS_SERVICES = ("8e5f2f1e-0a4b-4d4a-9f8c-1d7c2b3a4e51", "8e5f2f1e-0a4b-4d4a-9f8c-1d7c2b3a4e52")
HSDS_PLACES = ("5c3a6c1d-7f0e-4b8e-a3b2-6f1e2d3c4b51", "5c3a6c1d-7f0e-4b8e-a3b2-6f1e2d3c4b52")


def _hsds_organization() -> dict[str, Any]:
    def place(n: int) -> dict[str, Any]:
        return {
            "id": HSDS_PLACES[n], "location_type": "physical", "name": f"Haus {n + 1}",
            "addresses": [{"id": f"a{n}", "address_1": f"Weg {n + 1}", "city": "Chemnitz",
                           "postal_code": "09111", "country": "DE", "address_type": "physical"}],
        }  # fmt: skip

    def service(n: int, places: list[int], status: str) -> dict[str, Any]:
        return {
            "id": HSDS_SERVICES[n], "name": f"Angebot {n + 1}", "status": status,
            "organization_id": HSDS_ORG, "assurer_email": "Pflege@Verein.example",
            "attributes": [{"id": f"t{n}", "taxonomy_term": {"id": "x", "code": "familie/kita"}}],
            "service_at_locations": [
                {"id": f"sal-{n}-{p}", "location_id": HSDS_PLACES[p], "location": place(p)}
                for p in places
            ],
        }  # fmt: skip

    return {
        "id": HSDS_ORG, "name": "Verein für Familien", "description": "Träger",
        "services": [service(0, [0, 1], "active"), service(1, [0], "temporarily closed")],
    }  # fmt: skip


def test_hsds_rows_are_kept_as_published_and_exported_as_such(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "org.json"
    source.write_text(json.dumps(_hsds_organization()), encoding="utf-8")
    report = import_hsds(source)
    assert (report.created, report.rejected) == (3, 0)
    assert Organization.objects.count() == 1 and Service.objects.count() == 2
    assert (ServiceAtLocation.objects.count(), Location.objects.count()) == (3, 2)
    assert set(Service.objects.values_list("id", flat=True)) == set(HSDS_SERVICES)
    closed = Service.objects.get(id=HSDS_SERVICES[1])
    assert closed.status == Status.TEMPORARILY_CLOSED
    assert closed.assurer_email == "pflege@verein.example"
    searchable = ServiceAtLocation.searchable_ids()
    assert len(searchable) == 2 and all(
        "status" not in r for r in ServiceAtLocation.load_records(searchable)
    )
    [closed_record] = ServiceAtLocation.load_records(
        list(ServiceAtLocation.objects.filter(service=closed).values_list("id", flat=True))
    )
    assert closed_record["status"] == "temporarily closed"  # carried, not searchable
    assert import_hsds(source).unchanged == 3

    out = tmp_path / "export"
    assert main(["export", "--format", "hsds", "--out", str(out)]) == 0
    assert "records left out: 0" in capsys.readouterr().out
    services = json.loads((out / "services.json").read_text(encoding="utf-8"))
    assert sorted(s["id"] for s in services) == sorted(HSDS_SERVICES)
    shared = next(s for s in services if s["id"] == HSDS_SERVICES[0])
    assert {a["location_id"] for a in shared["service_at_locations"]} == set(HSDS_PLACES)
    assert {s["status"] for s in services} == {"active", "temporarily closed"}
    assert all("assurer_email" not in s for s in services)  # kept for the directory's use
    organizations = json.loads((out / "organizations.json").read_text(encoding="utf-8"))
    assert [(o["id"], len(o["services"])) for o in organizations] == [(HSDS_ORG, 2)]
    locations = (out / "locations.csv").read_text(encoding="utf-8").splitlines()
    assert len(locations) == 1 + 2  # header, each place once
    # the export comes back as the same rows in the same directory
    assert import_hsds(out / "services.json").unchanged == 3


def test_the_admin_edits_every_part_of_the_model(tmp_path: Path) -> None:
    import_file(write_jsonl(tmp_path / "a.jsonl", [record(id="adm-1")]))
    admin = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw-1234567")
    client = Client()
    client.force_login(admin)
    stored = read_stored(["adm-1"])["adm-1"]
    for path in (
        "/admin/api/organization/",
        f"/admin/api/organization/{stored.organization_id}/change/",
        "/admin/api/service/",
        f"/admin/api/service/{stored.service_id}/change/",
        "/admin/api/location/",
        f"/admin/api/location/{stored.location_id}/change/",
        "/admin/api/serviceatlocation/",
        "/admin/api/serviceatlocation/adm-1/change/",
        "/admin/api/taxonomyterm/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
    page = client.get(f"/admin/api/service/{stored.service_id}/change/").content.decode()
    for inline in ("phones", "schedules", "languages", "attributes", "at_locations"):
        assert f'id="{inline}-group"' in page, inline
    assert "Stadtmission Chemnitz e.V." in client.get("/admin/api/organization/").content.decode()
