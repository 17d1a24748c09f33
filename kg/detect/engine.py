"""Candidate pairs by blocking, scored on five bases, folded, explained.

Blocking
--------
No statement is compared with every other. Each claim gets a few *block keys* from what it is
about, and only claims sharing a key are compared:

* ``t|<id>``   every event, actor or topic the claim is ABOUT;
* ``x|<id>``   every actor who took part (perpetrator, victim, agent) in an event the claim is
               about, and every actor it is about: statements about different events done to or
               by the same people meet here;
* ``p|<place>|<family>|<year>``  the place of an event it is about, with the kind of event
               (harm done to people, or the event type otherwise) and the year: different
               reports of the same kind of thing in the same place and year meet here;
* ``s|<speaker>``  the speaker, for shifts (the same speaker over time);
* ``r|<article>``  the report: a statement about nothing named (an extracted "nonsense") meets
               the others of its report here;
* ``w|<word>`` up to ``WORD_KEYS`` of the claim's rarest content words (those in at least two
               claims): the topic keys that let statements with few or no ABOUT links meet.

A block larger than its cap is not compared all against all: its members are sorted by date
and each claim meets only the ``cap`` claims nearest to it in time (sorted neighbourhood). Caps:
``max_block`` (200) for ``t|`` keys, ``max_side_block`` (48) for the looser ``x|``, ``p|``,
``s|`` and ``r|`` keys, ``max_word_block`` (32) for words. Each claim is therefore compared with at most
``keys x cap`` others whatever the size of the graph, so the cost grows linearly with the number
of statements (measured with kg.detect.benchmark, see kg.detect: about 0.5 ms of CPU per
statement, exponent 0.99 from 10k to 100k and 1.04 from 100k to 1M statements). Only *anchors* (denials, and claims with a negation, a count, a denied agent or an
alternative cause) start comparisons, and only pairs some rule could fire on are scored.

Scoring
-------
Every basis scores the pair's *ground* (how surely both speak of the same thing: the same
event, a sub-event of the same campaign, the same kind of event at the same place and time, the
same actor or topic; asserting a part of a campaign affirms the campaign, but not the other way
round; incidents done by different perpetrators, or to different named victims, are different
incidents) times the strength of each side and, for conflicts between speakers, the opposition
of their roles (an official against a survivor, witness, activist or journalist: 1; two of a
kind: 0.75).

* polarity: a denial against an affirmation, testimony or accusation. A denial that rejects a
  report ("denied", "not confirmed", "no evidence", "fiction") or negates the harm itself ("no
  one was detained", "no incident") meets any account of it; one that negates something else
  meets only statements sharing its words; one that denies a figure ("disputes the count")
  meets only statements giving one. When the denial's words name some of its events, only those
  are its ground. Testimony weighs more than accusation, accusation more than affirmation; calls
  to action ("Stop ...", "must"), hedges ("may have") and relayed reports ("information in the
  media about ...") weaken a side. A rejection of someone's accounts ("the migrants' accounts
  were fiction") meets what they say; a denial whose sentence gives a figure meets the statement
  giving that number; a denial and an account of a violent act of the same kind of harm in one
  report meet whatever events an extractor made of them. Traps weaken a pair: a denial naming
  one kind of harm ("no injuries") against a statement of another ("died in his sleep") or of
  none; a denial about one person against a count of many; a denial of one's own wrongdoing
  against a statement not about the speaker; the state's denial against harm done by private
  people ("by a vigilante mob"); one official against another who asserts no harm ("authorised
  and lawful"); a distinction ("is not the same as") rather than a denial. Also polarity: what a
  victim says there was none of ("no lawyer has been allowed to see him", "without notice")
  against an official's statement that there was, also what is not there yet ("payments ...
  still being processed", "still waiting for compensation") or was never told ("learned of his
  arrest from the news" against "his family had been informed"). A practice said to have stopped
  ("the practice had stopped completely") is a denial that it goes on.
* existence: "there are no such people", "we don't have any X", "has not detained anyone",
  against a statement about the same topic or actor, or one naming the event denied.
* numeric: the counts two statements give for the same event (a number matching the event's
  count belongs to it; "no one was detained" is nought, "all were released" leaves none held;
  "at least", "about", "more than" make intervals; dates, ages, durations, percentages and money
  are not counts; people are not compared with things, nor victims with officers; a tally over a
  period, "since January", only with tallies, and those still held, "17 remain in custody",
  only with those still held) do not overlap. Extracted mentions of one kind in one report are
  one event; two statements of one report counting the same things ("a single body", "two
  bodies") are compared without one, and so are things and some of them ("412 structures had
  been removed" is fewer than "about 640 homes" destroyed) and "a single body" against more dead
  ("two men in their group drowned").
* responsibility: "no officials were involved" against a statement naming an agent of the state
  as the perpetrator (about it, naming it, or speaking for it; for extracted events, which carry
  no perpetrators, the state acknowledging the harm or "held by the State Security Service"); or
  an alternative cause ("heart failure", "fell") against an accusation or testimony naming a
  violent act. A denied link names the agent after it ("no link whatsoever between that death and
  Velmaran officers"); an official acknowledging only an outcome ("an investigation into both
  deaths") names no agent.
* shift: the same speaker (or their spokesperson) denying and then affirming, or giving two
  counts, at different dates; both statements must carry dates of their own, or both fall back
  on the dates of different articles. Without dates, only a reversal: "No one was detained"
  against "14 people had been temporarily held" (a finding and its grounds, "not confirmed"
  and what was checked, stay one position; so do what happened "earlier this year" and a denial
  of what happens now). A thing said done and later said not done yet ("every affected household
  has been compensated", then "payments ... still being processed") is a shift too.

Folding
-------
When one speaker says several things against the same statement in one report (its account of
the detentions, of the torture, of those who fled), only the strongest pair is reported; the
others are counted in its explanation as that speaker saying the same again. The same speaker in
another report (another incident, another year) makes another pair. Likewise a denying speaker
saying the same twice against one voice ("We don't have any gays", "doesn't have those kinds of
people") makes one pair (fold_denials, after the run).

Copies of one story (a wire story printed by several outlets) make one pair too. A speaker named
in them is one actor, so their statements are already one claim; an unnamed one ("a 24-year-old
student", "witnesses") is a different actor in each article, as the extractor never merges
unnamed people across articles, and so is each copy's claim. Pairs that would be one if those
speakers were one (the same basis; on each side the same words, stance and speaker's name)
and whose sides are printed in the same stories (kg.detect.corroborate: near-identical texts)
are one pair, the strongest (fold_copies, after the run, where the stories are known): the
others are its copies, whose statements support it as copies of its own, counted once as a
source. The actors stay apart in the graph.

Every pair a denying side takes part in is scored by the end of its anchor's turn, so its folded
pairs are final then and are handed on (``Detector.stream``) instead of being held to the end.
"""

from __future__ import annotations

import math
import re
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Iterator

from kg.collector import cycle_collector_paused
from kg.detect.context import KIND_STEMS
from kg.detect.facts import Claim, Event, Facts
from kg.detect.text import (
    EVENT_TRIGGERS,
    HARM_STEMS,
    HARM_TYPES,
    LEXICON,
    UMBRELLA_TYPES,
    Count,
    count_scope,
    features,
    fold,
    kinds_named,
    has_stem,
    quote_cue,
    singular,
    triggers_for,
    words,
)

BASES = ("polarity", "existence", "numeric", "responsibility", "shift")
MAX_BLOCK = 200       # claims about one event, actor or topic compared all against all, up to this
MAX_SIDE_BLOCK = 48   # the same for the looser keys: shared parties, place and year, speaker
MAX_WORD_BLOCK = 32   # and for content words
WORD_KEYS = 4
MIN_LINK = 0.3
REVERSAL_GROUND = 0.5  # how surely a speaker's denial and admission are about the same harm
SAME_REPORT = 0.5  # the ground of two statements in one report when one is about nothing named
MENTION_LINK = 0.9  # two mentions of the same kind of event in one report (extracted events)
KIND_IN_REPORT = 0.9  # an existence denial and a statement naming its kind of people, in one report
CONTEXT = 0.85  # a link through an event around a statement rather than one it is about
SAME_HARM = 0.8  # a denial and a statement naming the same kind of harm, in one report
SAME_FIGURE = 0.9  # a denial whose sentence gives the very number the other statement gives
OWN_ACCOUNT = 0.95  # a rejection about someone ("the migrants' accounts were fiction") and what they say
PRUNE_AT = 64         # pairs of targets weighed one by one; beyond, only those sharing a key
INDEX_MEMO_SIZE = 20_000  # claims whose targets are kept indexed by key
MEMO_SIZE = 200_000  # entries of each per-claim and per-link cache, whatever the size of the graph
# Per-claim answers as large as the claim's words, each kept for LARGE_MEMO_SIZE claims at a time
# (together as many as MEMO_SIZE).
LARGE_ANSWERS = frozenset({"tokens", "folded", "things", "counts by key"})
LARGE_MEMO_SIZE = MEMO_SIZE // len(LARGE_ANSWERS)
_UNSET = object()

_STANCE_STRENGTH = {"testimony": 1.0, "accusation": 0.95, "affirmation": 0.85}
_STANCE_VERB = {"testimony": "testifies", "accusation": "alleges", "affirmation": "affirms",
                "denial": "denies", "other": "says"}


@dataclass(slots=True)
class Candidate:
    a: Claim
    b: Claim
    basis: str
    score: float
    cue_a: str                        # the words keyed on (quoted around when explained), or a count
    cue_b: str
    ground: list[str] | tuple[str, ...]  # what both are about, as targets (a's side, then b's)
    n_targets: int                    # how many of b's targets connect: ties when folding
    detail: str = ""                  # the counts, the cause, the dates
    folded: list[Claim] | tuple = ()  # a list once something is folded in (most pairs have none)
    also: list[Claim] | tuple = ()    # the denying speaker's other statements saying the same against b
    n_events: int = 0                 # how many of b's events connect
    quoted: bool = False              # the cues are final (counts are shown as they are)
    copies: list[Candidate] | tuple = ()  # the same pair in copies of one story (fold_copies)


# --- time ----------------------------------------------------------------------------------------------


def _cmp(x: str, y: str) -> int:
    n = min(len(x), len(y))
    return (x[:n] > y[:n]) - (x[:n] < y[:n])


def _times_overlap(e1: Event, e2: Event) -> bool:
    s1, s2 = e1.time_start, e2.time_start
    f1, f2 = e1.time_end or None, e2.time_end or None
    if f1 and s2 and _cmp(f1, s2) < 0:
        return False
    if f2 and s1 and _cmp(f2, s1) < 0:
        return False
    return True


def dates_differ(d1: str | None, d2: str | None) -> bool:
    return bool(d1 and d2 and _cmp(d1, d2) != 0)


def common_reports(x: tuple[str, ...], y: tuple[str, ...]) -> list[str]:
    """The articles two claims or events share, in order. Both tuples are sorted (see
    kg.detect.facts), so the shorter one's are looked up by bisection: a statement printed in
    thousands of reports made a set of them for every pair it was weighed in."""
    if len(x) > len(y):
        x, y = y, x
    if len(x) == 1:  # most claims and events are in one report
        article = x[0]
        i = bisect_left(y, article)
        return [article] if i < len(y) and y[i] == article else []
    found = []
    for article in x:
        i = bisect_left(y, article)
        if i < len(y) and y[i] == article:
            found.append(article)
    return found


