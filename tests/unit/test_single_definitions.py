"""Definitions that once existed several times and disagreed are written down once."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("configuration", "analyzers", "indexer", "directory", "workers", "api", "sozialatlas")


def _sources() -> dict[Path, str]:
    return {
        path: path.read_text(encoding="utf-8")
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    }


@pytest.mark.parametrize(
    "definition",
    [
        '"de", "en", "ru", "uk", "ar", "tr"',  # the interface languages
        '"mo", "di", "mi", "do", "fr", "sa", "so"',  # the weekday codes
        "def percentile(",  # the benchmarks' statistics
        "def parse_rate(",  # the rate grammar
        "class Settings",  # the configuration
    ],
)
def test_defined_once(definition: str) -> None:
    places = [str(p.relative_to(ROOT)) for p, text in _sources().items() if definition in text]
    assert len(places) == 1, f"{definition!r} is written in {places}"


def test_configuration_reaches_the_layers_below_http_as_arguments() -> None:
    """Only ``api/``, the CLI and the Celery entry point (``workers/app.py``, which names
    Django's settings module) may read Django's settings or the environment; every other
    module is given its configuration."""
    entry_points = {"workers/app.py"}
    readers = [
        str(path.relative_to(ROOT))
        for path, text in _sources().items()
        if path.relative_to(ROOT).parts[0] in ("analyzers", "indexer", "directory", "workers")
        and str(path.relative_to(ROOT)) not in entry_points
        and ("django.conf" in text or "os.environ" in text or "from_env(" in text)
    ]
    assert readers == []
