"""``sozialatlas``: the one entry point for everything operational.

Each sub-command lives in a small module under ``sozialatlas.commands``; this module only
builds the argument parser and turns the specific exceptions into one clear line and a
non-zero exit code.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from configuration.settings import ConfigError, Settings, install
from sozialatlas.commands import COMMAND_MODULES


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sozialatlas", description="Sozialatlas Search: operate the search service."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = install(Settings.from_env())
        from analyzers import model_store  # imports, benchmarks and checks analyse text too

        model_store.keep_in(settings.model_path)
        result: int = args.handler(args, settings)
    except ConfigError as exc:
        print(f"sozialatlas: configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the specific errors of each package carry a clear message
        from sozialatlas.commands.common import describe_error

        message = describe_error(exc)
        if message is None:
            raise
        print(f"sozialatlas: {message}", file=sys.stderr)
        return 1
    return result


if __name__ == "__main__":
    sys.exit(main())
