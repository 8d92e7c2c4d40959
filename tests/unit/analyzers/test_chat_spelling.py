"""Scripts typed in Latin letters: the bones of a chat spelling and of the entry it means."""

from __future__ import annotations

import pytest

from analyzers import danger
from analyzers.chat_spelling import bones, romanize, script_bones
from analyzers.danger_words import split_words as words_of


@pytest.mark.parametrize(
    ("typed", "entry", "lang", "expected"),
    [
        ("ente7ar", "انتحار", "ar", "nthr"),  # 7 is ح; "nt" + "ح" is no "th"
        ("antehar", "انتحار", "ar", "nthr"),
        ("hamele", "حامله", "fa", "hml"),  # the silent final "ه" of Persian
        ("zindagi", "ज़िंदगी", "hi", "zndg"),  # the nukta makes ज a z
        ("atmahatya", "आत्महत्या", "hi", "tmht"),
        ("hakim", "ሓኪም", "ti", "hkm"),  # a Ge'ez sign is a consonant and its vowel
        ("khodkoshi", "خودکشی", "fa", "hdks"),
        ("darab", "ضرب", "ar", "drb"),
    ],
)
def test_a_chat_spelling_has_the_bones_of_the_word_it_means(
    typed: str, entry: str, lang: str, expected: str
) -> None:
    assert bones(typed) == script_bones(entry, lang) == expected


def test_bones_follow_the_language_of_the_entry() -> None:
    assert script_bones("ضرب", "fa") == "zrb"  # Persian says ض as z
    assert script_bones("помощь", "ru") == ""  # Cyrillic keeps analyzers.translit
    assert romanize("სასწრაფო", "ka") == "sastsrapo"
    assert romanize("βοήθεια", "el") == "voitheia"


def test_a_chatted_word_not_in_the_class_files_meets_its_class() -> None:
    # neither "antehar", "haamele" nor "nemidoone" is written so in ar.txt / fa.txt
    assert "die" in danger.classes(["antehar"])["ar"]
    found = danger.detect(words_of(["haamele", "hastam", "va", "kasi", "nemidoone"]))
    assert found is not None and (found.kind, found.lang) == ("pregnancy_emergency", "fa")


@pytest.mark.parametrize(
    "query",
    [
        "Inkasso am Hals",  # "Hals" has the bones of "خلاص" (khalas, it is over)
        "rentnertreff mit kaffee und skat",  # "skat": Greek "σκοτωθεί" (gets killed)
        "homeless shelter nurse",  # "homeless" begins like "حامل" (pregnant)
    ],
)
def test_german_and_english_words_are_not_read_as_chatted_scripts(query: str) -> None:
    met = danger.classes(words_of(query.split()))
    assert not met.keys() & {"ar", "fa", "ur", "ps", "hi", "el", "ka", "am", "ti"}
