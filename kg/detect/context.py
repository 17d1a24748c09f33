"""What an extracted statement is about beyond its own ABOUT links: the events around it.

An extractor links a statement to the events whose words lie inside the statement's span, and
makes one event per mention: "This information was not confirmed" is about nothing, and the
"detained" of one paragraph and the "detention" of the next are two events. A case file's
curator would have tied both to the same events. This module gives such statements a
*context*, read from the article text:

* the events mentioned in the statement's own sentence, frame included ("When asked about the
  reported 100 men apprehended by police, he called the reports “nonsense”");
* when there are none, the article's events of the kinds the statement's words name ("41
  people had been briefly held": its detentions);
* for a reply naming harm of a kind the article has no mention of ("no injuries of any kind"),
  the article's mentions of harm;
* when there are still none and the statement replies to something (a denial, or "there are no
  such people"), the events of the nearest sentence before it that mentions some, in its
  paragraph or the one before ("This information was not confirmed," after a sentence on the
  persecution and the killings);

and the *frame* of the statement: the words of its sentence outside the statement ("called the
figure", "denied"), which say what a short denial denies.

Statements from case files keep exactly the links their curators gave them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from kg.detect.text import EVENT_TRIGGERS, LEXICON, has_stem, words

# A sentence ends at . ! ? (and any closing quotes or brackets after it) before a space, or at
# a line break; abbreviations of one or two letters ("U.S.", "p.m.", "Dr.") do not end one.
_SENTENCE_END = re.compile(r"(?<!\b[A-Za-z])(?<!\b[A-Za-z]{2})[.!?][\"'”’»)\]]*(?=\s)|\n")
_PARAGRAPH = re.compile(r"\n\s*\n")
# The words that name a kind of event, without those that alone do not ("left", "took").
KIND_STEMS = {kind: tuple(s for s in stems if s not in LEXICON.not_harm_stems) for kind, stems in EVENT_TRIGGERS.items()}
# How far back a reply looks for what it replies to: sentences, within two paragraphs.
LOOK_BACK = 4


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    event: str
    event_type: str | None


def _spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in pattern.finditer(text):
        end = match.end()
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


class ArticleContext:
    """The sentences, paragraphs and event mentions of one article."""

    def __init__(self, text: str, mentions: list[Mention]) -> None:
        self.text = text
        self.sentences = _spans(_SENTENCE_END, text)
        self._starts = [s for s, _ in self.sentences]
        paragraphs = _spans(_PARAGRAPH, text)
        self._paragraph_starts = [s for s, _ in paragraphs]
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.event))

    def _sentence_range(self, start: int, end: int) -> tuple[int, int]:
        """Indices of the first and last sentence the span touches."""
        first = max(0, bisect_right(self._starts, start) - 1)
        last = max(first, bisect_right(self._starts, max(start, end - 1)) - 1)
        return first, last

    def _paragraph(self, offset: int) -> int:
        return bisect_right(self._paragraph_starts, offset) - 1

    def _events_in(self, start: int, end: int) -> list[str]:
        return [m.event for m in self.mentions if m.start < end and m.end > start]

    def frame(self, start: int, end: int) -> str:
        """The words of the statement's sentence outside the statement."""
        first, last = self._sentence_range(start, end)
        s, e = self.sentences[first][0], self.sentences[last][1]
        return self.text[s:start] + " " + self.text[end:e]

    def _kinds(self, text: str) -> list[str]:
        """The article's event mentions of the kinds the words name."""
        tokens = words(text)
        joined = " ".join(tokens)
        kinds = {kind for kind, stems in KIND_STEMS.items() if has_stem(tokens, joined, stems)}
        return [m.event for m in self.mentions if m.event_type in kinds]

    def _around(self, start: int, end: int) -> list[str]:
        return self._events_in(start, end) + self._kinds(self.text[start:end])

    def context(self, start: int, end: int, statement: str, *, own_events: bool, replies: bool,
                about: frozenset[str] = frozenset()) -> list[str]:
        """The events around a statement (`about`: those it is about already, not counted)."""
        first, last = self._sentence_range(start, end)
        s, e = self.sentences[first][0], self.sentences[last][1]
        found = [event for event in self._events_in(s, e) if event not in about]
        if own_events:
            return found
        found += self._kinds(statement)
        if replies and not any(m.event_type in LEXICON.harm_types for m in self.mentions if m.event in found):
            tokens = words(statement)
            if has_stem(tokens, " ".join(tokens), LEXICON.harm_stems):
                # Denies harm of a kind the report has no mention of ("no injuries of any kind"
                # on the body of a man who died in custody): it replies to the harm reported.
                found += [m.event for m in self.mentions if m.event_type in LEXICON.harm_types]
        if found or not replies:
            return found
        paragraph = self._paragraph(s)
        for index in range(first - 1, max(-1, first - 1 - LOOK_BACK), -1):
            ps, pe = self.sentences[index]
            if self._paragraph(ps) < paragraph - 1:
                break
            found = self._around(ps, pe)
            if found:
                return found
        # A reply to nothing said nearby ("denied the reports") answers the report's own story:
        # its headline and lead.
        lead_end = (self._paragraph_starts[2] if len(self._paragraph_starts) > 2 else len(self.text))
        return self._around(0, min(lead_end, s))
