"""The Django app: connects the model signals that queue indexing."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Sozialatlas"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from api import signals  # noqa: F401  (connects receivers)
