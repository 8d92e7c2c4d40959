"""The index body: settings and mapping, core Elasticsearch features only.

The local distribution (and hence this mapping) has no language analysers: every field
ending in ``_terms`` receives tokens that ``analyzers/`` already lemmatised, decompounded,
folded and lower-cased, and is indexed with the built-in ``whitespace`` analyser. The
display fields get the ``standard`` analyser (``name`` feeds "did you mean"; marking the
matched words happens in ``analyzers.highlight``). The same body runs unchanged on the
official Docker image.
"""

from __future__ import annotations

from typing import Any

TERMS = {"type": "text", "analyzer": "whitespace", "norms": True}
DISPLAY = {"type": "text", "analyzer": "standard"}
KEYWORD = {"type": "keyword"}
NOT_INDEXED = {"type": "keyword", "index": False, "doc_values": False}
REFRESH_SECONDS = 1.0  # a write is searchable after at most this long (api.answers relies on it)


def build_index_body(shards: int = 1, replicas: int = 0) -> dict[str, Any]:
    """Settings and mapping of a providers index (a concrete, versioned index)."""
    return {
        "settings": {
            "number_of_shards": shards,
            "number_of_replicas": replicas,
            "refresh_interval": f"{REFRESH_SECONDS:g}s",
            # Queries reach at most ~100 terms; keep the cluster default guard for others.
            "max_result_window": 10000,
            "analysis": {
                "normalizer": {"folded": {"type": "custom", "filter": ["lowercase"]}},
            },
        },
        "mappings": {
            "dynamic": "strict",
            "_source": {"excludes": ["*_terms"]},
            "properties": {
                "id": KEYWORD,
                # display fields (did-you-mean suggestions come from ``name``)
                "name": {
                    **DISPLAY,
                    "fields": {"sort": {"type": "keyword", "normalizer": "folded"}},
                },
                "organization": DISPLAY,
                "description": DISPLAY,
                # analysed token streams from analyzers/ (see module docstring)
                "name_terms": TERMS,
                "organization_terms": TERMS,
                "description_terms": TERMS,
                "category_terms": TERMS,
                # facets and filters
                "categories": KEYWORD,
                "main_category": KEYWORD,
                "areas": KEYWORD,
                "district": KEYWORD,
                "languages": KEYWORD,
                "target_groups": KEYWORD,
                "cost": KEYWORD,
                "wheelchair": {"type": "boolean"},
                "appointment_required": {"type": "boolean"},
                "online_counselling": {"type": "boolean"},
                "location": {"type": "geo_point"},
                # minutes since Monday 00:00 in local time; see indexer.hours
                "open_minutes": {"type": "integer_range"},
                # the same for slots valid between two dates (indexer.hours.dated_periods)
                "open_periods": {
                    "type": "nested",
                    "properties": {
                        "minutes": {"type": "integer_range"},
                        "valid": {"type": "date_range", "format": "strict_date"},
                    },
                },
                "has_hours": {"type": "boolean"},
                "completeness": {"type": "float"},
                "updated_at": {"type": "date", "format": "strict_date"},
                "revision": {"type": "long"},
                "suggest": {
                    "type": "completion",
                    "analyzer": "simple",
                    "preserve_separators": False,
                    "max_input_length": 60,
                },
                # display-only fields: kept in _source, not searchable
                "street": NOT_INDEXED,
                "postal_code": KEYWORD,
                "city": KEYWORD,
                "phone": NOT_INDEXED,
                "phone_display": NOT_INDEXED,
                "email": NOT_INDEXED,
                "website": NOT_INDEXED,
                "opening_hours_text": NOT_INDEXED,
                "opening_hours": {"type": "object", "enabled": False},
            },
        },
    }
