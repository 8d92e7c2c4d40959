"""The provider page: one entry of the directory, with address, map link and hours.

It reads the database first and falls back to the index, because the sample data lives
only there; opened from a result link, it counts the click first (``api.web.clicks``).
An entry of the directory's database carries the "Ask this service" form
(``api.web.inquiry_form``) and the "Something wrong with this entry?" form
(``api.web.entry_report_form``); one only in the index does not, as an inquiry or a report
can only concern an entry the directory holds. The page says when the entry was last
confirmed (month and year in the page's language) and, once that is longer ago than
``SOZIALATLAS_FRESHNESS_STALE_MONTHS``, that its details may have changed.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from analyzers import taxonomy
from api.context import es, indexer_settings
from api.ratelimit import throttle_page
from api.web import i18n
from api.web.clicks import count_click
from api.web.entry_report_form import SENT, report_form
from api.web.frame import begin_page, finish_page
from api.web.inquiry_form import blank_form
from api.web.jsonld import provider_graph, script_text
from directory.freshness import is_stale
from directory.models import ServiceAtLocation
from indexer.errors import SearchUnavailable
from indexer.hours import DAYS
from indexer.search import get_document


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


def _provider_record(provider_id: str) -> tuple[dict[str, Any] | None, bool]:
    """The provider from the database, else from the index (the sample data lives only
    there), and whether it came from the database (only then can it be asked)."""
    found = ServiceAtLocation.load_records([provider_id])
    if found:
        record = found[0]
        address = record.pop("address")
        location = record.pop("location") or {}
        record.update(address)
        wheelchair = record["accessibility"]["wheelchair"]
        record.update({"lat": location.get("lat"), "lon": location.get("lon"),
                       "wheelchair": wheelchair})  # fmt: skip
        return record, True
    source = get_document(es(), indexer_settings(), provider_id)
    if source is None:
        return None, False
    location = source.get("location") or {}
    return {**source, "lat": location.get("lat"), "lon": location.get("lon")}, False


@throttle_page
def provider_page(request: HttpRequest, provider_id: str) -> HttpResponse:
    return render_provider(request, provider_id, count=True)


def render_provider(
    request: HttpRequest,
    provider_id: str,
    form: dict[str, Any] | None = None,
    status: int = 200,
    explicit: bool | None = None,
    count: bool = False,
    report: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page; ``form`` and ``report`` are the inquiry and report forms as sent back with
    their errors (else blank ones)."""
    lang, chosen = i18n.choose(request)
    explicit = chosen if explicit is None else explicit
    context = begin_page(request, lang)
    t = context["t"]
    try:
        record, askable = _provider_record(provider_id[:32])
    except SearchUnavailable:
        context["unavailable"] = True
        return finish_page(
            request, render(request, "web/provider.html", context, status=503), lang, explicit
        )
    if record is None:
        return finish_page(
            request, render(request, "web/provider.html", context, status=404), lang, explicit
        )
    if count and "qid" in request.GET:
        return count_click(request, str(record["id"]))
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
            "jsonld": script_text(provider_graph(record, _page_url(request, str(record["id"])))),
            "inquiry": (form or blank_form(lang)) if askable else None,
            "report": (report or report_form(t, sent=SENT in request.GET)) if askable else None,
            **_freshness(record.get("updated_at"), lang, t),
        }
    )
    response = render(request, "web/provider.html", context, status=status)
    return finish_page(request, response, lang, explicit)


def _freshness(updated_at: Any, lang: str, t: dict[str, str]) -> dict[str, Any]:
    """ "Last confirmed" as month and year in ``lang``, and whether to hint at old details."""
    try:
        confirmed = date.fromisoformat(str(updated_at)[:10]) if updated_at else None
    except ValueError:
        confirmed = None
    stale = is_stale(confirmed, timezone.localdate(), settings.FRESHNESS_STALE_MONTHS)
    return {
        "confirmed": i18n.month_year(confirmed, lang) if confirmed else t["fresh_unknown"],
        "confirmed_iso": confirmed.isoformat() if confirmed else "",
        "stale": stale,
    }


def _same_site_referer(request: HttpRequest) -> bool:
    referer = request.headers.get("Referer", "")
    return referer.startswith(f"{request.scheme}://{request.get_host()}/")


def _page_url(request: HttpRequest, provider_id: str) -> str:
    """The page's absolute URL without its query (no ``?lang=``, no click id): the entry's
    one address for search engines, as the sitemap lists it."""
    return request.build_absolute_uri(reverse("web:provider", args=[provider_id]))
