"""The one place where configuration is read: :class:`Settings` from ``SOZIALATLAS_*``.

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
    # Seconds between reconciliation runs (Celery beat): index vs database revisions.
    reconcile_seconds: float = 300.0
    # Seconds Redis waits for a task's ack before handing it out again (after a crash).
    visibility_timeout: int = 3600
    # Hard time limit of a task in seconds; must stay below the visibility timeout.
    task_time_limit: int = 900
    # Deliveries of one task (worker lost each time) before it is parked as poison.
    task_max_deliveries: int = 5
    # Longest reuse of an identical search/suggest answer; a write to the index ends it; 0 = off.
    answer_cache_seconds: float = 300.0
    # Record searches, suggestions, clicks and feedback in the search log.
    searchlog_enabled: bool = True
    # Days raw search log entries are kept (sessions, query text); then deleted.
    searchlog_retention_days: int = 90
    # Days the daily aggregated counts (no sessions) are kept; 761 is about 25 months.
    searchlog_rollup_retention_days: int = 761
    # Distinct sessions a query text needs before the daily roll-ups keep it (else "(rare)").
    searchlog_rollup_min_sessions: int = 5
    # Entries buffered per API process before new ones are dropped (and counted).
    searchlog_queue_size: int = 10000
    # Entries per batch handed to the log worker.
    searchlog_batch_size: int = 500
    # Seconds between flushes of the log buffer.
    searchlog_flush_interval: float = 1.0
    # Minutes after which a visitor's session token is replaced by a new one.
    searchlog_session_minutes: int = 30
    # Hours a search's query id accepts clicks and feedback; later, or invented, ids are refused.
    query_id_hours: int = 24
    # Seconds within which consecutive edits of a query count as one typed search.
    searchlog_intent_window: float = 10.0
    # Results at or below this count make a query "low-result" in the unmet-needs report.
    analytics_low_results: int = 3
    # Requests per client (IP, never stored) on the public API, e.g. "120/min"; "" = no limit.
    rate_limit_anon: str = "120/min"
    # Default requests per partner key, e.g. "600/min"; a key's own --rate overrides it.
    rate_limit_partner: str = "600/min"
    # Requests per partner key and client together, so that one client cannot use up a key.
    rate_limit_partner_client: str = "120/min"
    # Wrong API keys a client may send before it is answered 429 (guessing, scanning).
    rate_limit_bad_keys: str = "10/min"
    # Failed admin logins (per user name and client) before the login is locked (django-axes).
    login_failure_limit: int = 5
    # Minutes a locked admin login stays locked.
    login_cooloff_minutes: int = 15
    # Reverse proxies in front of the API (0 = clients connect directly); sets X-Forwarded-* trust.
    trusted_proxies: int = 0
    # Comma-separated origins allowed to call the public API anonymously (CORS); none by default.
    cors_public_origins: str = ""
    # Seconds browsers remember HTTPS-only (HSTS) when debug is off; 0 turns HSTS off.
    hsts_seconds: int = 31536000
    # HSTS also covers subdomains and may be preloaded (only when hsts_seconds > 0).
    hsts_preload: bool = True
    # Redirect plain HTTP to HTTPS (when debug is off); turn off if the proxy already does it.
    ssl_redirect: bool = True
    # Largest accepted request body in bytes (imports go through the CLI, not the API).
    max_body_bytes: int = 1048576
    # Longest accepted query string in characters; longer requests get 414.
    max_query_string: int = 4096

    # Counselling line shown when a search finds nothing (placeholder: set the real one).
    helpline_name: str = "Soziale Beratung der Stadt Chemnitz"
    # Its phone number as people should dial it (placeholder, not a real line).
    helpline_phone: str = "0371 488-000"
    # Its opening hours, as shown next to the number.
    helpline_hours: str = "Mo–Fr 8–18 Uhr"
    # JSON file of the crisis lines shown for queries in danger; empty = German defaults.
    crisis_lines_file: str = ""

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


_INSTALLED: list[Settings] = []


def install(settings: Settings) -> Settings:
    """Make ``settings`` this process's configuration (entry points: CLI, WSGI, Celery).

    Django's settings module and the Celery app read it instead of the environment, so that
    what a command was given (for instance a benchmark's private database) is what runs.
    """
    _INSTALLED[:] = [settings]
    return settings


def installed() -> Settings:
    """The configuration an entry point installed, else the one the environment gives."""
    return _INSTALLED[0] if _INSTALLED else install(Settings.from_env())


def to_env(settings: Settings) -> dict[str, str]:
    """The ``SOZIALATLAS_*`` variables that give a child process these settings."""
    out = {}
    for field in fields(settings):
        value = getattr(settings, field.name)
        out[PREFIX + field.name.upper()] = (
            str(value).lower() if isinstance(value, bool) else str(value)
        )
    return out


DEFAULT_SECRET_KEY = "insecure-dev-key-change-me"


def require_secret_key(settings: Settings) -> None:
    """Refuse to run without debug on the well-known default (or an empty) secret key."""
    if settings.debug:
        return
    if not settings.secret_key.strip() or settings.secret_key == DEFAULT_SECRET_KEY:
        raise ConfigError(
            "SOZIALATLAS_SECRET_KEY must be set to a long random value when SOZIALATLAS_DEBUG "
            "is off (generate one: python -c 'import secrets; print(secrets.token_urlsafe(50))')"
        )


def _parse_bool(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(raw)
