"""Build the held-out relevance set from ``holdout-source.tsv`` and a records file.

Usage::

    python benchmarks/judge.py SOURCE.tsv PROVIDERS.jsonl OUT.jsonl

Writes ``OUT.jsonl`` (all queries) plus ``OUT-A.jsonl`` (odd ids, for tuning)
and ``OUT-B.jsonl`` (even ids, for the final honest measurement only).

Source lines (tab-separated, ``#`` comments): ``code  kind  lang  query  [filters]``
where ``code`` may join several taxonomy codes with ``+`` and ``filters`` is
``field=value`` joined by ``;`` (district=Kaßberg, language=ru, cost=kostenlos,
wheelchair=true).  Query order is shuffled with a fixed seed before ids are
assigned, so the A/B halves are not chosen by hand.

Grades (pure function of the records):
  2  the record carries an intent code and every implied filter holds
  1  the record shares the intent's area (code prefix before "/"), or it is
     a grade-2 candidate failing only the implied filter
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

SEED = 20240611


def parse_filters(text: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        field, _, value = part.partition("=")
        out[field.strip()] = True if value.strip() == "true" else value.strip()
    return out


def filter_holds(record: dict[str, Any], filters: dict[str, Any]) -> bool:
    for field, value in filters.items():
        if field == "district":
            if (record.get("address") or {}).get("district") != value:
                return False
        elif field == "language":
            if value not in (record.get("languages") or []):
                return False
        elif field == "cost":
            if record.get("cost") != value:
                return False
        elif field == "wheelchair":
            if bool((record.get("accessibility") or {}).get("wheelchair")) != bool(value):
                return False
        else:
            raise ValueError(f"unknown filter field {field!r}")
    return True


def judge(
    codes: list[str], filters: dict[str, Any], records: list[dict[str, Any]]
) -> dict[str, int]:
    areas = {c.split("/")[0] for c in codes}
    out: dict[str, int] = {}
    for record in records:
        cats = record.get("categories") or []
        if any(c in cats for c in codes):
            out[record["id"]] = 2 if filter_holds(record, filters) else 1
        elif any(c.split("/")[0] in areas for c in cats):
            out[record["id"]] = 1
    return dict(sorted(out.items()))


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    source, providers, out_path = Path(argv[1]), Path(argv[2]), Path(argv[3])
    records = [
        json.loads(x) for x in providers.read_text(encoding="utf-8").splitlines() if x.strip()
    ]
    rows: list[list[str]] = []
    for raw in source.read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            rows.append(raw.split("\t"))
    random.Random(SEED).shuffle(rows)
    queries: list[dict[str, Any]] = []
    for number, row in enumerate(rows, start=1):
        code, kind, lang, text = row[:4]
        filters = parse_filters(row[4]) if len(row) > 4 else {}
        relevant = judge(code.split("+"), filters, records)
        if 2 not in relevant.values():
            raise SystemExit(f"no grade-2 record for {text!r} ({code}, {filters})")
        query: dict[str, Any] = {
            "id": f"h{number:04d}",
            "q": text,
            "lang": lang,
            "kind": kind,
            "intent": code,
        }
        if filters:
            query["filters_implied"] = filters
        query["relevant"] = relevant
        queries.append(query)
    halves = {"": queries, "-A": queries[0::2], "-B": queries[1::2]}  # h0001 odd -> A
    for suffix, items in halves.items():
        path = out_path.with_name(out_path.stem + suffix + out_path.suffix)
        with path.open("w", encoding="utf-8") as handle:
            for query in items:
                handle.write(json.dumps(query, ensure_ascii=False) + "\n")
        print(f"{path}: {len(items)} queries")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
