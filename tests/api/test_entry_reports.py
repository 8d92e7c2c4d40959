"""Error reports on entries and their freshness, through Django's test client against the
real services (Redis for the rate limits, the run's SQLite database, no JavaScript).

The form on the provider page and ``POST /api/v1/providers/{id}/reports`` feed the editors'
queue in the admin, grouped per entry; "Last confirmed" and the stale hint on the page; the
freshness panel of the analysts' dashboard.
"""

from __future__ import annotations

import html
import re
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from api.partners import create_key
from api.ratelimit import reset_breaker
from directory.entry_models import EntryReport, ReportStatus
from directory.freshness import months_before
from tests.factories import provider

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
PORTAL = "https://portal.example.org"
NOTE = "Die Nummer ist seit Mai nicht mehr vergeben."


@pytest.fixture(autouse=True)
def _no_fill_time(settings: Any, services: Any) -> None:
    """The test client fills the form at once; the fill-time guard is the inquiry form's,
    tested there. Rate limiting asks Redis again (a fault test may have tripped it)."""
    settings.INQUIRY_MIN_FILL_SECONDS = 0
    reset_breaker()


def _client(lang: str = "de") -> Client:
    return Client(REMOTE_ADDR=f"203.0.113.{uuid.uuid4().int % 250 + 1}", HTTP_ACCEPT_LANGUAGE=lang)


def _text(page: Any) -> str:
    return html.unescape(page.content.decode())


def _token(page: str) -> str:
    found = re.search(r'id="report-form".*?name="form_token" value="([^"]+)"', page, re.S)
    assert found, "the report form carries no token"
    return found.group(1)


def _report(client: Client, entry_id: str, **fields: Any) -> Any:
    page = client.get(f"/p/{entry_id}").content.decode()
    body = {"kind": "phone", "note": NOTE, "website": "", "form_token": _token(page), **fields}
    return client.post(f"/p/{entry_id}/fehler", {k: v for k, v in body.items() if v is not None})


def _note(report: EntryReport) -> str:
    return str(django_settings.INQUIRIES.cipher.open(report.note_sealed))


def _api(client: Client, entry_id: str, key: str | None = None, **body: Any) -> Any:
    headers = {"X-Api-Key": key, "Origin": PORTAL} if key else {}
    path = f"/api/v1/providers/{entry_id}/reports"
    return client.post(path, body, content_type="application/json", headers=headers)


@pytest.mark.parametrize(
    ("lang", "title", "direction"),
    [
        ("de", "Stimmt etwas nicht an diesem Eintrag?", 'dir="ltr"'),
        ("ar", "هل هناك خطأ في هذا الإدخال؟", 'dir="rtl"'),
    ],
)
def test_the_form_renders_in_the_page_language(lang: str, title: str, direction: str) -> None:
    office = provider()
    page = _client(lang).get(f"/p/{office.id}")
    shown = _text(page)
    assert page.status_code == 200
    assert f'<html lang="{lang}" {direction}>' in shown
    assert f'<h2 id="sec-report">{title}</h2>' in shown
    form = shown[shown.index('id="report-form"') :]
    assert f'action="/p/{office.id}/fehler?lang={lang}" method="post"' in shown
    assert len(re.findall(r'name="kind" type="radio"', form)) == 5
    assert '<label for="r-kind-closed">' in form and 'name="note"' in form
    assert 'class="hp"' in form and 'name="website"' in form  # the honeypot
    assert "<script" not in form  # works without JavaScript


