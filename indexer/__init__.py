"""Everything Elasticsearch: mapping, documents, queries, index lifecycle and search.

Builders (``mapping``, ``document``, ``query``) are pure and return plain dicts; only
``client``, ``lifecycle`` and ``search`` talk to the cluster.
"""
