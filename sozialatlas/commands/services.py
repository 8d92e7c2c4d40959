"""``sozialatlas services up | down | status``."""

from __future__ import annotations

import argparse

from configuration.settings import Settings
from sozialatlas import services


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "services", help="start, stop or show the local Elasticsearch, Redis and SMTP server"
    )
    parser.add_argument("action", choices=["up", "down", "status"])
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "up":
        services.services_up(settings)
        return 0
    if args.action == "down":
        services.services_down(settings)
        print("local services stopped")
        return 0
    statuses = services.services_status(settings)
    for status in statuses:
        print(status.line())
    return 0 if all(s.running for s in statuses) else 3
