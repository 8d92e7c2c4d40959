"""Accepting a new inquiry: the one path the API and the web form both take.

The spam guards, the limits per client and per provider and the workflow's ``submit`` are
applied here in one order, so that the page cannot become a way around a guard the API
has (or the other way round). The provider is looked up first: a request naming nobody is
"not found" before anything else is judged.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from api.inquiry_guard import check_form
from api.ratelimit import client_digest, enforce
from directory import inquiries as person_side
from directory.inquiry_config import InquiryConfig
from directory.inquiry_fields import Draft
from directory.inquiry_models import Inquiry
from directory.inquiry_tokens import TRACKING_PATH


def config() -> InquiryConfig:
    value: InquiryConfig = settings.INQUIRIES
    return value


def submit_inquiry(
    request: HttpRequest,
    draft: Draft,
    honeypot: str | None,
    form_token: str | None,
    follows: Inquiry | None = None,
) -> person_side.Submitted:
    """Check and store ``draft``; raises the workflow's and the guards' deliberate errors.
    ``follows``: the declined or expired inquiry a re-send from the tracking page repeats."""
    person_side.provider_for(draft.provider_id)
    check_form(honeypot, form_token, settings.INQUIRY_MIN_FILL_SECONDS)
    enforce("inquiry-client", client_digest(request), settings.RATE_LIMIT_INQUIRY_CLIENT)
    enforce("inquiry-provider", draft.provider_id[:32], settings.RATE_LIMIT_INQUIRY_PROVIDER)
    return person_side.submit(draft, config(), settings.INQUIRY_MAX_LINKS, follows=follows)


def tracking_url(token: str) -> str:
    """The person's tracking page, absolute (as the mails give it)."""
    return config().url(TRACKING_PATH.format(token=token))
