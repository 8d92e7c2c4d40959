"""Changes a provider proposes to its entry, and the editors' decision on them.

A proposal goes through the import's own cleaning and validation
(:func:`directory.records.clean_record`): the provider's values are put into the entry's
flat record, the record is cleaned (markup stripped, phone, e-mail and web address
normalised, lengths checked), and only the fields that differ from the entry as it is are
kept, with the entry as it was (``base``). Nothing changes until an editor approves.

Approval writes the record through :class:`directory.record_writer.RecordWriter`, like an
import, and announces the records it changed (:data:`directory.revisions.records_changed`)
so they are re-indexed after the commit. A field an editor changed after the proposal was
made is a *conflict*: it is approved only when the editor picked it explicitly, having
seen base, current and proposed value side by side; "approve all" refuses. The change
history names the provider as the source of what an approval writes (the editor, signed
in, as the user who approved it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from directory.confirmation_models import ChangeProposal, ConfirmationRequest, ProposalState
from directory.errors import ProposalConflict, ProposalInvalid, RecordError
from directory.exchange import read_stored, record_from_fields
from directory.history import Source
from directory.record_writer import RecordWriter
from directory.records import clean_record
from directory.revisions import records_changed

# What a provider may change, in the cleaned record's terms (the form's fields).
EDITABLE: tuple[str, ...] = (
    "name", "description", "phone", "email", "website", "street", "postal_code", "city",
    "district", "opening_hours_text", "languages", "wheelchair", "cost", "target_groups",
    "categories",
)  # fmt: skip
LISTS = ("languages", "target_groups", "categories")
ADDRESS = ("street", "postal_code", "city", "district")
# Fields that travel with another: the phone's display text with the number.
COMPANIONS: dict[str, tuple[str, ...]] = {"phone": ("phone_display",)}
# A change of these decides where the confirmation mails go: always an editor's decision.
OWNER_CONTACT = ("email",)


def _plain(value: Any) -> Any:
    """A value as JSON stores it (dates as ISO text), so stored and fresh values compare."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat()))


def current_fields(entry_id: str) -> dict[str, Any]:
    """The entry's cleaned fields as stored now; :class:`ProposalInvalid` if it is gone."""
    stored = read_stored([entry_id]).get(entry_id)
    if stored is None:
        raise ProposalInvalid("entry", "this entry is no longer in the directory")
    fields: dict[str, Any] = _plain(stored.fields)
    return fields


def form_values(fields: Mapping[str, Any]) -> dict[str, Any]:
    """What the self-service form shows for ``fields`` (lists as lines, phone as written)."""
    values = {key: fields.get(key) for key in EDITABLE}
    values["phone"] = fields.get("phone_display") or fields.get("phone") or ""
    for key in LISTS:
        values[key] = "\n".join(fields.get(key) or [])
    for key in ("email", "website", "cost"):
        values[key] = values[key] or ""
    return values


