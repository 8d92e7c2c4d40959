"""A second reading near the top when the query could mean two kinds of service.

The concept boosts are additive, so whichever service type the analysis weighs most fills
the whole first page, even when a second type was nearly as likely: "Kindsvater zahlt
keinen Unterhalt" ranks ten single-parent groups and no youth office. When the analysis is
unsure between two service types, the best hit of the second is moved up to
:data:`SLOT` — a person scanning three results sees both readings, and the one that was
right costs one place, not the page. Pure functions: the search (:mod:`indexer.search`)
fetches a few more hits and applies the order they return.
"""

from __future__ import annotations

from collections.abc import Sequence

from analyzers.models import QueryAnalysis

RATIO = 0.6  # the second type's weight, relative to the first, from which both are shown
SLOT = 2  # the 0-based place the second reading's best hit moves up to
WINDOW = 30  # hits looked through for the second reading (beyond the page asked for)


def second_reading(analysis: QueryAnalysis | None) -> str | None:
    """The service type to show near the top beside the leading one, if the query is
    ambiguous between them; never when a crisis leads (its services are first by design)."""
    if analysis is None or analysis.crisis is not None:
        return None
    types = sorted(
        (c for c in analysis.concepts if "/" in c.code and c.weight > 0), key=lambda c: -c.weight
    )
    if len(types) < 2 or types[1].weight < RATIO * types[0].weight:
        return None
    return types[1].code


def reorder(categories: Sequence[Sequence[str]], code: str, slot: int = SLOT) -> list[int]:
    """The order of the hits (given by their categories) with the first hit of ``code``
    moved up to ``slot``, unless one already is at or above it."""
    order = list(range(len(categories)))
    first = next((i for i, cats in enumerate(categories) if code in cats), None)
    if first is None or first <= slot:
        return order
    order.pop(first)
    order.insert(slot, first)
    return order
