"""Parked jobs: tasks that kept failing, kept in Redis for an operator to look at."""

from __future__ import annotations

import json
import time
from typing import Any

import redis

from sozialatlas.config import Settings
from sozialatlas.services import endpoints

MAX_KEPT = 10_000


def _key(settings: Settings) -> str:
    return f"{settings.index_prefix}:dead-letter"


def _client(settings: Settings) -> redis.Redis:
    return redis.Redis.from_url(endpoints(settings).redis_url, socket_timeout=2)


def park(
    task: str, args: list[Any], kwargs: dict[str, Any], error: str, settings: Settings | None = None
) -> None:
    settings = settings or Settings.from_env()
    entry = json.dumps(
        {"task": task, "args": args, "kwargs": kwargs, "error": error[:500], "time": time.time()}
    )
    try:
        client = _client(settings)
        client.lpush(_key(settings), entry)
        client.ltrim(_key(settings), 0, MAX_KEPT - 1)
    except redis.RedisError:
        pass  # the broker is down as well; reconciliation will catch the record up


def parked(settings: Settings, limit: int = 100) -> list[dict[str, Any]]:
    raw = _client(settings).lrange(_key(settings), 0, limit - 1)
    return [json.loads(item) for item in raw]  # type: ignore[union-attr]
