"""`GET /api/v1/search` against a real index of the bundled sample data."""

from __future__ import annotations

import json
import socket
import threading
import time
from datetime import datetime
from typing import Any

import pytest
from django.test import override_settings
from ninja.testing import TestClient

from analyzers import fold
from api.apis import api
from api.context import searcher
from api.search_models import SearchParams
from indexer.settings import IndexerSettings

client = TestClient(api)
pytestmark = pytest.mark.django_db


def search(**params: Any) -> dict[str, Any]:
    response = client.get("/search", query_params=params)
    assert response.status_code == 200, response.json()
    body: dict[str, Any] = response.json()
    return body


def codes(hit: dict[str, Any]) -> list[str]:
    return [c["code"] for c in hit["categories"]]


def facet(body: dict[str, Any], name: str) -> dict[str, int]:
    return {v["value"]: v["count"] for v in body["facets"][name]}


def test_plain_query_ranks_the_asked_service_first(sample_index: Any) -> None:
    body = search(q="Kita")
    assert body["total"] >= 7 and len(body["hits"]) >= 5
    assert all("familie/kita" in codes(hit) for hit in body["hits"][:5])


def test_compound_parts_must_match_together(sample_index: Any) -> None:
    body = search(q="Schuldnerberatung")
    top = [codes(hit)[0] for hit in body["hits"][:2]]
    assert top == ["geld/schuldnerberatung", "geld/schuldnerberatung"]
    # "Beratung" alone is in dozens of records; they must not outrank debt counselling
    assert len(body["hits"]) > 5
    assert body["hits"][0]["score"] > 2 * body["hits"][5]["score"]


def test_category_filter_accepts_codes_and_areas(sample_index: Any) -> None:
    by_code = search(category="familie/kita", size=50)
    assert by_code["total"] == len(by_code["hits"]) == 7
    assert all("familie/kita" in codes(h) for h in by_code["hits"])
    by_area = search(category="familie", size=50)
    assert by_area["total"] > by_code["total"] and by_area["hits"]
    assert all(any(c.startswith("familie/") for c in codes(h)) for h in by_area["hits"])


def test_facets_are_disjunctive(sample_index: Any) -> None:
    everything = search(size=1)
    filtered = search(district="Sonnenberg", size=50)
    # the district facet ignores the district filter, so other districts keep their counts
    assert facet(filtered, "district") == facet(everything, "district")
    assert filtered["total"] == facet(everything, "district")["Sonnenberg"] > 0
    assert all(h["district"] == "Sonnenberg" for h in filtered["hits"])
    # other facets count within the selection
    assert sum(facet(filtered, "cost").values()) == filtered["total"]
    two = search(district=["Sonnenberg", "Gablenz"], size=1)
    assert two["total"] == filtered["total"] + facet(everything, "district")["Gablenz"]


def test_language_target_group_cost_and_wheelchair_filters(sample_index: Any) -> None:
    persian = search(language="fa", size=50)
    assert persian["total"] > 0 and all("fa" in h["languages"] for h in persian["hits"])
    free = search(cost="kostenlos", size=50)
    assert free["total"] > 0 and all(h["cost"] == "kostenlos" for h in free["hits"])
    accessible = search(wheelchair="true", size=50)
    assert accessible["total"] > 0 and all(h["wheelchair"] for h in accessible["hits"])
    groups = facet(search(size=1), "target_group")
    group, count = next(iter(groups.items()))
    assert search(target_group=group, size=1)["total"] == count


def test_unknown_filter_values_give_an_empty_result(sample_index: Any) -> None:
    body = search(district="Atlantis", category="nicht/da")
    assert body["total"] == 0 and body["hits"] == []


@pytest.mark.parametrize(
    ("moment", "open_ids", "closed_ids"),
    [
        # Tuesday 02:00: the night café (18:00-08:00) is open, counselling is not
        (datetime(2026, 11, 24, 2, 0), {"demo-0036", "demo-0043"}, {"demo-0030"}),
        # Monday 07:00: still Sunday night's slot, which wraps round the week
        (datetime(2026, 11, 23, 7, 0), {"demo-0036"}, {"demo-0030"}),
        # Tuesday 10:00: counselling open, the night café closed
        (datetime(2026, 11, 24, 10, 0), {"demo-0030", "demo-0043"}, {"demo-0036"}),
    ],
)
def test_open_now_across_midnight(
    sample_index: Any, moment: datetime, open_ids: set[str], closed_ids: set[str]
) -> None:
    _, _, result = searcher().run(SearchParams(open_now=True, size=50), now=moment)
    found = {hit.id for hit in result.hits}
    assert open_ids <= found
    assert not closed_ids & found
    assert all(hit.is_open(moment.weekday() * 1440 + moment.hour * 60) for hit in result.hits)


