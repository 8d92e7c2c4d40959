"""The directory's pages in the Django admin: each admin module registers its own models."""

from directory import entry_admin, inquiry_admin, outbox_admin, record_admin  # noqa: F401
