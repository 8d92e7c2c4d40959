"""Operational glue of Sozialatlas Search: configuration, local services and the CLI."""

from configuration.native import limit_native_threads

limit_native_threads()  # before any command imports numpy (configuration/native.py)