def test_reports_reach_the_queue_grouped_per_entry_and_editors_close_them() -> None:
    phone_wrong, calm = provider(name="Tafel Nord"), provider(name="Tafel Süd")
    visitor = _client()
    sent = _report(visitor, phone_wrong.id, kind="phone")
    assert sent.status_code == 303 and "gemeldet=1" in sent["Location"]
    assert "Danke! Ihre Meldung ist bei der Redaktion angekommen." in _text(
        visitor.get(sent["Location"])
    )
    assert _report(_client(), phone_wrong.id, kind="hours", note="").status_code == 303
    _, key = create_key("Caritas Portal", [PORTAL])
    answer = _api(_client(), phone_wrong.id, key, kind="closed", note="Seit Juli geschlossen")
    assert answer.status_code == 201, answer.content
    assert answer.json()["kind"] == "closed" and answer.json()["status"] == "open"
    assert _api(_client(), calm.id, kind="address").status_code == 201
    channels = set(EntryReport.objects.values_list("channel", flat=True))
    assert channels == {"web", "api", "partner:Caritas Portal"}

    editor = Client()
    editor.force_login(get_user_model().objects.create_superuser("redaktion", password="x-1"))
    queue = _text(editor.get("/admin/api/reportedentry/"))
    rows = re.findall(r"<tr>.*?</tr>", queue, re.S)
    wrong_row = next(r for r in rows if phone_wrong.id in r)
    assert len([r for r in rows if phone_wrong.id in r]) == 1  # one row per entry
    assert "Tafel Nord" in wrong_row and ">3<" in wrong_row
    assert "closed, hours, phone" in wrong_row and "Seit Juli geschlossen" in wrong_row
    assert ">1<" in next(r for r in rows if calm.id in r)

    newest = EntryReport.objects.filter(entry_id=phone_wrong.id).order_by("-created").first()
    assert newest is not None
    action = {"action": "mark_resolved", "_selected_action": [newest.pk]}
    asked = editor.post("/admin/api/reportedentry/", action)
    assert asked.status_code == 200 and 'name="resolution_note"' in asked.content.decode()
    assert "3 open report(s)" in _text(asked)
    done = editor.post(
        "/admin/api/reportedentry/",
        {**action, "apply": "1", "resolution_note": "Nummer korrigiert"},
    )
    assert done.status_code == 302
    closed = EntryReport.objects.filter(entry_id=phone_wrong.id)
    assert {r.status for r in closed} == {ReportStatus.RESOLVED}
    assert {(r.closed_by, r.resolution_note) for r in closed} == {
        ("redaktion", "Nummer korrigiert")
    }
    assert all(r.closed_at is not None for r in closed)
    assert phone_wrong.id not in _text(editor.get("/admin/api/reportedentry/"))

    single = EntryReport.objects.get(entry_id=calm.id)
    editor.post(
        "/admin/api/entryreport/",
        {"action": "mark_dismissed", "_selected_action": [single.pk], "apply": "1",
         "resolution_note": "Adresse stimmt"},
    )  # fmt: skip
    single.refresh_from_db()
    assert single.status == ReportStatus.DISMISSED and single.resolution_note == "Adresse stimmt"
    history = _text(editor.get("/admin/api/entryreport/", {"entry_id": phone_wrong.id}))
    assert history.count("resolved") >= 3


def test_html_is_stripped_and_personal_data_redacted() -> None:
    office = provider()
    note = (
        "<b>Falsche</b> Nummer<script>alert(1)</script>. Ich bin Anna, "
        "rufen Sie mich an: 0171 2345678 oder anna.k@example.org"
    )
    assert _report(_client(), office.id, note=note).status_code == 303
    report = EntryReport.objects.get(entry_id=office.id)
    stored = _note(report)
    assert stored.startswith("Falsche Nummer") and "<" not in stored and "alert" not in stored
    assert "[phone]" in stored and "[email]" in stored
    assert "2345678" not in stored and "anna.k" not in stored
    assert "Falsche" not in report.note_sealed  # sealed at rest
    api = _api(_client(), office.id, kind="other", note="Mail an <i>x@y.de</i>, Tel 0371/4433221")
    assert api.status_code == 201
    latest = EntryReport.objects.filter(entry_id=office.id).order_by("-id").first()
    assert latest is not None
    assert _note(latest).startswith("Mail an [email]") and _note(latest).endswith("Tel [phone]")
    assert "<i>" not in _note(latest) and "4433221" not in _note(latest)


def test_missing_kind_and_long_note_are_refused_in_the_page_language() -> None:
    office = provider()
    client = _client("en")
    refused = _report(client, office.id, kind=None, note="Kept text")
    page = _text(refused)
    assert refused.status_code == 422 and "Please choose what is wrong." in page
    assert ">Kept text</textarea>" in page and 'aria-invalid="true"' in page
    long = _report(client, office.id, note="x" * 1001)
    assert long.status_code == 422 and "This text is too long." in _text(long)
    api = _api(_client(), office.id, kind="broken")
    assert api.status_code == 422 and "kind" in str(api.json()["detail"])
    assert _api(_client(), "no-such-entry", kind="phone").status_code == 404
    assert not EntryReport.objects.exists()


def test_honeypot_refuses_with_a_clear_message() -> None:
    office = provider()
    trapped = _report(_client(), office.id, website="https://spam.example")
    assert trapped.status_code == 400 and "verstecktes Feld" in _text(trapped)
    assert f">{NOTE}</textarea>" in _text(trapped)  # kept for a person to send again
    api = _api(_client(), office.id, kind="phone", website="x")
    assert api.status_code == 400 and api.json()["error"] == "rejected"
    assert not EntryReport.objects.exists()


