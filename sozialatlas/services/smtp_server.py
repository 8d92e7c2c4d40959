"""The local SMTP server process: takes every message and keeps it as a ``.eml`` file.

Started detached by :class:`sozialatlas.services.local_smtp.LocalSmtp` (``python -m
sozialatlas.services.smtp_server --port P --dir D``), it speaks real SMTP (``aiosmtpd``), so
the project's mail goes through Django's SMTP backend exactly as in production, and what
would have reached a provider can be read with ``sozialatlas mail list | show``. It relays
nothing. Each message is written to a temporary name and renamed, so a reader never sees
half a file; the envelope sender and recipients are prepended as ``X-Envelope-*`` headers.
``--rcpt-delay`` holds every RCPT command for a while (fault tests kill a worker mid-send).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

MAX_MESSAGE_BYTES = 10 * 1024 * 1024


class MailKeeper:
    """The aiosmtpd handler: every accepted message becomes one file in ``directory``."""

    def __init__(self, directory: Path, rcpt_delay: float = 0.0) -> None:
        self.directory = directory
        self.rcpt_delay = rcpt_delay

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if self.rcpt_delay:
            await asyncio.sleep(self.rcpt_delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        if isinstance(envelope.content, bytes) and not raw:
            raw = envelope.content
        header = (
            f"X-Envelope-From: {envelope.mail_from}\r\n"
            f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n"
        ).encode("utf-8", "replace")
        now = time.time()  # sortable to the microsecond: `mail list` shows arrival order
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
        name = f"{stamp}-{int(now * 1e6) % 1_000_000:06d}-{uuid.uuid4().hex[:6]}"
        temporary = self.directory / f".{name}.tmp"
        temporary.write_bytes(header + raw)
        os.replace(temporary, self.directory / f"{name}.eml")
        return "250 Message accepted for delivery"


async def serve(port: int, directory: Path, rcpt_delay: float) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    handler = MailKeeper(directory, rcpt_delay)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(
            handler,
            hostname="localhost",
            enable_SMTPUTF8=True,
            data_size_limit=MAX_MESSAGE_BYTES,
            timeout=60,
        ),
        host="127.0.0.1",
        port=port,
    )
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    print(f"smtp: listening on 127.0.0.1:{port}, keeping mail in {directory}", flush=True)
    await stop.wait()
    server.close()
    await server.wait_closed()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="smtp_server")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--rcpt-delay", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    asyncio.run(serve(args.port, args.dir, args.rcpt_delay))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