# --- ground: how surely two claims speak of the same thing ----------------------------------------------


@dataclass(slots=True, frozen=True)
class _Sides:
    """Who took part in an event, and where, as sets: made once per event, since the link of two
    events is weighed for millions of pairs of claims."""
    parties: frozenset[str]
    perpetrators: frozenset[str]
    victims: frozenset[str]
    places: frozenset[str]


class Linker:
    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self._events: dict[tuple[str, str], tuple[float, str]] = {}
        self._links: dict[tuple[str, str], tuple[float, str]] = {}
        self._sides: dict[str, _Sides] = {}
        # Equal sides are one object: at 10,000 articles 68,938 events had 16,448 distinct sides,
        # and at 100,000 the sides of every event held most of the Linker's 502 MB.
        self._distinct_sides: dict[_Sides, _Sides] = {}
        self._abouts: dict[int, tuple[str, ...]] = {}
        self._not_actor_counts: dict[int, int] = {}
        self._indexes: dict[int, dict[tuple[str, str], list[int]]] = {}

    def sides(self, event: Event) -> _Sides:
        found = self._sides.get(event.id)
        if found is None:
            made = _Sides(frozenset(event.parties()), frozenset(event.parties("perpetrator")),
                          frozenset(event.parties("victim")), frozenset(event.places))
            found = self._sides[event.id] = self._distinct_sides.setdefault(made, made)
        return found

    def _named(self, actor_id: str) -> bool:
        actor = self.facts.actors.get(actor_id)
        return actor is not None and not actor.collective

    def _affiliated(self, x: set[str], y: set[str]) -> bool:
        aff = self.facts.affiliations
        return any(aff.get(a, frozenset()) & y for a in x) or any(aff.get(b, frozenset()) & x for b in y)

    def event_link(self, e1: Event, e2: Event) -> tuple[float, str]:
        key = (e1.id, e2.id) if e1.id < e2.id else (e2.id, e1.id)
        found = self._events.get(key)
        if found is not None:
            return found
        result = self._event_link(e1, e2)
        if len(self._events) > MEMO_SIZE:
            self._events.clear()
        self._events[key] = result
        return result

    def _event_link(self, e1: Event, e2: Event) -> tuple[float, str]:
        if not _times_overlap(e1, e2):
            return 0.0, ""
        t1, t2 = e1.event_type, e2.event_type
        if t1 == t2:
            compat, how = 1.0, "same kind of event"
        elif (t1 in UMBRELLA_TYPES and t2 in HARM_TYPES) or (t2 in UMBRELLA_TYPES and t1 in HARM_TYPES):
            compat, how = 0.9, "part of"
        elif t1 in HARM_TYPES and t2 in HARM_TYPES:
            compat, how = 0.6, "related harm"
        else:
            compat, how = 0.35, "related"
        s1, s2 = self.sides(e1), self.sides(e2)
        shared = s1.parties & s2.parties
        actor = max((0.9 if self._named(a) else 0.7 for a in shared), default=0.0)
        place = 0.6 if not s1.places.isdisjoint(s2.places) else 0.0
        base = max(actor, place) + (0.1 if actor and place else 0.0)
        if base == 0.0:
            return 0.0, ""
        p1, p2 = s1.perpetrators, s2.perpetrators
        if p1 and p2 and not (p1 & p2) and not self._affiliated(p1, p2):
            compat *= 0.5  # done by different people: not one event, nor part of one campaign
        v1, v2 = s1.victims, s2.victims
        if (v1 and v2 and not (v1 & v2) and any(self._named(v) for v in v1 | v2)
                and t1 not in UMBRELLA_TYPES and t2 not in UMBRELLA_TYPES):
            compat *= 0.5  # done to a named person in one, to others in the other: two incidents
        return min(1.0, base) * compat * 0.85, how

    @staticmethod
    def mention_link(e1: Event, e2: Event) -> tuple[float, str]:
        """Two events an extractor found in one report, one per mention: the same kind of event
        is likely the same event (or its campaign), as far as the kinds go."""
        t1, t2 = e1.event_type, e2.event_type
        if t1 == t2:
            return MENTION_LINK, "same kind of event in the report"
        if (t1 in UMBRELLA_TYPES and t2 in HARM_TYPES) or (t2 in UMBRELLA_TYPES and t1 in HARM_TYPES):
            return MENTION_LINK * 0.9, "part of, in the report"
        if frozenset((t1, t2)) in LEXICON.kin_types:
            return MENTION_LINK * 0.9, "the same harm in other words, in the report"
        if t1 in HARM_TYPES and t2 in HARM_TYPES:
            return MENTION_LINK * 0.6, "related harm in the report"
        return 0.0, ""

    def link(self, ta: str, tb: str) -> tuple[float, str]:
        key = (ta, tb)
        found = self._links.get(key)
        if found is None:
            if len(self._links) > MEMO_SIZE:
                self._links.clear()
            found = self._links[key] = self._link(ta, tb)
        return found

    def _link(self, ta: str, tb: str) -> tuple[float, str]:
        """How surely b, speaking of tb, speaks of what a says about ta. Not symmetric: asserting
        a part of a campaign affirms the campaign, but asserting a campaign does not affirm each
        of the incidents it is made of."""
        facts = self.facts
        if ta == tb:
            if ta in facts.events:
                event = facts.events[ta]
                return (0.5 if event.event_type in UMBRELLA_TYPES else 1.0), "same event"
            if ta in facts.topics:
                return 0.9, "same topic"
            if ta in facts.actors:
                return (0.6 if self._named(ta) else 0.45), "same actor"
            return 0.5, "same subject"
        ea, eb = facts.events.get(ta), facts.events.get(tb)
        if ea is not None and eb is not None:
            strength, how = self.event_link(ea, eb)
            if strength < MIN_LINK and ea.mention and eb.mention and common_reports(ea.articles, eb.articles):
                strength, how = self.mention_link(ea, eb)
            if eb.event_type in UMBRELLA_TYPES and ea.event_type not in UMBRELLA_TYPES:
                strength *= 0.5  # b speaks of the whole campaign, a of one incident in it
            return strength, how
        if ea is not None and tb in facts.actors and tb in self.sides(ea).parties:
            return 0.4, "party to"
        if eb is not None and ta in facts.actors and ta in self.sides(eb).parties:
            return 0.4, "party to"
        return 0.0, ""

    def about(self, claim: Claim) -> tuple[str, ...]:
        found = self._abouts.get(claim.index)
        if found is None:
            if len(self._abouts) > MEMO_SIZE:
                self._abouts.clear()
            found = self._abouts[claim.index] = _sorted(claim)
        return found

    def _not_actors(self, claim: Claim | None, about: tuple[str, ...]) -> int:
        """How many of the targets are not actors (events, topics): what coverage is counted over."""
        if claim is None:
            return sum(1 for t in about if t not in self.facts.actors)
        found = self._not_actor_counts.get(claim.index)
        if found is None:
            if len(self._not_actor_counts) > MEMO_SIZE:
                self._not_actor_counts.clear()
            found = self._not_actor_counts[claim.index] = sum(1 for t in about if t not in self.facts.actors)
        return found

    def _keys(self, target: str) -> list[tuple[str, str]]:
        """What a target shares with every target it has a link to (see _link): its own id, a
        party or a place of an event, the report of an extracted mention; an actor is keyed as a
        party, since it links to the events it took part in."""
        keys = [("id", target)]
        event = self.facts.events.get(target)
        if event is not None:
            sides = self.sides(event)
            keys += [("party", x) for x in sides.parties]
            keys += [("place", x) for x in sides.places]
            if event.mention:
                keys += [("article", x) for x in event.articles]
        elif target in self.facts.actors:
            keys.append(("party", target))
        return keys

    def _index(self, claim: Claim | None, about: tuple[str, ...]) -> dict[tuple[str, str], list[int]]:
        found = self._indexes.get(claim.index) if claim is not None else None
        if found is None:
            found = defaultdict(list)
            for position, target in enumerate(about):
                for key in self._keys(target):
                    found[key].append(position)
            if claim is not None:
                if len(self._indexes) > INDEX_MEMO_SIZE:
                    self._indexes.clear()
                self._indexes[claim.index] = found
        return found

    def _linkable(self, a: Claim, a_about: tuple[str, ...], a_whole: bool, b: Claim,
                  b_about: tuple[str, ...]) -> dict[int, set[int]]:
        """Which of b's targets each of a's could link to: the pairs sharing a key. A statement
        repeated across a corpus gathers the targets of every report that prints it (hundreds),
        and weighing each of its targets against each of another's grew with the corpus."""
        pairs: dict[int, set[int]] = defaultdict(set)
        if len(a_about) >= len(b_about):
            index = self._index(a if a_whole else None, a_about)
            for j, tb in enumerate(b_about):
                for key in self._keys(tb):
                    for i in index.get(key, ()):
                        pairs[i].add(j)
        else:
            index = self._index(b, b_about)
            for i, ta in enumerate(a_about):
                for key in self._keys(ta):
                    pairs[i].update(index.get(key, ()))
        return pairs

    def ground(self, a: Claim, b: Claim, focus: frozenset[str] | None = None
               ) -> tuple[float, list[tuple[str, str, float, str]]]:
        """The best link from one of a's targets (or of its focus: the events its own words
        name) to one of b's, a little more when b speaks to all of them (events and topics;
        actors are context)."""
        connections = []
        actors = self.facts.actors
        a_about = tuple(sorted(focus)) if focus else self.about(a)
        b_about = self.about(b)
        b_context = b.context
        if len(a_about) * len(b_about) > PRUNE_AT:
            linkable = self._linkable(a, a_about, focus is None, b, b_about)
        else:
            linkable = None
        # Only a's targets that may link to one of b's are weighed; the others count as links of
        # strength 0 in the coverage. Going through all of a's targets for every pair cost as
        # much as the largest claim (the events of every report printing it) for each pair.
        covered = 0.0
        # (With b about nothing, none of a's targets links: a claim printed across a corpus has
        # hundreds to go through for nothing, against each of the many statements about nothing.)
        for i in (() if not b_about else range(len(a_about)) if linkable is None else sorted(linkable)):
            ta = a_about[i]
            best = 0.0
            weight_a = CONTEXT if ta in a.context else 1.0
            for tb in (b_about if linkable is None else [b_about[j] for j in sorted(linkable[i])]):
                strength, how = self.link(ta, tb)
                if b_context or weight_a < 1.0:
                    strength *= weight_a * (CONTEXT if tb in b_context else 1.0)
                if strength >= MIN_LINK:
                    connections.append((ta, tb, strength, how))
                    best = max(best, strength)
            if ta not in actors:
                covered += best
        weighed = self._not_actors(a if not focus else None, a_about)
        top = max((c[2] for c in connections), default=0.0)
        coverage = covered / weighed if weighed else 1.0
        ground = top * (0.85 + 0.15 * coverage)
        if not connections:
            shared = set(a.features.content).intersection(b.features.content)
            if len(shared) >= 2 and not (a.targets and b.targets):
                # Statements with no ABOUT links meet on their words alone: weak ground.
                ground = min(0.6, 0.3 + 0.1 * len(shared))
                connections = [("", "w:" + w, ground, "shared words") for w in sorted(shared)[:4]]
            elif not (a.targets and b.targets) and (reports := common_reports(a.articles, b.articles)):
                # Statements one of which is about nothing named, in the same report: a reply in
                # the report's own story ("nonsense", "denied the reports") is about what it reports.
                article = reports[0]
                title = (self.facts.articles.get(article) or {}).get("title") or "the same report"
                ground = SAME_REPORT
                connections = [("", "w:" + title, ground, "same report")]
        return ground, connections


