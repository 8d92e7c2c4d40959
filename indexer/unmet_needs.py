"""Unmet needs: zero- and low-result queries clustered into needs (forms of one question in
several spellings and languages), with their counts, languages and examples."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from elasticsearch import Elasticsearch

from analyzers import fold
from indexer.report_queries import MAX_FORMS, ReportRange, _common, _label, _search, build_unmet
from indexer.searchlog import SearchLogSettings
from indexer.searchlog_intents import _distance


@dataclass
class Form:
    """One normalised query among the unmet ones, with its counts and analysis."""

    normalized: str
    searches: int
    zero: int = 0
    sessions: int = 0
    languages: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    first_seen: str | None = None
    last_seen: str | None = None
    concept: str | None = None
    lemmas: tuple[str, ...] = ()
    implied: tuple[str, ...] = ()
    implied_unmet: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def need_aliases() -> dict[str, str]:
    """alias -> head term, from ``indexer/data/need_aliases.txt``."""
    text = resources.files("indexer").joinpath("data/need_aliases.txt").read_text("utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        head, aliases = line.split(":", 1)
        head = fold(head.strip().lower())
        table[head] = head
        for alias in aliases.split(","):
            if alias.strip():
                table[fold(alias.strip().lower())] = head
    return table


def canonical_terms(form: Form) -> tuple[str, ...]:
    """Lemmas mapped through the need aliases (multi-word aliases matched first)."""
    aliases = need_aliases()
    text = " ".join(form.lemmas) or form.normalized
    for alias in sorted((a for a in aliases if " " in a), key=len, reverse=True):
        if alias in text:
            text = text.replace(alias, aliases[alias])
    return tuple(sorted({aliases.get(word, word) for word in text.split()}))


def _need_facets(form: Form) -> tuple[str, ...]:
    """The parts of a need beyond its topic that make it distinct (a language)."""
    return tuple(sorted(i for i in form.implied if i.startswith("language:")))


def _similar(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if not a or len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        if x == y:
            continue
        limit = 2 if min(len(x), len(y)) >= 8 else 1 if min(len(x), len(y)) >= 5 else 0
        if limit == 0 or _distance(x, y, limit) > limit:
            return False
    return True


def cluster_forms(forms: list[Form]) -> list[dict[str, Any]]:
    """Group forms by concept (+ language asked for), else by aliased, fuzzy-equal lemmas."""
    parent = list(range(len(forms)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        parent[find(i)] = find(j)

    by_key: dict[tuple[Any, ...], int] = {}
    terms = [canonical_terms(f) for f in forms]
    for i, form in enumerate(forms):
        key = (("c", form.concept) if form.concept else ("l", terms[i])) + _need_facets(form)
        if key in by_key:
            union(i, by_key[key])
        else:
            by_key[key] = i
    keyed = sorted(by_key.items(), key=lambda kv: kv[0][0] != "c")
    for a in range(len(keyed)):
        (key_a, i) = keyed[a]
        if key_a[0] != "l":
            continue
        for b in range(len(keyed)):
            j = keyed[b][1]
            if a == b or find(i) == find(j) or _need_facets(forms[i]) != _need_facets(forms[j]):
                continue
            if _similar(terms[i], terms[j]):
                union(i, j)
    groups: dict[int, list[int]] = {}
    for i in range(len(forms)):
        groups.setdefault(find(i), []).append(i)
    clusters = [
        _cluster([forms[i] for i in members], [terms[i] for i in members])
        for members in groups.values()
    ]
    clusters.sort(key=lambda c: (-c["searches"], c["need"]))
    return clusters


def _cluster(members: list[Form], terms: list[tuple[str, ...]]) -> dict[str, Any]:
    languages: Counter[str] = Counter()
    unmet: Counter[str] = Counter()
    examples: Counter[str] = Counter()
    for form in members:
        languages.update(form.languages)
        unmet.update(dict.fromkeys(form.implied_unmet, form.searches))
        for example in form.examples:
            examples[example] += form.searches
    concepts = Counter({f.concept: f.searches for f in members if f.concept})
    concept = concepts.most_common(1)[0][0] if concepts else None
    facets = _need_facets(members[0])
    if concept:
        need = _label(concept)
    else:
        counts: Counter[tuple[str, ...]] = Counter()
        for form, t in zip(members, terms, strict=True):
            counts[t] += form.searches
        need = " ".join(counts.most_common(1)[0][0])
    if facets:
        need += " (" + ", ".join(facets) + ")"
    firsts = [f.first_seen for f in members if f.first_seen]
    lasts = [f.last_seen for f in members if f.last_seen]
    return {
        "need": need,
        "concept": concept,
        "searches": sum(f.searches for f in members),
        "sessions": sum(f.sessions for f in members),
        "zero_results": sum(f.zero for f in members),
        "languages": dict(languages.most_common()),
        "examples": [e for e, _ in examples.most_common(5)],
        "forms": sorted(f.normalized for f in members),
        "unmet_filters": dict(unmet.most_common()),
        "first_seen": min(firsts) if firsts else None,
        "last_seen": max(lasts) if lasts else None,
    }


def _unmet(es: Elasticsearch, conf: SearchLogSettings, rng: ReportRange) -> list[dict[str, Any]]:
    forms: list[Form] = []
    after: dict[str, Any] | None = None
    while len(forms) < MAX_FORMS:
        body = _search(es, conf, build_unmet(rng, conf.low_results, after))
        agg = (body.get("aggregations") or {}).get("f") or {}
        for b in agg.get("buckets", []):
            hits = b["sample"]["hits"]["hits"]
            src = hits[0]["_source"] if hits else {}
            common = _common({**b, "key": b["key"]["normalized"]})
            forms.append(
                Form(
                    normalized=common["query"],
                    searches=common["searches"],
                    zero=common["zero_results"],
                    sessions=int(b["sessions"]["value"]),
                    languages=common["languages"],
                    examples=common["examples"],
                    first_seen=common["first_seen"],
                    last_seen=common["last_seen"],
                    concept=src.get("concept"),
                    lemmas=tuple(src.get("lemmas") or ()),
                    implied=tuple(src.get("implied") or ()),
                    implied_unmet=tuple(src.get("implied_unmet") or ()),
                )
            )
        after = agg.get("after_key")
        if not after or not agg.get("buckets"):
            break
    return cluster_forms(forms)[: rng.limit]
