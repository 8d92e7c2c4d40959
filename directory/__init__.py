"""The directory's data: provider records and access keys, their validation and cleaning,
the importer, and the write clock that tells readers when the index changed.

A Django app used by both ``api`` (HTTP) and ``workers`` (indexing). Its app label stays
``api``, the label its tables and migrations were created under, so existing databases
need no migration.
"""
