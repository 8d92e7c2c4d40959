"""The admin of the directory: each concern registers its models in a module of its own."""

from directory import record_admin  # noqa: F401  (registers the directory's records)
