"""The word classes of the structure rule (:mod:`analyzers.danger`), indexed per word.

Each language lists small classes of words (``data/danger/<lang>.txt``); this module reads
them and answers, for one typed word, which entries it meets: exactly or inflected, by
prefix (``word*``) or inside (``*root*``), as a German lemma or compound part, with one
letter left out or added in long words, and as the skeleton of a Cyrillic entry typed in
Latin letters. A Vietnamese word typed with its tones meets only entries with the same
tones ("bạn", friend, is no "bẩn", dirty); typed without, any of them. How the classes met
are scored is :mod:`analyzers.danger`'s business.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from analyzers import vocabulary
from analyzers.chat_spelling import CHAT_LANGUAGES, MIN_BONES, bones, script_bones
from analyzers.errors import ResourceFormatError
from analyzers.matching import SWAP_MIN, deletes, stem, swaps
from analyzers.normalize import UNSPACED, fold, script_key
from analyzers.translit import CYRILLIC_LANGUAGES, romanize, skeleton
from analyzers.vietnamese import toned

TONED = "vi"  # a word typed with its tones meets only the entries written with the same tones
EVERYDAY = ("de", "en", "fr", "es", "it", "pt", "ro", "pl", "cs", "hu", "tr", "vi")
PART_MIN = 4  # compound parts shorter than this name too many things ("not", "tot")
_APOSTROPHE = re.compile("['’ʼ`]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")

# What one language's classes met in a query: class -> (entry, positions of its words).
Met = dict[str, list[tuple[str, frozenset[int]]]]


@dataclass(frozen=True, slots=True)
class Entry:
    lang: str
    cls: str
    text: str
    size: int  # number of words


@dataclass(eq=False)  # hashed by identity: lookup() is memoised per lexicon
class Lexicon:
    """Every language's word classes, indexed for per-word lookup."""

    entries: list[Entry] = field(default_factory=list)
    exact: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # key -> (entry, word)
    prefix: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    inflect: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # may take endings
    infix: dict[str, list[tuple[str, tuple[int, int]]]] = field(
        default_factory=dict
    )  # by 2 letters
    deletes: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    unspaced: list[tuple[str, int]] = field(default_factory=list)
    roman: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # typed Cyrillic
    roman_prefix: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    bones: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # chatted scripts
    bones_prefix: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    toned: dict[tuple[int, int], str] = field(default_factory=dict)  # Vietnamese, with tones
    longest: int = 0  # the longest prefix entry

    def add(self, lang: str, cls: str, text: str) -> None:
        words = [w for w in split_words(text.replace("-", " ").split()) if w.strip("*")]
        if not words:
            return
        number = len(self.entries)
        self.entries.append(Entry(lang, cls, text, len(words)))
        for place, word in enumerate(words):
            self._add_word(word, (number, place), lang)

    def _add_word(self, word: str, ref: tuple[int, int], lang: str) -> None:
        if lang == TONED:
            self.toned[ref] = "" if word.isascii() else toned(word)
        if UNSPACED.search(word):
            self.unspaced.append((script_key(word.strip("*")), ref[0]))
            return
        plain = plain_form(word.strip("*"))
        if lang in CYRILLIC_LANGUAGES and _CYRILLIC.search(plain):
            roman = skeleton(romanize(plain, lang))
            if len(roman) >= 4:  # met only by a typed word's skeleton, see lookup()
                table = self.roman_prefix if word.endswith("*") else self.roman
                table.setdefault(roman, []).append(ref)
        if lang in CHAT_LANGUAGES:
            consonants = script_bones(word.strip("*"), lang)
            # Romanised from a script, a word needs one consonant more: "skt" (Greek
            # "σκοτωθεί") is also the Hindi "sakti", "thd" ("تهديد") the Arabizi "taw7od".
            least = MIN_BONES if word.isascii() else MIN_BONES + 1
            if len(consonants) >= least:  # met only by a typed Latin word, see lookup()
                self.bones.setdefault(consonants, []).append(ref)
                if word.endswith("*") and len(consonants) > MIN_BONES:  # "hml*" meets "homeless"
                    self.bones_prefix.setdefault(consonants, []).append(ref)
        for form in (plain,):
            if word.startswith("*") and word.endswith("*") and len(form) >= 3:
                self.infix.setdefault(form[:2], []).append((form, ref))
            elif word.endswith("*") and len(form) >= 3:
                self.prefix.setdefault(form, []).append(ref)
                self.longest = max(self.longest, len(form))
            else:
                self.exact.setdefault(form, []).append(ref)
                self.exact.setdefault(_key(form), []).append(ref)
                if len(form) >= 5:
                    self.inflect.setdefault(form, []).append(ref)
                if len(form) >= 8:
                    for deleted in deletes(form):
                        self.deletes.setdefault(deleted, []).append(ref)

    def _same_tones(self, ref: tuple[int, int], typed: str) -> bool:
        """Whether a word typed with marks meets the entry: any other language's, or a
        Vietnamese one written with the same tones (not its toneless spelling "doi")."""
        entry = self.toned.get(ref)
        if entry is None:
            return True
        if entry.endswith("*"):
            return bool(entry[:-1]) and typed.startswith(entry[:-1])
        return typed == entry

    @lru_cache(maxsize=65536)  # noqa: B019 (one lexicon per process, never freed anyway)
    def lookup(self, token: str) -> frozenset[tuple[int, int]]:
        """The (entry, word) pairs one typed word meets."""
        forms = _forms(token)
        if not forms:  # nothing left once folded (a lone combining mark)
            return frozenset()
        exact, prefix, inflect, infix = self.exact, self.prefix, self.inflect, self.infix
        found: list[tuple[int, int]] = []
        for form in forms:
            size = len(form)
            found += exact.get(form, ())
            for n in range(3, min(size, self.longest) + 1):
                found += prefix.get(form[:n], ())
            if size >= 6:
                found += inflect.get(form[:-1], ())
                if size >= 7:
                    found += inflect.get(form[:-2], ())
            for start in range(size - 2):
                for root, ref in infix.get(form[start : start + 2], ()):
                    if form.startswith(root, start):
                        found.append(ref)
        if not token.isascii():  # typed with its marks: "bạn" (friend) is no "bẩn" (dirty)
            typed = toned(token)
            found = [ref for ref in found if self._same_tones(ref, typed)]
        plain = forms[0]
        chatted = plain.isascii() and plain.isalnum() and not _everyday(plain)
        if chatted and not vocabulary.known(token):  # "Hals" is no "خلاص" (khalas, over)
            found += self._by_bones(bones(plain))  # "antehar" is the "انتحار" listed
        if plain.isascii() and plain.isalpha():
            if chatted:
                typed = skeleton(plain)
                found += self.roman.get(typed, ())
                for n in range(4, len(typed) + 1):
                    found += self.roman_prefix.get(typed[:n], ())
            if len(plain) >= SWAP_MIN and not vocabulary.known(token):
                for swapped in swaps(plain):  # two letters the wrong way round ("hsuband")
                    found += exact.get(swapped, ())
            if len(plain) >= 7:
                found += self.deletes.get(plain, ())  # a letter left out ("Abschiedsbrif")
                if len(plain) >= 9:  # a letter too many ("Abschiedsbrieef")
                    for deleted in deletes(plain):
                        found += exact.get(deleted, ())
        return frozenset(found)

    def _by_bones(self, consonants: str) -> list[tuple[int, int]]:
        """Entries of a language chatted in Latin letters (:mod:`analyzers.chat_spelling`)
        whose consonants a typed word's are, or begin with for an entry ``word*``."""
        if len(consonants) < MIN_BONES:
            return []
        found = list(self.bones.get(consonants, ()))
        for n in range(MIN_BONES + 1, len(consonants) + 1):
            found += self.bones_prefix.get(consonants[:n], ())
        return found


