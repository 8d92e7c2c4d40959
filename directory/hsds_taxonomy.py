"""Our category tree published as one HSDS taxonomy, and the attributes that file services.

Areas (``familie``) and service types (``familie/kita``) become ``taxonomy_term`` objects
of one ``taxonomy``; a service type's ``parent_id`` is its area. Terms carry the German
label (the directory's language; the taxonomy's other languages label areas only). A
service is filed under its categories through ``attribute`` objects, main category first,
as HSDS links services to terms. A code our taxonomy does not know (the import accepts
them) still becomes a term, named by its code, so that no attribute points nowhere.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from analyzers import taxonomy as tree
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


def code_of_term(term_id: str) -> str | None:
    """The category code a term id stands for; None for ids not of our taxonomy."""
    for code, found in _terms():
        if found["id"] == term_id:
            return code
    return None


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
