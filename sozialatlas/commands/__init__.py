"""The CLI's sub-commands, one module each; each has ``register(subparsers)``."""

from sozialatlas.commands import (
    analytics,
    analyze,
    bench,
    config,
    data,
    demo,
    export,
    mail,
    messages,
    partners,
    processes,
    reconcile,
    services,
    status,
)

COMMAND_MODULES = (
    services,
    mail,
    status,
    demo,
    processes,
    data,
    export,
    analyze,
    bench,
    partners,
    analytics,
    config,
    messages,
    reconcile,
)
