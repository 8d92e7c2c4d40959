"""Every interface string in its German source wording, the msgids of the gettext catalogues.

The translations live in ``api/locale/<lang>/LC_MESSAGES/django.po``, one catalogue per
interface language, where translators (and Weblate-like tools) see these sentences; this
module only declares what exists. Each string has a stable key, used as the gettext context
(``msgctxt``), so the templates keep writing ``t.key`` while the msgid stays a real sentence,
and a German rewording can be told apart from a new string. ``sozialatlas messages update``
carries changes made here into every catalogue; ``sozialatlas messages check`` (and
``tests/unit/test_catalogues.py``) fail on anything missing, stale or fuzzy.

Placeholders are Python's named ``%(name)s``: translators may move them, never rename them.
Plain data: no Django here, so the CLI can check catalogues without setting Django up.
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCE_LANGUAGE = "de"


@dataclass(frozen=True)
class Message:
    context: str  # the key: msgctxt in the catalogues
    text: str  # the German msgid
    plural: str | None = None  # msgid_plural: counted messages (ngettext)
    note: str = ""  # shown to translators (``#.`` comment)


# The pages' strings: ``i18n.strings(lang)`` returns them by key for the templates (``t.key``).
PAGE: dict[str, str] = {
    "site_title": "Sozialatlas Chemnitz",
    "tagline": "Beratung und Hilfe in Chemnitz finden",
    "skip": "Zum Inhalt springen",
    "language": "Sprache",
    "search_label": "Wonach suchen Sie?",
    "search_hint": "Zum Beispiel: Schuldnerberatung, Kita, Hilfe bei Anträgen",
    "search_button": "Suchen",
    "suggestions": "Vorschläge",
    "suggestion_category": "Thema",
    "suggestion_provider": "Angebot",
    "no_suggestions": "Keine Vorschläge",
    "use_location": "Entfernung von meinem Standort anzeigen",
    "location_on": "Sortiert nach Entfernung von Ihrem Standort",
    "location_off": "Standort nicht mehr verwenden",
    "location_error": "Ihr Standort konnte nicht ermittelt werden.",
    "filters": "Filter",
    "apply_filters": "Filter anwenden",
    "clear_filters": "Alle Filter entfernen",
    "facet_area": "Bereich",
    "facet_category": "Art des Angebots",
    "facet_district": "Stadtteil",
    "facet_language": "Sprachen",
    "facet_target_group": "Für wen",
    "facet_cost": "Kosten",
    "facet_wheelchair": "Barrierefreiheit",
    "open_now": "Jetzt geöffnet",
    "closed_now": "Jetzt geschlossen",
    "results_title": "Ergebnisse",
    "browse_title": "Alle Angebote",
    "distance": "%(km)s km entfernt",
    "languages_offered": "Sprachen",
    "district": "Stadtteil",
    "wheelchair": "Rollstuhlgerecht",
    "not_wheelchair": "Nicht rollstuhlgerecht",
    "also_searched": "Auch gesucht",
    "implied": "Erkannt",
    "did_you_mean": "Meinten Sie",
    "empty_title": "Leider haben wir dazu nichts gefunden.",
    "empty_hint": "Versuchen Sie ein anderes Wort oder stöbern Sie in einem Bereich:",
    "helpline": "Sie möchten mit jemandem sprechen? Die %(name)s hilft Ihnen weiter:",
    "crisis_title": "Sofort Hilfe – rufen Sie an",
    "crisis_24h": "rund um die Uhr",
    "crisis_call": "Rufen Sie eine der Nummern oben an. Sie sind nicht allein.",
    "pages": "Seiten",
    "previous": "Zurück",
    "next": "Weiter",
    "sort": "Sortierung",
    "sort_relevance": "Passend",
    "sort_distance": "Entfernung",
    "sort_name": "Name",
    "unavailable": "Die Suche ist gerade nicht erreichbar. Bitte versuchen Sie es gleich noch "
    "einmal.",
    "cost_kostenlos": "kostenlos",
    "cost_teilweise kostenpflichtig": "teilweise kostenpflichtig",
    "cost_kostenpflichtig": "kostenpflichtig",
    "wheelchair_true": "Rollstuhlgerecht",
    "wheelchair_false": "Nicht rollstuhlgerecht",
    "back": "Zurück zur Suche",
    "address": "Adresse",
    "map": "Auf OpenStreetMap anzeigen",
    "hours": "Öffnungszeiten",
    "contact": "Kontakt",
    "phone": "Telefon",
    "email": "E-Mail",
    "website": "Webseite",
    "accessibility": "Barrierefreiheit",
    "details": "Gut zu wissen",
    "cost": "Kosten",
    "appointment": "Termin nötig",
    "online": "Auch online beraten",
    "target_groups": "Für wen",
    "updated": "Zuletzt bestätigt",
    "not_found_title": "Dieses Angebot gibt es nicht (mehr).",
    "not_found_hint": "Vielleicht finden Sie ein ähnliches Angebot über die Suche.",
    "days": "Mo,Di,Mi,Do,Fr,Sa,So",
    "widget_title": "Suchfeld für Partnerseiten",
    "widget_intro": "Ein Script-Tag und ein Attribut an einem Eingabefeld Ihrer Seite genügen:",
    "widget_last_pick": "Zuletzt gewählt",
    "dashboard_title": "Auswertung der Suche",
    "panel_trends": "Suchen pro Woche",
    "panel_top_queries": "Häufigste Suchbegriffe",
    "panel_zero_results": "Suchen ohne Ergebnis",
    "panel_demand_categories": "Gefragte Bereiche",
    "panel_demand_districts": "Gefragte Stadtteile",
    "chart_max": "max.",
    "no_data": "Keine Daten",
    "logout": "Abmelden",
    "more": "Mehr anzeigen",
    "active_filters": "Aktive Filter",
    "remove_filter": "Entfernen: %(label)s",
}

# What a translator cannot tell from the sentence alone.
NOTES: dict[str, str] = {
    "site_title": "The site's name; keep it unless the city names the site in your language.",
    "suggestions": "Label of the suggestion list (search page and partner widget).",
    "suggestion_category": "Shown next to a suggested topic (service area).",
    "suggestion_provider": "Shown next to a suggested service when it has no district.",
    "distance": "Distance from the visitor; %(km)s is the number, formatted for your language.",
    "helpline": "%(name)s is the name of the city's counselling line (configuration).",
    "cost_kostenlos": "A service's cost (filter value and detail page).",
    "days": "Seven weekday abbreviations, Monday first, separated by commas without spaces.",
    "widget_intro": "Above a code sample for partner websites (script tag and attribute).",
    "widget_last_pick": "Followed by the event's name in parentheses: (sozialatlas:select).",
    "chart_max": "Before the highest value of a chart's axis, e.g. 'max. 42'.",
    "remove_filter": "Screen-reader label of a filter chip; %(label)s is the filter's value.",
}

# Counted messages (``ngettext``): the forms follow the language's Plural-Forms header.
PLURALS: dict[str, tuple[str, str]] = {
    "results_count": ("%(count)s Angebot gefunden", "%(count)s Angebote gefunden"),
    "suggestions_count": (
        "%(count)s Vorschlag. Mit Pfeiltasten auswählen.",
        "%(count)s Vorschläge. Mit Pfeiltasten auswählen.",
    ),
}
PLURAL_NOTES: dict[str, str] = {
    "results_count": "Above the search results; %(count)s is the number of services found.",
    "suggestions_count": "Read out by screen readers when the partner widget's list opens.",
}

# The short text of the crisis block (``api.crisis``), one per kind of danger; "any" for a
# kind without its own. Languages the interface does not speak keep a text of their own in
# ``sozialatlas/data/crisis_texts.json`` (shown for a query typed in that language).
CRISIS: dict[str, str] = {
    "suicide": "Sie sind nicht allein. Sprechen Sie jetzt mit jemandem – kostenlos, anonym, "
    "rund um die Uhr. In Lebensgefahr: 112.",
    "domestic_violence": "Gewalt ist nie Ihre Schuld. Hilfe gibt es rund um die Uhr, anonym "
    "und in vielen Sprachen. In akuter Gefahr: Polizei 110.",
    "child_danger": "Wenn ein Kind in Gefahr ist: Polizei 110. Kinder und Jugendliche und auch "
    "Eltern finden hier vertraulich Rat.",
    "homeless_tonight": "Niemand muss heute Nacht draußen schlafen. Die Notübernachtungen unten "
    "nehmen Sie auf; bei Kälte und Gefahr: 112.",
    "medical_emergency": "Lebensgefahr? Rufen Sie sofort 112 an. Ärztlicher "
    "Bereitschaftsdienst (nicht lebensbedrohlich): 116 117.",
    "psychiatric_emergency": "In einer akuten seelischen Krise gibt es sofort Hilfe. Bei Gefahr "
    "für Leib und Leben: 112.",
    "pregnancy_emergency": "Schwanger und in Not? Das Hilfetelefon berät rund um die Uhr, "
    "anonym und kostenlos – auch zur vertraulichen Geburt.",
    "any": "Sie sind nicht allein. Hier bekommen Sie sofort Hilfe.",
}
CRISIS_NOTE = (
    "Shown above the crisis lines to a person in danger; keep the emergency numbers as they are."
)


def crisis_context(kind: str) -> str:
    return f"crisis_text_{kind}"


def all_messages() -> list[Message]:
    """Every message in catalogue order: pages, counted messages, crisis texts."""
    return [
        *(Message(key, text, note=NOTES.get(key, "")) for key, text in PAGE.items()),
        *(
            Message(key, one, many, PLURAL_NOTES.get(key, ""))
            for key, (one, many) in PLURALS.items()
        ),
        *(Message(crisis_context(kind), text, note=CRISIS_NOTE) for kind, text in CRISIS.items()),
    ]
