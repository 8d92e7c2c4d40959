"""Multilingual concept glossary: foreign query phrases -> taxonomy codes.

One reviewable file per language under ``data/glossary/<lang>.txt`` (same
``[code]`` format as the German concept file) for the 28 languages of
:data:`LANGUAGES`, plus Latin-script chat spellings (``ar-latn``: Arabizi,
``fa-latn``: Finglish, ``hi-latn``: Hinglish); the taxonomy's own area labels
(en/ru/uk/ar/tr) are added automatically, and the first phrase under an area header
is that area's label in the file's language (:func:`area_label`). Everyday life
situations per language (``data/situations/<lang>.txt``: "evicted", "долги за
квартиру") are triggers of their own kind. Russian, Ukrainian, Bulgarian and Serbian
Cyrillic phrases are also indexed in Latin letters (:mod:`analyzers.translit`), so
"dolgi za kvartiru" meets "долги за квартиру". Chinese is typed without spaces: its
phrases match as substrings of a query token.
Phrases are keyed by :func:`analyzers.normalize.script_key` + a light
language-aware stem, so one entry covers case forms (ru/uk/pl/ka), plurals (en),
the Arabic article and diacritics, and Persian/Arabic letter variants.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from analyzers import filters, taxonomy
from analyzers.concepts import load_entries, situation_language
from analyzers.matching import PhraseIndex, Trigger, stem
from analyzers.normalize import UNSPACED, script_key
from analyzers.resources import content_lines, data_path, list_dir
from analyzers.tokens import is_german_word
from analyzers.translit import CYRILLIC_LANGUAGES, romanize, skeleton

LANGUAGES = (
    "en", "ru", "uk", "ar", "tr", "fa", "vi", "pl",
    "ro", "bg", "cs", "hu", "es", "fr", "it", "sq", "ps", "ku", "so", "ti", "hi", "zh",
    "pt", "sh", "ur", "ka", "el", "am", "hy", "nl",
)  # fmt: skip
# Latin-script chat spellings of languages written in another script.
CHAT = {"ar-latn": "ar", "fa-latn": "fa", "hi-latn": "hi"}

STOP_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "a",
            "an",
            "the",
            "for",
            "of",
            "in",
            "on",
            "at",
            "to",
            "with",
            "and",
            "or",
            "my",
            "our",
            "your",
            "me",
            "i",
            "we",
            "need",
            "want",
            "looking",
            "where",
            "is",
            "are",
            "near",
            "by",
            "from",
            "please",
            "some",
            "any",
        ]
    ),
    "ru": frozenset(
        [
            "в",
            "во",
            "на",
            "по",
            "для",
            "с",
            "со",
            "и",
            "или",
            "у",
            "к",
            "о",
            "об",
            "от",
            "мне",
            "мой",
            "моя",
            "я",
            "где",
            "нужна",
            "нужен",
            "нужно",
        ]
    ),
    "uk": frozenset(
        [
            "в",
            "у",
            "на",
            "по",
            "для",
            "з",
            "із",
            "зі",
            "та",
            "і",
            "й",
            "або",
            "до",
            "про",
            "від",
            "мені",
            "мій",
            "моя",
            "я",
            "де",
            "потрібна",
        ]
    ),
    "ar": frozenset(["في", "من", "على", "الى", "إلى", "عن", "مع", "و", "او", "أو", "لل", "ل", "ب"]),
    "fa": frozenset(
        [
            *("در", "از", "به", "با", "و", "یا", "برای", "را", "که", "کردن", "کنم", "کنید"),
            *("است", "هست", "این", "آن", "من", "ما", "شما", "می", "خود"),
        ]
    ),
    # Function words of the languages added later: without them, "with" and "for" carried
    # glossary phrases ("help for bathing") into queries about work.
    "ps": frozenset(["له", "سره", "د", "په", "ته", "او", "یا", "چې", "زه", "زما", "دا", "لپاره"]),
    "ku": frozenset(["û", "bi", "ji", "li", "bo", "ku", "ez", "min", "jî", "di", "re", "yê"]),
    "so": frozenset(["iyo", "ee", "ka", "ku", "u", "la", "oo", "waa", "aan", "ah", "si"]),
    "ti": frozenset(["ምስ", "ኣብ", "ካብ", "እዩ", "ናይ", "ን", "ከመይ", "እንታይ"]),
    "hi": frozenset(["और", "के", "की", "का", "में", "से", "पर", "लिए", "को", "है", "मैं", "मेरा"]),
    "tr": frozenset(["ve", "ile", "için", "bir", "bu", "da", "de"]),
    "vi": frozenset(["và", "cho", "của", "với", "ở", "tại"]),
    "pl": frozenset(
        ["w", "we", "na", "po", "dla", "z", "ze", "i", "lub", "do", "o", "od", "mi", "moja", "mój"]
    ),
    "es": frozenset(["de", "la", "el", "los", "las", "para", "con", "y", "mi", "un", "una", "en"]),
    "fr": frozenset(
        ["de", "la", "le", "les", "pour", "avec", "et", "mon", "ma", "un", "une", "du"]
    ),
    "it": frozenset(["di", "la", "il", "per", "con", "e", "mio", "mia", "un", "una", "del"]),
    "ro": frozenset(["de", "la", "pentru", "cu", "si", "și", "în", "un", "o", "meu", "mea"]),
    "cs": frozenset(["a", "v", "na", "pro", "s", "se", "z", "je", "mi"]),
    "bg": frozenset(["и", "в", "на", "за", "с", "от", "да", "се", "ми"]),
    "hu": frozenset(["az", "és", "egy", "hogy", "nem", "van", "vagy", "meg", "nekem", "kell"]),
    "sq": frozenset(["e", "të", "për", "në", "nga", "dhe", "një", "së"]),
    # Every language's stop words are dropped from every query, so these leave out the
    # function words that carry meaning elsewhere (see PHRASE_STOPS).
    "pt": frozenset(
        ["o", "a", "de", "do", "da", "dos", "para", "pra", "e", "meu", "minha", "por", "pela"]
    ),
    "sh": frozenset(
        [
            *("i", "u", "na", "za", "s", "sa", "od", "do", "ili", "a", "ali", "o", "po", "kod"),
            *("ka", "uz", "moj", "moja", "moje", "mi", "se", "je", "da"),
            *("и", "у", "на", "за", "с", "са", "од", "до", "или", "о", "по", "мој", "моја"),
            *("ја", "ме", "ми", "се", "је", "да"),
        ]
    ),
    "ur": frozenset(
        [
            *("کے", "کی", "کا", "میں", "سے", "پر", "کو", "اور", "یا", "ہے", "ہیں", "ہوں", "ہو"),
            *("نے", "بھی", "بارے"),
            *("میرا", "میری", "میرے", "مجھے", "لیے", "لئے", "ساتھ"),
        ]
    ),
    "ka": frozenset(["და", "ან", "ჩემი", "ჩემს", "ჩემმა", "მე", "რომ", "ეს", "ის", "არის", "ვარ"]),
    "el": frozenset(
        [
            *("και", "ή", "για", "με", "σε", "στο", "στη", "στην", "στον", "στα", "στις", "στους"),
            *("το", "τα", "η", "ο", "οι", "του", "της", "των", "τον", "την", "τη", "τις", "τους"),
            *("ένα", "μια", "μου", "μας", "εγώ", "από", "να", "θα", "είναι", "είμαι", "που"),
            *("kai", "sto", "stin", "stis", "tou", "tis", "mou", "apo", "tha", "einai", "eimai"),
            *("pou", "ena"),
        ]
    ),
    "am": frozenset(["እና", "ወይም", "የእኔ", "እኔ", "ጋር", "ውስጥ", "ላይ", "ስለ", "ወደ", "ነው", "ነኝ"]),
    "hy": frozenset(
        [
            *("և", "ու", "կամ", "իմ", "ինձ", "ես", "մենք", "մեր", "հետ", "մեջ", "վրա", "համար"),
            *("մասին", "դեպի", "է", "եմ", "են", "որ", "այս", "մի", "որտեղ", "ինչպես", "կա"),
            *("ev", "indz", "hamar", "mej"),
        ]
    ),
    # Not "van" and "het" (PHRASE_STOPS): Vietnamese "vấn" and "hết" fold to them.
    "nl": frozenset(
        [
            *("en", "of", "mijn", "mij", "ik", "wij", "met", "voor", "naar", "te", "ben", "een"),
            *("dat", "aan", "bij", "de", "die", "is", "in", "we", "me"),
        ]
    ),
}
ALL_STOPS = frozenset(script_key(w) for s in STOP_WORDS.values() for w in s)
# Function words that a phrase of their language does without but that stay in queries,
# because another language types the same letters as a word of its own: Portuguese "em",
# "com", "ao" (Vietnamese "trẻ em", "cơm", "quần áo"), "um" (Arabizi "um", mother), "no"
# (English "no home"); Serbian "ja" (Finglish "ja", place) and "sam" ("am", but also
# "alone"); Greeklish "gia" (Vietnamese "gia đình") and "sti" (STI). Kept as keys,
# "problemas com os filhos" would need "com" and "os" typed, and a query meeting only
# "com os filhos" would count as the phrase partly met.
PHRASE_STOPS: dict[str, frozenset[str]] = {
    "pt": frozenset(
        ["em", "com", "no", "nos", "na", "nas", "os", "as", "ao", "aos", "um", "uma", "eu", "das"]
    ),
    "sh": frozenset(["ja", "sam", "сам"]),
    "el": frozenset(["gia", "sti"]),
    "nl": frozenset(["van", "het", "om", "op", "er"]),
}


def phrase_keys(phrase: str, lang: str) -> tuple[str, ...]:
    # The query side drops every language's stop words (it cannot know the
    # language before matching), so triggers must too: otherwise Vietnamese
    # "bảo vệ" keeps "ve" (Turkish "and") and can never be met.
    words = script_key(phrase).replace("-", " ").replace("/", " ").replace("&", " ").split()
    own = PHRASE_STOPS.get(lang, frozenset())
    return tuple(stem(w, lang) for w in words if w and w not in ALL_STOPS and w not in own)


@lru_cache(maxsize=65536)
def query_variants(key: str) -> list[tuple[str, float]]:
    """Stems of one query token under every language whose stemmer differs.

    A Chinese token (typed without spaces) also stands for every glossary phrase it
    contains. The Cyrillic-skeleton form of a Latin token is :func:`roman_variants`.
    """
    if _unspaced(key):
        found = [(k, 1.0) for k in unspaced_keys() if k in key]
        return found or [(key, 1.0)]
    out = [(stem(key, "ru"), 1.0)]  # script-based stem (Cyrillic/Arabic) or key itself
    for lang in ("en", "pl", "ka"):
        variant = stem(key, lang)
        if all(variant != v for v, _ in out):
            out.append((variant, 1.0))
    return out


@lru_cache(maxsize=65536)
def roman_variants(key: str) -> list[tuple[str, float]]:
    """The keys of one query token in :func:`roman_index`: its stems and, for a Latin
    word, its Cyrillic skeleton (:mod:`analyzers.translit`). The skeleton meets only the
    Latin forms of Cyrillic phrases: in the shared index, Vietnamese "không" (skeleton
    "hong") met the Dutch "honger"."""
    out = list(query_variants(key))
    if key.isascii() and key.isalpha() and len(key) >= 3 and not is_german_word(key, key):
        out.append((skeleton(key), 0.9))  # "wissen" is no Russian "выселение"
    return out


def _unspaced(text: str) -> bool:
    return UNSPACED.search(text) is not None


@lru_cache(maxsize=1)
def unspaced_keys() -> tuple[str, ...]:
    """Glossary keys written without spaces (Chinese), longest first."""
    keys = {k for k in foreign_index().by_key if _unspaced(k) and len(k) >= 2}
    return tuple(sorted(keys, key=lambda k: (-len(k), k)))  # ties in one order everywhere


def glossary_files() -> list[tuple[str, str]]:
    """(language, file name) of every glossary file, chat spellings under their language."""
    files = [(lang, f"glossary/{lang}.txt") for lang in LANGUAGES]
    files += [(lang, f"glossary/{name}.txt") for name, lang in CHAT.items()]
    return files


@lru_cache(maxsize=64)
def area_label(code: str, lang: str) -> str | None:
    """An area's label in a glossary language: the first phrase under its header."""
    path = data_path(f"glossary/{lang}.txt")
    if "/" in code or not path.exists():
        return None
    for entry in load_entries(path):
        if entry.code == code:
            return entry.phrase
    return None


