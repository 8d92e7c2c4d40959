"""``sozialatlas messages``: the gettext catalogues of the interface (``api/locale``).

``compile`` builds the ``.mo`` files (the server does it by itself when it starts, into the
state directory; this is for looking at them, or building them elsewhere with ``--out``);
``check`` fails on anything a visitor would see untranslated or broken in a shipped language
(``make check`` runs it, and so does the unit test suite); ``update`` carries the German
sources of ``api/messages.py`` into every catalogue and creates the catalogue of a newly
added interface language.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from api.catalogues import (
    catalogue_languages,
    check_catalogues,
    compile_catalogues,
    update_catalogues,
)
from configuration.languages import UI_LANGUAGES
from configuration.settings import Settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("messages", help="compile, check or update the interface catalogues")
    action = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    compiling = action.add_parser("compile", help="build the .mo files (the server does on start)")
    compiling.add_argument(
        "--out", type=Path, help="target directory (default: <state dir>/locale, as the server)"
    )
    compiling.set_defaults(handler=run_compile)
    action.add_parser(
        "check", help="fail on a missing, stale, fuzzy or broken string in a shipped language"
    ).set_defaults(handler=run_check)
    action.add_parser(
        "update", help="carry api/messages.py into every catalogue (new, changed, removed)"
    ).set_defaults(handler=run_update)


def run_compile(args: argparse.Namespace, settings: Settings) -> int:
    target = compile_catalogues(target=args.out or settings.state_path / "locale")
    languages = catalogue_languages()
    print(f"compiled {len(languages)} catalogues ({', '.join(languages)}) into {target}")
    return 0


def run_check(args: argparse.Namespace, settings: Settings) -> int:
    problems = check_catalogues(UI_LANGUAGES)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problems in the catalogues of {', '.join(UI_LANGUAGES)}")
        return 1
    print(f"catalogues complete: {', '.join(UI_LANGUAGES)}")
    return 0


def run_update(args: argparse.Namespace, settings: Settings) -> int:
    for change in update_catalogues(UI_LANGUAGES):
        print(change)
    return run_check(args, settings)
