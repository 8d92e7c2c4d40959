"""``GET /providers/{id}``: one provider as the public site shows it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema

from analyzers import taxonomy
from api.errors import NotFound
from configuration.languages import UiLanguage
from directory.models import Provider

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
    row = Provider.objects.filter(id=provider_id[:32]).first()
    if row is None:
        raise NotFound(f"no provider with id {provider_id[:32]!r}")
    record = row.to_record()
    record["categories"] = [
        Category(code=c, label=taxonomy.label(c, params.lang)) for c in record["categories"]
    ]
    record["wheelchair"] = row.wheelchair
    record["opening_hours_text"] = row.opening_hours_text or ""
    return ProviderOut(**record)
