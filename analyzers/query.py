"""Query understanding: text -> words, expansions, concepts, filters, language.

The pipeline is deliberately explainable: every expansion and concept names the
query words it came from, and filter words are listed with the span that
implied them.  Input is capped (500 chars, 24 words) and outputs are bounded,
so arbitrary input (10k chars, emoji, surrogates) cannot blow up latency.
"""

from __future__ import annotations

from dataclasses import dataclass

from analyzers import (
    alarm,
    crisis_kind,
    emoji,
    false_friends,
    intent,
    loanwords,
    phonetic,
    related,
    taxonomy,
    urgency,
    vietnamese,
)
from analyzers import crisis as crisis_phrases
from analyzers import filters as filter_patterns
from analyzers.associations import WEIGHT, Learned
from analyzers.associations import stem as learned_stem
from analyzers.compounds import split
from analyzers.concepts import german_index, primary_phrases
from analyzers.glossary import (
    ALL_STOPS,
    everyday_words,
    foreign_index,
    query_variants,
    roman_index,
    roman_variants,
)
from analyzers.language import detect, latin
from analyzers.matching import Match, Trigger
from analyzers.models import (
    ConceptMatch,
    Expansion,
    ImpliedFilter,
    QueryAnalysis,
    WordAnalysis,
)
from analyzers.normalize import clean_text, fold, script_key
from analyzers.relax import FOREIGN_FALLBACK
from analyzers.roles import roles
from analyzers.synonyms import synonyms
from analyzers.tokens import Token, is_german_word, is_stop, lemma, tokenize

MAX_QUERY_CHARS = 500
MAX_WORDS = 24
MAX_EXPANSIONS = 64
MAX_CONCEPTS = 10
SHORT_WORD = 3  # a lone word this short (Latin letters) needs a sure intent model
ROLE_FACTOR = 0.85  # "Sohn" meeting a phrase written with "Kind" is a little less sure
_KIND_FACTOR = {
    "label": 1.0,
    "synonym": 0.95,
    "translation": 0.95,
    "situation": 0.9,
    "phonetic": 0.85,
    "fallback": 1.0,
    "learned": 1.0,
    "word": 0.7,
}


def _word(token: Token) -> WordAnalysis:
    folded = token.folded
    if len(token.pieces) > 1:
        base = fold("".join(token.pieces))
        parts: list[str] = []
        for piece in token.pieces:
            parts.extend(split(piece) or (lemma(piece),))
        return WordAnalysis(token.text, folded, base, tuple(parts), False)
    text = token.pieces[0]
    base = lemma(text)
    fuzzy = text.isalpha() and len(text) >= 4 and not _known(folded, base, text)
    return WordAnalysis(token.text, folded, base, split(text), fuzzy)


def _known(folded: str, base: str, text: str) -> bool:
    """A word of the service vocabulary (concept trigger, synonym, glossary word) is no typo.

    Its concepts, synonyms and translations already reach the right records; typo-tolerant
    clauses for it would only add cost (fuzzy term expansion is the largest part of a
    query's time in Elasticsearch) and near-miss noise: "advice" or "daycare" had fuzzy
    clauses against German names before glossary words counted as known.
    """
    keys = german_index().by_key
    table = synonyms().table
    if any(k in keys or (k,) in table for k in (folded, base)):
        return True
    key = script_key(text)
    foreign, roman = foreign_index().by_key, roman_index().by_key
    return any(v in foreign for v, _ in query_variants(key)) or any(
        v in roman for v, _ in roman_variants(key)
    )


def _joined(words: list[WordAnalysis], adjacent: frozenset[int]) -> list[tuple[int, str]]:
    """Two adjacent words that the vocabulary knows as one ("Jugend amt", "Kinder garten").

    Adjacent as typed (``adjacent``: word i directly followed by word i+1): "seit Wochen
    kaum aus dem Bett" is no "Wochenbett" once its small words are gone.
    """
    keys = german_index().by_key
    out = []
    for i in sorted(adjacent):
        joined = words[i].folded + words[i + 1].folded
        if joined in keys or fold(words[i].lemma + words[i + 1].lemma) in keys:
            out.append((i, joined))
    return out


def _uncovered(
    words: list[WordAnalysis], matches: list[tuple[Trigger, float, frozenset[int]]]
) -> list[int]:
    covered = set().union(*(used for _, _, used in matches)) if matches else set()
    return [i for i in range(len(words)) if i not in covered]


