"""The public pages through Django's test client (no browser, no JavaScript).

They run against the sample index: the server-rendered search is the no-JS path.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from api.web import i18n
from api.web.results import safe_marks
from api.web.search import helpline
from tests.factories import stored_provider

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def hit_ids(html: str) -> list[str]:
    return re.findall(r'<h3 id="h-([^"]+)">', html)


@pytest.fixture()
def web(sample_index: Any) -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")


def test_search_without_javascript_renders_results_facets_and_form(web: Client) -> None:
    response = web.get("/", {"q": "Schuldnerberatung"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<form id="search-form"' in html and 'action="/" method="get"' in html
    ids = hit_ids(html)
    assert ids, "no results rendered"
    assert f'href="/p/{ids[0]}?qid=' in html  # the link counts as a click when followed
    assert "<mark>" in html  # highlighted snippet or name
    assert 'name="district"' in html and 'type="checkbox"' in html
    assert "Filter anwenden" in html  # the submit button that applies filters without JS
    assert "Angebote gefunden" in html or "Angebot gefunden" in html
    assert 'lang="de" dir="ltr"' in html


def test_facet_filter_from_the_query_string_narrows_and_can_be_removed(web: Client) -> None:
    everything = web.get("/").content.decode()
    total = int(re.search(r'id="result-count">(\d+)', everything).group(1))  # type: ignore[union-attr]
    filtered = web.get("/", {"district": "Zentrum"}).content.decode()
    count = int(re.search(r'id="result-count">(\d+)', filtered).group(1))  # type: ignore[union-attr]
    assert 0 < count < total
    assert 'id="f-district-zentrum" name="district" value="Zentrum" checked' in filtered
    assert 'aria-label="Entfernen: Zentrum"' in filtered
    # every hit lies in the district
    assert filtered.count('<span class="visually-hidden">Stadtteil: </span>Zentrum') == len(
        hit_ids(filtered)
    )


def test_partial_renders_only_the_results_region(web: Client) -> None:
    response = web.get("/", {"q": "Kita", "partial": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'class="layout"' in html
    assert response["Cache-Control"] == "no-store"


def test_empty_state_offers_areas_and_the_helpline(web: Client) -> None:
    html = web.get("/", {"q": "Qwzxyvbnmplk"}).content.decode()
    assert 'id="empty-state"' in html
    assert f'href="tel:{helpline()["phone"]}"' in html and "0371 488-000" in html
    assert "?category=familie" in html  # an area to browse


def test_invalid_parameters_are_dropped_not_an_error(web: Client) -> None:
    response = web.get("/", {"q": "Kita", "page": "zwei", "cost": "teuer", "near": "x"})
    assert response.status_code == 200
    assert hit_ids(response.content.decode())


def test_provider_page_from_the_index(web: Client) -> None:
    response = web.get("/p/demo-0001")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="provider-name">Kita Sonnenblume</h1>' in html
    assert "https://www.openstreetmap.org/?mlat=50.8388&amp;mlon=12.9452" in html
    assert "Zietenstraße 41" in html and "Mo–Fr" in html and "Rollstuhlgerecht" in html


def test_provider_page_from_the_database(web: Client) -> None:
    stored_provider(
        "db-1",
        name="Beratung im Rathaus",
        street="Markt 1",
        postal_code="09111",
        city="Chemnitz",
        phone="+49371000",
        opening_hours=[{"days": ["mo", "mi"], "opens": "09:00", "closes": "12:00"}],
    )
    html = web.get("/p/db-1").content.decode()
    assert "Beratung im Rathaus" in html and "Mo, Mi" in html
    assert "openstreetmap.org/search?query=Markt+1" in html


def test_unknown_provider_is_a_404_page(web: Client) -> None:
    response = web.get("/p/does-not-exist")
    assert response.status_code == 404
    assert "Dieses Angebot gibt es nicht" in response.content.decode()


def test_language_from_accept_language_and_rtl(sample_index: Any) -> None:
    html = Client(HTTP_ACCEPT_LANGUAGE="ar-SY,ar;q=0.9,en;q=0.5").get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "الأسرة والأطفال" in html  # the taxonomy's Arabic area label


def test_language_switcher_sets_a_cookie_that_wins_over_the_header(sample_index: Any) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    response = client.get("/", {"lang": "uk"})
    assert response.cookies[i18n.COOKIE].value == "uk"
    assert response["Content-Language"] == "uk"
    later = client.get("/")
    assert '<html lang="uk" dir="ltr">' in later.content.decode()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("tr, de;q=0.5", "tr"),
        ("de;q=0.5, en", "en"),
        ("fr-FR, fr", None),
        ("", None),
        ("ar;q=0, ru;q=0.3", "ru"),
        ("uk-UA", "uk"),
        ("en;q=abc, de;q=0.1", "de"),
    ],
)
def test_accept_language_parsing(header: str, expected: str | None) -> None:
    assert i18n.from_accept_language(header) == expected


def test_every_language_has_every_string() -> None:
    german = set(i18n.strings("de"))
    for lang in i18n.LANGUAGES:
        assert set(i18n.strings(lang)) == german


def test_snippets_keep_marks_and_escape_everything_else() -> None:
    assert safe_marks("<script>x</script> <mark>Kita</mark>") == (
        "&lt;script&gt;x&lt;/script&gt; <mark>Kita</mark>"
    )
    assert safe_marks("A &amp; B <mark>C</mark>") == "A &amp; B <mark>C</mark>"


def test_dashboard_requires_a_staff_login(client: Client) -> None:
    response = client.get("/analytics/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    user = get_user_model().objects.create_user("analyst", password="pw-123456", is_staff=True)
    client.force_login(user)
    response = client.get("/analytics/")
    assert response.status_code == 200
    assert b'data-url="/api/v1/analytics/' in response.content


def test_versioned_assets_are_cached_for_long_and_the_widget_briefly(client: Client) -> None:
    css = client.get("/static/sozialatlas/site-v1.css")
    assert css.status_code == 200
    assert "immutable" in css["Cache-Control"]
    widget = client.get("/static/sozialatlas-widget.js")
    assert widget.status_code == 200
    assert "immutable" not in widget.get("Cache-Control", "")


def test_following_a_result_link_counts_as_its_click_and_nothing_else_does(web: Client) -> None:
    import html as html_lib
    import re

    from api.searchlog import writer

    page = web.get("/", {"q": "Schuldnerberatung"}).content.decode()
    found = re.search(r'href="(/p/[^"]+\?qid=[^"]+)"', page)
    assert found is not None
    link = html_lib.unescape(found.group(1))
    assert 'name="session" value="s' in page  # new searches from this page keep the session
    log = writer()
    before = log.counters.get("recorded", 0)
    followed = web.get(link)
    assert followed.status_code == 302 and followed["Location"] == link.split("?")[0]
    assert log.counters.get("recorded", 0) == before + 1  # the click
    forged = link.replace("t=", "t=0", 1)
    assert web.get(forged).status_code == 302  # the page is shown, no click recorded
    assert log.counters.get("recorded", 0) == before + 1


def test_distances_are_written_as_the_page_language_writes_numbers(sample_index: Any) -> None:
    near = {"q": "Beratung", "near": "50.8323,12.9252", "sort": "distance"}
    german = Client().get("/", {**near, "lang": "de"}).content.decode()
    english = Client().get("/", {**near, "lang": "en"}).content.decode()
    de = re.findall(r'<li class="distance">([^<]+)</li>', german)
    en = re.findall(r'<li class="distance">([^<]+)</li>', english)
    assert de and len(de) == len(en)
    assert all(re.fullmatch(r"\d+,\d km entfernt", text) for text in de), de  # "1,2 km"
    assert all(re.fullmatch(r"\d+\.\d km away", text) for text in en), en  # "1.2 km"
    assert [text.split()[0].replace(",", ".") for text in de] == [text.split()[0] for text in en]


def test_the_result_count_takes_the_languages_plural_form(sample_index: Any) -> None:
    def russian_form(n: int) -> str:  # one (1, 21, 101), few (2-4, 22), many (0, 5-20, 11)
        if n % 10 == 1 and n % 100 != 11:
            return "Найдена {} услуга"
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return "Найдены {} услуги"
        return "Найдено {} услуг"

    for query in ("Kita", "Schuldnerberatung", "Beratung"):
        html = Client().get("/", {"q": query, "lang": "ru"}).content.decode()
        shown = re.search(r'id="result-count">([^<]+)<', html).group(1)  # type: ignore[union-attr]
        total = int(re.search(r"\d+", shown).group(0))  # type: ignore[union-attr]
        assert shown == russian_form(total).format(total)


def test_the_widget_gets_its_strings_as_json_for_any_origin(client: Client) -> None:
    response = client.get(
        "/widget/text.json", {"lang": "ru"}, HTTP_ORIGIN="https://partner.example"
    )
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body["lang"] == "ru" and body["suggestions"] == "Подсказки"
    assert body["suggestions_count"][1].startswith("1 подсказка.")
    assert body["suggestions_count"][5].startswith("5 подсказок.")
    assert len(body["suggestions_count"]) == 21  # 0 to the API's largest answer (20)
    unknown = client.get("/widget/text.json", {"lang": "fr"}).json()
    assert unknown["lang"] == "de" and unknown["no_suggestions"] == "Keine Vorschläge"


def test_the_dashboard_titles_its_panels_in_the_page_language(client: Client) -> None:
    user = get_user_model().objects.create_user("analyst-uk", password="pw-123456", is_staff=True)
    client.force_login(user)
    html = client.get("/analytics/", {"lang": "uk"}).content.decode()
    assert "Пошуки за тиждень" in html and 'data-max-label="макс."' in html
