"""The person's side of a mediated inquiry: send one, add a message, withdraw it.

Each function is one database transaction that changes the inquiry through
:func:`directory.inquiry_states.record` and writes the mails it causes into the outbox
(:mod:`directory.inquiry_mail`); sending is the workers' job. ``now`` is a parameter so
that tests move time instead of sleeping.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from directory.errors import InquiryLinkExpired, InquiryLinkInvalid, UnknownProvider
from directory.inquiry_config import InquiryConfig
from directory.inquiry_fields import CleanDraft, Draft, clean_draft, clean_note
from directory.inquiry_mail import contact_fields, desk_note, post, provider_recipient
from directory.inquiry_models import Inquiry
from directory.inquiry_states import Action, Actor, record
from directory.inquiry_tokens import tracking_token
from directory.models import ServiceAtLocation

# Crockford's base32: no I, L, O, U, so a reference read out on the phone is unambiguous.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


@dataclass(frozen=True)
class Submitted:
    inquiry: Inquiry
    tracking_token: str


def new_reference() -> str:
    """``SA-7K3M-Q9PX``: 40 random bits, short enough to read out, never the only key."""
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"SA-{chars[:4]}-{chars[4:]}"


def provider_for(provider_id: str) -> ServiceAtLocation:
    """The provider an inquiry is for; :class:`UnknownProvider` (404) if the directory has none.

    Asked first, before any other judgement of the inquiry (the API checks spam and limits
    only for a provider that exists), so a request naming nobody is simply "not found".
    """
    provider = provider_or_none(provider_id)
    if provider is None:
        raise UnknownProvider(f"no provider with id {provider_id[:32]!r}")
    return provider


# The inquiry workflow reads the directory's provider records only through these functions,
# so a change of the provider tables (HSDS organisation/service/location) touches them alone.
def provider_or_none(provider_id: str) -> ServiceAtLocation | None:
    """The provider if the directory still holds it; None: it left (the desk serves)."""
    return ServiceAtLocation.objects.filter(id=provider_id.strip()[:32]).first()


def known_providers(ids: list[str]) -> set[str]:
    """Those of ``ids`` the directory holds (only they can receive an inquiry)."""
    return set(ServiceAtLocation.objects.filter(id__in=ids).values_list("id", flat=True))


def submit(
    draft: Draft,
    config: InquiryConfig,
    max_links: int,
    now: datetime | None = None,
    follows: Inquiry | None = None,
) -> Submitted:
    """Store the inquiry and its mails (to the provider or the desk, a receipt to the person).

    The provider is looked up first: an inquiry to a record that does not exist is refused
    before anything else is judged (:class:`UnknownProvider`). ``follows`` is the declined
    or expired inquiry the person re-sends from its tracking page: the chain tells the
    figures whether anybody could help in the end.
    """
    now = now or timezone.now()
    provider = provider_for(draft.provider_id)
    clean = clean_draft(draft, max_links)
    for _ in range(5):  # a reference collision is astronomically rare; then draw again
        try:
            with transaction.atomic():
                inquiry = _store(clean, provider, config, now, follows)
        except IntegrityError:
            continue
        return Submitted(inquiry, tracking_token(inquiry.reference))
    raise RuntimeError("could not draw a free inquiry reference")  # pragma: no cover


def _store(
    clean: CleanDraft,
    provider: ServiceAtLocation,
    config: InquiryConfig,
    now: datetime,
    follows: Inquiry | None,
) -> Inquiry:
    seal = config.cipher.seal
    to = provider_recipient(provider, config)
    inquiry = Inquiry.objects.create(
        reference=new_reference(),
        provider_id=provider.id,
        provider_name=provider.name,
        category=(provider.categories or [""])[0],
        district=provider.district,
        language=clean.language,
        routed_to_desk=to.audience == "desk",
        consent_at=now,
        name_sealed=seal(clean.name),
        contact_email_sealed=seal(clean.contact_email),
        contact_phone_sealed=seal(clean.contact_phone),
        contact_times_sealed=seal(clean.contact_times),
        message_sealed=seal(clean.message),
        created=now,
        assigned_at=now,
        follows=follows,
    )
    inquiry.events.create(
        at=now,
        action=Action.SUBMIT,
        actor=Actor.PERSON,
        status_from=inquiry.status,
        status_to=inquiry.status,
        provider_id=provider.id,
    )
    contact = contact_fields(
        clean.name, clean.contact_email, clean.contact_phone, clean.contact_times, clean.language
    )
    note = "" if to.audience == "provider" else desk_note(provider)
    post(
        inquiry, "provider_new", to.address, config, now, marks_delivered=True,
        audience=to.audience, message=clean.message, desk_note=note, **contact,
    )  # fmt: skip
    if clean.contact_email:
        post(inquiry, "person_received", clean.contact_email, config, now)
    return inquiry


def locked(reference: str) -> Inquiry:
    """The inquiry, locked for this transaction; a link to deleted data is expired."""
    inquiry = Inquiry.objects.select_for_update().filter(reference=reference).first()
    if inquiry is None:
        raise InquiryLinkInvalid("no inquiry belongs to this link")
    if inquiry.purged_at is not None:
        raise InquiryLinkExpired("this inquiry was closed and its personal data has been deleted")
    return inquiry


def find(reference: str) -> Inquiry:
    """The inquiry for reading (no lock); same refusals as :func:`locked`."""
    inquiry = Inquiry.objects.filter(reference=reference).first()
    if inquiry is None:
        raise InquiryLinkInvalid("no inquiry belongs to this link")
    if inquiry.purged_at is not None:
        raise InquiryLinkExpired("this inquiry was closed and its personal data has been deleted")
    return inquiry


def add_message(
    reference: str, text: str, config: InquiryConfig, now: datetime | None = None
) -> Inquiry:
    """The person writes again; the provider gets it with a fresh answer link."""
    now = now or timezone.now()
    note = clean_note(text, "text", required=True)
    with transaction.atomic():
        inquiry = locked(reference)
        record(inquiry, Action.MESSAGE, Actor.PERSON, now, config.cipher.seal(note))
        to = provider_recipient(provider_or_none(inquiry.provider_id), config)
        post(inquiry, "provider_message", to.address, config, now, audience=to.audience, note=note)
    return inquiry


def withdraw(
    reference: str, text: str | None, config: InquiryConfig, now: datetime | None = None
) -> Inquiry:
    """The person withdraws (cancelled); the provider is told, without a link to act on."""
    now = now or timezone.now()
    note = clean_note(text, "text", required=False)
    with transaction.atomic():
        inquiry = locked(reference)
        record(inquiry, Action.WITHDRAW, Actor.PERSON, now, config.cipher.seal(note))
        to = provider_recipient(provider_or_none(inquiry.provider_id), config)
        post(inquiry, "provider_withdrawn", to.address, config, now, note=note)
    return inquiry
