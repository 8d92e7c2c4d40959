"""``/inquiries``: a person asks a provider through the site; the provider answers by link.

No accounts on either side. The person gets a signed tracking token (the status, the
provider's reply, a follow-up message, withdrawing); the provider gets a signed answer
token by e-mail (opening it marks the inquiry read; reply, accept, decline, forward, done).
The workflow is :mod:`directory.inquiries` and :mod:`directory.inquiry_answers` (their
mails are queued on commit by :mod:`api.signals`); this router adds HTTP: the spam guards
(:mod:`api.inquiry_guard`), the limits per client and per provider, and the views. A link
that is not ours, expired or for deleted data is a clear 404/410 JSON answer (mapped in
:mod:`api.apis`), never a server error; nothing about a person, a message or a client
address is logged.
"""

from __future__ import annotations

from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Path, Router, Schema
from ninja.responses import Status

from api.inquiry_intake import submit_inquiry, tracking_url
from api.ratelimit import enforce
from directory import inquiries as person_side
from directory import inquiry_answers as provider_side
from directory.inquiry_config import InquiryConfig
from directory.inquiry_fields import MESSAGE_MAX, NAME_MAX, NOTE_MAX, TIMES_MAX, Draft
from directory.inquiry_models import DeclineReason, Inquiry
from directory.inquiry_states import CLOSED, Action, Actor, allowed_actions
from directory.inquiry_states import Status as State
from directory.inquiry_tokens import AnswerLink, read_answer, read_tracking

router = Router(tags=["inquiries"])
Token = Path[str]
_PROVIDER_ACTIONS = {"reply": Action.REPLY, "accept": Action.ACCEPT, "decline": Action.DECLINE,
                     "forward": Action.FORWARD, "done": Action.COMPLETE}  # fmt: skip
_SHOWN_NOTES = {Action.MESSAGE, Action.REPLY, Action.ACCEPT, Action.DECLINE, Action.COMPLETE,
                Action.WITHDRAW, Action.FORWARD}  # fmt: skip


class FieldProblem(Schema):
    code: str = Field(description="Stable: consent_required, too_short, invalid_email, …")
    message: str = Field(description="For the person, in the interface language")


class Error(Schema):
    """The error body of :mod:`api.apis`; a refused inquiry (422) names each field."""

    error: str | None = None
    detail: Any
    language: str | None = Field(None, description="422: the language of the messages")
    fields: dict[str, FieldProblem] | None = Field(None, description="422: per refused field")


class InquiryIn(Schema):
    provider_id: str = Field(..., min_length=1, max_length=100)
    message: str = Field(..., min_length=1, max_length=MESSAGE_MAX)
    contact_email: str | None = Field(None, max_length=254)
    contact_phone: str | None = Field(None, max_length=40, description="Any notation; stored E.164")
    contact_times: str | None = Field(None, max_length=TIMES_MAX, description="When to call")
    language: str = Field("de", max_length=16, description="Preferred language (ISO 639-1)")
    name: str | None = Field(None, max_length=NAME_MAX)
    consent: bool = Field(..., description="Agreement that the data is passed to the provider")
    website: str | None = Field(None, max_length=500, description="Honeypot: leave empty")
    form_token: str | None = Field(None, max_length=100, description="From the web form")


class Created(Schema):
    reference: str
    status: str
    tracking_url: str
    tracking_token: str


class Step(Schema):
    at: str
    action: str
    actor: str
    status: str


class Note(Schema):
    at: str
    action: str
    author: str
    text: str


class ProviderRef(Schema):
    id: str
    name: str


class Tracking(Schema):
    reference: str
    status: str
    closed: bool
    created: str
    provider: ProviderRef
    decline_reason: str | None
    history: list[Step]
    notes: list[Note]
    actions: list[str]


class Contact(Schema):
    name: str
    email: str
    phone: str
    times: str


class ProviderView(Tracking):
    message: str
    language: str
    contact: Contact
    decline_reasons: list[str]


class MessageIn(Schema):
    text: str = Field(..., min_length=1, max_length=NOTE_MAX)


class WithdrawIn(Schema):
    text: str | None = Field(None, max_length=NOTE_MAX)


class AnswerIn(Schema):
    action: Literal["reply", "accept", "decline", "forward", "done"]
    text: str | None = Field(None, max_length=NOTE_MAX)
    reason: str | None = Field(None, max_length=32, description="For decline: a reason code")
    provider_id: str | None = Field(None, max_length=100, description="For forward")


_ERRORS: dict[int, type[Schema]] = {404: Error, 409: Error, 410: Error, 422: Error}


def _config() -> InquiryConfig:
    config: InquiryConfig = settings.INQUIRIES
    return config


