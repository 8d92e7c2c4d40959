"""The official HSDS 3.0 schemas of ``../shared/hsds`` as validators (with format checks).

The compiled schemas are self-contained; the plain ones (``taxonomy.json``,
``taxonomy_term.json``, the tables of ``compiled/tabular.json``) refer to their
neighbours by file name, which the retriever reads from the same directory. A missing
``../shared`` fails the test: CI always has it.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

HSDS = Path(__file__).resolve().parents[1].parent / "shared" / "hsds"
PAGE_KEYS = (
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
)


def hsds_path(*parts: str) -> Path:
    path = HSDS.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"{path} is missing: clone the project next to shared/ (see README)")
    return path


def _retrieve(uri: str) -> Any:
    return json.loads(hsds_path("schema", uri.rsplit("/", 1)[-1]).read_text(encoding="utf-8"))


@lru_cache(maxsize=32)
def schema_document(relative: str) -> Any:
    return json.loads(hsds_path("schema", relative).read_text(encoding="utf-8"))


@lru_cache(maxsize=32)
def validator(relative: str) -> Any:
    """The validator of ``schema/<relative>`` (e.g. ``compiled/service.json``)."""
    return _validator_of(schema_document(relative), relative)


def _validator_of(schema: Any, relative: str) -> Any:
    base = (HSDS / "schema" / relative).as_uri()
    return jsonschema_rs.validator_for(
        schema, validate_formats=True, retriever=_retrieve, base_uri=base
    )


def assert_valid(relative: str, instance: Any) -> None:
    errors = [f"{e.instance_path}: {e.message}" for e in validator(relative).iter_errors(instance)]
    assert not errors, f"{relative}: {errors[:5]} in {json.dumps(instance)[:400]}"


@lru_cache(maxsize=1)
def _page_validator() -> Any:
    page = json.loads(hsds_path("schema", "openapi.json").read_text(encoding="utf-8"))
    schema = dict(page["components"]["schemas"]["Page"])
    schema["required"] = list(PAGE_KEYS)
    schema["properties"] = {**schema["properties"], "contents": {"type": "array"}}
    return _validator_of(schema, "openapi.json")


def assert_page(body: Any, item_schema: str) -> list[Any]:
    """A page as the API reference's ``Page``; each item against ``item_schema``."""
    errors = [e.message for e in _page_validator().iter_errors(body)]
    assert not errors, errors
    assert body["size"] == len(body["contents"])
    assert body["first_page"] == (body["page_number"] == 1)
    assert body["last_page"] == (body["page_number"] >= body["total_pages"])
    assert body["empty"] == (body["total_items"] == 0)
    for item in body["contents"]:
        assert_valid(item_schema, item)
    return list(body["contents"])


@lru_cache(maxsize=32)
def table_validator(name: str) -> Any:
    """The validator of one row of table ``name`` (``compiled/tabular.json``)."""
    item = schema_document("compiled/tabular.json")["properties"][name]["items"]
    return _validator_of(item, "compiled/tabular.json")


def table_required(name: str) -> set[str]:
    """The columns a row of table ``name`` must have (an empty cell is an empty string)."""
    item = schema_document("compiled/tabular.json")["properties"][name]["items"]
    if "$ref" in item:
        item = schema_document(item["$ref"])
    return set(item.get("required", []))
