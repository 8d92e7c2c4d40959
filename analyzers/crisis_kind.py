"""Which danger a detected crisis is, when a message names two.

The detectors (curated phrases, sentence structure, the danger model) each name the kind
they found first or most surely. Some messages carry two, and one of them decides whom to
call: a pregnant woman who was thrown out or is bleeding needs the pregnancy line and its
services, not only a bed or 112; a man who "thinks the neighbours poison his food" is in a
psychiatric, not a medical emergency; a fifteen-year-old whose stepfather hits her is a
child in danger (Nummer gegen Kummer, the Jugendamt), not a case for a women's shelter.
The word classes of :mod:`analyzers.danger` (``pregnant``, ``psych``) tell the second
kind; a stated age under 18 tells the child (a child with nowhere to sleep only by its own
stated age under 17). Measured on the older crisis sets (1,900
phrasings): 30 kinds set right, one wrong.

Who hits tells it too (round 17, the classes ``parent`` and ``partner``): "papa schließt
mich ein", "babam beni dövüyor" are a child's message, unless an adult's age or a forced
marriage is named ("ich bin 19", "eltern wollen mich zwangsverheiraten": the writers call
that violence against an adult); "my husband gets angry when he drinks", with no child,
parent or minor's age named, is violence against the writer, not a child's danger. On
8,401 labelled crisis phrasings (crisis tuning 12-17 and the danger model's examples):
25 kinds set right, 8 wrong (mostly a child who watches a parent being hit, which the
writers called violence).
"""

from __future__ import annotations

import re
from dataclasses import replace

from analyzers import danger
from analyzers.chat_spelling import CHAT_LANGUAGES
from analyzers.danger_words import split_words
from analyzers.models import CrisisSignal
from analyzers.normalize import clean_text

PREGNANCY = "pregnancy_emergency"
PSYCHIATRIC = "psychiatric_emergency"
CHILD = "child_danger"
VIOLENCE = "domestic_violence"
# The kinds a psychiatric word overrides (a delusion of poison is no poisoning) ...
TO_PSYCHIATRIC = frozenset(
    {"medical_emergency", "suicide", "domestic_violence", "child_danger", "homeless_tonight"}
)
# ... and the kinds a minor's stated age overrides, with the oldest age that does: a
# child hit at home up to 17; a child with nowhere to sleep up to 16 (the writers of every
# crisis set called a 13- to 16-year-old thrown out a child in danger, a 17-year-old
# homeless), and only when the child tells its own age (not "with my 6-year-old").
TO_CHILD = {"domestic_violence": (17, False), "homeless_tonight": (16, True)}
LIKE = frozenset({"wie", "like", "как", "як", "jak", "come", "comme", "como", "gibi"})
TRUSTED = 5  # a word entry this long counts in any language; shorter ones in the query's own
_MINOR = r"(1[0-7]|[5-9])"
_GROWN = r"(1[89]|[2-9][0-9])"
_OTHER_NOUNS = (
    "hijo|hija|figlio|figlia|fils|fille|filho|filha|sohn|tochter|hermana|hermano|sorella"
    "|fratello|schwester|bruder|madre|padre|mutter|vater"
)


