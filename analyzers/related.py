"""Related services: a curated referral map from ``data/related.txt``.

A query that names a service also ranks the services counsellors would refer to next
(after a Ausländerbehörde: migration counselling), weakly, so that short result lists
for rare services continue with useful help instead of unrelated text matches.
"""

from __future__ import annotations

from functools import lru_cache

from analyzers import taxonomy
from analyzers.errors import ResourceFormatError
from analyzers.models import ConceptMatch
from analyzers.resources import content_lines, data_path, read_text

RELATED_FACTOR = 0.3  # weight of a related service relative to the concept it came from
SOURCES = 2  # the strongest service concepts of a query that contribute related ones


def parse(text: str, file: str = "<string>") -> dict[str, tuple[str, ...]]:
    """Parse ``code: code, code`` lines; unknown codes and malformed lines are errors."""
    related: dict[str, tuple[str, ...]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        head, sep, tail = line.partition(":")
        if not sep:
            raise ResourceFormatError(file, number, "expected `code: related, related`")
        codes = [c.strip() for c in tail.split(",") if c.strip()]
        for code in [head.strip(), *codes]:
            if not taxonomy.exists(code) or "/" not in code:
                raise ResourceFormatError(file, number, f"unknown service type {code!r}")
        if head.strip() in related:
            raise ResourceFormatError(file, number, f"{head.strip()} is listed twice")
        related[head.strip()] = tuple(codes)
    return related


@lru_cache(maxsize=1)
def related_map() -> dict[str, tuple[str, ...]]:
    path = data_path("related.txt")
    list(content_lines(path))  # fail early with the usual error if the file is unreadable
    return parse(read_text(path), str(path))


def expand(concepts: list[ConceptMatch]) -> list[ConceptMatch]:
    """``concepts`` plus weak related services of the strongest service concepts."""
    present = {c.code for c in concepts}
    sources = [c for c in concepts if "/" in c.code][:SOURCES]
    extra: dict[str, ConceptMatch] = {}
    for concept in sources:
        for code in related_map().get(concept.code, ()):
            weight = round(concept.weight * RELATED_FACTOR, 3)
            if code in present or (code in extra and extra[code].weight >= weight):
                continue
            extra[code] = ConceptMatch(code, weight, concept.code, "related")
    return concepts + sorted(extra.values(), key=lambda c: (-c.weight, c.code))
