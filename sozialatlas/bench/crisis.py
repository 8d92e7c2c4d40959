"""``sozialatlas bench crisis``: recall of the safety layer and its false alarms.

Reads crisis phrasings (``kind<TAB>lang<TAB>style<TAB>query``), ordinary queries that
must raise no alarm (same columns, kind ``none``) and, optionally, judged queries (JSONL)
on which an alarm is false when the judged intent is none of the kind's services. Every
query goes through ``analyze_query``, as the search does.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import TextIO

from analyzers import analyze_query
from analyzers.crisis import SERVICES


def read_tsv(path: Path) -> list[tuple[str, str, str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, lang, style, query = line.split("\t")[:4]
            rows.append((kind, lang, style, query))
    return rows


def recall(rows: list[tuple[str, str, str, str]]) -> dict[str, list[int]]:
    """group -> [detected, right kind, total] for "all", "kind=…", "lang=…", "style=…"."""
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for kind, lang, style, query in rows:
        found = analyze_query(query).crisis
        for group in ("all", f"kind={kind}", f"lang={lang}", f"style={style}"):
            counts = groups[group]
            counts[0] += found is not None
            counts[1] += found is not None and found.kind == kind
            counts[2] += 1
    return dict(groups)


def false_alarms(queries: list[str]) -> list[str]:
    return [q for q in queries if analyze_query(q).crisis is not None]


def dev_false_alarms(path: Path) -> tuple[list[str], int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    queries = [json.loads(line) for line in lines if line.strip()]
    false = []
    for query in queries:
        found = analyze_query(query["q"]).crisis
        if found and not set(query["intent"].split("+")) & set(SERVICES[found.kind]):
            false.append(query["q"])
    return false, len(queries)


def main(
    phrasings: Path, negatives: Path | None, dev: Path | None, out: TextIO = sys.stdout
) -> None:
    groups = recall(read_tsv(phrasings))
    order = ["all", *sorted(g for g in groups if g != "all")]
    print(f"{'group':<30}{'n':>5}  {'recall':>7}  {'right kind':>10}", file=out)
    for group in order:
        detected, right, total = groups[group]
        print(f"{group:<30}{total:>5}  {detected / total:>7.3f}  {right / total:>10.3f}", file=out)
    if negatives:
        rows = read_tsv(negatives)
        alarms = false_alarms([q for *_, q in rows])
        print(f"false alarms on {negatives.name}: {len(alarms)} of {len(rows)}", file=out)
    if dev:
        false, total = dev_false_alarms(dev)
        print(
            f"false alarms on {dev.name} (intent not a service of the kind): "
            f"{len(false)} of {total} ({100 * len(false) / total:.1f} %)",
            file=out,
        )
