"""``sozialatlas bench relevance``: judged queries through the real search path.

Every query runs exactly as ``GET /api/v1/search?q=…`` does (page 1, size 10, no
filters), and, in the same run on the same index, through a plain baseline: one
``multi_match`` over the raw name, organisation and description with the standard
analyser and ``fuzziness: AUTO``.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from directory.snapshot import index_file
from indexer.settings import IndexerSettings
from sozialatlas.bench.metrics import Summary

BASELINE_FIELDS = ["name", "organization", "description"]


def load_queries(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def build_bench_index(conf: IndexerSettings, file: Path, out: TextIO) -> IndexerSettings:
    """Index ``file`` into its own alias (``<prefix>-bench``)."""
    bench = replace(conf, index_prefix=f"{conf.index_prefix}-bench", timeout=30.0)
    started = time.monotonic()
    documents, rejected = index_file(bench, file)
    print(
        f"indexed {documents} records ({rejected} rejected) from {file} into "
        f"{bench.alias} in {time.monotonic() - started:.1f} s",
        file=out,
    )
    return bench


def baseline_ids(es: Any, conf: IndexerSettings, text: str) -> list[str]:
    body = {
        "query": {"multi_match": {"query": text, "fields": BASELINE_FIELDS, "fuzziness": "AUTO"}},
        "size": 10,
        "_source": False,
    }
    return [hit["_id"] for hit in es.search(index=conf.alias, **body).body["hits"]["hits"]]


def run_queries(
    conf: IndexerSettings, queries: list[dict[str, Any]]
) -> Iterator[tuple[dict[str, Any], list[str], list[str]]]:
    from api.search_models import MAX_QUERY, SearchParams
    from api.searcher import Searcher
    from indexer.client import get_client

    patient = replace(conf, timeout=30.0)
    es = get_client(patient)
    search = Searcher(es, patient)  # the service the endpoint uses, without reused answers
    for query in queries:
        _, _, result = search.run(SearchParams(q=query["q"][:MAX_QUERY], size=10))
        yield query, [hit.id for hit in result.hits], baseline_ids(es, conf, query["q"])


def evaluate(
    conf: IndexerSettings, queries: list[dict[str, Any]], run_out: Path | None = None
) -> dict[str, dict[str, dict[str, float]]]:
    """Figures by group ("all", "kind=…", "lang=…") for "ours" and "baseline"."""
    groups: dict[str, dict[str, Summary]] = defaultdict(
        lambda: {"ours": Summary(), "baseline": Summary()}
    )
    handle = run_out.open("w", encoding="utf-8") if run_out else None
    try:
        for query, ours, base in run_queries(conf, queries):
            judged = {doc: int(grade) for doc, grade in query["relevant"].items()}
            for group in ("all", f"kind={query['kind']}", f"lang={query['lang']}"):
                groups[group]["ours"].add(ours, judged)
                groups[group]["baseline"].add(base, judged)
            if handle:
                handle.write(json.dumps({"id": query["id"], "hits": ours}) + "\n")
    finally:
        if handle:
            handle.close()
    return {group: {name: s.means() for name, s in pair.items()} for group, pair in groups.items()}


def format_table(figures: dict[str, dict[str, dict[str, float]]]) -> str:
    order = [
        "all",
        *sorted(g for g in figures if g.startswith("kind=")),
        *sorted(g for g in figures if g.startswith("lang=")),
    ]
    lines = [
        f"{'group':<20}{'n':>5}  {'nDCG@10':>16}  {'success@3':>16}  {'zero':>14}",
        f"{'':<20}{'':>5}  {'ours  baseline':>16}  {'ours  baseline':>16}  {'ours baseline':>14}",
    ]
    for group in order:
        ours, base = figures[group]["ours"], figures[group]["baseline"]
        lines.append(
            f"{group:<20}{int(ours['queries']):>5}  {ours['ndcg@10']:>6.3f} {base['ndcg@10']:>9.3f}"
            f"  {ours['success@3']:>6.3f} {base['success@3']:>9.3f}"
            f"  {ours['zero']:>5.3f} {base['zero']:>8.3f}"
        )
    return "\n".join(lines)


def main(
    conf: IndexerSettings,
    queries_file: Path,
    import_file: Path | None,
    run_out: Path | None,
    record: Path | None,
    out: TextIO = sys.stdout,
) -> dict[str, Any]:
    if import_file:
        conf = build_bench_index(conf, import_file, out)
    queries = load_queries(queries_file)
    started = time.monotonic()
    figures = evaluate(conf, queries, run_out)
    elapsed = time.monotonic() - started
    print(format_table(figures), file=out)
    print(
        f"{len(queries)} queries in {elapsed:.1f} s "
        f"({1000 * elapsed / max(len(queries), 1):.1f} ms per query incl. baseline)",
        file=out,
    )
    if record:
        summary = {
            "queries_file": queries_file.name,
            **figures["all"]["ours"],
            "by_kind": {
                g[5:]: f["ours"]["ndcg@10"] for g, f in figures.items() if g.startswith("kind=")
            },
        }
        record.write_text(json.dumps(summary, indent=2) + "\n")
        print(f"recorded in {record}", file=out)
    return figures