def _learned(
    words: list[WordAnalysis],
    matches: list[tuple[Trigger, float, frozenset[int]]],
    learned: Learned,
) -> list[tuple[Trigger, float, frozenset[int]]]:
    """Service types the directory's own texts tie to a word no trigger met."""
    if not learned:
        return []
    out = []
    for i in _uncovered(words, matches):
        word = words[i]
        found = learned.get(learned_stem(word.lemma)) or learned.get(learned_stem(word.folded))
        for code, share in found or ():
            trigger = Trigger(code, word.text, (word.lemma,), "learned", "de", share * WEIGHT)
            out.append((trigger, 1.0, frozenset({i})))
    return out


def _sounds_like(
    words: list[WordAnalysis], matches: list[tuple[Trigger, float, frozenset[int]]]
) -> list[tuple[Trigger, float, frozenset[int]]]:
    """Vocabulary words that sound like a query word no trigger met (Kölner Phonetik).

    A correctly spelt German word is no mishearing: "kaufen" must not become "kiffen".
    """
    uncovered = _uncovered(words, matches)
    out = []
    for i in uncovered:
        word = words[i]
        candidates = [] if is_german_word(word.folded, word.text) else [word.folded]
        if i + 1 in uncovered:
            candidates.append(word.folded + words[i + 1].folded)
        for candidate in candidates:
            for trigger in phonetic.lookup(candidate):
                out.append((trigger, phonetic.SCORE, frozenset({i})))
    return out


QueryKeys = list[list[tuple[str, float]]]


def _foreign_keys(raw: list[Token]) -> tuple[QueryKeys, QueryKeys]:
    """Glossary keys of each word piece (computed once; phrases and single words use them),
    for the glossaries as written and for the Latin forms of the Cyrillic ones."""
    pieces = [script_key(piece) for t in raw for piece in t.pieces]
    return [query_variants(p) for p in pieces], [roman_variants(p) for p in pieces]


def _matches(
    words: list[WordAnalysis],
    foreign: tuple[QueryKeys, QueryKeys],
    adjacent: frozenset[int],
    typed: str = "",
    syllables: list[Match] | None = None,
) -> list[Match]:
    """Curated triggers met by the query: German concepts and every glossary.

    ``typed`` is the query's folded words with spaces around, stop words included: a
    hollow phrase ("ohne Wohnung") must be in it word for word. ``syllables`` are the
    Vietnamese phrases met (:func:`_vietnamese`).
    """
    german = _german_keys(words, adjacent)
    matches: list[Match] = []
    spelt = frozenset(i for i, w in enumerate(words) if is_german_word(w.folded, w.text))
    for match in german_index().match(german, spelt, partial=True, adjacent=adjacent):
        if not match[0].literal or f" {match[0].literal} " in typed:
            matches.append(match)
    matches.extend(foreign_index().match(foreign[0], partial=True))
    matches.extend(roman_index().match(foreign[1], partial=True))
    matches.extend(syllables or ())
    return _outermost(matches)


def _vietnamese(typed: list[Token], at: list[int]) -> list[Match]:
    """Vietnamese phrases met by all typed words (stop words too: a syllable is no word);
    their positions are those of the content words among them (``at``: each content
    word's place among the typed words)."""
    content = {place: i for i, place in enumerate(at)}
    found = vietnamese.index().match(vietnamese.query_keys([t.text for t in typed]))
    return [
        (trigger, mean, frozenset(content[p] for p in used if p in content))
        for trigger, mean, used in found
        if len(used) == len(trigger.keys)  # "tư" alone is not both syllables of "tự tử"
    ]


def _outermost(matches: list[Match]) -> list[Match]:
    """Drop a phrase whose words are all part of a longer phrase met in full.

    Italian "asilo nido" is a crèche; the "asilo" (asylum) inside it says nothing more.
    """
    whole = [used for trigger, _, used in matches if len(used) == len(trigger.keys) > 1]
    return [m for m in matches if not any(m[2] < used for used in whole)]


