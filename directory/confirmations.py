"""The confirmation cycle: providers say their entry is still right, correct it, or close it.

Every ``SOZIALATLAS_CONFIRM_MONTHS`` months after its last confirmation (HSDS
``assured_date``) a service's owner contact (``assurer_email``, else the service's e-mail;
without either the service is skipped and counted) gets a mail through the outbox with a
signed link to the self-service page (``/eintrag/<token>``). Without an answer it is
reminded twice, ``SOZIALATLAS_CONFIRM_REMINDER_DAYS`` apart; one more period later the
request is flagged "needs checking" for the editors.

The link names the request, its nonce and when it was issued (``django.core.signing``,
its own salt: it opens nothing else). It expires after ``SOZIALATLAS_CONFIRM_LINK_DAYS``;
an editor revoking the request changes the nonce, which ends every link sent for it.
Opening the page changes nothing, so a mail scanner opening it first is harmless.

"Still correct" sets the date; "closed" or "paused until" sets the service's status at
once (the revision signal re-indexes it, so it leaves search within seconds; a pause ends
on its date, at the next run); everything else is a proposal for the editors
(:mod:`directory.proposals`). The change history names the provider as the source of
each of these changes (:mod:`directory.history`). Time is passed in (``now``), so tests
move it forward.
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from typing import Any

from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from directory.confirm_config import ConfirmConfig
from directory.confirmation_mail import post_request
from directory.confirmation_models import ConfirmationRequest, RequestState, new_nonce
from directory.errors import ConfirmLinkExpired, ConfirmLinkInvalid, ProposalInvalid
from directory.freshness import months_before
from directory.history import Source, change_source
from directory.proposals import propose
from directory.service_models import Service, Status
from directory.workdays import CITY_TIME

_SALT = "sozialatlas.entry.confirm"
MAX_TOKEN_LENGTH = 300
REMINDERS = 2


# --- links ----------------------------------------------------------------------------------


def link_token(request: ConfirmationRequest, now: datetime | None = None) -> str:
    issued = int(now.timestamp() if now is not None else time.time())
    payload = {"c": request.pk, "n": request.nonce, "t": issued}
    return signing.Signer(salt=_SALT).sign_object(payload)


def read_link(
    token: str, config: ConfirmConfig, now: datetime | None = None
) -> ConfirmationRequest:
    """The request a link belongs to; :class:`ConfirmLinkInvalid` (not ours) or
    :class:`ConfirmLinkExpired` (too old, revoked, the entry gone)."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise ConfirmLinkInvalid("this link is not valid")
    try:
        payload: Any = signing.Signer(salt=_SALT).unsign_object(token)
        pk, nonce, issued = int(payload["c"]), str(payload["n"]), float(payload["t"])
    except (signing.BadSignature, ValueError, UnicodeError, KeyError, TypeError) as exc:
        raise ConfirmLinkInvalid("this link is not valid (incomplete or altered)") from exc
    age = (now or timezone.now()).timestamp() - issued
    if age > config.link_days * 86400:
        raise ConfirmLinkExpired(f"this link is older than {config.link_days} days")
    request = ConfirmationRequest.objects.select_related("service").filter(pk=pk).first()
    if request is None or request.nonce != nonce or request.state == RequestState.REVOKED:
        raise ConfirmLinkExpired("this link was withdrawn by the editors")
    return request


def revoke(requests: Any) -> int:
    """End every link of ``requests`` (a queryset): a new nonce, state revoked."""
    count = 0
    for request in requests:
        request.nonce, request.state = new_nonce(), RequestState.REVOKED
        request.save(update_fields=["nonce", "state"])
        count += 1
    return count


# --- the provider's answers -----------------------------------------------------------------


def _today(now: datetime | None) -> date:
    return (now or timezone.now()).astimezone(CITY_TIME).date()


def _answered(request: ConfirmationRequest, state: str, now: datetime | None) -> None:
    request.state, request.answered_at = state, now or timezone.now()
    request.save(update_fields=["state", "answered_at", "paused_until"])


def confirm(request: ConfirmationRequest, now: datetime | None = None) -> None:
    """Answer "still correct": confirmed today (re-indexed through the revision signal)."""
    with transaction.atomic(), change_source(Source.PROVIDER):
        service = Service.objects.select_for_update().get(pk=request.service_id)
        service.assured_date = _today(now)
        service.save(update_fields=["assured_date", "modified"])
        _answered(request, RequestState.CONFIRMED, now)


