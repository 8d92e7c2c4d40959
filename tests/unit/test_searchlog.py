"""Pure parts of the search log: redaction, intents, mapping, clustering, the writer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from analyzers.redaction import redact, redact_terms
from indexer.report_queries import ReportParameterError, make_range, parse_when
from indexer.searchlog import SearchLogSettings, build_template
from indexer.searchlog_intents import is_edit, link_batch
from indexer.unmet_needs import Form, cluster_forms

CONF = SearchLogSettings(index_prefix="t")
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kita 09111 Chemnitz", "Kita 09111 Chemnitz"),
        ("mail max.mustermann@example.org bitte", "mail [email] bitte"),
        ("ruf an +49 371 1234567", "ruf an [phone]"),
        ("Tel. 0371/123 45 67 Beratung", "Tel. [phone] Beratung"),
        ("IBAN DE89 3704 0044 0532 0130 00 Miete", "IBAN [iban] Miete"),
        ("de89370400440532013000", "[iban]"),
        ("Schuldnerberatung §35", "Schuldnerberatung §35"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_redact_terms_drops_parts_of_personal_data() -> None:
    raw = "Hilfe max@example.org +49 371 98765432"
    assert redact_terms(["hilfe", "max@example.org", "49", "371", "98765432"], raw) == ["hilfe"]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("ki", "kit", True),
        ("kit", "kita", True),
        ("kita", "kita sonnenberg", True),
        ("kiat", "kita", True),
        ("tierarzt kostenlos", "tierarzt", True),
        ("tierarzt", "tierklinik", False),
        ("kita", "pflegedienst", False),
        ("", "kita", False),
    ],
)
def test_is_edit(a: str, b: str, same: bool) -> None:
    assert is_edit(a, b) is same


def _entry(i: str, q: str, seconds: float, total: int = 5, session: str = "s1") -> dict[str, Any]:
    return {
        "id": i,
        "kind": "search",
        "ts": (T0 + timedelta(seconds=seconds)).isoformat(),
        "session": session,
        "normalized": q,
        "total": total,
    }


def test_keystrokes_collapse_into_the_last_entry() -> None:
    state: dict[str, dict[str, Any]] = {}
    entries, updates = link_batch(
        [_entry("3", "kita", 1.5), _entry("1", "ki", 0, 0), _entry("2", "kit", 0.8, 0)], state, CONF
    )
    assert [(e["id"], e["final"], e["intent"]) for e in entries] == [
        ("1", False, "1"),
        ("2", False, "1"),
        ("3", True, "1"),
    ]
    assert updates == []
    # The next batch continues the intent and patches the stored entry.
    entries, updates = link_batch([_entry("4", "kita sonnenberg", 4)], state, CONF)
    assert entries[0]["intent"] == "1" and entries[0]["final"] is True
    assert updates == [("t-searchlog-2025.03", "3", {"final": False})]


def _links(entries: list[dict[str, Any]], updates: list[Any]) -> dict[str, tuple[Any, ...]]:
    """Each entry's final links once the partial updates are applied."""
    by_id = {e["id"]: dict(e) for e in entries}
    for _index, doc_id, doc in updates:
        by_id[doc_id].update(doc)
    return {
        i: (e["final"], e["intent"], e.get("refines"), bool(e.get("refined")))
        for i, e in by_id.items()
    }


def test_batches_arriving_out_of_order_link_as_in_order() -> None:
    first = [_entry("1", "ki", 0), _entry("2", "kit", 0.8), _entry("3", "kita", 1.5)]
    second = [_entry("4", "kita sonn", 2.5), _entry("5", "kita sonnenberg", 3.0)]
    in_order: dict[str, dict[str, Any]] = {}
    a, ua = link_batch([dict(e) for e in first], in_order, CONF)
    b, ub = link_batch([dict(e) for e in second], in_order, CONF)
    expected = _links(a + b, ua + ub)
    assert [i for i, link in expected.items() if link[0]] == ["5"]  # one final entry
    reversed_state: dict[str, dict[str, Any]] = {}
    b2, ub2 = link_batch([dict(e) for e in second], reversed_state, CONF)
    a2, ua2 = link_batch([dict(e) for e in first], reversed_state, CONF)
    assert _links(a2 + b2, ub2 + ua2) == expected
    assert ua2 == [
        ("t-searchlog-2025.03", "4", {"intent": "1"}),
        ("t-searchlog-2025.03", "5", {"intent": "1"}),
    ]