def _german_keys(words: list[WordAnalysis], adjacent: frozenset[int]) -> QueryKeys:
    table = roles()
    german = []
    for w in words:
        keys = [(w.lemma, 1.0), (w.folded, 1.0), *((p, 0.9) for p in w.parts)]
        role = table.get(w.lemma) or table.get(w.folded)
        if role and role not in (w.lemma, w.folded):
            keys.append((role, ROLE_FACTOR))
        german.append(keys)
    for i, joined in _joined(words, adjacent):
        german[i].append((joined, 0.95))
    return german


def _foreign_words(foreign: tuple[QueryKeys, QueryKeys], matches: list[Match]) -> list[Match]:
    """For text in another language: distinctive glossary words of phrases not met whole."""
    explained = frozenset(p for trigger, _, used in matches if trigger.lang != "de" for p in used)
    return [
        *foreign_index().word_matches(foreign[0], skip=explained),
        *roman_index().word_matches(foreign[1], skip=explained),
    ]


def _german_guesses(
    words: list[WordAnalysis], matches: list[Match], learned: Learned
) -> list[Match]:
    """For German text only: sound-alike vocabulary words and the directory's associations.

    Asked after the language is known: English "degree recognised" must not be heard as
    German ("Frühförderung").
    """
    guesses = _sounds_like(words, matches)
    return guesses + _learned(words, matches + guesses, learned)


def _concepts(
    words: list[WordAnalysis], matches: list[Match]
) -> tuple[list[ConceptMatch], dict[str, float]]:
    """Weighted taxonomy codes, plus per-language glossary coverage (evidence)."""
    n = max(1, len(words))
    evidence: dict[str, float] = {}
    best: dict[str, tuple[float, Trigger]] = {}
    counts: dict[str, int] = {}
    for trigger, mean, used in matches:
        coverage = len(used) / n
        if trigger.kind != "word":  # single words do not tell the language
            evidence[trigger.lang] = max(evidence.get(trigger.lang, 0.0), coverage)
        score = mean * (0.45 + 0.55 * coverage) * trigger.weight * _KIND_FACTOR[trigger.kind]
        score *= min(1.0, 0.9 + 0.05 * len(trigger.keys))
        counts[trigger.code] = counts.get(trigger.code, 0) + 1
        if trigger.code not in best or best[trigger.code][0] < score:
            best[trigger.code] = (score, trigger)
    out: dict[str, ConceptMatch] = {}
    for code, (score, trigger) in best.items():
        bonus = min(0.1, 0.02 * (counts[code] - 1))
        out[code] = ConceptMatch(
            code, round(min(1.0, score + bonus), 3), trigger.phrase, trigger.kind
        )
    for match in list(out.values()):
        area = taxonomy.parent(match.code)
        if area and area not in out:
            out[area] = ConceptMatch(area, round(match.weight * 0.6, 3), match.via, match.kind)
    ranked = sorted(out.values(), key=lambda c: (-c.weight, c.code))
    return ranked[:MAX_CONCEPTS], evidence


SENTENCE_WORDS = 5  # from this many content words on, a query is told, not keyed in
EVERYDAY_FACTOR = 0.5  # an everyday word's own weight in a told query ("Tag", "Leute")


def _expansions(
    words: list[WordAnalysis],
    concepts: list[ConceptMatch],
    language: str,
    adjacent: frozenset[int],
) -> list[Expansion]:
    out: list[Expansion] = []
    seen: set[tuple[str, ...]] = set()

    def add(terms: tuple[str, ...], weight: float, kind: str, source: str) -> None:
        terms = tuple(t for t in terms if t)
        if terms and terms not in seen and len(out) < MAX_EXPANSIONS:
            seen.add(terms)
            out.append(Expansion(terms, round(weight, 3), kind, source))

    everyday = everyday_words("de") if len(words) >= SENTENCE_WORDS else frozenset()
    factor = {w.text: EVERYDAY_FACTOR if w.folded in everyday else 1.0 for w in words}
    # every entry is in the city: its name matched in the texts favours the offices named
    # after it ("pro familia chemnitz" is no request for "Sozialamt der Stadt Chemnitz")
    own = [w for w in words if filter_patterns.key(w.text) not in filter_patterns.city_keys()]
    for word in own:
        add((word.folded,), factor[word.text], "original", word.text)
    for word in own:
        add((word.lemma,), 0.9 * factor[word.text], "lemma", word.text)
    for word in own:
        if word.parts:
            add(word.parts, 0.7 * factor[word.text], "compound", word.text)
    for i, joined in _joined(words, adjacent):
        add((joined,), 0.8, "joined", words[i].text)
    table = synonyms()
    lemmas = [w.lemma for w in words]
    for size in range(min(table.max_words, len(lemmas)), 0, -1):
        for start in range(len(lemmas) - size + 1):
            key = tuple(lemmas[start : start + size])
            source = " ".join(w.text for w in words[start : start + size])
            for target in table.lookup(key):
                add(target, 0.6, "synonym", source)
    whole = " ".join(w.text for w in words)  # the source of what the intent model read
    for concept in concepts[:3]:
        if "/" not in concept.code or concept.weight < 0.4:
            continue
        foreign = language != "de" or concept.kind == "translation"
        source = concept.via or whole
        for phrase in primary_phrases(concept.code):
            if foreign:
                add(phrase, 0.5 * concept.weight, "translation", source)
            elif concept.weight >= 0.5:
                add(phrase, 0.4 * concept.weight, "synonym", source)
    return out


