"""The public pages: search (server-rendered, enhanced by JS), provider detail, widget demo,
and the analysts' dashboard shell.

The search page calls the same ``run`` and ``shape`` as ``GET /api/v1/search`` in-process,
so a browser without JavaScript gets exactly the API's results. With ``?partial=1`` only
the results region (facets, hits, pagination) is rendered, for the script to swap in.
"""

from __future__ import annotations

import html
import math
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from pydantic import ValidationError

from analyzers import taxonomy
from analyzers.glossary import area_label
from api.context import es, indexer_settings, searcher
from api.ratelimit import throttle_page
from api.search_models import SearchParams, SearchResponse
from api.searchlog import record_event, record_search, valid_click, writer
from api.web import i18n
from directory.models import Provider
from indexer.errors import IndexMissing, SearchUnavailable
from indexer.hours import DAYS
from indexer.search import get_document

PAGE_SIZE = 10
MAX_PAGE = 100
LIST_FIELDS = ("category", "district", "language", "target_group", "cost")
SCALAR_FIELDS = ("q", "wheelchair", "open_now", "near", "radius_km", "page", "sort")
FACET_ORDER = ("area", "category", "district", "language", "target_group", "cost", "wheelchair")
FACET_VISIBLE = 6  # values shown before "show more"
FEW_RESULTS = 2  # at or below, the page also offers the service areas and the helpline


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'self'; frame-ancestors 'none'"
)
_MARK = re.compile(r"(</?mark>)")


def helpline() -> dict[str, str]:
    """The city's social counselling line for the empty state (SOZIALATLAS_HELPLINE_*)."""
    config = settings.CONFIG
    phone = config.helpline_phone
    return {
        "name": config.helpline_name,
        "phone": "".join(c for c in phone if c.isdigit() or c == "+"),
        "phone_display": phone,
        "hours": config.helpline_hours,
    }


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


# --- request parameters ----------------------------------------------------------------


def _raw_params(request: HttpRequest) -> dict[str, Any]:
    """The search parameters in the query string, as ``SearchParams`` accepts them."""
    data: dict[str, Any] = {}
    for name in LIST_FIELDS:
        values = [v for v in request.GET.getlist(name) if v]
        if values:
            data[name] = list(dict.fromkeys(values))
    for name in SCALAR_FIELDS:
        value = request.GET.get(name, "")
        if value != "":
            data[name] = value
    if "open_now" in data:
        data["open_now"] = data["open_now"] in ("1", "true", "on")
    return data


def parse_params(request: HttpRequest, lang: str) -> tuple[SearchParams, dict[str, Any]]:
    """Validated parameters; a field that does not validate is dropped, not an error page."""
    data = _raw_params(request)
    for _ in range(len(data) + 1):
        try:
            params = SearchParams.model_validate({**data, "size": PAGE_SIZE, "lang": lang})
        except ValidationError as exc:
            bad = {str(error["loc"][0]) for error in exc.errors() if error.get("loc")}
            if not bad & set(data):
                break
            for name in bad:
                data.pop(name, None)
            continue
        if params.sort == "distance" and not params.near:
            params = params.model_copy(update={"sort": "relevance"})
            data.pop("sort", None)
        return params, data
    return SearchParams.model_validate({"size": PAGE_SIZE, "lang": lang}), {}


def query_url(data: dict[str, Any], **changes: Any) -> str:
    """``?...`` for ``data`` with ``changes`` (``None`` removes a key); page resets to 1."""
    merged = {**data, **changes}
    if "page" not in changes:
        merged.pop("page", None)
    pairs: list[tuple[str, str]] = []
    for key, value in merged.items():
        if value is None or value == "" or value == [] or value is False:
            continue
        if isinstance(value, list):
            pairs.extend((key, str(v)) for v in value)
        else:
            pairs.append((key, "1" if value is True else str(value)))
    return "?" + urlencode(pairs) if pairs else "?"


# --- view models ----------------------------------------------------------------------


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
        chip["aria"] = t["remove_filter"].format(label=chip["label"])
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


def _provider_link(hit: Any, response: SearchResponse, rank: int) -> str:
    """The provider page; with the answer's query id and the hit's click token, so that
    following the link counts as a click (no JavaScript needed)."""
    url = reverse("web:provider", args=[hit.id])
    if not (response.query_id and hit.click_token):
        return url
    params = {"qid": response.query_id, "t": hit.click_token, "r": rank}
    return url + "?" + urlencode({**params, "session": response.session or ""})


