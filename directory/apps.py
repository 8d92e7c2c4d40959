"""The directory's Django app (label ``api``: the tables and migrations keep their names)."""

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    label = "api"
    verbose_name = "Sozialatlas"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Error reports key entries by record id; their models live apart from the entries'.
        from directory import entry_models  # noqa: F401  (registers the models)
