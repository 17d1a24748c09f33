"""Events: what is reported to have happened, to whom, by whom, where, when and how many.

Rule families:
  event-trigger       a trigger word of events.yaml gives the event and its type
  campaign            an aspect verb before a list of harm triggers ("began arresting, beating,
                      and torturing") is one persecution campaign
  event-participants  the actor before the trigger in its clause is the subject, the one after it
                      the object; in the passive ("was kidnapped by X") they swap; a press
                      conference's speaker is the speaker of a statement in the same sentence
  event-count         a number with a counted noun near the trigger ("approximately 125 people",
                      "49 of the Chechen refugees", "at least three citizens")
  event-time          the nearest time expression in the same clause or reported words
  event-place         the nearest place in the sentence, after the trigger first
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from kg.extract.actors import Actor, ActorFinder, Mention, Place
from kg.extract.lexicon import Lexicon
from kg.extract.speech import Statement
from kg.extract.text import Doc
from kg.extract.timex import TimeExpr

_PASSIVE = re.compile(
    r"\b(?:was|were|been|being|is|are|be|get|got|getting)\s+(?:\w+ly\s+)?[\"“]?(?:\w+ly\s+)?(?:[\w\-]+\s+(?:and|or)\s+)?$",
    re.IGNORECASE,
)
# the trigger is a noun governed by a preposition ("survivor of the ... campaign"): no subject
_PP_BEFORE = re.compile(
    r"\b(?:of|about|in|on|for|against|from|into|over|amid|during|under|despite)\s+"
    r"(?:(?:the|a|an|its|his|her|their|this|that|these|those)\s+)?(?:[\w’'\-]+\s+){0,3}$",
    re.IGNORECASE,
)
_POSSESSIVE_DETERMINERS = frozenset({"his", "its", "their", "our", "my", "your"})
_OBJECT_PRONOUNS = frozenset({"him", "her", "them", "me", "us", "himself", "herself", "themselves"})
_COUNT_BREAK = re.compile(
    r"[;:]|\b(?:after|before|when|while|because|although|though|if|since|until|whereas|but|who|which)\b",
    re.IGNORECASE,
)
_COUNT_SKIP = frozenset({"of", "the", "these", "those", "and", "or", "gay", "a"})
_CLAUSE_BREAK = re.compile(
    r"[;:—–()]|,(?!\s*(?:and|or)\s)|\b(?:after|before|when|while|because|although|though|if|since|until|whereas|but|who|which|whom)\b",
    re.IGNORECASE,
)
_BY = re.compile(r"\s*[\"”]?\s*(?:\w+ly\s+)?by\s+", re.IGNORECASE)
_LIST_GAP = re.compile(r"\s*,?\s*(?:and|or)?\s*")
_NEXT_WORD = re.compile(r"\s+([\w’'\-]+)")
_NOT_COUNT_AFTER = re.compile(r"\s*(?:%|percent|per\s+cent|years?\b|-year|year-old|days?\b|weeks?\b|months?\b|hours?\b|minutes?\b|times\b|km\b|kilomet)", re.IGNORECASE)


@dataclass(eq=False)
class Event:
    start: int
    end: int
    type: str
    trigger: str
    trigger_start: int
    trigger_end: int
    rule: str
    confidence: float
    participants: list[tuple[Actor, str]] = field(default_factory=list)
    place: Place | None = None
    time: TimeExpr | None = None
    count: int | None = None
    count_text: str | None = None

    def add_participant(self, actor: Actor | None, role: str) -> None:
        if actor is None:
            return
        if not any(a is actor and r == role for a, r in self.participants):
            self.participants.append((actor, role))
            actor.used = True


class EventFinder:
    def __init__(self, doc: Doc, finder: ActorFinder, statements: list[Statement], times: list[TimeExpr]) -> None:
        self.doc = doc
        self.lex: Lexicon = doc.lexicon
        self.finder = finder
        self.text = doc.text
        self.statements = statements
        self.times = times
        spans = sorted((m.start, m.end) for m in finder.mentions if m.kind in ("name", "org", "name1"))
        self.name_starts = [a for a, _ in spans]
        self.name_ends = [b for _, b in spans]

    def run(self) -> list[Event]:
        events: list[Event] = []
        for si, (ss, se, para) in enumerate(self.doc.sentences):
            triggers = []
            for match in self.doc.cues.within("trigger", ss, se):
                start, end = match.span()
                k = bisect.bisect_right(self.name_starts, start) - 1
                if k >= 0 and start < self.name_ends[k]:
                    continue  # part of a name ("Human Rights Campaign")
                triggers.append((start, end, match.payload))
            if not triggers:
                continue
            absorbed: set[int] = set()
            events.extend(self._campaigns(triggers, ss, se, absorbed))
            for index, (start, end, event_type) in enumerate(triggers):
                if index in absorbed:
                    continue
                events.append(self._event(start, end, event_type, ss, se, "event-trigger"))
        return events

    # --- events -----------------------------------------------------------------------------

    def _campaigns(self, triggers: list[tuple[int, int, str]], ss: int, se: int, absorbed: set[int]) -> list[Event]:
        if self.lex.aspect_re is None:
            return []
        out = []
        harmful = {"detention", "torture", "assault", "killing", "kidnapping", "threat"}
        for aspect in self.doc.cues.within("aspect", ss, se):
            run = []
            position = aspect.end()
            for index, (start, end, event_type) in enumerate(triggers):
                if start < position or index in absorbed:
                    continue
                gap = self.text[position:start]
                if (not run and re.fullmatch(r"\s+", gap)) or (run and _LIST_GAP.fullmatch(gap)):
                    if event_type in harmful:
                        run.append(index)
                        position = end
                        continue
                break
            if len(run) >= 2:
                absorbed.update(run)
                first, last = triggers[run[0]], triggers[run[-1]]
                event = self._event(first[0], last[1], self.lex.campaign_type, ss, se, "campaign",
                                    trigger_text=self.text[aspect.start():last[1]])
                out.append(event)
        return out

    def _event(self, start: int, end: int, event_type: str, ss: int, se: int, rule: str,
               trigger_text: str | None = None) -> Event:
        text = self.text
        spec = self.lex.event_types.get(event_type)
        event = Event(start, end, event_type, trigger_text or text[start:end], start, end, rule,
                      0.8 if rule == "event-trigger" else 0.7)
        left, right = self._clause(start, end, ss, se)
        span_start, span_end = start, end
        passive = bool(_PASSIVE.search(text[max(ss, start - 30):start]))
        by = _BY.match(text, end)
        agent = None
        if by:
            agent = self._mention_at_or_after(by.end(), right, limit=4)
            span_end = max(span_end, agent.end if agent else by.end())
            if agent is None:
                # "by a five-person vigilante mob": the phrase ends at the clause break
                stop = _CLAUSE_BREAK.search(text, by.end(), right)
                phrase_end = stop.start() if stop else right
                words = text[by.end():phrase_end].split()
                if words:
                    span_end = max(span_end, by.end() + len(" ".join(words[:6])))
        subject = self._subject(start, left)
        obj = None if by else self._mention_at_or_after(end, right, limit=6)
        if spec is not None:
            if passive or (by and not subject):
                if subject is not None:
                    event.add_participant(subject.actor, spec.object_role)
                    span_start = min(span_start, subject.start)
                if agent is not None:
                    event.add_participant(agent.actor, spec.subject_role)
            else:
                if subject is not None:
                    event.add_participant(subject.actor, spec.subject_role)
                if agent is not None:
                    event.add_participant(agent.actor, spec.subject_role)
                if obj is not None:
                    event.add_participant(obj.actor, spec.object_role)
            if spec.speaker:
                for statement in self.statements:
                    if ss <= statement.anchor < se:
                        event.add_participant(statement.speaker, "speaker")
                        break
        count = self._count(start, end, ss, se)
        if count is not None:
            value, count_start, count_end = count
            event.count, event.count_text = value, text[count_start:count_end]
            span_start, span_end = min(span_start, count_start), max(span_end, count_end)
        event.start, event.end = span_start, span_end
        event.time = self._time(start, end, ss, se)
        event.place = self._place(start, end, ss, se)
        return event

    # --- arguments --------------------------------------------------------------------------

    def _clause(self, start: int, end: int, ss: int, se: int) -> tuple[int, int]:
        left = ss
        for match in _CLAUSE_BREAK.finditer(self.text, ss, start):
            if not self.doc.in_quote(match.start()) or self.doc.in_quote(start):
                left = match.end()
        stop = _CLAUSE_BREAK.search(self.text, end, se)
        right = stop.start() if stop else se
        # reported words bound the clause: an event inside a statement stays inside it
        for statement in self.statements:
            if statement.start <= start < statement.end:
                left, right = max(left, statement.start), min(right, statement.end)
        return left, right

    def _subject(self, position: int, left: int) -> Mention | None:
        """The first actor mention of the clause, close enough before the trigger to be its subject."""
        mentions = self.finder.mentions
        for mention in mentions[self.finder.from_index(left):]:
            if mention.start >= position:
                break
            if mention.start < left or mention.end > position or mention.actor is None:
                continue
            if mention.pronoun_class in ("group", "organisation") or mention.text.lower() in _POSSESSIVE_DETERMINERS \
                    or mention.text.lower() in _OBJECT_PRONOUNS:
                continue
            between = self.text[mention.end:position]
            if len(between.split()) > 8 or _PP_BEFORE.search(between):
                continue
            return mention
        return None

    def _mention_at_or_after(self, position: int, right: int, limit: int) -> Mention | None:
        for mention in self.finder.mentions[self.finder.from_index(position):]:
            if mention.start < position:
                continue
            if mention.start >= right:
                return None
            if len(self.text[position:mention.start].split()) > limit:
                return None
            if mention.actor is not None and mention.pronoun_class not in ("group", "organisation") \
                    and mention.text.lower() not in _POSSESSIVE_DETERMINERS:
                return mention
        return None

    def _count_noun_end(self, position: int) -> int | None:
        """End of the counted noun after a number: "125 people", "49 of the Chechen refugees"."""
        lex = self.lex
        for _ in range(5):
            word = _NEXT_WORD.match(self.text, position)
            if word is None:
                return None
            low = word.group(1).lower()
            if low in lex.count_nouns:
                return word.end()
            if low not in _COUNT_SKIP and not (word.group(1)[:1].isupper() or low.endswith(("al", "ed", "an", "ual", "ish"))):
                return None
            position = word.end()
        return None

    def _counts(self) -> tuple[list[tuple[int, int, int, int]], list[int]]:
        """Every number with a counted noun in the document, found once: (start, end, value, noun end)."""
        cached = self.doc.cache.get("counts")
        if cached is None:
            lex = self.lex
            found = []
            for match in lex.count_re.finditer(self.doc.folded):
                if _NOT_COUNT_AFTER.match(self.text, match.end()):
                    continue
                noun_end = self._count_noun_end(match.end())
                if noun_end is None:
                    continue
                number = match.group("num").lower().replace(",", "")
                value = int(number) if number.isdigit() else lex.numbers.get(" ".join(number.split()))
                if value is None:
                    continue
                found.append((match.start(), match.end(), value, noun_end))
            cached = self.doc.cache["counts"] = (found, [f[0] for f in found])
        return cached  # type: ignore[return-value]

    def _count(self, start: int, end: int, ss: int, se: int) -> tuple[int, int, int] | None:
        lex = self.lex
        window = lex.count_window
        lo, hi = ss, se
        for statement in self.statements:
            if statement.start <= start < statement.end:
                lo, hi = max(lo, statement.start), min(hi, statement.end)
        for match in _COUNT_BREAK.finditer(self.text, lo, start):
            lo = match.end()
        stop = _COUNT_BREAK.search(self.text, end, hi)
        hi = stop.start() if stop else hi
        best = None
        counts, starts = self._counts()
        index = bisect.bisect_left(starts, lo)
        while index < len(counts):
            c_start, c_end, value, noun_end = counts[index]
            index += 1
            if c_start >= hi:
                break
            if c_end > hi or (c_start < end and c_end > start):
                continue
            between = self.text[noun_end:start] if noun_end <= start else self.text[end:c_start]
            if len(between.split()) > window or ";" in between or ":" in between:
                continue
            distance = start - noun_end if noun_end <= start else c_start - end
            if best is None or distance < best[0]:
                best = (distance, value, c_start, noun_end)
        if best is None:
            return None
        return best[1], best[2], best[3]

    def _time(self, start: int, end: int, ss: int, se: int) -> TimeExpr | None:
        lo, hi = ss, se
        inside = None
        for statement in self.statements:
            if statement.start <= start < statement.end:
                inside = statement
                lo, hi = max(lo, statement.start), min(hi, statement.end)
        best = None
        for time in self.times:
            if time.start < lo or time.end > hi:
                continue
            if inside is None and any(s.start <= time.start < s.end for s in self.statements
                                      if s.start > start or s.end < start):
                continue
            distance = start - time.end if time.end <= start else max(0, time.start - end) - 1
            if best is None or distance < best[0]:
                best = (distance, time)
        return best[1] if best else None

    def _place(self, start: int, end: int, ss: int, se: int) -> Place | None:
        """The nearest place after the trigger in the same stretch of words, else just before it."""
        text = self.text
        for place in self.finder.places:
            if end <= place.start < se:
                between = text[end:place.start]
                if not re.search(r"[,;:—–()]", between) and len(between.split()) <= 12:
                    return place
                break
        before = None
        for place in self.finder.places:
            if ss <= place.start and place.end <= start:
                between = text[place.end:start]
                if not re.search(r"[,;:—–()]", between) and len(between.split()) <= 8:
                    before = place
        return before
