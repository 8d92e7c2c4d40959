"""gunicorn's access log without the secrets some paths carry.

The inquiry links put a signed token in the path (``/api/v1/inquiries/<token>``,
``…/inquiries/provider/<token>``, and the pages ``/anfrage/<token>`` and
``/antwort/<token>``): whoever holds one reads a person's message and contact.
The access log keeps method, path, status and duration (``ACCESS_LOG_FORMAT``), so such a
path is logged with the token replaced — a log reader learns that an inquiry was tracked or
answered, not how to open it.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger  # type: ignore[import-untyped]

from directory.inquiry_tokens import redact_tokens


class AccessLogger(Logger):  # type: ignore[misc]  # gunicorn ships no type hints
    """gunicorn's logger, with ``%(U)s`` (the path) redacted."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        atoms["U"] = redact_tokens(str(atoms.get("U") or ""))
        atoms["r"] = redact_tokens(str(atoms.get("r") or ""))
        return atoms
