"""Parked jobs: tasks that kept failing, kept in Redis for an operator to look at."""

from __future__ import annotations

import contextlib
import json
import time
from typing import Any

import redis

from configuration.endpoints import endpoints
from configuration.settings import Settings, installed

MAX_KEPT = 10_000
DELIVERY_TTL = 86_400  # seconds a delivery count is kept (far above the visibility timeout)


def _key(settings: Settings) -> str:
    return f"{settings.index_prefix}:dead-letter"


_clients: dict[str, redis.Redis] = {}


def _client(settings: Settings) -> redis.Redis:
    url = endpoints(settings).redis_url
    if url not in _clients:  # one connection pool per process and URL
        _clients[url] = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    return _clients[url]


def park(
    task: str, args: list[Any], kwargs: dict[str, Any], error: str, settings: Settings | None = None
) -> None:
    settings = settings or installed()
    entry = json.dumps(
        {"task": task, "args": args, "kwargs": kwargs, "error": error[:500], "time": time.time()}
    )
    try:
        client = _client(settings)
        client.lpush(_key(settings), entry)
        client.ltrim(_key(settings), 0, MAX_KEPT - 1)
    except redis.RedisError:
        pass  # the broker is down as well; reconciliation will catch the record up


def count_delivery(task_id: str, retries: int, settings: Settings) -> int | None:
    """Count one delivery of a task attempt; None when Redis cannot be asked.

    A retry is a new attempt (``retries`` grows); a redelivery after the worker died is
    the same attempt again, so the count grows only when a task keeps killing workers.
    The key expires on its own; :func:`forget_delivery` removes it after a clean run.
    """
    key = _delivery_key(task_id, retries, settings)
    try:
        client = _client(settings)
        pipe = client.pipeline()
        pipe.incr(key)
        pipe.expire(key, DELIVERY_TTL)
        count, _ = pipe.execute()
    except redis.RedisError:
        return None
    return int(count)


def forget_delivery(task_id: str, retries: int, settings: Settings) -> None:
    with contextlib.suppress(redis.RedisError):  # it expires anyway
        _client(settings).delete(_delivery_key(task_id, retries, settings))


def _delivery_key(task_id: str, retries: int, settings: Settings) -> str:
    return f"{settings.index_prefix}:deliveries:{task_id}:{retries}"


def parked(settings: Settings, limit: int = 100) -> list[dict[str, Any]]:
    raw = _client(settings).lrange(_key(settings), 0, limit - 1)
    return [json.loads(item) for item in raw]  # type: ignore[union-attr]
