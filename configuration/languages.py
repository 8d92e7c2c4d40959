"""The interface languages: labels, pages, the widget and the API's ``lang`` parameter."""

from __future__ import annotations

from typing import Literal, get_args

UiLanguage = Literal["de", "en", "ru", "uk", "ar", "tr"]
UI_LANGUAGES: tuple[str, ...] = get_args(UiLanguage)
RTL_LANGUAGES: frozenset[str] = frozenset({"ar"})