def _sorted(claim: Claim) -> tuple[str, ...]:
    """What a claim is about and (for an extracted one) the events around it, sorted."""
    if claim.context:
        return tuple(sorted(claim.targets))
    return claim.ordered if len(claim.ordered) == len(claim.about) else tuple(sorted(claim.about))


# --- counts attributed to events -------------------------------------------------------------------------


def counts_by_event(facts: Facts, claim: Claim) -> dict[str, list[Count]]:
    """The counts a claim gives for each event it is about. A number equal to an event's own
    count belongs to that event; other numbers belong to the claim's only event, if it has one
    (extracted mentions of one kind in one report being one event: those its words name, else
    all). A count of nought ("no one was detained", "no injuries") belongs to its events of harm
    when the harm is named with it: "Nobody invited us" counts no detainees."""
    events = [facts.events[t] for t in _sorted(claim) if t in facts.events]
    if not events:
        return {}
    out: dict[str, list[Count]] = defaultdict(list)
    loose = []
    for count in claim.features.counts:
        owners = [e for e in events if e.count is not None and count.low <= e.count <= count.high]
        if owners:
            for event in owners:
                out[event.id].append(count)
        else:
            loose.append(count)
    tokens = words(claim.text)
    joined = " ".join(tokens)
    if loose and not out:
        folded = fold(claim.text)
        for count in loose:
            # The words of the count and the few after it say what it counts ("41 people had
            # been briefly held": the detention; "two drowned" is no count of those pushed back).
            last = count.text.split()[-1]
            position = folded.find(last)
            near = words(count.text) + words(folded[position + len(last):])[:5] if position >= 0 else tokens
            near_events = [e for e in events if has_stem(near, " ".join(near), triggers_for(e.event_type))]
            for event in _one_event(events if len(events) == 1 else near_events, tokens, joined):
                out[event.id].append(count)
    zero = claim.features.zero
    if zero:
        after = fold(claim.text).split(zero, 1)[-1]
        named = words(zero) + words(after)[:3]
        if has_stem(named, " ".join(named), HARM_STEMS):
            harm = [e for e in events if e.event_type in HARM_TYPES and e.event_type not in UMBRELLA_TYPES
                    and has_stem(named, " ".join(named), triggers_for(e.event_type))]
            for event in harm:
                out[event.id].append(Count(0, 0, claim.features.zero, claim.features.zero_noun,
                                           count_scope(fold(claim.text))))
    return out


def _one_event(events: list[Event], tokens: list[str], joined: str) -> list[Event]:
    """The claim's only event, as a list: its one event, or its extracted mentions of one kind
    in one report (those of the kinds its words name, if it names some), else none."""
    if len(events) == 1:
        return events
    named = [e for e in events if has_stem(tokens, joined, triggers_for(e.event_type))]
    if len(named) == 1:
        return named  # the one event its words name ("all had been released": the detention)
    named = named or events
    kinds = {(e.event_type, e.articles) for e in named}
    return named if len(kinds) == 1 and all(e.mention for e in named) else []


# --- the detector ----------------------------------------------------------------------------------------


