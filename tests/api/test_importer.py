"""The importer against the SQLite test database: formats, bad input, counts, re-imports."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path
from typing import Any

import pytest

from directory.errors import ImportFileError
from directory.importer import import_file, import_records
from directory.models import ServiceAtLocation
from tests.factories import flat

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "sozialatlas" / "data" / "sample_providers.jsonl"


def make(n: int, **changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": f"t-{n:03d}",
        "name": f"Beratungsstelle {n}",
        "organization": "Testverein e.V.",
        "description": f"<p>Beratung &amp; Hilfe Nummer {n}.</p>",
        "categories": ["geld/schuldnerberatung"],
        "target_groups": ["Familien"],
        "languages": ["de", "ar"],
        "address": {
            "street": f"Teststraße {n}",
            "postal_code": "09111",
            "city": "Chemnitz",
            "district": "Zentrum",
        },
        "location": {"lat": 50.83, "lon": 12.92},
        "phone": "0371 123456",
        "email": "",
        "website": "beratung.example",
        "opening_hours": [{"days": ["mo"], "opens": "18:00", "closes": "08:00"}],
        "opening_hours_text": "Mo 18–8 Uhr",
        "accessibility": {"wheelchair": True},
        "cost": "kostenlos",
        "appointment_required": False,
        "online_counselling": True,
        "updated_at": "2025-01-31",
    }
    record.update(changes)
    return record


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_import_cleans_and_counts(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "p.jsonl", [json.dumps(make(i)) for i in range(1, 6)])
    report = import_file(path)
    assert (report.created, report.updated, report.unchanged, report.rejected) == (5, 0, 0, 0)
    assert sorted(report.changed_ids) == [f"t-{i:03d}" for i in range(1, 6)]
    row = flat("t-001")
    assert row.description == "Beratung & Hilfe Nummer 1."
    assert (row.phone, row.phone_display) == ("+49371123456", "+49 371 123456")
    assert row.email is None and row.website == "https://beratung.example"
    assert row.street == "Teststraße 1" and row.wheelchair is True and row.revision > 0
    assert report.to_text().splitlines()[-1] == (
        "created 5, updated 0, unchanged 0, rejected 0, duplicates 0, warnings 0"
    )


def test_malformed_line_in_the_middle_is_reported_with_its_line(tmp_path: Path) -> None:
    lines = [json.dumps(make(1)), json.dumps(make(2)), '{"id": "t-003", "name": ', ""]
    lines += [json.dumps(make(4)), json.dumps(make(5, cost="gratis"))]
    report = import_file(write_jsonl(tmp_path / "p.jsonl", lines))
    assert report.created == 3
    assert [(r.line, r.record_id) for r in report.rejections] == [(3, None), (6, "t-005")]
    assert report.rejections[0].reason.startswith("invalid JSON")
    assert report.rejections[1].reason.startswith("cost:")
    assert "line 3" in report.to_text()
    assert ServiceAtLocation.objects.count() == 3


def test_reimport_is_unchanged_and_an_edit_is_an_update(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "p.jsonl", [json.dumps(make(i)) for i in range(1, 4)])
    import_file(path)
    before = flat("t-002").revision
    again = import_file(path)
    assert (again.created, again.updated, again.unchanged, again.changed_ids) == (0, 0, 3, [])

    lines = [json.dumps(make(1)), json.dumps(make(2, name="Neue Beratung")), json.dumps(make(3))]
    edited = import_file(write_jsonl(path, lines))
    assert (edited.created, edited.updated, edited.unchanged) == (0, 1, 2)
    assert edited.changed_ids == ["t-002"]
    row = flat("t-002")
    assert row.name == "Neue Beratung" and row.revision > before


def test_json_array(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps([make(1), make(2), "kein Objekt"], indent=2), encoding="utf-8")
    report = import_file(path)
    assert report.created == 2
    assert report.rejections[0].reason == "record is not a JSON object"
    assert report.rejections[0].line > 1  # a real line number, not an index


def test_csv_with_lists_address_and_hours(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    columns = "id name categories languages street postal_code city district lat lon phone"
    columns += " opening_hours wheelchair cost"
    hours = json.dumps([{"days": ["mo", "di"], "opens": "09:00", "closes": "12:00"}])
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(columns.split())
        writer.writerow(["c-1", "Tafel Sonnenberg", "versorgung/tafel|versorgung/mittagstisch",
                         "de|uk", "Jakobstraße 46", "09130", "Chemnitz", "Sonnenberg", "50.84",
                         "12.94", "+49 (0)371/12 34 56", hours, "true", "kostenlos"])  # fmt: skip
        writer.writerow(["c-2", "Ohne Ort", "versorgung/tafel", "", "", "", "", "", "", "", "",
                         "", "", ""])  # fmt: skip
        writer.writerow(["c-3", "", "versorgung/tafel", "", "", "", "", "", "", "", "", "", "",
                         ""])  # fmt: skip
    report = import_file(path)
    assert report.created == 2
    assert [(r.line, r.record_id) for r in report.rejections] == [(4, "c-3")]
    row = flat("c-1")
    assert row.categories == ["versorgung/tafel", "versorgung/mittagstisch"]
    assert row.languages == ["de", "uk"] and (row.lat, row.lon) == (50.84, 12.94)
    assert row.opening_hours == [{"days": ["mo", "di"], "opens": "09:00", "closes": "12:00"}]
    assert row.phone == "+49371123456" and row.wheelchair is True
    empty = flat("c-2")
    assert empty.lat is None and empty.phone is None and empty.cost is None


def test_gzip_by_magic_bytes_and_suffix(tmp_path: Path) -> None:
    data = ("\n".join(json.dumps(make(i)) for i in range(1, 4)) + "\n").encode()
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(data))
    (tmp_path / "b.data").write_bytes(gzip.compress(data))  # no telling suffix
    assert import_file(tmp_path / "a.jsonl.gz").created == 3
    assert import_file(tmp_path / "b.data").unchanged == 3


def test_near_duplicates_are_flagged_not_dropped(tmp_path: Path) -> None:
    twin = make(2, id="t-dup", name="Beratungsstelle 1 ", address=make(1)["address"])
    lines = [json.dumps(make(1)), json.dumps(twin)]
    report = import_file(write_jsonl(tmp_path / "p.jsonl", lines))
    assert report.created == 2
    assert [(d.duplicate_id, d.original_id) for d in report.duplicates] == [("t-dup", "t-001")]
    assert flat("t-dup").duplicate_of == "t-001"
    # A partial re-import that cannot see the original keeps the flag.
    assert import_file(write_jsonl(tmp_path / "q.jsonl", lines[1:])).unchanged == 1


def test_repeated_id_in_one_file_is_rejected(tmp_path: Path) -> None:
    lines = [json.dumps(make(1)), json.dumps(make(1, name="Andere"))]
    report = import_file(write_jsonl(tmp_path / "p.jsonl", lines))
    assert report.created == 1 and "already imported from line 1" in report.rejections[0].reason


def test_small_batches_give_the_same_counts(tmp_path: Path) -> None:
    items = [(i, make(i)) for i in range(1, 12)]
    report = import_records(items, batch_size=4)
    assert report.created == 11 and ServiceAtLocation.objects.count() == 11


@pytest.mark.parametrize(
    ("name", "content"),
    [("missing.jsonl", None), ("empty.jsonl", b""), ("garbage.bin", b"\x00\x01binary"),
     ("all-bad.jsonl", b"{oops\nnot json\n")],
)  # fmt: skip
def test_unreadable_files_raise(tmp_path: Path, name: str, content: bytes | None) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ImportFileError):
        import_file(path)
    assert ServiceAtLocation.objects.count() == 0


def test_sample_data_imports_cleanly() -> None:
    report = import_file(SAMPLE)
    assert report.created >= 85 and report.rejected == 0
    assert len(report.duplicates) == 1
    assert report.to_dict()["created"] == report.created


# --- the bad-input corpus: every bad item reported with its line, every good one kept ----


def _csv_bytes(rows: list[list[str]], encoding: str, delimiter: str = ";") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


CSV_HEADER = ["id", "name", "categories", "street", "postal_code", "city", "district"]


def test_a_windows_1252_csv_is_read_as_such_and_said_so(tmp_path: Path) -> None:
    rows = [
        CSV_HEADER,
        ["w-1", "Schuldnerberatung Müller", "geld/schuldnerberatung", "Straße 1", "09111",
         "Chemnitz", "Zentrum"],
        ["w-2", "", "geld/schuldnerberatung", "", "", "", ""],
        ["w-3", "Tafel Größe – Süd", "versorgung/tafel", "", "", "", ""],
    ]  # fmt: skip
    path = tmp_path / "excel.csv"
    path.write_bytes(_csv_bytes(rows, "cp1252"))
    report = import_file(path)
    assert (report.created, report.rejected) == (2, 1)
    assert report.rejections[0].line == 3 and report.rejections[0].record_id == "w-2"
    assert flat("w-1").name == "Schuldnerberatung Müller"
    assert flat("w-3").name == "Tafel Größe – Süd"
    assert any("Windows-1252" in note for note in report.notes)
    assert "Windows-1252" in report.to_text()
    assert import_file(path).unchanged == 2  # a rerun changes nothing


def test_a_huge_field_rejects_its_row_only(tmp_path: Path) -> None:
    rows = [
        [*CSV_HEADER, "description"],
        ["h-1", "Beratung A", "geld/schuldnerberatung", "", "", "", "", "kurz"],
        ["h-2", "Beratung B", "geld/schuldnerberatung", "", "", "", "", "x" * 200_000],
        ["h-3", "Beratung C", "geld/schuldnerberatung", "", "", "", "", "kurz"],
    ]
    path = tmp_path / "huge.csv"
    path.write_bytes(_csv_bytes(rows, "utf-8"))
    report = import_file(path)
    assert report.created == 2
    assert [(r.line, r.record_id) for r in report.rejections] == [(3, "h-2")]
    assert "description: longer than" in report.rejections[0].reason


def test_a_truncated_gzip_keeps_every_record_before_the_break(tmp_path: Path) -> None:
    data = ("\n".join(json.dumps(make(i)) for i in range(1, 1201)) + "\n").encode()
    packed = gzip.compress(data)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(packed[: len(packed) * 2 // 3])
    report = import_file(path, batch_size=100)
    assert 100 < report.created < 1200 and ServiceAtLocation.objects.count() == report.created
    last = report.rejections[-1]
    assert "breaks off" in last.reason and last.line == report.created + 1
    assert "created" in report.to_text().splitlines()[-1]  # the counts are printed


def test_a_jsonl_file_with_a_byte_order_mark_keeps_its_first_record(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + (json.dumps(make(1)) + "\n" + json.dumps(make(2))).encode())
    report = import_file(path)
    assert (report.created, report.rejected) == (2, 0)


@pytest.mark.parametrize(
    "line",
    [
        '{"id": "x-1", "name": "\\u0000\\ud800 Null", "categories": ["geld/schuldnerberatung"]}',
        '{"id": "x-2", "name": ["a list"], "categories": "geld/schuldnerberatung"}',
        '{"id": 7, "name": "Zahl als id", "categories": ["geld/schuldnerberatung"]}',
        '{"id": "x-4", "name": "=HYPERLINK(\\"http://evil\\")", "categories": ["nope/nope"]}',
        '{"id": "x-5", "name": "Tiefe", "address": {"street": {"a": {"b": [1, [2]]}}}}',
        '{"id": "x-6", "name": "<script>alert(1)</script>", "location": {"lat": "NaN"}}',
        '{"id": "' + "i" * 5000 + '", "name": "lange id"}',
        "[1, 2, 3]",
        '"just a string"',
        "{" * 10_000,
    ],
)
def test_hostile_records_are_reported_never_raised(tmp_path: Path, line: str) -> None:
    good = json.dumps(make(1))
    report = import_file(
        write_jsonl(tmp_path / "hostile.jsonl", [good, line, good.replace("t-001", "t-002")])
    )
    assert report.created + report.rejected == 3  # each line is accounted for, once
    assert ServiceAtLocation.objects.filter(pk__in=["t-001", "t-002"]).count() == 2
    for rejection in report.rejections:
        assert rejection.line == 2 and rejection.reason
