"""Reading provider records from JSON Lines, JSON arrays or CSV (optionally gzipped).

Files come from spreadsheets and legacy exports: a Windows encoding, a ``;`` delimiter, a
byte order mark, a truncated ``.gz``. Every reader yields ``(line number, parsed object)``
or, for an item it cannot parse, ``(line number, RecordError)``, so that the importer
reports parse and validation failures alike and keeps everything read before a break.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

import orjson

from directory.errors import ImportFileError, RecordError
from directory.placement import Placement

_LIST_COLUMNS = frozenset({"categories", "target_groups", "languages"})
_ADDRESS_COLUMNS = ("street", "postal_code", "city", "district")
_GZIP_MAGIC = b"\x1f\x8b"
_BOM = b"\xef\xbb\xbf"
FALLBACK_ENCODING = "cp1252"  # what German Excel writes when it does not write UTF-8
CSV_FIELD_LIMIT = 16 * 1024 * 1024  # the csv module's 128 KB would abort a file mid-way

# One item of input: the line it starts on and the parsed object, or the reason it could
# not be parsed (a RecordError), so that parse and validation failures are reported alike.
RawItem = tuple[int, object]


@dataclass(frozen=True)
class MappedRecord:
    """A record translated from another format (HSDS), with what the translation noticed.

    ``origin`` names the item by its publisher's ids, so that a rejection can be found in
    their data; ``notes`` become the record's warnings; ``refusal`` rejects it outright;
    ``placement`` names the organisation, service and location it belongs to.
    """

    record: dict[str, Any]
    origin: str
    notes: tuple[str, ...] = ()
    refusal: str | None = None
    placement: Placement | None = None


def _open_binary(path: Path) -> IO[bytes]:
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise ImportFileError(f"cannot open {path}: {exc.strerror or exc}") from None
    if raw.read(2) == _GZIP_MAGIC:
        raw.close()
        return cast(IO[bytes], gzip.open(path, "rb"))
    raw.seek(0)
    return raw


def _detect_format(path: Path, head: bytes) -> str:
    """``jsonl``, ``json`` or ``csv``: from the suffix if it says, else from the content."""
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(".csv"):
        return "csv"
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start == b"[":
        return "json"
    if start == b"{":
        return "jsonl"
    first_line = head.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace").lower()
    if "id" in first_line and any(sep in first_line for sep in ",;\t"):
        return "csv"
    raise ImportFileError(f"{path.name} is neither JSON nor CSV")


def detect_encoding(path: Path) -> str:
    """``utf-8`` if the whole file decodes as UTF-8, else :data:`FALLBACK_ENCODING`.

    Read once before importing (in chunks, so a large file is not held in memory): a
    Windows export must not fail after the first batch has been committed.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    with _open_binary(path) as stream:
        try:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return FALLBACK_ENCODING
        except (OSError, EOFError):
            pass  # a damaged file: the reader reports where it ends
    return "utf-8"


def _utf8(line: bytes, encoding: str) -> bytes:
    return line if encoding == "utf-8" else line.decode(encoding, "replace").encode()


def _read_jsonl(stream: IO[bytes], encoding: str = "utf-8") -> Iterator[RawItem]:
    for line_no, raw_line in enumerate(stream, 1):
        line = _utf8(raw_line.removeprefix(_BOM) if line_no == 1 else raw_line, encoding)
        if not line.strip():
            continue
        try:
            yield line_no, orjson.loads(line)  # a third of the stdlib's time on large files
        except json.JSONDecodeError as exc:  # orjson's error is a subclass
            yield line_no, RecordError(f"invalid JSON: {exc.msg} (column {exc.colno})")
        except UnicodeDecodeError:
            yield line_no, RecordError("invalid JSON: not UTF-8 text")


