"""Settings for a test run: the project's settings, isolated per run.

Each run gets its own index prefix, Redis database and SQLite file, set as the usual
``SOZIALATLAS_*`` variables before the project settings are read, so that the Celery
worker the fixtures start (a separate process) sees exactly the same configuration.
"""

from __future__ import annotations

import os
import random
import socket
import tempfile
import uuid
from pathlib import Path

RUN_ID = os.environ.get("SOZIALATLAS_TEST_RUN_ID") or uuid.uuid4().hex[:8]
os.environ["SOZIALATLAS_TEST_RUN_ID"] = RUN_ID
_run_dir = Path(tempfile.gettempdir()) / f"sozialatlas-test-{RUN_ID}"
_run_dir.mkdir(parents=True, exist_ok=True)
os.environ.setdefault("SOZIALATLAS_INDEX_PREFIX", f"test-{RUN_ID}")
os.environ.setdefault("SOZIALATLAS_REDIS_DB", str(random.Random(RUN_ID).randint(1, 15)))
os.environ.setdefault("SOZIALATLAS_DATABASE_URL", f"sqlite:///{_run_dir / 'test.sqlite3'}")
os.environ.setdefault("SOZIALATLAS_SECRET_KEY", "test-only-secret-key-" + RUN_ID * 4)
os.environ.setdefault("SOZIALATLAS_SSL_REDIRECT", "0")  # the test clients speak plain HTTP
os.environ.setdefault("SOZIALATLAS_RATE_LIMIT_ANON", "")  # tests that need a limit set one
os.environ.setdefault("SOZIALATLAS_RATE_LIMIT_INQUIRY_CLIENT", "")
os.environ.setdefault("SOZIALATLAS_RATE_LIMIT_INQUIRY_PROVIDER", "")
os.environ.setdefault("SOZIALATLAS_RATE_LIMIT_REPORT_CLIENT", "")
os.environ.setdefault("SOZIALATLAS_RATE_LIMIT_REPORT_ENTRY", "")


def free_port() -> int:
    """A port nothing listens on now: bound to 127.0.0.1, then released (the test
    services, servers, and a cluster that is away)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# Mail goes to this run's own SMTP server (started by the `services` fixture, kept under the
# run directory): never to a relay a developer's environment names, never mixed with
# another run's messages.
os.environ["SOZIALATLAS_SMTP_HOST"] = "127.0.0.1"
os.environ.setdefault("SOZIALATLAS_SMTP_PORT", str(free_port()))
os.environ.setdefault("SOZIALATLAS_SMTP_TIMEOUT", "5")

from api.settings import *  # noqa: E402,F403

DATABASES["default"]["TEST"] = {"NAME": DATABASES["default"]["NAME"]}  # noqa: F405
RUN_DIR = _run_dir
