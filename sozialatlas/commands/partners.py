"""``sozialatlas partners create | list | revoke``: API keys for partner portals and analysts."""

from __future__ import annotations

import argparse

from configuration.settings import Settings
from sozialatlas.commands.common import setup_django


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("partners", help="API keys of partner portals (and analysts)")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    create = actions.add_parser("create", help="create a key; it is shown once")
    create.add_argument("name", help="the partner's name, e.g. 'Caritas Beratungsportal'")
    create.add_argument(
        "--origin",
        action="append",
        default=[],
        metavar="URL",
        help="an origin the partner's portal calls from, e.g. "
        "https://portal.example.org (repeatable; required for partners)",
    )
    create.add_argument(
        "--rate",
        default="",
        metavar="N/PERIOD",
        help="own rate limit, e.g. 600/min (default: SOZIALATLAS_RATE_LIMIT_PARTNER)",
    )
    create.add_argument(
        "--analyst",
        action="store_true",
        help="an analyst key for the analytics API instead (no origins)",
    )
    create.set_defaults(handler=run_create)

    listing = actions.add_parser("list", help="list keys (never the keys themselves)")
    listing.add_argument("--active", action="store_true", help="hide revoked keys")
    listing.set_defaults(handler=run_list)

    revoke = actions.add_parser("revoke", help="revoke a key at once")
    revoke.add_argument("id", type=int, help="the key's id (see `partners list`)")
    revoke.set_defaults(handler=run_revoke)


def _prepare(settings: Settings) -> None:
    setup_django(settings)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def run_create(args: argparse.Namespace, settings: Settings) -> int:
    _prepare(settings)
    from api.partners import create_key
    from directory.models import ApiKey

    kind = ApiKey.Kind.ANALYST if args.analyst else ApiKey.Kind.PARTNER
    row, key = create_key(args.name, args.origin, args.rate, kind)
    print(f"created {row.kind} key {row.id} for {row.name!r}")
    if row.origins:
        print(f"origins  {', '.join(row.origins)}")
    if row.kind == ApiKey.Kind.PARTNER:
        print(f"rate     {row.rate or settings.rate_limit_partner + ' (default)'}")
    print(f"key      {key}")
    print("Store the key now: it is shown only this once (only its hash is kept).")
    return 0


def run_list(args: argparse.Namespace, settings: Settings) -> int:
    _prepare(settings)
    from api.partners import list_keys

    rows = list_keys(include_revoked=not args.active)
    if not rows:
        print("no keys")
        return 0
    print(f"{'ID':>4}  {'KIND':8} {'STATUS':8} {'KEY':12} {'RATE':10} NAME / ORIGINS")
    for row in rows:
        status = "active" if row.active else "revoked"
        origins = f"  {', '.join(row.origins)}" if row.origins else ""
        print(
            f"{row.id:>4}  {row.kind:8} {status:8} {row.key_prefix + '…':12} "
            f"{row.rate or 'default':10} {row.name}{origins}"
        )
    return 0


def run_revoke(args: argparse.Namespace, settings: Settings) -> int:
    _prepare(settings)
    from api.partners import revoke_key

    row = revoke_key(args.id)
    print(f"revoked {row.kind} key {row.id} ({row.name}); it is refused from now on")
    return 0
