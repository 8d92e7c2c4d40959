"""The gettext catalogues as files: compile ``.po`` to ``.mo``, check them, update them.

Pure Python with ``polib`` (no GNU gettext tools, no Django), because it runs in three places
that must agree: ``api/settings.py`` compiles the catalogues into the state directory when
the process starts (so a clean clone, the container and every test run have ``.mo`` files
without a build step, and an edited ``.po`` takes effect on the next start); the
``sozialatlas messages`` command compiles, checks and updates on request; and the unit tests
run the same check, so CI fails on a catalogue a visitor would see gaps in.
"""

from __future__ import annotations

import gettext
import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import polib

from api.errors import ConfigurationError
from api.messages import SOURCE_LANGUAGE, Message, all_messages

SOURCE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "django"
# The standard Plural-Forms (gettext manual, CLDR) of the shipped languages and of likely next
# ones; a shipped catalogue must carry exactly its language's line.
PLURAL_FORMS: dict[str, str] = {
    "de": "nplurals=2; plural=(n != 1);",
    "en": "nplurals=2; plural=(n != 1);",
    "tr": "nplurals=2; plural=(n > 1);",
    "fa": "nplurals=2; plural=(n > 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
    "uk": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
    "n%100>=11 ? 4 : 5);",
}
_PLURAL_HEADER = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$")
# Python's %-directives: %(name)s, %d, %.1f, %% ... (what python-format means).
_PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
_PROBE = range(1001)  # numbers tried to see which plural form a number takes
HEADER = (
    "Sozialatlas Search: the interface strings in {lang}.\n"
    "msgid: the German source (api/messages.py); msgctxt: the string's key.\n"
    "Check with `sozialatlas messages check`; see the README's translator's guide."
)


def po_path(lang: str, source: Path = SOURCE_DIR) -> Path:
    return source / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalogue_languages(source: Path = SOURCE_DIR) -> list[str]:
    return sorted(p.parent.parent.name for p in source.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def _load(path: Path) -> polib.POFile:
    try:
        return polib.pofile(str(path), encoding="utf-8", wrapwidth=100)
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"catalogue {path}: {exc}") from exc


# --- compiling ---------------------------------------------------------------------------


def compile_catalogues(source: Path = SOURCE_DIR, *, target: Path) -> Path:
    """``target`` with an up-to-date ``<lang>/LC_MESSAGES/django.mo`` per ``.po`` of ``source``.

    A catalogue is compiled only when its ``.po`` changed (a digest is kept beside the
    ``.mo``), and written atomically, so processes starting together (gunicorn workers, the
    Celery worker) neither redo the work nor read half a file. Like ``msgfmt``, fuzzy and
    untranslated entries are left out: they show the German source until translated.
    """
    languages = catalogue_languages(source)
    for lang in languages:
        po_file = po_path(lang, source)
        digest = hashlib.sha256(po_file.read_bytes()).hexdigest()
        mo_file = target / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        stamp = mo_file.with_suffix(".digest")
        if mo_file.exists() and stamp.exists() and stamp.read_text().strip() == digest:
            continue
        mo_file.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(mo_file, _load(po_file).to_binary())
        _write_atomically(stamp, digest.encode())
    for old in target.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"):  # a language whose .po is gone
        if old.parent.parent.name not in languages:
            old.unlink(missing_ok=True)
    return target


def _write_atomically(path: Path, data: bytes) -> None:
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide it from another user's server
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# --- checking ----------------------------------------------------------------------------


def plural_function(header: str) -> tuple[int, Callable[[int], int]]:
    """(nplurals, the form index of a number) from a ``Plural-Forms`` header value."""
    found = _PLURAL_HEADER.match(header or "")
    if found is None:
        raise ValueError(f"unreadable Plural-Forms {header!r}")
    return int(found.group(1)), gettext.c2py(found.group(2))


def placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text))


def _key(entry: polib.POEntry | Message) -> tuple[str, str, str]:
    if isinstance(entry, Message):
        return entry.context, entry.text, entry.plural or ""
    return entry.msgctxt or "", entry.msgid, entry.msgid_plural or ""


def check_catalogues(languages: Iterable[str], source: Path = SOURCE_DIR) -> list[str]:
    """Every problem that would show a visitor an untranslated or broken string; [] if none.

    For each shipped language: the catalogue exists and parses, its ``Plural-Forms`` is the
    language's standard one, every message of ``api.messages`` is present with its German
    msgid, none is stale, fuzzy or (outside the German source) untranslated, each plural
    entry has as many forms as the header says, and every form carries the msgid's
    placeholders (a form used for a single number, such as Arabic "two", may leave the number
    out, as ``msgfmt --check-format`` allows).
    """
    expected = {_key(m): m for m in all_messages()}
    problems: list[str] = []
    for lang in languages:
        path = po_path(lang, source)
        if not path.exists():
            problems.append(f"{lang}: no catalogue at {path}")
            continue
        try:
            catalogue = _load(path)
        except ConfigurationError as exc:
            problems.append(f"{lang}: {exc}")
            continue
        problems.extend(f"{lang}: {p}" for p in _check_one(lang, catalogue, expected))
    return problems


