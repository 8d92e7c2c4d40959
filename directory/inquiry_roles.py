"""The staff roles of the inquiry admin, as Django groups with their permissions.

* **Koordinierungsstelle** (the city's coordination desk): the inquiries with their status,
  the person's message and contact (each view audited), reopening, deleting one opened by
  mistake, the audit log, the state of outgoing mail.
* **Auswertung** (analysts): the figures only — the dashboard's inquiry tables and the
  analytics API's aggregates; no inquiry, no message, no contact.
* **Betrieb** (operators): outgoing mail, to see failed mails and send them again; never
  their recipients or bodies.

The groups are created (and missing permissions added) after every ``migrate``; staff
accounts are put into them in the admin's user pages. A superuser has every permission.
"""

from __future__ import annotations

from typing import Any

DESK_GROUP = "Koordinierungsstelle"
ANALYST_GROUP = "Auswertung"
OPERATOR_GROUP = "Betrieb"

# group -> permission codenames of the directory's app (label "api")
ROLES: dict[str, tuple[str, ...]] = {
    DESK_GROUP: (
        "view_inquiry",
        "view_personal_data",
        "reopen_inquiry",
        "delete_inquiry",
        "view_inquiry_figures",
        "view_inquiryaudit",
        "view_outboundmail",
    ),
    ANALYST_GROUP: ("view_inquiry_figures",),
    OPERATOR_GROUP: ("view_outboundmail", "retry_outboundmail"),
}
APP_LABEL = "api"


def ensure_roles(using: str = "default", **kwargs: Any) -> None:
    """Create the groups and give them their permissions (``post_migrate``; idempotent).

    Only adds: a permission an administrator gave a group on top is left alone.
    """
    from django.contrib.auth.models import Group, Permission

    for name, codenames in ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        permissions = Permission.objects.using(using).filter(
            content_type__app_label=APP_LABEL, codename__in=codenames
        )
        group.permissions.add(*permissions)
