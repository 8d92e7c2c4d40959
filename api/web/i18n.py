"""The pages' language: choosing it, its direction and names, its strings, counts and numbers.

A language is picked from ``?lang=``, then the cookie the switcher sets, then the browser's
``Accept-Language``. The strings come from the gettext catalogues (``api/locale``, sources in
``api.messages``), looked up for the language asked for rather than an ambient one, so a
page, the widget's strings and the API's crisis text cannot pick up another request's
language. German is the source: anything untranslated shows in German.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from django.utils import formats, translation

from api.messages import PAGE, PLURALS
from configuration.languages import UI_LANGUAGES

LANGUAGES: tuple[str, ...] = UI_LANGUAGES
DEFAULT = "de"
RTL = frozenset({"ar", "fa", "he"})
COOKIE = "sozialatlas_lang"

# Names of the switcher entries and of the "languages offered" facet, as endonyms: a
# speaker recognises their own language whatever the page's language is.
ENDONYMS: dict[str, str] = {
    "de": "Deutsch",
    "en": "English",
    "uk": "Українська",
    "ru": "Русский",
    "ar": "العربية",
    "tr": "Türkçe",
    "fa": "فارسی",
    "pl": "Polski",
    "vi": "Tiếng Việt",
    "ti": "ትግርኛ",
    "fr": "Français",
    "es": "Español",
    "it": "Italiano",
    "ku": "Kurdî",
    "ro": "Română",
    "bg": "Български",
    "cs": "Čeština",
    "sq": "Shqip",
    "ps": "پښتو",
    "so": "Soomaali",
    "hu": "Magyar",
    "el": "Ελληνικά",
    "zh": "中文",
    "sr": "Српски",
    "hr": "Hrvatski",
    "pt": "Português",
    "dgs": "Gebärdensprache",
}


def strings(lang: str) -> dict[str, str]:
    """Every page string in ``lang``, by key (``t.key`` in the templates)."""
    with translation.override(lang):
        return {key: translation.pgettext(key, text) for key, text in PAGE.items()}


def counted(lang: str, key: str, count: int) -> str:
    """The counted message ``key`` for ``count`` in the plural form ``lang`` uses for it."""
    singular, plural = PLURALS[key]
    with translation.override(lang):
        form = translation.npgettext(key, singular, plural, count)
        return form % {"count": formats.number_format(count, use_l10n=True)}


def decimal(lang: str, value: float, places: int = 1) -> str:
    """``value`` rounded to ``places`` and written as ``lang`` writes numbers ("1,2" in German,
    "1.2" in English; Arabic keeps Western digits, as Django's locale data does)."""
    rounded = Decimal(f"{value:.{places}f}")  # Django's formatting would cut, not round
    with translation.override(lang):
        return formats.number_format(rounded, decimal_pos=places, use_l10n=True)


def month_year(day: date, lang: str) -> str:
    """Month and year as ``lang`` writes them ("März 2026", "March 2026", "Март 2026 г."):
    Django's month names and ``YEAR_MONTH_FORMAT`` of the language's locale."""
    with translation.override(lang):
        return formats.date_format(day, "YEAR_MONTH_FORMAT", use_l10n=True)


def direction(lang: str) -> str:
    return "rtl" if lang in RTL else "ltr"


def from_accept_language(header: str) -> str | None:
    """The best interface language for an ``Accept-Language`` header, by q-value."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        piece = part.strip()
        if not piece:
            continue
        tag, _, params = piece.partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if quality > 0 and primary in LANGUAGES:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else None


def choose(request: HttpRequest) -> tuple[str, bool]:
    """The interface language, and whether it was chosen explicitly (``?lang=``)."""
    asked = request.GET.get("lang", "")
    if asked in LANGUAGES:
        return asked, True
    cookie = request.COOKIES.get(COOKIE, "")
    if cookie in LANGUAGES:
        return cookie, False
    return from_accept_language(request.headers.get("Accept-Language", "")) or DEFAULT, False
