"""Spam guards of the inquiry form that need no third-party captcha.

* A **honeypot**: a field people never see (the form hides it, screen readers skip it),
  which form-filling bots fill in. Filled in, the inquiry is refused.
* A **minimum fill time**: the form carries a token signed when it was rendered; an
  inquiry sent sooner than ``SOZIALATLAS_INQUIRY_MIN_FILL_SECONDS`` after that is refused,
  and so is a token this server did not sign. API clients without a form send neither
  field; for them the rate limits per client and per provider, the size limits and the
  link count are the guards.

Refusals say what happened in plain words, because a person whose password manager filled
the hidden field must be able to understand and try again.
"""

from __future__ import annotations

import time

from django.core import signing

from api.errors import ApiError

_SALT = "sozialatlas.inquiry.form"
MAX_FORM_AGE = 24 * 3600  # a form left open for a day is sent again from a fresh page


class SpamSuspected(ApiError):
    """The inquiry looks automated (honeypot filled, sent too fast, forged form token).

    ``reason`` (``honeypot``, ``too_fast``, ``invalid``, ``too_old``) lets the web form say
    in the page's language what to do, where the API's English detail cannot.
    """

    def __init__(self, detail: str, reason: str = "invalid") -> None:
        super().__init__(detail)
        self.reason = reason


def form_token(now: float | None = None) -> str:
    """The token a form carries: when it was rendered, signed (for the page's hidden field)."""
    return signing.Signer(salt=_SALT).sign(str(int(time.time() if now is None else now)))


def check_form(honeypot: str | None, token: str | None, min_seconds: float) -> None:
    """Refuse a filled honeypot, a token that is not ours, or a form sent too soon."""
    if honeypot and honeypot.strip():
        raise SpamSuspected(
            "the hidden field 'website' was filled in, as only automated senders do; "
            "please send the form again without it",
            "honeypot",
        )
    if token is None:
        return
    try:
        rendered = int(signing.Signer(salt=_SALT).unsign(token[:100]))
    except (signing.BadSignature, ValueError) as exc:
        raise SpamSuspected("the form is not valid; please reload the page") from exc
    age = time.time() - rendered
    if age < min_seconds:
        raise SpamSuspected(
            f"the form was sent {max(age, 0):.0f} s after it was opened, faster than a "
            "person writes; please check your message and send it again",
            "too_fast",
        )
    if age > MAX_FORM_AGE:
        raise SpamSuspected("the form is too old; please reload the page", "too_old")
