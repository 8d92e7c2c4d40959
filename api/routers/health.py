"""``GET /health``: is the API able to serve, and which dependency is not?

Anyone (a load balancer, a compose health check) learns the status and which dependency
is down; what the cluster says, index names and document counts are for staff only: they
tell an attacker more about the deployment than a monitor needs.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from elasticsearch import ApiError, TransportError
from ninja import Router, Schema
from ninja.responses import Status

from api.context import es, indexer_settings
from indexer.lifecycle import indices_behind

router = Router(tags=["health"])


class Dependency(Schema):
    ok: bool
    detail: str | None = None  # staff only


class Health(Schema):
    status: str
    elasticsearch: Dependency
    redis: Dependency
    database: Dependency
    index: dict[str, Any] | None = None  # staff only


def _elasticsearch() -> tuple[Dependency, dict[str, Any]]:
    client, conf = es(), indexer_settings()
    try:
        health = client.options(request_timeout=1.0).cluster.health().body
        names = indices_behind(client, conf.alias)
        docs = (
            int(client.options(request_timeout=1.0).count(index=conf.alias).body["count"])
            if names
            else 0
        )
    except (TransportError, ApiError) as exc:
        return Dependency(ok=False, detail=f"unreachable: {type(exc).__name__}"), {}
    index = {"alias": conf.alias, "indices": names, "documents": docs}
    return Dependency(ok=True, detail=f"cluster {health['status']}"), index


def _redis() -> Dependency:
    import redis

    try:
        client = redis.Redis.from_url(
            settings.ENDPOINTS.redis_url, socket_timeout=1, socket_connect_timeout=1
        )
        client.ping()
    except redis.RedisError as exc:
        return Dependency(ok=False, detail=f"unreachable: {type(exc).__name__}")
    return Dependency(ok=True, detail="ping ok")


def _database() -> Dependency:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any driver error means "down" here
        return Dependency(ok=False, detail=f"unreachable: {type(exc).__name__}")
    return Dependency(ok=True, detail=connection.vendor)


@router.get("", response={200: Health, 503: Health}, summary="Service health")
def health(request: HttpRequest) -> Status[Health]:
    es_dep, details = _elasticsearch()
    index: dict[str, Any] | None = details
    redis_dep, db_dep = _redis(), _database()
    ok = es_dep.ok and redis_dep.ok and db_dep.ok
    user = getattr(request, "user", None)
    if not (user is not None and user.is_authenticated and user.is_staff):
        es_dep, redis_dep, db_dep = (Dependency(ok=d.ok) for d in (es_dep, redis_dep, db_dep))
        index = None
    body = Health(
        status="ok" if ok else "degraded",
        elasticsearch=es_dep,
        redis=redis_dep,
        database=db_dep,
        index=index,
    )
    return Status(200 if ok else 503, body)
