"""Rule-based extraction: actors, statements, events and relations from the text of a report.

    from kg.extract import extract
    result = extract(text, title=..., publisher=..., published="2018-07")
    result.to_json()      # the JSON contract other tools read
    result.to_bundle()    # an ArticleBundle with the node/edge shapes of kg/casefile.py

Deterministic, explainable and fast: no model, no network. Every fact carries its span in the
text, the rule that produced it, the cue word and a confidence. The word lists are data
(loaders/lexicons/*.yaml), read once per process; the rule families are listed in the docstrings
of kg/extract/text.py, actors.py, speech.py, stance.py, events.py and timex.py.

Measured quality (kg eval; micro-average over the seed and the six gold articles of examples/gold):
statement precision 1.00, recall 1.00 (209/210); speaker 0.91 strict (191/209: the predicted actor's
name or an alias equals the gold actor's), 1.00 lenient; stance 0.876 (183/209); actors F1 0.67 (P
0.77, R 0.59); events F1 0.59 (before this round: recall 206/210, speaker 181/206, stance 180/206,
actors F1 0.64). An unnamed speaker known by a tie to a named person is named by it ("A man who
shared the cell with Salcedo ... the cellmate said": "Cellmate of Mateo Salcedo at La Ceiba", where
Salcedo is held; "Colleagues of Arman Tolegenov at Steppe Ledger"; "Neighbour of Daria Bazitas"), an
unnamed private person in a report about one community is from it ("71-year-old grandmother from
Tsavembe"), a name before a facility noun is a place ("the La Ceiba detention centre") and the staff
of a kind of facility are those of the one the report names ("La Ceiba prison officials"). Of the 18
strict misses left, 15 are the right actor under the words the article gives it where the case file
names it with what the reader knows from elsewhere in the story ("31-year-old nurse" for "...,
patron of Club Lantern", "Six members" for "Six members of the migrant group interviewed by
Eastbridge News", "Migrants" for "Migrants pushed back across the Ulva River on 19 September 2023",
"media" for "News media reports cited by the Prosecutor General's Office"): every one is an unnamed
person or group, none a back-reference to a named actor resolved wrongly. Three are speakers inside
a quotation, named as the article names them where the case file says more: "The police" taken for
the "Central Division police" ("Tamboru police"), "They" for the "guards" of the paragraph before
("Guards at La Ceiba detention centre") and for the Porto Vell police ("Officers who raided Club
Lantern"). Seed alone: recall 1.00, speaker 0.96, stance 0.93. What an actor the speaker names, or
"they" standing for the agents named last before, is said inside a quotation to have told them is
that body's words as the teller gives them, stance other ("The police told us we could take what we
could carry", "They said anyone who refused ... would be charged"). Still missed: a quoted threat
with no verb of saying ("calls warning him to “stop digging”").

Identity across articles (see actors.shared_names): an actor with no proper name (a description,
a collective, a speaker's phrase, a single word that may be a first name, a name made only of
generic words such as "Interior Ministry") has an id scoped to its article and no name keys;
a named actor's keys are its name and its distinctive aliases. corpus-1000 loaded: 2,793
actors, at most 3 aliases each (771 actors with up to 7 before, every country's ministry one).

PolNeAR (kg eval --brat; one annotation per text; Content spans, overlap of half the shorter span,
one-to-one): train P 0.77 R 0.45 F1 0.57, speaker 0.89 (7480/8402), cue 0.91; dev P 0.79 R 0.47 F1
0.59 (984 of 2078 matched, 1249 predicted), speaker 0.88 (863/976), cue 0.90 (this round's cut
before a quoted reason, 'said A because “B”', adds 5 predicted and 1 match on dev, 13 predicted and
none on train: PolNeAR keeps the reason inside one Content span). Most unmatched Content spans have
a cue that is no verb of saying here: PolNeAR annotates any attributed stance or act ("will
spearhead", "dismissed", "seemed"); of train's 10,000 misses about 1,100 have one of the lexicon's
verbs. Beliefs ("believe", "think") count as claims; intentions and wishes ("want", "hope") do not.
Shares of people speak ("Sixty-six percent said", "Six in 10 Democrats said"). Still missed: poll
results with "in" ("Trump led in a Fox poll"), questions with no asker ("Asked whether ..."), and
long subjects with commas.

Speed (python -m kg.extract.speed: extract() and to_json() on the seven seed-sized articles, about
3,600 characters). Work per article, counted by callgrind with PYTHONHASHSEED=0 (independent of the
machine's load): 38.0 million instructions (41.95 two rounds ago); glibc's allocator alone swings
by +-0.4 million with the heap's layout, so compare changes on what lies outside it. Scans whose
pattern opened with a character class, a lookbehind or an alternation, which re tries at every
position of the text, are found by str.find or a pattern opening with a literal (the cue index's
first-word scan, the marks, the full stops); the word tokens by one pattern opening with a single
class; the cue words and stems are in one trie; small records built dozens of times an article
(PhraseMatch, Quote, TimeExpr, Place, Relation) are plain hashable dataclasses, since a frozen one
sets each field through object.__setattr__. By stage: the document about 11.5 million (tokens 6.4:
the regular expression 2.6 of it, a Python object per token 1.5), actors 9.7, speech 5.9, stance,
times, events and ids 10, JSON 1.7. On the 2-core machine alone (November 2026), under the pyenv
3.11.7 that CI installs from: 204-216 articles/s per core in six runs of 5-10 s (202-214 for the
previous round's code, alternated with it).
Memory does not grow over a stream (traced growth under 2 KB over 70 articles).
"""

