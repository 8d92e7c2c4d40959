"""The tabular form of HSDS: one CSV per object type and the Data Package that lists them.

Columns are those of the official CSV examples (the one-to-one fields of each schema, in
the schema's order), so a consumer's CSV reader needs no mapping. Nested objects become
rows of their own table, linked by the ids the nested objects already carry
(``service_id``, ``location_id``, ``link_id``). ``datapackage.json`` follows the
Frictionless Tabular Data Package: per file its columns, their types, primary and
foreign keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Table:
    name: str  # the HSDS object ("service"), the resource name in datapackage.json
    path: str  # the CSV file
    columns: tuple[str, ...]
    numbers: tuple[str, ...] = ()


TABLES: tuple[Table, ...] = (
    Table("organization", "organizations.csv", (
        "id", "name", "alternate_name", "description", "email", "website", "tax_status",
        "tax_id", "year_incorporated", "legal_status", "logo", "uri", "parent_organization_id",
    ), ("year_incorporated",)),
    Table("service", "services.csv", (
        "id", "organization_id", "program_id", "name", "alternate_name", "description", "url",
        "email", "status", "interpretation_services", "application_process",
        "fees_description", "wait_time", "fees", "accreditations", "eligibility_description",
        "minimum_age", "maximum_age", "assured_date", "assurer_email", "licenses", "alert",
        "last_modified",
    ), ("minimum_age", "maximum_age")),
    Table("attribute", "attributes.csv", (
        "id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value",
    )),
    Table("service_at_location", "service_at_location.csv", (
        "id", "service_id", "location_id", "description",
    )),
    Table("location", "locations.csv", (
        "id", "location_type", "url", "organization_id", "name", "alternate_name",
        "description", "transportation", "latitude", "longitude", "external_identifier",
        "external_identifier_type",
    ), ("latitude", "longitude")),
    Table("phone", "phones.csv", (
        "id", "location_id", "service_id", "organization_id", "contact_id",
        "service_at_location_id", "number", "extension", "type", "description",
    ), ("extension",)),
    Table("address", "addresses.csv", (
        "id", "location_id", "attention", "address_1", "address_2", "city", "region",
        "state_province", "postal_code", "country", "address_type",
    )),
    Table("schedule", "schedules.csv", (
        "id", "service_id", "location_id", "service_at_location_id", "valid_from", "valid_to",
        "dtstart", "timezone", "until", "count", "wkst", "freq", "interval", "byday",
        "byweekno", "bymonthday", "byyearday", "description", "opens_at", "closes_at",
        "schedule_link", "attending_type", "notes",
    ), ("timezone", "count", "interval")),
    Table("language", "languages.csv", (
        "id", "service_id", "location_id", "phone_id", "name", "code", "note",
    )),
    Table("accessibility", "accessibility.csv", (
        "id", "location_id", "description", "details", "url",
    )),
    Table("taxonomy_term", "taxonomy_terms.csv", (
        "id", "code", "name", "description", "parent_id", "taxonomy", "language",
        "taxonomy_id", "term_uri",
    )),
    Table("cost_option", "cost_options.csv", (
        "id", "service_id", "valid_from", "valid_to", "option", "currency", "amount",
        "amount_description",
    ), ("amount",)),
    Table("taxonomy", "taxonomies.csv", ("id", "name", "description", "uri", "version")),
)  # fmt: skip
TABLE = {table.name: table for table in TABLES}

# Columns that hold the id of another table's row (the Data Package's foreign keys).
_REFERENCES = {
    "organization_id": "organization", "service_id": "service", "location_id": "location",
    "service_at_location_id": "service_at_location", "taxonomy_term_id": "taxonomy_term",
    "taxonomy_id": "taxonomy", "phone_id": "phone", "parent_organization_id": "organization",
}  # fmt: skip
_FORMATS = {"url": "uri", "website": "uri", "uri": "uri", "logo": "uri", "term_uri": "uri",
            "schedule_link": "uri", "email": "email", "assurer_email": "email"}  # fmt: skip


def row(table: Table, item: Mapping[str, Any]) -> dict[str, Any]:
    """The CSV row of one object: its one-to-one fields in the table's columns."""
    return {column: item.get(column) for column in table.columns}


def service_rows(service: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The rows one fully nested service contributes to each table."""
    out: dict[str, list[dict[str, Any]]] = {"service": [row(TABLE["service"], service)]}
    for name, key in (("phone", "phones"), ("schedule", "schedules"),
                      ("language", "languages"), ("cost_option", "cost_options"),
                      ("attribute", "attributes")):  # fmt: skip
        out[name] = [row(TABLE[name], item) for item in service.get(key, [])]
    out["service_at_location"], out["location"] = [], []
    out["address"], out["accessibility"] = [], []
    for at_location in service.get("service_at_locations", []):
        out["service_at_location"].append(row(TABLE["service_at_location"], at_location))
        place = at_location["location"]
        out["location"].append(row(TABLE["location"], place))
        out["address"] += [row(TABLE["address"], a) for a in place.get("addresses", [])]
        out["accessibility"] += [
            row(TABLE["accessibility"], a) for a in place.get("accessibility", [])
        ]
    return out


def cell(value: Any) -> str:
    """A CSV cell: empty for an absent value, numbers as JSON writes them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _field(table: Table, column: str) -> dict[str, Any]:
    field: dict[str, Any] = {
        "name": column,
        "type": "number" if column in table.numbers else "string",
    }
    if column == "id" or column.endswith("_id"):
        field["format"] = "uuid"
    elif column in _FORMATS:
        field["format"] = _FORMATS[column]
    if column == "id":
        field["constraints"] = {"required": True, "unique": True}
    return field


def _resource(table: Table, written: set[str]) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [_field(table, column) for column in table.columns],
        "primaryKey": "id",
    }
    references = [
        {"fields": column, "reference": {"resource": _REFERENCES[column], "fields": "id"}}
        for column in table.columns
        if _REFERENCES.get(column) in written
    ]
    if table.name == "taxonomy_term":
        references.append(
            {"fields": "parent_id", "reference": {"resource": "taxonomy_term", "fields": "id"}}
        )
    if references:
        schema["foreignKeys"] = references
    return {
        "name": table.name,
        "path": table.path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def datapackage(tables: Iterable[Table]) -> dict[str, Any]:
    """The Data Package descriptor listing the CSV files of ``tables``."""
    chosen = list(tables)
    written = {table.name for table in chosen}
    return {
        "name": "sozialatlas-hsds",
        "title": "Sozialatlas – Open Referral HSDS 3.0",
        "profile": "tabular-data-package",
        "resources": [_resource(table, written) for table in chosen],
    }
