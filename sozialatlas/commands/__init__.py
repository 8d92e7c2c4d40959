"""The CLI's sub-commands, one module each; each has ``register(subparsers)``."""

from sozialatlas.commands import (
    analytics,
    analyze,
    bench,
    config,
    data,
    demo,
    export,
    messages,
    partners,
    processes,
    reconcile,
    services,
    status,
)

COMMAND_MODULES = (
    services,
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
