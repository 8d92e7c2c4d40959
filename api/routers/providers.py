"""``GET /providers/{id}``: one provider as the public site shows it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema

from analyzers import taxonomy
from api.errors import NotFound
from configuration.languages import UiLanguage
from directory.models import ServiceAtLocation

router = Router(tags=["providers"])


class Category(Schema):
    code: str
    label: str


class ProviderOut(Schema):
    id: str
    name: str
    organization: str
    description: str
    categories: list[Category]
    target_groups: list[str]
    languages: list[str]
    address: dict[str, str]
    location: dict[str, float] | None
    phone: str | None
    phone_display: str | None
    email: str | None
    website: str | None
    opening_hours: list[dict[str, Any]]
    opening_hours_text: str
    wheelchair: bool
    cost: str | None
    appointment_required: bool
    online_counselling: bool
    updated_at: str | None


class LangParam(Schema):
    lang: UiLanguage = "de"


@router.get("/{provider_id}", response=ProviderOut, summary="One provider")
def get_provider(
    request: HttpRequest, provider_id: Path[str], params: Query[LangParam]
) -> ProviderOut:
    found = ServiceAtLocation.load_records([provider_id[:32]])
    if not found:
        raise NotFound(f"no provider with id {provider_id[:32]!r}")
    record = found[0]
    record["categories"] = [
        Category(code=c, label=taxonomy.label(c, params.lang)) for c in record["categories"]
    ]
    record["wheelchair"] = record["accessibility"]["wheelchair"]
    record["opening_hours_text"] = record["opening_hours_text"] or ""
    return ProviderOut(**record)
