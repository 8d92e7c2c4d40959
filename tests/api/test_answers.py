"""Reuse of answers (`api.answers`): repeats come from memory, a write ends the reuse."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.cache import caches
from django.test import override_settings
from ninja.testing import TestClient

from api.answers import search_answers, suggest_answers
from api.apis import api
from api.context import searcher
from api.ratelimit import reset_breaker
from api.search_models import SearchParams
from api.searcher import CITY_TZ
from directory.writeclock import SETTLE_SECONDS, WRITE_CLOCK_KEY, mark_written
from indexer.hours import minute_of_week

client = TestClient(api)
pytestmark = pytest.mark.django_db


def _settled_index() -> None:
    """The last write lies well in the past: answers may be kept."""
    caches["default"].set(WRITE_CLOCK_KEY, time.time() - 10 * SETTLE_SECONDS, timeout=None)


def _get(path: str, **params: Any) -> dict[str, Any]:
    response = client.get(path, query_params=params)
    assert response.status_code == 200, response.json()
    body: dict[str, Any] = response.json()
    return body


def _without_ids(body: dict[str, Any]) -> dict[str, Any]:
    """The answer without what each response gets of its own (ids, click tokens, time)."""
    kept = {k: v for k, v in body.items() if k not in ("query_id", "session", "took_ms")}
    if "hits" in kept:
        kept["hits"] = [{k: v for k, v in h.items() if k != "click_token"} for h in kept["hits"]]
    return kept


def test_each_reused_answer_has_its_own_click_tokens(sample_index: Any) -> None:
    from api.searchlog import valid_click

    _settled_index()
    first = _get("/search", q="Kita")
    second = _get("/search", q="Kita")
    assert search_answers.hits == 1
    for body in (first, second):
        assert all(valid_click(body["query_id"], h["id"], h["click_token"]) for h in body["hits"])
    assert first["hits"][0]["click_token"] != second["hits"][0]["click_token"]


def test_a_repeated_search_is_answered_from_memory(sample_index: Any) -> None:
    _settled_index()
    first = _get("/search", q="Schuldnerberatung", district="Sonnenberg")
    assert (search_answers.hits, search_answers.misses) == (0, 1)
    second = _get("/search", q="Schuldnerberatung", district="Sonnenberg")
    assert search_answers.hits == 1
    assert _without_ids(second) == _without_ids(first)
    assert first["total"] > 0
    _get("/search", q="Schuldnerberatung")  # another question: computed
    assert search_answers.misses == 2


def test_each_answer_gets_its_own_log_ids(sample_index: Any) -> None:
    _settled_index()
    first = _get("/search", q="Kita")
    second = _get("/search", q="Kita")
    assert search_answers.hits == 1
    assert first["query_id"] and second["query_id"]  # the search log is on in the tests
    assert first["query_id"] != second["query_id"]


def test_a_write_ends_the_reuse_until_it_is_visible(sample_index: Any) -> None:
    _settled_index()
    _get("/suggest", q="Kit")
    _get("/suggest", q="Kit")
    assert suggest_answers.hits == 1
    mark_written()
    time.sleep(0.15)  # past the memo of the write clock
    _get("/suggest", q="Kit")
    _get("/suggest", q="Kit")  # computed again: the write may not be searchable yet
    assert (suggest_answers.hits, suggest_answers.misses) == (1, 3)


def test_zero_seconds_turns_reuse_off(sample_index: Any, settings: Any) -> None:
    _settled_index()
    settings.CONFIG = settings.CONFIG.replace(answer_cache_seconds=0)
    _get("/search", q="Kita")
    _get("/search", q="Kita")
    assert search_answers.hits == 0


def test_answers_expire_within_their_lifetime(sample_index: Any, settings: Any) -> None:
    _settled_index()
    settings.CONFIG = settings.CONFIG.replace(answer_cache_seconds=0.6)
    _get("/suggest", q="Kit")
    _get("/suggest", q="Kit")  # within the first half of the lifetime: always reused
    assert suggest_answers.hits == 1
    time.sleep(0.65)
    _get("/suggest", q="Kit")
    assert (suggest_answers.hits, suggest_answers.misses) == (1, 2)


@pytest.fixture()
def _breaker_reset() -> Iterator[None]:
    yield
    reset_breaker()  # the rate limiter saw the dead cache too


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
)
def test_without_redis_every_search_is_computed(sample_index: Any, _breaker_reset: None) -> None:
    first = _get("/search", q="Kita")
    started = time.monotonic()
    second = _get("/search", q="Kita")
    assert search_answers.hits == 0
    assert time.monotonic() - started < 1.0  # Redis is not asked again for each request
    assert first["total"] == second["total"] > 0


def test_a_reused_answer_says_open_now_for_the_current_minute(sample_index: Any) -> None:
    _settled_index()
    params = SearchParams(q="Beratung", size=50)
    monday_morning = datetime(2026, 11, 23, 10, 0, tzinfo=CITY_TZ)
    sunday_night = datetime(2026, 11, 22, 3, 0, tzinfo=CITY_TZ)
    _, _, morning = searcher().answer(params, monday_morning)
    _, result, night = searcher().answer(params, sunday_night)
    assert (search_answers.hits, search_answers.misses) == (1, 1)
    assert True in [hit.open_now for hit in morning.hits]
    at_night = [hit.open_now for hit in night.hits]
    assert True not in at_night and False in at_night
    assert at_night == [hit.is_open(minute_of_week(sunday_night)) for hit in result.hits]
    assert [hit.id for hit in night.hits] == [hit.id for hit in morning.hits]


def test_open_now_as_a_filter_is_a_new_question_each_minute(sample_index: Any) -> None:
    _settled_index()
    params = SearchParams(q="Beratung", open_now=True)
    monday_morning = datetime(2026, 11, 23, 10, 0, tzinfo=CITY_TZ)
    searcher().answer(params, monday_morning)
    searcher().answer(params, monday_morning)
    searcher().answer(params, monday_morning + timedelta(minutes=1))
    assert (search_answers.hits, search_answers.misses) == (1, 2)