def test_state_saved_with_only_the_last_entry_is_still_read() -> None:
    state: dict[str, dict[str, Any]] = {
        "s1": {
            "id": "3",
            "index": "t-searchlog-2025.03",
            "normalized": "kita",
            "ts": (T0 + timedelta(seconds=1.5)).isoformat(),
            "total": 5,
            "intent": "1",
            "refines": None,
        }
    }
    entries, updates = link_batch([_entry("4", "kita sonnenberg", 4)], state, CONF)
    assert entries[0]["intent"] == "1"
    assert updates == [("t-searchlog-2025.03", "3", {"final": False})]
    assert [item["id"] for item in state["s1"]["recent"]] == ["3", "4"]


def test_a_refinement_links_to_the_zero_result_query() -> None:
    state: dict[str, dict[str, Any]] = {}
    entries, _ = link_batch(
        [
            _entry("1", "tierarzt kostenlos", 0, total=0),
            _entry("2", "tierklinik", 30, total=2),
            _entry("3", "kita", 45, session="other"),
        ],
        state,
        CONF,
    )
    by_id = {e["id"]: e for e in entries}
    assert by_id["1"]["refined"] is True and by_id["1"]["final"] is True
    assert by_id["2"]["refines"] == "1" and by_id["2"]["intent"] == "2"
    assert "refines" not in by_id["3"]


def test_template_puts_monthly_indices_behind_the_alias() -> None:
    body = build_template(CONF)
    assert body["index_patterns"] == ["t-searchlog-*"]
    assert body["allow_auto_create"] is True  # the only indices a write may create
    assert body["template"]["aliases"] == {"t-searchlog": {}}
    props = body["template"]["mappings"]["properties"]
    assert body["template"]["mappings"]["dynamic"] == "strict"
    assert {"ts", "session", "normalized", "final", "clicked", "implied_unmet"} <= set(props)
    assert not {"ip", "user_agent", "remote_addr"} & set(props)
    assert CONF.index_for(T0) == "t-searchlog-2025.03"


def _form(
    q: str,
    concept: str | None,
    lemmas: tuple[str, ...],
    lang: str,
    implied: tuple[str, ...] = (),
    n: int = 1,
) -> Form:
    return Form(
        normalized=q,
        searches=n,
        zero=n,
        sessions=n,
        languages={lang: n},
        examples=[q],
        first_seen="2025-03-01T00:00:00+00:00",
        last_seen="2025-03-02T00:00:00+00:00",
        concept=concept,
        lemmas=lemmas,
        implied=implied,
    )


def test_clusters_group_languages_spellings_and_aliases() -> None:
    forms = [
        _form("tierarzt kostenlos", None, ("tierarzt",), "de", ("cost:kostenlos",), 3),
        _form("vet free", None, ("vet",), "tr", ("cost:kostenlos",)),
        _form("tierartz kostenlos", None, ("tierartz",), "de", ("cost:kostenlos",)),
        _form("veterinarian for free", None, ("veterinarian",), "en"),
        _form(
            "schuldnerberatung auf tigrinya",
            "geld/schuldnerberatung",
            ("schuldnerberatung",),
            "de",
            ("language:ti",),
            2,
        ),
        _form(
            "debt advice in tigrinya",
            "geld/schuldnerberatung",
            ("debt", "advice"),
            "en",
            ("language:ti",),
        ),
        _form("schuldnerberatung", "geld/schuldnerberatung", ("schuldnerberatung",), "de"),
        _form("kita", None, ("kita",), "de"),
    ]
    clusters = cluster_forms(forms)
    by_form = {f: c for c in clusters for f in c["forms"]}
    vet = by_form["vet free"]
    assert vet["forms"] == [
        "tierarzt kostenlos",
        "tierartz kostenlos",
        "veterinarian for free",
        "vet free",
    ] or set(vet["forms"]) == {
        "tierarzt kostenlos",
        "tierartz kostenlos",
        "veterinarian for free",
        "vet free",
    }
    assert vet["need"] == "tierarzt" and vet["searches"] == 6
    assert vet["languages"] == {"de": 4, "tr": 1, "en": 1}
    debt = by_form["debt advice in tigrinya"]
    assert set(debt["forms"]) == {"schuldnerberatung auf tigrinya", "debt advice in tigrinya"}
    assert debt["concept"] == "geld/schuldnerberatung" and "language:ti" in debt["need"]
    assert by_form["schuldnerberatung"] is not debt and by_form["kita"]["forms"] == ["kita"]
    assert clusters[0] is vet


