"""Settings of native libraries that are not ours, made once at each entry point.

numpy's OpenBLAS starts a thread per core when it loads. The classifiers multiply vectors
of a few hundred numbers, where a second thread buys nothing, and a signal sent to the
process (SIGTERM from a process manager, Ctrl-C) may be delivered to that thread: a main
thread blocked in a sleep or a read then never sees it (``sozialatlas demo`` kept running).
"""

from __future__ import annotations

import os


def limit_native_threads() -> None:
    """One BLAS thread unless the operator set another number; call before numpy loads."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