from __future__ import annotations

import re
from pathlib import Path

from kg import identity
from kg.collector import cycle_collector_paused
from kg.errors import InputError
from kg.extract.actors import Actor, ActorFinder, shared_names
from kg.extract.events import EventFinder
from kg.extract.lexicon import Lexicon, load_lexicon
from kg.extract.model import Extraction
from kg.extract.speech import SpeechFinder
from kg.extract.stance import decide, told_own_harm
from kg.extract.text import Doc
from kg.extract.timex import find_times, parse_published

__all__ = ["Extraction", "Lexicon", "extract", "load_lexicon"]

_CLAUSE_OPENS = re.compile(r",\s*(?:after|before|when|while|since|although|though|because|as|but)\b")
_AT_THE_TIME = re.compile(r"at the time\b(?<!\wat the time)")  # \bat the time\b, skipped ahead to in C
_SINCE = re.compile(r"since\b", re.IGNORECASE)
_SINCE_BEFORE = re.compile(r"\bsince\s+$", re.IGNORECASE)
_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def extract(
    text: str,
    *,
    url: str | None = None,
    title: str | None = None,
    publisher: str | None = None,
    published: str | None = None,
    source: str = "text",
    lexicon: Lexicon | Path | None = None,
) -> Extraction:
    """Extract actors, statements, events and relations from one article's text.

    `published` (YYYY, YYYY-MM or YYYY-MM-DD) anchors relative times ("last year"); `publisher`
    becomes a media actor (the speaker of "As INTO previously reported, ..."); `source` names
    where the text came from in the bundle's origin and evidence."""
    if not isinstance(text, str):
        raise InputError(f"the article text must be text, not {type(text).__name__}", where=source)
    if published is not None and not _DATE.match(str(published)):
        raise InputError(f"published must be a date as YYYY, YYYY-MM or YYYY-MM-DD, got {published!r}", where=source)
    try:
        sha = identity.text_sha256(text)
    except UnicodeEncodeError:
        raise InputError("the article text is not valid Unicode (lone surrogates)", where=source) from None
    lex = lexicon if isinstance(lexicon, Lexicon) else load_lexicon(lexicon)
    # The extraction makes thousands of small objects and no reference cycles (nothing is left
    # for the cycle collector: see test_extraction_leaves_no_cycles), so the collector is paused
    # while it runs.
    with cycle_collector_paused():
        return _extract(text, sha, lex, url, title, publisher, published, source)


