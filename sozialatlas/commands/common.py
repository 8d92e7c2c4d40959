"""Helpers shared by the CLI commands: Django set-up and error descriptions."""

from __future__ import annotations

import os

from configuration.settings import Settings, install


def setup_django(settings: Settings) -> None:
    """Configure Django from the same settings the command got (idempotent)."""
    install(settings)  # api.settings reads it, not the environment
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "api.settings")
    import django

    django.setup()


def describe_error(exc: BaseException) -> str | None:
    """One line for the errors packages raise on purpose; None for real bugs."""
    from analyzers.errors import AnalyzerError
    from api.errors import ApiError
    from directory.errors import DirectoryError
    from indexer.errors import IndexerError
    from sozialatlas.services import ServiceError

    if isinstance(exc, ServiceError | IndexerError | AnalyzerError | ApiError | DirectoryError):
        return str(exc)
    return None