def test_near_with_radius_and_distance_sort(sample_index: Any) -> None:
    body = search(near="50.8327,12.9232", radius_km=1.5, sort="distance", size=50)
    distances = [h["distance_km"] for h in body["hits"]]
    assert body["total"] > 0 and all(d is not None and d <= 1.5 for d in distances)
    assert distances == sorted(distances)
    wider = search(near="50.8327,12.9232", radius_km=10, size=1)
    assert wider["total"] > body["total"]


def test_sort_by_name_and_paging(sample_index: Any) -> None:
    names = [h["name"] for h in search(sort="name", size=20)["hits"]]
    assert names == sorted(names, key=lambda n: n.lower())
    first = {h["id"] for h in search(q="Beratung", size=5, page=1)["hits"]}
    second = {h["id"] for h in search(q="Beratung", size=5, page=2)["hits"]}
    assert len(first) == 5 and len(second) == 5 and not first & second


def test_labels_follow_the_requested_language(sample_index: Any) -> None:
    body = search(q="Kita", lang="en", size=1)
    areas = {v["value"]: v["label"] for v in body["facets"]["area"]}
    assert areas["familie"] == "Family & children"
    arabic = search(q="Kita", lang="ar", size=1)
    assert {v["value"]: v["label"] for v in arabic["facets"]["area"]}[
        "familie"
    ] == "الأسرة والأطفال"


def test_highlights_mark_the_matched_words(sample_index: Any) -> None:
    body = search(q="Schuldnerberatung")
    hit = body["hits"][0]
    assert "<mark>" in hit["name_highlighted"] or "<mark>" in hit["snippet"]


def test_highlighting_encodes_the_records_own_markup(
    services: Any, settings: Any, tmp_path: Any
) -> None:
    """Text of a record that looks like markup reaches the page as text, never as tags."""
    from dataclasses import replace

    from directory.snapshot import index_file
    from tests.factories import record

    hostile = record(
        name="Schuldnerberatung <img src=x onerror=alert(1)>",
        description="Für Menschen im Alter &lt; 18 oder &gt; 65 mit Schulden: "
        "&lt;b&gt;frei&lt;/b&gt;",
    )
    path = tmp_path / "hostile.jsonl"
    path.write_text(json.dumps(hostile), encoding="utf-8")
    conf = replace(settings.INDEXER, index_prefix=settings.INDEXER.index_prefix + "-hostile")
    assert index_file(conf, path) == (1, 0)
    settings.INDEXER = conf
    hit = search(q="Schulden Schuldnerberatung")["hits"][0]
    shown = hit["name_highlighted"] + hit["snippet"]
    assert "<mark>" in shown
    assert "<img" not in shown and "<b>" not in shown and "&lt; 18" in hit["snippet"]


def test_implied_district_is_a_strong_boost(sample_index: Any) -> None:
    body = search(q="Kita Sonnenberg")
    top = body["hits"][:2]
    assert all(h["district"] == "Sonnenberg" and "familie/kita" in codes(h) for h in top)
    implied = body["query"]["implied_filters"]
    assert implied == [
        {"field": "district", "value": "Sonnenberg", "text": "Sonnenberg", "treatment": "boosted"}
    ]
    assert any(h["district"] != "Sonnenberg" for h in body["hits"])  # boosted, not filtered
    applied = search(q="Kita Sonnenberg", apply_implied="true")
    assert applied["query"]["implied_filters"][0]["treatment"] == "applied"
    assert applied["hits"] and all(h["district"] == "Sonnenberg" for h in applied["hits"])


def test_explanation_names_language_concepts_and_expansions(sample_index: Any) -> None:
    body = search(q="debt advice", lang="en")
    query = body["query"]
    assert query["language"] == "en"
    concept = query["concepts"][0]
    assert concept["code"] == "geld/schuldnerberatung" and concept["kind"] == "translation"
    assert concept["label"]  # in the UI language (German fallback for service types)
    assert codes(body["hits"][0])[0] == "geld/schuldnerberatung"
    ukrainian = search(q="допомога з боргами")
    assert ukrainian["query"]["language"] == "uk"
    assert codes(ukrainian["hits"][0])[0] == "geld/schuldnerberatung"