def split_words(words: Iterable[str]) -> list[str]:
    """Latin words split at apostrophes ("l'addio", "dont" stays), others kept whole."""
    out: list[str] = []
    for word in words:
        if _CYRILLIC.search(word):
            out.append(word)
        else:
            out.extend(p for p in _APOSTROPHE.split(word) if p)
    return out


def plain_form(word: str) -> str:
    return fold(script_key(word))


def _key(plain: str) -> str:
    return stem(plain, "ru")  # script-based: Cyrillic and Arabic endings, Latin unchanged


# Past forms of "sterben" are another's death, mourned ("die Schwiegermutter, die letztes
# Jahr gestorben ist"): grief counselling, not the wish to die that their lemma would say.
GRIEF = frozenset({"gestorben", "verstorben", "starb", "starben", "verstarb"})


@lru_cache(maxsize=65536)
def _forms(token: str) -> tuple[str, ...]:
    """The forms one typed word is looked up in: plain, stemmed, lemma, parts, skeleton."""
    from analyzers.compounds import split
    from analyzers.tokens import lemma

    plain = plain_form(token)
    forms = [plain, _key(plain)]
    if plain.isascii() and plain.isalpha():
        if plain not in GRIEF:
            forms.append(lemma(token))
        forms.extend(p for p in split(plain) if len(p) >= PART_MIN)
    return tuple(dict.fromkeys(f for f in forms if f))


@lru_cache(maxsize=1)
def _latin_everyday() -> frozenset[str]:
    from analyzers.glossary import everyday_words

    return frozenset().union(*(everyday_words(lang) for lang in EVERYDAY))


def _everyday(plain: str) -> bool:
    """An everyday word of a Latin-script language: never read as typed Cyrillic."""
    return plain in _latin_everyday()


def parse(
    lines: Iterable[tuple[int, str]], file: str, known: frozenset[str]
) -> list[tuple[str, str]]:
    """``[class]`` sections of comma-separated entries -> (class, entry); ``known`` names
    the classes a file may use."""
    out: list[tuple[str, str]] = []
    section: str | None = None
    for number, line in lines:
        if line.startswith("["):
            name, _, rest = line[1:].partition("]")
            if name.strip() not in known:
                raise ResourceFormatError(file, number, f"unknown word class {line!r}")
            section = name.strip()
            line = rest.strip()
            if not line:
                continue
        if section is None:
            raise ResourceFormatError(file, number, "entry before the first [class] header")
        for raw in line.split(","):
            entry = raw.strip()
            if not entry:
                raise ResourceFormatError(file, number, "empty entry (doubled comma?)")
            out.append((section, entry))
    return out
