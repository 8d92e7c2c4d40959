"""The change history of the records and the source of each change (issue 15, part 3).

Every path that changes a record leaves a historical row (django-simple-history) naming
its source: the importer ``import``, the admin ``editor``, the provider's self-service page
and approved proposals ``provider``, an editor correcting an entry from the report queue
``report``. The admin's history page of a service lists them all.
"""

from __future__ import annotations

import uuid
from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from directory.confirmation_models import ChangeProposal, ConfirmationRequest
from directory.confirmations import link_token
from directory.entry_reports import file_report
from directory.importer import import_records
from directory.models import Service, ServiceAtLocation
from directory.proposals import propose
from tests.factories import record

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


class _Form(HTMLParser):
    """The values a browser would send for the admin's change form, as the page has them."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            ticked = a.get("type") in ("checkbox", "radio")
            if ticked and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value", "on" if ticked else ""))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.data[self._textarea][0] = self.data[self._textarea][0].removeprefix("\n")
            self._textarea = None


def _change_form(admin: Client, url: str) -> dict[str, Any]:
    page = admin.get(url)
    assert page.status_code == 200
    form = _Form()
    form.feed(page.content.decode())
    return {k: v if len(v) != 1 else v[0] for k, v in form.data.items()}


def _errors(response: Any) -> Any:
    context = response.context_data
    return context["errors"], [f.formset.errors for f in context["inline_admin_formsets"]]


def _editor() -> Client:
    editor = User.objects.create_superuser("redaktion", "r@example.org", "pw-123456789")
    admin = Client()
    admin.force_login(editor)
    return admin


def _sources(service_id: str) -> list[tuple[str, str]]:
    """(history type, source) of the service's historical rows, oldest first."""
    rows = Service.history.filter(id=service_id).order_by("history_date", "history_id")
    return list(rows.values_list("history_type", "history_change_reason"))


def _import(**overrides: Any) -> ServiceAtLocation:
    item = record(**overrides)
    report = import_records([(1, item)], source="test")
    assert report.rejected == 0
    return ServiceAtLocation.objects.select_related("service").get(id=item["id"])


def test_an_import_writes_history_rows_in_bulk_with_the_source_import() -> None:
    name = f"Suchtberatung {uuid.uuid4().hex[:6]}"
    entry = _import(name=name, organization=f"Träger {uuid.uuid4().hex[:6]}")
    sid = entry.service_id
    assert _sources(sid) == [("+", "import")]
    [created] = Service.history.filter(id=sid)
    assert created.name == name and created.history_user is None
    for model, pk in ((ServiceAtLocation, entry.id), (Service, sid)):
        assert model.history.filter(id=pk, history_change_reason="import").exists()
    assert entry.service.organization.history.get().history_change_reason == "import"
    assert entry.location is not None
    assert entry.location.history.get().history_change_reason == "import"

    # A second import changing the record: a "changed" row with the new and the old value.
    again = record(id=entry.id, name=f"{name} (neu)", organization=entry.service.organization.name)
    import_records([(1, again)], source="test")
    assert _sources(sid) == [("+", "import"), ("~", "import")]
    newest = Service.history.filter(id=sid).latest("history_date", "history_id")
    delta = newest.diff_against(newest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("name", name, f"{name} (neu)")]
    # Unchanged on a third import: no row at all.
    import_records([(1, again)], source="test")
    assert len(_sources(sid)) == 2


def test_editor_provider_and_approval_each_leave_their_source_on_the_history_page(
    worker: Any,
) -> None:
    entry = _import(name=f"Wohnungsnotfallhilfe {uuid.uuid4().hex[:6]}", updated_at="2024-01-10")
    sid = entry.service_id
    admin = _editor()

    # An editor changes the description in the admin.
    url = f"/admin/api/service/{sid}/change/"
    form = _change_form(admin, url)
    form["description"] = "Beratung und Notunterkunft, neu beschrieben von der Redaktion."
    saved = admin.post(url, form)
    assert saved.status_code == 302, _errors(saved)
    assert _sources(sid)[-1] == ("~", "editor")
    edited = Service.history.filter(id=sid).latest("history_date", "history_id")
    assert edited.history_user is not None and edited.history_user.username == "redaktion"

    # The provider says "still correct" on the self-service page.
    now = timezone.now()
    request = ConfirmationRequest.objects.create(
        service_id=sid, entry_id=entry.id, created=now, last_sent=now
    )
    page = Client(REMOTE_ADDR="198.51.100.77")
    sent = page.post(f"/eintrag/{link_token(request)}/senden", {"action": "confirm"})
    assert sent.status_code == 303
    assert _sources(sid)[-1] == ("~", "provider")
    confirmed = Service.history.filter(id=sid).latest("history_date", "history_id")
    assert confirmed.history_user is None and confirmed.assured_date is not None
    assert str(confirmed.prev_record.assured_date) == "2024-01-10"

    # The provider proposes a new phone number; the editor approves it.
    proposal = propose(entry.id, {"phone": "0371 9998877"}, request=request)
    assert proposal is not None and proposal.changes["phone"] == "+493719998877"
    before = len(_sources(sid))
    approved = admin.post(f"/admin/api/changeproposal/{proposal.pk}/change/", {"approve_all": "1"})
    assert approved.status_code == 302
    assert ChangeProposal.objects.get(pk=proposal.pk).state == "approved"
    assert _sources(sid)[before:] == [("~", "provider")]
    assert ServiceAtLocation.history.filter(
        id=entry.id, history_change_reason="provider", history_user__username="redaktion"
    ).exists()

    history = admin.get(f"/admin/api/service/{sid}/history/")
    text = history.content.decode()
    assert history.status_code == 200
    for source in ("import", "editor", "provider"):
        assert f">{source}<" in text.replace(" ", "").replace("\n", ""), source
    assert text.count("redaktion") >= 2  # the edit and the approval, by whom


def test_an_edit_from_the_report_queue_is_recorded_as_the_reports_resolution(
    worker: Any,
) -> None:
    entry = _import(name=f"Tafel {uuid.uuid4().hex[:6]}")
    file_report(entry.id, "hours", None, settings.INQUIRIES.cipher)
    admin = _editor()
    queue = admin.get("/admin/api/reportedentry/").content.decode()
    url = f"/admin/api/service/{entry.service_id}/change/?source=report"
    assert url.replace("&", "&amp;") in queue
    form = _change_form(admin, url)
    form["name"] = f"{entry.service.name} (Ausgabe geschlossen)"
    assert admin.post(url, form).status_code == 302
    assert _sources(entry.service_id)[-1] == ("~", "report")