class Detector:
    def __init__(self, facts: Facts, *, min_score: float = 0.5, max_block: int = MAX_BLOCK,
                 max_side_block: int = MAX_SIDE_BLOCK, max_word_block: int = MAX_WORD_BLOCK) -> None:
        self.facts = facts
        self.min_score = min_score
        self.max_block = max_block
        self.max_side_block = max_side_block
        self.max_word_block = max_word_block
        self._memo: dict[str, list] = {}
        self._large: dict[str, dict[int, object]] = {}
        self._shared_sets: dict[frozenset, frozenset] = {}
        self._folded_names: dict[str, str] = {}
        # Speakers with one voice: a spokesperson and the one they speak for, each way.
        voices: dict[str, set[str]] = defaultdict(set)
        for x, targets in facts.affiliations.items():
            if x in facts.actors and "spokesperson" in facts.actors[x].roles:
                for y in targets:
                    voices[x].add(y)
                    voices[y].add(x)
        self._voices = {speaker: frozenset(others) for speaker, others in voices.items()}
        self.linker = Linker(facts)
        self.stats: Counter = Counter()
        self._counts: dict[int, dict[str, list[Count]]] = {}
        self._shared: tuple[tuple[int, int], list[str]] = ((-1, -1), [])

    def reports_shared(self, a: Claim, b: Claim) -> list[str]:
        """The articles both claims are printed in (common_reports), kept for the pair being
        weighed: several rules ask, and for two claims each printed in thousands of reports the
        answer costs thousands of look-ups."""
        key = (a.index, b.index)
        if self._shared[0] != key:
            self._shared = (key, common_reports(a.articles, b.articles))
        return self._shared[1]

    # --- blocking ---

    def keys(self, claim: Claim, word_df: Counter) -> list[str]:
        facts = self.facts
        keys = set()
        for target in claim.targets:
            keys.add("t|" + target)
            event = facts.events.get(target)
            if event is not None:
                for actor in event.parties():
                    keys.add("x|" + actor)
                family = "harm" if event.event_type in HARM_TYPES else (event.event_type or "?")
                year = (event.time_start or claim.date or "?")[:4]
                for place in event.places:
                    keys.add(f"p|{place}|{family}|{year}")
            elif target in facts.actors:
                keys.add("x|" + target)
        if claim.speaker:
            keys.add("s|" + claim.speaker)
        for article in claim.articles:
            keys.add("r|" + article)
        rare = sorted((w for w in claim.features.content if word_df[w] >= 2), key=lambda w: (word_df[w], w))
        keys.update("w|" + w for w in rare[:WORD_KEYS])
        return sorted(keys)

    def cap(self, key: str) -> int:
        if key.startswith("t|"):
            return self.max_block
        if key.startswith("w|"):
            return self.max_word_block
        return self.max_side_block

    def is_anchor(self, claim: Claim) -> bool:
        f = claim.features
        return (claim.negative or bool(f.existential or f.zero or f.agency_denied or f.cause or f.lacks or f.pretext)
                or (bool(f.counts) and claim.stance != "other"))

    def candidates(self) -> Iterable[tuple[Claim, list[Claim]]]:
        claims = self.facts.claims
        word_df: Counter = Counter()
        for claim in claims:
            word_df.update(claim.features.content)
        # Block members as compact arrays of claim indices; a claim's keys are computed again
        # when it is an anchor rather than kept (a million claims have some ten million keys).
        blocks: dict[str, array] = {}
        for claim in claims:
            for key in self.keys(claim, word_df):
                members = blocks.get(key)
                if members is None:
                    members = blocks[key] = array("l")
                members.append(claim.index)
        blocks = {k: v for k, v in blocks.items() if len(v) > 1}
        self.stats["blocks"] = len(blocks)
        # Oversized blocks: sorted by date, each member meets its nearest neighbours in time.
        when = [(c.date or "", c.index) for c in claims]
        oversized = set()
        for key, members in blocks.items():
            if len(members) > self.cap(key):
                blocks[key] = array("l", sorted(members, key=when.__getitem__))
                oversized.add(key)
                self.stats["oversized blocks"] += 1
        self.stats["largest block"] = max((len(v) for v in blocks.values()), default=0)
        anchors = [self.is_anchor(c) for c in claims]
        for claim in claims:
            if not anchors[claim.index]:
                continue
            found: set[int] = set()
            for key in self.keys(claim, word_df):
                members = blocks.get(key)
                if members is None:
                    continue
                if key in oversized:
                    half = self.cap(key) // 2
                    p = bisect_left(members, when[claim.index], key=when.__getitem__)
                    members = members[max(0, p - half):p + half + 1]
                found.update(members)
            found.discard(claim.index)
            # A pair of two anchors is looked at once, from the first of them; only pairs some
            # rule could fire on are scored.
            others = [claims[j] for j in sorted(found)
                      if not (anchors[j] and j < claim.index) and self.eligible(claim, claims[j])]
            self.stats["pairs compared"] += len(others)
            yield claim, others

    # --- scoring ---

    def eligible(self, a: Claim, b: Claim) -> bool:
        """A cheap test: could any rule fire on this pair?"""
        if self.same_voice(a, b):
            return (a.dated == b.dated and dates_differ(a.date, b.date)) or _negates_event(a) or _negates_event(b)
        fa, fb = a.features, b.features
        if (a.negative or fa.existential or fa.agency_denied or fa.cause) and b.positive:
            return True
        if (b.negative or fb.existential or fb.agency_denied or fb.cause) and a.positive:
            return True
        if ((fa.lacks or fa.pretext) and not b.negative) or ((fb.lacks or fb.pretext) and not a.negative):
            return True
        return bool((fa.counts or fa.zero) and (fb.counts or fb.zero) and not (a.negative and b.negative))

    def _cached(self, name: str, claim: Claim, compute):
        """What `compute` gives for the claim, computed once: small answers are kept for every
        claim, in one slot per claim; answers as large as the claim's words (LARGE_ANSWERS) for
        at most LARGE_MEMO_SIZE claims at a time. (One cache of 200,000 answers of every kind
        together, cleared when full, had them recomputed over and over: this method and what it
        computed were 40% of the detection's samples at 100,000 articles.)"""
        slots = self._memo.get(name)
        if slots is not None:
            value = slots[claim.index]
            if value is not _UNSET:
                return value
        elif name in LARGE_ANSWERS:
            answers = self._large.get(name)
            if answers is None:
                answers = self._large[name] = {}
            value = answers.get(claim.index, _UNSET)
            if value is _UNSET:
                if len(answers) >= LARGE_MEMO_SIZE:
                    answers.clear()
                value = answers[claim.index] = compute()
            return value
        else:
            slots = self._memo[name] = [_UNSET] * len(self.facts.claims)
        value = compute()
        if isinstance(value, frozenset):
            value = self._shared_sets.setdefault(value, value)  # a few kinds of people, acts, words
        slots[claim.index] = value
        return value

    def tokens(self, claim: Claim) -> tuple[list[str], str]:
        def compute():
            tokens = words(claim.text)
            return tokens, " ".join(tokens)
        return self._cached("tokens", claim, compute)  # type: ignore[return-value]

    def counts(self, claim: Claim) -> dict[str, list[Count]]:
        found = self._counts.get(claim.index)
        if found is None:
            if len(self._counts) > MEMO_SIZE:
                self._counts.clear()
            found = self._counts[claim.index] = counts_by_event(self.facts, claim)
        return found

    def same_voice(self, a: Claim, b: Claim) -> bool:
        if a.speaker is None or b.speaker is None:
            return False
        if a.speaker == b.speaker:
            return True
        # A spokesperson speaks with the voice of the one they speak for.
        others = self._voices.get(a.speaker)
        return others is not None and b.speaker in others

    def role_factor(self, a: Claim, b: Claim) -> float:
        ra, rb = self.facts.role_class(a), self.facts.role_class(b)
        if ra is None or rb is None:
            return 0.9
        return 1.0 if ra != rb else 0.75

    def assertion(self, claim: Claim) -> float:
        """How firmly a claim asserts what happened."""
        f = claim.features
        strength = _STANCE_STRENGTH.get(claim.stance, 0.6)
        if f.prescriptive:
            strength *= 0.55
        if f.hedged:
            strength *= 0.75
        if f.relayed and claim.stance in ("affirmation", "other"):
            strength *= 0.6  # relays what others reported: the report, not the speaker, asserts it
        if not (f.counts or self.trigger(claim) or (self.names_harm(claim) and not f.negated)):
            strength *= 0.9  # (names no event: "superficial abrasions" names an injury)
        return strength

    def trigger(self, claim: Claim) -> str | None:
        """The first word of the claim that names the kind of an event it is about."""
        def compute():
            tokens, joined = self.tokens(claim)
            # Each kind's stems once, in the order they first come: a claim printed across a
            # corpus is about thousands of events of a few kinds.
            kinds = dict.fromkeys(self.facts.events[t].event_type for t in _sorted(claim) if t in self.facts.events)
            stems = list(dict.fromkeys(stem for kind in kinds for stem in triggers_for(kind)))
            for token in tokens:
                if any(" " not in stem and token.startswith(stem) for stem in stems):
                    return token
            return next((stem for stem in stems if " " in stem and stem in joined), None)
        return self._cached("trigger", claim, compute)  # type: ignore[return-value]

    def focus(self, claim: Claim) -> frozenset[str] | None:
        """The events a claim's own words name (by the triggers of their kind), when it names
        some but not all of those it is about: what a denial actually denies."""
        def compute():
            tokens = [t for t in self.tokens(claim)[0] if t not in LEXICON.not_naming]
            joined = " ".join(tokens)
            named = frozenset(t for t in claim.targets if t in self.facts.events
                              and has_stem(tokens, joined, triggers_for(self.facts.events[t].event_type)))
            events = {t for t in claim.targets if t in self.facts.events}
            return named if named and named != events else None
        return self._cached("focus", claim, compute)  # type: ignore[return-value]

    def names_harm(self, claim: Claim) -> str | None:
        def compute():
            tokens, joined = self.tokens(claim)
            return has_stem(tokens, joined, HARM_STEMS)
        return self._cached("harm", claim, compute)  # type: ignore[return-value]

    def names_event(self, phrase: str, claim: Claim) -> bool:
        tokens = words(phrase)
        joined = " ".join(tokens)
        return any(has_stem(tokens, joined, triggers_for(self.facts.events[t].event_type))
                   for t in claim.targets if t in self.facts.events)

    def denial_strength(self, claim: Claim, other: Claim | None = None) -> float:
        """How squarely a denial meets the other statement. A denial that rejects a report as
        such ("denied", "not confirmed", "no evidence"), or negates the harm itself ("no one was
        injured"), meets any account of it; one that negates something else ("nobody is hiding
        anything") meets only a statement that shares its words. A denial of a figure meets only
        statements that give one."""
        f = claim.features
        if f.agency_denied or (f.existential and other is not None and not other.features.counts
                               and not self.trigger(other)):
            # Denies who did it, or that a thing exists: against a statement that names
            # neither, only a weak conflict of polarity remains.
            strength = 0.5
        elif f.rejects or f.existential or f.event_negated or (not f.negated and self.framed_as_rejection(claim)):
            # ("Oketch denied that) tear gas had been used at all": the rejection is in the frame.
            strength = 1.0
        elif f.negated and (f.harm_act or self.trigger(claim) or self.names_harm(claim)):
            strength = 1.0  # negates the harm itself: "No one was detained", "no injuries"
        elif f.negated:
            shared = other is not None and any(
                s in other.features.stems for s in f.stems if s not in LEXICON.weak_stems)
            strength = 0.85 if shared else 0.5
        else:
            strength = 0.8
        if (f.figure or (claim.cue and features(claim.cue).figure) or (claim.frame and features(claim.frame).figure)) \
                and other is not None and not (any(c.low >= 2 for c in other.features.counts)
                                               and set(self.counts(other)) & claim.targets) \
                and not self.same_figure(claim, other):
            strength *= 0.4  # denies a figure: meets only a statement giving one for the same event
        if f.distinction:
            strength *= 0.5  # "holding is not the same as detaining": a distinction, not a denial
        return strength * (0.8 if f.hedged else 1.0)

    def score(self, a: Claim, b: Claim) -> Candidate | None:
        """The strongest reading of the pair: the same voice over time, or one side against the
        other (tried both ways when both could deny), or their counts."""
        if self.same_voice(a, b):
            return self.shift(a, b)
        numeric = self.numeric(a, b)
        best = self._score(a, b, numeric) if self._directed(a, b) else None
        if self._directed(b, a):
            other = self._score(b, a, numeric)
            if other is not None and (best is None or other.score > best.score):
                best = other
        if best is None:
            best = numeric
        if best is None or best.score < self.min_score:
            # ("all residents had received adequate notice", an official's denial, against "There
            # was no letter, no meeting": what was lacking, not the weak denial, is the conflict.)
            lack = self.lacking(a, b) or self.lacking(b, a)
            if lack is not None and (best is None or lack.score > best.score):
                best = lack
        return best

    def lacking(self, a: Claim, b: Claim) -> Candidate | None:
        """a, not speaking for the state, says there was none of a thing ("no lawyer has been
        allowed to see him", "evicted without notice", "learned of his arrest from the news") that
        b, an official, says there was ("was represented by a state-appointed lawyer", "had
        received adequate notice", "his family had been informed"); or that what b calls it was a
        pretext ("an intimidation operation dressed up as a drug inspection" against "a routine
        inspection")."""
        if (b.negative and b.features.negated) or self.facts.role_class(b) != "official" \
                or self.facts.role_class(a) == "official":
            return None
        met = self.lack_met(a, b)
        if met is None:
            return None
        ground, connections = self.linker.ground(a, b)
        if self.reports_shared(a, b):
            ground = max(ground, SAME_REPORT + 0.2)
        if ground < MIN_LINK:
            return None
        cue_a, cue_b = met
        shown = list(dict.fromkeys(n for c in connections for n in c[:2] if n and not n.startswith("w:")))
        score = ground * 0.9 * (0.85 if b.features.hedged else 1.0)
        return Candidate(a, b, "polarity", round(min(1.0, score), 3), cue_a, cue_b, shown or [cue_b], len(shown))

    def lack_met(self, a: Claim, b: Claim) -> tuple[str, str] | None:
        """b speaks of a thing (or its kin: "notice", "warned") that a says there was none of, or
        not yet, or calls a pretext: the words of each saying so, or None."""
        fa = a.features
        denied = fa.lacks or fa.pretext
        if not denied:
            return None
        kin = LEXICON.lacked_kin
        tokens_b = self.tokens(b)[0]
        shared = [s for s in denied if s not in b.features.lacks
                  and (s in b.features.stems or not kin.get(s, frozenset()).isdisjoint(tokens_b))]
        if not shared:
            return None
        word = next((t for t in self.tokens(a)[0] if t[:5] == shared[0]), shared[0])
        if shared[0] in fa.pending:
            cue_a = fa.pending_cue or word
        else:
            cue_a = ("no " + word) if fa.lacks else (fa.pretext_cue or word)
        meant = kin.get(shared[0], frozenset())
        cue_b = next((t for t in tokens_b if t[:5] == shared[0] or t in meant), shared[0])
        return cue_a, cue_b

    @staticmethod
    def _directed(a: Claim, b: Claim) -> bool:
        """Could a rule with a on the denying side fire?"""
        fa = a.features
        return b.positive and (a.negative or bool(fa.existential or fa.agency_denied)
                               or bool(fa.cause and a.stance in ("affirmation", "other")))

    def same_harm(self, a: Claim, b: Claim) -> list | None:
        """A denial and an account of the act it denies, in one report ("no signs of violence",
        "repeated blows with a blunt object"), whatever events an extractor made of them: the
        connection to show, or None."""
        if not a.negative or not self.reports_shared(a, b):
            return None
        # An outcome ("he could not stand") meets a denial of harm, not one of what someone did.
        acts = self.names_agent(a) or bool(a.features.agency_denied)
        shared = sorted(self.kinds_named(a) & self.kinds_named(b, acts=acts))
        if not shared:
            return None
        return [("", "w:" + shared[0].replace("_", " "), SAME_HARM, "the same harm in the report")]

    def same_damage(self, a: Claim, b: Claim) -> list | None:
        """A denial that things were damaged and an account of damaging them (or some of them),
        in one report ("any equipment had been damaged", "They smashed two cameras"): the
        connection to show, or None."""
        if not a.negative or not self.reports_shared(a, b) or not self.same_act(a, b):
            return None
        within = LEXICON.things_within
        things_a, things_b = self.things(a), self.things(b)
        shared = sorted(things_a & things_b & within.keys() | {
            x for x in things_a for y in things_b if y in within.get(x, ()) or x in within.get(y, ())})
        if not shared:
            return None
        return [("", "w:" + shared[0], SAME_HARM, "the same damage in the report")]

    def same_death(self, a: Claim, b: Claim) -> list | None:
        """Two accounts of what caused the harm a report is about: a cause denied against a cause
        given ("cannot be explained by a fall" and "died of heart failure"), or a cause an
        official gives against an account of harm done ("cites heart failure" and "was beaten to
        death"), in one report: the connection to show, or None."""
        fa, fb = a.features, b.features
        if not fa.cause or b.negative or not self.reports_shared(a, b):
            return None
        if a.negative and fb.cause:
            if not _same_cause(a, b):
                return None
            return [("", "w:the cause", SAME_HARM, "the same harm in the report")]
        official = self.facts.role_class(a) == "official" and self.facts.role_class(b) != "official"
        if not a.negative and official and fb.harm_act and self.kinds_named(b):
            return [("", "w:the cause", SAME_HARM, "the same harm in the report")]
        return None

    def framed_as_rejection(self, claim: Claim) -> bool:
        """The words around the statement ("denied that", "dismissed as") reject what it says."""
        return bool((claim.cue and features(claim.cue).rejects) or (claim.frame and features(claim.frame).rejects))

    def same_figure(self, a: Claim, b: Claim) -> bool:
        """a's words or sentence give the very number b gives ("called the figure of 3,000
        homeless an exaggeration" and "More than 3,000 people were left homeless")."""
        if not b.features.counts:
            return False
        figures = self._cached("figures", a, lambda: frozenset(
            c.low for c in (*a.features.counts, *(features(a.frame).counts if a.frame else ()))))
        if not figures or not any(c.low in figures or c.high in figures for c in b.features.counts):
            return False
        # The number must count the same kind of thing: "the reported 100 men apprehended" is
        # not "more than 100 people have left".
        kinds_a = self._cached("framed kinds", a, lambda: _kinds_in(" ".join(filter(None, (a.text, a.frame)))))
        return not kinds_a or bool(kinds_a & self._cached("all kinds", b, lambda: _kinds_in(b.text)))

    def _score(self, a: Claim, b: Claim, numeric: Candidate | None) -> Candidate | None:
        fa, fb = a.features, b.features
        ground, connections = self.linker.ground(a, b)
        if a.negative and ground < SAME_FIGURE and self.same_figure(a, b):
            ground, connections = SAME_FIGURE, [("", "w:the figure", SAME_FIGURE, "the same figure")]
        if fa.rejects and b.speaker and ground < OWN_ACCOUNT and (self.rejects_accounts_of(a, b.speaker)
                                                                  or self.rejects_testimony(a, b)):
            # "The migrants' accounts were fiction" against what the migrants say.
            ground, connections = OWN_ACCOUNT, [(b.speaker, b.speaker, OWN_ACCOUNT, "their own account")]
        if fa.rejects and ground < SAME_HARM and not fb.relayed:
            events = self.facts.events
            campaign = [t for t in self.campaigns(b) if t in a.about or (not a.about and any(
                self.linker.link(x, t)[1].startswith("part of") for x in a.context if x in events))]
            if campaign:
                # "denied the reports" of a campaign against a report of it (not a relay of
                # reports): the rejection is of the whole campaign, which the weak link of
                # sharing one (0.5) understates. A rejection naming nothing itself ("called the
                # reports [of 100 men apprehended] nonsense") rejects what its sentence reports:
                # when that is part of the campaign, the campaign.
                ground, connections = SAME_HARM, [(campaign[0], campaign[0], SAME_HARM, "the campaign reported")]
        if fa.own_conduct and b.stance in ("accusation", "testimony") and ground < SAME_HARM \
                and self.names_speaker_of(a, b):
            # "denied wrongdoing" against an accusation of what the speaker did.
            ground, connections = SAME_HARM, [(a.speaker, a.speaker, SAME_HARM, "what they are accused of")]
        same_harm = self.same_harm(a, b) or self.same_death(a, b) or self.same_damage(a, b)
        if same_harm and ground < SAME_HARM:
            ground, connections = SAME_HARM, same_harm
        kinds = fa.kinds or (features(a.frame).kinds if fa.existential and a.frame else ())
        if fa.existential and not a.positive and b.positive and kinds:
            return self.kind_denied(a, b, kinds, ground, connections)
        if ground <= 0 and numeric is None:
            return None
        b_targets = {tb for _, tb, _, _ in connections}
        n_events = sum(1 for t in b_targets if t in self.facts.events)
        names = [c[0] for c in connections] + [c[1] for c in connections]
        shown = list(dict.fromkeys(n for n in names if n and not n.startswith("w:"))) or \
            [c[1][2:] for c in connections]
        role = self.role_factor(a, b)
        if role < 1.0 and self.facts.role_class(a) == "official" and self.names_speaker_of(a, b, by_part=True):
            role = 1.0  # another official says the denier's own body did it ("held by the State Security Service")

        def make(basis: str, score: float, cue_a: str, cue_b: str, detail: str = "") -> Candidate:
            return Candidate(a, b, basis, round(min(1.0, score), 3), cue_a, cue_b, shown, len(b_targets), detail,
                             n_events=n_events)

        if fa.existential and not a.positive and b.positive and ground > 0:
            direct = {t for t in a.about & b.about if t in self.facts.topics or t in self.facts.actors}
            if self.names_event(fa.existential, a):
                direct = set()  # "has not detained anyone": the event must be named on the other side
            if direct or self.trigger(b) or b.features.counts or self.kinds_negated(a) & self.kinds_named(b):
                # A person or kind of people, or an event b names in its own words (or the kind of
                # harm denied: "has not detained anyone", "Holding a person in secret for 12 days").
                g = 1.0 if direct else ground * 0.8
                return make("existence", g * self.assertion(b) / _STANCE_STRENGTH.get(b.stance, 1) * role
                            * self.one_against_many(a, b),
                            fa.existential, self.keyed(b))
        if fa.agency_denied and not a.positive and b.positive and ground > 0:
            agent = self.agent_named(b, connections, state=fa.state_agent)
            if agent is not None:
                if fa.state_agent and b.speaker and self.is_state(b.speaker):
                    role = 1.0  # "no state body was involved", and a state body says it did it
                # Cleared of one harm ("no link between that death and officers"), named for
                # another ("violence by officers, including beatings"): not the same charge.
                other_harm = 1.0 if _kinds_meet(self.kinds_named(a), self.kinds_named(b)) else 0.5
                return make("responsibility", ground * self.assertion(b) * role * other_harm,
                            fa.agency_denied, self.keyed(b), agent)
        if fa.cause and a.stance in ("affirmation", "other") and b.stance in ("accusation", "testimony") \
                and fb.harm_act and ground > 0 and not self.cause_of_others(a):
            return make("responsibility", ground * self.assertion(b) * role, fa.cause,
                        fb.harm_act or "", "cause")
        if numeric is not None:
            return numeric
        if a.negative and b.positive and ground > 0:
            focus = self.focus(a)
            if focus:
                ground, connections = self.linker.ground(a, b, focus)
                if ground <= 0:
                    return None
                if all(c[3].startswith("related") for c in connections):
                    # The denial names its harm ("mistreated"); b speaks only of another kind
                    # ("released", "detained"): a related harm, not the one denied.
                    ground *= 0.6
            if same_harm and ground < SAME_HARM:
                ground, connections = SAME_HARM, same_harm
            score = ground * self.denial_strength(a, b) * self.assertion(b) * role
            if fa.own_conduct and not self.names_speaker_of(a, b):
                score *= 0.5  # denies its own wrongdoing: meets only what is said of the speaker
            if self.facts.role_class(a) == self.facts.role_class(b) == "official" \
                    and not (self.trigger(b) or fb.harm_act or (fb.counts and self.names_harm(b))
                             or self.names_speaker_of(a, b)
                             or (self.kinds_named(a) & self.kinds_named(b) and self.names_harm(b) and not fb.negated)):
                score *= 0.7  # one official against another who asserts no harm ("authorised and lawful")
            if fb.zero and not self.names_harm(b):
                score *= 0.5  # b says there was none of something else ("None has been charged")
            if fb.counts and all(c.scope == "period" for c in fb.counts) \
                    and not any(c.scope == "period" for c in fa.counts) and self.about_one_person(a) \
                    and not (a.about & b.about & self.facts.actors.keys()):
                score *= 0.6  # a denial about one person against a tally of many over a period
            if not (self.trigger(b) or fb.harm_act or fb.counts or self.names_harm(b)):
                if fb.lacks:
                    score *= 0.5  # b tells only of what was lacking ("There was no letter"): no harm to deny
                elif not (fa.negated or self.framed_as_rejection(a)):
                    # a denies only by implication ("most of them were unoccupied") and b names
                    # no harm ("We are against being treated like rubbish"): they need not conflict.
                    score *= 0.7
            if fb.private_agent and self.facts.role_class(a) == "official":
                score *= 0.6  # the state denies; b's harm was done by others ("by a vigilante mob")
            if fa.rejects and b.stance != "testimony" and self.only_checks(a):
                # A case not opened for lack of evidence ("refused to initiate criminal proceedings
                # due to lack of evidence") answers a complaint: the victim's own account, not
                # others' reports of many ("37 people reported torture").
                score *= 0.6
            denied, asserted = self.kinds_named(a), self.kinds_named(b)
            if denied and asserted and not denied & asserted and not fb.harm_act and not _same_cause(a, b):
                score *= 0.5  # denies one kind of harm ("no injuries"), b speaks of another ("died")
            elif denied and not asserted and not fb.harm_act and not (fa.cause and fb.cause):
                # denies a kind of harm; b names none ("three guards took him out of the cell",
                # "the family were not allowed to see the body")
                score *= 0.75
            elif denied and not self.kinds_named(a, acts=True) and fb.harm_act \
                    and not denied & self.kinds_named(b, acts=True):
                score *= 0.5  # denies an outcome ("No one was injured"); b's act causes none ("forced to sign")
            score *= self.one_against_many(a, b)
            if self.names_agent(a) and not fb.harm_act and not self.kinds_named(b, acts=True):
                score *= 0.6  # denies what someone did ("harmed by our officers"); b tells only of injuries
            if fa.cause and not fb.cause:
                score *= 0.4  # denies a cause ("not a fall"): meets only a statement giving one
            elif fb.cause and not fa.cause and self.kinds_named(a, acts=True) and not fb.harm_act:
                # denies violence; b's injuries have another cause ("abrasions compatible with a
                # fall"): they need not conflict (a denial of any injuries does)
                score *= 0.6
            return make("polarity", score, self.keyed(a), self.keyed(b))
        return None

    def cause_of_others(self, claim: Claim) -> bool:
        """An independent voice tells of a cause others gave ("the authorities had attributed more
        than half of those deaths to natural causes"): not its own."""
        return self.facts.role_class(claim) == "independent" and bool(LEXICON.attributing.search(self.folded(claim)))

    def only_checks(self, claim: Claim) -> bool:
        """The events a claim is about itself are only the checking of reports (an inquiry, a
        criminal case), no harm: the harm it answers is only around it."""
        def compute():
            events = [self.facts.events[t] for t in claim.about if t in self.facts.events]
            return bool(events) and all(e.event_type not in HARM_TYPES for e in events)
        # Once a claim: one printed across a corpus is about the events of every report of it
        # (thousands at 100,000 articles), and this was asked again for every pair it was in.
        return self._cached("only checks", claim, compute)  # type: ignore[return-value]

    def one_against_many(self, a: Claim, b: Claim) -> float:
        """A denial about one person ("denied knowing where he was") against a count of many
        others ("at least five were held for several days"), not naming that person: weak."""
        people = [c for c in b.features.counts if c.thing is None]  # ("six ribs" count no one)
        if not people or not all(c.low >= 2 for c in people) or not self.about_one_person(a):
            return 1.0
        actors = self.facts.actors
        if any(actors[t].actor_type == "Person" for t in a.about & b.about if t in actors):
            return 1.0
        return 0.6

    def folded(self, claim: Claim) -> str:
        return self._cached("folded", claim, lambda: fold(claim.text))  # type: ignore[return-value]

    def names_agent(self, claim: Claim) -> bool:
        """The claim speaks of what someone did ("harmed by our officers", "the use of force")."""
        return self._cached("agent", claim, lambda: bool(_NAMES_AGENT.search(self.folded(claim))))  # type: ignore[return-value]

    def about_one_person(self, claim: Claim) -> bool:
        """The claim speaks of one person: a named person it is about, or a singular pronoun."""
        def compute():
            actors = self.facts.actors
            if any(t in actors and actors[t].actor_type == "Person" and not actors[t].collective for t in claim.about):
                return True
            return bool(_ONE_PERSON.search(self.folded(claim)))
        return self._cached("one person", claim, compute)  # type: ignore[return-value]

    def names_speaker_of(self, a: Claim, b: Claim, *, by_part: bool = False) -> bool:
        """b is about a's speaker (or a body it speaks for), or names them; with by_part=True
        two words of a name in a row will do, the second also in the plural ("in security service
        custody" names the State Security Service of Mirestan, "border guards" the State Border
        Guard)."""
        speaker = a.speaker
        if speaker is None:
            return False
        bodies = {speaker, *self.facts.affiliations.get(speaker, ())}
        if bodies & b.about:
            return True
        text = self.folded(b)
        if any(self.folded_name(x) in text for x in bodies):
            return True
        if by_part:
            joined = " " + " ".join(self.tokens(b)[0]) + " "
            for body in bodies:
                name = words(self.facts.actor_name(body))
                if any(f" {x} {y} " in joined or f" {x} {y}s " in joined for x, y in zip(name, name[1:])
                       if x not in LEXICON.stopwords and y not in LEXICON.stopwords):
                    return True
        return False

    def folded_name(self, actor_id: str) -> str:
        """An actor's name folded as claims' texts are (asked for each pair a speaker is in)."""
        found = self._folded_names.get(actor_id)
        if found is None:
            found = self._folded_names[actor_id] = fold(self.facts.actor_name(actor_id))
        return found

    def campaigns(self, claim: Claim) -> tuple[str, ...]:
        """The campaigns (umbrella events) a claim is about, sorted; once a claim, since a claim
        printed across a corpus is about the events of every report of it."""
        events = self.facts.events
        return self._cached("campaigns", claim, lambda: tuple(sorted(  # type: ignore[return-value]
            t for t in claim.about if t in events and events[t].event_type in UMBRELLA_TYPES)))

    def rejects_accounts_of(self, a: Claim, speaker: str) -> bool:
        """a rejects what it says the speaker (or a group the speaker belongs to, or its group's
        group) reported: it is about them or names them ("the migrants' accounts")."""
        affiliations = self.facts.affiliations
        groups = {speaker, *affiliations.get(speaker, ())}
        groups |= {g for x in list(groups) for g in affiliations.get(x, ())}
        if groups & a.about:
            return True
        text = self.folded(a)
        return any(len(name) > 3 and name in text for name in map(self.folded_name, groups))

    def rejects_testimony(self, a: Claim, b: Claim) -> bool:
        """a rejects people's accounts ("the migrants' accounts were fiction", "accounts that the
        agency dismissed as fiction") and b is the testimony, in the same report, of a person who
        speaks for no organisation (one of a group of people will do): one of those accounts."""
        actors = self.facts.actors
        speaker = actors.get(b.speaker or "")
        if b.stance != "testimony" or speaker is None or speaker.actor_type != "Person" \
                or any(x not in actors or actors[x].actor_type != "Person" for x in self.facts.affiliations.get(speaker.id, ())) \
                or self.facts.role_class(b) == "official" \
                or not self.reports_shared(a, b) \
                or not (self.names_harm(b) or any(t in self.facts.events for t in b.targets)):
            return False  # (an account of what happened: "the family did not believe it" is none)
        return bool(LEXICON.accounts.search(self.folded(a)) or (a.frame and LEXICON.accounts.search(fold(a.frame))))

    def kind_denied(self, a: Claim, b: Claim, kinds: tuple[str, ...], ground: float,
                    connections: list) -> Candidate | None:
        """An existence denial naming a kind of people ("no gays") meets only a statement naming
        that kind in its own words (not in the name of an organisation it mentions, nor as what
        people were "suspected of"); in one report, or sharing other words, that alone is ground."""
        text = fold(b.text)
        for target in b.targets:
            actor = self.facts.actors.get(target)
            if actor is not None:
                text = text.replace(fold(actor.name), " ")
        text = LEXICON.not_attesting.sub(" ", text)
        shared = [k for k in kinds if k in kinds_named(words(text))]
        if not shared:
            return None
        direct = {t for t in a.about & b.about if t in self.facts.topics or t in self.facts.actors}
        if direct:
            ground = 1.0
        elif a.frame is None and b.frame is None:
            ground *= 0.8  # curated links: the kind alone adds nothing to them
        elif self.reports_shared(a, b):
            ground = max(ground, KIND_IN_REPORT)  # extracted: the kind in one report is the ground
        elif set(a.features.content).intersection(b.features.content):
            ground = max(ground, KIND_IN_REPORT - 0.1)
        if ground <= 0:
            return None
        shown = list(dict.fromkeys(n for c in connections for n in c[:2] if n and not n.startswith("w:")))
        score = ground * self.assertion(b) / _STANCE_STRENGTH.get(b.stance, 1) * self.role_factor(a, b)
        return Candidate(a, b, "existence", round(min(1.0, score), 3), a.features.existential or "",
                         self.keyed(b), shown or [shared[0]], len(shown))

    def agent_named(self, b: Claim, connections: list, *, state: bool) -> str | None:
        """The agent b holds responsible for an event both speak of: a perpetrator or agent of
        it that b is about, names, or speaks for. With state=True only an agent of the state."""
        facts = self.facts
        text = fold(b.text)
        for _, tb, _, _ in connections:
            for ta in (tb,):
                event = facts.events.get(ta)
                if event is None:
                    continue
                for actor_id in sorted(event.parties("perpetrator") | event.parties("agent")):
                    actor = facts.actors.get(actor_id)
                    if actor is None or (state and not self.is_state(actor_id)):
                        continue
                    speaks_for = b.speaker == actor_id or actor_id in facts.affiliations.get(b.speaker or "", ())
                    if actor_id in b.about or speaks_for or fold(actor.name) in text:
                        return actor.name
        if state and (self.trigger(b) or self.names_harm(b)) and not b.features.cause:
            # (A statement giving a cause, "he had died in his sleep", tells of harm done by no one.)
            # Events an extractor read carry no perpetrators: the state acknowledging the harm
            # itself ("was detained lawfully", said for the security service), or a statement
            # naming an agent of the state beside the harm ("held by the State Security Service").
            # An official acknowledging only an outcome ("an investigation into both deaths")
            # says nothing of who caused it.
            if b.speaker and b.negative is False and self.is_state(b.speaker) and b.stance == "affirmation" \
                    and (b.features.harm_act or self.kinds_named(b, acts=True)):
                return facts.actor_name(b.speaker)
            found = _BY_STATE_AGENT.search(text) or self._state_agent_acting(text)
            if found:
                return found.group(1)
        return None

    @staticmethod
    def _state_agent_acting(text: str) -> re.Match | None:
        """An agent of the state as the subject of a harmful act, among the first words ("three
        guards took Salcedo out of the cell"), not of some other verb ("prison officials had
        first told them")."""
        found = _STATE_AGENT_FIRST.search(text)
        if found is None:
            return None
        after = words(text[found.end():])[:3]
        return found if has_stem(after, " ".join(after), KIND_ACT_STEMS) else None

    def is_state(self, actor_id: str) -> bool:
        facts = self.facts
        actor = facts.actors.get(actor_id)
        if actor is None:
            return False
        if actor.actor_type == "GovernmentBody" or set(actor.roles) & {"official", "spokesperson", "leader"}:
            return True
        if any(facts.actors.get(x) is not None and facts.actors[x].actor_type == "GovernmentBody"
               for x in facts.affiliations.get(actor_id, ())):
            return True
        return _names_state_agents(actor.name)

    def numeric(self, a: Claim, b: Claim) -> Candidate | None:
        if a.negative and b.negative:
            return None  # two denials do not count against each other
        fa, fb = a.features, b.features
        if not (fa.counts or fa.zero) or not (fb.counts or fb.zero):
            return None  # (the common case, answered without reading counts per event)
        ca, cb = self.counts_by_key(a), self.counts_by_key(b)
        best = None
        for key in sorted(set(ca) & set(cb)):
            for x in ca[key][1]:
                for y in cb[key][1]:
                    if x.comparable(y) and x.disjoint(y):
                        gap = x.gap(y)
                        strength = min(1.0, 0.75 + 0.25 * math.log10(max(gap, 1.0)))
                        if best is None or strength > best[0]:
                            best = (strength, ca[key][0], x, y)
        if best is None:
            return self.same_things(a, b)
        strength, event_id, x, y = best
        factor = min(self.assertion_or_denial(a, b), self.assertion_or_denial(b, a))
        label = self.facts.target_label(event_id)
        return Candidate(a, b, "numeric", round(min(1.0, strength * factor), 3), x.text, y.text,
                         [event_id], 1, f"{x.text} against {y.text} for {label}", quoted=True)

    def same_things(self, a: Claim, b: Claim) -> Candidate | None:
        """Two statements of one report counting the same things ("a single body had been
        recovered", "two bodies had been recovered"), or things and some of them ("412 structures
        had been removed", "destroyed about 640 homes"), where no event ties the counts: the
        things (not people, whom many events count) and the words around them (another word in
        common, or words for one act on things) decide."""
        if not self.reports_shared(a, b):
            return None
        shared = set(a.features.stems) & set(b.features.stems)
        within = LEXICON.things_within
        for x in a.features.counts:
            for y in b.features.counts:
                if not x.thing or not y.thing or x.scope != y.scope:
                    continue
                if x.thing == y.thing:
                    conflict = x.disjoint(y) and (len(shared - {x.thing[:5]}) >= 1 or self.same_act(a, b))
                elif y.thing in within.get(x.thing, ()):
                    conflict = x.high < y.low and self.same_act(a, b)  # fewer in all than some of them
                elif x.thing in within.get(y.thing, ()):
                    conflict = y.high < x.low and self.same_act(a, b)
                else:
                    conflict = False
                if conflict:
                    factor = min(self.assertion_or_denial(a, b), self.assertion_or_denial(b, a))
                    things = x.thing if x.thing == y.thing else f"{x.thing}s and {y.thing}s"
                    return Candidate(a, b, "numeric", round(min(1.0, 0.85 * factor), 3), x.text, y.text,
                                     [], 0, f"{x.text} against {y.text}, the {things} counted in the report",
                                     quoted=True)
        for x in a.features.counts:
            for y in b.features.counts:
                dead_b, dead_a = _fewer_dead(x, y, self.folded(b)), _fewer_dead(y, x, self.folded(a))
                if dead_a or dead_b:
                    # "a single body had been recovered": one dead, in the speaker's words, against
                    # "two men in their group drowned".
                    factor = min(self.assertion_or_denial(a, b), self.assertion_or_denial(b, a))
                    cue_a, cue_b = (_with_thing(x), dead_b) if dead_b else (dead_a, _with_thing(y))
                    return Candidate(a, b, "numeric", round(min(1.0, 0.75 * factor), 3), cue_a, cue_b, [], 0,
                                     f"{cue_a} against {cue_b}: the dead counted in the report", quoted=True)
        return None

    def same_act(self, a: Claim, b: Claim) -> bool:
        """Both name one act done to things ("removed", "destroyed"): lexicon counts.acts_on_things."""
        return not self.acts_on_things(a).isdisjoint(self.acts_on_things(b))

    def acts_on_things(self, claim: Claim) -> frozenset[int]:
        """The groups of words for acts on things (counts.acts_on_things) the claim uses."""
        return self._cached("acts on things", claim, lambda: frozenset(  # type: ignore[return-value]
            i for i, p in enumerate(LEXICON.acts_on_things) if p.search(self.folded(claim))))

    def things(self, claim: Claim) -> frozenset[str]:
        """The claim's content words in the singular ("cameras": "camera")."""
        return self._cached("things", claim, lambda: frozenset(  # type: ignore[return-value]
            singular(w) for w in claim.features.content))

    def counts_by_key(self, claim: Claim) -> dict[str, tuple[str, list[Count]]]:
        """The claim's counts by event, extracted mentions of one kind in one report taken as one
        event: key -> (an event id, the counts)."""
        def compute():
            out: dict[str, tuple[str, list[Count]]] = {}
            for event_id, counts in self.counts(claim).items():
                event = self.facts.events[event_id]
                key = "|".join((*event.articles, event.event_type or "?")) if event.mention else event_id
                if key in out:
                    out[key][1].extend(counts)
                else:
                    out[key] = (event_id, list(counts))
            return out
        return self._cached("counts by key", claim, compute)  # type: ignore[return-value]

    def assertion_or_denial(self, claim: Claim, other: Claim) -> float:
        if claim.negative:
            return self.denial_strength(claim, other)
        return self.assertion(claim) / _STANCE_STRENGTH.get(claim.stance, 0.85)

    def shift(self, a: Claim, b: Claim) -> Candidate | None:
        """The same speaker on both sides: a contradiction only if the position changed over
        time, i.e. both are dated and the dates differ. Without dates, or on the same day, a
        speaker's two statements are taken as one position (a finding and its grounds), unless
        one says an event did not happen and the other that it did (a reversal)."""
        if a.dated != b.dated or not dates_differ(a.date, b.date):
            # An undated statement falls back on its article's date, which only bounds when it
            # was said: it is compared in time with another undated one only.
            return self.reversal(a, b)
        first, second = (a, b) if _cmp(a.date or "", b.date or "") < 0 else (b, a)
        numeric = self.numeric(first, second)
        if numeric is not None:
            numeric.basis = "shift"
            numeric.detail = "changed count: " + numeric.detail
            return numeric
        if second.positive and not second.negative and not first.features.lacks:
            met = self.lack_met(second, first) if second.features.pending else None
            if met is not None:
                # "every affected household has been compensated", then "payments to some families
                # were still being processed": what was done is, later, not done yet. (The other
                # way round is progress, not a change of position.)
                return Candidate(first, second, "shift", 0.8, met[1], met[0], [met[1]], 0,
                                 f"{first.date} then {second.date}")
        neg = [c for c in (a, b) if c.negative or c.features.existential or c.features.zero]
        pos = [c for c in (a, b) if c.positive and c not in neg]
        if len(neg) != 1 or len(pos) != 1:
            return None
        ground, connections = self.linker.ground(neg[0], pos[0])
        # (Extracted statements: also the events around them, "We have no information about his
        # whereabouts" and "was detained lawfully" in one story.)
        direct = neg[0].targets & pos[0].targets
        if not direct or ground < 0.5:
            return self.reversal(a, b)  # "has not detained anyone", then "was detained lawfully"
        shown = sorted(direct)
        score = ground * 0.95 * (0.75 if pos[0].features.hedged else 1.0)
        return Candidate(first, second, "shift", round(min(1.0, score), 3), self.keyed(first), self.keyed(second),
                         shown, len(shown), f"{first.date} then {second.date}")

    def reversal(self, a: Claim, b: Claim) -> Candidate | None:
        """The same voice says that no one was harmed in a way, or that it harmed no one ("No
        one was detained", "has not detained anyone"), and, not as a hedge, that some were
        harmed in that very way ("14 people had been temporarily held"): a change of position
        even without dates. A rejected report ("not confirmed") against the report's grounds is
        not one: that is a finding and what it was about; nor is what happened in an earlier
        period ("informal returns earlier this year") against a denial of what happens now."""
        neg = [c for c in (a, b) if _negates_event(c)]
        pos = [c for c in (a, b) if c.positive and not c.negative and not c.features.hedged and c not in neg]
        if len(neg) != 1 or len(pos) != 1 or neg[0].features.distinction:
            return None
        if LEXICON.earlier.search(self.folded(pos[0])) and not LEXICON.earlier.search(self.folded(neg[0])):
            return None
        denied, asserted = self.kinds_negated(neg[0]), self.kinds_named(pos[0])
        shared = sorted(denied & asserted)
        if not shared:
            return None
        first, second = neg[0], pos[0]
        # The same kind of harm is not yet the same harm: a spokeswoman who says there were no
        # detentions in one town that night, and in another article that 29 people were briefly
        # held in another town, has not reversed herself. Said in one report, the two are taken
        # as about the same harm; across reports they must be linked (the same event, place ...).
        # (The generated 10,000-article corpus: 7,379 reversals across reports, none linked.)
        if not common_reports(first.articles, second.articles) \
                and self.linker.ground(first, second)[0] < REVERSAL_GROUND:
            return None
        return Candidate(first, second, "shift", 0.8, self.keyed(first), self.keyed(second), [],
                         0, "reversal")

    def kinds_named(self, claim: Claim, *, acts: bool = False) -> frozenset[str]:
        """The kinds of harm a claim's words name; with acts=True only by words for the act
        ("beaten", "arrest"), not for its outcome ("injuries": they do not say who did them).
        Kept per claim: _harm_kinds's own cache, by text, is smaller than a corpus's claims."""
        return self._cached("act kinds" if acts else "harm kinds", claim,  # type: ignore[return-value]
                            lambda: _harm_kinds(claim.text, acts))

    def kinds_negated(self, claim: Claim) -> frozenset[str]:
        """The kinds of harm a claim says did not happen: those named by its negating phrase and
        the three words after it ("no one was detained", "has not detained anyone")."""
        def compute():
            f = claim.features
            phrase = f.existential or f.zero or f.event_negated or ""
            folded = fold(claim.text)
            tokens = words(phrase) + words(folded.split(phrase, 1)[-1])[:3]
            joined = " ".join(tokens)
            return frozenset(k for k in HARM_TYPES if k not in UMBRELLA_TYPES
                             and has_stem(tokens, joined, KIND_STEMS.get(k, ())))
        return self._cached("negated kinds", claim, compute)  # type: ignore[return-value]

    def keyed(self, claim: Claim) -> str:
        """The word or phrase the detector keyed on in a claim (quoted around when explained)."""
        f = claim.features
        return ((f.denial_cue or f.ceased) if claim.negative else (self.trigger(claim) or f.harm_act)) or ""

    # --- the run ---

    def run(self) -> list[Candidate]:
        """Every pair kept, strongest first."""
        found = [c for chunk in self.stream() for c in chunk]
        found.sort(key=_order)
        return found

    def stream(self) -> Iterator[list[Candidate]]:
        """The pairs kept, in chunks as they become final, so that a caller can write them and
        let them go: every pair of an anchor has been scored once its turn is over (a pair of two
        anchors is scored at the turn of the first), so its pairs as the denying side are final
        then. Pairs whose denying side is no anchor (a shift) come last."""
        # The run makes millions of short-lived objects and no reference cycles: the cyclic
        # collector would only rescan the ever larger heap (a cost that grows with n squared).
        with cycle_collector_paused():
            folder = Folder()
            # One tuple for each ground the pairs kept share: two pairs in five repeat one at
            # 10,000 articles, and the grounds were over half of what the kept pairs held.
            grounds: dict[tuple[str, ...], tuple[str, ...]] = {}
            for anchor, others in self.candidates():
                for other in others:
                    candidate = self.score(anchor, other)
                    if candidate is not None:
                        self.stats["pairs scored"] += 1
                        if candidate.score >= self.min_score:
                            ground = tuple(candidate.ground)
                            candidate.ground = grounds.setdefault(ground, ground)
                            folder.add(candidate)
                done = folder.pop(anchor.index)
                if done:
                    yield done
            rest = folder.result()
            if rest:
                yield rest


