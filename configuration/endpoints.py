"""Where Elasticsearch, Redis and SMTP are, as plain data (no process or directory is touched).

Configured URLs win; otherwise the local services started by ``sozialatlas services up``
listen on 127.0.0.1 at their configured ports.
"""

from __future__ import annotations

from dataclasses import dataclass

from configuration.settings import Settings


@dataclass(frozen=True)
class Endpoints:
    elasticsearch_url: str
    redis_url: str


def local_elasticsearch_url(settings: Settings) -> str:
    return f"http://127.0.0.1:{settings.elasticsearch_port}"


def local_redis_url(settings: Settings, db: int = 0) -> str:
    return f"redis://127.0.0.1:{settings.redis_port}/{db}"


def endpoints(settings: Settings) -> Endpoints:
    """The URLs every package connects to."""
    es = settings.elasticsearch_url or local_elasticsearch_url(settings)
    redis = settings.redis_url or local_redis_url(settings, settings.redis_db)
    return Endpoints(es, redis)


LOCAL_HOST = "127.0.0.1"


def smtp_endpoint(settings: Settings) -> tuple[str, int]:
    """(host, port) of the SMTP server mail goes to: the configured relay, else the local one."""
    return settings.smtp_host or LOCAL_HOST, settings.smtp_port
