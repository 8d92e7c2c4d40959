"""The crisis layer through the API and the page, against the real sample index."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from ninja.testing import TestClient

from analyzers import analyze_query
from analyzers.crisis import SERVICES
from api.apis import api
from api.crisis import load_lines
from api.errors import ConfigurationError
from api.searchlog import Pending, to_entry

client = TestClient(api)
pytestmark = pytest.mark.django_db


def search(**params: Any) -> dict[str, Any]:
    response = client.get("/search", query_params=params)
    assert response.status_code == 200, response.json()
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(
    ("q", "kind", "number"),
    [
        ("ich will nicht mehr leben", "suicide", "0800 111 0 111"),
        ("I want to kill myself", "suicide", "116 123"),
        ("my husband hits me", "domestic_violence", "116 016"),
        ("kocam beni dövüyor", "domestic_violence", "116 016"),
        ("wo kann ich heute nacht schlafen", "homeless_tonight", "112"),
        (
            "schwanger und verzweifelt niemand darf es wissen",
            "pregnancy_emergency",
            "0800 40 40 020",
        ),
        (  # no list and no structure rule: the danger model reads it
            "hab meinem Bruder heute mein Fahrrad und meine Playstation geschenkt, "
            "brauche das alles nicht mehr",
            "suicide",
            "0800 111 0 111",
        ),
    ],
)
def test_a_query_in_danger_gets_the_lines_and_its_services_first(
    sample_index: Any, q: str, kind: str, number: str
) -> None:
    body = search(q=q)
    crisis = body["crisis"]
    assert crisis["kind"] == kind and body["query"]["crisis"] == kind
    assert any(number in line["numbers"] for line in crisis["lines"])
    assert crisis["text"]
    assert body["total"] > 0  # never "nothing found"
    first = body["hits"][0]
    assert {c["code"] for c in first["categories"]} & set(SERVICES[kind])
    assert crisis["services"] and crisis["services"][0]["id"] == first["id"]


def test_the_crisis_text_comes_in_the_ui_language_and_the_query_language(
    sample_index: Any,
) -> None:
    body = search(q="kocam beni dövüyor", lang="de")
    crisis = body["crisis"]
    assert crisis["text_lang"] == "de" and "Gewalt" in crisis["text"]
    assert crisis["query_lang"] == "tr" and "Şiddet" in crisis["query_text"]


def test_an_ordinary_query_has_no_crisis_block(sample_index: Any) -> None:
    body = search(q="Kita")
    assert body["crisis"] is None and body["query"]["crisis"] is None


def test_the_page_shows_the_lines_first_with_tap_to_call_links(sample_index: Any) -> None:
    html = Client().get("/", {"q": "ich will nicht mehr leben"}).content.decode()
    assert 'id="crisis"' in html and 'role="alert"' in html
    assert html.index('id="crisis"') < html.index('class="layout"')
    assert 'href="tel:08001110111"' in html and 'href="tel:116123"' in html
    assert "Sie sind nicht allein" in html


def test_a_crisis_query_is_logged_as_its_kind_only() -> None:
    text = "ich will nicht mehr leben, Tel 0371 123456"
    entry = to_entry(
        Pending(
            kind="search",
            query_id="q1",
            ts=0.0,
            session="s",
            channel="public",
            text=text,
            analysis=analyze_query(text),
        )
    )
    assert entry["query"] == "crisis:suicide" and entry["normalized"] == "crisis:suicide"
    assert entry["lemmas"] == [] and entry["terms"] == []
    assert "leben" not in json.dumps(entry)
    suggest = to_entry(
        Pending(
            kind="suggest",
            query_id="q2",
            ts=0.0,
            session="s",
            channel="public",
            text="I want to kill myself",
        )
    )
    assert suggest["query"] == "crisis:suicide" and "kill" not in json.dumps(suggest)


def test_the_crisis_lines_are_configuration(tmp_path: Any) -> None:
    default = load_lines("")
    names = {line.name: line for line in default}
    assert names["TelefonSeelsorge"].numbers == ["0800 111 0 111", "0800 111 0 222", "116 123"]
    assert names["Hilfetelefon Gewalt gegen Frauen"].numbers == ["116 016"]
    assert len(names["Hilfetelefon Gewalt gegen Frauen"].languages) == 18
    assert names["Hilfetelefon Gewalt an Männern"].numbers == ["0800 123 99 00"]
    assert {n for line in default for n in line.numbers} >= {
        "116 111",
        "0800 111 0 550",
        "0800 40 40 020",
        "116 117",
        "110",
        "112",
    }
    own = tmp_path / "lines.json"
    own.write_text(
        json.dumps(
            {
                "lines": [
                    {
                        "id": "x",
                        "name": "Krisendienst Chemnitz",
                        "numbers": ["0371 1"],
                        "hours": "24 h",
                        "kinds": ["suicide"],
                    }
                ]
            }
        )
    )
    assert load_lines(str(own))[0].name == "Krisendienst Chemnitz"
    broken = tmp_path / "broken.json"
    broken.write_text(
        json.dumps(
            {
                "lines": [
                    {"id": "x", "name": "y", "numbers": ["1"], "hours": "", "kinds": ["weather"]}
                ]
            }
        )
    )
    with pytest.raises(ConfigurationError, match="unknown kinds"):
        load_lines(str(broken))


def test_relaxation_answers_a_misspelt_query_and_names_the_stage(sample_index: Any) -> None:
    plain = search(q="Schuldnerberatung")
    assert plain["query"]["stage"] == "words"
    relaxed = search(q="Schuldnerbratunk Mietr")
    assert relaxed["total"] > 0
    assert relaxed["query"]["stage"] in ("words", "fuzzy")


def test_an_unknown_language_gets_migration_counselling_not_nothing(sample_index: Any) -> None:
    # Sinhala, of which the project holds no text at all: "I need help with documents"
    body = search(q="ලේඛන සඳහා උදව් අවශ්‍යයි")
    assert body["total"] > 0 and body["query"]["stage"] == "concepts"
    assert body["hits"][0]["categories"][0]["code"].startswith("migration/")


def test_a_keyboard_mash_still_finds_nothing(sample_index: Any) -> None:
    body = search(q="qwrtzkjhgf")
    assert body["total"] == 0


def test_a_name_typed_in_cyrillic_is_found_transliterated(sample_index: Any) -> None:
    body = search(q="Штадтмиссион")  # "Stadtmission" as a Russian speaker writes it
    assert body["query"]["stage"] == "transliterated"
    assert body["hits"] and "Stadtmission" in body["hits"][0]["organization"]


def test_areas_are_offered_in_the_language_of_the_query(sample_index: Any) -> None:
    from types import SimpleNamespace

    from api.web.results import area_links

    response: Any = SimpleNamespace(query=SimpleNamespace(language="ro"))
    links = {a["url"]: a for a in area_links("de", response)}
    family = links["?category=familie"]
    assert family["label"] == "Familie & Kinder" and family["native"] and family["lang"] == "ro"
    german: Any = SimpleNamespace(query=SimpleNamespace(language="de"))
    assert all(a["native"] is None for a in area_links("de", german))
