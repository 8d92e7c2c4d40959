"""Linguistics for Sozialatlas Search: normalisation, tokens, compounds,
synonyms, taxonomy concepts, multilingual glossary, language detection and
query/record analysis.  Pure Python: plain data in, frozen dataclasses out.
"""

from analyzers import taxonomy
from analyzers.errors import (
    AnalyzerError,
    GlossaryFormatError,
    ResourceError,
    ResourceFormatError,
    SynonymFormatError,
)
from analyzers.models import (
    ConceptMatch,
    Expansion,
    ImpliedFilter,
    QueryAnalysis,
    RecordAnalysis,
    WordAnalysis,
)
from analyzers.normalize import clean_text, fold
from analyzers.query import analyze_query
from analyzers.record import analyze_record, analyze_records

__all__ = [
    "AnalyzerError",
    "ConceptMatch",
    "Expansion",
    "GlossaryFormatError",
    "ImpliedFilter",
    "QueryAnalysis",
    "RecordAnalysis",
    "ResourceError",
    "ResourceFormatError",
    "SynonymFormatError",
    "WordAnalysis",
    "analyze_query",
    "analyze_record",
    "analyze_records",
    "clean_text",
    "fold",
    "taxonomy",
]
