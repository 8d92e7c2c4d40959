"""Everyday words that play one role in a life situation ("Sohn", "Tochter" -> "kind").

Situation phrases are written once with the role word; people write about *their* son,
wife or flat. The table maps each word of ``data/roles_de.txt`` (lemmatised and folded like
query words) to its line's first word, which the phrase matcher tries as one more key.
(Trying every word of the line instead was measured worse: "Kinder" met "Eltern" phrases.)
"""

from __future__ import annotations

from functools import lru_cache

from analyzers.errors import ResourceFormatError
from analyzers.normalize import fold
from analyzers.resources import content_lines, data_path
from analyzers.tokens import lemma


@lru_cache(maxsize=1)
def roles() -> dict[str, str]:
    """Query word (folded and lemma forms) -> the role word of its line."""
    table: dict[str, str] = {}
    path = data_path("roles_de.txt")
    for number, line in content_lines(path):
        words = [w.strip() for w in line.split(",")]
        if any(not w or " " in w for w in words):
            raise ResourceFormatError(path.name, number, "roles are single words, comma-separated")
        role = fold(lemma(words[0]))
        for word in words:
            for form in (fold(word), fold(lemma(word))):
                table.setdefault(form, role)
    return table