def _lines(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [
        line.strip() for line in str(value or "").replace(",", "\n").splitlines() if line.strip()
    ]


def _raw_record(fields: Mapping[str, Any], form: Mapping[str, Any]) -> dict[str, Any]:
    """The entry's exchange record with the form's values put in (as an import file has it)."""
    record = record_from_fields(fields, revision=0)
    record.pop("revision", None)
    record.pop("phone_display", None)
    for key in ("name", "description", "opening_hours_text", "phone", "email", "website"):
        if key in form:
            record[key] = str(form[key] or "").strip() or None
    record["name"] = record["name"] or ""
    record["description"] = record["description"] or ""
    record["opening_hours_text"] = record["opening_hours_text"] or ""
    if "cost" in form:
        record["cost"] = str(form["cost"] or "") or None
    for key in LISTS:
        if key in form:
            record[key] = _lines(form[key])
    for key in ADDRESS:
        if key in form:
            record["address"][key] = str(form[key] or "").strip()
    if "wheelchair" in form:
        record["accessibility"] = {"wheelchair": bool(form["wheelchair"])}
    return record


def clean_proposal(fields: Mapping[str, Any], form: Mapping[str, Any]) -> dict[str, Any]:
    """The cleaned fields that differ from ``fields``; :class:`ProposalInvalid` names the
    first field the import's validation refuses."""
    warnings: list[str] = []
    try:
        cleaned = _plain(clean_record(_raw_record(fields, form), warnings))
    except RecordError as exc:
        field, _, reason = str(exc).partition(":")
        raise ProposalInvalid(field.strip() or "form", reason.strip() or str(exc)) from exc
    for note in warnings:  # an import keeps the record; a provider can correct it now
        field, _, reason = note.partition(":")
        if field in ("phone", "email", "website"):
            raise ProposalInvalid(field, reason.strip())
    changed: dict[str, Any] = {}
    for key in EDITABLE:
        for name in (key, *COMPANIONS.get(key, ())):
            if cleaned.get(name) != fields.get(name):
                changed[name] = cleaned.get(name)
    return changed


def propose(
    entry_id: str,
    form: Mapping[str, Any],
    request: ConfirmationRequest | None = None,
    now: datetime | None = None,
) -> ChangeProposal | None:
    """Store the provider's changes for review (None: nothing differs from the entry)."""
    fields = current_fields(entry_id)
    changes = clean_proposal(fields, form)
    if not changes:
        return None
    return ChangeProposal.objects.create(
        entry_id=entry_id, request=request, base=fields, changes=changes,
        created=now or timezone.now(),
    )  # fmt: skip


def diff(proposal: ChangeProposal) -> list[dict[str, Any]]:
    """One row per proposed field: base, current and proposed value, and whether an editor
    changed it after the proposal was made (a conflict)."""
    try:
        current = current_fields(proposal.entry_id)
    except ProposalInvalid:
        current = {}
    rows = []
    for field, proposed in proposal.changes.items():
        base, now = proposal.base.get(field), current.get(field)
        rows.append({
            "field": field, "base": base, "current": now, "proposed": proposed,
            "conflict": now != base and now != proposed,
            "owner_contact": field in OWNER_CONTACT,
        })  # fmt: skip
    return rows


def conflicts(proposal: ChangeProposal) -> list[str]:
    return [row["field"] for row in diff(proposal) if row["conflict"]]


def _with_companions(fields: Iterable[str]) -> set[str]:
    chosen = set(fields)
    for field in list(chosen):
        chosen.update(COMPANIONS.get(field, ()))
    return chosen


def approve(
    proposal: ChangeProposal,
    editor: str,
    fields: Iterable[str] | None = None,
    today: date | None = None,
    now: datetime | None = None,
) -> list[str]:
    """Write the approved fields (all, or ``fields``) and return the changed record ids.

    Approving all refuses a proposal with conflicts (:class:`ProposalConflict`); fields
    picked one by one are the editor's explicit choice and are written as proposed.
    The entry counts as confirmed today: its provider just looked at all of it.
    """
    if proposal.state != ProposalState.OPEN:
        raise ProposalInvalid("state", f"this proposal is {proposal.state} already")
    explicit = fields is not None
    chosen = _with_companions(fields if fields is not None else proposal.changes)
    chosen &= set(proposal.changes)
    if not explicit and (clash := conflicts(proposal)):
        raise ProposalConflict(clash)
    now = now or timezone.now()
    with transaction.atomic():
        current = current_fields(proposal.entry_id)
        for field in chosen:
            current[field] = proposal.changes[field]
        current["updated_at"] = (today or timezone.localdate()).isoformat()
        record = record_from_fields(current, revision=0)
        record.pop("revision", None)
        try:
            cleaned = clean_record(record)
        except RecordError as exc:
            raise ProposalInvalid("record", str(exc)) from exc
        outcome = RecordWriter(source=Source.PROVIDER).write([(cleaned, None)])
        if outcome.changed:
            records_changed.send(sender=ChangeProposal, ids=outcome.changed)
        everything = chosen >= set(proposal.changes)
        proposal.state = ProposalState.APPROVED if everything else ProposalState.PARTLY
        proposal.approved_fields = sorted(chosen)
        proposal.reviewed_at, proposal.reviewed_by = now, editor[:150]
        proposal.save()
    return outcome.changed


def reject(proposal: ChangeProposal, editor: str, note: str, now: datetime | None = None) -> None:
    if proposal.state != ProposalState.OPEN:
        raise ProposalInvalid("state", f"this proposal is {proposal.state} already")
    proposal.state = ProposalState.REJECTED
    proposal.note = note[:2000]
    proposal.reviewed_at, proposal.reviewed_by = now or timezone.now(), editor[:150]
    proposal.save()
