"""The gettext catalogues: complete in every shipped language, plural forms right, compiled.

The completeness test is CI's guard (``make check`` runs the same check through
``sozialatlas messages check``): a missing, stale, fuzzy or untranslated string, a changed
placeholder or a wrong number of plural forms in a shipped language fails the run. The other
tests show that the check catches each of these, and that what the pages use (plural forms
through Django's ``ngettext``, numbers in the language's notation) comes out right.
"""

from __future__ import annotations

import gettext
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from analyzers.models import CrisisSignal
from api import catalogues, messages
from api.catalogues import (
    PLURAL_FORMS,
    check_catalogues,
    compile_catalogues,
    plural_function,
    po_path,
    update_catalogues,
)
from api.crisis import block
from api.web import i18n
from configuration.languages import UI_LANGUAGES

SOURCE = messages.SOURCE_LANGUAGE


def test_every_shipped_language_has_a_complete_catalogue() -> None:
    assert check_catalogues(UI_LANGUAGES) == []


@pytest.mark.parametrize("lang", UI_LANGUAGES)
def test_each_catalogue_read_with_polib(lang: str) -> None:
    """What the check enforces, spelt out on the file as a translator's tool reads it."""
    catalogue = polib.pofile(str(po_path(lang)))
    assert catalogue.metadata["Plural-Forms"] == PLURAL_FORMS[lang]
    nplurals, _ = plural_function(catalogue.metadata["Plural-Forms"])
    entries = {(e.msgctxt, e.msgid): e for e in catalogue if not e.obsolete}
    wanted = {(m.context, m.text) for m in messages.all_messages()}
    assert set(entries) == wanted  # every msgid present, nothing stale
    assert catalogue.fuzzy_entries() == []
    if lang != SOURCE:  # German is the source: its msgids are the text
        assert catalogue.untranslated_entries() == []
    for entry in entries.values():
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == list(range(nplurals)), entry.msgctxt


def test_the_catalogues_are_in_step_with_the_sources(tmp_path: Path) -> None:
    """``sozialatlas messages update`` would change nothing: notes, flags, order included."""
    copy = tmp_path / "locale"
    shutil.copytree(catalogues.SOURCE_DIR, copy)
    assert update_catalogues(UI_LANGUAGES, copy) == []


@pytest.mark.parametrize(
    ("count", "russian"),
    [
        (1, "Найдена 1 услуга"),
        (2, "Найдены 2 услуги"),
        (5, "Найдено 5 услуг"),
        (11, "Найдено 11 услуг"),
        (21, "Найдена 21 услуга"),
        (101, "Найдена 101 услуга"),
    ],
)
def test_russian_plural_forms(count: int, russian: str) -> None:
    assert i18n.counted("ru", "results_count", count) == russian


@pytest.mark.parametrize(
    ("count", "arabic"),
    [
        (0, "لم يُعثر على أي خدمة"),  # zero
        (1, "وُجدت خدمة واحدة"),  # one
        (2, "وُجدت خدمتان"),  # two
        (5, "وُجدت 5 خدمات"),  # few: 3-10
        (11, "وُجدت 11 خدمة"),  # many: 11-99
        (21, "وُجدت 21 خدمة"),  # many
        (101, "وُجدت 101 خدمة"),  # other: 100-102, ...
    ],
)
def test_arabic_plural_forms(count: int, arabic: str) -> None:
    assert i18n.counted("ar", "results_count", count) == arabic


