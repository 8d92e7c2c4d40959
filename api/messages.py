"""Every interface string in its German source wording, the msgids of the gettext catalogues.

The translations live in ``api/locale/<lang>/LC_MESSAGES/django.po``, one catalogue per
interface language, where translators (and Weblate-like tools) see these sentences; this
module only declares what exists. Each string has a stable key, used as the gettext context
(``msgctxt``), so the templates keep writing ``t.key`` while the msgid stays a real sentence,
and a German rewording can be told apart from a new string. ``sozialatlas messages update``
carries changes made here into every catalogue; ``sozialatlas messages check`` (and
``tests/unit/test_catalogues.py``) fail on anything missing, stale or fuzzy.

Placeholders are Python's named ``%(name)s``: translators may move them, never rename them.
Plain data: no Django here, so the CLI can check catalogues without setting Django up. The
inquiry and confirmation mails' sources live with the code that writes them
(:mod:`directory.inquiry_texts`, :mod:`directory.confirmation_texts`, plain data too) and are
carried into the same catalogues.
"""

from __future__ import annotations

from dataclasses import dataclass

from directory import confirmation_texts, inquiry_texts

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
    # The inquiry figures on the dashboard (api/web/dashboard.py): aggregates only.
    "dash_inq_title": "Vermittelte Anfragen",
    "dash_inq_range": "Die letzten 12 Monate; nur Zahlen, keine persönlichen Daten.",
    "dash_inq_csv": "Als CSV herunterladen",
    "dash_inq_by_month": "Pro Monat",
    "dash_inq_by_type": "Nach Art des Angebots",
    "dash_inq_by_district": "Nach Stadtteil",
    "dash_inq_unserved": "Niemand konnte helfen (überall abgelehnt oder ohne Antwort)",
    "dash_inq_month": "Monat",
    "dash_inq_count": "Anfragen",
    "dash_inq_answered": "Beantwortet",
    "dash_inq_declined": "Abgelehnt",
    "dash_inq_expired": "Abgelaufen",
    "dash_inq_median": "Median bis zur ersten Antwort",
    "dash_inq_hours": "%(hours)s Std.",
    "dash_inq_reasons": "Ablehnungsgründe",
    "dash_inq_asked": "Gefragte Angebote",
    "dash_inq_none": "Keine Anfragen in diesem Zeitraum.",
    "chart_max": "max.",
    "no_data": "Keine Daten",
    "report_failed": "Konnte nicht geladen werden. Bitte später neu laden.",
    "logout": "Abmelden",
    "more": "Mehr anzeigen",
    "active_filters": "Aktive Filter",
    "remove_filter": "Entfernen: %(label)s",
    # Mediated inquiries (api/web/inquiry_form.py, tracking.py, answer.py, privacy.py).
    "inq_title": "Dieses Angebot fragen",
    "inq_intro": (
        "Schreiben Sie Ihr Anliegen. Wir geben es an dieses Angebot weiter; die Antwort "
        "sehen Sie auf einer eigenen Seite und, wenn Sie eine E-Mail-Adresse angeben, "
        "auch per E-Mail."
    ),
    "inq_message": "Ihre Nachricht",
    "inq_message_hint": "Mindestens 10 Zeichen. Schreiben Sie nur, was das Angebot wissen muss.",
    "inq_reach": "Wie erreicht Sie das Angebot?",
    "inq_reach_hint": (
        "Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer an (oder beides)."
    ),
    "inq_email": "E-Mail-Adresse",
    "inq_phone": "Telefonnummer",
    "inq_callback": "Bitte rufen Sie mich an",
    "inq_times": "Wann sind Sie gut erreichbar?",
    "inq_times_hint": "Zum Beispiel: werktags 9–12 Uhr",
    "inq_language": "Bevorzugte Sprache",
    "inq_name": "Ihr Name (freiwillig)",
    "inq_consent": (
        "Ich bin einverstanden, dass meine Nachricht und meine Kontaktdaten an dieses "
        "Angebot weitergegeben werden, damit es mir antworten kann."
    ),
    "inq_privacy_link": "Datenschutzhinweis lesen",
    "inq_honeypot": "Bitte dieses Feld leer lassen",
    "inq_send": "Anfrage senden",
    "inq_errors_title": "Bitte prüfen Sie Ihre Angaben:",
    "inq_err_consent": (
        "Bitte stimmen Sie der Weitergabe zu – sonst können wir das Angebot nicht fragen."
    ),
    "inq_err_message_short": "Bitte schreiben Sie mindestens 10 Zeichen.",
    "inq_err_too_long": "Dieser Text ist zu lang.",
    "inq_err_links": "Bitte schreiben Sie weniger Links in Ihre Nachricht.",
    "inq_err_email": "Das ist keine gültige E-Mail-Adresse.",
    "inq_err_phone": "Diese Telefonnummer können wir nicht anrufen. Bitte prüfen Sie sie.",
    "inq_err_contact": (
        "Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer an, damit das "
        "Angebot antworten kann."
    ),
    "inq_err_language": "Bitte wählen Sie eine Sprache.",
    "inq_err_field": "Bitte prüfen Sie diese Angabe.",
    "inq_err_required": "Bitte füllen Sie dieses Feld aus.",
    "inq_err_honeypot": (
        "Das Formular konnte nicht gesendet werden, weil ein verstecktes Feld "
        "ausgefüllt war (vielleicht von Ihrem Browser). Bitte senden Sie es noch "
        "einmal."
    ),
    "inq_err_too_fast": (
        "Das ging sehr schnell. Bitte prüfen Sie Ihre Nachricht und senden Sie sie noch einmal."
    ),
    "inq_err_form": "Das Formular ist abgelaufen. Bitte senden Sie es noch einmal.",
    "inq_err_busy": (
        "Gerade kommen zu viele Anfragen an. Bitte versuchen Sie es in einigen Minuten noch einmal."
    ),
    "inq_err_text": "Bitte schreiben Sie einen Text.",
    "inq_err_state": "Das ist beim jetzigen Stand der Anfrage nicht möglich.",
    "inq_err_reason": "Bitte wählen Sie einen Grund.",
    "inq_err_provider": "Dieses Angebot gibt es im Verzeichnis nicht.",
    "inq_tracking_title": "Ihre Anfrage",
    "inq_sent": "Danke! Ihre Anfrage wurde gesendet.",
    "inq_reference": "Vorgangsnummer",
    "inq_keep_link": (
        "Bewahren Sie die Adresse dieser Seite auf: Nur mit ihr sehen Sie den Stand und "
        "die Antwort."
    ),
    "inq_to": "Angebot",
    "inq_status": "Stand",
    "status_received": "Eingegangen – wird an das Angebot geschickt",
    "status_delivered": "Beim Angebot angekommen, noch nicht gelesen",
    "status_read": "Vom Angebot gelesen",
    "status_accepted": "Vom Angebot angenommen",
    "status_completed": "Erledigt",
    "status_declined": "Vom Angebot abgelehnt",
    "status_cancelled": "Zurückgezogen",
    "status_expired": "Ohne Antwort abgelaufen",
    "inq_history": "Verlauf",
    "act_submit": "Anfrage gesendet",
    "act_deliver": "Zugestellt",
    "act_read": "Gelesen",
    "act_reply": "Antwort",
    "act_accept": "Angenommen",
    "act_decline": "Abgelehnt",
    "act_forward": "An ein anderes Angebot weitergeleitet",
    "act_complete": "Erledigt",
    "act_message": "Nachricht",
    "act_withdraw": "Zurückgezogen",
    "act_expire": "Abgelaufen",
    "act_reopen": "Wieder geöffnet",
    "act_remind": "Erinnerung an das Angebot",
    "act_escalate": "An die Koordinierungsstelle gegeben",
    "act_reroute": "Von der Koordinierungsstelle übernommen",
    "act_purge": "Persönliche Daten gelöscht",
    "actor_person": "Anfragende Person",
    "actor_provider": "Angebot",
    "actor_desk": "Koordinierungsstelle",
    "actor_system": "Sozialatlas",
    "actor_staff": "Mitarbeitende",
    "inq_notes": "Nachrichten",
    "inq_no_notes": "Noch keine Antwort.",
    **inquiry_texts.REASONS,  # also in the person's mail (directory/inquiry_mail.py)
    "inq_reason": "Grund",
    "inq_add_message": "Noch etwas schreiben",
    "inq_send_message": "Nachricht senden",
    "inq_withdraw": "Anfrage zurückziehen",
    "inq_withdraw_hint": (
        "Sie brauchen keine Hilfe mehr? Dann ziehen Sie die Anfrage zurück; das Angebot "
        "wird informiert."
    ),
    "inq_similar_title": "Ähnliche Angebote",
    "inq_similar_hint": (
        "Sie können dieselbe Nachricht mit einem Klick an eines dieser Angebote senden."
    ),
    "inq_resend_consent": (
        "Ich bin einverstanden, dass meine Nachricht und meine Kontaktdaten an dieses "
        "Angebot weitergegeben werden."
    ),
    "inq_resend": "Nachricht an dieses Angebot senden",
    "inq_no_similar": "Wir haben gerade keine ähnlichen Angebote gefunden.",
    "inq_answer_title": "Anfrage über den Sozialatlas",
    "inq_answer_intro": (
        "Eine Person bittet Sie über den Sozialatlas Chemnitz um Hilfe. Bitte antworten "
        "Sie hier; die Person erhält Ihre Antwort."
    ),
    "inq_contact_name": "Name",
    "inq_contact_times": "Erreichbar",
    "inq_not_given": "nicht angegeben",
    "inq_reply_label": "Ihre Antwort an die Person",
    "inq_reply_send": "Antwort senden",
    "inq_accept": "Annehmen",
    "inq_decline": "Ablehnen",
    "inq_decline_note": "Hinweis für die Person (freiwillig)",
    "inq_forward": "An ein anderes Angebot weiterleiten",
    "inq_forward_label": "Kennung oder Name des Angebots",
    "inq_forward_search": "Suchen oder weiterleiten",
    "inq_forward_pick": "Hierhin weiterleiten",
    "inq_forward_none": "Kein passendes Angebot gefunden.",
    "inq_done": "Als erledigt markieren",
    "inq_forwarded": "Die Anfrage wurde weitergeleitet. Dieser Link gilt nun nicht mehr.",
    "inq_saved": "Gespeichert.",
    "inq_no_actions": "Bei dieser Anfrage ist nichts mehr zu tun.",
    "inq_link_invalid_title": "Dieser Link ist ungültig",
    "inq_link_invalid": (
        "Der Link ist unvollständig oder wurde verändert. Bitte kopieren Sie ihn "
        "vollständig aus der E-Mail."
    ),
    "inq_link_expired_title": "Dieser Link gilt nicht mehr",
    "inq_link_expired": (
        "Der Link ist abgelaufen, die Anfrage wurde weitergeleitet oder ihre Daten "
        "wurden gelöscht. Die neueste E-Mail enthält einen gültigen Link."
    ),
    "privacy_title": "Datenschutzhinweis",
    "privacy_inquiries": (
        "Wenn Sie ein Angebot über den Sozialatlas fragen, geben wir Ihre Nachricht, "
        "Ihre Kontaktdaten und Ihren Namen (falls angegeben) nur an dieses Angebot "
        "weiter – und nur, wenn Sie zustimmen. Hat das Angebot keine E-Mail-Adresse, "
        "bearbeitet die Koordinierungsstelle der Stadt Chemnitz Ihre Anfrage."
    ),
    "privacy_storage": (
        "Nachricht und Kontaktdaten werden verschlüsselt gespeichert. %(days)s Tage "
        "nach dem Abschluss der Anfrage löschen wir sie; es bleiben nur Zahlen ohne "
        "Bezug zu Ihrer Person (zum Beispiel, wie viele Anfragen beantwortet wurden)."
    ),
    "privacy_rights": (
        "Ihre IP-Adresse speichern wir nicht im Klartext, und wir setzen keine Werbe- "
        "oder Analyse-Cookies. Über den Link zu Ihrer Anfrage können Sie sie jederzeit "
        "zurückziehen. Fragen zum Datenschutz beantwortet die Koordinierungsstelle."
    ),
    # Error reports on an entry and its freshness (api/web/entry_report_form.py, provider.py).
    "rep_title": "Stimmt etwas nicht an diesem Eintrag?",
    "rep_intro": (
        "Sagen Sie uns, was nicht stimmt. Die Redaktion prüft den Eintrag. Sie müssen "
        "keinen Namen und keine Kontaktdaten angeben."
    ),
    "rep_kind": "Was stimmt nicht?",
    "rep_kind_phone": "Telefonnummer",
    "rep_kind_address": "Adresse",
    "rep_kind_hours": "Öffnungszeiten",
    "rep_kind_closed": "Das Angebot gibt es nicht mehr",
    "rep_kind_other": "Etwas anderes",
    "rep_note": "Hinweis (freiwillig)",
    "rep_note_hint": (
        "Zum Beispiel, seit wann. Bitte schreiben Sie keine persönlichen Daten: "
        "E-Mail-Adressen und Telefonnummern werden entfernt."
    ),
    "rep_send": "Fehler melden",
    "rep_thanks": "Danke! Ihre Meldung ist bei der Redaktion angekommen.",
    "rep_err_kind": "Bitte wählen Sie, was nicht stimmt.",
    "rep_err_busy": (
        "Gerade kommen zu viele Meldungen an. Bitte versuchen Sie es später noch einmal."
    ),
    "rep_link": "Fehler in diesem Eintrag melden",
    "fresh_unknown": "unbekannt",
    "fresh_stale": (
        "Dieser Eintrag wurde länger nicht bestätigt. Einzelne Angaben haben sich vielleicht "
        "geändert – fragen Sie im Zweifel direkt beim Angebot nach."
    ),
    "fresh_title": "Aktualität der Einträge",
    "fresh_entries": "Einträge",
    "fresh_6m": "In den letzten 6 Monaten bestätigt",
    "fresh_12m": "In den letzten 12 Monaten bestätigt",
    "fresh_6_12m": "Zuletzt vor 6–12 Monaten bestätigt",
    "fresh_1_2y": "Zuletzt vor 1–2 Jahren bestätigt",
    "fresh_over_2y": "Zuletzt vor über 2 Jahren bestätigt",
    "fresh_never": "Nie bestätigt",
    "fresh_open_reports": "Offene Fehlermeldungen",
    "fresh_median": "Median bis zur Erledigung einer Meldung (Tage)",
    "fresh_count": "Anzahl",
    "fresh_share": "Anteil",
    # Providers confirming or correcting their entry (api/web/confirm_page.py).
    "conf_title": "Ihr Eintrag im Sozialatlas",
    "conf_intro": "Bitte prüfen Sie die Angaben zu Ihrem Angebot. Stimmt alles, genügt ein Klick.",
    "conf_correct_title": "Alles stimmt",
    "conf_confirm": "Ja, der Eintrag ist noch richtig",
    "conf_confirmed": "Danke! Ihr Eintrag ist als aktuell bestätigt.",
    "conf_propose_title": "Änderungen vorschlagen",
    "conf_propose_intro": (
        "Ändern Sie die Felder, die nicht mehr stimmen. Die Redaktion prüft Ihre Vorschläge, "
        "bevor sie erscheinen."
    ),
    "conf_propose_send": "Änderungen zur Prüfung senden",
    "conf_proposed": "Danke! Ihre Änderungen sind bei der Redaktion angekommen.",
    "conf_unchanged": "Sie haben nichts geändert.",
    "conf_email_note": "Eine neue E-Mail-Adresse gilt erst, wenn die Redaktion sie bestätigt hat.",
    "conf_close_title": "Das Angebot ist geschlossen oder pausiert",
    "conf_closed_for_good": "Das Angebot gibt es nicht mehr",
    "conf_paused": "Das Angebot pausiert bis (Datum)",
    "conf_close_send": "Mitteilen",
    "conf_closed_done": "Danke! Das Angebot erscheint nicht mehr in der Suche.",
    "conf_paused_done": "Danke! Das Angebot erscheint ab %(date)s wieder in der Suche.",
    "conf_err_date": "Bitte geben Sie ein Datum in der Zukunft an.",
    "conf_err_field": "Bitte prüfen Sie diese Angabe.",
    "conf_err_name": "Bitte geben Sie einen Namen an.",
    "conf_err_phone": "Diese Telefonnummer ist nicht gültig.",
    "conf_err_email": "Diese E-Mail-Adresse ist nicht gültig.",
    "conf_err_website": "Diese Webadresse ist nicht gültig.",
    "conf_err_list": "Bitte verwenden Sie nur die angebotenen Kürzel.",
    "conf_f_name": "Name des Angebots",
    "conf_f_description": "Beschreibung",
    "conf_f_street": "Straße und Hausnummer",
    "conf_f_postal_code": "Postleitzahl",
    "conf_f_city": "Ort",
    "conf_f_languages": "Sprachen (Kürzel, eines pro Zeile, z. B. de)",
    "conf_f_target_groups": "Für wen (eine Gruppe pro Zeile)",
    "conf_f_categories": "Art des Angebots (Kürzel, eines pro Zeile)",
    "conf_cost_none": "keine Angabe",
    "conf_link_invalid_title": "Dieser Link funktioniert nicht",
    "conf_link_invalid": (
        "Der Link ist unvollständig oder verändert. Bitte öffnen Sie ihn direkt aus der E-Mail."
    ),
    "conf_link_expired_title": "Dieser Link gilt nicht mehr",
    "conf_link_expired": (
        "Der Link ist zu alt oder wurde von der Redaktion zurückgezogen. Die nächste E-Mail "
        "des Sozialatlas bringt einen neuen; bei Fragen hilft die Koordinierungsstelle."
    ),
    "fresh_needs_checking": "Müssen geprüft werden (keine Antwort)",
    "fresh_open_proposals": "Offene Änderungsvorschläge",
    "fresh_review_median": "Median bis zur Prüfung eines Vorschlags (Tage)",
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
    "inq_honeypot": "Label of a form field hidden from people (a trap for spam robots).",
    "inq_reference": "Label before a code such as SA-7K3M-Q9PX that identifies an inquiry.",
    "status_received": "Status of an inquiry the person sent to a social service.",
    "actor_person": "Who did a step of an inquiry: the person who asked for help.",
    "actor_desk": "The city's coordination desk that handles inquiries no service can take.",
    "act_reroute": "History entry: the city's coordination desk took over the inquiry.",
    "privacy_storage": "%(days)s is a number of days (for example 90).",
    "dash_inq_hours": "A median time; %(hours)s is a number of hours such as 3.5.",
    "dash_inq_unserved": "Inquiries that no social service could take on (a need not met).",
    "inq_err_required": "Next to a form field the person left empty.",
    "rep_title": "Heading of a form on a service's page for reporting wrong details.",
    "rep_kind_closed": "A choice of the report form: the service has closed for good.",
    "fresh_unknown": "After 'Last confirmed:' when the entry was never confirmed.",
    "fresh_stale": "Shown on a service's page whose details were not confirmed for a year.",
    "fresh_median": "Dashboard: median days between a report and an editor closing it.",
    "conf_title": "Heading of the page where a service provider checks its own directory entry.",
    "conf_paused_done": "%(date)s is a date, written as your language writes dates.",
    "conf_f_languages": "Languages are given as ISO codes such as de, en, ar: keep the example.",
    "conf_link_expired": "The coordination desk is the city's office that helps providers.",
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
    """Every message in catalogue order: pages, counted messages, crisis texts, mails."""
    return [
        *(Message(key, text, note=NOTES.get(key, "")) for key, text in PAGE.items()),
        *(
            Message(key, one, many, PLURAL_NOTES.get(key, ""))
            for key, (one, many) in PLURALS.items()
        ),
        *(Message(crisis_context(kind), text, note=CRISIS_NOTE) for kind, text in CRISIS.items()),
        *(
            Message(key, text, note=inquiry_texts.note(key))
            for key, text in inquiry_texts.MAIL.items()
        ),
        *(
            Message(key, text, note=confirmation_texts.note(key))
            for key, text in confirmation_texts.MAIL.items()
        ),
    ]