@router.post("", response={201: Created, **_ERRORS}, summary="Ask a provider")
def create(request: HttpRequest, payload: InquiryIn) -> Status[Created]:
    draft = Draft(
        provider_id=payload.provider_id,
        message=payload.message,
        contact_email=payload.contact_email,
        contact_phone=payload.contact_phone,
        contact_times=payload.contact_times,
        language=payload.language,
        name=payload.name,
        consent=payload.consent,
    )
    # The same path as the web form (api.inquiry_intake): 404, spam guards, limits, submit.
    submitted = submit_inquiry(request, draft, payload.website, payload.form_token)
    url = tracking_url(submitted.tracking_token)
    return Status(
        201,
        Created(
            reference=submitted.inquiry.reference,
            status=submitted.inquiry.status,
            tracking_url=url,
            tracking_token=submitted.tracking_token,
        ),
    )


@router.get("/provider/{token}", response={200: ProviderView, **_ERRORS}, summary="Answer view")
def provider_view(request: HttpRequest, token: Token) -> ProviderView:
    """What the provider sees behind the answer link; the first opening marks it read."""
    inquiry = provider_side.open_inquiry(token, _config())
    return _provider_view(inquiry, read_answer(token, _config().link_days))


@router.post("/provider/{token}", response={200: ProviderView, **_ERRORS}, summary="Answer")
def provider_answer(request: HttpRequest, token: Token, payload: AnswerIn) -> ProviderView:
    inquiry = provider_side.answer(
        token,
        payload.action,
        _config(),
        text=payload.text,
        reason=payload.reason,
        provider_id=payload.provider_id,
    )
    return _provider_view(inquiry, read_answer(token, _config().link_days))


@router.get("/{token}", response={200: Tracking, **_ERRORS}, summary="Track an inquiry")
def tracking(request: HttpRequest, token: Token) -> Tracking:
    return _tracking(person_side.find(read_tracking(token)), _config())


@router.post("/{token}/messages", response={200: Tracking, **_ERRORS}, summary="Write again")
def add_message(request: HttpRequest, token: Token, payload: MessageIn) -> Tracking:
    reference = read_tracking(token)
    enforce("inquiry-message", reference, settings.RATE_LIMIT_INQUIRY_CLIENT)
    inquiry = person_side.add_message(reference, payload.text, _config())
    return _tracking(inquiry, _config())


@router.post("/{token}/withdraw", response={200: Tracking, **_ERRORS}, summary="Withdraw")
def withdraw(request: HttpRequest, token: Token, payload: WithdrawIn) -> Tracking:
    inquiry = person_side.withdraw(read_tracking(token), payload.text, _config())
    return _tracking(inquiry, _config())


def _tracking(inquiry: Inquiry, config: InquiryConfig) -> Tracking:
    actions = allowed_actions(State(inquiry.status), Actor.PERSON)
    return Tracking(**_common(inquiry, config), actions=[str(a) for a in actions])


def _provider_view(inquiry: Inquiry, link: AnswerLink) -> ProviderView:
    """The provider's view; after it forwarded the inquiry, without actions of its own."""
    config = _config()
    allowed: set[Action] = set()
    if inquiry.provider_id == link.provider_id:
        allowed = set(allowed_actions(State(inquiry.status), provider_side.actor_of(link)))
    open_ = config.cipher.open
    return ProviderView(
        **_common(inquiry, config),
        actions=[name for name, action in _PROVIDER_ACTIONS.items() if action in allowed],
        message=open_(inquiry.message_sealed),
        language=inquiry.language,
        contact=Contact(
            name=open_(inquiry.name_sealed),
            email=open_(inquiry.contact_email_sealed),
            phone=open_(inquiry.contact_phone_sealed),
            times=open_(inquiry.contact_times_sealed),
        ),
        decline_reasons=list(DeclineReason.values),
    )


def _common(inquiry: Inquiry, config: InquiryConfig) -> dict[str, Any]:
    """What both sides see: status, provider, the history and the written notes."""
    events = list(inquiry.events.all())
    return {
        "reference": inquiry.reference,
        "status": inquiry.status,
        "closed": inquiry.status in CLOSED,
        "created": inquiry.created.isoformat(),
        "provider": ProviderRef(id=inquiry.provider_id, name=inquiry.provider_name),
        "decline_reason": inquiry.decline_reason or None,
        "history": [
            Step(at=e.at.isoformat(), action=e.action, actor=e.actor, status=e.status_to)
            for e in events
        ],
        "notes": [
            Note(
                at=e.at.isoformat(),
                action=e.action,
                author=e.actor,
                text=config.cipher.open(e.note_sealed),
            )
            for e in events
            if e.note_sealed and e.action in _SHOWN_NOTES
        ],
    }
