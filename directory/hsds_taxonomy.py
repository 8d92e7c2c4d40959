"""Our category tree published as one HSDS taxonomy, and the attributes that file services.

Areas (``familie``) and service types (``familie/kita``) become ``taxonomy_term`` objects
of one ``taxonomy``; a service type's ``parent_id`` is its area. Terms carry the German
label (the directory's language; the taxonomy's other languages label areas only). A
service is filed under its categories through ``attribute`` objects, main category first,
as HSDS links services to terms. A code our taxonomy does not know (the import accepts
them) still becomes a term, named by its code, so that no attribute points nowhere.

The import reads terms back (:func:`find_code`): our own term ids, then codes, then
names in any of the taxonomy's languages. A term that is none of ours is kept under the
area ``extern`` (``extern/<its code>``), so that the records stay findable and one facet
shows an editor what is left to file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from analyzers import taxonomy as tree
from analyzers.normalize import fold
from directory.hsds_ids import stable_id, taxonomy_id, taxonomy_term_id

TAXONOMY_LABEL = "Sozialatlas"
LINK_TYPE = "service_type"  # what the term says about the service: what kind of help it is


def taxonomy() -> dict[str, Any]:
    return {
        "id": taxonomy_id(),
        "name": "Sozialatlas-Kategorien",
        "description": "Bereiche und Angebotsarten des Sozialatlas; Codes wie "
        "'familie/kita' (Bereich/Angebotsart).",
    }


def term(code: str) -> dict[str, Any]:
    """The taxonomy term of ``code`` (an unknown code is a term named by the code)."""
    category = tree.categories().get(code)
    label = category.label("de") if category else code
    parent = category.parent if category else None
    out: dict[str, Any] = {
        "id": taxonomy_term_id(code),
        "code": code,
        "name": label,
        "description": f"{tree.label(parent)} › {label}" if parent else label,
    }
    if parent:
        out["parent_id"] = taxonomy_term_id(parent)
    out.update(taxonomy=TAXONOMY_LABEL, language="de", taxonomy_id=taxonomy_id())
    return out


@lru_cache(maxsize=1)
def _terms() -> tuple[tuple[str, dict[str, Any]], ...]:
    return tuple((code, term(code)) for code in tree.codes())


def terms() -> list[dict[str, Any]]:
    """Every term of the taxonomy, areas each followed by their service types."""
    return [dict(found) for _code, found in _terms()]


@lru_cache(maxsize=1)
def _codes_by_id() -> dict[str, str]:
    return {found["id"]: code for code, found in _terms()}


def code_of_term(term_id: str) -> str | None:
    """The category code a term id stands for; None for ids not of our taxonomy."""
    return _codes_by_id().get(term_id)


def attributes(record_id: str, service_id: str, codes: list[str]) -> list[dict[str, Any]]:
    """One attribute per category of the record, linking the service to its term."""
    return [
        {
            "id": stable_id("attribute", record_id, code),
            "link_id": service_id,
            "link_type": LINK_TYPE,
            "link_entity": "service",
            "taxonomy_term_id": taxonomy_term_id(code),
            "taxonomy_term": term(code),
        }
        for code in codes
    ]


# --- the way back: terms of an HSDS publication as our category codes -----------------------

UNMAPPED_AREA = "extern"  # codes of terms that are none of ours: one group to re-file
NO_TERM = f"{UNMAPPED_AREA}/ohne-kategorie"  # a service filed under no term at all
_SLUG = re.compile(r"[^a-z0-9._-]+")


@lru_cache(maxsize=1)
def _by_key() -> dict[str, str]:
    """Folded labels (every language) and the last part of each code → the code."""
    found: dict[str, str] = {}
    for code, category in tree.categories().items():
        for key in (code, code.rsplit("/", 1)[-1], *(text for _lang, text in category.labels)):
            found.setdefault(fold(key), code)
    return found


def find_code(found: Mapping[str, Any]) -> str | None:
    """Our code for an HSDS taxonomy term: by our term id, by code, or by name; else None.

    A term we published for a code our taxonomy does not know (its id is that code's)
    comes back as the same code.
    """
    term_id, code = str(found.get("id") or ""), str(found.get("code") or "").strip()
    ours = code_of_term(term_id)
    if ours is not None:
        return ours
    if code and term_id == taxonomy_term_id(code):
        return code
    for key in (code, str(found.get("name") or "").strip()):
        if key and fold(key) in _by_key():
            return _by_key()[fold(key)]
    return None


def make_unmapped_code(found: Mapping[str, Any]) -> str | None:
    """The code a term that is none of ours is kept under (``extern/<its code or name>``)."""
    for key in ("code", "name"):
        slug = _SLUG.sub("-", str(found.get(key) or "").strip().lower()).strip("-")
        if slug:
            return f"{UNMAPPED_AREA}/{slug}"
    return None
