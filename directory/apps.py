"""The directory's Django app (label ``api``: the tables and migrations keep their names)."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DirectoryConfig(AppConfig):
    name = "directory"
    label = "api"
    verbose_name = "Sozialatlas"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from directory.inquiry_roles import ensure_roles

        # The staff roles of the inquiry admin, once this app's permissions exist.
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="inquiry-roles")
        # Error reports key entries by record id; their models live apart from the entries'.
        from directory import (
            confirmation_models,  # noqa: F401  (registers the models)
            entry_models,  # noqa: F401  (registers the models)
            history,
            revisions,
        )

        revisions.connect()
        history.connect()