def test_rate_limits_per_client_and_per_entry(settings: Any) -> None:
    settings.RATE_LIMIT_REPORT_CLIENT = "2/h"
    office, other = provider(), provider()
    client = _client()
    assert [_report(client, e).status_code for e in (office.id, other.id)] == [303, 303]
    busy = _report(client, office.id)
    assert busy.status_code == 429 and int(busy["Retry-After"]) > 0
    assert "Gerade kommen zu viele Meldungen an." in _text(busy)
    assert f">{NOTE}</textarea>" in _text(busy)
    assert _report(_client(), office.id).status_code == 303  # another client may

    settings.RATE_LIMIT_REPORT_CLIENT = ""
    settings.RATE_LIMIT_REPORT_ENTRY = "2/h"
    target = provider()
    codes = [_api(_client(), target.id, kind="hours").status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    limited = _api(_client(), target.id, kind="hours")
    assert limited.json()["error"] == "too_many_requests" and int(limited["Retry-After"]) > 0
    assert EntryReport.objects.filter(entry_id=target.id).count() == 2


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("de", 'Zuletzt bestätigt: <time datetime="2026-03-15">März 2026</time>'),
        ("en", 'Last confirmed: <time datetime="2026-03-15">March 2026</time>'),
    ],
)
def test_last_confirmed_is_month_and_year_in_the_page_language(lang: str, expected: str) -> None:
    office = provider(updated_at="2026-03-15")
    assert expected in _text(_client(lang).get(f"/p/{office.id}"))


def test_an_entry_not_confirmed_for_a_year_shows_a_gentle_hint(settings: Any) -> None:
    today = timezone.localdate()
    old = provider(updated_at=(months_before(today, 12) - timedelta(days=1)).isoformat())
    recent = provider(updated_at=months_before(today, 2).isoformat())
    never = provider(updated_at=None)
    hint = "Dieser Eintrag wurde länger nicht bestätigt."

    def page(entry: Any) -> str:
        return _text(_client().get(f"/p/{entry.id}"))

    shown = page(old)
    assert hint in shown and 'id="stale-hint"' in shown
    assert '<a href="#entry-report">Fehler in diesem Eintrag melden</a>' in shown
    assert hint not in page(recent)
    assert hint in page(never) and "Zuletzt bestätigt: unbekannt" in page(never)
    settings.FRESHNESS_STALE_MONTHS = 1
    assert hint in page(recent)


def test_the_dashboard_shows_the_freshness_figures() -> None:
    today = timezone.localdate()
    provider(updated_at=months_before(today, 1).isoformat())
    provider(updated_at=months_before(today, 8).isoformat())
    provider(updated_at=None)
    reported = provider(updated_at=months_before(today, 30).isoformat())
    assert _api(_client(), reported.id, kind="phone").status_code == 201
    staff = Client()
    staff.force_login(get_user_model().objects.create_user("analyst", password="pw", is_staff=True))
    shown = _text(staff.get("/analytics/", {"lang": "de"}))
    assert "Aktualität der Einträge" in shown

    def row(figure: str) -> list[str]:
        found = re.search(rf'data-figure="{figure}">(.*?)</tr>', shown, re.S)
        assert found, figure
        return re.findall(r'<td dir="ltr">([^<]*)</td>', found.group(1))

    assert row("fresh_entries") == ["4", "100,0 %"]
    assert row("fresh_6m") == ["1", "25,0 %"]
    assert row("fresh_12m") == ["2", "50,0 %"]
    assert row("fresh_over_2y") == ["1", "25,0 %"] and row("fresh_never") == ["1", "25,0 %"]
    assert row("fresh_open_reports") == ["1", ""] and row("fresh_median") == ["–", ""]


def test_notes_of_closed_reports_are_emptied_after_the_retention() -> None:
    from directory.entry_reports import close_reports, purge_report_notes

    office = provider()
    assert _report(_client(), office.id).status_code == 303
    assert _report(_client(), office.id, kind="hours").status_code == 303
    first, second = EntryReport.objects.filter(entry_id=office.id).order_by("id")
    closed_at = timezone.now()
    one = EntryReport.objects.filter(pk=first.pk)
    assert close_reports(one, ReportStatus.RESOLVED, "erledigt", "redaktion", now=closed_at) == 1
    assert purge_report_notes(90, now=closed_at + timedelta(days=89)) == 0  # not yet
    assert purge_report_notes(90, now=closed_at + timedelta(days=91)) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.note_sealed == "" and first.resolution_note == "erledigt"
    assert _note(second) == NOTE  # still open: kept for the editors