def test_plural_forms_come_from_django_ngettext_with_the_compiled_catalogue() -> None:
    singular, plural = messages.PLURALS["suggestions_count"]
    chosen = {}
    for lang in ("ru", "uk", "ar", "de"):
        with translation.override(lang):
            chosen[lang] = [
                translation.npgettext("suggestions_count", singular, plural, n)
                for n in (1, 2, 5, 11, 21, 101)
            ]
    assert [form.split()[1].rstrip(".") for form in chosen["ru"]] == [
        "подсказка",
        "подсказки",
        "подсказок",
        "подсказок",
        "подсказка",
        "подсказка",
    ]
    assert [form.split()[1].rstrip(".") for form in chosen["uk"]] == [
        "пропозиція",
        "пропозиції",
        "пропозицій",
        "пропозицій",
        "пропозиція",
        "пропозиція",
    ]
    assert chosen["ar"][:3] == [
        "اقتراح واحد. استخدم مفاتيح الأسهم للاختيار.",
        "اقتراحان. استخدم مفاتيح الأسهم للاختيار.",
        "%(count)s اقتراحات. استخدم مفاتيح الأسهم للاختيار.",
    ]
    assert chosen["ar"][3:] == ["%(count)s اقتراحاً. استخدم مفاتيح الأسهم للاختيار."] * 2 + [
        "%(count)s اقتراح. استخدم مفاتيح الأسهم للاختيار."
    ]
    assert chosen["de"] == [singular] + [plural] * 5


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("de", "1,2"), ("en", "1.2"), ("ru", "1,2"), ("uk", "1,2"), ("tr", "1,2"), ("ar", "1,2")],
)
def test_numbers_are_written_as_the_language_writes_them(lang: str, expected: str) -> None:
    assert i18n.decimal(lang, 1.23) == expected
    assert i18n.decimal("en", 1.25) == f"{1.25:.1f}"  # rounded as before, not cut
    assert i18n.decimal("de", 12.96) == "13,0"


def test_page_strings_come_in_the_language_asked_for() -> None:
    assert i18n.strings("en")["apply_filters"] == "Apply filters"
    assert i18n.strings("de")["apply_filters"] == "Filter anwenden"
    assert i18n.strings("uk")["panel_trends"] == "Пошуки за тиждень"
    assert i18n.strings("ar")["remove_filter"] % {"label": "X"} == "إزالة: X"
    assert translation.get_language() == settings.LANGUAGE_CODE  # nothing left activated


def test_crisis_texts_from_the_catalogues_and_for_other_languages_from_the_data_file() -> None:
    persian = CrisisSignal(kind="domestic_violence", phrase="", lang="fa", strength="strong")
    german = block(persian, "de", "de", [])
    assert german.text_lang == "de" and "Gewalt ist nie Ihre Schuld" in german.text
    assert german.query_lang == "fa" and german.query_text.startswith("شما تنها نیستید")  # type: ignore[union-attr]
    turkish = CrisisSignal(kind="domestic_violence", phrase="", lang="tr", strength="strong")
    in_arabic = block(turkish, "ar", "de", [])
    assert in_arabic.text_lang == "ar" and in_arabic.text.startswith("العنف ليس ذنبك")
    assert in_arabic.query_lang == "tr" and "Şiddet asla" in in_arabic.query_text  # type: ignore[operator]
    assert block(turkish, "tr", "tr", []).query_text is None


# --- the check catches what it must ------------------------------------------------------


@pytest.fixture()
def doctored(tmp_path: Path) -> Path:
    copy = tmp_path / "locale"
    shutil.copytree(catalogues.SOURCE_DIR, copy)
    return copy


def _edit(source: Path, lang: str, context: str, **changes: object) -> None:
    path = po_path(lang, source)
    catalogue = polib.pofile(str(path))
    entry = next(e for e in catalogue if e.msgctxt == context)
    for name, value in changes.items():
        setattr(entry, name, value)
    catalogue.save(str(path))


@pytest.mark.parametrize(
    ("lang", "context", "changes", "problem"),
    [
        ("en", "tagline", {"msgstr": ""}, "'tagline' is untranslated"),
        ("tr", "skip", {"flags": ["fuzzy"]}, "'skip' is fuzzy"),
        ("uk", "distance", {"msgstr": "%(kms)s км"}, "placeholders ['%(kms)s'] instead"),
        ("ru", "helpline", {"msgstr": "Поможет:"}, "placeholders [] instead of ['%(name)s']"),
        ("ar", "results_count", {"msgstr_plural": {0: "a", 1: "b"}}, "has 2 plural forms"),
        ("ru", "results_count", {"msgstr_plural": {0: "x", 1: "y", 2: "z"}}, "placeholders []"),
        ("en", "tagline", {"msgid": "Hilfe finden"}, "missing 'tagline'"),
        ("de", "skip", {"flags": ["fuzzy"]}, "'skip' is fuzzy"),
    ],
)
def test_the_check_catches(
    doctored: Path, lang: str, context: str, changes: dict[str, object], problem: str
) -> None:
    _edit(doctored, lang, context, **changes)
    found = check_catalogues(UI_LANGUAGES, doctored)
    assert any(p.startswith(f"{lang}: ") and problem in p for p in found), found


