"""The detail rows of services (phones, schedules, languages, categories, cost options)
from their flat fields: one list of rows per table, written in bulk.

Kept apart from :mod:`directory.record_writer`, which decides *which* records, services,
organisations and locations change; this module only says what a service's details are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import models

from directory.detail_models import Attribute, CostOption, Language, Phone, Schedule
from directory.hsds_schedules import byday
from directory.rows import delete_rows, insert_rows

FREE = "kostenlos"
DETAIL_MODELS: tuple[type[models.Model], ...] = (Phone, Schedule, Language, Attribute, CostOption)


def detail_rows(
    services: Mapping[str, Mapping[str, Any]], terms: Mapping[str, str]
) -> dict[type[models.Model], list[dict[str, Any]]]:
    """The rows of every detail table for ``services`` (flat fields by service id);
    ``terms`` gives the taxonomy term id of each category code."""
    phones: list[dict[str, Any]] = []
    schedules: list[dict[str, Any]] = []
    languages: list[dict[str, Any]] = []
    attributes: list[dict[str, Any]] = []
    costs: list[dict[str, Any]] = []
    for sid, f in services.items():
        if f["phone"] is not None or f["phone_display"] is not None:
            phones.append({"service_id": sid, "position": 0, "number": f["phone"],
                           "display": f["phone_display"] or ""})  # fmt: skip
        text = f["opening_hours_text"]
        for number, slot in enumerate(f["opening_hours"]):
            schedules.append({
                "service_id": sid, "position": number, "freq": "WEEKLY",
                "byday": byday(slot["days"]), "opens_at": slot["opens"],
                "closes_at": slot["closes"], "valid_from": slot.get("valid_from"),
                "valid_to": slot.get("valid_to"), "description": text,
            })  # fmt: skip
        if text and not f["opening_hours"]:
            schedules.append({"service_id": sid, "position": 0, "freq": "", "byday": "",
                              "description": text})  # fmt: skip
        languages += [{"service_id": sid, "position": n, "code": code}
                      for n, code in enumerate(f["languages"])]  # fmt: skip
        attributes += [{"service_id": sid, "position": n, "term_id": terms[code]}
                       for n, code in enumerate(f["categories"])]  # fmt: skip
        if f["cost"] == FREE:
            costs.append({"service_id": sid, "option": FREE, "amount": 0.0,
                          "currency": "EUR"})  # fmt: skip
    return {Phone: phones, Schedule: schedules, Language: languages, Attribute: attributes,
            CostOption: costs}  # fmt: skip


def write_details(
    services: Mapping[str, Mapping[str, Any]], terms: Mapping[str, str], replaced: Sequence[str]
) -> None:
    """Insert the detail rows of ``services``; those of the ``replaced`` ones go first."""
    if replaced:
        for model in DETAIL_MODELS:
            delete_rows(model, "service_id", replaced)
    for model, rows in detail_rows(services, terms).items():
        insert_rows(model, rows)