@lru_cache(maxsize=64)
def everyday_words(lang: str) -> frozenset[str]:
    """Folded everyday words of one language (``data/common/<lang>.txt``), else none."""
    path = data_path(f"common/{lang}.txt")
    if not path.exists():
        return frozenset()
    return frozenset(script_key(word) for _, word in content_lines(path))


@lru_cache(maxsize=1)
def common_keys() -> frozenset[str]:
    """Keys of the everyday words of every glossary language (``data/common``, generated)."""
    keys: set[str] = set()
    for path in list_dir("common"):
        lang = path.stem
        keys.update(stem(script_key(word), lang) for _, word in content_lines(path))
    # the directory's own city: no evidence of a need on its own ("new in Chemnitz" is)
    keys.update(filters.city_keys())
    return frozenset(keys)


# Matched by their own index, syllable by syllable (:mod:`analyzers.vietnamese`)
OWN_INDEX = frozenset({"de", "vi"})


@lru_cache(maxsize=1)
def foreign_index() -> PhraseIndex:
    index = PhraseIndex(fuzzy=False, common=common_keys())
    for code in taxonomy.codes():
        category = taxonomy.categories()[code]
        for lang, text in category.labels:
            if lang not in OWN_INDEX:
                index.add(Trigger(code, text, phrase_keys(text, lang), "label", lang))
    for lang, file in glossary_files():
        if lang not in OWN_INDEX:
            _add_file(index, data_path(file), lang, "translation")
    for path in list_dir("situations"):
        lang = situation_language(path)
        if lang not in OWN_INDEX:
            _add_file(index, path, lang, "situation")
    return index