def hit_views(
    response: SearchResponse, t: dict[str, str], first_rank: int = 1
) -> list[dict[str, Any]]:
    views = []
    for offset, hit in enumerate(response.hits):
        views.append(
            {
                "id": hit.id,
                "url": _provider_link(hit, response, first_rank + offset),
                "name": safe_marks(hit.name_highlighted),
                "organization": hit.organization if hit.organization != hit.name else "",
                "snippet": safe_marks(hit.snippet),
                "district": hit.district,
                "categories": [c.label for c in hit.categories[:2]],
                "languages": [(code, i18n.ENDONYMS.get(code, code)) for code in hit.languages],
                "open_now": hit.open_now,
                "distance": t["distance"].format(km=f"{hit.distance_km:.1f}")
                if hit.distance_km is not None
                else None,
                "wheelchair": hit.wheelchair,
                "cost": t.get(f"cost_{hit.cost}") if hit.cost else None,
            }
        )
    return views


# --- pages ----------------------------------------------------------------------------


def _base_context(request: HttpRequest, lang: str) -> dict[str, Any]:
    t = i18n.strings(lang)
    rest = {k: v for k, v in request.GET.lists() if k not in ("lang", "partial")}
    switch = []
    for code in i18n.LANGUAGES:
        pairs = [(k, v) for k, values in rest.items() for v in values] + [("lang", code)]
        switch.append(
            {
                "code": code,
                "name": i18n.ENDONYMS[code],
                "url": "?" + urlencode(pairs),
                "current": code == lang,
                "dir": i18n.direction(code),
            }
        )
    return {"t": t, "lang": lang, "dir": i18n.direction(lang), "languages": switch}


