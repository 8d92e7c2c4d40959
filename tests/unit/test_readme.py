"""The README stays true: it names every setting and every CLI command."""

from __future__ import annotations

from pathlib import Path

from sozialatlas.cli import build_parser
from sozialatlas.commands.config import describe

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_readme_lists_every_setting_with_its_default() -> None:
    for name, default, _doc in describe():
        rows = (line for line in README.splitlines() if line.startswith(f"| `{name}`"))
        row = next(rows, None)
        assert row is not None, f"{name} is missing from the README"
        assert (f"`{default}`" in row) if default else "(empty)" in row, row


def test_readme_names_every_cli_command() -> None:
    import argparse

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for command in sub.choices:
        assert f"sozialatlas {command}" in README, command