def test_the_check_catches_a_wrong_plural_header_and_a_missing_catalogue(doctored: Path) -> None:
    path = po_path("ru", doctored)
    catalogue = polib.pofile(str(path))
    catalogue.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    catalogue.save(str(path))
    po_path("tr", doctored).unlink()
    found = check_catalogues(UI_LANGUAGES, doctored)
    assert any(p.startswith("ru: Plural-Forms is") for p in found)
    assert any(p.startswith("tr: no catalogue") for p in found)


def test_a_form_for_a_single_number_may_leave_the_number_out() -> None:
    """As ``msgfmt -c`` allows: Arabic "one" and "two" name their number in words."""
    catalogue = polib.pofile(str(po_path("ar")))
    entry = next(e for e in catalogue if e.msgctxt == "results_count")
    assert "%(count)s" not in entry.msgstr_plural[2] and "%(count)s" in entry.msgstr_plural[3]


# --- updating and compiling ---------------------------------------------------------------


def test_update_adds_new_marks_reworded_and_drops_removed_messages(
    doctored: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(messages.PAGE, "tagline", "Hilfe in Chemnitz finden")
    monkeypatch.setitem(messages.PAGE, "brand_new", "Ganz neu")
    monkeypatch.delitem(messages.PAGE, "skip")
    report = update_catalogues(UI_LANGUAGES, doctored)
    assert "en: added 'brand_new'" in report and "en: removed 'skip'" in report
    english = {e.msgctxt: e for e in polib.pofile(str(po_path("en", doctored)))}
    assert english["brand_new"].msgstr == "" and "skip" not in english
    assert english["tagline"].fuzzy
    assert english["tagline"].previous_msgid == "Beratung und Hilfe in Chemnitz finden"
    assert english["tagline"].msgstr == "Find counselling and support in Chemnitz"
    german = {e.msgctxt: e for e in polib.pofile(str(po_path("de", doctored)))}
    assert not german["tagline"].fuzzy  # the source has nothing to re-check
    problems = check_catalogues(UI_LANGUAGES, doctored)
    assert "en: 'brand_new' is untranslated" in problems and "en: 'tagline' is fuzzy: " in " ".join(
        problems
    )


def test_update_creates_the_catalogue_of_a_new_language(doctored: Path) -> None:
    report = update_catalogues(["pl"], doctored)
    assert report[0].startswith("pl: new catalogue")
    catalogue = polib.pofile(str(po_path("pl", doctored)))
    assert catalogue.metadata["Plural-Forms"] == PLURAL_FORMS["pl"]
    assert len(catalogue.untranslated_entries()) == len(messages.all_messages())
    counted = next(e for e in catalogue if e.msgctxt == "results_count")
    assert sorted(counted.msgstr_plural) == [0, 1, 2]


def test_compiling_leaves_out_fuzzy_entries_and_only_redoes_changed_catalogues(
    doctored: Path, tmp_path: Path
) -> None:
    target = tmp_path / "compiled"
    compile_catalogues(doctored, target=target)
    english_mo = target / "en" / "LC_MESSAGES" / "django.mo"
    german_mo = target / "de" / "LC_MESSAGES" / "django.mo"
    german_before = german_mo.stat().st_mtime_ns
    with english_mo.open("rb") as handle:
        english = gettext.GNUTranslations(handle)
    assert english.pgettext("skip", "Zum Inhalt springen") == "Skip to content"
    assert (
        english.npgettext("results_count", *messages.PLURALS["results_count"], 3)
        == "%(count)s services found"
    )
    _edit(doctored, "en", "skip", flags=["fuzzy"])
    compile_catalogues(doctored, target=target)
    with english_mo.open("rb") as handle:
        english = gettext.GNUTranslations(handle)
    assert english.pgettext("skip", "Zum Inhalt springen") == "Zum Inhalt springen"
    assert german_mo.stat().st_mtime_ns == german_before  # unchanged: not rewritten
    shutil.rmtree(doctored / "tr")
    compile_catalogues(doctored, target=target)
    assert not (target / "tr" / "LC_MESSAGES" / "django.mo").exists()


def test_the_running_site_reads_the_compiled_catalogues() -> None:
    assert Path(settings.LOCALE_PATHS[0], "ru", "LC_MESSAGES", "django.mo").is_file()
