"""The inquiry workflow's one transition table: what is allowed, what is refused, and how.

Pure checks of :mod:`directory.inquiry_states` (no database), plus the pieces around it
that need none: working days with Saxony's holidays, signed links, the field rules, the
encryption of personal data.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from configuration.settings import ConfigError, Settings
from directory.encryption import UNREADABLE, FieldCipher, cipher_for, new_key
from directory.errors import (
    IllegalTransition,
    InquiryInvalid,
    InquiryLinkExpired,
    InquiryLinkInvalid,
)
from directory.inquiry_fields import Draft, clean_draft, count_links
from directory.inquiry_states import (
    ACTORS,
    AWAITING,
    CLOSED,
    OPEN,
    TRANSITIONS,
    Action,
    Actor,
    Status,
    allowed_actions,
    next_status,
)
from directory.inquiry_tokens import answer_token, read_answer, read_tracking, tracking_token
from directory.workdays import CITY_TIME, add_working_days, is_working_day

P, S = Actor.PROVIDER, Actor.SYSTEM


def test_the_happy_path_runs_through_every_named_state() -> None:
    status = Status.RECEIVED
    for action, actor, expected in [
        (Action.DELIVER, S, Status.DELIVERED),
        (Action.READ, P, Status.READ),
        (Action.REPLY, P, Status.READ),
        (Action.ACCEPT, P, Status.ACCEPTED),
        (Action.COMPLETE, P, Status.COMPLETED),
    ]:
        status = next_status(action, status, actor)
        assert status == expected


@pytest.mark.parametrize(
    ("action", "status", "actor"),
    [
        (Action.ACCEPT, Status.DECLINED, P),  # a decision is final
        (Action.ACCEPT, Status.ACCEPTED, P),  # twice is not "safe": the second is refused
        (Action.DECLINE, Status.ACCEPTED, P),
        (Action.READ, Status.CANCELLED, P),
        (Action.DELIVER, Status.READ, S),  # a late SMTP receipt never goes backwards
        (Action.WITHDRAW, Status.COMPLETED, Actor.PERSON),
        (Action.EXPIRE, Status.COMPLETED, S),  # done is done: nothing lapses after it
        (Action.EXPIRE, Status.ACCEPTED, P),  # only the schedule lets an inquiry lapse
        (Action.MESSAGE, Status.EXPIRED, Actor.PERSON),
        (Action.REOPEN, Status.READ, Actor.STAFF),  # only closed ones reopen
        (Action.ACCEPT, Status.READ, Actor.PERSON),  # the person cannot accept for the provider
        (Action.WITHDRAW, Status.READ, P),  # nor the provider withdraw for the person
        (Action.EXPIRE, Status.READ, P),
    ],
)
def test_illegal_transitions_are_refused_by_name(
    action: Action, status: Status, actor: Actor
) -> None:
    with pytest.raises(IllegalTransition) as raised:
        next_status(action, status, actor)
    assert str(status) in str(raised.value) and str(action) in str(raised.value)


def test_closed_states_only_reopen_or_purge() -> None:
    for status in CLOSED:
        leaving = {
            action
            for action, edges in TRANSITIONS.items()
            if status in edges and edges[status] != status
        }
        assert leaving == {Action.REOPEN}, status


def test_every_state_is_reachable_and_every_action_has_an_actor() -> None:
    reached = {Status.RECEIVED} | {
        after for edges in TRANSITIONS.values() for after in edges.values()
    }
    assert reached == set(Status)
    assert set(ACTORS) == set(Action)


def test_what_each_side_may_do() -> None:
    assert set(allowed_actions(Status.READ, Actor.PERSON)) == {Action.MESSAGE, Action.WITHDRAW}
    assert set(allowed_actions(Status.DECLINED, Actor.PERSON)) == set()
    provider = set(allowed_actions(Status.DELIVERED, P))
    assert {Action.READ, Action.REPLY, Action.ACCEPT, Action.DECLINE, Action.FORWARD} <= provider
    assert set(allowed_actions(Status.ACCEPTED, P)) == {
        Action.REPLY,
        Action.FORWARD,
        Action.COMPLETE,
    }


@given(st.sampled_from(list(Action)), st.sampled_from(list(Status)), st.sampled_from(list(Actor)))
def test_next_status_is_the_table_or_a_refusal(
    action: Action, status: Status, actor: Actor
) -> None:
    try:
        after = next_status(action, status, actor)
    except IllegalTransition:
        assert status not in TRANSITIONS.get(action, {}) or actor not in ACTORS[action]
    else:
        assert after == TRANSITIONS[action][status]
        assert after in OPEN or status in AWAITING | {Status.ACCEPTED} | CLOSED


# --------------------------------------------------------------------------- working days


def _at(day: date, hour: int = 15) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CITY_TIME)


def test_working_days_skip_weekends_and_saxon_holidays() -> None:
    assert not is_working_day(date(2026, 11, 18))  # Buß- und Bettag: Saxony only
    assert not is_working_day(date(2026, 10, 31))  # Reformationstag (a Saturday anyway)
    assert is_working_day(date(2026, 11, 17))
    # Friday 15:00 + 2 working days = Tuesday 15:00
    assert add_working_days(_at(date(2026, 11, 6)), 2) == _at(date(2026, 11, 10))
    # Tuesday before Buß- und Bettag + 2 = Friday (Wednesday is a holiday in Saxony)
    assert add_working_days(_at(date(2026, 11, 17)), 2) == _at(date(2026, 11, 20))
    # Maundy Thursday 2026 (2 April) + 2: Good Friday and Easter Monday skipped
    assert add_working_days(_at(date(2026, 4, 2)), 2) == _at(date(2026, 4, 8))


def test_working_days_keep_the_local_time_across_daylight_saving() -> None:
    friday = datetime(2026, 3, 27, 9, 30, tzinfo=CITY_TIME)  # clocks change on Sunday 29th
    later = add_working_days(friday.astimezone(UTC), 1)
    assert (later.date(), later.hour, later.minute) == (date(2026, 3, 30), 9, 30)


# --------------------------------------------------------------------------- links


@pytest.mark.django_db
def test_links_are_signed_and_answer_links_expire() -> None:
    token = tracking_token("SA-AAAA-BBBB")
    assert read_tracking(token) == "SA-AAAA-BBBB"
    for tampered in (token[:-1] + ("A" if token[-1] != "A" else "B"), "x" * 50, "", "a:b:c"):
        with pytest.raises(InquiryLinkInvalid):
            read_tracking(tampered)
    answer = answer_token("SA-AAAA-BBBB", "demo-1", "provider", now=1_000_000)
    with pytest.raises(InquiryLinkInvalid):
        read_tracking(answer)  # one kind of link is never taken for the other
    assert read_answer(answer, 30, now=1_000_000 + 29 * 86400).provider_id == "demo-1"
    with pytest.raises(InquiryLinkExpired, match="older than 30 days"):
        read_answer(answer, 30, now=1_000_000 + 31 * 86400)


# --------------------------------------------------------------------------- fields


def _draft(**overrides: object) -> Draft:
    values: dict[str, object] = {
        "provider_id": "demo-0001",
        "message": "Ich brauche Hilfe mit meinen Schulden.",
        "contact_email": "Person@Example.org",
        "consent": True,
    }
    values.update(overrides)
    return Draft(**values)  # type: ignore[arg-type]


def test_fields_are_normalised_and_refusals_name_the_field() -> None:
    clean = clean_draft(_draft(contact_phone="0371 / 488 12 34", name=" Anna\u202e "), 2)
    assert clean.contact_email == "person@example.org"
    assert clean.contact_phone == "+493714881234"
    assert clean.name == "Anna"  # the right-to-left override is gone
    cases: list[tuple[dict[str, object], str]] = [
        ({"consent": False}, "consent"),
        ({"message": "Hilfe"}, "message"),
        ({"contact_email": "not-an-address"}, "contact_email"),
        ({"contact_email": None, "contact_phone": None}, "contact_email"),
        ({"contact_email": None, "contact_phone": "12"}, "contact_phone"),
        ({"language": "deutsch!"}, "language"),
        ({"message": "Hilfe " * 50 + "http://a.example https://b.example www.c.example"}, "links"),
    ]
    for overrides, field in cases:
        with pytest.raises(InquiryInvalid, match=field):
            clean_draft(_draft(**overrides), 2)


def test_every_refused_field_is_named_with_a_code_at_once() -> None:
    with pytest.raises(InquiryInvalid) as raised:
        clean_draft(
            _draft(
                consent=False,
                message="Kurz",
                contact_email="kein-at",
                contact_phone="12",
                language="deutsch!",
                name="N" * 101,
            ),
            2,
        )
    assert raised.value.fields == {
        "consent": "consent_required",
        "message": "too_short",
        "contact_email": "invalid_email",
        "contact_phone": "invalid_phone",
        "language": "invalid_language",
        "name": "too_long",
    }
    for field in raised.value.fields:
        assert f"{field}: " in str(raised.value)  # the English detail names each one
    with pytest.raises(InquiryInvalid) as raised:
        clean_draft(_draft(contact_email=" ", contact_phone=None, message="x" * 4001), 2)
    assert raised.value.fields == {"message": "too_long", "contact_email": "contact_missing"}
    links = "Hilfe " * 5 + "https://a.example https://b.example https://c.example"
    with pytest.raises(InquiryInvalid) as raised:
        clean_draft(_draft(message=links), 2)
    assert raised.value.fields == {"message": "too_many_links"}


def test_links_are_counted_however_written() -> None:
    text = "see https://a.example/x, www.b.example and bit.ly/abc; mail me: anna@example.org"
    assert count_links(text) == 3


# --------------------------------------------------------------------------- encryption


def test_sealed_text_is_unreadable_without_the_key_and_keys_rotate() -> None:
    old, new = new_key(), new_key()
    sealed = FieldCipher([old.encode()]).seal("Schulden bei der Stadtwerke")
    assert "Schulden" not in sealed
    rotated = FieldCipher([new.encode(), old.encode()])
    assert rotated.open(sealed) == "Schulden bei der Stadtwerke"
    assert FieldCipher([new.encode()]).open(sealed) == UNREADABLE
    assert rotated.seal("") == "" and rotated.open("") == ""


def test_the_key_setting_is_checked_and_defaults_to_the_secret_key() -> None:
    derived = cipher_for(Settings(secret_key="s" * 40))
    assert cipher_for(Settings(secret_key="s" * 40)).open(derived.seal("x")) == "x"
    with pytest.raises(ConfigError, match="SOZIALATLAS_INQUIRY_KEYS"):
        cipher_for(Settings(inquiry_keys="not-a-key"))


def test_link_tokens_never_reach_the_logs() -> None:
    import logging

    from api.log_redaction import TokenRedaction
    from directory.inquiry_tokens import redact_tokens
    from sozialatlas.commands.processes import serve_command

    token = tracking_token("SA-AAAA-BBBB")
    for path in (f"/api/v1/inquiries/{token}", f"/api/v1/inquiries/{token}/withdraw"):
        assert token not in redact_tokens(path) and "[token]" in redact_tokens(path)
    assert redact_tokens("/api/v1/inquiries/provider/abc:d") == "/api/v1/inquiries/provider/[token]"
    assert redact_tokens("/api/v1/inquiries") == "/api/v1/inquiries"
    # the web pages the mails link to carry the same tokens
    for path in (f"/anfrage/{token}", f"/anfrage/{token}/nachricht", f"/antwort/{token}?ok=1"):
        assert token not in redact_tokens(path) and "[token]" in redact_tokens(path)
    assert redact_tokens("/p/t-00001/anfrage") == "/p/t-00001/anfrage"
    # gunicorn's access log, and Django's "Not Found: <path>" warnings
    command = serve_command(Settings())
    assert command[command.index("--logger-class") + 1] == "sozialatlas.access_log.AccessLogger"
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        "",
        0,
        "%s: %s",
        ("Not Found", f"/api/v1/inquiries/{token}"),
        None,
    )
    assert TokenRedaction().filter(record) and token not in record.getMessage()
