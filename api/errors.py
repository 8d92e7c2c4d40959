"""Errors the API layer raises on purpose, so callers can tell them from bugs.

Every deliberate failure derives from :class:`ApiError`: views and the CLI catch that one
base class and turn it into a clean message, while anything else stays a crash with a
traceback.
"""

from __future__ import annotations


class ApiError(Exception):
    """Base of all expected, user-facing errors of the API layer."""


class RecordError(ApiError):
    """One record cannot be accepted; ``reason`` names the field and the problem.

    Raised per record so that an import can reject that record and go on with the rest.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ImportFileError(ApiError):
    """A whole import file is unusable: missing, not JSON/CSV, or without any record."""


class NotFound(ApiError):
    """The requested object does not exist (HTTP 404)."""


class ConfigurationError(ApiError):
    """A configured file (such as the crisis lines) cannot be used; the server must not start."""
