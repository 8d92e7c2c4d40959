"""The crisis block of an answer: lines to call, a short text, the directory's services.

When the analysis says a query expresses acute danger (``analyzers.crisis``), the answer
leads with this block and the web page shows it above everything else. The lines are
configuration (``SOZIALATLAS_CRISIS_LINES_FILE``, German defaults bundled in
``sozialatlas/data/crisis_lines.json``). The short texts are interface strings: in the
interface languages they come from the gettext catalogues (``api.messages.CRISIS``); a query
typed in a language the interface does not speak still gets a text in it, from
``sozialatlas/data/crisis_texts.json``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils import translation
from pydantic import BaseModel, Field, ValidationError

from analyzers.crisis import KINDS, SERVICES
from analyzers.models import CrisisSignal
from api.errors import ConfigurationError
from api.messages import CRISIS, SOURCE_LANGUAGE, crisis_context
from configuration.languages import UI_LANGUAGES

DATA = Path(__file__).resolve().parent.parent / "sozialatlas" / "data"


class CrisisLine(BaseModel):
    id: str
    name: str
    numbers: list[str] = Field(min_length=1)
    hours: str
    always_open: bool = False
    languages: list[str] = []
    kinds: list[str] = Field(min_length=1)


class CrisisService(BaseModel):
    id: str
    name: str


class CrisisBlock(BaseModel):
    kind: str = Field(
        description="suicide, domestic_violence, child_danger, homeless_tonight, "
        "medical_emergency, psychiatric_emergency or pregnancy_emergency"
    )
    lines: list[CrisisLine]
    text: str = Field(description="Short text in the UI language")
    text_lang: str
    query_text: str | None = Field(
        default=None, description="The same in the query's language, where it differs"
    )
    query_lang: str | None = None
    services: list[CrisisService] = Field(
        default=[], description="The directory's services for this crisis among the results"
    )


class _LineFile(BaseModel):
    lines: list[CrisisLine] = Field(min_length=1)


@lru_cache(maxsize=4)
def load_lines(path: str) -> tuple[CrisisLine, ...]:
    """The configured lines, checked once: a broken file stops the server at start-up."""
    file = Path(path) if path else DATA / "crisis_lines.json"
    try:
        lines = _LineFile.model_validate(json.loads(file.read_text(encoding="utf-8"))).lines
    except (OSError, ValueError, ValidationError) as exc:
        raise ConfigurationError(f"crisis lines file {file}: {exc}") from exc
    for line in lines:
        unknown = set(line.kinds) - set(KINDS)
        if unknown:
            raise ConfigurationError(f"crisis line {line.id!r}: unknown kinds {sorted(unknown)}")
    return tuple(lines)


@lru_cache(maxsize=1)
def other_texts() -> dict[str, dict[str, str]]:
    """Texts by kind and language for languages without a catalogue ("any": every kind)."""
    data: dict[str, Any] = json.loads((DATA / "crisis_texts.json").read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def text_languages() -> frozenset[str]:
    """The languages a crisis text exists in: the interface's and the bundled others'."""
    return frozenset(UI_LANGUAGES) | frozenset(other_texts()["any"])


def _text(kind: str, lang: str) -> str | None:
    if lang in UI_LANGUAGES:
        source = CRISIS.get(kind, CRISIS["any"])
        context = crisis_context(kind if kind in CRISIS else "any")
        with translation.override(lang):
            text = translation.pgettext(context, source)
        # an entry missing from the catalogue shows its German source: not this language
        return text if text != source or lang == SOURCE_LANGUAGE else None
    table = other_texts()
    return table.get(kind, {}).get(lang) or table["any"].get(lang)


def block(
    signal: CrisisSignal, ui_lang: str, query_lang: str, hits: list[Any], lines_file: str = ""
) -> CrisisBlock:
    """The block for ``signal``; ``hits`` are the answer's shaped hits (services among them)."""
    lines = [line for line in load_lines(lines_file) if signal.kind in line.kinds]
    # The phrase list that matched knows the language better than a 3-word detection.
    if signal.strength != "concept" and signal.lang in text_languages():
        query_lang = signal.lang
    text = _text(signal.kind, ui_lang) or _text(signal.kind, "de") or ""
    other = _text(signal.kind, query_lang) if query_lang != ui_lang else None
    codes = set(SERVICES[signal.kind])
    services = [
        CrisisService(id=hit.id, name=hit.name)
        for hit in hits
        if any(c.code in codes for c in hit.categories)
    ]
    return CrisisBlock(
        kind=signal.kind,
        lines=lines,
        text=text,
        text_lang=ui_lang if _text(signal.kind, ui_lang) else "de",
        query_text=other,
        query_lang=query_lang if other else None,
        services=services[:3],
    )
