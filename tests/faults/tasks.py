"""Test-only tasks, loaded into the dedicated fault-suite worker with ``--include``.

They run through the production task class (:class:`workers.tasks.IndexingTask`), so the
delivery guarantees and the poison-task guard under test are the real ones.
"""

from __future__ import annotations

import os
import signal
import time
from typing import Any

from workers.app import app
from workers.tasks import BaseTask, IndexingTask, index_provider


@app.task(base=IndexingTask, bind=True, name="faults.slow_index")
def slow_index(self: BaseTask, provider_id: str, seconds: float) -> Any:
    """Index one provider after ``seconds``: long enough to kill the worker meanwhile."""
    time.sleep(seconds)
    return index_provider.run(provider_id)


@app.task(base=IndexingTask, bind=True, name="faults.kill_own_worker")
def kill_own_worker(self: BaseTask, provider_id: str) -> None:
    """A poison task: every delivery kills the pool process that runs it."""
    os.kill(os.getpid(), signal.SIGKILL)
