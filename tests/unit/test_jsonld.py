"""The schema.org JSON-LD of a provider page, by exact comparison (``api.web.jsonld``)."""

from __future__ import annotations

import json
from typing import Any

from api.web.jsonld import opening_hours, provider_graph, script_text

PAGE = "https://sozialatlas.example/p/t-00001"

# A provider page's flat record (address and location at the top level, as the page reads it).
RECORD: dict[str, Any] = {
    "id": "t-00001",
    "name": "Schuldnerberatung der Stadtmission",
    "organization": "Stadtmission Chemnitz e.V.",
    "description": "Wir beraten bei Schulden, Pfändung und Privatinsolvenz.",
    "categories": ["geld/schuldnerberatung"],
    "target_groups": ["Erwachsene"],
    "languages": ["de", "ru"],
    "street": "Glockenstraße 5",
    "postal_code": "09130",
    "city": "Chemnitz",
    "district": "Sonnenberg",
    "lat": 50.8395,
    "lon": 12.9409,
    "phone": "+493714335120",
    "email": "beratung@stadtmission.example",
    "website": "https://stadtmission.example",
    "opening_hours": [
        {"days": ["mo", "di", "do"], "opens": "09:00", "closes": "16:00"},
        {"days": ["fr"], "opens": "09:00", "closes": "12:00"},
    ],
    "opening_hours_text": "Mo, Di, Do 9–16 Uhr, Fr 9–12 Uhr",
    "wheelchair": True,
    "cost": "kostenlos",
    "appointment_required": True,
    "online_counselling": False,
    "updated_at": "2025-03-01",
}


def test_provider_graph_of_a_sample_record() -> None:
    assert provider_graph(RECORD, PAGE) == {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "Organization",
                "@id": f"{PAGE}#organization",
                "name": "Stadtmission Chemnitz e.V.",
            },
            {
                "@type": "LocalBusiness",
                "@id": f"{PAGE}#place",
                "name": "Schuldnerberatung der Stadtmission",
                "url": "https://stadtmission.example",
                "parentOrganization": {"@id": f"{PAGE}#organization"},
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": "Glockenstraße 5",
                    "postalCode": "09130",
                    "addressLocality": "Chemnitz",
                    "addressCountry": "DE",
                },
                "geo": {"@type": "GeoCoordinates", "latitude": 50.8395, "longitude": 12.9409},
                "telephone": "+493714335120",
                "email": "beratung@stadtmission.example",
                "openingHoursSpecification": [
                    {
                        "@type": "OpeningHoursSpecification",
                        "dayOfWeek": [
                            "https://schema.org/Monday",
                            "https://schema.org/Tuesday",
                            "https://schema.org/Thursday",
                        ],
                        "opens": "09:00",
                        "closes": "16:00",
                    },
                    {
                        "@type": "OpeningHoursSpecification",
                        "dayOfWeek": ["https://schema.org/Friday"],
                        "opens": "09:00",
                        "closes": "12:00",
                    },
                ],
                "isAccessibleForFree": True,
                "amenityFeature": {
                    "@type": "LocationFeatureSpecification",
                    "name": "rollstuhlgerecht",
                    "value": True,
                },
            },
            {
                "@type": "Service",
                "@id": f"{PAGE}#service",
                "name": "Schuldnerberatung der Stadtmission",
                "description": "Wir beraten bei Schulden, Pfändung und Privatinsolvenz.",
                "url": PAGE,
                "serviceType": ["Schuldner- und Insolvenzberatung"],
                "provider": {"@id": f"{PAGE}#organization"},
                "areaServed": {"@type": "City", "name": "Chemnitz"},
                "audience": [{"@type": "Audience", "audienceType": "Erwachsene"}],
                "availableChannel": {
                    "@type": "ServiceChannel",
                    "serviceLocation": {"@id": f"{PAGE}#place"},
                    "serviceUrl": "https://stadtmission.example",
                    "availableLanguage": ["de", "ru"],
                },
            },
        ],
    }


def test_a_sparse_municipal_day_care_record() -> None:
    record = {
        "id": "x",
        "name": "Kita Regenbogen",
        "organization": "Stadt Chemnitz, Amt für Jugend und Familie",
        "categories": ["familie/kita"],
        "cost": "kostenpflichtig",
        "city": "",
        "lat": None,
        "lon": None,
    }
    organization, place, service = provider_graph(record, PAGE)["@graph"]
    assert organization["@type"] == "GovernmentOrganization"
    assert service["@type"] == "GovernmentService"
    assert place == {  # no address, geo, phone or hours to claim; paid is said
        "@type": "ChildCare",
        "@id": f"{PAGE}#place",
        "name": "Kita Regenbogen",
        "parentOrganization": {"@id": f"{PAGE}#organization"},
        "isAccessibleForFree": False,
    }
    assert "areaServed" not in service and "availableLanguage" not in service["availableChannel"]


def test_the_organisation_defaults_to_the_provider_and_partly_paid_claims_nothing() -> None:
    organization, place, _ = provider_graph(
        {"id": "y", "name": "Tafel Mitte", "organization": "", "cost": "teilweise kostenpflichtig"},
        PAGE,
    )["@graph"]
    assert organization["name"] == "Tafel Mitte" and organization["@type"] == "Organization"
    assert place["@type"] == "LocalBusiness" and "isAccessibleForFree" not in place


def test_opening_hours_past_midnight_until_midnight_and_malformed() -> None:
    assert opening_hours(
        [
            {"days": ["sa", "so"], "opens": "18:00", "closes": "08:00"},
            {"days": ["mi"], "opens": "00:00", "closes": "24:00"},
            {"days": ["xx"], "opens": "09:00", "closes": "10:00"},
            {"days": ["mo"], "opens": "09:00"},
        ]
    ) == [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["https://schema.org/Saturday", "https://schema.org/Sunday"],
            "opens": "18:00",
            "closes": "08:00",
        },
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["https://schema.org/Wednesday"],
            "opens": "00:00",
            "closes": "23:59",
        },
    ]


def test_script_text_cannot_close_its_element_and_parses_to_the_same_data() -> None:
    hostile = 'Beratung</script><script>alert("x")</script><!-- & </SCRIPT >'
    text = script_text({"description": hostile, "name": "Кафе «Ü»"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"description": hostile, "name": "Кафе «Ü»"}
    assert "Кафе «Ü»" in text  # readable, not \\u-escaped throughout
