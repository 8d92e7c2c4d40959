"""Admin pages that show a record but never let staff add, change or delete it.

The audit log is append-only and outgoing mail is changed by the mail worker alone: their
admins mix this in, so "read-only" is one definition, not three methods copied per page.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


class ReadOnlyAdmin:
    """Mixed in before ``admin.ModelAdmin``: no add, change or delete permission."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