# A denial of what someone did: "harmed by our officers", "the use of force".
_NAMES_AGENT = re.compile(r"\bforce\b|\bby (?:our |the |its |their )?(?:[\w'-]+ ){0,2}?(?:officers?|police|staff|guards?|"
                          r"soldiers?|agents?)\b")
_ONE_PERSON = re.compile(r"\b(?:he|him|his|she|her|by that name)\b|" + LEXICON.one_person.pattern)
# "held by the State Security Service", "beaten by police": an agent of the state as the doer.
_BY_STATE_AGENT = re.compile(r"\bby (?:the )?(?:[\w'-]+ ){0,3}?(" + LEXICON.state_agent.pattern + ")")
# "three guards took Salcedo out of the cell", "Velmaran officers routinely used unmarked vans": an
# agent of the state as the subject, among the first words of the statement.
# The words for a harmful act of any kind, "took" (a detention) among them; not its outcome.
KIND_ACT_STEMS = tuple(sorted({s for k in HARM_TYPES for s in EVENT_TRIGGERS.get(k, ()) if s not in LEXICON.outcomes}))
_STATE_AGENT_FIRST = re.compile(r"^\W*(?:[\w'-]+ ){0,2}?(" + LEXICON.state_agent.pattern + ")")


def _stems_pattern(stems) -> re.Pattern | None:
    """One pattern doing what has_stem does on the joined words: a single-word stem matches the
    start of a word, a phrase anywhere."""
    parts = [r"\b" + re.escape(stem) if " " not in stem else re.escape(stem) for stem in stems]
    return re.compile("|".join(parts)) if parts else None


