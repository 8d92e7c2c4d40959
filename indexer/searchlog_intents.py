"""Intent linking: the keystrokes of one as-you-type search become one *intent*.

Every keystroke of a search typed in the widget is logged, so "ki", "kit", "kita" are three
entries of one question. :func:`link_batch` gives them one ``intent`` and leaves only the
last with ``final: true``, which is what the reports and the rollup count; a query shortly
after a zero-result query is linked to it as its refinement (``refines`` / ``refined``).
Linking needs a small per-session state the caller keeps (Redis in production, a dict in
tests), because the entries of one session arrive in several batches.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from itertools import pairwise
from typing import Any

from indexer.searchlog import SearchLogSettings, entry_time


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance, cut off above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def is_edit(previous: str, current: str) -> bool:
    """Does ``current`` extend, shorten or slightly edit ``previous`` (typing one search)?"""
    if not previous or not current:
        return False
    if current.startswith(previous) or previous.startswith(current):
        return True
    return _distance(previous, current, 2) <= 2


LINKS = ("final", "intent", "refines", "refined")  # what linking decides for an entry
RECENT_MAX = 20  # entries a session's state keeps at most (a late batch links against them)


def link_batch(
    entries: Sequence[dict[str, Any]],
    state: MutableMapping[str, dict[str, Any]],
    conf: SearchLogSettings,
) -> tuple[list[dict[str, Any]], list[tuple[str, str, dict[str, Any]]]]:
    """Assign intents and refinements to the search/suggest entries of one batch.

    ``state`` maps a session to ``{"recent": [...]}``, its entries of the last
    ``refine_window_s`` (id, index, normalized, ts, total and their links); it is read and
    updated. Batches may arrive out of order: the API flushes every second and two worker
    processes may take consecutive batches in either order. So the links of a session's
    recent entries are recomputed together with the new ones, in time order, and an
    entry written by an earlier batch whose links change gets a partial update. Returns
    the entries to index (in time order) and the updates ``(index, id, doc)``.
    """
    ordered = sorted(entries, key=entry_time)
    sessions: dict[str, list[dict[str, Any]]] = {}
    for entry in ordered:
        entry.setdefault("final", True)
        entry.setdefault("intent", entry["id"])
        if entry.get("session"):
            sessions.setdefault(entry["session"], []).append(entry)
    updates: list[tuple[str, str, dict[str, Any]]] = []
    for session, new in sessions.items():
        stored = _recent(state.get(session))
        fresh = [_summary(entry, conf) for entry in new]
        window = sorted([*stored, *fresh], key=entry_time)
        before = {item["id"]: {k: item.get(k) for k in LINKS} for item in stored}
        _relink(window, conf)
        for item in stored:
            changed = {k: item.get(k) for k in LINKS if item.get(k) != before[item["id"]][k]}
            if changed:
                updates.append((item["index"], item["id"], changed))
        for entry, item in zip(new, fresh, strict=True):
            entry["final"], entry["intent"] = item["final"], item["intent"]
            for key in ("refines", "refined"):
                if item.get(key):
                    entry[key] = item[key]
        newest = entry_time(window[-1])
        keep = [
            i for i in window if (newest - entry_time(i)).total_seconds() <= conf.refine_window_s
        ]
        state[session] = {"recent": keep[-RECENT_MAX:]}
    return ordered, updates


def _summary(entry: dict[str, Any], conf: SearchLogSettings) -> dict[str, Any]:
    ts = entry_time(entry)
    return {
        "id": entry["id"],
        "index": conf.index_for(ts),
        "normalized": entry["normalized"],
        "ts": ts.isoformat(),
        "total": entry.get("total"),
        "final": entry["final"],
        "intent": entry["intent"],
        "refines": entry.get("refines"),
        "refined": entry.get("refined", False),
    }


def _recent(value: dict[str, Any] | None) -> list[dict[str, Any]]:
    """A session's stored entries; a state saved before ``recent`` held the last one only."""
    if value is None:
        return []
    if "recent" in value:
        return list(value["recent"])
    return [{"final": True, "refined": False, **value}]


def _relink(window: list[dict[str, Any]], conf: SearchLogSettings) -> None:
    """Link consecutive entries of one session, oldest first (the first keeps its links)."""
    window[0]["final"], window[0]["refined"] = True, False
    for item in window[1:]:
        item.update(final=True, intent=item["id"], refines=None, refined=False)
    for prev, entry in pairwise(window):
        gap = (entry_time(entry) - entry_time(prev)).total_seconds()
        if gap <= conf.intent_window_s and is_edit(prev["normalized"], entry["normalized"]):
            entry["intent"] = prev["intent"]
            if prev.get("refines"):
                entry["refines"] = prev["refines"]
            prev["final"] = False
        elif gap <= conf.refine_window_s and prev.get("total") == 0:
            entry["refines"] = prev["id"]
            prev["refined"] = True
