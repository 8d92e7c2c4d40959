"""The bottom layer: settings, service endpoints, the rate grammar, the interface languages.

It imports nothing of the project; every other package receives what it needs from here,
built once at each entry point (CLI, WSGI, Celery app) and passed down.
"""