# Per kind of event: the pattern of the words that name it, and of those that name the act
# rather than its outcome (LEXICON.outcomes).
_KIND_PATTERNS = {kind: _stems_pattern(stems) for kind, stems in KIND_STEMS.items()}
_ACT_PATTERNS = {kind: _stems_pattern([s for s in stems if s not in LEXICON.outcomes])
                 for kind, stems in KIND_STEMS.items()}


@lru_cache(maxsize=MEMO_SIZE)
def _harm_kinds(text: str, acts: bool) -> frozenset[str]:
    # A cause given for a death ("a heart attack") names no kind of harm.
    joined = " ".join(t for t in words(LEXICON.cause.sub(" ", fold(text))) if t not in LEXICON.not_naming)
    patterns = _ACT_PATTERNS if acts else _KIND_PATTERNS
    kinds = frozenset(k for k in HARM_TYPES if k not in UMBRELLA_TYPES
                      and (pattern := patterns.get(k)) is not None and pattern.search(joined))
    return kinds | (_harm_kinds(text, False) if acts and features(text).harm_act else frozenset())


@lru_cache(maxsize=MEMO_SIZE)
def _causes(text: str) -> frozenset[str]:
    """The kinds of cause of harm a text gives or denies ("heart", "fall")."""
    return frozenset(LEXICON.cause_kind.get(m.group(0), m.group(0)) for m in LEXICON.cause.finditer(fold(text)))


