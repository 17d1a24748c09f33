"""Speech verbs in running text, and the slot where their speaker stands.

Shared by actors.py (which makes an actor of an unnamed speaker before back-references are
resolved, so that "A 26-year-old graphic designer ... said" is there for a later "the
26-year-old said") and speech.py (which attributes the words).

The subject slot of a verb: the words before it, after dropping auxiliaries and adverbs ("has
also"), a relative "who", and appositives between commas (", a spokesman for the office,",
", who has held a daily vigil ...,", ", 45,"). What remains ends with the speaker's noun phrase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.lexicon import Lexicon, Verb
from kg.extract.text import Doc, _rstrip_end, word_before

_NOT_VERB_BEFORE = frozenset({
    "the", "a", "an", "these", "those", "this", "his", "her", "their", "its", "our", "my", "your", "such",
    "whose", "to", "of", "not", "never", "didn't", "doesn't", "don't", "won't", "wouldn't", "cannot", "can't",
})
# before a form that is also a noun ("police reports", "media claims"), these make it the noun
_NOUN_BEFORE = frozenset({
    "media", "news", "initial", "many", "some", "several", "no", "any", "all", "earlier", "previous",
    "recent", "new", "first", "unconfirmed", "official", "press", "latest", "annual", "police", "these",
})
_PASSIVE_BEFORE = frozenset({"was", "were", "is", "are", "be", "been", "being", "am", "get", "got"})
_IMPERSONAL = re.compile(r"\bit\s+(?:is|was|has\s+been|had\s+been|will\s+be)\s+$", re.IGNORECASE)
_QUOTED_AS = re.compile(r"\b(?:was|were|is|are|been|being)\s+quoted\b.{0,80}?\bas\s+$", re.IGNORECASE | re.DOTALL)
_BY_AGENT = re.compile(r"\s+by\s+(?=(?:the\s+|a\s+|an\s+|his\s+|her\s+|their\s+|its\s+)?[\w’']+(?:\s+[\w’']+){0,5}?\s+that\b)")
_WHO = re.compile(r",?\s+(?:who|which|that)\s*$", re.IGNORECASE)
_APPOSITIVE_START = re.compile(
    r"^\s*(?:(?:and|but)\s+(?:who|which)|who|which|whose|a|an|the|its|his|her|their|aged|one|also|now|then|"
    r"herself|himself|for|with|in|at|from|of|like|including|\d+"
    # a participle phrase: ", speaking on condition of anonymity,", ", asked about the report,"
    r"|[a-z]+ing|asked|reached|contacted|interviewed|quoted|cited|pictured|speaking"
    # a discourse adverb: "Republicans, meanwhile, argued"
    r"|meanwhile|however|though|too|instead|nevertheless|nonetheless|likewise|similarly|separately|"
    r"in\s+turn|for\s+(?:his|her|their|its|our|my)\s+part|in\s+response|by\s+contrast|in\s+contrast)\b"
    r"|^\s*[A-Z][\w’'\-.]*(?:\s+[A-Z][\w’'\-.]*)*[’']s\s"
    # a party and state after a legislator's name: ", R-Texas,", ", D-Calif.,"
    r"|^\s*(?-i:[A-Z])-(?-i:[A-Z])[\w.]*(?:\s+(?-i:[A-Z])[\w.]*)?\s*$",
    re.IGNORECASE,
)
_BRACKET_END = re.compile(r"\s*\([^()\n]{1,30}\)$")
_NAME_ONLY = re.compile(r"^\s*(?:[A-Z][\w’'\-.]*\s*){1,5}$")


@dataclass(slots=True)
class Occurrence:
    start: int
    end: int
    verb: Verb
    sent: int
    para: int
    impersonal: bool = False  # "it was alleged that": the speaker is the last source named
    quoted_as: int = -1  # "officials were quoted by X as saying": where "were quoted" stands
    agent: int = -1  # "had been told by the council that ...": where the speaker after "by" starts


def speech_occurrences(doc: Doc) -> list[Occurrence]:
    """Every speech verb outside quotations that is used as a verb (computed once per document)."""
    cached = doc.cache.get("speech_occurrences")
    if cached is not None:
        return cached  # type: ignore[return-value]
    lex, text = doc.lexicon, doc.text
    out: list[Occurrence] = []
    verbs = lex.verbs
    tokens = doc.tokens
    for token in (tokens[i] for i in doc.positions(verbs.keys())):
        if token.in_quote:
            continue
        verb = verbs[token.low]
        start, end, index = token.start, token.end, token.sent
        ss, se, para = doc.sentences[index]
        prev = word_before(text, max(ss, start - 40), start, spaced=True)
        if verb.evidence_subject and not _evidence_before(lex.evidence, text, ss, start) \
                and not _evidence_continued(doc, index, start):
            continue
        occurrence = Occurrence(start, end, verb, index, para)
        if prev:
            word = text[prev[0]:prev[1]].lower()
            if word in _NOT_VERB_BEFORE:
                continue
            if verb.noun_form and (word in _NOUN_BEFORE or word.endswith(("'s", "’s")) or word.endswith("s'")):
                continue  # "the group's annual report", "police reports", "Putin's claims": a noun
            if word in _PASSIVE_BEFORE and not verb.form.endswith("ing"):
                by = _BY_AGENT.match(text, end, se)
                head = text[max(ss, start - 120):start]
                if _IMPERSONAL.search(head) and re.match(r"\s+that\b", text[end:se]):
                    occurrence.impersonal = True
                elif by and verb.object == "clause" or by and verb.recipient:
                    occurrence.agent = by.end()  # the passive with its speaker: "was told by X that"
                else:
                    continue
        if verb.form.endswith("ing"):
            head = text[max(ss, start - 120):start]
            quoted = _QUOTED_AS.search(head) if "quoted" in head.lower() else None
            if quoted:
                occurrence.quoted_as = start - len(head) + quoted.start()
        out.append(occurrence)
    doc.cache["speech_occurrences"] = out
    return out


_SUBJECT_WORDS = re.compile(r"[\w’'\-]+")
_DOUBLE_MARK = re.compile(r"[“”\"]")


def _evidence_before(evidence: frozenset[str], text: str, sentence_start: int, verb_start: int) -> bool:
    """A poll, study, record ... among the last words of the subject: "FEC records show",
    "a new poll by Quinnipiac University finds" (not "his body showed", "he found")."""
    aside = ASIDE_BEFORE.search(text, max(sentence_start, verb_start - 120), verb_start)
    if aside is not None:  # "An autopsy by the institute, a summary of which was seen by X, gave"
        verb_start = aside.start()
    words = _SUBJECT_WORDS.findall(text, max(sentence_start, verb_start - 80), verb_start)[-8:]
    return any(word.lower() in evidence for word in words)


def _evidence_continued(doc: Doc, sentence: int, verb_start: int) -> bool:
    """"It recorded ..." right after a sentence opened by a document ("An autopsy by ... gave ...")."""
    ss, _, para = doc.sentences[sentence]
    if doc.text[ss:verb_start].strip() != "It" or sentence == 0 or doc.sentences[sentence - 1][2] != para:
        return False
    previous = doc.sentences[sentence - 1][0]
    opening = _SUBJECT_WORDS.findall(doc.text, previous, min(ss, previous + 80))[:6]
    return any(word.lower() in doc.lexicon.evidence for word in opening)


# an aside between commas just before the verb: ", a summary of which was seen by Northline, "
ASIDE_BEFORE = re.compile(r",[^,;:“”\"]{3,100},\s*$")


def strip_between(lex: Lexicon, text: str, start: int, end: int) -> int:
    """Where the subject ends: before the auxiliaries and adverbs that precede the verb."""
    position = end
    while True:
        window = max(start, position - 40)
        word = word_before(text, window, position)
        if not word:
            return position
        low = text[word[0]:word[1]].lower()
        if low in lex.between_words or (low.endswith("ly") and len(low) > 4 and low not in ("family", "italy", "rally", "ally")):
            position = word[0]
            continue
        when = _WHEN_BEFORE.search(text, window, position) if low in _WHEN_ENDS else None
        if when is not None and when.start() > start:  # "Hillary Clinton on Tuesday said"
            position = when.start()
            continue
        return position


_DAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# a time between the subject and its verb
_WHEN_BEFORE = re.compile(
    rf"\s(?:on\s+{_DAYS}(?:\s+(?:morning|afternoon|evening|night))?|{_DAYS}|last\s+(?:week|month|year|night)"
    r"|earlier\s+this\s+(?:week|month|year)|yesterday|today)\s*$")
_WHEN_ENDS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "morning",
                        "afternoon", "evening", "night", "week", "month", "year", "yesterday", "today"})


def subject_region(doc: Doc, position: int, sent_start: int) -> tuple[int, list[tuple[int, int]]]:
    """The end of the speaker's noun phrase before position, and the appositive spans skipped.

    Returns (end, appositives); end == -1 when nothing usable stands before the verb."""
    lex, text = doc.lexicon, doc.text
    end = strip_between(lex, text, sent_start, position)
    last = word_before(text, max(sent_start, end - 20), end)  # (",? who" must be the last word)
    who = _WHO.search(text, max(sent_start, end - 20), end) \
        if last is not None and text[last[0]:last[1]].lower() in ("who", "which", "that") else None
    if who and who.end() == end:
        end = who.start()
    appositives: list[tuple[int, int]] = []
    while True:
        stripped = max(sent_start, _rstrip_end(text, end))
        bracket = _BRACKET_END.search(text, max(sent_start, stripped - 40), stripped) \
            if text[stripped - 1:stripped] == ")" else None
        if bracket and bracket.start() > sent_start:  # "Rep. Elijah Cummings (D-Md.) said", "Sen. X (R-Texas), ..."
            appositives.append((bracket.start(), stripped))
            end = stripped = _rstrip_end(text, bracket.start())
        if stripped <= sent_start or text[stripped - 1] != ",":
            break
        closing = stripped - 1
        opening = text.rfind(",", sent_start, closing)
        if opening < 0:
            break
        segment = text[opening + 1:closing]
        if len(segment.split()) > 25 or _DOUBLE_MARK.search(segment) or len(appositives) >= 4:
            break
        words = segment.split()
        first = words[0].lower() if words else ""
        if not (_APPOSITIVE_START.match(segment) or _NAME_ONLY.match(segment) or first in lex.titles
                or (words and words[0].lower().rstrip("’'s") in lex.titles)):
            break
        appositives.append((opening + 1, closing))
        end = opening
    if end <= sent_start or not text[sent_start:end].strip():
        return -1, appositives
    return _rstrip_end(text, end), appositives
