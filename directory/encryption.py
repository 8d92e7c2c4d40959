"""Field-level encryption of what people write into an inquiry (message, contact, name).

A database dump, a backup or an analyst with SQL access sees Fernet tokens (AES-128-CBC with
HMAC-SHA256), not what a person in debt or at risk wrote: the key lives in the environment
(``SOZIALATLAS_INQUIRY_KEYS``), never in the database. Several keys may be given: the first
encrypts, all decrypt, so a key can be rotated without re-encrypting old rows at once.
Without a configured key one is derived from the secret key (HKDF), so a fresh machine works;
production sets its own, so that rotating the secret key does not make old messages unreadable.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from configuration.settings import PREFIX, ConfigError, Settings

log = logging.getLogger("sozialatlas.directory.encryption")
UNREADABLE = "[nicht lesbar / unreadable]"
_HKDF_SALT = b"sozialatlas-inquiries"
_HKDF_INFO = b"fernet-v1"


class FieldCipher:
    """Seal and open text fields; the empty text stays empty (nothing to protect)."""

    def __init__(self, keys: Sequence[bytes]) -> None:
        if not keys:
            raise ConfigError(f"{PREFIX}INQUIRY_KEYS: at least one key is needed")
        self._fernet = MultiFernet([Fernet(key) for key in keys])

    def seal(self, text: str | None) -> str:
        if not text:
            return ""
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def open(self, token: str) -> str:
        """The plain text; a token no configured key opens gives a marker, never a crash.

        That happens only when a key was removed from the setting too early: the page or
        mail shows the marker and the log says which setting to fix (never the content).
        """
        if not token:
            return ""
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, ValueError):
            log.error(
                "an inquiry field cannot be decrypted: is its key missing from %sINQUIRY_KEYS?",
                PREFIX,
            )
            return UNREADABLE


def derived_key(secret_key: str) -> bytes:
    """A Fernet key derived from the secret key (the default when none is configured)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT, info=_HKDF_INFO)
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode("utf-8")))


def new_key() -> str:
    """A fresh random key, as ``SOZIALATLAS_INQUIRY_KEYS`` expects it."""
    return Fernet.generate_key().decode("ascii")


def cipher_for(settings: Settings) -> FieldCipher:
    """The cipher of ``settings``; a malformed key stops the entry point with the variable."""
    raw = [part.strip() for part in settings.inquiry_keys.split(",") if part.strip()]
    if not raw:
        return FieldCipher([derived_key(settings.secret_key)])
    try:
        return FieldCipher([part.encode("ascii") for part in raw])
    except (ValueError, UnicodeEncodeError) as exc:
        raise ConfigError(
            f"{PREFIX}INQUIRY_KEYS: every key must be 32 url-safe base64-encoded bytes "
            "(generate one: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())')"
        ) from exc
