"""Access to the bundled data files under ``analyzers/data``.

All resources are read through :func:`read_lines`/:func:`read_json` so file
location, encoding and "missing file" errors are handled in one place.  Call
sites cache the parsed results; nothing here is called per query.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from analyzers.errors import ResourceError

DATA_DIR = Path(__file__).resolve().parent / "data"


def data_path(relative: str) -> Path:
    """Absolute path of a bundled data file."""
    return DATA_DIR / relative


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ResourceError(f"cannot read resource {path}: {exc}") from exc


def read_json(relative: str) -> Any:
    path = data_path(relative)
    try:
        return json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise ResourceError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from exc


def content_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, stripped_line)`` skipping blanks and ``#`` comments."""
    for number, raw in enumerate(read_text(path).splitlines(), start=1):
        line = raw.strip()
        if line and not line.startswith("#"):
            yield number, line


def list_dir(relative: str, suffix: str = ".txt") -> list[Path]:
    directory = data_path(relative)
    if not directory.is_dir():
        raise ResourceError(f"missing resource directory {directory}")
    return sorted(p for p in directory.iterdir() if p.name.endswith(suffix))
