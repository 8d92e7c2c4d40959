"""The category tree (areas and service types) with labels per UI language.

The API shows category labels in the user's language; only areas carry
translations, so children fall back to German.  A copy of the taxonomy ships in
``analyzers/data/taxonomy.json`` so the service runs without the shared data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from analyzers.errors import ResourceError
from analyzers.normalize import fold
from analyzers.resources import read_json
from configuration.languages import UI_LANGUAGES


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    parent: str | None
    labels: tuple[tuple[str, str], ...]  # (language, label); German always present

    def label(self, lang: str = "de") -> str:
        for code, text in self.labels:
            if code == lang:
                return text
        return self.labels[0][1]


@lru_cache(maxsize=1)
def _load() -> dict[str, Category]:
    raw = read_json("taxonomy.json")
    if not isinstance(raw, list):
        raise ResourceError("taxonomy.json: expected a list of areas")
    out: dict[str, Category] = {}

    def add(node: object, parent: str | None) -> None:
        if not isinstance(node, dict) or not isinstance(node.get("code"), str):
            raise ResourceError(f"taxonomy.json: malformed node {node!r:.80}")
        labels = node.get("label") or {}
        if not isinstance(labels, dict) or not isinstance(labels.get("de"), str):
            raise ResourceError(f"taxonomy.json: {node['code']} lacks a German label")
        ordered = [("de", labels["de"])] + [
            (k, v) for k, v in labels.items() if k != "de" and isinstance(v, str)
        ]
        out[node["code"]] = Category(node["code"], parent, tuple(ordered))
        for child in node.get("children") or []:
            add(child, node["code"])

    for area in raw:
        add(area, None)
    return out


def categories() -> dict[str, Category]:
    """All categories by code (areas and service types), in taxonomy order."""
    return _load()


def codes() -> tuple[str, ...]:
    return tuple(_load())


def areas() -> tuple[str, ...]:
    return tuple(c.code for c in _load().values() if c.parent is None)


def children(area: str) -> tuple[str, ...]:
    return tuple(c.code for c in _load().values() if c.parent == area)


def parent(code: str) -> str | None:
    """Area of a service type; ``None`` for areas and unknown codes."""
    category = _load().get(code)
    return category.parent if category else None


def exists(code: str) -> bool:
    return code in _load()


def label(code: str, lang: str = "de") -> str:
    """Label in ``lang`` with German fallback; the code itself if unknown."""
    category = _load().get(code)
    return category.label(lang) if category else code


def matching_prefix(prefix: str, lang: str, limit: int) -> list[tuple[str, str]]:
    """``(code, label in lang)`` of categories with a label word starting with ``prefix``.

    Both the UI-language and the German label count, folded (case, accents, ß), so that
    "schuld" and "Schüler" meet their categories from any UI language. Autocomplete asks
    this on every keystroke, hence the folded words per language are computed once.
    """
    key = fold(prefix)
    found: list[tuple[str, str]] = []
    for code, text, words in _folded_labels(lang):
        if any(word.startswith(key) for word in words):
            found.append((code, text))
            if len(found) >= limit:
                break
    return found


@lru_cache(maxsize=len(UI_LANGUAGES))
def _folded_labels(lang: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    out = []
    for category in _load().values():
        words: list[str] = []
        for text in dict.fromkeys((category.label(lang), category.label("de"))):
            words += [fold(word) for word in text.replace("-", " ").split()]
            words.append(fold(text))  # fold lower-cases
        out.append((category.code, category.label(lang), tuple(words)))
    return tuple(out)
