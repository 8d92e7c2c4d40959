"""The Django project: settings, models, Ninja routers and templates."""