def _read_json_array(stream: IO[bytes], encoding: str = "utf-8") -> Iterator[RawItem]:
    """Decode element by element so the parsed array never exists as one big list."""
    text = stream.read().decode("utf-8-sig" if encoding == "utf-8" else encoding, "replace")
    decoder = json.JSONDecoder()
    pos, line = 0, 1

    def skip(pos: int) -> int:
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        return pos

    def advance(to: int) -> None:
        nonlocal pos, line
        line += text.count("\n", pos, to)
        pos = to

    advance(skip(0) + 1)  # the "[" that _detect_format saw
    while True:
        advance(skip(pos))
        if text.startswith("]", pos):
            return
        try:
            obj, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            yield line, RecordError(f"invalid JSON: {exc.msg}; the rest of the array is lost")
            return
        yield line, obj
        advance(skip(end))
        if text.startswith(",", pos):
            advance(pos + 1)
        elif not text.startswith("]", pos):
            yield line, RecordError("invalid JSON: expected ',' or ']' after a record")
            return


def _csv_row_to_record(row: dict[str | None, Any]) -> dict[str, Any]:
    """Rebuild the nested exchange record from the flat CSV columns."""
    if None in row:
        raise RecordError("row has more cells than the header")
    record: dict[str, Any] = {}
    address: dict[str, Any] = {}
    location: dict[str, Any] = {}
    for column, cell in row.items():
        key = (column or "").strip().lower().removeprefix("address.").removeprefix("location.")
        value = (cell or "").strip()
        if key in _LIST_COLUMNS:
            record[key] = [part.strip() for part in value.split("|") if part.strip()]
        elif key in _ADDRESS_COLUMNS:
            address[key] = value
        elif key in {"lat", "lon"}:
            location[key] = value.replace(",", ".") if value else None
        elif key in {"wheelchair", "accessibility.wheelchair"}:
            record["accessibility"] = {"wheelchair": value or None}
        elif key == "opening_hours":
            try:
                record[key] = json.loads(value) if value else []
            except json.JSONDecodeError:
                raise RecordError("opening_hours: not a JSON list of slots") from None
        elif key:
            record[key] = value
    record["address"] = address
    record["location"] = location if any(v is not None for v in location.values()) else None
    return record


def _read_csv(stream: IO[bytes], encoding: str = "utf-8") -> Iterator[RawItem]:
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)  # long fields are judged by clean_record
    text = io.TextIOWrapper(
        stream,
        encoding="utf-8-sig" if encoding == "utf-8" else encoding,
        errors="replace",
        newline="",
    )
    header = text.readline()
    delimiter = max(",;\t", key=header.count)  # German spreadsheets export with ";"
    columns = next(csv.reader([header], delimiter=delimiter), [])
    if "id" not in {column.strip().lower() for column in columns}:
        raise ImportFileError("CSV has no 'id' column")
    rows = csv.DictReader(text, fieldnames=columns, delimiter=delimiter)
    start = 2  # line_num counts the lines after the header
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:  # a malformed row: report it, go on with the next line
            line_no, start = start, rows.line_num + 2
            yield line_no, RecordError(f"malformed CSV row: {exc}")
            continue
        line_no, start = start, rows.line_num + 2
        try:
            yield line_no, _csv_row_to_record(row)
        except RecordError as exc:
            yield line_no, exc


def read_records(path: Path, notes: list[str] | None = None) -> Iterator[RawItem]:
    """Yield ``(line number, parsed object or RecordError)`` from any supported file.

    A file that breaks off (a truncated ``.gz``, a read error) yields one last
    RecordError saying where, so that everything read before it is still imported;
    ``notes`` receives remarks about the whole file (an encoding other than UTF-8).
    """
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(f"{path} does not exist or is not a file")
    encoding = detect_encoding(path)
    if encoding != "utf-8" and notes is not None:
        notes.append(f"{path.name} is not UTF-8; read as Windows-1252 ({encoding})")
    with _open_binary(path) as stream:
        line_no = 0
        try:
            head = stream.read(4096)
            stream.seek(0)
            kind = _detect_format(path, head)
            reader = {"jsonl": _read_jsonl, "json": _read_json_array, "csv": _read_csv}[kind]
            for line_no, item in reader(stream, encoding):
                yield line_no, item
        except (OSError, EOFError, UnicodeDecodeError, zlib.error) as exc:
            if line_no == 0:
                raise ImportFileError(f"cannot read {path.name}: {exc}") from None
            reason = f"the file breaks off after line {line_no} ({exc}); nothing after it read"
            yield line_no + 1, RecordError(reason)
