"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

from configuration.native import limit_native_threads
from configuration.settings import Settings, install, require_secret_key

limit_native_threads()  # before the analysers import numpy (configuration/native.py)

# Serving without debug on the well-known default key would let anyone forge sessions:
# refuse to start, clearly. CLI jobs (import, reindex, benchmarks) sign nothing.
settings = install(Settings.from_env())
require_secret_key(settings)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "api.settings")
application = get_wsgi_application()

from analyzers import warm_up  # noqa: E402

warm_up(settings.model_path)  # with gunicorn --preload: once, before the workers fork
