"""Values in the forms HSDS demands: URIs, e-mail addresses, timestamps, language names.

Our records keep web and e-mail addresses as people write them, internationalised domains
and umlauts in paths included (``directory.records`` accepts them). HSDS declares
``format: uri`` and ``format: email``, which allow ASCII only, so the published form
spells the host in punycode and percent-encodes the rest. An address that still cannot
be written as ASCII is left out rather than published invalid. The import turns the
ASCII forms back (:func:`decode_uri`, :func:`decode_email`), so a round trip keeps them.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit, urlunsplit

# RFC 3986 characters that may stand unescaped in a path, query or fragment.
_SAFE = "/:@!$&'()*+,;=-._~?"
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")

# English names (as HSDS's examples write them) of the languages our records carry.
LANGUAGE_NAMES: dict[str, str] = {
    "de": "German", "en": "English", "ru": "Russian", "uk": "Ukrainian", "ar": "Arabic",
    "tr": "Turkish", "fa": "Persian", "pl": "Polish", "vi": "Vietnamese", "ti": "Tigrinya",
    "fr": "French", "es": "Spanish", "it": "Italian", "ku": "Kurdish", "ro": "Romanian",
    "bg": "Bulgarian", "cs": "Czech", "sq": "Albanian", "ps": "Pashto", "so": "Somali",
    "hu": "Hungarian", "el": "Greek", "zh": "Chinese", "sr": "Serbian", "hr": "Croatian",
    "pt": "Portuguese", "hi": "Hindi", "dgs": "German Sign Language",
}  # fmt: skip


def _ascii_host(host: str) -> str | None:
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return None


def _escape(part: str) -> str:
    return quote(_LONE_PERCENT.sub("%25", part), safe=_SAFE + "%")


def as_uri(url: str | None) -> str | None:
    """``url`` as an RFC 3986 URI (punycode host, escaped path), or None if impossible."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        return None
    host = _ascii_host(parts.hostname or "")
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    # An empty path stays empty (a valid URI): the import gives back what was published.
    uri = f"{parts.scheme.lower()}://{netloc}{_escape(parts.path)}"
    if parts.query:
        uri += "?" + _escape(parts.query)
    if parts.fragment:
        uri += "#" + _escape(parts.fragment)
    return uri


def as_email(address: str | None) -> str | None:
    """The address with its domain in punycode; None if the local part is not ASCII."""
    if not address or "@" not in address:
        return None
    local, _, domain = address.strip().rpartition("@")
    host = _ascii_host(domain)
    if not local or not local.isascii() or not host:
        return None
    return f"{local}@{host}"


def revision_time(revision: int) -> str | None:
    """The save time a revision stands for (``directory.models.next_revision``: µs since
    the epoch) as an RFC 3339 timestamp; None for revisions that are no time (files)."""
    if revision < 10**15:  # before 2001-09: a counter (snapshots use 1), not a save time
        return None
    moment = datetime.fromtimestamp(revision / 1_000_000, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def revision_after(moment: datetime) -> int:
    """The smallest revision saved at or after ``moment`` (naive means UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1_000_000)


# --- the way back: the published ASCII forms as the addresses people write ------------------

_ESCAPED_UTF8 = re.compile(r"(?:%[89A-Fa-f][0-9A-Fa-f])+")


def _unicode_host(host: str) -> str:
    try:
        return host.encode("ascii").decode("idna")
    except UnicodeError:
        return host


def _unescape_utf8(part: str) -> str:
    """Percent-escaped UTF-8 as its characters; ASCII escapes (``%20``) and bytes that are
    no UTF-8 stay escaped, as the stored address must stay one word."""

    def decode(found: re.Match[str]) -> str:
        text = bytes.fromhex(found[0].replace("%", "")).decode("utf-8", "surrogateescape")
        return "".join(
            f"%{ord(char) - 0xDC00:02X}" if 0xDC80 <= ord(char) <= 0xDCFF else char for char in text
        )

    return _ESCAPED_UTF8.sub(decode, part)


def decode_uri(uri: str | None) -> str | None:
    """The inverse of :func:`as_uri`: host out of punycode, escaped UTF-8 as characters."""
    if not uri or not uri.strip():
        return None
    parts = urlsplit(uri.strip())
    host = parts.hostname or ""
    netloc = parts.netloc.replace(host, _unicode_host(host), 1) if host else parts.netloc
    return urlunsplit(
        (
            parts.scheme,
            netloc,
            *(_unescape_utf8(p) for p in (parts.path, parts.query, parts.fragment)),
        )
    )


def decode_email(address: str | None) -> str | None:
    """The inverse of :func:`as_email`: the domain out of punycode."""
    if not address or "@" not in address:
        return address or None
    local, _, domain = address.strip().rpartition("@")
    return f"{local}@{_unicode_host(domain)}"
