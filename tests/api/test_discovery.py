"""Discovery: schema.org JSON-LD on provider pages, the sitemap, OpenSearch (test client)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from api.web.sitemaps import ProviderSitemap
from tests.factories import stored_provider

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

LD_SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
OPENSEARCH_NS = "{http://a9.com/-/spec/opensearch/1.1/}"
HOURS = [
    {"days": ["mo", "mi"], "opens": "09:00", "closes": "12:00"},
    {"days": ["do"], "opens": "13:00", "closes": "18:00"},
]


@pytest.fixture()
def web(sample_index: Any) -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")


def _provider(provider_id: str, **fields: Any) -> Any:
    values: dict[str, Any] = {
        "name": "Beratung im Rathaus",
        "organization": "Stadt Chemnitz, Sozialamt",
        "street": "Markt 1",
        "postal_code": "09111",
        "city": "Chemnitz",
        "lat": 50.8322,
        "lon": 12.9252,
        "phone": "+49371488000",
        "email": "sozialamt@stadt-chemnitz.example",
        "languages": ["de", "uk"],
        "categories": ["geld/leistungen"],
        "opening_hours": HOURS,
        "cost": "kostenlos",
    }
    return stored_provider(provider_id, **{**values, **fields})


def _jsonld(html: str) -> Any:
    blocks = LD_SCRIPT.findall(html)
    assert len(blocks) == 1, blocks
    return json.loads(blocks[0])


def _nodes(data: Any) -> dict[str, dict[str, Any]]:
    """The graph's nodes by the last part of their ``@id`` (organization, place, service)."""
    return {node["@id"].rsplit("#", 1)[1]: node for node in data["@graph"]}


def test_provider_page_jsonld_parses_and_carries_the_opening_hours(web: Client) -> None:
    _provider("db-ld")
    response = web.get("/p/db-ld", {"lang": "en"})
    assert response.status_code == 200
    data = _jsonld(response.content.decode())
    assert data["@context"] == "https://schema.org"
    nodes = _nodes(data)
    assert nodes["organization"]["@type"] == "GovernmentOrganization"
    assert nodes["service"]["@type"] == "GovernmentService"
    assert nodes["place"]["@type"] == "GovernmentOffice"
    page = "http://testserver/p/db-ld"  # without ?lang=: the entry's one address
    assert nodes["service"]["url"] == page
    assert nodes["service"]["provider"] == {"@id": f"{page}#organization"}
    place = nodes["place"]
    assert place["address"]["streetAddress"] == "Markt 1"
    assert place["geo"] == {"@type": "GeoCoordinates", "latitude": 50.8322, "longitude": 12.9252}
    assert place["telephone"] == "+49371488000" and place["isAccessibleForFree"] is True
    assert nodes["service"]["availableChannel"]["availableLanguage"] == ["de", "uk"]
    days = {"mo": "Monday", "mi": "Wednesday", "do": "Thursday"}
    assert place["openingHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [f"https://schema.org/{days[d]}" for d in slot["days"]],
            "opens": slot["opens"],
            "closes": slot["closes"],
        }
        for slot in HOURS
    ]


def test_provider_page_from_the_index_has_organisation_and_service(web: Client) -> None:
    html = web.get("/p/demo-0001").content.decode()
    nodes = _nodes(_jsonld(html))
    assert {node["@type"] for node in nodes.values()} >= {"Service"}
    assert nodes["organization"]["@type"].endswith("Organization")
    assert nodes["place"]["name"] == "Kita Sonnenblume" and nodes["place"]["@type"] == "ChildCare"
    assert nodes["place"]["openingHoursSpecification"]  # the sample record has hours


def test_a_description_cannot_break_out_of_the_jsonld_script(web: Client) -> None:
    hostile = 'Hilfe</script><script>alert("pwned")</script><!-- </SCRIPT>'
    _provider("db-evil", description=hostile, name="Evil </script> name")
    response = web.get("/p/db-evil")
    html = response.content.decode()
    data = _jsonld(html)  # exactly one block, and it is all JSON
    assert _nodes(data)["service"]["description"] == hostile
    assert _nodes(data)["place"]["name"] == "Evil </script> name"
    assert '<script>alert("pwned")' not in html
    assert html.count("<script") == html.count("</script>")
    csp = response["Content-Security-Policy"]  # the JSON-LD needs no inline-script allowance
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_not_found_page_has_no_jsonld(web: Client) -> None:
    response = web.get("/p/does-not-exist")
    assert response.status_code == 404
    assert not LD_SCRIPT.findall(response.content.decode())


