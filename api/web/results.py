"""What the search page shows of an answer: facets, filter chips, the "also searched for"
line, pagination, hits and the service areas to browse.

The answer is the API's own ``SearchResponse``; these view models only translate it into
what the templates print, so the page and ``GET /api/v1/search`` cannot disagree.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from analyzers import taxonomy
from analyzers.glossary import area_label
from api.search_models import SearchParams, SearchResponse
from api.web import i18n
from api.web.clicks import provider_link
from api.web.query_string import LIST_FIELDS, query_url

MAX_PAGE = 100
FACET_ORDER = ("area", "category", "district", "language", "target_group", "cost", "wheelchair")
FACET_VISIBLE = 6  # values shown before "show more"

_MARK = re.compile(r"(</?mark>)")


def safe_marks(text: str) -> SafeString:
    """Text with only ``<mark>`` kept as markup, whether or not the input was HTML-encoded.

    Names and snippets come HTML-encoded with ``<mark>`` tags (``analyzers.highlight``);
    unescaping then escaping each piece also makes raw text safe, so a caller that hands
    in plain text cannot open a hole.
    """
    pieces = []
    for piece in _MARK.split(text):
        if piece in ("<mark>", "</mark>"):
            pieces.append(piece)
        else:
            pieces.append(html.escape(html.unescape(piece), quote=False))
    return mark_safe("".join(pieces))  # every piece is escaped above


@dataclass
class FacetOption:
    id: str
    name: str
    value: str
    label: str
    count: int
    selected: bool
    label_lang: str | None = None


@dataclass
class FacetGroup:
    name: str
    title: str
    visible: list[FacetOption] = field(default_factory=list)
    more: list[FacetOption] = field(default_factory=list)

    @property
    def more_open(self) -> bool:
        return any(option.selected for option in self.more)


def _value_label(facet: str, value: str, label: str, t: dict[str, str]) -> tuple[str, str | None]:
    if facet == "language":
        return i18n.ENDONYMS.get(value, value), value
    if facet == "cost":
        return t.get(f"cost_{value}", value), None
    if facet == "wheelchair":
        return t.get(f"wheelchair_{value}", value), None
    return label, None


def facet_groups(
    response: SearchResponse, params: SearchParams, t: dict[str, str]
) -> list[FacetGroup]:
    selected: dict[str, set[str]] = {name: set(getattr(params, name)) for name in LIST_FIELDS}
    selected["area"] = selected["category"]
    selected["wheelchair"] = {"true"} if params.wheelchair else set()
    groups = []
    for name in FACET_ORDER:
        values = response.facets.get(name, [])
        param = "category" if name == "area" else name
        options: list[FacetOption] = []
        seen = set()
        for item in values:
            if name == "wheelchair" and item.value != "true":
                continue
            label, label_lang = _value_label(name, item.value, item.label, t)
            seen.add(item.value)
            options.append(
                FacetOption(
                    id=f"f-{name}-{re.sub(r'[^a-z0-9]+', '-', item.value.lower())}",
                    name=param,
                    value=item.value,
                    label=label,
                    count=item.count,
                    selected=item.value in selected[name],
                    label_lang=label_lang,
                )
            )
        own = {c for c in selected[name] if (name == "area") == (taxonomy.parent(c) is None)}
        for value in sorted(own - seen) if name not in ("wheelchair",) else []:
            label = taxonomy.label(value, params.lang) if name in ("area", "category") else value
            label, label_lang = _value_label(name, value, label, t)
            options.insert(
                0,
                FacetOption(
                    id=f"f-{name}-{re.sub(r'[^a-z0-9]+', '-', value.lower())}",
                    name=param,
                    value=value,
                    label=label,
                    count=0,
                    selected=True,
                    label_lang=label_lang,
                ),
            )
        if not options:
            continue
        options.sort(key=lambda o: not o.selected)
        groups.append(
            FacetGroup(
                name=name,
                title=t[f"facet_{name}"],
                visible=options[:FACET_VISIBLE],
                more=options[FACET_VISIBLE:],
            )
        )
    return groups


def active_filters(
    params: SearchParams, data: dict[str, Any], t: dict[str, str]
) -> list[dict[str, str]]:
    chips = []
    for name in LIST_FIELDS:
        for value in getattr(params, name):
            if name == "category":
                label = taxonomy.label(value, params.lang)
            else:
                label = _value_label(name, value, value, t)[0]
            rest = [v for v in getattr(params, name) if v != value]
            chips.append({"label": label, "url": query_url(data, **{name: rest or None})})
    if params.wheelchair:
        chips.append({"label": t["wheelchair"], "url": query_url(data, wheelchair=None)})
    if params.open_now:
        chips.append({"label": t["open_now"], "url": query_url(data, open_now=None)})
    for chip in chips:
        chip["aria"] = t["remove_filter"] % {"label": chip["label"]}
    return chips


def interpretation(
    response: SearchResponse, params: SearchParams, t: dict[str, str]
) -> dict[str, Any]:
    """The short "also searched for" line: concept labels and synonym/translation terms."""
    query = response.query
    if query is None:
        return {"also": [], "implied": []}
    typed = {w.lower() for w in params.q.split()}
    also: list[str] = []
    for concept in query.concepts:
        label = str(concept.get("label") or "")
        if label and label.lower() not in typed and label not in also:
            also.append(label)
    for expansion in query.expansions:
        if expansion.get("kind") not in ("synonym", "translation", "compound"):
            continue
        text = " ".join(str(term) for term in expansion.get("terms") or [])
        if text and text.lower() not in typed and text not in also:
            also.append(text)
    implied = []
    for item in query.implied_filters:
        label = _value_label(item.field, item.value, item.value, t)[0]
        implied.append(f"{t.get('facet_' + item.field, item.field)}: {label}")
    return {"also": also[:5], "implied": implied}


def pagination(response: SearchResponse, data: dict[str, Any]) -> dict[str, Any] | None:
    pages = min(MAX_PAGE, math.ceil(response.total / max(response.size, 1)))
    if pages <= 1:
        return None
    current = response.page
    window = sorted({1, pages, *range(max(1, current - 2), min(pages, current + 2) + 1)})
    items: list[dict[str, Any]] = []
    previous = 0
    for number in window:
        if number - previous > 1:
            items.append({"gap": True})
        items.append(
            {"number": number, "url": query_url(data, page=number), "current": number == current}
        )
        previous = number
    return {
        "items": items,
        "previous": query_url(data, page=current - 1) if current > 1 else None,
        "next": query_url(data, page=current + 1) if current < pages else None,
    }


def hit_views(
    response: SearchResponse,
    t: dict[str, str],
    lang: str,
    first_rank: int = 1,
    askable: frozenset[str] | set[str] = frozenset(),
) -> list[dict[str, Any]]:
    """The hits as the page shows them; those in ``askable`` (providers of the directory's
    database) with a link straight to their "Ask this service" form."""
    views = []
    for offset, hit in enumerate(response.hits):
        url = provider_link(hit, response, first_rank + offset)
        views.append(
            {
                "id": hit.id,
                "url": url,
                "ask_url": f"{url}#sec-inquiry" if hit.id in askable else None,
                "name": safe_marks(hit.name_highlighted),
                "organization": hit.organization if hit.organization != hit.name else "",
                "snippet": safe_marks(hit.snippet),
                "district": hit.district,
                "categories": [c.label for c in hit.categories[:2]],
                "languages": [(code, i18n.ENDONYMS.get(code, code)) for code in hit.languages],
                "open_now": hit.open_now,
                "distance": t["distance"] % {"km": i18n.decimal(lang, hit.distance_km)}
                if hit.distance_km is not None
                else None,
                "wheelchair": hit.wheelchair,
                "cost": t.get(f"cost_{hit.cost}") if hit.cost else None,
            }
        )
    return views


def area_links(lang: str, response: SearchResponse) -> list[dict[str, str | None]]:
    """The service areas to browse, labelled in the interface language and, when the query
    was in another language with a glossary, in that language too (``glossary.area_label``).
    """
    query_lang = response.query.language if response.query else lang
    links: list[dict[str, str | None]] = []
    for code in taxonomy.areas():
        label = taxonomy.label(code, lang)
        native = area_label(code, query_lang) if query_lang not in (lang, "de") else None
        links.append(
            {
                "label": label,
                "native": native if native and native != label else None,
                "lang": query_lang,
                "url": query_url({"category": [code]}),
            }
        )
    return links
