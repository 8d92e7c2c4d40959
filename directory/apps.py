"""The directory's Django app (label ``api``: the tables and migrations keep their names)."""

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    label = "api"
    verbose_name = "Sozialatlas"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from directory import revisions

        revisions.connect()
