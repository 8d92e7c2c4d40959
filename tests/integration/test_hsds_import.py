"""The HSDS import end to end: the official examples, our own export round-tripped into a
fresh database, re-imports, broken items, and indexing by a real worker.

The round trip compares what search sees: the documents the indexer builds from the rows
(``indexer.pipeline.build_documents``), and the rows themselves. The one field that
legitimately differs is ``revision`` (the save time: new rows, new time). Two differences
could appear but do not in these data, so the comparison is exact: a website with ASCII
characters HSDS must escape (``|``) comes back escaped, an e-mail address whose local part
is not ASCII is not published at all.

``../shared`` (examples and legacy records) must be there: missing, the tests fail.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from directory.errors import ImportFileError
from directory.exchange import read_stored
from directory.hsds_ids import imported_record_id
from directory.hsds_import import import_hsds
from directory.importer import DATA_FIELDS, import_file
from directory.models import ServiceAtLocation
from indexer.bulk import BulkResult
from indexer.pipeline import build_documents
from sozialatlas.cli import main
from sozialatlas.commands.data import SAMPLE
from tests.conftest import shared_file, wait_until
from tests.factories import empty_directory, flat
from tests.hsds_schemas import hsds_path

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

COUNSELLING = "ac148810-d857-441c-9679-408f346de14b"  # the service of the official examples
CIVIC_CENTER = "3a19ff88-4620-4d17-9830-ac1d859eb5d5"  # … and its one location
AT_CIVIC_CENTER = imported_record_id(COUNSELLING, CIVIC_CENTER)
EXAMPLES = {  # example → the record it becomes (a service list item has no location)
    "service_full.json": AT_CIVIC_CENTER,
    "service_list.json": imported_record_id(COUNSELLING),
    "organization_full.json": AT_CIVIC_CENTER,
    "service_at_location_full.json": AT_CIVIC_CENTER,
    "service_at_location_list.json": AT_CIVIC_CENTER,
    "csv": AT_CIVIC_CENTER,
}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_official_examples_import_without_a_rejected_item(name: str) -> None:
    path = hsds_path("examples", name)
    report = import_hsds(path)
    assert (report.created, report.rejections) == (1, [])
    assert report.warnings, "the examples say more than a flat record holds: reported"
    assert {w.record_id for w in report.warnings} == {EXAMPLES[name]}
    text = report.to_text()
    assert f"Warnings ({len(report.warnings)}):" in text and "rejected 0" in text
    row = flat(EXAMPLES[name])
    assert (row.name, row.organization) == ("Community Counselling", "Example Organization Inc.")
    assert row.categories[0].startswith("extern/")  # no term of ours: kept, to be re-filed
    again = import_hsds(path)
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 1, 0)


def test_one_service_in_any_packaging_is_the_same_record() -> None:
    assert import_hsds(hsds_path("examples", "service_full.json")).created == 1
    for name in ("organization_full.json", "service_at_location_full.json"):
        assert import_hsds(hsds_path("examples", name)).unchanged == 1, name
    assert ServiceAtLocation.objects.count() == 1
    row = flat(AT_CIVIC_CENTER)
    assert (row.phone, row.languages, row.wheelchair, row.cost) == (
        "+441234234567", ["ur"], True, "kostenpflichtig",
    )  # fmt: skip
    assert (row.lat, row.lon, row.opening_hours) == (None, None, [])  # 100/101; weeks 41, 42
    assert row.opening_hours_text.startswith("The service is available from 10 am")


def test_the_cli_reads_a_data_package_directory_as_hsds(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "--no-index", str(hsds_path("examples", "csv"))]) == 0
    out = capsys.readouterr().out
    assert "Note: datapackage.json is no Data Package descriptor" in out  # a placeholder
    assert out.splitlines()[-1].startswith("created 1, updated 0, unchanged 0, rejected 0")
    assert main(["import", "--no-index", "--format", "legacy", str(SAMPLE)]) == 0
    assert "rejected 0" in capsys.readouterr().out


# --- our own publication, round-tripped ------------------------------------------------------


def searchable() -> dict[str, dict[str, Any]]:
    """The documents search would hold for every row, without the save time."""
    records = ServiceAtLocation.load_records(ServiceAtLocation.all_ids())
    documents = build_documents(records, BulkResult())
    return {d["id"]: {k: v for k, v in d.items() if k != "revision"} for d in documents}


def stored() -> dict[str, dict[str, Any]]:
    found = read_stored(ServiceAtLocation.all_ids())
    return {rid: {k: s.fields[k] for k in ("id", *DATA_FIELDS)} for rid, s in found.items()}


@pytest.fixture(params=["sample", "shared"])
def legacy_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """The bundled sample, or the first 100 records of the shared legacy export (markup,
    phone formats, near-duplicates)."""
    if request.param == "sample":
        return SAMPLE
    lines = shared_file("providers.jsonl").read_text(encoding="utf-8").splitlines()[:100]
    path = tmp_path / "providers-100.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_legacy_records_round_trip_through_our_export_into_a_fresh_database(
    legacy_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    legacy = import_file(legacy_file)
    assert legacy.rejected == 0 and legacy.created > 80
    rows, documents = stored(), searchable()
    out = tmp_path / "hsds"
    assert main(["export", "--format", "hsds", "--out", str(out)]) == 0
    assert "records left out: 0" in capsys.readouterr().out

    same = import_hsds(out)  # into the directory it came from: every id found again
    assert (same.created, same.updated, same.unchanged, same.rejected) == (0, 0, len(rows), 0)

    legacy_warned = {w.record_id for w in legacy.warnings if w.message.startswith("phone:")}
    for form in (out, out / "services.json"):  # the Data Package, then the JSON
        empty_directory()  # a fresh database
        report = import_hsds(form)
        assert (report.created, report.rejections) == (len(rows), []), form
        assert stored() == rows, form
        assert searchable() == documents, form
        # the only warnings: numbers that were no valid phone numbers in the first place
        assert {w.record_id for w in report.warnings} <= legacy_warned, report.to_text()
        again = import_hsds(form)
        assert (again.created, again.updated, again.unchanged) == (0, 0, len(rows)), form


def test_a_record_of_ours_without_a_location_is_found_in_the_directory(tmp_path: Path) -> None:
    record = {"id": "nowhere-1", "name": "Telefonberatung", "categories": ["geld/sozialrecht"]}
    legacy = tmp_path / "one.jsonl"
    legacy.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert import_file(legacy).created == 1
    assert main(["export", "--format", "hsds", "--out", str(tmp_path / "out")]) == 0
    report = import_hsds(tmp_path / "out" / "services.json")
    assert (report.created, report.unchanged) == (0, 1)  # no location names it: recomputed


# --- broken input ------------------------------------------------------------------------------


def test_a_broken_item_is_rejected_by_id_with_a_reason_while_the_rest_import(
    tmp_path: Path,
) -> None:
    good = json.loads(hsds_path("examples", "service_full.json").read_text(encoding="utf-8"))
    nameless = {**good, "id": "broken-1", "name": " "}
    gone = {"id": "gone-1", "name": "Früher hier", "status": "defunct"}
    orphan = {"id": "sal-1", "service_id": "nowhere", "location_id": CIVIC_CENTER}
    page = {"total_items": 5, "total_pages": 1, "page_number": 1, "size": 5,
            "first_page": True, "last_page": True, "empty": False,
            "contents": [good, nameless, gone, orphan, "not an object"]}  # fmt: skip
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    report = import_hsds(path)
    assert report.created == 1 and ServiceAtLocation.objects.filter(pk=AT_CIVIC_CENTER).exists()
    assert [(r.line, r.record_id, r.reason) for r in report.rejections] == [
        (2, imported_record_id("broken-1", CIVIC_CENTER),
         f"service broken-1 at location {CIVIC_CENTER}: name: missing or empty"),
        (3, imported_record_id("gone-1"), "service gone-1: status defunct: not offered"),
        (4, None, "service_at_location sal-1: its service nowhere is not in the input"),
        (5, None, "item is not a JSON object"),
    ]  # fmt: skip
    assert f"line 2 ({imported_record_id('broken-1', CIVIC_CENTER)}): service broken-1" in (
        report.to_text()
    )
    again = import_hsds(path)
    assert (again.created, again.unchanged, again.rejected) == (0, 1, 4)


def test_an_input_without_any_service_says_why(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="lists no services: nothing to import"):
        import_hsds(hsds_path("examples", "organization_list.json"))
    assert main(["import", "--no-index", "--format", "hsds", str(tmp_path)]) == 1


# --- indexed by the workers ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_hsds_import_is_indexed_by_a_real_worker(
    worker: Any, es_client: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(hsds_path("examples", "service_full.json"))]) == 0
    assert "queued 1 changed records" in capsys.readouterr().out

    def indexed() -> dict[str, Any] | None:
        es_client.indices.refresh(index=settings.INDEXER.alias, ignore_unavailable=True)
        found = es_client.options(ignore_status=404).get(
            index=settings.INDEXER.alias, id=AT_CIVIC_CENTER
        )
        return found.body["_source"] if found.body.get("found") else None

    document = wait_until(indexed, timeout=30, interval=0.2)
    assert document["name"] == "Community Counselling"
    assert document["areas"] == ["extern"] and document["wheelchair"] is True
