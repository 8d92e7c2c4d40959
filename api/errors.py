"""Errors the API layer raises on purpose, so callers can tell them from bugs.

Every deliberate failure derives from :class:`ApiError`: views and the CLI catch that one
base class and turn it into a clean message, while anything else stays a crash with a
traceback.
"""

from __future__ import annotations


class ApiError(Exception):
    """Base of all expected, user-facing errors of the API layer."""


class NotFound(ApiError):
    """The requested object does not exist (HTTP 404)."""


class ConfigurationError(ApiError):
    """A configured file (such as the crisis lines) cannot be used; the server must not start."""