def test_typos_are_tolerated_by_word_length(sample_index: Any) -> None:
    body = search(q="Schuldnerbertaung")
    assert codes(body["hits"][0])[0] == "geld/schuldnerberatung"
    assert search(q="Kitaa")["total"] > 0


def test_did_you_mean_when_results_are_few(sample_index: Any) -> None:
    body = search(q="Pusteblme")
    assert body["total"] < 3
    assert body["did_you_mean"] is not None
    assert fold(body["did_you_mean"].lower()) == "pusteblume"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"size": 500}, "size"),
        ({"page": 0}, "page"),
        ({"near": "north"}, "near"),
        ({"near": "95.0,12.9"}, "near"),
        ({"sort": "random"}, "sort"),
        ({"radius_km": -1}, "radius_km"),
        ({"lang": "xx"}, "lang"),
        ({"cost": "billig"}, "cost"),
        ({"q": "x" * 501}, "q"),
    ],
)
def test_invalid_parameters_are_422_naming_the_field(
    sample_index: Any, params: dict[str, Any], field: str
) -> None:
    response = client.get("/search", query_params=params)
    assert response.status_code == 422
    assert field in str(response.json()["detail"])


def test_empty_query_browses_everything(sample_index: Any) -> None:
    body = search()
    assert body["total"] == 89 and body["query"] is None


def _hanging_server() -> tuple[socket.socket, int]:
    """A TCP server that accepts connections and never answers: a stuck cluster."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            accepted.append(conn)

    threading.Thread(target=accept, daemon=True).start()
    return server, server.getsockname()[1]


@pytest.mark.parametrize("failure", ["refused", "hanging"])
def test_elasticsearch_unavailable_is_503_json_within_two_seconds(
    services: Any, failure: str
) -> None:
    server = None
    if failure == "refused":
        url = "http://127.0.0.1:1"
    else:
        server, port = _hanging_server()
        url = f"http://127.0.0.1:{port}"
    dead = IndexerSettings(elasticsearch_url=url, index_prefix="dead", timeout=2.0)
    try:
        with override_settings(INDEXER=dead):
            started = time.monotonic()
            response = client.get("/search", query_params={"q": "Kita"})
            elapsed = time.monotonic() - started
    finally:
        if server:
            server.close()
    assert response.status_code == 503
    assert response.json()["error"] == "search_unavailable"
    assert response["Retry-After"] == "5"
    assert elapsed < 2.5


def test_open_now_on_a_public_holiday_follows_sunday_hours(sample_index: Any) -> None:
    def open_at(moment: datetime) -> set[str]:
        _, _, result = searcher().run(SearchParams(open_now=True, size=50), now=moment)
        return {hit.id for hit in result.hits}

    christmas = open_at(datetime(2026, 12, 25, 10, 0))  # a Friday
    assert christmas == open_at(datetime(2026, 12, 27, 10, 0))  # the Sunday after
    ordinary_friday = open_at(datetime(2026, 12, 18, 10, 0))
    assert ordinary_friday - christmas  # office hours of a Friday do not apply on Christmas


def test_a_message_of_several_sentences_is_read_to_its_end(sample_index: Any) -> None:
    """People write stories into the box; the need often comes last (was cut at 200)."""
    story = (
        "Hallo, ich wohne seit zwei Jahren mit meinem Mann und unseren zwei Kindern in "
        "Chemnitz und arbeite halbtags in einer Bäckerei. Mein Mann ist seit dem Winter krank "
        "geschrieben, das Geld reicht kaum und jeden Tag kommen neue Briefe, die wir nicht "
        "alle verstehen. Jetzt schreibt auch noch eine Inkasso-Firma und droht mit dem "
        "Gerichtsvollzieher. Wer hilft uns mit den Schulden?"
    )
    assert len(story) > 300
    body = search(q=story)
    assert "geld/schuldnerberatung" in codes(body["hits"][0])


def test_a_sentence_whose_words_fold_together_is_answered(sample_index: Any) -> None:
    """Vietnamese "toàn" and "toán" both fold to "toan"; the second word was left with an
    empty dis_max, which Elasticsearch refuses: the search answered 500."""
    body = search(q="Con gái tôi toàn bị điểm kém môn toán mà tôi không biết giảng bài cho cháu")
    assert body["hits"]
    assert "bildung/lernfoerderung" in [c["code"] for c in body["query"]["concepts"]]
