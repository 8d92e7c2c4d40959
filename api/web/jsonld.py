"""schema.org JSON-LD of a provider page, so search engines and assistants read our entries.

A directory entry mixes three things schema.org keeps apart, and each property goes where the
vocabulary defines it (a validator rejects it elsewhere):

* the **organisation** that runs it (``Organization``; the carrier, e.g. "Stadtmission e.V.");
* the **place** people go to (``LocalBusiness``, "a branch of an organization", or
  ``ChildCare`` for day care): address, geo, phone, e-mail, opening hours, free entry;
* the **service** itself (``Service``): what it is, who provides it, whom it serves, and
  its channel (``ServiceChannel``), which is where schema.org puts ``availableLanguage``.

A municipal or federal carrier ("Stadt Chemnitz, Gesundheitsamt", "Agentur für Arbeit") makes
them ``GovernmentOrganization``/``GovernmentOffice``/``GovernmentService``. The builder is a
pure dict builder (tested by exact comparison); :func:`script_text` embeds it safely.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from analyzers import taxonomy
from directory.models import Cost
from indexer.hours import DAYS

CONTEXT = "https://schema.org"
# schema.org's day names, in the order of our weekday codes (indexer.hours.DAYS: Monday first).
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAY_URIS = {code: f"https://schema.org/{name}" for code, name in zip(DAYS, WEEKDAYS, strict=True)}
# Carriers that are public authorities; the names in the directory start like this.
GOVERNMENT_PREFIXES = ("Stadt ", "Stadt,", "Landkreis ", "Freistaat ", "Jobcenter", "Agentur für")
# Main categories whose place schema.org has a type for.
PLACE_TYPES = {
    "familie/kita": "ChildCare",
    "familie/krippe": "ChildCare",
    "familie/hort": "ChildCare",
    "familie/tagespflege": "ChildCare",
}
COUNTRY = "DE"
# Inside <script>, "</script>" or "<!--" in a description would end or confuse the element;
# JSON allows \u escapes for these characters, so the data reads the same (as json_script).
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _compact(node: Mapping[str, Any]) -> dict[str, Any]:
    """Drop empty values: a missing e-mail is no property, not ``"email": null``."""
    return {key: value for key, value in node.items() if value not in (None, "", [], {})}


def opening_hours(slots: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One ``OpeningHoursSpecification`` per slot of our hours format (``indexer.hours``).

    A slot past midnight (18:00–08:00) stays as it is: schema.org reads ``closes`` before
    ``opens`` as the next day. Our "24:00" is written "23:59", as schema.org asks.
    """
    specs = []
    for slot in slots:
        days = [DAY_URIS[d] for d in slot.get("days") or [] if d in DAY_URIS]
        opens, closes = slot.get("opens"), slot.get("closes")
        if not days or not opens or not closes:
            continue  # malformed slots were reported at import
        specs.append(
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": days,
                "opens": opens,
                "closes": "23:59" if closes == "24:00" else closes,
            }
        )
    return specs


def _is_government(organization: str) -> bool:
    return organization.startswith(GOVERNMENT_PREFIXES)


def _free(cost: str | None) -> bool | None:
    if cost == Cost.FREE:
        return True
    return False if cost == Cost.PAID else None  # partly paid: nothing to claim


def provider_graph(record: Mapping[str, Any], page_url: str) -> dict[str, Any]:
    """The JSON-LD ``@graph`` of a provider page.

    ``record`` is the page's flat record (address and location fields at the top level, as
    ``api.web.provider`` reads it); ``page_url`` the page's absolute URL, which also anchors
    the nodes' ``@id``s.
    """
    name = record.get("name") or ""
    carrier = record.get("organization") or name
    government = _is_government(carrier)
    categories = [str(code) for code in record.get("categories") or []]
    ids = {part: f"{page_url}#{part}" for part in ("organization", "place", "service")}
    place_type = PLACE_TYPES.get(categories[0], "LocalBusiness") if categories else "LocalBusiness"
    if government and place_type == "LocalBusiness":
        place_type = "GovernmentOffice"
    lat, lon = record.get("lat"), record.get("lon")
    address = _compact(
        {
            "@type": "PostalAddress",
            "streetAddress": record.get("street"),
            "postalCode": record.get("postal_code"),
            "addressLocality": record.get("city"),
            "addressCountry": COUNTRY,
        }
    )
    organization = {
        "@type": "GovernmentOrganization" if government else "Organization",
        "@id": ids["organization"],
        "name": carrier,
    }
    place = _compact(
        {
            "@type": place_type,
            "@id": ids["place"],
            "name": name,
            "url": record.get("website"),
            "parentOrganization": {"@id": ids["organization"]},
            "address": address if len(address) > 2 else None,  # more than type and country
            "geo": {"@type": "GeoCoordinates", "latitude": lat, "longitude": lon}
            if lat is not None and lon is not None
            else None,
            "telephone": record.get("phone"),
            "email": record.get("email"),
            "openingHoursSpecification": opening_hours(record.get("opening_hours") or []),
            "isAccessibleForFree": _free(record.get("cost")),
            "amenityFeature": {
                "@type": "LocationFeatureSpecification",
                "name": "rollstuhlgerecht",
                "value": True,
            }
            if record.get("wheelchair")
            else None,
        }
    )
    channel = _compact(
        {
            "@type": "ServiceChannel",
            "serviceLocation": {"@id": ids["place"]},
            "serviceUrl": record.get("website"),
            "availableLanguage": list(record.get("languages") or []),  # BCP 47 (ISO 639-1)
        }
    )
    service = _compact(
        {
            "@type": "GovernmentService" if government else "Service",
            "@id": ids["service"],
            "name": name,
            "description": record.get("description"),
            "url": page_url,
            "serviceType": [taxonomy.label(code, "de") for code in categories],
            "provider": {"@id": ids["organization"]},
            "areaServed": {"@type": "City", "name": record["city"]} if record.get("city") else None,
            "audience": [
                {"@type": "Audience", "audienceType": group}
                for group in record.get("target_groups") or []
            ],
            "availableChannel": channel,
        }
    )
    return {"@context": CONTEXT, "@graph": [organization, place, service]}


def script_text(data: Mapping[str, Any]) -> SafeString:
    """``data`` as JSON for a ``<script type="application/ld+json">`` element.

    ``<``, ``>`` and ``&`` become ``\\u`` escapes, so no text of a record can close the
    element or open a comment; the JSON parses to the same data. A JSON-LD block is data,
    not script: browsers do not execute it, so the pages' CSP (``script-src 'self'``, no
    inline scripts) stays as strict as it is.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.translate(_SCRIPT_ESCAPES))  # escaped just above
