"""Browser tests: the real server (gunicorn) on the sample index, driven by Debian's chromium.

The server is a subprocess started with ``serve_command``; it reads the same ``SOZIALATLAS_*``
environment as the test run (so the same SQLite file), with the index prefix of the sample
index. Chromium comes from Debian (``make test`` installs it when missing); Playwright never
downloads a browser here. Screenshots go to ``test-artifacts/e2e/``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from configuration.settings import PROJECT_ROOT, Settings
from sozialatlas.bench.server import START_TIMEOUT

CHROMIUM = os.environ.get("SOZIALATLAS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "e2e"
STAFF_PASSWORD = "e2e-" + uuid.uuid4().hex


@pytest.fixture(scope="session")
def e2e_database(django_db_setup: Any, django_db_blocker: Any) -> None:
    """The test database with its schema, for this process and the server's.

    pytest-django creates the test database only when some collected test is marked for the
    database; these tests are not (see ``playwright_driver``), so migrate here: a no-op when
    the database was created, the schema when it was not.
    """
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("migrate", verbosity=0, interactive=False)


@pytest.fixture(scope="session")
def server_url(sample_conf: Any, e2e_database: None) -> Iterator[str]:
    """Base URL of a gunicorn serving the project on the sample index and the test DB."""
    from sozialatlas.commands.processes import serve_command
    from tests.settings import RUN_DIR, free_port

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)")
    port = free_port()
    env = dict(
        os.environ,
        SOZIALATLAS_INDEX_PREFIX=sample_conf.index_prefix,
        DJANGO_SETTINGS_MODULE="api.settings",
        SOZIALATLAS_DEBUG="false",
        SOZIALATLAS_RATE_LIMIT_ANON="6000/min",
    )
    log = open(RUN_DIR / "e2e-server.log", "ab")  # noqa: SIM115
    # One worker (with its threads), warmed up below: timings then measure a warm server.
    command = serve_command(Settings.from_env(env), workers=1, bind=f"127.0.0.1:{port}")
    proc = subprocess.Popen(
        command,
        env=env,
        cwd=PROJECT_ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited; see {RUN_DIR / 'e2e-server.log'}")
        try:
            with urllib.request.urlopen(url + "/api/v1/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            raise RuntimeError(f"the server did not become healthy within {START_TIMEOUT:.0f} s")
        time.sleep(0.3)
    for path in ("/?q=Schuldnerberatung", "/api/v1/suggest?q=Kita", "/p/demo-0001"):
        with urllib.request.urlopen(url + path, timeout=30) as response:
            response.read()
    yield url
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    log.close()


@pytest.fixture(scope="session")
def staff_user(e2e_database: None, django_db_blocker: Any) -> Iterator[tuple[str, str]]:
    """A staff user committed to the test database, so the server process sees it."""
    from django.contrib.auth import get_user_model

    name = "e2e-analyst-" + uuid.uuid4().hex[:6]
    with django_db_blocker.unblock():
        user = get_user_model().objects.create_user(name, password=STAFF_PASSWORD, is_staff=True)
    yield name, STAFF_PASSWORD
    with django_db_blocker.unblock():
        user.delete()


@pytest.fixture(scope="session")
def partner_key(server_url: str, django_db_blocker: Any, staff_user: Any) -> Iterator[str]:
    """A partner key for the widget demo, allowed from the test server's origin."""
    from api.partners import create_key

    with django_db_blocker.unblock():
        row, key = create_key("e2e widget demo", origins=[server_url])
    yield key
    with django_db_blocker.unblock():
        row.delete()


@pytest.fixture(scope="module")
def playwright_driver(
    server_url: str, staff_user: tuple[str, str], partner_key: str
) -> Iterator[Any]:
    """Playwright's sync API runs an event loop in this thread, and Django refuses database
    calls while one runs: so everything touching the database is set up before, and the
    driver lives for one module only (later tests elsewhere use the database again)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture()
def browser_context(playwright_driver: Any, tmp_path: Path, request: Any) -> Iterator[Any]:
    """A fresh chromium with a new, empty user-data-dir; options from ``@pytest.mark.browser``."""
    marker = request.node.get_closest_marker("browser")
    options: dict[str, Any] = {"locale": "de-DE", "viewport": {"width": 1280, "height": 900}}
    if marker:
        options.update(marker.kwargs)
    context = playwright_driver.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        **options,
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture()
def page(browser_context: Any) -> Any:
    return browser_context.pages[0] if browser_context.pages else browser_context.new_page()


def axe_serious(page: Any) -> list[Any]:
    """The serious and critical accessibility violations axe-core finds on the page."""
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    result = Axe().run(page)
    return [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in result.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def pytest_configure(config: Any) -> None:
    config.addinivalue_line("markers", "browser(**options): options of the browser context")
