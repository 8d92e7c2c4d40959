"""More than one reading near the top: an ambiguous query's second, a crisis's services.

The concept boosts are additive, so whichever service type the analysis weighs most fills
the whole first page, even when a second type was nearly as likely: "Kindsvater zahlt
keinen Unterhalt" ranks ten single-parent groups and no youth office. When the analysis is
unsure between two service types, the best hit of the second is moved up to
:data:`SLOT` — a person scanning three results sees both readings, and the one that was
right costs one place, not the page. A query in danger that ranks its crisis services
first shows each of them once before the second of any (:data:`CRISIS_SLOTS`): a man whose
wife hits him sees violence counselling beside the women's shelters, someone in despair
the social-psychiatric service beside the crisis line. Pure functions: the search
(:mod:`indexer.search`) fetches a few more hits and applies the order they return.
"""

from __future__ import annotations

from collections.abc import Sequence

from analyzers.models import QueryAnalysis
from indexer.clauses import crisis_clauses

RATIO = 0.6  # the second type's weight, relative to the first, from which both are shown
SLOT = 2  # the 0-based place the second reading's best hit moves up to
CRISIS_SLOTS = (0, 2, 4)  # places of the first hit of each crisis service, in their order
WINDOW = 30  # hits looked through for the other readings (beyond the page asked for)

Placement = list[tuple[str, int]]  # (service type, the place its first hit moves up to)


def placements(analysis: QueryAnalysis | None) -> Placement:
    """Which service types' best hits move up, and to where (empty: the ranking stands)."""
    if analysis is None:
        return []
    if analysis.crisis is not None:
        if not crisis_clauses(analysis):  # the crisis yielded the ranking to a topic
            return []
        codes = [c.code for c in analysis.concepts if c.kind == "crisis"]
        return list(zip(codes[1:], CRISIS_SLOTS[1:], strict=False))
    types = sorted(
        (c for c in analysis.concepts if "/" in c.code and c.weight > 0), key=lambda c: -c.weight
    )
    if len(types) < 2 or types[1].weight < RATIO * types[0].weight:
        return []
    return [(types[1].code, SLOT)]


def reorder(categories: Sequence[Sequence[str]], moves: Placement) -> list[int]:
    """The order of the hits (given by their categories) after each ``(code, slot)`` move:
    the first hit of ``code`` rises to ``slot`` unless one already is at or above it."""
    order = list(range(len(categories)))
    for code, slot in moves:
        first = next((i for i, h in enumerate(order) if code in categories[h]), None)
        if first is not None and first > slot:
            order.insert(slot, order.pop(first))
    return order
