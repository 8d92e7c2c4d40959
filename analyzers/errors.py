"""Exceptions raised by the analyzers package.

One base class (:class:`AnalyzerError`) lets callers catch everything this
package raises deliberately; the subclasses say *which* resource is broken so a
deployment fails loudly at start-up instead of silently losing matches.
"""

from __future__ import annotations


class AnalyzerError(Exception):
    """Base class of every error raised on purpose by :mod:`analyzers`."""


class ResourceError(AnalyzerError):
    """A bundled resource (taxonomy, gazetteer, glossary) is missing or invalid."""


class ResourceFormatError(ResourceError):
    """A line of a text resource cannot be parsed.

    Carries file, line number and reason so a reviewer can fix the exact line.
    """

    def __init__(self, file: str, line: int, reason: str) -> None:
        self.file = file
        self.line = line
        self.reason = reason
        super().__init__(f"{file}:{line}: {reason}")


class SynonymFormatError(ResourceFormatError):
    """A line of a Solr-syntax synonym file is malformed."""


class GlossaryFormatError(ResourceFormatError):
    """A line of a concept or glossary file is malformed or names an unknown code."""
