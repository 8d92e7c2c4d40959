"""A refused inquiry in the person's language: per-field codes and messages (API and pages).

The workflow refuses with a stable code per field (:class:`directory.errors.InquiryInvalid`,
``too_short``, ``invalid_email``, …); Ninja refuses what does not fit the schema (a missing
field, a string over its limit, a ``consent`` that is no boolean). Both become the same
answer here: for the API a 422 body whose ``fields`` give each field's code and a message
in the interface language (``?lang=``, the language cookie, ``Accept-Language``), for the
form the message next to each field. The messages are the pages' strings (``inq_err_*`` in
:mod:`api.messages`, translated in every catalogue).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from api.web import i18n
from directory.errors import InquiryInvalid

# (field, code) first, then the code alone, then the field's general message.
_BY_FIELD: dict[tuple[str, str], str] = {
    ("message", "required"): "inq_err_message_short",
    ("message", "too_short"): "inq_err_message_short",
    ("text", "required"): "inq_err_text",
    ("provider_id", "required"): "inq_err_provider",
}
_BY_CODE: dict[str, str] = {
    "consent_required": "inq_err_consent",
    "too_short": "inq_err_message_short",
    "too_long": "inq_err_too_long",
    "too_many_links": "inq_err_links",
    "invalid_email": "inq_err_email",
    "invalid_phone": "inq_err_phone",
    "contact_missing": "inq_err_contact",
    "invalid_language": "inq_err_language",
    "invalid_reason": "inq_err_reason",
    "unknown_provider": "inq_err_provider",
    "required": "inq_err_required",
}
_BY_NAME: dict[str, str] = {
    "consent": "inq_err_consent",
    "contact_email": "inq_err_email",
    "contact_phone": "inq_err_phone",
    "language": "inq_err_language",
    "reason": "inq_err_reason",
    "provider_id": "inq_err_provider",
}
# Pydantic's error types (Ninja's schema validation) as the workflow's codes.
_PYDANTIC: dict[str, str] = {
    "missing": "required",
    "string_too_short": "required",  # min_length=1: an empty string
    "string_too_long": "too_long",
    "too_long": "too_long",
}


def message_key(field: str, code: str) -> str:
    """The page string that explains ``code`` on ``field``."""
    return (
        _BY_FIELD.get((field, code)) or _BY_CODE.get(code) or _BY_NAME.get(field) or "inq_err_field"
    )


def localized(fields: dict[str, str], lang: str) -> dict[str, dict[str, str]]:
    """``{field: {"code", "message"}}`` with each message in ``lang``."""
    t = i18n.strings(lang)
    return {
        field: {"code": code, "message": t[message_key(field, code)]}
        for field, code in fields.items()
    }


def from_schema(errors: list[dict[str, Any]]) -> InquiryInvalid:
    """Ninja's validation errors of an inquiry request as one refusal with codes."""
    fields: dict[str, str] = {}
    details = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        field = location[-1] if len(location) > 2 else "body"  # ("body", "payload", field)
        fields.setdefault(field, _PYDANTIC.get(str(error.get("type")), "invalid"))
        details.append(f"{field}: {error.get('msg', 'invalid')}")
    return InquiryInvalid("; ".join(details), fields)


def body(request: HttpRequest, exc: InquiryInvalid) -> dict[str, Any]:
    """The API's 422 body: the English detail, the language and each field's problem."""
    lang, _ = i18n.choose(request)
    return {
        "error": "invalid_inquiry",
        "detail": str(exc),
        "language": lang,
        "fields": localized(exc.fields, lang),
    }
