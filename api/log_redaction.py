"""Log records without the credentials some request paths carry.

Django logs every 4xx and 5xx answer with its path ("Not Found: /api/v1/inquiries/<token>"),
and an inquiry's tracking or answer token in a path opens a person's message and contact.
This filter sits on the console handler (``LOGGING`` in :mod:`api.settings`), so whatever
logger a record comes from, the token is replaced before it is written.
"""

from __future__ import annotations

import logging

from directory.inquiry_tokens import redact_tokens


class TokenRedaction(logging.Filter):
    """Replace inquiry tokens in a record's message and string arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_tokens(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_tokens(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True
