"""Emoji read as the words they stand for (analyzers.emoji)."""

from __future__ import annotations

import pytest

from analyzers import analyze_query, emoji
from analyzers.errors import ResourceFormatError


def test_emoji_become_their_words_once_and_the_rest_stays() -> None:
    assert emoji.spell("💶💶💶 schulden") == "geld schulden"
    assert emoji.spell("👶🍼 kita") == "baby baby kita"
    assert emoji.spell("⚖️ mietvertrag") == "recht mietvertrag"  # with the selector too
    assert emoji.spell("Schuldnerberatung") == "Schuldnerberatung"
    assert emoji.spell("☕ Sprachcafé") == "☕ Sprachcafé"  # unknown: left to the tokenizer


def test_a_query_of_emoji_alone_is_understood() -> None:
    assert not analyze_query("🙂").concepts
    sos = analyze_query("🆘")
    assert sos.words and sos.concepts
    money = analyze_query("💶💶💶 schulden")
    assert money.concepts[0].code == "geld/schuldnerberatung"


@pytest.mark.parametrize("line", ["🆘", "🆘\t ", "\tnotfall"])
def test_malformed_lines_name_file_and_line(line: str) -> None:
    with pytest.raises(ResourceFormatError) as error:
        emoji.parse([(3, line)], "emoji.txt")
    assert "emoji.txt:3" in str(error.value)