def _same_cause(a: Claim, b: Claim) -> bool:
    """Both give or deny the very same cause: "a heart attack" and "cardiorespiratory arrest",
    "a fall" and "fallen"."""
    return bool(a.features.cause and b.features.cause and _causes(a.text) & _causes(b.text))


@lru_cache(maxsize=MEMO_SIZE)
def _kinds_in(text: str) -> frozenset[str]:
    """The kinds of event the words of a text name."""
    joined = " ".join(words(text))
    return frozenset(k for k, pattern in _KIND_PATTERNS.items() if pattern is not None and pattern.search(joined))


@lru_cache(maxsize=MEMO_SIZE)
def _names_state_agents(name: str) -> bool:
    """An actor named for agents of the state by its head noun: "Velmaran border guards", "Officers
    who raided Club Lantern" (not "Family of a police officer")."""
    tokens = words(name)
    head = next((i for i, t in enumerate(tokens) if t in _HEAD_ENDS), len(tokens))
    return head > 0 and bool(LEXICON.state_agent.fullmatch(tokens[head - 1]))


_HEAD_ENDS = frozenset({"of", "who", "that", "which", "from", "at", "in", "on", "with", "for"})


def _fewer_dead(one: Count, many: Count, many_text: str) -> str | None:
    """one is of remains, and the only ones ("a single body"); many counts more dead: its words."""
    if one.thing in LEXICON.remains and one.high == 1 and any(w in LEXICON.single for w in one.text.split()) \
            and one.scope == many.scope and many.thing not in LEXICON.remains and many.low > one.high:
        return _counts_dead(many_text, many)
    return None