@lru_cache(maxsize=1)
def roman_index() -> PhraseIndex:
    """The Cyrillic glossary phrases as people type them in Latin letters (skeletons)."""
    index = PhraseIndex(fuzzy=False, common=common_keys())
    for lang, file in glossary_files():
        if lang in CYRILLIC_LANGUAGES:
            _add_roman(index, data_path(file), lang, "translation")
    for path in list_dir("situations"):
        lang = situation_language(path)
        if lang in CYRILLIC_LANGUAGES:
            _add_roman(index, path, lang, "situation")
    return index


def _add_file(index: PhraseIndex, path: Path, lang: str, kind: str) -> None:
    """The phrases of a glossary or situation file as written."""
    if path.exists():
        for entry in load_entries(path):
            keys = phrase_keys(entry.phrase, lang)
            index.add(Trigger(entry.code, entry.phrase, keys, kind, lang))


def _add_roman(index: PhraseIndex, path: Path, lang: str, kind: str) -> None:
    """The Latin skeletons of a file's Cyrillic phrases (a Latin phrase of a two-script
    file needs no second trigger)."""
    if not path.exists():
        return
    for entry in load_entries(path):
        keys = phrase_keys(entry.phrase, lang)
        latin = tuple(skeleton(romanize(k, lang)) for k in keys)
        if keys and latin != keys:
            index.add(Trigger(entry.code, entry.phrase, latin, kind, lang, 0.9))
