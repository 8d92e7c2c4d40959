"""A progress line with rate and ETA on a terminal, silent elsewhere (logs, CI)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, label: str, stream: TextIO = sys.stderr) -> None:
        self.label = label
        self.stream = stream
        self.started = time.monotonic()
        self.enabled = stream.isatty()
        self.shown = False

    def update(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = done / elapsed
        eta = (total - done) / rate if rate > 0 else float("inf")
        width = 30
        filled = int(width * min(done / total, 1.0))
        bar = "#" * filled + "-" * (width - filled)
        eta_text = f"{eta:5.0f} s" if eta != float("inf") else "    ?"
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total} {rate:7.0f}/s ETA {eta_text}")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
