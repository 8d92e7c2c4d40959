"""The Django app: connects the model signals that queue indexing and mail, checks the crisis
lines, hands the inquiry admin its configuration."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    label = "http"  # "api" is the directory's label (its tables and migrations)
    verbose_name = "Sozialatlas web and API"

    def ready(self) -> None:
        from django.conf import settings

        from api import signals  # noqa: F401  (connects receivers)
        from api.crisis import load_lines
        from directory.inquiry_admin import use_config

        load_lines(settings.CONFIG.crisis_lines_file)  # a broken file stops start-up
        # The staff admin decrypts with the workflow's configuration (read when used, so a
        # test's changed settings apply too).
        use_config(lambda: settings.INQUIRIES)