def _extract(text: str, sha: str, lex: Lexicon, url: str | None, title: str | None, publisher: str | None,
             published: str | None, source: str) -> Extraction:
    doc = Doc(text, lex, title)
    finder = ActorFinder(doc, publisher)
    finder.run()
    statements = SpeechFinder(doc, finder).run()

    pub = parse_published(published)
    times = [t for t in find_times(text, doc.folded, 0, len(text), lex, pub, doc.cues) if _in_prose(doc, t.start)]

    # the times said outside any reported words: when words were said, not what they tell of (not
    # a time after "since", which starts a state: "which has tracked arrests since 2014, said")
    spoken_times = [t for t in times if t.time_start is not None
                    and not any(s.start <= t.start < s.end for s in statements)
                    and not _SINCE.match(t.text) and not _SINCE_BEFORE.search(text, max(0, t.start - 8), t.start)]
    last_dates: dict[int, str | None] = {}
    at_the_time = "at the time" in text
    for statement in statements:
        statement.stance, statement.stance_cue = decide(statement, doc, finder)
        statement.date = _statement_date(statement, doc, spoken_times)
        if statement.date is None and at_the_time and statement.anchor >= 0 and _AT_THE_TIME.search(
                text, statement.anchor, doc.sentences[doc.sentence_at(statement.anchor)][1]):
            statement.date = last_dates.get(id(statement.speaker))  # '..., he said at the time'
        last_dates[id(statement.speaker)] = statement.date
    finder.members_of_groups()
    speakers = [s.speaker for s in statements]
    finder.qualify_by_tie(speakers)
    finder.qualify_by_home(speakers)
    finder.qualify_by_facility(speakers)
    for statement in statements:
        speaker = statement.speaker
        if statement.stance == "testimony" and speaker.is_person and not speaker.collective and not speaker.roles \
                and told_own_harm(statement, doc):
            speaker.add_role("victim")  # "They took our phones ... Anyone who spoke was kicked"

    events = EventFinder(doc, finder, statements, times).run()
    actors = _canonical_actors(finder, statements, events)
    for actor in actors:
        actor.shared = shared_names(actor, lex)
        actor.scope = None if actor.shared else sha
    kept = {id(a) for a in actors}
    triggers = [(e.trigger_start, e.trigger_end, identity.event_id(sha, e.start, e.end, e.type, None)) for e in events]
    for statement in statements:
        start, end = statement.start, statement.end
        about = [event_id for t_start, t_end, event_id in triggers if start <= t_start and t_end <= end]
        mentions = finder.mentions_between(start, end)
        for actor in [m.actor for m in mentions if m.actor is not None] + finder.possessed_bodies(mentions, end):
            if actor is not statement.speaker and id(actor) in kept and actor.id not in about:
                about.append(actor.id)
        statement.about = list(dict.fromkeys(about))
    # '“What happened to Arman Tolegenov is an enforced disappearance,” said X. “Holding a person in
    # secret ... is a crime.”': a quotation that goes on in the same paragraph speaks of the same
    # thing (other words of the speaker there may turn to another: they keep what they name)
    # (words a body is said inside the quotation to have told the speaker are not the speaker's)
    spoken = [s for s in statements if s.rule != "quoted-speech"]
    for previous, statement in zip(spoken, spoken[1:]):
        if not statement.about and statement.rule == "quote-continuation" and statement.speaker is previous.speaker \
                and doc.paragraph_at(statement.start) == doc.paragraph_at(previous.start):
            statement.about = list(previous.about)

    return Extraction(
        text=text, sha256=sha, url=url, title=title, publisher=publisher, published=published, source=source,
        actors=actors, statements=statements, events=events, relations=finder.relations,
        places=finder.places, mentions=finder.mentions,
    )


def _in_prose(doc: Doc, position: int) -> bool:
    if not doc.sentences:
        return False
    start, end, _ = doc.sentences[doc.sentence_at(position)]
    return start <= position < end


def _statement_date(statement, doc: Doc, spoken_times) -> str | None:
    """When the words were said: a time in the attribution's sentence (of those outside any
    reported words)."""
    if statement.anchor < 0:
        return None
    ss, se, _ = doc.sentences[doc.sentence_at(statement.anchor)]
    best = None
    for time in spoken_times:
        if time.start < ss or time.end > se:
            continue
        if time.end <= statement.anchor and _CLAUSE_OPENS.search(doc.text, time.end, statement.anchor):
            continue  # "prosecutors said on Monday, after the agency had denied ...": not the denial's day
        distance = abs(time.start - statement.anchor)
        if best is None or distance < best[0]:
            best = (distance, time.time_start)
    return best[1] if best else None


def _canonical_actors(finder: ActorFinder, statements, events) -> list[Actor]:
    """The actors worth keeping, in order of first mention, one per id."""
    by_id: dict[str, Actor] = {}
    replace: dict[int, Actor] = {}
    ordered = sorted(finder.kept_actors(), key=lambda a: a.first[0] if a.first else -1)
    for actor in ordered:
        existing = by_id.get(actor.id)
        if existing is None:
            by_id[actor.id] = actor
            continue
        for alias in [actor.name, *actor.aliases]:
            existing.add_alias(alias)
        for role in actor.roles:
            existing.add_role(role)
        replace[id(actor)] = existing
    if replace:
        for statement in statements:
            statement.speaker = replace.get(id(statement.speaker), statement.speaker)
        for event in events:
            event.participants = [(replace.get(id(a), a), r) for a, r in event.participants]
        finder.relations[:] = [
            type(r)(replace.get(id(r.source), r.source), r.relation, replace.get(id(r.target), r.target),
                    r.start, r.end, r.rule)
            for r in finder.relations
        ]
    # speakers and participants are always kept, even when first kept only now
    for actor in [s.speaker for s in statements] + [a for e in events for a, _ in e.participants]:
        if actor.id not in by_id:
            by_id[actor.id] = actor
    return sorted(by_id.values(), key=lambda a: a.first[0] if a.first else -1)
