"""Deterministic identifiers, and the name keys that decide when two mentions are one actor.

An id depends only on what identifies the thing (an article's text, a span, a name), never on
load order or a counter, so loading the same files twice, or in parallel, writes the same ids.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Iterable

# Characters that change how a name looks or sorts without changing what it says: zero-width
# joiners and spaces, soft hyphens, bidirectional controls, the BOM.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
             "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"),
    None,
)
_QUOTE_MARKS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'",
                              "\u201c": '"', "\u201d": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"'})
_SPACES = re.compile(r"\s+")

# Chechen palochka (Ӏ) is often typed as a Latin I or l or the digit 1; inside a Cyrillic
# word they all mean the palochka. (Cyrillic і is left alone: it is a letter in Ukrainian.)
_PALOCHKA_STANDINS = re.compile(r"(?<=[\u0400-\u04ff])[\u04c0\u04cfIil1](?=[\u0400-\u04ff]|$)")

# Transliteration of Russian Cyrillic for matching (close to BGN/PCGN), so that Кадыров and
# Kadyrov share a key. Only used on names written wholly in Cyrillic.
_CYRILLIC_TO_LATIN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "ӏ": "",
    "і": "i",
})

# Cyrillic and Greek letters that look like Latin ones. A name mixing them with Latin letters
# ("Kаdyrov" with a Cyrillic а) is a possible look-alike of the Latin name: flagged, never merged.
_CONFUSABLES = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    "ѕ": "s", "һ": "h", "ԁ": "d", "ӏ": "l", "к": "k", "м": "m", "т": "t", "в": "b", "н": "h",
    "ο": "o", "α": "a", "ν": "v", "ρ": "p", "τ": "t", "ι": "i", "κ": "k",
})
_LATIN = re.compile(r"[a-z]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_GREEK = re.compile(r"[\u0370-\u03ff]")
_NON_WORD = re.compile(r"[^\w]+")


# Dates as kg keeps them: ISO 8601 at the precision the source gives (2017, 2018-07, 2018-07-16).
FUZZY_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def is_fuzzy_date(value: str) -> bool:
    return bool(FUZZY_DATE.match(value))


_QUOTE_MARK_PAIRS = tuple((chr(code), target) for code, target in _QUOTE_MARKS.items())


def fold_quote_marks(text: str) -> str:
    """Curly and angled quote marks as straight ones, one character for one, so that offsets
    in the folded text are offsets in the original."""
    if text.isascii():
        return text
    # str.replace per mark present is much faster than str.translate with a mapping.
    for mark, target in _QUOTE_MARK_PAIRS:
        if mark in text:
            text = text.replace(mark, target)
    return text


def occurrences(text: str, needle: str) -> list[int]:
    """Where needle stands in text, in order and without overlaps (as re.finditer finds it):
    str.find runs over the text in C, several times faster than a regular expression of a
    character class, which is tried at every position."""
    positions = []
    at = text.find(needle) if needle else -1
    while at >= 0:
        positions.append(at)
        at = text.find(needle, at + len(needle))
    return positions


def occurrences_of_any(text: str, needles: Iterable[str]) -> list[int]:
    """Where any of the needles stands in text, in order (each found as occurrences finds it)."""
    return sorted(position for needle in needles for position in occurrences(text, needle))


def strip_invisible(text: str) -> str:
    return text.translate(_INVISIBLE)


def name_key(name: str) -> str:
    """The form of a name used for matching: NFKC, invisible characters and quote styles
    folded, case-folded, whitespace collapsed, a leading 'the' dropped."""
    text = fold_quote_marks(unicodedata.normalize("NFKC", strip_invisible(name)))
    text = _SPACES.sub(" ", text.casefold()).strip(" .,;:")
    if text.startswith("the "):
        text = text[4:]
    return _PALOCHKA_STANDINS.sub("\u04cf", text)


def is_mixed_script(name: str) -> bool:
    key = name_key(name)
    return bool(_LATIN.search(key)) and bool(_CYRILLIC.search(key) or _GREEK.search(key))


def lookalike_key(name: str) -> str:
    """The Latin skeleton of a mixed-script name, to find the actor it imitates."""
    return name_key(name).translate(_CONFUSABLES)


def name_keys(names: list[str]) -> list[str]:
    """The keys under which an actor with these names is found: each name's key, plus the
    Latin transliteration of names written wholly in Cyrillic."""
    keys = set()
    for name in names:
        key = name_key(name)
        keys.add(key)
        if _CYRILLIC.search(key) and not _LATIN.search(key):
            keys.add(key.translate(_CYRILLIC_TO_LATIN))
    return sorted(keys)


def slug(text: str) -> str:
    return _NON_WORD.sub("-", name_key(text)).strip("-") or "_"


def digest(*parts: object, length: int = 20) -> str:
    joined = "\x1f".join(map(str, parts))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_id(sha256: str) -> str:
    return f"article:{sha256[:20]}"


def actor_id(name: str, *, sensitive: bool = False) -> str:
    # A sensitive person's id must not spell their name: ids travel into exports and URLs.
    if sensitive:
        return f"actor:p-{digest('actor', name_key(name), length=16)}"
    return f"actor:{slug(name)}"


def place_id(name: str) -> str:
    return f"place:{slug(name)}"


def topic_id(label: str) -> str:
    return f"topic:{slug(label)}"


def statement_id(article_sha256: str, start: int, end: int) -> str:
    return f"statement:{digest(article_sha256, start, end)}"


def event_id(article_sha256: str, start: int, end: int, event_type: str, key: str | None) -> str:
    if key:
        return f"event:{slug(key)}"
    return f"event:{digest(article_sha256, start, end, event_type)}"


def contradiction_id(statement_a: str, statement_b: str) -> str:
    first, second = sorted((statement_a, statement_b))
    return f"contradiction:{digest(first, second)}"
