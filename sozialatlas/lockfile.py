"""``make lock``: requirements.lock from pip's resolution report (``pip install --report``).

The production image installs exactly these versions (``pip install --no-deps``), so that
an image built next year runs what was tested today.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HEADER = (
    "# Production dependencies of the image, resolved from pyproject.toml (no dev, no local).\n"
    "# Regenerate: make lock\n"
)


def lock_lines(report: dict[str, Any], own: str = "sozialatlas-search") -> list[str]:
    """``name==version`` of every package pip would install, the project itself excepted."""
    items: list[dict[str, Any]] = report.get("install", [])
    pins = {
        (item["metadata"]["name"].lower(), item["metadata"]["version"])
        for item in items
        if item["metadata"]["name"].lower() != own
    }
    return [f"{name}=={version}" for name, version in sorted(pins)]


def main(argv: list[str]) -> int:
    report_path, out_path = Path(argv[0]), Path(argv[1])
    lines = lock_lines(json.loads(report_path.read_text(encoding="utf-8")))
    out_path.write_text(HEADER + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    print(f"{out_path}: {len(lines)} packages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