def _xml(client: Client, url: str) -> ET.Element:
    parts = urlsplit(url)
    response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def _sitemap_urls(client: Client) -> dict[str, str | None]:
    """Every URL of every sitemap page the index names, with its ``lastmod``."""
    index = _xml(client, "/sitemap.xml")
    assert index.tag == f"{SITEMAP_NS}sitemapindex"
    urls: dict[str, str | None] = {}
    for loc in index.iter(f"{SITEMAP_NS}loc"):
        page = _xml(client, str(loc.text))
        assert page.tag == f"{SITEMAP_NS}urlset"
        for url in page.iter(f"{SITEMAP_NS}url"):
            lastmod = url.find(f"{SITEMAP_NS}lastmod")
            urls[str(url.findtext(f"{SITEMAP_NS}loc"))] = None if lastmod is None else lastmod.text
    return urls


def test_sitemap_lists_every_provider_and_the_search_page() -> None:
    rows = [_provider(f"db-s{n}") for n in range(3)]
    urls = _sitemap_urls(Client())
    assert "http://testserver/" in urls
    for row in rows:
        local = timezone.localtime(row.modified).date().isoformat()
        assert urls[f"http://testserver/p/{row.id}"] == local


def test_sitemap_index_pages_a_large_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [_provider(f"db-p{n}") for n in range(5)]
    monkeypatch.setattr(ProviderSitemap, "limit", 2)  # Django's default is 50,000 per page
    index = _xml(Client(), "/sitemap.xml")
    locs = [str(loc.text) for loc in index.iter(f"{SITEMAP_NS}loc")]
    assert "http://testserver/sitemap-providers.xml?p=3" in locs
    assert "http://testserver/sitemap-providers.xml?p=4" not in locs
    urls = _sitemap_urls(Client())
    assert {f"http://testserver/p/{row.id}" for row in rows} <= set(urls)


def test_opensearch_description_is_valid_xml_with_the_templates() -> None:
    response = Client().get("/opensearch.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{OPENSEARCH_NS}OpenSearchDescription"
    short_name = str(root.findtext(f"{OPENSEARCH_NS}ShortName"))
    assert 0 < len(short_name) <= 16
    templates = {u.get("type"): u.get("template") for u in root.iter(f"{OPENSEARCH_NS}Url")}
    assert templates["text/html"] == "http://testserver/?q={searchTerms}"
    assert templates["application/x-suggestions+json"] == (
        "http://testserver/opensearch/suggest?q={searchTerms}"
    )


def test_pages_link_the_opensearch_description(web: Client) -> None:
    html = web.get("/").content.decode()
    assert '<link rel="search" type="application/opensearchdescription+xml"' in html
    assert 'href="/opensearch.xml"' in html


def test_opensearch_suggestions_have_the_opensearch_shape(web: Client) -> None:
    response = web.get("/opensearch/suggest", {"q": "Kita"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-suggestions+json")
    query, completions = json.loads(response.content)
    assert query == "Kita"
    assert completions and all(isinstance(c, str) for c in completions)
    assert len(completions) == len(set(completions))
    assert any("Kita" in c for c in completions)


def test_opensearch_suggestions_for_nothing_or_too_much(web: Client) -> None:
    assert json.loads(web.get("/opensearch/suggest", {"q": " "}).content) == [" ", []]
    assert json.loads(web.get("/opensearch/suggest").content) == ["", []]
    long = "Schuldnerberatung " * 10  # longer than the API's prefix limit: cut, not refused
    response = web.get("/opensearch/suggest", {"q": long})
    assert response.status_code == 200 and json.loads(response.content)[0] == long


@pytest.mark.parametrize(
    "query", ["<script>alert(1)</script>", "Schulden\x00Beratung", "\x1f", "🙂" * 300, "ﷺ" * 50]
)
def test_opensearch_suggestions_answer_hostile_text_never_a_500(web: Client, query: str) -> None:
    response = web.get("/opensearch/suggest", {"q": query})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-suggestions+json")
    assert json.loads(response.content)[0] == query
