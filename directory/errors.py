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


class InquiryError(DirectoryError):
    """Base of the deliberate errors of mediated inquiries (``directory/inquir*.py``)."""


class InquiryInvalid(InquiryError):
    """Fields of an inquiry (or of an answer to one) cannot be accepted; says which and why.

    ``fields`` maps every refused field to a stable code (``too_short``, ``invalid_email``,
    ``consent_required``, …): the English detail is for developers, the code is what the API
    and the pages turn into a message in the person's language. A detail written as
    ``"field: reason"`` without codes names its field with the code ``invalid``.
    """

    def __init__(self, detail: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        if fields is None:
            name, colon, _ = detail.partition(":")
            fields = {name.strip(): "invalid"} if colon and name.strip().isidentifier() else {}
        self.fields = fields


class IllegalTransition(InquiryError):
    """An action that the inquiry's current state does not allow (accepting a declined one).

    Raised by :mod:`directory.inquiry_states`, the one place that knows the transitions, so
    that no caller can move an inquiry where the workflow has no edge.
    """

    def __init__(self, action: str, status: str) -> None:
        action, status = str(action), str(status)  # the values of the states' enums
        super().__init__(f"{action!r} is not possible while the inquiry is {status!r}")
        self.action = action
        self.status = status


class InquiryLinkInvalid(InquiryError):
    """A tracking or answer link that this server did not sign, or for no inquiry we hold."""


class InquiryLinkExpired(InquiryError):
    """A genuine link that no longer works: too old, forwarded elsewhere, or data deleted."""


class UnknownProvider(InquiryError):
    """An inquiry (or a forward) names a provider id the directory does not hold."""


class EntryReportError(DirectoryError):
    """Base of the deliberate errors of public error reports on entries (issue 15)."""


class ReportInvalid(EntryReportError):
    """A field of an error report cannot be accepted; ``field`` names it for the form."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field


class UnknownEntry(EntryReportError):
    """A report names an entry id the directory does not hold."""


class ConfirmationError(DirectoryError):
    """Base of the deliberate errors of providers confirming or correcting entries."""


class ConfirmLinkInvalid(ConfirmationError):
    """A confirmation link this server did not sign (altered, invented, cut short)."""


class ConfirmLinkExpired(ConfirmationError):
    """A genuine confirmation link that no longer works: too old, or revoked by an editor."""


class ProposalInvalid(ConfirmationError):
    """A proposed value cannot be accepted; ``field`` names it, as the import's message does."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class ProposalConflict(ConfirmationError):
    """An editor changed a field after the proposal was made: approving it needs a choice."""

    def __init__(self, fields: list[str]) -> None:
        super().__init__("changed since the proposal: " + ", ".join(fields))
        self.fields = fields