def _patterns(age: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """One's own age ("ich bin 14", "i'm 15", "mne 15", "je mi 15", "είμαι 14", "em 13",
    "عمري 16"); an age with its unit ("15 jahre", "16 yasindayim", "10 ans", "15 let",
    "13 tuổi", "10 jir", "١٢ ساڵە", "15 ዓመት"); someone else's ("(14)", "she's 7",
    "er ist 9", "mi hijo de 12", "mia madre di 78")."""
    own = re.compile(
        r"\b(?:ich bin|ich|bin|i'?m|i am|mne|мне|мені|je mi|είμαι|sono|soy|mam|tengo|j'?ai|ho"
        r"|em|tôi|عمري|ben)\s+" + age + r"\b"
    )
    unit = re.compile(
        r"\b" + age + r"\s*(?:jahre|jahren|j|jährig\w*|-jährig\w*|years?|yo|y/o|let|лет"
        r"|років|роки|години|tuổi|yaş\w*|yas\w*|lat|ans|años|anos|anni|ani|ετών|χρονών|سال\w*"
        r"|سنة|سنوات|vjeç\w*|vjec\w*|saal|sal|kalan|kala|godina|godine|éves|eves|roků|roku"
        r"|rokov|jaar|jir|ساڵ\w*|ዓመት\w*|ዓመተይ|岁)(?!\w)"
    )
    other = re.compile(
        r"\(" + age + r"\)|\b(?:she'?s|he'?s|she is|he is|sie ist|er ist)\s+" + age + r"\b"
        r"|\b(?:" + _OTHER_NOUNS + r")\s+(?:de\s+|di\s+)?" + age + r"\b"
    )
    return own, unit, other


MINOR = _patterns(_MINOR)
GROWN = _patterns(_GROWN)  # an adult named: no parent's violence against a child then
# Words before an age that make it another's: "my 6 year old", "mit meinen Kindern (5, 7)"
_ANOTHER = frozenset(
    {"my", "our", "his", "her", "mein", "meine", "meinen", "unser", "unsere", "sein", "seine",
     "ihr", "ihre", "mit", "with", "son", "daughter", "kids", "children", "kinder", "sohn",
     "tochter", "мой", "моя", "мій", "mon", "ma", "mi", "mio", "mia", "mój", "moja"}
)  # fmt: skip
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def stated_age(text: str, patterns: tuple[re.Pattern[str], ...] = MINOR) -> tuple[int, bool] | None:
    """The first age from 5 to 17 (``GROWN``: 18 to 99) the message states, and whether it
    is the writer's own.

    ("bin 15" own; "16 yasindayim" own unless a possessive comes right before it; "meine
    Tochter (12)", "she's 7" another's.) Arabic and Persian digits count too.
    """
    folded = clean_text(text).lower().translate(_DIGITS)
    found: list[tuple[int, int, bool]] = []
    self_, unit, _ = patterns
    for pattern in patterns:
        for match in pattern.finditer(folded):
            own = pattern is self_
            if pattern is unit:
                before = folded[: match.start()].split()[-2:]
                own = not _ANOTHER & set(before)
            age = next(int(g) for g in match.groups() if g)
            found.append((match.start(), age, own))
    if not found:
        return None
    _, age, own = min(found)
    return age, own


def _present(words: list[str], language: str) -> dict[str, set[str]]:
    """class -> entries met, trusting short entries only in the query's language."""
    out: dict[str, set[str]] = {}
    split = [w.lower() for w in split_words(words)]
    for lang, met in danger.classes(words).items():
        for cls, entries in met.items():
            for entry, at in entries:
                if lang != language and (
                    len(entry.strip("*")) < TRUSTED
                    or (lang in CHAT_LANGUAGES and not _as_written(entry, at, split))
                ):
                    continue
                # "blutet wie verrückt", "screaming like crazy": a comparison, no delusion
                if any(0 < p <= len(split) and split[p - 1] in LIKE for p in at):
                    continue
                out.setdefault(cls, set()).add(entry)
    return out


def _as_written(entry: str, at: frozenset[int], split: list[str]) -> bool:
    """Whether a typed word holds the entry as it is written, not only its consonants
    (:mod:`analyzers.chat_spelling`): the Dutch "mijn" has those of a Persian word for
    madness, which is no reason to call a beaten wife's message psychiatric."""
    core = entry.strip("*").lower()
    typed = [split[p] for p in at if 0 <= p < len(split)]
    return not typed or any(core in word or not word.isascii() for word in typed)


def refine(signal: CrisisSignal, words: list[str], text: str, language: str) -> CrisisSignal:
    """The signal with the kind that decides whom to call (see the module docstring).

    ``words`` are the typed words, ``text`` the message as typed (ages in brackets).
    """
    if signal.kind == PREGNANCY:
        return signal
    present = _present(words, language)
    if present.get("pregnant"):
        return replace(signal, kind=PREGNANCY)
    delusion = present.get("psych", set()) - present.get("body", set())
    if signal.kind in TO_PSYCHIATRIC and delusion:
        return replace(signal, kind=PSYCHIATRIC)
    limit = TO_CHILD.get(signal.kind)
    age = stated_age(text) if limit else None
    if limit and age and age[0] <= limit[0] and (age[1] or not limit[1]):
        return replace(signal, kind=CHILD)
    return _who_hits(signal, present, text)


def _who_hits(signal: CrisisSignal, present: dict[str, set[str]], text: str) -> CrisisSignal:
    """Violence by the writer's parent is a child in danger, unless an adult's age or a
    forced marriage is named; violence in a message naming a partner and no child, parent
    or age under 18 is violence against an adult (see the module docstring). The ages are
    read only when the classes leave the question open."""
    parent, partner = present.get("parent"), present.get("partner")
    if signal.kind == VIOLENCE and parent and not partner:
        grown = present.get("forced") or stated_age(text, GROWN)
        return signal if grown else replace(signal, kind=CHILD)
    if signal.kind == CHILD and partner and not (parent or present.get("child")):
        return signal if stated_age(text) else replace(signal, kind=VIOLENCE)
    return signal
