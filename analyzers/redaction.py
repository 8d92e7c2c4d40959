"""Personal data out of what people type: e-mail addresses, phone, IBAN and reference numbers.

Pure text in, text out; the search log (``api.searchlog``) redacts the typed and the
normalised query with it before anything is stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# E-mail addresses, also written "name(at)gmx.de", "name [at] gmx . de" or without a domain
# ending ("name@gmx"), the usual ways people keep an address from being harvested.
_AT = r"(?:@|\s*[\(\[\{]\s*(?:at|ät|bei)\s*[\)\]\}]\s*)"
_DOT = r"(?:\.|\s*[\(\[\{]\s*(?:dot|punkt)\s*[\)\]\}]\s*)"
_EMAIL = re.compile(rf"[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*", re.UNICODE | re.IGNORECASE)
_IBAN = re.compile(
    r"\b[A-Za-z]{2}\d{2}(?:[ \u00a0]?[A-Za-z0-9]{4}){0,2}(?:[ \u00a0]?\d{4}){1,6}"
    r"(?:[ \u00a0]?\d{1,3})?\b"
)
# Phone numbers with any separator people type: spaces (also no-break), slashes, dots,
# hyphens and dashes, commas, brackets.
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d \t\u00a0\u202f/().,\-\u2010-\u2015]{4,}\d(?!\w)")
# Customer, file and contract numbers named as such ("Kundennr 123456", "Az.: 12 C 345/24").
_REFERENCE = re.compile(
    r"(?i)\b(?:kunden|kd|vertrags|versicherungs|mitglieds|bg|akten|rechnungs|steuer|"
    r"az|customer|account|reference|ref|contract|case)\s*[.-]?\s*"
    r"(?:nr|nummer|no|number|zeichen|id|#)?\.?\s*:?\s*[a-z]{0,3}[\d][\w /.-]{2,}\d"
)
_LONG_NUMBER = re.compile(r"(?<!\w)\d{6,}(?!\w)")
PHONE_MIN_DIGITS = 7


def _phone(match: re.Match[str]) -> str:
    digits = sum(ch.isdigit() for ch in match.group(0))
    return "[phone]" if digits >= PHONE_MIN_DIGITS else match.group(0)


def redact(text: str) -> str:
    """Replace e-mail addresses, IBANs, reference and phone numbers with placeholders.

    Applied to the text as typed and to its normalised form alike, before anything is
    stored: the log keeps what people asked, not who they are.
    """
    lowered = text.lower()
    if not any(ch.isdigit() or ch == "@" for ch in text) and "at" not in lowered:
        return text  # the common case: nothing that could be personal data
    text = _EMAIL.sub("[email]", text)
    text = _IBAN.sub(
        lambda m: "[iban]" if sum(c.isdigit() for c in m.group(0)) >= 8 else m.group(0), text
    )
    text = _REFERENCE.sub("[number]", text)
    text = _PHONE.sub(_phone, text)
    return _LONG_NUMBER.sub("[number]", text)


def redact_terms(terms: Iterable[str], raw: str) -> list[str]:
    """Drop terms that are (parts of) personal data found in ``raw``."""
    patterns = (_EMAIL, _IBAN, _REFERENCE, _PHONE, _LONG_NUMBER)
    found = [m.group(0).lower() for rx in patterns for m in rx.finditer(raw)]
    kept = []
    for term in terms:
        if "@" in term or (found and any(term.lower() in f for f in found)):
            continue
        if redact(term) != term:
            continue
        kept.append(term)
    return kept


# --------------------------------------------------------------------------- mapping
