"""The one place where configuration is read: :class:`Settings` from ``SOZIALATLAS_*``.

Every setting is an environment variable with the prefix ``SOZIALATLAS_``, a default and a
one-line comment. Packages never read the environment or Django settings themselves: they
receive a :class:`Settings` (or the part of it they need) from their caller.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SecretsSettingsSource,
    SettingsConfigDict,
)

PREFIX = "SOZIALATLAS_"
# Where Docker and compose mount secrets (one file per setting, named like its variable).
SECRETS_DIR = "/run/secrets"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(ValueError):
    """An environment variable holds a value that cannot be used."""


class Settings(BaseSettings):
    """Every setting with its default and one-line description (``sozialatlas config``).

    Built with keyword arguments it is exactly those values over the defaults (tests, child
    processes); :meth:`from_env` adds the environment and Docker secrets (``/run/secrets``).
    """

    model_config = SettingsConfigDict(
        env_prefix=PREFIX, frozen=True, extra="forbid", case_sensitive=False
    )

    elasticsearch_url: str = Field(
        "",
        description='Elasticsearch URL; empty means "start and use the local one" (sozialatlas services up).',
    )
    redis_url: str = Field(
        "",
        description="Redis URL for the Celery broker, cache and rate limits; empty means the local one.",
    )
    redis_db: int = Field(
        0,
        description="Database number on the local Redis (test runs pick their own to stay isolated).",
    )
    database_url: str = Field(
        "",
        description="Database URL (dj-database-url syntax); empty means SQLite under the state directory.",
    )
    state_dir: str = Field(
        str(PROJECT_ROOT / ".cache"),
        description="Directory for downloads, local service data, logs and the SQLite database.",
    )
    model_dir: str = Field(
        "",
        description="Directory where servers keep the analysers' trained models between starts; empty means <state directory>/models.",
    )
    index_prefix: str = Field(
        "sozialatlas",
        description="Prefix of every index and alias name, so that test runs and tenants do not collide.",
    )
    elasticsearch_version: str = Field(
        "9.2.0",
        description="Elasticsearch version provisioned locally (the Python client's major must match).",
    )
    elasticsearch_port: int = Field(
        9200, description="Port of the local Elasticsearch (HTTP); it binds to 127.0.0.1 only."
    )
    elasticsearch_heap: str = Field(
        "1g",
        description='Heap of the local Elasticsearch, e.g. "1g"; sized for a 2-core/24 GB machine.',
    )
    redis_port: int = Field(
        6379, description="Port of the local Redis; it binds to 127.0.0.1 only."
    )
    elasticsearch_timeout: float = Field(
        2.0, description="Seconds an Elasticsearch request may take before the API answers 503."
    )
    report_timeout: float = Field(
        15.0,
        description="Seconds a search-log report may take before the API answers 503 (aggregations over months).",
    )
    secret_key: str = Field(
        "insecure-dev-key-change-me",
        description="Django secret key; the default is only acceptable with debug on.",
    )
    debug: bool = Field(
        False, description="Django debug mode; off by default, the demo turns it on."
    )
    allowed_hosts: str = Field(
        "localhost,127.0.0.1,[::1]", description="Comma-separated host names the API answers to."
    )
    bind_host: str = Field("127.0.0.1", description="Host the API server binds to.")
    bind_port: int = Field(8000, description="Port the API server binds to.")
    worker_concurrency: int = Field(2, description="Celery worker processes (prefork concurrency).")
    index_batch_size: int = Field(500, description="Records per bulk-indexing task.")
    celery_eager: bool = Field(
        False,
        description="Run Celery tasks in the calling process instead of a worker (tests of pure logic only).",
    )
    reconcile_seconds: float = Field(
        300.0,
        description="Seconds between reconciliation runs (Celery beat): index vs database revisions.",
    )
    visibility_timeout: int = Field(
        3600,
        description="Seconds Redis waits for a task's ack before handing it out again (after a crash).",
    )
    task_time_limit: int = Field(
        900,
        description="Hard time limit of a task in seconds; must stay below the visibility timeout.",
    )
    task_max_deliveries: int = Field(
        5,
        description="Deliveries of one task (worker lost each time) before it is parked as poison.",
    )
    answer_cache_seconds: float = Field(
        300.0,
        description="Longest reuse of an identical search/suggest answer; a write to the index ends it; 0 = off.",
    )
    searchlog_enabled: bool = Field(
        True, description="Record searches, suggestions, clicks and feedback in the search log."
    )
    searchlog_retention_days: int = Field(
        90, description="Days raw search log entries are kept (sessions, query text); then deleted."
    )
    searchlog_rollup_retention_days: int = Field(
        761,
        description="Days the daily aggregated counts (no sessions) are kept; 761 is about 25 months.",
    )
    searchlog_rollup_min_sessions: int = Field(
        5,
        description='Distinct sessions a query text needs before the daily roll-ups keep it (else "(rare)").',
    )
    searchlog_queue_size: int = Field(
        10000,
        description="Entries buffered per API process before new ones are dropped (and counted).",
    )
    searchlog_batch_size: int = Field(
        500, description="Entries per batch handed to the log worker."
    )
    searchlog_flush_interval: float = Field(
        1.0, description="Seconds between flushes of the log buffer."
    )
    searchlog_session_minutes: int = Field(
        30, description="Minutes after which a visitor's session token is replaced by a new one."
    )
    query_id_hours: int = Field(
        24,
        description="Hours a search's query id accepts clicks and feedback; later, or invented, ids are refused.",
    )
    searchlog_intent_window: float = Field(
        10.0,
        description="Seconds within which consecutive edits of a query count as one typed search.",
    )
    analytics_low_results: int = Field(
        3,
        description='Results at or below this count make a query "low-result" in the unmet-needs report.',
    )
    rate_limit_anon: str = Field(
        "120/min",
        description='Requests per client (IP, never stored) on the public API, e.g. "120/min"; "" = no limit.',
    )
    rate_limit_partner: str = Field(
        "600/min",
        description='Default requests per partner key, e.g. "600/min"; a key\'s own --rate overrides it.',
    )
    rate_limit_partner_client: str = Field(
        "120/min",
        description="Requests per partner key and client together, so that one client cannot use up a key.",
    )
    rate_limit_bad_keys: str = Field(
        "10/min",
        description="Wrong API keys a client may send before it is answered 429 (guessing, scanning).",
    )
    login_failure_limit: int = Field(
        5,
        description="Failed admin logins (per user name and client) before the login is locked (django-axes).",
    )
    login_cooloff_minutes: int = Field(15, description="Minutes a locked admin login stays locked.")
    trusted_proxies: int = Field(
        0,
        description="Reverse proxies in front of the API (0 = clients connect directly); sets X-Forwarded-* trust.",
    )
    cors_public_origins: str = Field(
        "",
        description="Comma-separated origins allowed to call the public API anonymously (CORS); none by default.",
    )
    hsts_seconds: int = Field(
        31536000,
        description="Seconds browsers remember HTTPS-only (HSTS) when debug is off; 0 turns HSTS off.",
    )
    hsts_preload: bool = Field(
        True,
        description="HSTS also covers subdomains and may be preloaded (only when hsts_seconds > 0).",
    )
    ssl_redirect: bool = Field(
        True,
        description="Redirect plain HTTP to HTTPS (when debug is off); turn off if the proxy already does it.",
    )
    max_body_bytes: int = Field(
        1048576,
        description="Largest accepted request body in bytes (imports go through the CLI, not the API).",
    )
    max_query_string: int = Field(
        4096, description="Longest accepted query string in characters; longer requests get 414."
    )

    helpline_name: str = Field(
        "Soziale Beratung der Stadt Chemnitz",
        description="Counselling line shown when a search finds nothing (placeholder: set the real one).",
    )
    helpline_phone: str = Field(
        "0371 488-000",
        description="Its phone number as people should dial it (placeholder, not a real line).",
    )
    helpline_hours: str = Field(
        "Mo–Fr 8–18 Uhr", description="Its opening hours, as shown next to the number."
    )
    crisis_lines_file: str = Field(
        "",
        description="JSON file of the crisis lines shown for queries in danger; empty = German defaults.",
    )

    # Mediated inquiries (directory/inquir*.py) and the mail they send (directory/outbox.py).
    public_url: str = Field(
        "http://127.0.0.1:8000",
        description="Base URL of the site as people reach it; links in e-mails (tracking, answer pages) start with it.",
    )
    smtp_host: str = Field(
        "",
        description="SMTP server or relay for outgoing mail; empty means the local one (sozialatlas services up).",
    )
    smtp_port: int = Field(
        1025, description="Port of the SMTP server; the local one binds to 127.0.0.1 only."
    )
    smtp_user: str = Field("", description="SMTP user name; empty = no authentication.")
    smtp_password: str = Field(
        "", description="SMTP password (better as the Docker secret sozialatlas_smtp_password)."
    )
    smtp_tls: bool = Field(
        False, description="Upgrade the SMTP connection with STARTTLS (a relay on port 587)."
    )
    smtp_ssl: bool = Field(
        False,
        description="Implicit TLS from the first byte (a relay on port 465); not with smtp_tls.",
    )
    smtp_timeout: float = Field(
        10.0, description="Seconds an SMTP connection or command may take before the attempt fails."
    )
    mail_from: str = Field(
        "Sozialatlas Chemnitz <noreply@localhost>",
        description="Sender of every e-mail (its domain also names the Message-IDs).",
    )
    outbox_sweep_seconds: float = Field(
        30.0,
        description="Seconds between outbox sweeps (Celery beat) that send what is due: mail survives an SMTP outage.",
    )
    outbox_retry_seconds: float = Field(
        10.0,
        description="First wait before a mail the SMTP server did not take is tried again; doubles up to 5 minutes.",
    )
    outbox_max_attempts: int = Field(
        300,
        description="Attempts before a mail is given up as failed (about a day of retries).",
    )
    inquiry_desk_email: str = Field(
        "koordination@localhost",
        description="The city's coordination desk: inquiries to providers without e-mail, escalations (placeholder).",
    )
    inquiry_keys: str = Field(
        "",
        description="Comma-separated Fernet keys for inquiry texts and contacts (first encrypts, all decrypt); empty = derived from the secret key.",
    )
    inquiry_retention_days: int = Field(
        90,
        description="Days after an inquiry closes before its personal data is deleted; the figures are kept.",
    )
    inquiry_reminder_days: int = Field(
        2,
        description="Working days (Saxony) an unread inquiry waits before the provider is reminded.",
    )
    inquiry_escalation_days: int = Field(
        5, description="Working days without an answer before the coordination desk is told."
    )
    inquiry_expiry_days: int = Field(
        10,
        description="Working days without an answer before the inquiry expires and the person is told.",
    )
    inquiry_close_days: int = Field(
        60,
        description="Days an answered or accepted inquiry may go without any step before it expires (never marked done); the person is told.",
    )
    inquiry_link_days: int = Field(
        30,
        description="Days a provider's answer link stays valid (every reminder carries a fresh one).",
    )
    confirm_months: int = Field(
        6,
        description="Months after its last confirmation before a provider is asked to confirm its entry again.",
    )
    confirm_reminder_days: int = Field(
        14,
        description="Days between the confirmation request, its two reminders and the 'needs checking' flag.",
    )
    confirm_link_days: int = Field(
        60,
        description="Days a provider's confirmation link stays valid (each reminder carries a fresh one).",
    )
    confirm_batch: int = Field(
        500,
        description="Confirmation requests started per run of the periodic task (the rest wait for the next run).",
    )
    inquiry_min_fill_seconds: float = Field(
        3.0,
        description="Seconds an inquiry form must have been open before it is sent; faster is refused as automated.",
    )
    inquiry_max_links: int = Field(
        2, description="Links an inquiry's message may contain; more is refused as spam."
    )
    rate_limit_inquiry_client: str = Field(
        "10/h", description='Inquiries per client (hashed address) and period; "" = no limit.'
    )
    rate_limit_inquiry_provider: str = Field(
        "30/h",
        description='Inquiries to one provider per period, whoever sends them; "" = no limit.',
    )
    rate_limit_report_client: str = Field(
        "10/h",
        description='Error reports on entries ("Something wrong?") per client (hashed address) and period; "" = no limit.',
    )
    rate_limit_report_entry: str = Field(
        "20/h",
        description='Error reports on one entry per period, whoever sends them; "" = no limit.',
    )
    freshness_stale_months: int = Field(
        12,
        description="Months without confirmation after which an entry's page says its details may have changed.",
    )

    @property
    def state_path(self) -> Path:
        return Path(self.state_dir)

    @property
    def model_path(self) -> Path:
        return Path(self.model_dir) if self.model_dir else self.state_path / "models"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Keyword arguments only: the environment is read by :meth:`from_env` alone."""
        return (init_settings,)

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, secrets_dir: str = SECRETS_DIR
    ) -> Settings:
        """Settings from ``SOZIALATLAS_*`` variables (or ``environ``) and Docker secrets.

        A secret file ``/run/secrets/sozialatlas_secret_key`` fills ``secret_key`` the way
        compose's ``secrets:`` mounts it; a variable of the same name wins over the file.
        """
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        if Path(secrets_dir).is_dir():
            values.update(SecretsSettingsSource(cls, secrets_dir=secrets_dir)())
        values.update(_MappingSource(cls, env)())
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            raise ConfigError(_describe(exc)) from exc

    def replace(self, **changes: object) -> Settings:
        """A copy with ``changes`` applied and checked like any other value."""
        try:
            return type(self).model_validate({**self.model_dump(), **changes})
        except ValidationError as exc:
            raise ConfigError(_describe(exc)) from exc


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
    for name, value in settings.model_dump().items():
        out[PREFIX + name.upper()] = str(value).lower() if isinstance(value, bool) else str(value)
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


class _MappingSource(EnvSettingsSource):
    """Environment variables from a given mapping (a child's environment, a test's)."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        self._given = {key.lower(): value for key, value in environ.items()}
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return self._given


def _describe(exc: ValidationError) -> str:
    """``SOZIALATLAS_NAME='value': expected int`` for each rejected setting."""
    parts = []
    for error in exc.errors():
        name = PREFIX + ".".join(str(part) for part in error["loc"]).upper()
        parts.append(f"{name}={error.get('input')!r}: {error['msg']}")
    return "; ".join(parts)