def _with_thing(count: Count) -> str:
    return count.text if not count.thing or count.thing in count.text else f"{count.text} {count.thing}"


def _counts_dead(folded: str, count: Count) -> str | None:
    """The count and the few words after it, up to one saying it counts the dead ("two men in
    their group drowned", "two drowned"), or None."""
    last = count.text.split()[-1]
    position = folded.find(last)
    if position < 0:
        return None
    near = " ".join(words(count.text) + words(folded[position + len(last):])[:5])
    found = LEXICON.dead.search(near)
    return near[:found.end()] if found else None


def _kinds_meet(x: frozenset[str], y: frozenset[str]) -> bool:
    """Two sets of kinds of harm name the same harm, or kin of it (a disappearance and a
    detention), or one of them names none."""
    return not x or not y or bool(x & y) or any(frozenset((p, q)) in LEXICON.kin_types for p in x for q in y)


def _negates_event(claim: Claim) -> bool:
    f = claim.features
    return bool(f.existential or f.zero or f.event_negated)


def _distance(c: Candidate) -> float:
    if c.a.offset is None or c.b.offset is None or not common_reports(c.a.articles, c.b.articles):
        return math.inf
    return abs(c.a.offset - c.b.offset)


def _rank(c: Candidate) -> tuple:
    # Ties: the statement naming more of the events, then the one set nearest in the article.
    return (-c.score, -c.n_events, _distance(c), c.b.id)


def _order(c: Candidate) -> tuple:
    return (-c.score, c.basis, c.a.id, c.b.id)


class Folder:
    """Against one statement, keeps per opposing speaker, basis and report only the strongest
    pair; the others (the same speaker saying more against it in the same report) become its
    support. Pairs are folded as they are found, so only the hosts are held in memory, grouped
    by their denying side so that a finished side can be handed on (`pop`)."""

    def __init__(self) -> None:
        self.groups: dict[int, dict[tuple, Candidate]] = {}

    def add(self, c: Candidate) -> None:
        hosts = self.groups.get(c.a.index)
        if hosts is None:
            hosts = self.groups[c.a.index] = {}
        key = (c.b.speaker or c.b.id, c.basis, c.b.articles)
        host = hosts.get(key)
        if host is None:
            hosts[key] = c
        elif _rank(c) < _rank(host):
            c.folded = [*host.folded, host.b]
            host.folded = ()
            hosts[key] = c
        elif host.folded:
            host.folded.append(c.b)
        else:
            host.folded = [c.b]

    def pop(self, index: int) -> list[Candidate]:
        """The pairs of one denying side, taken out."""
        out = list(self.groups.pop(index, {}).values())
        for c in out:
            if c.folded:
                c.folded.sort(key=lambda claim: claim.id)
        return out

    def result(self) -> list[Candidate]:
        """Everything still held, strongest first."""
        out = [c for index in sorted(self.groups) for c in self.pop(index)]
        out.sort(key=_order)
        return out


def fold_denials(candidates: Iterable[Candidate]) -> list[Candidate]:
    """The same speaker saying the same thing twice against one opposing voice ("We don't have
    any gays", "Chechnya doesn't have those kinds of people here", against one survivor's
    account): one pair, the strongest, the other statements of that speaker in its support.
    Kept apart: other bases, other opposing speakers, other reports."""
    hosts: dict[tuple, Candidate] = {}
    for c in sorted(candidates, key=_rank):
        key = (c.a.speaker or c.a.id, c.a.articles, c.basis, c.b.speaker or c.b.id, c.b.articles)
        host = hosts.get(key)
        if host is None:
            hosts[key] = c
            continue
        host.also = [*host.also, c.a]
        known = {host.b.id, *(x.id for x in host.folded)}
        extra = [x for x in (c.b, *c.folded) if x.id not in known]
        if extra:
            host.folded = sorted({x.id: x for x in (*host.folded, *extra)}.values(), key=lambda x: x.id)
    out = list(hosts.values())
    for c in out:
        if c.also:
            c.also.sort(key=lambda claim: claim.id)
    out.sort(key=_order)
    return out


def copy_groups(facts: Facts, candidates: Iterable[Candidate]) -> list[list[Candidate]]:
    """The candidates that would be one pair if speakers of the same name were one: the same
    basis, and on each side the same words (folded) and stance from a speaker of that name (see
    Folding). Only groups of several: what fold_copies needs the stories of. A claim whose
    speaker shares a name with no other actor is its own side (its copies are in it already)."""
    ids_of: dict[str, set[str]] = defaultdict(set)
    for actor in facts.actors.values():
        ids_of[fold(actor.name)].add(actor.id)
    shared = {actor_id for ids in ids_of.values() if len(ids) > 1 for actor_id in ids}
    del ids_of
    sides: dict[int, object] = {}

    def side(claim: Claim) -> object:
        found = sides.get(claim.index)
        if found is None:
            found = sides[claim.index] = (
                (fold(facts.actor_name(claim.speaker)), fold(claim.text), claim.stance)
                if claim.speaker in shared else claim.index)
        return found

    groups: dict[tuple, list[Candidate]] = defaultdict(list)
    for c in candidates:
        if c.a.speaker in shared or c.b.speaker in shared:
            groups[(c.basis, side(c.a), side(c.b))].append(c)
    return [group for group in groups.values() if len(group) > 1]


def fold_copies(candidates: list[Candidate], groups: Iterable[list[Candidate]],
                stories: Callable[[Claim], frozenset[str]]) -> list[Candidate]:
    """The candidates, those of each group (copy_groups) whose sides are printed in the same
    stories (stories(claim): the stories of its articles) folded into the strongest of them,
    as its copies, in their order. The order of the candidates is kept."""
    known: dict[int, frozenset[str]] = {}  # claim -> its stories (a claim is in many pairs)

    def printed_in(claim: Claim) -> frozenset[str]:
        found = known.get(claim.index)
        if found is None:
            found = known[claim.index] = stories(claim)
        return found

    dropped: set[int] = set()
    for group in groups:
        same: dict[tuple[frozenset[str], frozenset[str]], list[Candidate]] = defaultdict(list)
        for c in group:
            same[(printed_in(c.a), printed_in(c.b))].append(c)
        for copies in same.values():
            if len(copies) < 2:
                continue
            copies.sort(key=_order)
            host = copies[0]
            host.copies = copies[1:]
            dropped.update(id(c) for c in host.copies)
    return [c for c in candidates if id(c) not in dropped] if dropped else candidates


def fold_redundant(candidates: Iterable[Candidate]) -> list[Candidate]:
    """The candidates folded (see Folder)."""
    folder = Folder()
    for c in candidates:
        folder.add(c)
    return folder.result()


# --- words ------------------------------------------------------------------------------------------------


def _role(claim: Claim) -> str:
    return claim.role or "unknown role"


def explain(facts: Facts, c: Candidate, support: str = "") -> str:
    a, b = c.a, c.b
    if not c.quoted:
        c.cue_a = quote_cue(a.text, a.cue, c.cue_a or None)
        c.cue_b = quote_cue(b.text, b.cue, c.cue_b or None)
        c.quoted = True
    name_a, name_b = facts.actor_name(a.speaker), facts.actor_name(b.speaker)
    who_a, who_b = f"{name_a} ({_role(a)})", f"{name_b} ({_role(b)})"
    ordered = sorted(dict.fromkeys(c.ground), key=lambda t: (t not in facts.events, t not in facts.topics))
    about = "; ".join(dict.fromkeys(facts.target_label(t) for t in ordered[:3]))
    if c.basis == "polarity":
        text = (f"{who_a} denies — “{c.cue_a}” — what {who_b} {_STANCE_VERB[b.stance]}: “{c.cue_b}”."
                f" Both are about: {about}.")
    elif c.basis == "existence":
        text = (f"{who_a} says they do not exist — “{c.cue_a}” — where {who_b} "
                f"attests to them: “{c.cue_b}”. Both are about: {about}.")
    elif c.basis == "numeric":
        text = (f"{who_a} gives “{c.cue_a}” where {who_b} gives “{c.cue_b}”: incompatible counts "
                f"({c.detail}).")
    elif c.basis == "responsibility":
        if c.detail == "cause":
            text = (f"{who_a} gives another cause — “{c.cue_a}” — where {who_b} "
                    f"{_STANCE_VERB[b.stance]} that someone did it: “{c.cue_b}”. Both are about: {about}.")
        else:
            text = (f"{who_a} denies that anyone was responsible — “{c.cue_a}” — where {who_b} "
                    f"{_STANCE_VERB[b.stance]}: “{c.cue_b}”. Both are about: {about}.")
    elif c.detail == "reversal":
        text = (f"{who_a} says both: that it did not happen — “{c.cue_a}” — and that it did — “{c.cue_b}”"
                f" (the same speaker, no change of date).")
    else:
        when_a = a.date or "undated"
        when_b = b.date or "undated"
        if c.detail.startswith("changed count"):
            text = (f"{who_a} changed position: on {when_a} “{c.cue_a}”, on {when_b} “{c.cue_b}” "
                    f"({c.detail[len('changed count: '):]}).")
        else:
            text = (f"{who_a} changed position: on {when_a} {_STANCE_VERB[a.stance]} — “{c.cue_a}” —, "
                    f"on {when_b} {_STANCE_VERB[b.stance]} — “{c.cue_b}”. Both are about: {about}.")
    if c.also:
        n = len(c.also)
        text += f" {name_a} says the same in {n} more statement{'s' if n > 1 else ''}."
    if c.folded:
        n = len(c.folded)
        text += f" {name_b} says the same in {n} more statement{'s' if n > 1 else ''}."
    if support:
        text += " " + support
    return text

