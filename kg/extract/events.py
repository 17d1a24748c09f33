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
  event-assertion     a trigger reports an event only where the text says it happened: not under
                      negation or a negative-polarity word ("no one was detained", "without being
                      charged", "no evidence that any detainee was mistreated"), in a hypothetical,
                      an infinitive, a condition or a demand ("will be arrested", "might have left",
                      "If police raid ...", "called for an investigation"), in a clause its speaker
                      denies ("denied that anyone had been detained"), or in a compound that names
                      something else ("a heart attack", "resisting arrest"); a headline written as
                      a sentence sums up the story and gives no events of its own
  event-coreference   triggers of one type in one sentence are one event ("left homeless when
                      bulldozers flattened the settlement"), unless their counts or times differ; a
                      later noun with a determiner ("the detentions", "his arrest", "the weekend’s
                      arrests", "those detained") or the same named victim is the event already told
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from kg.extract.actors import Actor, ActorFinder, Mention, Place
from kg.extract.lexicon import Lexicon, gated_words
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
# [;:]|\b(?:after|before|...|who|which)\b, gated (see gated_words)
_COUNT_BREAK_FIRST, _COUNT_BREAK_WORDS = gated_words(
    "after before when while because although though if since until whereas but who which".split(), ignorecase=True)
_COUNT_BREAK = re.compile(rf"[;:{_COUNT_BREAK_FIRST}](?:(?<=[;:])|(?<!\w.)(?:{_COUNT_BREAK_WORDS})\b)")
_COUNT_SKIP = frozenset({"of", "the", "these", "those", "and", "or", "gay", "a"})
# punctuation, or a conjunction or relative pronoun: [;:—–()]|,(?!\s*(?:and|or)\s)|\b(?:after|...)\b, gated
_BREAK_FIRST, _BREAK_WORDS = gated_words(
    "after before when while because although though if since until whereas but who which whom".split(), ignorecase=True)
_CLAUSE_BREAK = re.compile(
    rf"[;:—–(),{_BREAK_FIRST}](?:(?<=[;:—–()])|(?<=,)(?!\s*(?i:and|or)\s)|(?<!\w.)(?:{_BREAK_WORDS})\b)")
_BY = re.compile(r"\s*[\"”]?\s*(?:\w+ly\s+)?by\s+", re.IGNORECASE)
_LIST_GAP = re.compile(r"\s*,?\s*(?:and|or)?\s*")
_NEXT_WORD = re.compile(r"\s+([\w’'\-]+)")
_WORDS_BACK = re.compile(r"[\w’'\-]+|[,;:—–]")
_NEGATORS = frozenset({"not", "never", "no", "nobody", "none", "neither", "nor", "without", "anyone", "anybody", "any"})
_MODALS = frozenset({"will", "would", "could", "might", "may", "should", "must", "can", "shall"})
_MODAL_FILLERS = frozenset({"not", "be", "been", "have", "face"})
_CONDITIONS = frozenset({"if", "unless", "whether", "demand", "demands", "demanded", "demanding", "urge", "urges",
                         "urged", "urging", "risk", "risks", "risked"})
_CALLS = frozenset({"call", "calls", "called", "calling"})
_NOT_AN_EVENT_WORDS = frozenset({"heart", "panic", "asthma", "resisting", "evading"})
_NOT_HYPOTHETICAL_TO_WORDS = frozenset({"forced", "made", "began", "started", "continued", "used", "had", "went"})


def _after_punctuation(words: list[str]) -> list[str]:
    for index in range(len(words) - 1, -1, -1):
        if words[index] in ",;:—–":
            return words[index + 1:]
    return words


def _negated(words: list[str]) -> bool:
    """A negation or a negative-polarity word among the last five words of the clause."""
    for word in words[-5:]:
        low = word.lower()
        if low in _NEGATORS or low.endswith(("n't", "n’t")):
            return True
    return False


def _hypothetical(words: list[str]) -> bool:
    """'will be arrested', 'to investigate', 'called for an inquiry', 'if ... raid'."""
    lows = [w.lower() for w in words[-6:] if w not in ",;:—–"]
    if not lows:
        return False
    # a modal, then at most "not", "be", "have (been)", "face" and an adverb
    index = len(lows) - 1
    while index >= 0 and (lows[index] in _MODAL_FILLERS or lows[index].endswith("ly")) and len(lows) - index <= 3:
        index -= 1
    if index >= 0 and lows[index] in _MODALS:
        return True
    # an infinitive: "to (be) arrested", but not "forced to flee"
    index = len(lows) - 1
    if lows[index] == "be":
        index -= 1
    if index >= 0 and lows[index] == "to" and not (index > 0 and lows[index - 1] in _NOT_HYPOTHETICAL_TO_WORDS):
        return True
    # a condition or a demand a few words before: "if police raid", "called for an independent inquiry"
    for position, low in enumerate(lows[-5:]):
        if low in _CONDITIONS:
            return True
        rest = lows[-5:]
        if low in _CALLS and position + 1 < len(rest) and rest[position + 1] == "for":
            return True
        if low == "fear" and position + 1 < len(rest) and rest[position + 1] == "of":
            return True
    return False


# negation or a negative-polarity word shortly before the trigger, in its clause
_NEGATED = re.compile(
    r"\b(?:not|never|no|nobody|none|neither|nor|without|anyone|anybody|any|no\s+one|\w+n't)\b"
    r"(?:\s+[\w’'\-]+){0,4}\s*[\"“]?$", re.IGNORECASE)
# a possible, planned, demanded or conditional event
_HYPOTHETICAL = re.compile(
    r"(?:\b(?:will|would|could|might|may|should|must|can|shall)\s+(?:not\s+)?(?:be\s+|have\s+been\s+|have\s+|face\s+)?"
    r"(?:\w+ly\s+)?|\bto\s+(?:be\s+)?|\b(?:call(?:s|ed|ing)?\s+for|demand(?:s|ed|ing)?|urg(?:e|es|ed|ing)|"
    r"risk(?:s|ed)?|fear(?:s|ed)?\s+of|if|unless|whether)\b(?:\s+[\w’'\-]+){0,4}\s+)$",
    re.IGNORECASE)
_NOT_HYPOTHETICAL_TO = re.compile(r"\b(?:forced|made|began|started|continued|used|had|went on)\s+to\s+(?:be\s+)?$",
                                  re.IGNORECASE)
_DEFINITE_BEFORE = re.compile(
    r"(?:\b(?:the|this|that|these|those|such)|[’']s)\s+(?:[\w\-]+\s+){0,2}$", re.IGNORECASE)
_THOSE_BEFORE = re.compile(r"\b(?:those|the\s+ones|the)\s+$", re.IGNORECASE)
_DETERMINERS_BEFORE = frozenset({"the", "this", "these", "those", "such", "his", "her", "their", "its"})


def _last_words(text: str, position: int) -> list[str]:
    """The last two words before position, when only spaces stand between them and it."""
    if position == 0 or not text[position - 1].isspace():
        return []
    return text[max(0, position - 30):position].split()[-2:]


def _determiner_before(text: str, position: int) -> bool:
    """"the disappearance", "his arrest", "the weekend’s arrests" (what _DETERMINER_JUST_BEFORE says)."""
    words = _last_words(text, position)
    if not words:
        return False
    last = words[-1].lstrip("(“\"'‘[")
    low = last.lower()
    return low in _DETERMINERS_BEFORE or (len(last) >= 3 and last[-2:] in ("’s", "'s") and last[-3].isalnum())


def _those_before(text: str, position: int) -> bool:
    """"those detained", "the detained", "the ones held"."""
    words = [w.lower() for w in _last_words(text, position)]
    return bool(words) and (words[-1].lstrip("(“\"'‘[") in ("those", "the") or words[-2:] == ["the", "ones"])
_DETERMINER_JUST_BEFORE = re.compile(r"(?:\b(?:the|this|these|those|such|his|her|their|its)|\w[’']s)\s+$",
                                     re.IGNORECASE)
_STRETCH_BREAK = re.compile(r"[,;:—–()]")  # (a place is in the same stretch of words as its trigger)
_NOT_AN_EVENT_BEFORE = re.compile(r"\b(?:heart|panic|asthma|resisting|evading)\s+$", re.IGNORECASE)
_NOMINAL = re.compile(r"(?:ions?|als?|ments?|ies|ances?|ences?|ures?|raids?|protests?|crackdowns?|purges?|pushbacks?|"
                      r"beatings?|arrests?)$")
_NOT_COUNT_AFTER = re.compile(r"\s*(?:%|percent|per\s+cent|years?\b|-year|year-old|days?\b|weeks?\b|months?\b|hours?\b|minutes?\b|times\b|km\b|kilomet)", re.IGNORECASE)


@dataclass(eq=False, slots=True)
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
        self._breaks: dict[int, list[tuple[int, int, bool]]] = {}
        self._clauses: dict[tuple[int, int], tuple[int, int]] = {}
        # the clauses of these statements are denied by their speakers ("denied that anyone ...")
        self._denied = [(st.start, st.end) for st in statements if st.verb is not None and st.verb.stance == "denial"
                        and st.rule in ("indirect-speech", "coordinated-speech")]

    def run(self) -> list[Event]:
        events: list[Event] = []
        headline = self._headline()
        for si, (ss, se, para) in enumerate(self.doc.sentences):
            if para == headline:
                continue  # a headline sums up the events the story reports
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
            found = self._campaigns(triggers, ss, se, absorbed)
            for index, (start, end, event_type) in enumerate(triggers):
                if index in absorbed or not self._asserted(start, end, ss, se):
                    continue
                found.append(self._event(start, end, event_type, ss, se, "event-trigger"))
            events.extend(self._same_sentence(found))
        return self._corefer(events)

    # --- what is reported as having happened -------------------------------------------------

    def _headline(self) -> int:
        """The paragraph that is a headline written as a sentence (first, no final stop), or -1."""
        doc = self.doc
        if len(doc.paragraphs) < 2:
            return -1
        ps, pe = doc.paragraphs[0]
        if self.text[pe - 1] in ".!?\"”’'…:;)»" or len(self.text[ps:pe].split()) > 30:
            return -1
        return 0

    def _asserted(self, start: int, end: int, ss: int, se: int) -> bool:
        """A trigger under negation ("no one was detained", "without being charged"), in a
        hypothetical or a demand ("will be arrested", "called for an investigation", "if anyone
        ..."), or in a clause the speaker denies ("denied that anyone had been detained") reports
        no event."""
        left, _ = self._clause(start, end, ss, se)
        # the words before the trigger, back to the clause's start (a condition keeps its "if":
        # "If police raid the office, ..." is bounded by punctuation only)
        words = _WORDS_BACK.findall(self.text, max(ss, start - 60), start)
        clause_start = max(left, start - 60)
        clause_words = words if clause_start == max(ss, start - 60) else _WORDS_BACK.findall(self.text, clause_start, start)
        if _negated(clause_words) or _hypothetical(clause_words) or _hypothetical(_after_punctuation(words)):
            return False
        if clause_words and clause_words[-1].lower() in _NOT_AN_EVENT_WORDS:
            return False  # "a heart attack", "resisting arrest": not the event
        for d_start, d_end in self._denied:
            if d_start <= start < d_end and not self.doc.in_quote(start):
                return False
        return True

    def _same_sentence(self, events: list[Event]) -> list[Event]:
        """Triggers of one type in one sentence report one event ("left homeless when bulldozers
        flattened the settlement"): the first, spanning them all."""
        kept: list[Event] = []
        for event in sorted(events, key=lambda e: e.trigger_start):
            if _determiner_before(self.text, event.trigger_start) or _those_before(self.text, event.trigger_start):
                kept.append(event)  # "the weekend’s arrests ...": told before, left to _corefer
                continue
            same = next((k for k in kept if k.type == event.type and k.rule == event.rule
                         and not _determiner_before(self.text, k.trigger_start)
                         and (k.count is None or event.count is None or k.count == event.count)
                         and (k.time is None or event.time is None or k.time.text == event.time.text)), None)
            if same is None:
                kept.append(event)
                continue
            same.start, same.end = min(same.start, event.start), max(same.end, event.end)
            for actor, role in event.participants:
                same.add_participant(actor, role)
            same.count = same.count if same.count is not None else event.count
            same.count_text = same.count_text or event.count_text
            same.time = same.time or event.time
            same.place = same.place or event.place
        return kept

    def _corefer(self, events: list[Event]) -> list[Event]:
        """A later mention of an event already reported, by a noun with no count of its own
        ("the demolitions", "the weekend’s arrests", "the raid"), is that event again."""
        kept: list[Event] = []
        for event in events:
            same_type = [k for k in kept if k.type == event.type]
            target = None
            if same_type and event.count is None and event.rule == "event-trigger":
                lemma = _lemma(self.text[event.trigger_start:event.trigger_end])
                before = self.text[max(0, event.trigger_start - 40):event.trigger_start]
                nominal = bool(_NOMINAL.search(self.text[event.trigger_start:event.trigger_end].lower()))
                if _those_before(self.text, event.trigger_start):
                    target = same_type[-1]  # "nine of those detained": people of the event already told
                elif _determiner_before(self.text, event.trigger_start):
                    target = same_type[-1]  # "the disappearance", "the journalist’s disappearance"
                elif nominal and _DEFINITE_BEFORE.search(before):
                    same = [k for k in same_type if lemma in {
                        _lemma(w) for w in re.findall(r"[\w’'\-]+", self.text[k.start:k.end])}]
                    target = same[-1] if same else None  # "the demolitions" after "demolitions"
            victims_shared = False
            if target is None and same_type:
                # the same named person suffering the same kind of event: "Tolegenov was detained"
                victims = {id(a) for a, r in event.participants if a.is_person and not a.collective and a.named
                           and r in ("victim", "participant")}
                target = next((k for k in reversed(same_type) if victims & {id(a) for a, r in k.participants}), None)
                victims_shared = target is not None
            if target is not None:
                if victims_shared:  # (a noun's own neighbours are seldom the event's participants)
                    for actor, role in event.participants:
                        target.add_participant(actor, role)
                continue
            kept.append(event)
        return kept

    def _anaphoric(self, event: Event) -> bool:
        text = self.text
        trigger = text[event.trigger_start:event.trigger_end].lower()
        before = text[max(0, event.trigger_start - 40):event.trigger_start]
        # "the demolitions", "the weekend’s arrests": a noun with a definite determiner
        return bool(_DEFINITE_BEFORE.search(before)) and bool(_NOMINAL.search(trigger))


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
        key = (start, end)
        found = self._clauses.get(key)
        if found is not None:
            return found
        breaks = self._breaks.get(ss)
        if breaks is None:  # the clause breaks of a sentence, found once
            in_quote = self.doc.in_quote
            breaks = self._breaks[ss] = [(m.start(), m.end(), in_quote(m.start()) is not None)
                                         for m in _CLAUSE_BREAK.finditer(self.text, ss, se)]
        left, right = ss, se
        quoted = self.doc.in_quote(start) is not None
        for b_start, b_end, b_quoted in breaks:
            if b_end <= start:
                if not b_quoted or quoted:
                    left = b_end
            elif b_start >= end:
                right = b_start
                break
        # reported words bound the clause: an event inside a statement stays inside it
        for statement in self.statements:
            if statement.start <= start < statement.end:
                left, right = max(left, statement.start), min(right, statement.end)
        self._clauses[key] = (left, right)
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
            lex, folded, text = self.lex, self.doc.folded, self.text
            found = []
            # numbers in digits, and number words ("three", "a dozen"), each with an optional
            # modifier before it ("at least"): what lex.count_re matches, found faster
            numbers: list[tuple[int, int, int]] = []
            for match in lex.count_digits_re.finditer(folded):
                numbers.append((match.start(), match.end(), int(match.group().replace(",", ""))))
            tokens = self.doc.tokens
            for token in (tokens[i] for i in self.doc.positions(lex.numbers.keys())):
                value = lex.numbers.get(token.low)
                if value is None or (token.end < len(text) and text[token.end] in "-%") \
                        or (token.start > 0 and text[token.start - 1] == "-"):
                    continue
                start = token.start
                if token.low != "a" and start >= 2 and folded[start - 2:start].lower() == "a " \
                        and ("a " + token.low) in lex.numbers and (start < 3 or not folded[start - 3].isalnum()):
                    start -= 2  # "a dozen"
                numbers.append((start, token.end, value))
            numbers.sort()
            for begin, end, value in numbers:
                if _NOT_COUNT_AFTER.match(text, end):
                    continue
                noun_end = self._count_noun_end(end)
                if noun_end is None:
                    continue
                modifier = lex.count_modifier_re.search(folded, max(0, begin - 24), begin)
                found.append((modifier.start() if modifier else begin, end, value, noun_end))
            cached = self.doc.cache["counts"] = (found, [f[0] for f in found])
        return cached  # type: ignore[return-value]

    def _count(self, start: int, end: int, ss: int, se: int) -> tuple[int, int, int] | None:
        lex = self.lex
        window = lex.count_window
        lo, hi = ss, se
        counts, starts = self._counts()
        index = bisect.bisect_left(starts, lo)
        if index >= len(counts) or counts[index][0] >= hi:
            return None  # no number in the sentence (most triggers): nothing more to look at
        for statement in self.statements:
            if statement.start <= start < statement.end:
                lo, hi = max(lo, statement.start), min(hi, statement.end)
        for match in _COUNT_BREAK.finditer(self.text, lo, start):
            lo = match.end()
        stop = _COUNT_BREAK.search(self.text, end, hi)
        hi = stop.start() if stop else hi
        best = None
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
                if not _STRETCH_BREAK.search(between) and len(between.split()) <= 12:
                    return place
                break
        before = None
        for place in self.finder.places:
            if ss <= place.start and place.end <= start:
                between = text[place.end:start]
                if not _STRETCH_BREAK.search(between) and len(between.split()) <= 8:
                    before = place
        return before


def _lemma(word: str) -> str:
    low = word.lower()
    for suffix in ("ions", "ion", "ings", "ing", "ed", "es", "s"):
        if low.endswith(suffix) and len(low) - len(suffix) >= 4:
            return low[: -len(suffix)]
    return low
