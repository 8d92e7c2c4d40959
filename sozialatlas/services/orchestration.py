"""``services up | down | status``: which services to start, stop or ask, and in what order.

When ``SOZIALATLAS_ELASTICSEARCH_URL`` / ``SOZIALATLAS_REDIS_URL`` / ``SOZIALATLAS_SMTP_HOST``
are set, nothing is started for them: the external services are used as they are and only
asked whether they answer. The SMTP server starts last: mail waits in the outbox, searching
does not.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request

from configuration.endpoints import Endpoints, endpoints, smtp_endpoint
from configuration.settings import Settings
from sozialatlas.services.local_elasticsearch import LocalElasticsearch
from sozialatlas.services.local_redis import LocalRedis
from sozialatlas.services.local_service import LocalService, ServiceStatus
from sozialatlas.services.local_smtp import LocalSmtp, smtp_answers


def services_up(settings: Settings, echo: bool = True) -> Endpoints:
    """Start what is not configured externally; on failure, stop what this call started."""
    started: list[LocalService] = []
    wanted: list[LocalService] = []
    if not settings.redis_url:
        wanted.append(LocalRedis(settings))
    if not settings.elasticsearch_url:
        wanted.append(LocalElasticsearch(settings))
    if not settings.smtp_host:
        wanted.append(LocalSmtp(settings))
    try:
        for service in wanted:
            was_running = service.healthy()
            status = service.up()
            if not was_running:
                started.append(service)
            if echo:
                print(status.line(), file=sys.stderr)
    except BaseException:
        for service in started:
            service.down()
        raise
    return endpoints(settings)


def services_down(settings: Settings) -> None:
    if not settings.smtp_host:
        LocalSmtp(settings).down()
    if not settings.elasticsearch_url:
        LocalElasticsearch(settings).down()
    if not settings.redis_url:
        LocalRedis(settings).down()


def services_status(settings: Settings) -> list[ServiceStatus]:
    result = []
    if settings.redis_url:
        result.append(
            ServiceStatus("redis", settings.redis_url, _redis_ping(settings.redis_url), False)
        )
    else:
        result.append(LocalRedis(settings).status())
    if settings.elasticsearch_url:
        ok = _http_ok(settings.elasticsearch_url.rstrip("/") + "/_cluster/health")
        result.append(ServiceStatus("elasticsearch", settings.elasticsearch_url, ok, False))
    else:
        result.append(LocalElasticsearch(settings).status())
    if settings.smtp_host:
        host, port = smtp_endpoint(settings)
        url = f"smtp://{host}:{port}"
        result.append(ServiceStatus("mail", url, smtp_answers(host, port), False))
    else:
        result.append(LocalSmtp(settings).status())
    return result


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return bool(resp.status == 200)
    except (OSError, urllib.error.URLError):
        return False


def _redis_ping(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_timeout=1).ping())
    except redis.RedisError:
        return False
