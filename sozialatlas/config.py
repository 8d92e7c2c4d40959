"""The one place where configuration is read.

Every setting is an environment variable with the prefix ``SOZIALATLAS_``, a default and a
one-line comment. Packages never read the environment or Django settings themselves: they
receive a :class:`Settings` (or the part of it they need) from their caller.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

PREFIX = "SOZIALATLAS_"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(ValueError):
    """An environment variable holds a value that cannot be used."""


@dataclass(frozen=True)
class Settings:
    # Elasticsearch URL; empty means "start and use the local one" (sozialatlas services up).
    elasticsearch_url: str = ""
    # Redis URL for the Celery broker, cache and rate limits; empty means the local one.
    redis_url: str = ""
    # Database number on the local Redis (test runs pick their own to stay isolated).
    redis_db: int = 0
    # Database URL (dj-database-url syntax); empty means SQLite under the state directory.
    database_url: str = ""
    # Directory for downloads, local service data, logs and the SQLite database.
    state_dir: str = str(PROJECT_ROOT / ".cache")
    # Prefix of every index and alias name, so that test runs and tenants do not collide.
    index_prefix: str = "sozialatlas"
    # Elasticsearch version provisioned locally (the Python client's major must match).
    elasticsearch_version: str = "9.2.0"
    # Port of the local Elasticsearch (HTTP); it binds to 127.0.0.1 only.
    elasticsearch_port: int = 9200
    # Heap of the local Elasticsearch, e.g. "1g"; sized for a 2-core/24 GB machine.
    elasticsearch_heap: str = "1g"
    # Port of the local Redis; it binds to 127.0.0.1 only.
    redis_port: int = 6379
    # Seconds an Elasticsearch request may take before the API answers 503.
    elasticsearch_timeout: float = 2.0
    # Django secret key; the default is only acceptable with debug on.
    secret_key: str = "insecure-dev-key-change-me"
    # Django debug mode; off by default, the demo turns it on.
    debug: bool = False
    # Comma-separated host names the API answers to.
    allowed_hosts: str = "localhost,127.0.0.1,[::1]"
    # Host the API server binds to.
    bind_host: str = "127.0.0.1"
    # Port the API server binds to.
    bind_port: int = 8000
    # Celery worker processes (prefork concurrency).
    worker_concurrency: int = 2
    # Records per bulk-indexing task.
    index_batch_size: int = 500
    # Run Celery tasks in the calling process instead of a worker (tests of pure logic only).
    celery_eager: bool = False

    @property
    def state_path(self) -> Path:
        return Path(self.state_dir)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``SOZIALATLAS_*`` variables, converting to the field types."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for field in fields(cls):
            key = PREFIX + field.name.upper()
            if key not in env:
                continue
            raw = env[key]
            kind = field.type if isinstance(field.type, str) else field.type.__name__
            try:
                if kind == "bool":
                    values[field.name] = _parse_bool(raw)
                elif kind == "int":
                    values[field.name] = int(raw)
                elif kind == "float":
                    values[field.name] = float(raw)
                else:
                    values[field.name] = raw
            except ValueError as exc:
                raise ConfigError(f"{key}={raw!r}: expected {kind}") from exc
        return cls(**values)  # type: ignore[arg-type]


def _parse_bool(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(raw)