def test_time_parameters() -> None:
    now = datetime(2025, 3, 31, tzinfo=UTC)
    assert parse_when("30d", now) == datetime(2025, 3, 1, tzinfo=UTC)
    assert parse_when("2025-01-02", now) == datetime(2025, 1, 2, tzinfo=UTC)
    with pytest.raises(ReportParameterError, match="invalid time"):
        parse_when("yesterday", now)
    with pytest.raises(ReportParameterError, match="later"):
        make_range("1d", "2d", now=now)


# --------------------------------------------------------------------------- the writer


def _pending(i: int) -> Any:
    from api.searchlog import Pending

    return Pending(
        kind="search",
        query_id=f"{i:040x}",
        ts=T0.timestamp(),
        session=None,
        channel="public",
        text="ruf +49 371 1234567 an",
    )


def test_writer_drops_and_counts_when_full_or_unavailable() -> None:
    from api.searchlog import LogWriter

    sent: list[list[dict[str, Any]]] = []

    def keep(entries: list[dict[str, Any]]) -> None:
        sent.append(entries)

    writer = LogWriter(keep, capacity=2, batch=10, interval=60)
    assert writer.record(_pending(1)) and writer.record(_pending(2))
    assert writer.record(_pending(3)) is False
    assert writer.flush() == 2
    assert sent[0][0]["query"] == "ruf [phone] an"
    assert writer.status()["dropped_full"] == 1

    def down(entries: list[dict[str, Any]]) -> None:
        raise ConnectionError("Redis is down")

    broken = LogWriter(down, capacity=10, batch=10, interval=60)
    started = datetime.now(UTC)
    for i in range(5):
        assert broken.record(_pending(i)) is True
    broken.flush()
    assert (datetime.now(UTC) - started).total_seconds() < 1
    status = broken.status()
    assert status["dropped_unavailable"] == 5 and status["degraded"] is True
    assert "Redis is down" in status["last_error"]


def test_query_ids_are_signed(settings: Any) -> None:
    from api.searchlog import new_query_id, valid_query_id

    query_id = new_query_id()
    assert valid_query_id(query_id)
    assert not valid_query_id("0" * 40)
    assert not valid_query_id(query_id[:-1] + ("0" if query_id[-1] != "0" else "1"))


def test_query_ids_expire(settings: Any) -> None:
    from api.searchlog import new_query_id, valid_query_id

    now = 1_800_000_000.0
    query_id = new_query_id(now)
    hours = settings.CONFIG.query_id_hours
    assert valid_query_id(query_id, now + hours * 3600 - 60)
    assert not valid_query_id(query_id, now + hours * 3600 + 120)
    assert not valid_query_id(query_id, now - 3600)  # from the future: made up


def test_sessions_are_issued_by_the_server(settings: Any) -> None:
    from django.test import RequestFactory

    from api.searchlog import SESSION_HEADER, session_token

    now = 1_800_000_000.0
    issued = session_token(RequestFactory().get("/"), now, 30)
    again = RequestFactory().get("/", headers={SESSION_HEADER: issued})
    assert session_token(again, now + 60, 30) == issued
    assert session_token(again, now + 31 * 60, 30) != issued  # rotated when old
    invented = issued[:-8] + "0" * 8
    forged = RequestFactory().get("/", headers={SESSION_HEADER: invented})
    assert session_token(forged, now, 30) not in (invented, issued)


def test_click_tokens_name_one_hit_of_one_answer(settings: Any) -> None:
    from api.searchlog import click_token, new_query_id, valid_click

    query_id, other = new_query_id(), new_query_id()
    token = click_token(query_id, "sa-00001")
    assert valid_click(query_id, "sa-00001", token)
    assert not valid_click(query_id, "sa-00002", token)
    assert not valid_click(other, "sa-00001", token)