def _check_one(
    lang: str, catalogue: polib.POFile, expected: dict[tuple[str, str, str], Message]
) -> list[str]:
    problems: list[str] = []
    header = catalogue.metadata.get("Plural-Forms", "")
    try:
        nplurals, form_of = plural_function(header)
    except ValueError as exc:
        return [str(exc)]
    if lang in PLURAL_FORMS and header != PLURAL_FORMS[lang]:
        problems.append(f"Plural-Forms is {header!r}, the standard is {PLURAL_FORMS[lang]!r}")
    if catalogue.metadata.get("Language") != lang:
        problems.append(f"Language header is {catalogue.metadata.get('Language')!r}")
    singles = {i for i in range(nplurals) if sum(form_of(n) == i for n in _PROBE) == 1}
    present = {_key(e): e for e in catalogue if not e.obsolete}
    for key in expected.keys() - present.keys():
        problems.append(f"missing {key[0]!r} ({key[1]!r}): run `sozialatlas messages update`")
    for key in present.keys() - expected.keys():
        problems.append(f"stale {key[0]!r} ({key[1]!r}): run `sozialatlas messages update`")
    for key in expected.keys() & present.keys():
        entry = present[key]
        where = f"{key[0]!r}"
        if entry.fuzzy:
            problems.append(f"{where} is fuzzy: check the translation, then drop the flag")
        wanted = placeholders(entry.msgid)
        if ("python-format" in entry.flags) != bool(wanted):
            problems.append(f"{where}: python-format flag must be set exactly with placeholders")
        if entry.msgid_plural:
            if placeholders(entry.msgid_plural) != wanted:
                problems.append(f"{where}: msgid and msgid_plural differ in placeholders")
            forms = entry.msgstr_plural
            if sorted(forms) != list(range(nplurals)):
                problems.append(
                    f"{where} has {len(forms)} plural forms, the header says {nplurals}"
                )
                continue
            texts = [(i, forms[i]) for i in range(nplurals)]
        else:
            texts = [(0, entry.msgstr)]
        for index, text in texts:
            if not text:
                if lang != SOURCE_LANGUAGE:
                    problems.append(f"{where} is untranslated")
                continue
            found = placeholders(text)
            dropped = entry.msgid_plural and index in singles and set(found) <= set(wanted)
            if found != wanted and not dropped:
                problems.append(f"{where}: placeholders {found} instead of {wanted} in {text!r}")
    return problems


# --- updating ----------------------------------------------------------------------------


def update_catalogues(languages: Iterable[str], source: Path = SOURCE_DIR) -> list[str]:
    """Bring the catalogues in line with ``api.messages``; what changed, per language.

    A new message arrives untranslated; a message whose German wording changed keeps its old
    translation marked fuzzy (with the previous msgid for the translator); a removed one is
    dropped. A shipped language without a catalogue gets one. Entries follow the order of
    ``api.messages``, so a catalogue's diff shows only what changed.
    """
    report: list[str] = []
    for lang in languages:
        path = po_path(lang, source)
        if path.exists():
            catalogue = _load(path)
        else:
            if lang not in PLURAL_FORMS:
                raise ConfigurationError(
                    f"{lang}: add its standard Plural-Forms to PLURAL_FORMS in {__file__}"
                )
            catalogue = polib.POFile(wrapwidth=100)
            catalogue.header = HEADER.format(lang=lang)
            catalogue.metadata = {
                "Project-Id-Version": "sozialatlas-search",
                "Language": lang,
                "MIME-Version": "1.0",
                "Content-Type": "text/plain; charset=UTF-8",
                "Content-Transfer-Encoding": "8bit",
                "Plural-Forms": PLURAL_FORMS[lang],
            }
            report.append(f"{lang}: new catalogue {path}")
        changes = _merge(catalogue, lang)
        report.extend(f"{lang}: {change}" for change in changes)
        if changes or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            catalogue.save(str(path))
    return report


def _merge(catalogue: polib.POFile, lang: str) -> list[str]:
    nplurals, _ = plural_function(catalogue.metadata.get("Plural-Forms", ""))
    by_context = {e.msgctxt or "": e for e in catalogue if not e.obsolete}
    changes: list[str] = []
    merged: list[polib.POEntry] = []
    retouched = False
    for message in all_messages():
        entry = by_context.pop(message.context, None)
        if entry is None:
            entry = polib.POEntry(msgctxt=message.context, msgid=message.text)
            if message.plural:
                entry.msgid_plural = message.plural
                entry.msgstr_plural = dict.fromkeys(range(nplurals), "")
            changes.append(f"added {message.context!r}")
        elif _key(entry) != _key(message):
            if lang != SOURCE_LANGUAGE and entry.translated():
                entry.previous_msgid = entry.msgid
                entry.flags.insert(0, "fuzzy")
            entry.msgid, entry.msgid_plural = message.text, message.plural or ""
            changes.append(f"German source of {message.context!r} changed")
        flags = [f for f in entry.flags if f != "python-format"]
        flags += ["python-format"] if placeholders(message.text) else []
        if (entry.comment, entry.flags) != (message.note, flags):
            entry.comment, entry.flags = message.note, flags
            retouched = True
        merged.append(entry)
    changes.extend(f"removed {context!r}" for context in by_context)
    if retouched or [id(e) for e in merged] != [id(e) for e in catalogue]:
        changes.append("notes, flags or order of entries")
    catalogue[:] = merged
    return changes
