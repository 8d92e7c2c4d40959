"""Celery workers: thin tasks that re-read records and call ``indexer``."""
