"""The article as the rules see it: paragraphs, sentences, quotations and word tokens.

Every position is a Python str index into the original text. Matching runs on a folded copy
(`Doc.folded`: curly quote marks replaced one-for-one by straight ones) so that "don’t" and
"don't" are one word, without moving any offset.

Rule families here:
  paragraph        blank lines separate paragraphs (single newlines when there are none)
  headline         title-case lines and short lines without a full stop are not prose (a
                   sentence-case headline is: "Family says detainee was beaten; prison service
                   cites heart failure" attributes two claims)
  sentence         . ! ? (and closing marks) before a capital, except after abbreviations; a
                   dateline ("TSARVEL, Korvania, March 14 (Meridian Wire) — ") is not part of the lede
  quote            “curly” and "straight" double quotes, ‘single’ quotes; a quotation left open
                   at a paragraph's end continues when the next paragraph opens with a mark; a
                   closing mark with no opening one closes a quotation that began at the first
                   sentence after the previous quotation (the article dropped the opening mark)
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from kg.extract.lexicon import CueIndex, Lexicon, fold
from kg.identity import occurrences, occurrences_of_any

_PARA_BLANK = re.compile(r"\n[ \t\r\f\v]*\n")
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_SMALL = {"a", "an", "the", "of", "in", "on", "for", "to", "and", "or", "at", "by", "with", "from", "as", "vs", "is"}
_BOUNDARY = re.compile(r"[.!?…]+[\"”’'»)\]]*\s+")
_NEXT_START = re.compile(r"[\"“‘'«(\[]?[A-Z0-9#@\u00C0-\u024F\u0400-\u04FF]")
# [#@]?[^\W_]\w*(?:['’\-][^\W_]\w*)*, opened by one character class (a # or @ only before a letter or
# digit, no _ first) so that re skips in C to where a word may start instead of trying the optional
# [#@] at every position
_TOKEN = re.compile(r"[\w#@](?<!_)(?<![#@](?![^\W_]))\w*(?:['’\-][^\W_]\w*)*")
_DATELINE = re.compile(r"[A-Z][A-Z.'’\- ]{2,},[^\n]{0,90}?\s[-—–]{1,2}\s+(?=\S)")
_DATELINE_PLACE = re.compile(r"[^,]+,\s+([A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+){0,2})\s*,")
_ABBREVIATION_BEFORE = re.compile(r"([\w.]+)$")  # the word before a full stop: "St", "U.S"
_INITIALS = re.compile(r"(?:[A-Z]\.)+[A-Z]")
# (one pattern for each apostrophe: a pattern opening with a character class is tried character by
# character, one opening with a literal is skipped ahead in C to it: some four times faster)
_POSSESSIVE_ENDS = (re.compile(r"'[sS](?!\w)"), re.compile(r"’[sS](?!\w)"))
_OPENING_BEFORE = ("“", "\"", "‘", ":", "(", ": ", "— ")  # a word right after one of these opens

def _rstrip_end(text: str, end: int) -> int:
    """len(text[:end].rstrip()), without copying the text."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def word_before(text: str, start: int, end: int, spaced: bool = False) -> tuple[int, int] | None:
    r"""The span of the last word (letters, digits, _ and apostrophes) of text[start:end], before
    any whitespace that ends it (at least one space when spaced): what a search for
    ([\w’']+)\s*$ (or \s+$) would find, read backwards from the end instead of tried at every
    position of the window (str.isalnum and str.isspace are re's \w and \s)."""
    j = end
    while j > start and text[j - 1].isspace():
        j -= 1
    if spaced and j == end:
        return None
    i = j
    while i > start and (text[i - 1].isalnum() or text[i - 1] in "_'’"):
        i -= 1
    return (i, j) if i < j else None


OPENING_DOUBLE = "“„«"
CLOSING_DOUBLE = "”»"
DOUBLE_MARKS = "\"“”„«»‟"
SINGLE_MARKS = re.compile(r"['‘’]")


@dataclass(unsafe_hash=True, slots=True)  # (not frozen, to be built faster: see lexicon.PhraseMatch)
class Quote:
    start: int  # first character inside the marks
    end: int  # one past the last character inside
    open: int  # index of the opening mark, -1 when the article dropped it
    close: int  # index of the closing mark, -1 when it never closes
    para: int  # paragraph of the opening
    last_para: int  # paragraph of the closing (differs for quotations over several paragraphs)

    @property
    def outer_start(self) -> int:
        return self.open if self.open >= 0 else self.start

    @property
    def outer_end(self) -> int:
        return self.close + 1 if self.close >= 0 else self.end


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    low: str
    cap: bool
    acronym: bool
    possessive: bool
    in_quote: bool
    para: int
    sent: int
    initial: bool  # first word of its sentence, or right after an opening quotation mark or colon