def close(request: ConfirmationRequest, until: date | None, now: datetime | None = None) -> None:
    """Closed for good (no date) or paused until ``until``: out of search at once."""
    today = _today(now)
    if until is not None and until <= today:
        raise ProposalInvalid("until", "the date must lie in the future")
    with transaction.atomic(), change_source(Source.PROVIDER):
        service = Service.objects.select_for_update().get(pk=request.service_id)
        service.status = Status.DEFUNCT if until is None else Status.TEMPORARILY_CLOSED
        service.assured_date = today
        service.save(update_fields=["status", "assured_date", "modified"])
        request.paused_until = until
        _answered(request, RequestState.CLOSED, now)


def propose_changes(
    request: ConfirmationRequest, form: dict[str, Any], now: datetime | None = None
) -> bool:
    """Store the changes for review; False when nothing differs from the entry."""
    with transaction.atomic():
        proposal = propose(request.entry_id, form, request=request, now=now)
        if proposal is None:
            return False
        _answered(request, RequestState.PROPOSED, now)
    return True


# --- the periodic run -----------------------------------------------------------------------


def _contact(service: Service) -> str:
    return service.assurer_email or service.email or ""


def _resume(today: date) -> int:
    """Paused services whose date has come are searchable again."""
    due = ConfirmationRequest.objects.filter(
        state=RequestState.CLOSED, paused_until__lte=today,
        service__status=Status.TEMPORARILY_CLOSED,
    ).select_related("service")  # fmt: skip
    count = 0
    for request in due:
        with transaction.atomic(), change_source(Source.PROVIDER):  # the pause they gave
            service = request.service
            service.status = Status.ACTIVE
            service.save(update_fields=["status", "modified"])
            request.paused_until = None
            request.save(update_fields=["paused_until"])
        count += 1
    return count


def _follow_up(config: ConfirmConfig, now: datetime) -> tuple[int, int]:
    """Remind the open requests whose last mail is a period old; flag them after two."""
    reminded = flagged = 0
    cutoff = now - timedelta(days=config.reminder_days)
    due = ConfirmationRequest.objects.filter(state=RequestState.OPEN, last_sent__lte=cutoff)
    for request in due.select_related("service"):
        with transaction.atomic():
            if request.reminders >= REMINDERS:
                request.state = RequestState.FLAGGED
                request.save(update_fields=["state"])
                flagged += 1
                continue
            address = _contact(request.service)
            if not address:
                continue
            request.reminders += 1
            request.last_sent = now
            request.save(update_fields=["reminders", "last_sent"])
            post_request(request, address, config, link_token(request, now), now)
            reminded += 1
    return reminded, flagged


def _start(config: ConfirmConfig, now: datetime) -> tuple[int, int]:
    """New requests for active services not confirmed within the period (a bounded batch)."""
    today = _today(now)
    cutoff = months_before(today, config.months)
    asked = ConfirmationRequest.objects.filter(
        Q(state__in=(RequestState.OPEN, RequestState.FLAGGED)) | Q(created__date__gte=cutoff)
    ).values("service_id")
    due = (
        Service.objects.filter(status=Status.ACTIVE, at_locations__isnull=False)
        .filter(Q(assured_date__isnull=True) | Q(assured_date__lt=cutoff))
        .exclude(id__in=asked)
        .distinct()
        .order_by("assured_date", "id")
    )
    sent = skipped = 0
    for service in due[: config.batch]:
        address = _contact(service)
        if not address:
            skipped += 1
            continue
        entry = service.at_locations.order_by("id").values_list("id", flat=True).first()
        with transaction.atomic():
            request = ConfirmationRequest.objects.create(
                service=service, entry_id=entry or "", created=now, last_sent=now
            )
            post_request(request, address, config, link_token(request, now), now)
        sent += 1
    return sent, skipped


def run_cycle(config: ConfirmConfig, now: datetime | None = None) -> dict[str, int]:
    """Everything due now: pauses ending, reminders and flags, new requests. Safe to run
    twice: each step selects only what is due and marks it done in the same transaction."""
    now = now or timezone.now()
    resumed = _resume(_today(now))
    reminded, flagged = _follow_up(config, now)
    sent, skipped = _start(config, now)
    done = {"resumed": resumed, "reminded": reminded, "flagged": flagged, "sent": sent,
            "skipped_no_contact": skipped}  # fmt: skip
    return {key: value for key, value in done.items() if value}
