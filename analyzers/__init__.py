"""Linguistics for Sozialatlas Search: normalisation, tokens, compounds,
synonyms, taxonomy concepts, multilingual glossary, language detection and
query/record analysis.  Pure Python: plain data in, frozen dataclasses out.
"""

import gc
from pathlib import Path

from analyzers import alarm, highlight, intent, model_store, relax, taxonomy
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


def warm_up(model_dir: Path | None = None) -> None:
    """Load spaCy, lingua and every resource now instead of on the first request.

    Servers call this before they fork, so that worker processes share the loaded
    resources copy-on-write and the first search or index job is as fast as any other.
    With ``model_dir`` the trained classifiers are kept there from now on and read back at
    the next start (:mod:`analyzers.model_store`): about 28 s of a 45 s start.

    Last, everything loaded is moved out of the cyclic garbage collector's sight
    (:func:`gc.freeze`). The resources are about 1.5 million long-lived objects; a full
    collection walked all of them, a pause of about a second in the middle of some search,
    and touched every page that forked workers would otherwise keep sharing.
    """
    if model_dir is not None:
        model_store.keep_in(model_dir)
    analyze_query("Schuldnerberatung in Sonnenberg auf Arabisch")
    analyze_query("debt advice")
    analyze_query("我需要债务咨询")  # the substring keys of unspaced scripts
    analyze_query("Schultnerberatunk")  # the sound-alike index
    analyze_query("ich kann nicht mehr")  # the crisis lists
    analyze_query("bafakkar bel ente7ar")  # chat spellings and the German and English words
    intent.model()  # the letter classifiers: trained here, not on some worker's first
    alarm.model()  # indirect danger message (a few seconds each)
    alarm.kind_model()
    analyze_records(
        [
            {
                "id": "warm-up",
                "name": "Kita",
                "description": "Beratung",
                "categories": ["familie/kita"],
            }
        ]
    )
    gc.collect()  # what is garbage now is not frozen with the rest
    gc.freeze()


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
    "highlight",
    "relax",
    "taxonomy",
    "warm_up",
]
