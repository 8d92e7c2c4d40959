"""``sozialatlas mail list | show ID``: the messages the local SMTP server kept.

What the inquiry workflow sent in development and tests — to providers, the coordination
desk and people — readable without a mail client. Only the local server keeps mail; with
``SOZIALATLAS_SMTP_HOST`` set, mail went to that relay and is not here.
"""

from __future__ import annotations

import argparse
import sys

from configuration.settings import Settings
from sozialatlas.services import LocalSmtp, MailStore


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("mail", help="list or show the mail the local SMTP server kept")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="one line per kept message, oldest first")
    listing.add_argument("--to", default=None, help="only messages to this address")
    listing.set_defaults(handler=run_list)
    show = actions.add_parser("show", help="one message: headers and text")
    show.add_argument("id", help="the id from `mail list` (a unique prefix is enough)")
    show.set_defaults(handler=run_show)


def store_of(settings: Settings) -> MailStore:
    return MailStore(LocalSmtp(settings).messages)


def run_list(args: argparse.Namespace, settings: Settings) -> int:
    store = store_of(settings)
    mails = store.to(args.to) if args.to else store.all()
    for mail in mails:
        print(f"{mail.id}  {mail.recipients[:40]:<40}  {mail.subject}")
    if not mails:
        where = f"the relay {settings.smtp_host}" if settings.smtp_host else "nobody"
        print(f"no messages in {store.directory} (mail goes to {where})", file=sys.stderr)
    return 0


def run_show(args: argparse.Namespace, settings: Settings) -> int:
    store = store_of(settings)
    mail = store.find(args.id)
    for name in ("Date", "From", "To", "Subject", "Message-ID"):
        print(f"{name}: {store.message(mail).get(name, '')}")
    print(f"X-Envelope-To: {mail.recipients}\n")
    print(store.text(mail))
    return 0
