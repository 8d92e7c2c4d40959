"""Glossary matches that are false friends: a word of the query's own language that only
looks like another language's word.

The glossaries of thirty languages share one index, and its inexact rules (an ending
more or less, a letter off) let a word meet a look-alike of another language: German
"aggressiv" the Italian "aggressione", English "share" the Hinglish "sharab" (alcohol).
A match stays when it is exact or when one of its words is no word of the language the
query is read in.
"""

from __future__ import annotations

from analyzers import vocabulary
from analyzers.chat_spelling import CHAT_LANGUAGES
from analyzers.matching import EXACT, Match
from analyzers.normalize import fold
from analyzers.tokens import Token, is_german_word


def german_only(raw: list[Token], matches: list[Match]) -> list[Match]:
    """In German text, a German word only near another language's word is no translation.

    "aggressiv" is not Italian "aggressione", "alt" not an English "alter": glossary
    matches stay when exact or when one of their words is no German word.
    """
    pieces = [piece for t in raw for piece in t.pieces]

    def german(position: int) -> bool:
        piece = pieces[position] if position < len(pieces) else ""
        return is_german_word(fold(piece), piece)

    return [
        (trigger, mean, used)
        for trigger, mean, used in matches
        if trigger.lang == "de" or mean >= EXACT or not all(german(p) for p in used)
    ]


def not_chatted(raw: list[Token], matches: list[Match]) -> list[Match]:
    """A German or English word only near a chat spelling is not it.

    "share" is no Hinglish "sharab" (alcohol), "sharan" (refuge) or Arabizi word: a
    Latin-typed Arabic, Persian or Hindi phrase stays when met exactly or when one of
    its words is neither German nor English (:mod:`analyzers.vocabulary`).
    """
    pieces = [piece for t in raw for piece in t.pieces]

    def everyday(position: int) -> bool:
        return position < len(pieces) and vocabulary.known(pieces[position])

    return [
        (trigger, mean, used)
        for trigger, mean, used in matches
        if trigger.lang not in CHAT_LANGUAGES
        or mean >= EXACT
        or not trigger.phrase.isascii()
        or not all(everyday(p) for p in used)
    ]
