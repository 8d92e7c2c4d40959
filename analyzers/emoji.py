"""Emoji read as the words they stand for: "🆘", "👶🍼 kita", "🏠❌".

The tokenizer drops symbols, so a query of emoji alone found nothing and the emoji beside
words said nothing. ``data/emoji.txt`` gives the German words each stands for; the
analysis reads them in their place, and every later step (vocabulary, crisis lists,
models) sees what was meant.
"""

from __future__ import annotations

from functools import lru_cache

from analyzers.errors import ResourceFormatError
from analyzers.resources import content_lines, data_path

VARIATION = "\ufe0f"  # the emoji presentation selector ("⚖️") spells the same emoji


def parse(lines: list[tuple[int, str]], file: str) -> dict[str, str]:
    """``emoji<TAB>words`` lines into a table; an emoji is written without its selector."""
    table: dict[str, str] = {}
    for number, line in lines:
        symbol, sep, words = line.partition("\t")
        if not sep or not symbol.strip() or not words.strip():
            raise ResourceFormatError(file, number, "expected `emoji<TAB>words`")
        table[symbol.strip().replace(VARIATION, "")] = words.strip()
    return table


@lru_cache(maxsize=1)
def table() -> dict[str, str]:
    path = data_path("emoji.txt")
    return parse(list(content_lines(path)), path.name)


def spell(text: str) -> str:
    """``text`` with each known emoji replaced by its words (once per emoji)."""
    if text.isascii():
        return text
    known = table()
    plain = text.replace(VARIATION, "")
    found = [symbol for symbol in known if symbol in plain]
    if not found:
        return text
    for symbol in sorted(found, key=len, reverse=True):  # "🏳‍🌈" before "🌈"
        plain = plain.replace(symbol, f" {known[symbol]} ", 1).replace(symbol, " ")
    return " ".join(plain.split())
