"""The directory's admin: each concern registers its models in its own module."""

from directory import entry_admin  # noqa: F401  (the editors' queue of error reports)
