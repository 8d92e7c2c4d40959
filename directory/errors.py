"""Errors of the directory's data, so callers can tell them from bugs (mapped to HTTP
statuses in :mod:`api.apis`, to one clean line in the CLI)."""

from __future__ import annotations


class DirectoryError(Exception):
    """Base of the directory's deliberate errors."""


class RecordError(DirectoryError):
    """One record cannot be accepted; ``reason`` names the field and the problem.

    Raised per record so that an import can reject that record and go on with the rest.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ImportFileError(DirectoryError):
    """A whole import file is unusable: missing, not JSON/CSV, or without any record."""
