"""The directory's pages in the Django admin: each admin module registers its own models."""

from directory import (  # noqa: F401
    entry_admin,
    inquiry_admin,
    outbox_admin,
    proposal_admin,
    record_admin,
)
