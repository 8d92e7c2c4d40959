"""A progress bar with rate and ETA on a terminal (rich), silent elsewhere (logs, CI)."""

from __future__ import annotations

import sys
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as RichProgress


class Progress:
    """``update(done, total)`` as the rebuild reports it; ``close()`` when it ends."""

    def __init__(self, label: str, stream: TextIO = sys.stderr) -> None:
        console = Console(file=stream)
        self.enabled = console.is_terminal
        self.bar = RichProgress(
            TextColumn(label),
            BarColumn(),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            TimeRemainingColumn(),
            console=console,
            disable=not self.enabled,
        )
        self.task = self.bar.add_task(label, total=None)
        self.started = False

    def update(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        if not self.started:
            self.bar.start()
            self.started = True
        self.bar.update(self.task, completed=done, total=total)

    def close(self) -> None:
        if self.started:
            self.bar.stop()
