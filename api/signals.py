"""Queue indexing after every committed save or delete of a Provider, and sending after
every committed outbox row (a mail of the inquiry workflow)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from api.context import task_queue
from directory.models import OutboundMail, Provider, next_revision
from directory.outbox import mails_due


@receiver(post_save, sender=Provider)
def queue_index(sender: type[Provider], instance: Provider, **kwargs: Any) -> None:
    provider_id = instance.id
    transaction.on_commit(lambda: task_queue().enqueue_index([provider_id]))


@receiver(post_delete, sender=Provider)
def queue_delete(sender: type[Provider], instance: Provider, **kwargs: Any) -> None:
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
