"""The Django app: connects the model signals that queue indexing, checks the crisis lines."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Sozialatlas"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings

        from api import signals  # noqa: F401  (connects receivers)
        from api.crisis import load_lines

        load_lines(settings.CONFIG.crisis_lines_file)  # a broken file stops start-up
