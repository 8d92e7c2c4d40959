"""``sozialatlas bench inquiries`` in miniature: the real command, its own state, the figures.

A few inquiries instead of a thousand, so that the benchmark's own machinery — the isolated
database, Redis database and SMTP mailbox, gunicorn, the Celery worker with its beat, the
counting by Message-ID — is known to work before it is run at full size. The command runs
as a child process (it configures Django for its private database, which this test process
cannot do again).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.integration


def test_a_small_burst_is_accepted_or_limited_and_delivered_once(
    services: Any, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "SOZIALATLAS_STATE_DIR": str(tmp_path),  # <state>/bench-inquiries: this test's own
        "SOZIALATLAS_RATE_LIMIT_INQUIRY_CLIENT": "10/h",  # the production limits
        "SOZIALATLAS_RATE_LIMIT_INQUIRY_PROVIDER": "30/h",
    }
    command = [sys.executable, "-m", "sozialatlas.cli", "bench", "inquiries"]
    command += ["--inquiries", "14", "--providers", "3", "--clients", "3", "--spam", "12"]
    command += ["--concurrency", "4", "--deliver-timeout", "120"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=400)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert (figures["accepted"], figures["rate_limited"], figures["other"]) == (12, 2, {})
    assert figures["mails_expected"] == figures["mails_kept"] == 24  # provider + receipt each
    assert figures["mails_missing"] == figures["duplicate_message_ids"] == 0
    assert figures["outbox_not_sent"] == 0 and figures["inquiries_delivered"] == 12
    assert 0 < figures["intake_p50_ms"] <= figures["intake_p95_ms"]
    assert "accepted 12, rate-limited (429) 2" in done.stdout
    mailbox = tmp_path / "bench-inquiries" / "mail" / "messages"
    assert len(list(mailbox.glob("*.eml"))) == 24  # its own mailbox, nobody else's mail