def _finish(
    request: HttpRequest, response: HttpResponse, lang: str, explicit: bool
) -> HttpResponse:
    if explicit:
        response.set_cookie(i18n.COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax")
    response["Content-Language"] = lang
    response["Vary"] = "Cookie, Accept-Language"
    response.setdefault("Content-Security-Policy", CSP)
    return response


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


def _record_click(request: HttpRequest, provider_id: str) -> None:
    """A provider page opened from a result link (``qid``, ``t``, ``r``) is that result's
    click; links that were never part of an answer count for nothing."""
    query_id, token = request.GET.get("qid", ""), request.GET.get("t", "")
    if not (query_id and token and valid_click(query_id, provider_id, token)):
        return
    try:
        rank = max(1, min(1000, int(request.GET.get("r", "1"))))
    except ValueError:
        rank = 1
    if writer().enabled:
        record_event(request, "click", query_id, provider_id=provider_id, rank=rank)


@throttle_page
def search_page(request: HttpRequest) -> HttpResponse:
    lang, explicit = i18n.choose(request)
    context = _base_context(request, lang)
    t = context["t"]
    params, data = parse_params(request, lang)
    status = 200
    started = time.perf_counter()
    try:  # the API's path: run, shape, and record in the search log (channel "public")
        response: SearchResponse | None = record_search(request, params, searcher().answer)
    except (SearchUnavailable, IndexMissing):
        response = None
        status = 503
    context.update(
        {
            "params": params,
            "data": data,
            "response": response,
            "unavailable": response is None,
            "clear_url": query_url({"q": params.q} if params.q else {}),
        }
    )
    if response is not None:
        count = t["results_count_one"] if response.total == 1 else t["results_count"]
        context.update(
            {
                "hits": hit_views(response, t, (params.page - 1) * params.size + 1),
                "facets": facet_groups(response, params, t),
                "chips": active_filters(params, data, t),
                "interpretation": interpretation(response, params, t),
                "pagination": pagination(response, data),
                "count_text": count.format(n=response.total),
                "did_you_mean_url": query_url({**data, "q": response.did_you_mean})
                if response.did_you_mean
                else None,
                "areas": area_links(lang, response),
                "helpline": helpline(),
                "helpline_text": t["helpline"].format(name=helpline()["name"]),
                "few_results": 0 < response.total <= FEW_RESULTS,
                "sorts": [("relevance", t["sort_relevance"]), ("name", t["sort_name"])]
                + ([("distance", t["sort_distance"])] if params.near else []),
            }
        )
    partial = request.GET.get("partial") == "1"
    template = "web/_results.html" if partial else "web/search.html"
    page = render(request, template, context, status=status)
    elapsed = (time.perf_counter() - started) * 1000
    page["Server-Timing"] = f"app;dur={elapsed:.1f}" + (
        f", es;dur={response.took_ms}" if response is not None else ""
    )
    if partial:
        page["Cache-Control"] = "no-store"
    return _finish(request, page, lang, explicit)


def _hours(slots: list[dict[str, Any]], t: dict[str, str]) -> list[dict[str, str]]:
    names = t["days"].split(",")
    rows = []
    for slot in slots:
        try:
            indexes = sorted(DAYS.index(day) for day in slot.get("days", []))
        except ValueError:
            continue
        runs: list[list[int]] = []
        for index in indexes:
            if runs and index == runs[-1][-1] + 1:
                runs[-1].append(index)
            else:
                runs.append([index])
        days = ", ".join(
            names[r[0]] if len(r) == 1 else f"{names[r[0]]}–{names[r[-1]]}" for r in runs
        )
        rows.append({"days": days, "time": f"{slot.get('opens', '')}–{slot.get('closes', '')}"})
    return rows


def _provider_record(provider_id: str) -> dict[str, Any] | None:
    """The provider from the database, else from the index (the sample data lives only there)."""
    row = Provider.objects.filter(id=provider_id).first()
    if row is not None:
        record = row.to_record()
        address = record.pop("address")
        location = record.pop("location") or {}
        record.update(address)
        record.update(
            {"lat": location.get("lat"), "lon": location.get("lon"), "wheelchair": row.wheelchair}
        )
        return record
    source = get_document(es(), indexer_settings(), provider_id)
    if source is None:
        return None
    location = source.get("location") or {}
    return {**source, "lat": location.get("lat"), "lon": location.get("lon")}


@throttle_page
def provider_page(request: HttpRequest, provider_id: str) -> HttpResponse:
    lang, explicit = i18n.choose(request)
    context = _base_context(request, lang)
    t = context["t"]
    try:
        record = _provider_record(provider_id[:32])
    except SearchUnavailable:
        context["unavailable"] = True
        return _finish(
            request, render(request, "web/provider.html", context, status=503), lang, explicit
        )
    if record is None:
        return _finish(
            request, render(request, "web/provider.html", context, status=404), lang, explicit
        )
    if "qid" in request.GET:
        # Count the click once, then show the page under its own address (a reload or a
        # language switch is no second click, and the tokens stay out of shared links).
        _record_click(request, str(record["id"]))
        rest = {k: v for k, v in request.GET.items() if k == "lang"}
        target = reverse("web:provider", args=[record["id"]])
        return redirect(target + ("?" + urlencode(rest) if rest else ""))
    lat, lon = record.get("lat"), record.get("lon")
    town = " ".join(p for p in (record.get("postal_code"), record.get("city")) if p)
    address_line = ", ".join(part for part in (record.get("street"), town) if part)
    if lat is not None and lon is not None:
        osm = f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"
    elif address_line:
        osm = "https://www.openstreetmap.org/search?" + urlencode({"query": address_line})
    else:
        osm = None
    context.update(
        {
            "p": record,
            "categories": [taxonomy.label(c, lang) for c in record.get("categories") or []],
            "offered": [(c, i18n.ENDONYMS.get(c, c)) for c in record.get("languages") or []],
            "hours": _hours(record.get("opening_hours") or [], t),
            "osm_url": osm,
            "cost": t.get(f"cost_{record.get('cost')}") if record.get("cost") else None,
            "back_url": request.headers.get("Referer", "") if _same_site_referer(request) else "/",
        }
    )
    return _finish(request, render(request, "web/provider.html", context), lang, explicit)


def _same_site_referer(request: HttpRequest) -> bool:
    referer = request.headers.get("Referer", "")
    return referer.startswith(f"{request.scheme}://{request.get_host()}/")


def widget_demo(request: HttpRequest) -> HttpResponse:
    lang, explicit = i18n.choose(request)
    context = _base_context(request, lang)
    # A partner key is public by design (it sits in the partner's page); without one the
    # widget is an anonymous caller of the suggest endpoint.
    context["partner_key"] = request.GET.get("key", "")[:100]
    return _finish(request, render(request, "web/widget_demo.html", context), lang, explicit)


# Reports of the analytics API (``/api/v1/analytics/reports/<name>``, staff session). The
# page shows "no data" for any that is missing, fails or answers in an unexpected shape.
ANALYTICS_PANELS: tuple[tuple[str, str, str], ...] = (
    ("trends", "line", "/api/v1/analytics/reports/trends"),
    ("top_queries", "bar", "/api/v1/analytics/reports/top-queries?limit=10"),
    ("zero_results", "bar", "/api/v1/analytics/reports/zero-results?limit=10"),
    ("demand_categories", "bar", "/api/v1/analytics/reports/demand-categories?limit=10"),
    ("demand_districts", "bar", "/api/v1/analytics/reports/demand-districts?limit=10"),
)
PANEL_TITLES: dict[str, dict[str, str]] = {
    "de": {
        "trends": "Suchen pro Woche",
        "top_queries": "Häufigste Suchbegriffe",
        "zero_results": "Suchen ohne Ergebnis",
        "demand_categories": "Gefragte Bereiche",
        "demand_districts": "Gefragte Stadtteile",
    },
    "en": {
        "trends": "Searches per week",
        "top_queries": "Top queries",
        "zero_results": "Searches without results",
        "demand_categories": "Areas in demand",
        "demand_districts": "Districts in demand",
    },
}


@staff_member_required
def analytics_dashboard(request: HttpRequest) -> HttpResponse:
    lang, explicit = i18n.choose(request)
    context = _base_context(request, lang)
    titles = PANEL_TITLES.get(lang, PANEL_TITLES["en"])
    context["panels"] = [
        {"key": key, "kind": kind, "url": url, "title": titles[key]}
        for key, kind, url in ANALYTICS_PANELS
    ]
    return _finish(request, render(request, "web/dashboard.html", context), lang, explicit)
