"""The directory's data: organisations, services, locations and the services at locations
that search finds (HSDS 3.0's core), access keys, the validation and cleaning of flat
records, the importer, and the write clock that tells readers when the index changed.

A Django app used by both ``api`` (HTTP) and ``workers`` (indexing). Its app label stays
``api``, the label its tables and migrations were created under, so existing databases
need no migration.
"""
