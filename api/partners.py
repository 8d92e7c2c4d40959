"""Partner and analyst keys: create (the key is shown once), list, revoke.

The same functions serve ``sozialatlas partners …`` and the staff-only ``/api/v1/partners``
endpoints.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema
from ninja.responses import Status

from api.auth import generate_key, hash_key, mark_revoked, normalize_origin, staff_auth
from api.errors import ApiError, NotFound
from configuration.rates import check_rate
from configuration.settings import ConfigError
from directory.models import ApiKey

MAX_ORIGINS = 20


def _check_rate(rate: str) -> str:
    rate = rate.strip()
    try:
        check_rate("rate", rate)
    except ConfigError as exc:
        raise ApiError(f"rate {rate!r} must look like 600/min") from exc
    return rate


def create_key(
    name: str, origins: Iterable[str] = (), rate: str = "", kind: str = ApiKey.Kind.PARTNER
) -> tuple[ApiKey, str]:
    """A new key; returns the row and the plain key, which is not stored anywhere."""
    name = name.strip()
    if not name or len(name) > 100:
        raise ApiError("the name must have 1 to 100 characters")
    if kind not in ApiKey.Kind.values:
        raise ApiError(f"kind must be one of {', '.join(ApiKey.Kind.values)}")
    cleaned = list(dict.fromkeys(normalize_origin(o) for o in origins))
    if kind == ApiKey.Kind.PARTNER and not cleaned:
        raise ApiError("a partner key needs at least one --origin (its portal's address)")
    if kind == ApiKey.Kind.ANALYST and cleaned:
        raise ApiError("analyst keys are for servers and scripts: they take no origins")
    if len(cleaned) > MAX_ORIGINS:
        raise ApiError(f"at most {MAX_ORIGINS} origins per key")
    key = generate_key()
    row = ApiKey.objects.create(
        name=name,
        kind=kind,
        key_hash=hash_key(key),
        key_prefix=key[:10],
        origins=cleaned,
        rate=_check_rate(rate),
    )
    return row, key


def list_keys(include_revoked: bool = True) -> list[ApiKey]:
    rows = ApiKey.objects.order_by("id")
    if not include_revoked:
        rows = rows.filter(revoked_at__isnull=True)
    return list(rows)


def revoke_key(key_id: int) -> ApiKey:
    row = ApiKey.objects.filter(id=key_id).first() if 0 < key_id < 2**62 else None
    if row is None:
        raise NotFound(f"no key with id {key_id}")
    mark_revoked(row)
    return row


# --- staff-only HTTP endpoints (mounted at /api/v1/partners) ---

router = Router(tags=["partners"], auth=staff_auth)


class KeyOut(Schema):
    id: int
    name: str
    kind: str
    key_prefix: str
    origins: list[str]
    rate: str
    created: str
    revoked_at: str | None


class KeyCreated(KeyOut):
    key: str = Field(description="The key itself: shown only now, store it safely")


class KeyIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    kind: Literal["partner", "analyst"] = "partner"
    origins: list[str] = Field([], max_length=MAX_ORIGINS)
    rate: str = Field("", max_length=20, description='e.g. "600/min"; empty = the default')


def to_out(row: ApiKey) -> KeyOut:
    return KeyOut(
        id=row.id,
        name=row.name,
        kind=row.kind,
        key_prefix=row.key_prefix,
        origins=list(row.origins),
        rate=row.rate,
        created=row.created.isoformat(),
        revoked_at=row.revoked_at.isoformat() if row.revoked_at else None,
    )


@router.get("", response=list[KeyOut], summary="All partner and analyst keys")
def keys(request: HttpRequest) -> list[KeyOut]:
    return [to_out(row) for row in list_keys()]


@router.post("", response={201: KeyCreated}, summary="Create a key (shown once)")
def create(request: HttpRequest, body: KeyIn) -> Status[KeyCreated]:
    row, key = create_key(body.name, body.origins, body.rate, body.kind)
    return Status(201, KeyCreated(**to_out(row).model_dump(), key=key))


@router.post("/{key_id}/revoke", response=KeyOut, summary="Revoke a key")
def revoke(request: HttpRequest, key_id: Path[int]) -> KeyOut:
    return to_out(revoke_key(key_id))
