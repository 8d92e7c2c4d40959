"""Helpers shared by the CLI commands: Django set-up and error descriptions."""

from __future__ import annotations

import os

from sozialatlas.config import Settings


def setup_django(settings: Settings) -> None:
    """Configure Django from the same settings the command got (idempotent)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "api.settings")
    import django

    django.setup()


def describe_error(exc: BaseException) -> str | None:
    """One line for the errors packages raise on purpose; None for real bugs."""
    from sozialatlas.services import ServiceError

    known: tuple[type[BaseException], ...] = (ServiceError,)
    try:
        from indexer.errors import IndexerError

        known += (IndexerError,)
    except ImportError:  # pragma: no cover - indexer is part of the distribution
        pass
    try:
        from analyzers.errors import AnalyzerError

        known += (AnalyzerError,)
    except ImportError:
        pass
    try:
        from api.errors import ApiError

        known += (ApiError,)
    except ImportError:
        pass
    if isinstance(exc, known):
        return str(exc)
    return None