class _LowerSlices:
    """text[i:j].lower() by slicing, for a text that lower() lengthens (then words are lowered
    one by one, and offsets stay those of the text)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __getitem__(self, span: slice) -> str:
        return self.text[span].lower()


# Two apostrophes for a double quotation mark, as in some news archives: ''Like this,'' he said.
_TWO_APOSTROPHES = re.compile(r"(?<!')''(?!')")


def _one_mark(match: re.Match) -> str:
    after = match.string[match.end():match.end() + 1]
    return ' "' if after.isalnum() or after in "‘'$(#@" else '" '  # opening: ' "We'; closing: ',"  said'


class Doc:
    def __init__(self, text: str, lexicon: Lexicon, title: str | None = None) -> None:
        # The rules read the text with each pair of apostrophes standing for a double mark seen as
        # one straight mark beside a space: offsets do not move, and statements are cut from the
        # article's own text.
        if "''" in text:
            text = _TWO_APOSTROPHES.sub(_one_mark, text)
        self.text = text
        self.folded = fold(text)
        self.lexicon = lexicon
        self.paragraphs = self._paragraphs(text)
        self.prose = [not self._is_headline(s, e, title) for s, e in self.paragraphs]
        self.sentences: list[tuple[int, int, int]] = []  # start, end, paragraph
        self._sentence_ends = occurrences_of_any(text, ".!?…")
        for index, (start, end) in enumerate(self.paragraphs):
            if self.prose[index]:
                self.sentences.extend((s, e, index) for s, e in self._sentences(start, end))
        self.sentence_starts = [s for s, _, _ in self.sentences]
        self.para_starts = [s for s, _ in self.paragraphs]
        self.quotes = self._quotes()
        self.quote_starts = [q.outer_start for q in self.quotes]  # (sorted: quotations in order of their marks)
        ends = [q.outer_end for q in self.quotes]
        self.quote_ends = ends if ends == sorted(ends) else None  # sorted unless one holds another
        self.tokens = self._tokens()
        self.token_starts = [t.start for t in self.tokens]
        self.cache: dict[str, object] = {}  # per-document results shared by the rule families
        # every phrase of the lexicon's lists in this document, found in one pass (an attribute,
        # not a property: the rules ask for it over a hundred times an article)
        self.cues = CueIndex(self.folded, lexicon.phrase_lists, self.lowered)
        self.country = self._dateline_country()

    def _dateline_country(self) -> str | None:
        """The country of the dateline "TSARVEL, Korvania, March 14 (Meridian Wire) —", if it names one."""
        for index, (start, end) in enumerate(self.paragraphs[:3]):
            if not self.prose[index]:
                continue
            dateline = _DATELINE.match(self.text, start, end)
            if dateline is None:
                continue  # (a headline written as a sentence comes first)
            place = _DATELINE_PLACE.match(dateline.group())
            if place is None:
                return None
            name = place.group(1)
            low = name.lower().rstrip(".")
            if low in self.lexicon.months or low in self.lexicon.not_countries:
                return None
            return name
        return None

    # --- structure ---------------------------------------------------------------------------

    @staticmethod
    def _paragraphs(text: str) -> list[tuple[int, int]]:
        splitter = _PARA_BLANK if _PARA_BLANK.search(text) else re.compile(r"\n")
        spans, position = [], 0
        for match in splitter.finditer(text):
            spans.append((position, match.start()))
            position = match.end()
        spans.append((position, len(text)))
        out = []
        for start, end in spans:
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end:
                out.append((start, end))
        return out

    def _is_headline(self, start: int, end: int, title: str | None) -> bool:
        chunk = self.text[start:end]
        ends_sentence = chunk.rstrip()[-1] in ".!?\"”’'…:;)»"
        if ends_sentence:  # prose, unless it has no word at all
            return _WORD.search(chunk) is None
        words = _WORD.findall(chunk)
        if not words:
            return True
        if len(words) < 4 and not ends_sentence:
            return True  # "Read More", bylines, captions
        if ends_sentence:
            return False
        content = [w for w in words if w.lower() not in _SMALL]
        capitalised = sum(1 for w in content if w[0].isupper())
        return len(content) >= 3 and capitalised / len(content) >= 0.7

    def _sentences(self, start: int, end: int) -> list[tuple[int, int]]:
        out, current = [], start
        dateline = _DATELINE.match(self.text, start, end)
        if dateline:  # "PORTO VELL, Ardenza, June 11 (Tidewater Press) - ": not part of the first sentence
            current = dateline.end()
        abbreviations = self.lexicon.abbreviations
        # _BOUNDARY.finditer(text, current, end), tried only where one of its first characters stands
        # (after the dateline: "Nov. 8 (ACP) —")
        ends = self._sentence_ends
        matched_to = current
        for position in ends[bisect.bisect_left(ends, current):bisect.bisect_left(ends, end)]:
            if position < matched_to:
                continue
            match = _BOUNDARY.match(self.text, position, end)
            if match is None:
                continue
            after = matched_to = match.end()
            if after >= end or not _NEXT_START.match(self.text, after):
                continue
            if self.text[match.start()] == ".":
                word = _ABBREVIATION_BEFORE.search(self.text[max(current, match.start() - 12):match.start()])
                if word:
                    w = word.group(1)
                    if w in abbreviations or (len(w) == 1 and w.isupper()) or _INITIALS.fullmatch(w):
                        continue
            out.append((current, match.start() + len(match.group().rstrip())))
            current = after
        if current < end:
            out.append((current, end))
        return out

    # --- quotations ----------------------------------------------------------------------------

    def _quotes(self) -> list[Quote]:
        quotes: list[Quote] = []
        text = self.text
        opened: list[int] | None = None  # [mark index, paragraph opened in, paragraph reached]
        marks = occurrences_of_any(text, DOUBLE_MARKS)
        for pi, (ps, pe) in enumerate(self.paragraphs):
            if not self.prose[pi]:
                continue
            previous_close = ps
            for i in marks[bisect.bisect_left(marks, ps):bisect.bisect_left(marks, pe)]:
                mark = text[i]
                if opened is not None and opened[2] != pi:
                    opened[2] = pi  # the mark that opens each paragraph of a long quotation
                    continue
                if mark in OPENING_DOUBLE:
                    opening = True
                elif mark in CLOSING_DOUBLE:
                    opening = False
                elif opened is not None:
                    opening = False
                else:  # a straight mark with nothing open: glued to a word before it, it closes
                    before = text[i - 1] if i > ps else " "
                    opening = not (before.isalnum() or before in ".,!?;:")
                if opening:
                    if opened is None:
                        opened = [i, pi, pi]
                    continue  # a second opening inside an open quotation: keep the first
                if opened is None:
                    start = self._orphan_start(ps, previous_close, i)
                    if start < i:
                        quotes.append(Quote(start, i, -1, i, pi, pi))
                else:
                    quotes.append(Quote(opened[0] + 1, i, opened[0], i, opened[1], pi))
                    opened = None
                previous_close = i + 1
            if opened is not None:
                nxt = pi + 1
                continues = (
                    nxt < len(self.paragraphs) and self.prose[nxt]
                    and text[self.paragraphs[nxt][0]] in "“\"„«"
                )
                if not continues:
                    quotes.append(self._open_quote(opened, pi))
                    opened = None
        if opened is not None:
            quotes.append(self._open_quote(opened, opened[2]))
        quotes.extend(self._single_quotes(quotes))
        quotes.sort(key=lambda q: q.outer_start)
        return [q for q in quotes if self.text[q.start:q.end].strip()]

    def _open_quote(self, opened: list[int], last_para: int) -> Quote:
        end = self.paragraphs[last_para][1]
        return Quote(opened[0] + 1, end, opened[0], -1, opened[1], last_para)

    def _orphan_start(self, para_start: int, previous_close: int, close: int) -> int:
        index = bisect.bisect_left(self.sentence_starts, previous_close)
        if index < len(self.sentence_starts) and self.sentence_starts[index] < close:
            start = self.sentence_starts[index]
            return start if start >= para_start else para_start
        return para_start if previous_close == para_start else close

    def _single_quotes(self, doubles: list[Quote]) -> list[Quote]:
        """British-style ‘quotations’: conservative, outside double quotations only."""
        text = self.text
        inside = [(q.outer_start, q.outer_end) for q in doubles]
        out = []
        for pi, (ps, pe) in enumerate(self.paragraphs):
            if not self.prose[pi] or ("‘" not in text[ps:pe] and "'" not in text[ps:pe]):
                continue
            opened = -1
            for match in SINGLE_MARKS.finditer(text, ps, pe):
                i = match.start()
                if any(s <= i < e for s, e in inside):
                    continue
                before = text[i - 1] if i > ps else " "
                after = text[i + 1] if i + 1 < pe else " "
                if opened < 0:
                    if match.group() in "‘'" and not before.isalnum() and after.isalpha():
                        opened = i
                elif match.group() in "’'" and not after.isalnum() and not before.isspace():
                    words = len(text[opened + 1:i].split())
                    if words >= 3:
                        out.append(Quote(opened + 1, i, opened, i, pi, pi))
                    opened = -1
        return out

    # --- tokens ----------------------------------------------------------------------------

    def _tokens(self) -> list[Token]:
        tokens: list[Token] = []
        append = tokens.append
        by_low: dict[str, list[int]] = {}
        self.by_low = by_low  # token indices by lower-case form (see positions)
        text, folded = self.text, self.folded
        lowered = folded.lower()
        if len(lowered) != len(folded):  # (lower() lengthens a few characters: then token by token)
            lowered = None
        self.lowered = lowered
        lower_slice = lowered if lowered is not None else _LowerSlices(folded)
        abbreviations = self.lexicon.abbreviations
        quotes = [(q.start, q.end) for q in self.quotes]
        qi, nq = 0, len(quotes)
        q_start, q_end = quotes[0] if quotes else (-1, -1)
        finditer = _TOKEN.finditer
        # where a word may end in a possessive or before a full stop, and where a word opens after
        # an opening mark, a colon or a dash: found by scans in C, tested per word by a set lookup
        special = {m.end() for pattern in _POSSESSIVE_ENDS for m in pattern.finditer(text)}
        special.update(occurrences(text, "."))
        initials = {position + len(mark) for mark in _OPENING_BEFORE for position in occurrences(text, mark)}
        get = by_low.get
        new_token = object.__new__
        index = 0  # (len(tokens))
        for si, (ss, se, pi) in enumerate(self.sentences):
            first = True
            for match in finditer(text, ss, se):
                start, end = match.span()
                word = match.group()
                possessive = False
                if end in special:  # (a possessive's end, or a full stop: a few words of hundreds)
                    last = word[-1]
                    if (last == "s" or last == "S") and len(word) > 2 and word[-2] in "'’":
                        end -= 2
                        word = word[:-2]
                        possessive = True
                    elif end < se and text[end] == "." and (
                            word in abbreviations or (len(word) == 1 and word.isupper())):
                        end += 1  # "St.", and an initial: "Pavel F. Dekosen"
                        word = text[start:end]
                if q_end <= start and qi < nq:
                    while qi < nq and quotes[qi][1] <= start:
                        qi += 1
                    q_start, q_end = quotes[qi] if qi < nq else (-1, len(text) + 1)
                if first:
                    initial = True
                    first = False
                else:
                    initial = start in initials
                c0 = word[0]
                upper = c0.isupper()
                low = lower_slice[start:end]
                found = get(low)
                if found is None:
                    by_low[low] = [index]
                else:
                    found.append(index)
                # (set slot by slot: calling Token's __init__ for each of some 600 words was 5% of
                # the whole extraction)
                token = new_token(Token)
                token.start = start
                token.end = end
                token.text = word
                token.low = low
                token.cap = upper or (c0 in "#@" and word[1:2].isupper())
                token.acronym = upper and len(word) > 1 and word.isupper() and word.isalpha()
                token.possessive = possessive
                token.in_quote = 0 <= q_start <= start
                token.para = pi
                token.sent = si
                token.initial = initial
                append(token)
                index += 1
        return tokens

    # --- lookups -----------------------------------------------------------------------------

    def sentence_at(self, position: int) -> int:
        return max(0, bisect.bisect_right(self.sentence_starts, position) - 1)

    def paragraph_at(self, position: int) -> int:
        return max(0, bisect.bisect_right(self.para_starts, position) - 1)

    def in_quote(self, position: int) -> Quote | None:
        """The quotation whose words contain position (quotations never overlap)."""
        index = bisect.bisect_right(self.quote_starts, position) - 1
        if index >= 0:
            quote = self.quotes[index]
            if quote.start <= position < quote.end:
                return quote
        return None

    def may_contain(self, word: str, start: int, end: int) -> bool:
        """Whether the lower-case word may stand in text[start:end] (a quick test before a regular
        expression that needs it; always true when lower-casing moved the offsets)."""
        return self.lowered is None or self.lowered.find(word, start, end) >= 0

    def quote_opening_at(self, position: int) -> int:
        """Index of the first quotation whose marks open at or after position."""
        return bisect.bisect_left(self.quote_starts, position)

    def positions(self, words) -> list[int]:
        """Indices of the tokens whose lower-case form is one of words, in order (indexed once)."""
        by_low = self.by_low
        out: list[int] = []
        for word in by_low.keys() & words:  # (intersected in C)
            out.extend(by_low[word])
        out.sort()
        return out

    def token_index_at(self, position: int) -> int:
        """Index of the first token starting at or after position."""
        return bisect.bisect_left(self.token_starts, position)

    def tokens_between(self, start: int, end: int) -> list[Token]:
        i = bisect.bisect_left(self.token_starts, start)
        j = bisect.bisect_left(self.token_starts, end)
        return self.tokens[i:j]
