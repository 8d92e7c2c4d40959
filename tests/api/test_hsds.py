"""Open Referral HSDS 3.0: the ``/hsds/`` API and ``sozialatlas export --format hsds``.

Everything served or written is checked against the official schemas of
``../shared/hsds`` with format checks (``tests.hsds_schemas``). The database holds the
bundled sample data and the search goes to the sample index (real Elasticsearch), so
``/hsds/services?search=`` can be compared with ``/api/v1/search``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from django.test import Client

from api.partners import create_key
from api.ratelimit import reset_breaker
from directory.hsds_ids import service_id, taxonomy_term_id
from directory.hsds_queries import distance_km
from directory.hsds_tables import TABLES
from directory.importer import import_file
from directory.models import Schedule, ServiceAtLocation
from sozialatlas.cli import main
from sozialatlas.commands.data import SAMPLE
from tests.hsds_schemas import (
    assert_page,
    assert_valid,
    hsds_path,
    table_required,
    table_validator,
)

pytestmark = pytest.mark.django_db
PORTAL = "https://portal.caritas.example"


@pytest.fixture(autouse=True)
def _fresh_breaker() -> Any:
    reset_breaker()
    yield
    reset_breaker()


@pytest.fixture()
def directory(sample_index: Any) -> list[dict[str, Any]]:
    """The sample in the database (as the index holds it); its records by id."""
    report = import_file(SAMPLE)
    assert report.created > 50 and not report.rejections
    return ServiceAtLocation.load_records(ServiceAtLocation.all_ids())


def get(path: str, status: int = 200, client: Client | None = None, **params: Any) -> Any:
    response = (client or Client()).get(path, params)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def every_page(path: str, item_schema: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        body = get(path, page=page, per_page=50, **params)
        assert body["page_number"] == page
        items += assert_page(body, item_schema)
        if body["last_page"]:
            assert len(items) == body["total_items"]
            return items
        page += 1


def test_info_names_the_version_and_the_openapi_document(services: Any) -> None:
    info = get("/hsds/")
    assert info["version"] == "3.0"
    assert info["openapi_url"].endswith("/hsds/openapi.json")
    document = get("/hsds/openapi.json")
    assert {"/hsds/", "/hsds/services", "/hsds/services/{service_id}"} <= set(document["paths"])
    check = jsonschema_rs.validator_for(_info_schema(), validate_formats=True)
    assert not [e.message for e in check.iter_errors(info)]


def _info_schema() -> Any:
    openapi = json.loads(hsds_path("schema", "openapi.json").read_text(encoding="utf-8"))
    return openapi["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]


def test_every_service_is_listed_and_served_valid(directory: list[dict[str, Any]]) -> None:
    listed = every_page("/hsds/services", "compiled/service_list.json")
    assert [item["id"] for item in listed] == [service_id(r["id"]) for r in directory]
    for item in listed:
        full = get(f"/hsds/services/{item['id']}")
        assert_valid("compiled/service.json", full)
        assert {k: full[k] for k in item if k != "organization"} == {
            k: v for k, v in item.items() if k != "organization"
        }
    nested = get("/hsds/services", per_page=5, page=2, full="true")
    for item in assert_page(nested, "compiled/service.json"):
        assert item["attributes"] and item["organization"]["id"] == item["organization_id"]


def test_unknown_ids_are_404_json(directory: list[dict[str, Any]]) -> None:
    for path in (
        "/hsds/services/nope",
        "/hsds/services/00000000-0000-0000-0000-000000000000",
        "/hsds/organizations/nope",
        "/hsds/service_at_locations/nope",
        "/hsds/taxonomies/nope",
        "/hsds/taxonomy_terms/nope",
    ):
        body = get(path, status=404)
        assert body["error"] == "not_found" and body["detail"]


@pytest.mark.parametrize(
    "text", ["Kita", "Schuldnerberatung", "debt advice", "допомога з боргами", "Schultnerberatunk"]
)
def test_search_answers_as_api_v1_search_does(directory: Any, text: str) -> None:
    for page in (1, 2):
        ours = get("/hsds/services", search=text, page=page, per_page=5)
        theirs = get("/api/v1/search", q=text, page=page, size=5)
        assert_page(ours, "compiled/service_list.json")
        assert ours["total_items"] == theirs["total"] > 0
        assert [c["id"] for c in ours["contents"]] == [service_id(h["id"]) for h in theirs["hits"]]


def test_a_search_page_past_the_window_is_an_empty_page(directory: Any) -> None:
    theirs = get("/api/v1/search", q="Beratung", size=5)
    past = get("/hsds/services", search="Beratung", page=101, per_page=5)
    assert_page(past, "compiled/service_list.json")
    assert past["contents"] == [] and past["size"] == 0
    assert past["total_items"] == theirs["total"] > 0 and past["last_page"]


def test_search_with_a_term_and_a_distance_uses_the_search_filters(directory: Any) -> None:
    kita = taxonomy_term_id("familie/kita")
    ours = get("/hsds/services", search="Sonnenberg", taxonomy_term_id=kita, per_page=10)
    theirs = get("/api/v1/search", q="Sonnenberg", category="familie/kita", size=10)
    assert [c["id"] for c in ours["contents"]] == [service_id(h["id"]) for h in theirs["hits"]]
    near = get("/hsds/services", search="Beratung", proximity="50.8388,12.9452,1.5", per_page=50)
    theirs = get("/api/v1/search", q="Beratung", near="50.8388,12.9452", radius_km=1.5, size=50)
    assert near["total_items"] == theirs["total"] > 0
    assert [c["id"] for c in near["contents"]] == [service_id(h["id"]) for h in theirs["hits"]]
    refused = get("/hsds/services", status=400, search="Kita", modified_after="2020-01-01T00:00Z")
    assert refused["error"] == "bad_request"


def test_listing_filters_by_term_postcode_distance_and_time(
    directory: list[dict[str, Any]],
) -> None:
    by_id = {service_id(r["id"]): r for r in directory}

    def listed(**params: Any) -> list[dict[str, Any]]:
        items = every_page("/hsds/services", "compiled/service_list.json", **params)
        return [by_id[item["id"]] for item in items]

    area = listed(taxonomy_term_id=taxonomy_term_id("familie"))
    assert area and all(any(c.startswith("familie/") for c in r["categories"]) for r in area)
    assert len(area) == sum(
        any(c.startswith("familie") for c in r["categories"]) for r in directory
    )
    assert listed(taxonomy_term_id="00000000-0000-0000-0000-000000000000") == []
    postcode = listed(postcode="09130")
    assert postcode and {r["address"]["postal_code"] for r in postcode} == {"09130"}
    around = listed(proximity="50.8388,12.9452,1")
    points = [(r, r["location"]) for r in directory if r["location"]]
    expected = [r for r, p in points if distance_km(50.8388, 12.9452, p["lat"], p["lon"]) <= 1]
    assert around == expected and 0 < len(around) < len(directory)
    centred = listed(postcode="09130", proximity="800")  # metres from the postcode's centre
    assert centred and len(centred) < len(directory)
    assert len(listed(modified_after="2000-01-01T00:00:00Z")) == len(directory)
    assert listed(modified_after="2999-01-01") == []
    assert get("/hsds/services", status=400, proximity="north")["error"] == "bad_request"
    too_far = get("/hsds/services", status=400, postcode="09130", proximity="500000", search="Kita")
    assert "proximity" in too_far["detail"]


def test_organizations_group_services_by_name(directory: list[dict[str, Any]]) -> None:
    listed = every_page("/hsds/organizations", "compiled/organization_list.json")
    names = {r["organization"] or r["name"] for r in directory}
    assert sorted(o["name"] for o in listed) == sorted(names)
    served = 0
    for item in listed:
        full = get(f"/hsds/organizations/{item['id']}")
        assert_valid("compiled/organization.json", full)
        mine = [r for r in directory if (r["organization"] or r["name"]) == item["name"]]
        assert sorted(s["id"] for s in full["services"]) == sorted(
            service_id(r["id"]) for r in mine
        )
        served += len(full["services"])
    assert served == len(directory)


def test_taxonomy_and_terms(services: Any) -> None:
    taxonomies = assert_page(get("/hsds/taxonomies"), "taxonomy.json")
    assert len(taxonomies) == 1
    assert get(f"/hsds/taxonomies/{taxonomies[0]['id']}") == taxonomies[0]
    terms = every_page("/hsds/taxonomy_terms", "taxonomy_term.json")
    assert {t["taxonomy_id"] for t in terms} == {taxonomies[0]["id"]}
    kita = get(f"/hsds/taxonomy_terms/{taxonomy_term_id('familie/kita')}")
    assert_valid("taxonomy_term.json", kita)
    assert kita["parent_id"] == taxonomy_term_id("familie")
    children = every_page("/hsds/taxonomy_terms", "taxonomy_term.json", parent_id=kita["parent_id"])
    assert kita in children and all(t["code"].startswith("familie/") for t in children)


def test_services_at_locations(directory: list[dict[str, Any]]) -> None:
    listed = every_page("/hsds/service_at_locations", "compiled/service_at_location_list.json")
    assert len(listed) == len(directory)  # every sample record has an address
    for item in listed[:20]:
        full = get(f"/hsds/service_at_locations/{item['id']}")
        assert_valid("compiled/service_at_location.json", full)
        assert full["service"]["id"] == item["service_id"] == full["service_id"]
    near = get("/hsds/service_at_locations", proximity="50.8388,12.9452,1", per_page=50)
    for item in assert_page(near, "compiled/service_at_location_list.json"):
        place = item["location"]
        assert distance_km(50.8388, 12.9452, place["latitude"], place["longitude"]) <= 1


def test_partner_keys_and_rate_limits_apply(directory: Any, settings: Any) -> None:
    assert Client().get("/hsds/services", HTTP_X_API_KEY="sa_wrong").status_code == 401
    _, key = create_key("HSDS Portal", [PORTAL], rate="2/min")
    portal = Client()
    answers = [
        portal.get("/hsds/services", HTTP_X_API_KEY=key, HTTP_ORIGIN=PORTAL) for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[0]["Access-Control-Allow-Origin"] == PORTAL
    assert 1 <= int(answers[2]["Retry-After"]) <= 60
    foreign = Client().get("/hsds/", HTTP_X_API_KEY=key, HTTP_ORIGIN="https://other.example")
    assert foreign.status_code == 403
    settings.RATE_LIMIT_ANON = "2/min"
    public = Client(REMOTE_ADDR="203.0.113.77")
    statuses = [public.get("/hsds/taxonomies").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert public.get("/hsds/taxonomies").json()["error"] == "too_many_requests"


# --- the export ----------------------------------------------------------------------------


def export(out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["export", "--format", "hsds", "--out", str(out), "--batch-size", "7"]) == 0
    return capsys.readouterr().out


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def test_export_validates_and_lists_every_table(
    directory: list[dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    printed = export(tmp_path, capsys)
    assert f"services.json: {len(directory)}" in printed and "records left out: 0" in printed
    for name, schema in (
        ("services.json", "compiled/service.json"),
        ("organizations.json", "compiled/organization.json"),
        ("service_at_locations.json", "compiled/service_at_location.json"),
        ("taxonomies.json", "taxonomy.json"),
        ("taxonomy_terms.json", "taxonomy_term.json"),
    ):
        items = read_json(tmp_path / name)
        assert items, name
        for item in items:
            assert_valid(schema, item)
    services = read_json(tmp_path / "services.json")
    assert [s["id"] for s in services] == [service_id(r["id"]) for r in directory]
    assert services[0] == get(f"/hsds/services/{services[0]['id']}")  # one mapping for both

    package = read_json(tmp_path / "datapackage.json")
    written = sorted(p.name for p in tmp_path.glob("*.csv"))
    assert sorted(r["path"] for r in package["resources"]) == written
    assert written == sorted(t.path for t in TABLES)
    for resource in package["resources"]:
        with (tmp_path / resource["path"]).open(encoding="utf-8", newline="") as stream:
            rows = list(csv.DictReader(stream))
        fields = resource["schema"]["fields"]
        assert list(rows[0] if rows else []) in ([f["name"] for f in fields], [])
        numbers = {f["name"] for f in fields if f["type"] == "number"}
        check, required = table_validator(resource["name"]), table_required(resource["name"])
        for values in rows:
            typed = {
                k: float(v) if k in numbers else v
                for k, v in values.items()
                if v != "" or k in required  # CSV has no null: empty is absent or ""
            }
            errors = [e.message for e in check.iter_errors(typed)]
            assert not errors, (resource["path"], errors[:3], values)
        assert f"{resource['path']}: {len(rows)}" in printed
    assert len(read_json(tmp_path / "organizations.json")) == len(
        {r["organization"] or r["name"] for r in directory}
    )


def test_two_exports_give_the_same_ids(
    directory: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export(tmp_path / "a", capsys)
    export(tmp_path / "b", capsys)
    for name in ("services.json", "organizations.json", "taxonomy_terms.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    for table in TABLES:
        first, second = tmp_path / "a" / table.path, tmp_path / "b" / table.path
        assert first.read_bytes() == second.read_bytes(), table.path


def test_a_record_that_cannot_be_mapped_is_reported_and_skipped(
    directory: list[dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = directory[3]["id"]
    # written around the import's validation, as an old row or a manual edit could be
    service = ServiceAtLocation.objects.get(id=broken).service_id
    Schedule.objects.create(service_id=service, byday="XX", opens_at="9", closes_at="")
    printed = export(tmp_path, capsys)
    assert "records left out: 1" in printed and f"{broken}: " in printed
    services = read_json(tmp_path / "services.json")
    assert len(services) == len(directory) - 1
    assert service_id(broken) not in {s["id"] for s in services}
    with (tmp_path / "services.csv").open(encoding="utf-8") as stream:
        assert len(list(csv.DictReader(stream))) == len(directory) - 1
    nested = get("/hsds/services", per_page=50, full="true")  # a page leaves it out, too
    assert service_id(broken) not in {c["id"] for c in nested["contents"]}
    assert len(nested["contents"]) == 49 and nested["total_items"] == len(directory)
