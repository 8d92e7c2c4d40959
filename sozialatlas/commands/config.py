"""``sozialatlas config``: every setting with its variable, default and meaning.

The table is read from the fields' descriptions in ``configuration/settings.py``, the one
place where settings are declared, so the README and this output cannot drift from the code.
"""

from __future__ import annotations

import argparse

from configuration.settings import PREFIX, Settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("config", help="list every setting (variable, default, meaning)")
    parser.add_argument("--markdown", action="store_true", help="as a Markdown table")
    parser.set_defaults(handler=run)


def describe() -> list[tuple[str, str, str]]:
    """(variable, default, one-line meaning) for every field of :class:`Settings`."""
    rows = []
    for name, field in Settings.model_fields.items():
        default = field.default
        shown = str(default).lower() if isinstance(default, bool) else str(default)
        if name == "state_dir":
            shown = "<project>/.cache"
        rows.append((PREFIX + name.upper(), shown, field.description or ""))
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