@dataclass(frozen=True, slots=True)
class _Reading:
    """The content words of a query and what they match."""

    rest: list[Token]  # the typed words but the filter words left out
    content: list[Token]
    words: list[WordAnalysis]
    adjacent: frozenset[int]
    foreign: tuple[QueryKeys, QueryKeys]
    matches: list[Match]
    concepts: list[ConceptMatch]
    evidence: dict[str, float]


def _read(tokens: list[Token], kept_out: set[int], cleaned: str) -> _Reading:
    """The query's words but ``kept_out`` (its filter words), matched: done a second time
    with the filter words when without them nothing was understood (see there)."""
    rest = [t for i, t in enumerate(tokens) if i not in kept_out]
    content: list[Token] = []
    at: list[int] = []  # each content word's place among the typed words
    for place, token in enumerate(rest):
        if not _is_content(token):
            continue
        content.append(token)
        at.append(place)
    words = [_word(t) for t in content]
    adjacent = frozenset(i for i in range(len(at) - 1) if at[i + 1] == at[i] + 1)
    foreign = _foreign_keys(content)
    typed_text = f" {' '.join(fold(t.text) for t in rest)} "
    syllables = _vietnamese(rest, at) if latin(cleaned) else []  # none in other scripts
    matches = _matches(words, foreign, adjacent, typed_text, syllables)
    concepts, evidence = _concepts(words, matches)
    return _Reading(rest, content, words, adjacent, foreign, matches, concepts, evidence)


def _in_their_language(
    concepts: list[ConceptMatch], implied: list[ImpliedFilter]
) -> list[ConceptMatch]:
    """Counselling asked for in another language, no service named ("Beratung auf
    Polnisch"): migration counselling and interpreters, as when nothing is found
    (:data:`analyzers.relax.FOREIGN_FALLBACK`), after whatever the words said."""
    asked = [f.text for f in implied if f.field == "language" and f.value != "de"]
    if not asked or any("/" in c.code for c in concepts):
        return concepts
    return [*concepts, *(ConceptMatch(c, w, asked[0], "fallback") for c, w in FOREIGN_FALLBACK)]


