"""Near-duplicate detection across cleaned provider records.

The same service often appears twice in legacy data at one address, under a slightly
different name. The importer flags such a pair (``duplicate_of``) and lists it in its
report instead of rejecting either record. The finder is incremental, so a streaming
import never holds all records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from analyzers.normalize import fold
from directory.records import RecordFields


class DuplicatePair(NamedTuple):
    duplicate_id: str
    original_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class _Seen:
    id: str
    name: str
    tokens: frozenset[str]
    org_and_description: int | None


_WORD = re.compile(r"\w+")
_STREET_ABBREVIATION = re.compile(r"str\b\.?")


def _name_key(name: str) -> tuple[str, frozenset[str]]:
    words = _WORD.findall(fold(name))
    return " ".join(words), frozenset(words)


def _address_key(fields: RecordFields) -> tuple[str, str] | None:
    street = _STREET_ABBREVIATION.sub("strasse", fold(fields["street"]))
    street = "".join(_WORD.findall(street))
    if not street:
        return None
    return street, fields["postal_code"].strip()


class DuplicateFinder:
    """Incremental near-duplicate detection, so a streaming import never holds all records.

    Only records at the same address are compared; the first record seen is the original
    and a detected duplicate is not itself used as an original (no chains).
    """

    def __init__(self, name_similarity: float = 0.9) -> None:
        self.name_similarity = name_similarity
        self._by_address: dict[tuple[str, str], list[_Seen]] = {}

    def add(self, fields: RecordFields) -> DuplicatePair | None:
        key = _address_key(fields)
        if key is None:
            return None
        name, tokens = _name_key(fields["name"])
        org_desc = (
            hash((fields["organization"].casefold(), fields["description"]))
            if fields["description"]
            else None
        )
        seen = self._by_address.setdefault(key, [])
        for other in seen:
            reason = self._compare(name, tokens, org_desc, other)
            if reason:
                return DuplicatePair(fields["id"], other.id, reason)
        seen.append(_Seen(fields["id"], name, tokens, org_desc))
        return None

    def _compare(
        self, name: str, tokens: frozenset[str], org_desc: int | None, other: _Seen
    ) -> str | None:
        if name == other.name:
            return "same name at the same address"
        union = len(tokens | other.tokens)
        similarity = len(tokens & other.tokens) / union if union else 0.0
        if similarity >= self.name_similarity:
            return f"similar name (Jaccard {similarity:.2f}) at the same address"
        if org_desc is not None and org_desc == other.org_and_description:
            return "same organization and description at the same address"
        return None


def find_duplicates(records: Iterable[RecordFields]) -> list[DuplicatePair]:
    """All near-duplicate pairs in a batch, in input order."""
    finder = DuplicateFinder()
    return [pair for fields in records if (pair := finder.add(fields)) is not None]
