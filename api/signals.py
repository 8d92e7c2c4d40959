"""Queue indexing after every committed change of a record (a service at a location, or a
row it is built from), and sending after every committed outbox row (a mail of the
inquiry workflow)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from api.context import task_queue
from directory.models import OutboundMail, ServiceAtLocation, next_revision
from directory.outbox import mails_due
from directory.revisions import records_changed


@receiver(post_save, sender=ServiceAtLocation)
def queue_index(
    sender: type[ServiceAtLocation], instance: ServiceAtLocation, **kwargs: Any
) -> None:
    provider_id = instance.id
    transaction.on_commit(lambda: task_queue().enqueue_index([provider_id]))


@receiver(records_changed)
def queue_changed(sender: Any, ids: list[str], **kwargs: Any) -> None:
    """An organisation, service, location or detail changed: its records' new revisions
    (``directory.revisions``) are indexed once the change is committed."""
    changed = list(ids)
    transaction.on_commit(lambda: task_queue().enqueue_index(changed))


@receiver(post_delete, sender=ServiceAtLocation)
def queue_delete(
    sender: type[ServiceAtLocation], instance: ServiceAtLocation, **kwargs: Any
) -> None:
    provider_id, version = instance.id, next_revision()
    transaction.on_commit(lambda: task_queue().enqueue_delete(provider_id, version))


@receiver(post_save, sender=OutboundMail)
def queue_mail(
    sender: type[OutboundMail], instance: OutboundMail, created: bool, **kwargs: Any
) -> None:
    """A new outbox row is sent once its transaction commits (rolled back: never)."""
    if created:
        mail_id = instance.pk
        transaction.on_commit(lambda: task_queue().enqueue_mail([mail_id]))


@receiver(mails_due)
def queue_due_mail(sender: type[OutboundMail], ids: list[int], **kwargs: Any) -> None:
    """Mails made due again after their commit (a staff retry): sent now, not at the sweep."""
    task_queue().enqueue_mail(list(ids))
