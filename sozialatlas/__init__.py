"""Operational glue of Sozialatlas Search: configuration, local services and the CLI."""