def analyze_query(text: str, learned: Learned | None = None) -> QueryAnalysis:
    """Analyse a search query; never raises on odd input, output is bounded.

    ``learned`` is the directory's word → service-type table (``analyzers.associations``,
    computed on rebuild); without it only the curated vocabulary speaks.
    """
    raw_text = text if isinstance(text, str) else str(text or "")
    cleaned = emoji.spell(clean_text(raw_text[: MAX_QUERY_CHARS * 4]))[:MAX_QUERY_CHARS]
    typed = tokenize(cleaned)
    tokens = typed[:MAX_WORDS]
    spans = filter_patterns.find([filter_patterns.key(t.text) for t in tokens])
    used: set[int] = set()
    implied: list[ImpliedFilter] = []
    for field, value, start, end in spans:
        used.update(range(start, end))
        span = " ".join(t.text for t in tokens[start : max(end, start + 1)])
        implied.append(ImpliedFilter(field, value, span))
    reading = _read(tokens, used, cleaned)
    if used and not reading.concepts:
        # The filter words are no content, unless without them nothing is understood:
        # "essen umsonst" is a listed phrase of the food bank, "umsonst" its cost filter.
        along = _read(tokens, set(), cleaned)
        reading = along if along.concepts else reading
    rest, content, words, adjacent = reading.rest, reading.content, reading.words, reading.adjacent
    foreign, matches, concepts = reading.foreign, reading.matches, reading.concepts
    evidence = reading.evidence
    detect_text = " ".join(t.text for t in rest) or cleaned
    language, confidence = detect(detect_text, evidence)
    kept = false_friends.not_chatted(content, matches)
    if language == "de":
        kept = false_friends.german_only(content, kept)
    if len(kept) < len(matches):
        matches = kept
        concepts, _ = _concepts(words, matches)
    if language == "de" and len(_uncovered(words, matches)):
        guesses = _german_guesses(words, matches, learned or {})
        if guesses:
            concepts, evidence = _concepts(words, matches + guesses)
    elif language != "de":
        extra = false_friends.not_chatted(content, _foreign_words(foreign, matches))
        explained = frozenset(i for _, _, used in matches + extra for i in used)
        extra += loanwords.matches([w.folded for w in words], explained)
        if extra:
            concepts, _ = _concepts(words, matches + extra)
    concepts = _in_their_language(concepts, implied)
    curated = concepts
    # A long message often names its need at the end ("… now I need help with the forms"):
    # the intent model reads every word, the word-by-word analysis the first MAX_WORDS.
    predicted = _predicted(words, rest + typed[MAX_WORDS:])  # stop words too, see there
    story = len(typed) >= urgency.STORY_TOKENS
    concepts = intent.blend(concepts, predicted, story)[:MAX_CONCEPTS]
    expansions = _expansions(words, concepts, language, adjacent)
    texts = [t.text for t in typed]  # danger may stand late in a long message
    crisis = crisis_phrases.detect(texts)
    if crisis is None and not crisis_phrases.defused(texts):
        crisis = urgency.from_concepts(curated, language)  # the intent model reads no danger
    if crisis is None:
        crisis = alarm.detect(texts, language, predicted)
    if crisis is not None:
        crisis = alarm.read_kind(crisis, texts)
        crisis = crisis_kind.refine(crisis, texts, cleaned, language)
        concepts = urgency.rank(concepts, crisis, predicted, story)[:MAX_CONCEPTS]
    concepts = related.expand(concepts)[:MAX_CONCEPTS]
    return QueryAnalysis(
        text=raw_text[:MAX_QUERY_CHARS],
        normalized=fold(cleaned),
        language=language,
        language_confidence=confidence,
        words=tuple(words),
        expansions=tuple(expansions),
        concepts=tuple(concepts),
        filters=tuple(implied),
        crisis=crisis,
    )


def _is_content(token: Token) -> bool:
    """Not a stop word of German or of any glossary language."""
    return (
        bool(token.folded) and not is_stop(token.folded) and script_key(token.text) not in ALL_STOPS
    )


def _predicted(words: list[WordAnalysis], typed: list[Token]) -> intent.Prediction:
    """The intent model's reading, where it can add something to the curated vocabulary.

    A sentence or a few words (``words``, the content words): always. One word only if the
    dictionary does not know it (a typo, another language) and the model is sure: a correct
    German word alone is no sentence to read ("Haus" is no request for homework help,
    "wissen" none for care). A compound of German words the dictionary lacks needs a sure
    model (``SURE``): "Männerberatung" and "Wärmestube" are read right at 1.0, while
    "Nachbarschaftshilfe" shares only letters with quarrels between neighbours (legal advice,
    0.53). So does a lone word of :data:`SHORT_WORD` Latin letters or fewer: its few letter
    grams are parts of many words ("vet" met Albanian "vetëm", alone, and read as child
    protection at 0.67; the reading of no judged query changes). The model reads
    every ``typed`` word but the filter words, stop
    words too: it learnt from whole phrases, and the small words of one language are the
    syllables of another ("vấn", "di" and "cư" of Vietnamese "tư vấn di cư", migration
    counselling, are stop words elsewhere; "tư" alone read as "tự tử", suicide).
    """
    if not words or (len(words) == 1 and is_german_word(words[0].folded, words[0].text)):
        return []
    predicted = intent.predict(" ".join(t.text for t in typed))
    if len(words) == 1:
        word = words[0].text
        guessing = split(word) or (word.isascii() and len(word) <= SHORT_WORD)
        alone = intent.SURE if guessing else intent.ALONE
        return [(code, share) for code, share in predicted if share >= alone]
    return predicted
