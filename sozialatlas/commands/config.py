"""``sozialatlas config``: every setting with its variable, default and meaning.

The table is read from the comments in ``configuration/settings.py``, the one place where
settings are declared, so the README and this output cannot drift apart from the code.
"""

from __future__ import annotations

import argparse
import inspect
import re
from dataclasses import MISSING, fields

from configuration.settings import PREFIX, Settings

_FIELD = re.compile(r"^\s*#\s*(?P<doc>.+)\n\s*(?P<name>[a-z_]+):", re.MULTILINE)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("config", help="list every setting (variable, default, meaning)")
    parser.add_argument("--markdown", action="store_true", help="as a Markdown table")
    parser.set_defaults(handler=run)


def describe() -> list[tuple[str, str, str]]:
    """(variable, default, one-line meaning) for every field of :class:`Settings`."""
    docs = {m["name"]: m["doc"].strip() for m in _FIELD.finditer(inspect.getsource(Settings))}
    rows = []
    for field in fields(Settings):
        default = "" if field.default is MISSING else field.default
        shown = str(default).lower() if isinstance(default, bool) else str(default)
        if field.name == "state_dir":
            shown = "<project>/.cache"
        rows.append((PREFIX + field.name.upper(), shown, docs.get(field.name, "")))
    return rows


def run(args: argparse.Namespace, settings: Settings) -> int:
    rows = describe()
    if args.markdown:
        print("| variable | default | meaning |\n| --- | --- | --- |")
        for name, default, doc in rows:
            print(
                f"| `{name}` | `{default}` | {doc} |"
                if default
                else f"| `{name}` | (empty) | {doc} |"
            )
    else:
        for name, default, doc in rows:
            print(f"{name}={default}\n    {doc}")
    return 0
