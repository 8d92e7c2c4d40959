"""Trained classifiers kept on disk between process starts.

Every gunicorn master and every Celery parent trains the intent, danger and kind models
before it serves (:func:`analyzers.warm_up`): about 28 s of one core out of a 45 s
start. A deploy, a worker restarted after a crash and each test that starts a server
paid that again for the same models. Here a trained model is written once and read back
in a tenth of a second.

A file is named by the SHA-256 of everything the model is made of: the model's name, the
source of :mod:`analyzers.classifier` (features and constants), the versions of Python,
NumPy and scikit-learn, and every training pair in order. A changed example, code or
library therefore trains anew; an old file is never read for new data. Files are written
under a temporary name and renamed, so processes starting together never read half a
file, and a file that cannot be read is trained again rather than failing the start.

The store is off until an entry point names its directory (:func:`keep_in`), so that a
library user or a unit test gets a freshly trained model and no files. Pickle runs code
when it loads: the directory must be as trusted as the code itself (the project's own
state directory, not a shared upload space).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import platform
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy
import sklearn

from analyzers import classifier
from analyzers.classifier import Classifier

KEEP = 2  # files kept per model name: the current one and the one before (a rollback)

_directory: list[Path] = []  # set once by the entry point; a list, so no ``global``


def keep_in(directory: Path | None) -> None:
    """Keep trained models in ``directory`` from now on (``None``: train, keep nothing)."""
    _directory.clear()
    if directory is not None:
        _directory.append(directory)


def kept_in() -> Path | None:
    """The directory models are kept in, if any."""
    return _directory[0] if _directory else None


def fingerprint(name: str, pairs: Sequence[tuple[str, str]]) -> str:
    """The SHA-256 of what model ``name`` trained on ``pairs`` is made of."""
    digest = hashlib.sha256()
    for part in (
        name,
        Path(classifier.__file__).read_text(encoding="utf-8"),
        platform.python_version(),
        numpy.__version__,
        sklearn.__version__,
    ):
        digest.update(part.encode() + b"\0")
    for label, text in pairs:
        digest.update(f"{label}\t{text}\n".encode())
    return digest.hexdigest()


def trained(
    name: str,
    train: Callable[[Sequence[tuple[str, str]]], Classifier],
    pairs: Sequence[tuple[str, str]],
) -> Classifier:
    """The model ``train`` makes of ``pairs``: read from the store when it holds one."""
    if not _directory:
        return train(pairs)
    directory = _directory[0]
    path = directory / f"{name}-{fingerprint(name, pairs)[:32]}.pickle"
    stored = _read(path)
    if stored is not None:
        return stored
    model = train(pairs)
    _write(path, model)
    _prune(directory, name, path)
    return model


def _read(path: Path) -> Classifier | None:
    try:
        with path.open("rb") as file:
            model = pickle.load(file)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        return None
    return model if isinstance(model, Classifier) else None


def _write(path: Path, model: Classifier) -> None:
    """Write atomically; a directory that cannot be written costs only the next start."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
        with os.fdopen(fd, "wb") as file:
            pickle.dump(model, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:
        return


def _prune(directory: Path, name: str, current: Path) -> None:
    """Drop all but the newest :data:`KEEP` files of ``name``: the store does not grow."""
    try:
        files = sorted(
            directory.glob(f"{name}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True
        )
        for old in [p for p in files if p != current][KEEP - 1 :]:
            old.unlink(missing_ok=True)
    except OSError:
        return
