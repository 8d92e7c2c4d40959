"""The two links of an inquiry, signed so that they cannot be guessed or altered.

* The **tracking** link belongs to the person (no account): it names the inquiry's
  reference and works as long as the inquiry's personal data exists.
* The **answer** link belongs to the provider (or the coordination desk acting for it): it
  names the reference, the provider it was sent to and when it was issued; it expires after
  ``SOZIALATLAS_INQUIRY_LINK_DAYS`` (every reminder carries a fresh one) and stops working
  for the old provider once the inquiry is forwarded.

Both are ``django.core.signing`` signatures (HMAC-SHA256 under the secret key, each kind its
own salt, as the search log signs its click tokens): a tampered or invented link is told
apart from an expired one, and neither ever reaches the database as a query.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any, Literal

from django.core import signing

from directory.errors import InquiryLinkExpired, InquiryLinkInvalid

_TRACKING_SALT = "sozialatlas.inquiry.tracking"
_ANSWER_SALT = "sozialatlas.inquiry.answer"
MAX_TOKEN_LENGTH = 400  # longer input is not one of ours; refused before any decoding
# The links in the mails open the web pages (``api/web/tracking.py``, ``api/web/answer.py``);
# the API's ``/api/v1/inquiries/{token}`` and ``…/provider/{token}`` take the same tokens.
TRACKING_PATH = "/anfrage/{token}"
ANSWER_PATH = "/antwort/{token}"

Audience = Literal["provider", "desk"]


@dataclass(frozen=True)
class AnswerLink:
    reference: str
    provider_id: str
    audience: Audience  # the provider itself, or the coordination desk acting for it
    issued: float


def tracking_token(reference: str) -> str:
    return signing.Signer(salt=_TRACKING_SALT).sign_object({"r": reference})


def answer_token(
    reference: str, provider_id: str, audience: Audience, now: float | None = None
) -> str:
    issued = int(time.time() if now is None else now)
    payload = {"r": reference, "p": provider_id, "a": audience, "t": issued}
    return signing.Signer(salt=_ANSWER_SALT).sign_object(payload)


def read_tracking(token: str) -> str:
    """The reference a tracking token names; :class:`InquiryLinkInvalid` if not ours."""
    payload = _unsign(token, _TRACKING_SALT)
    reference = payload.get("r")
    if not isinstance(reference, str):
        raise InquiryLinkInvalid("this tracking link is not valid")
    return reference


def read_answer(token: str, max_age_days: int, now: float | None = None) -> AnswerLink:
    """The answer link's content; invalid or older than ``max_age_days`` is refused."""
    payload = _unsign(token, _ANSWER_SALT)
    try:
        link = AnswerLink(str(payload["r"]), str(payload["p"]), payload["a"], float(payload["t"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise InquiryLinkInvalid("this answer link is not valid") from exc
    if link.audience not in ("provider", "desk"):
        raise InquiryLinkInvalid("this answer link is not valid")
    age = (time.time() if now is None else now) - link.issued
    if age > max_age_days * 86400:
        raise InquiryLinkExpired(
            f"this answer link is older than {max_age_days} days; "
            "the latest reminder e-mail has a fresh one"
        )
    return link


def _unsign(token: str, salt: str) -> dict[str, Any]:
    if len(token) > MAX_TOKEN_LENGTH:
        raise InquiryLinkInvalid("this link is not valid")
    try:
        payload = signing.Signer(salt=salt).unsign_object(token)
    except (signing.BadSignature, ValueError, UnicodeError) as exc:
        raise InquiryLinkInvalid("this link is not valid (incomplete or altered)") from exc
    if not isinstance(payload, dict):
        raise InquiryLinkInvalid("this link is not valid")
    return payload


_TOKEN_IN_PATH = re.compile(
    r"(/inquiries/(?:provider/)?|/anfrage/|/antwort/|/eintrag/)(?!provider(?:/|$))[^/\s?#]+"
)
REDACTED = "[token]"


def redact_tokens(text: str) -> str:
    """``text`` with the token of every inquiry path replaced: tokens are credentials, and
    logs (the access log, Django's "Not Found: /path" warnings) must not hand them out."""
    return _TOKEN_IN_PATH.sub(lambda match: match.group(1) + REDACTED, text)
