"""What the detector knows: statements, their speakers, what they are about, and the events,
actors and articles around them, read from any store with a handful of plain queries.

Only what the ontology guarantees is used, so statements from case files and from extraction
are treated alike. Statements with the same speaker and the same words (a quote copied from
article to article, or a wire story printed by several outlets) are one *claim*: the detector
compares claims, so copies never multiply a contradiction, and counts the articles behind a
claim as its support. An unnamed speaker ("a 24-year-old student") is an actor of one article,
so each copy of a story gives its words a claim of their own: the pairs these make in copies of
one story are folded into one after the run (kg.detect.engine, fold_copies).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Callable, Iterable, Iterator, Mapping

from kg.detect.context import ArticleContext, Mention
from kg.detect.stored import StoredContradiction, StoredContradictions, explanation_digest
from kg.detect.text import HARM_TYPES, TextFeatures, features, fold
from kg.detect.write import CASEFILE_PREFIX
from kg.records import ArticleBundle
from kg.stores.base import GraphStore

POSITIVE_STANCES = frozenset({"affirmation", "testimony", "accusation"})
# Roles that speak for those accused of harm, and roles that report it from outside.
OFFICIAL_ROLES = frozenset({"official", "spokesperson", "leader", "perpetrator"})
INDEPENDENT_ROLES = frozenset({"survivor", "victim", "witness", "activist", "journalist", "relative",
                               "expert", "lawyer"})
# Participant roles that tie an event to the people it was done by or to.
PARTY_ROLES = frozenset({"perpetrator", "victim", "agent"})
_TYPE_ROLE = {"GovernmentBody": "official", "NGO": "activist", "MediaOutlet": "journalist"}


@dataclass(slots=True)
class Actor:
    id: str
    name: str
    actor_type: str | None = None
    roles: tuple[str, ...] = ()
    collective: bool = False


@dataclass(slots=True)
class Event:
    id: str
    event_type: str | None = None
    label: str | None = None
    count: int | None = None
    time_start: str | None = None
    time_end: str | None = None
    participants: tuple[tuple[str, str], ...] = ()  # (actor id, role)
    places: tuple[str, ...] = ()
    # A mention (from an extractor, one event per mention) rather than an event a curator
    # identified: two mentions in one report may be the same event.
    mention: bool = False
    articles: tuple[str, ...] = ()

    def parties(self, role: str | None = None) -> set[str]:
        return {a for a, r in self.participants if (r == role if role else r in PARTY_ROLES)}


@dataclass(slots=True)
class Claim:
    """One statement, or several statements with the same speaker and words."""

    index: int
    id: str                       # the representative statement: the smallest id
    ids: tuple[str, ...]          # every statement with these words from this speaker
    text: str
    stance: str
    role: str | None              # the speaker's role as stated, else from the actor
    speaker: str | None
    date: str | None              # when said: the statement's date, else its article's
    dated: bool                   # the statement itself carries a date
    cue: str | None
    articles: tuple[str, ...]
    about: frozenset[str]
    features: TextFeatures = field(repr=False, default=None)  # type: ignore[assignment]
    offset: int | None = None     # where the representative statement starts in its article
    ordered: tuple[str, ...] = () # `about`, sorted
    # Events around an extracted statement (kg.detect.context), weaker than `about`; `targets`
    # is both; `frame` the words of its sentence outside it.
    context: frozenset[str] = frozenset()
    targets: frozenset[str] = frozenset()
    frame: str | None = None

    positive: bool = False        # affirms, testifies or accuses (set from the stance)
    negative: bool = False        # denies

    def __post_init__(self) -> None:
        self.positive = self.stance in POSITIVE_STANCES
        self.negative = self.stance == "denial"


@dataclass
class Facts:
    claims: list[Claim]
    actors: dict[str, Actor] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    topics: dict[str, str] = field(default_factory=dict)       # id -> label
    places: dict[str, str] = field(default_factory=dict)       # id -> name
    affiliations: dict[str, frozenset[str]] = field(default_factory=dict)  # actor -> bodies it speaks for
    articles: dict[str, dict] = field(default_factory=dict)    # id -> published, publisher, title
    statements: int = 0

    def actor_name(self, actor_id: str | None) -> str:
        if actor_id is None:
            return "an unnamed speaker"
        actor = self.actors.get(actor_id)
        return actor.name if actor else actor_id

    def target_label(self, target: str) -> str:
        if target in self.events:
            return self.events[target].label or target
        if target in self.topics:
            return self.topics[target]
        if target in self.actors:
            return self.actors[target].name
        return target

    def role_class(self, claim: Claim) -> str | None:
        role = claim.role
        if role is None and claim.speaker in self.actors:
            actor = self.actors[claim.speaker]
            role = next(iter(actor.roles), None) or _TYPE_ROLE.get(actor.actor_type or "")
        if role == "leader" and claim.speaker is not None and self._leads_no_state_body(claim.speaker):
            return "independent"  # the chairman of a residents' association speaks for no state
        if role in OFFICIAL_ROLES:
            return "official"
        if role in INDEPENDENT_ROLES:
            return "independent"
        return None


    def _leads_no_state_body(self, actor_id: str) -> bool:
        """The actor is affiliated with bodies, none of them the state's."""
        bodies = [self.actors.get(x) for x in self.affiliations.get(actor_id, ())]
        return bool(bodies) and all(b is not None and b.actor_type in ("NGO", "Organization", "MediaOutlet")
                                    for b in bodies)


def _role_of(actor: Actor | None) -> str | None:
    if actor is None:
        return None
    return next(iter(actor.roles), None) or _TYPE_ROLE.get(actor.actor_type or "")


def _shared(pool: dict, value):
    return pool.setdefault(value, value) if value is not None else None


@dataclass(slots=True)
class _Members:
    """What the statements of one claim have together, gathered as they are read: the claim
    takes the words, id and offset of its smallest statement id, the earliest date (else the
    earliest publication), the role and cue of the first statement by id that has one, and the
    articles and targets of them all."""

    ids: list[str]
    first: tuple[str, str, int | None]     # id, text, offset
    date: str | None
    published: str | None
    role: tuple[str, str] | None           # (statement id, role)
    cue: tuple[str, str] | None
    articles: set[str]
    about: set[str]

    @classmethod
    def of(cls, claim: Claim) -> _Members:
        """The members so far: the claim as made from its first row."""
        date, published = (claim.date, None) if claim.dated else (None, claim.date)
        return cls([claim.id], (claim.id, claim.text, claim.offset), date, published,
                   (claim.id, claim.role) if claim.role else None, (claim.id, claim.cue) if claim.cue else None,
                   set(claim.articles), set(claim.about))

    def add(self, row: Mapping, text: str) -> None:
        statement_id = row["id"]
        self.ids.append(statement_id)
        if statement_id < self.first[0]:
            self.first = (statement_id, text, row.get("start_offset"))
        self.date = _earliest(self.date, row.get("date"))
        self.published = _earliest(self.published, row.get("published"))
        self.role = _first_given(self.role, statement_id, row.get("speaker_role"))
        self.cue = _first_given(self.cue, statement_id, row.get("cue"))
        self.articles.update(row.get("articles") or ())
        self.about.update(row.get("about") or ())

    def settle(self, claim: Claim) -> None:
        claim.id, claim.text, claim.offset = self.first
        claim.ids = tuple(sorted(self.ids))
        claim.articles, claim.about = tuple(sorted(self.articles)), frozenset(self.about)
        claim.date, claim.dated = self.date or self.published, bool(self.date)
        claim.role = self.role[1] if self.role else None
        claim.cue = self.cue[1] if self.cue else None


def _earliest(known: str | None, value: str | None) -> str | None:
    return value if value and (not known or value < known) else known


def _first_given(known: tuple[str, str] | None, statement_id: str, value: str | None) -> tuple[str, str] | None:
    """(statement id, value) of the smallest statement id with a value."""
    return (statement_id, value) if value and (known is None or statement_id < known[0]) else known


def build_claims(rows: Iterable[Mapping], actors: Mapping[str, Actor] | None = None, *,
                 read_text: bool = True) -> list[Claim]:
    """Group statement rows (id, text, stance, speaker_role, date, cue, speaker, articles, about,
    published; `folded`, where given, stands for the folded text) into claims: one per speaker
    and folded wording. Rows are folded in as they come,
    so a stream of rows is never held in memory as a whole. Without read_text the claims' text
    features (what detection compares) are left unread: who speaks, in what role and stance, is
    all the report's voices need."""
    claims: dict[tuple, Claim] = {}
    # One object for equal values (sets of targets, article lists, ids, dates): a million
    # statements repeat a few hundred thousand of them.
    shared: dict = {}
    # id(claim) -> what its members have together, for claims with several: kept as they come
    # (each member's text is a copy of the claim's, and at 100,000 articles two statements in
    # three are such copies).
    gathered: dict[int, _Members] = {}
    for row in rows:
        text = row.get("text") or ""
        key = (row.get("speaker"), row.get("folded") or fold(text), row.get("stance"))
        claim = claims.get(key)
        if claim is None:
            claims[key] = Claim(
                index=0, id=row["id"], ids=(row["id"],), text=text,
                stance=_shared(shared, row.get("stance") or "other"),
                role=_shared(shared, row.get("speaker_role") or None), speaker=_shared(shared, row.get("speaker")),
                date=_shared(shared, row.get("date") or row.get("published") or None), dated=bool(row.get("date")),
                cue=_shared(shared, row.get("cue") or None),
                articles=_shared(shared, tuple(sorted(set(row.get("articles") or ())))),
                about=_shared(shared, frozenset(row.get("about") or ())), offset=row.get("start_offset"),
            )
            continue
        members = gathered.get(id(claim))
        if members is None:
            members = gathered[id(claim)] = _Members.of(claim)
        members.add(row, text)
    ordered = []
    for claim in claims.values():
        members = gathered.pop(id(claim), None)
        if members is not None:
            members.settle(claim)
        if not read_text:
            ordered.append(claim)
            continue
        claim.features = features(claim.text)
        if claim.features.ceased and claim.stance in ("affirmation", "other"):
            # "the practice had stopped completely" denies that the practice goes on.
            claim.negative, claim.positive = True, False
        ordered.append(claim)
    ordered.sort(key=lambda c: c.id)
    for index, claim in enumerate(ordered):
        claim.index = index
        claim.about = _shared(shared, claim.about)
        claim.ordered = _shared(shared, tuple(sorted(claim.about)))
        claim.targets = claim.about
        if claim.role is None and actors is not None:
            claim.role = _role_of(actors.get(claim.speaker))
    return ordered


# --- reading a store ----------------------------------------------------------------------------------


def _rows(store: GraphStore, cypher: str, params: Mapping | None = None) -> list[list]:
    return store.run(cypher, params).rows


# Events and statements per range of ids (_id_ranges): at 100,000 articles (1.2 million
# statements) finding a range sorts the ids left, up to about 1 s a range; one range for all of
# them did not fit the speakers' query in the detector's 512 MB pool (RESULTS.md, session 17).
PAGE_ROWS = 200_000


# Stored contradictions per page: each row brings its explanation, and 200,000 of them sorted at
# once exhausted LadybugDB's buffer pool (BUFFER_POOL_MB) on a re-run of 100,000 case files
# (1.2 million contradictions); 50,000 took 1.5 s there. The explanations are no longer sorted
# (_stored_records), but a page's rows are still held by the store while they are returned.
STORED_PAGE_ROWS = 50_000


def _page_lists(store: GraphStore, cypher: str, rows: int) -> Iterator[list[list]]:
    """The rows of a query ordered by a unique first column, a page of `rows` at a time after
    the last value of the page before ($after, $limit), each page dropped once it is read."""
    after = ""
    while True:
        page = _rows(store, cypher, {"after": after, "limit": rows})
        if not page:
            return
        after = page[-1][0]
        yield page
        if len(page) < rows:
            return


def _id_ranges(store: GraphStore, label: str, rows: int) -> list[dict[str, str]]:
    """The ids of a label in ranges of `rows` ({"first", "last"}, in order), found by sorting the
    ids alone, so that what is read of the nodes and their relationships is read a range at a
    time: at 100,000 articles the events' and statements' queries returned up to 1.2 million
    rows in one result each, and the maps made of them were held together."""
    o = store.ontology
    [(count, first, last)] = _rows(store, o.render("MATCH (x:{label}) RETURN count(x), min(x.id), max(x.id)",
                                                   label=label))
    if count <= rows:
        # One range needs no sorting.
        return [{"first": first, "last": last}] if count else []
    ids = o.render("MATCH (x:{label}) WHERE x.id > $after RETURN x.id ORDER BY x.id LIMIT $limit", label=label)
    return [{"first": page[0][0], "last": page[-1][0]} for page in _page_lists(store, ids, rows)]


def read_facts(store: GraphStore) -> Facts:
    """Everything the detector compares, in one pass of simple queries (no multi-pattern joins).
    The contradictions already stored are read apart (read_existing), once the pairs are found:
    only the pairs' classification needs them."""
    o = store.ontology
    pool: dict = {}  # one object for each kind of actor and role (see _events)
    actors = {
        r[0]: Actor(r[0], r[1] or r[0], _shared(pool, r[2]), tuple(_shared(pool, x) for x in r[3] or ()),
                    bool(r[4]))
        for r in _rows(store, o.render(
            "MATCH (a:{label}) RETURN a.id, a.name, a.actor_type, a.roles, a.collective", label="Actor"))
    }
    affiliations: dict[str, set[str]] = defaultdict(set)
    for relation in ("MEMBER_OF", "SPOKESPERSON_FOR", "LEADER_OF"):
        if relation not in o.relationships:
            continue
        for source, target in _rows(store, o.render(
                "MATCH (x:{label})-[:{rel}]->(y:{label}) RETURN x.id, y.id", label="Actor", rel=relation)):
            affiliations[source].add(target)

    events, spans = _events(store)
    topics = {r[0]: r[1] or r[0] for r in _rows(store, o.render("MATCH (t:{label}) RETURN t.id, t.label", label="Topic"))}
    place_names = {r[0]: r[1] or r[0] for r in _rows(store, o.render("MATCH (p:{label}) RETURN p.id, p.name", label="Place"))}
    articles = {
        r[0]: {"published": r[1], "publisher": r[2], "title": r[3]}
        for r in _rows(store, o.render("MATCH (a:{label}) RETURN a.id, a.published, a.publisher, a.title",
                                       label="Article"))
    }

    extracted: dict[str, tuple[int, int]] = {}  # statement id -> span, for those not from case files
    claims = build_claims(_statement_rows(store, articles, extracted), actors)
    facts = Facts(
        claims=claims,
        actors=actors, events=events, topics=topics, places=place_names,
        affiliations={k: frozenset(v) for k, v in affiliations.items()},
        articles=articles, statements=sum(len(c.ids) for c in claims),
    )
    if extracted:
        attach_context(facts, extracted, spans, lambda ids: _article_texts(store, ids))
    return facts


def _events(store: GraphStore) -> tuple[dict[str, Event], dict[str, tuple[int, int]]]:
    """The events, with their participants, places and articles, and the spans of those
    extracted (not from case files), a range of ids at a time (_id_ranges): at 100,000
    articles each of these queries returned most of a million rows in one result."""
    o = store.ontology
    # One object for each recurring value (kinds of event, dates, roles, the articles of events):
    # each row of a result brings its own copy, and at 100,000 articles the events alone bring
    # some three million of them.
    pool: dict = {}
    nodes = o.render(
        "MATCH (e:{label}) WHERE e.id >= $first AND e.id <= $last RETURN e.id, e.event_type, e.label, e.count, "
        "e.time_start, e.time_end, e.produced_by, e.start_offset, e.end_offset", label="Event")
    reported = o.render(
        "MATCH (e:{event})-[:{rel}]->(a:{article}) WHERE e.id >= $first AND e.id <= $last RETURN e.id, a.id",
        event="Event", rel="REPORTED_IN", article="Article")
    participated = o.render(
        "MATCH (a:{actor})-[p:{rel}]->(e:{event}) WHERE e.id >= $first AND e.id <= $last RETURN e.id, a.id, p.role",
        actor="Actor", rel="PARTICIPATED_IN", event="Event")
    occurred = o.render(
        "MATCH (e:{event})-[:{rel}]->(p:{place}) WHERE e.id >= $first AND e.id <= $last RETURN e.id, p.id",
        event="Event", rel="OCCURRED_IN", place="Place")
    events: dict[str, Event] = {}
    spans: dict[str, tuple[int, int]] = {}
    for bounds in _id_ranges(store, "Event", PAGE_ROWS):
        in_range = []
        for r in _rows(store, nodes, bounds):
            event = events[r[0]] = Event(r[0], _shared(pool, r[1]), r[2], r[3], _shared(pool, r[4]),
                                         _shared(pool, r[5]), mention=bool(r[6]) and not r[6].startswith(CASEFILE_PREFIX))
            in_range.append(event)
            if event.mention and r[7] is not None and r[8] is not None:
                spans[r[0]] = (r[7], r[8])
        # Lists, made sets only once full: an empty set takes four times an empty list.
        articles: dict[str, list[str]] = defaultdict(list)
        for event_id, article_id in _rows(store, reported, bounds):
            articles[event_id].append(_shared(pool, article_id))
        participants: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for event_id, actor_id, role in _rows(store, participated, bounds):
            participants[event_id].append((_shared(pool, actor_id), _shared(pool, role or "participant")))
        places: dict[str, list[str]] = defaultdict(list)
        for event_id, place_id in _rows(store, occurred, bounds):
            places[event_id].append(_shared(pool, place_id))
        for event in in_range:
            event.participants = _shared(pool, tuple(sorted(set(participants.get(event.id, ())))))
            event.places = _shared(pool, tuple(sorted(set(places.get(event.id, ())))))
            event.articles = _shared(pool, tuple(sorted(set(articles.get(event.id, ())))))
    return events, spans


def _statement_rows(store: GraphStore, articles: Mapping[str, Mapping],
                    extracted: dict[str, tuple[int, int]]) -> Iterator[dict]:
    """The statements as build_claims takes them, in the order of their ids (a claim is named
    after the first statement of its wording), a range of ids at a time: a range's speakers,
    articles and targets, then its statements. Read for every statement first, those maps were
    held whole while the claims were built (with ranges, the read's peak at 100,000 articles fell
    from 2,656 to 2,262 MB). The spans of the statements not from case files are put in
    `extracted`."""
    o = store.ontology
    said = o.render(
        # Ordered so that a statement with several speakers is given the first by id.
        "MATCH (a:{actor})-[:{rel}]->(s:{statement}) WHERE s.id >= $first AND s.id <= $last "
        "RETURN a.id, s.id ORDER BY a.id", actor="Actor", rel="SAID", statement="Statement")
    reported = o.render(
        "MATCH (s:{statement})-[:{rel}]->(a:{article}) WHERE s.id >= $first AND s.id <= $last RETURN s.id, a.id",
        statement="Statement", rel="REPORTED_IN", article="Article")
    targets = [o.render(
        "MATCH (s:{statement})-[:{rel}]->(t:{label}) WHERE s.id >= $first AND s.id <= $last RETURN s.id, t.id",
        statement="Statement", rel="ABOUT", label=label) for label in ("Event", "Actor", "Topic")]
    statements = o.render(
        # Sorted here rather than by the store, whose sort holds the texts in its buffer pool
        # (sorting the stored contradictions with their explanations needed more than 128 MB).
        "MATCH (s:{label}) WHERE s.id >= $first AND s.id <= $last RETURN s.id, s.text, s.stance, s.speaker_role, "
        "s.date, s.cue, s.start_offset, s.end_offset, s.produced_by", label="Statement")
    for bounds in _id_ranges(store, "Statement", PAGE_ROWS):
        # One string per statement id for the three maps: each row brings its own copy.
        ids: dict[str, str] = {}
        speaker_of: dict[str, str] = {}
        for actor_id, statement_id in _rows(store, said, bounds):
            speaker_of.setdefault(ids.setdefault(statement_id, statement_id), actor_id)
        # Tuples: most statements have one article and one target, and a tuple of one is the
        # smallest container.
        reported_in: dict[str, tuple[str, ...]] = {}
        for statement_id, article_id in _rows(store, reported, bounds):
            statement_id = ids.setdefault(statement_id, statement_id)
            reported_in[statement_id] = (*reported_in.get(statement_id, ()), article_id)
        about: dict[str, tuple[str, ...]] = {}
        for query in targets:
            for statement_id, target in _rows(store, query, bounds):
                statement_id = ids.setdefault(statement_id, statement_id)
                about[statement_id] = (*about.get(statement_id, ()), target)
        del ids
        for r in sorted(_rows(store, statements, bounds), key=itemgetter(0)):
            statement_id = r[0]
            if r[6] is not None and r[7] is not None and r[8] and not r[8].startswith(CASEFILE_PREFIX):
                extracted[statement_id] = (r[6], r[7])
            in_articles = reported_in.get(statement_id, ())
            published = [articles[a]["published"] for a in in_articles if a in articles]
            yield {"id": statement_id, "text": r[1], "stance": r[2], "speaker_role": r[3], "date": r[4],
                   "cue": r[5], "start_offset": r[6], "speaker": speaker_of.get(statement_id),
                   "articles": in_articles, "about": about.get(statement_id, ()),
                   "published": min((p for p in published if p), default=None)}


def attach_bundle_context(facts: Facts, bundle: ArticleBundle) -> None:
    """The same as read_facts does, for facts built from one article's records (kg.detect.article)."""
    extracted, spans = {}, {}
    for node in bundle.all_nodes():
        producer = node.props.get("produced_by") or ""
        start, end = node.props.get("start_offset"), node.props.get("end_offset")
        if node.label == "Event" and node.id in facts.events:
            event = facts.events[node.id]
            event.mention = bool(producer) and not producer.startswith(CASEFILE_PREFIX)
            event.articles = (bundle.article.id,)
            if event.mention and start is not None and end is not None:
                spans[node.id] = (start, end)
        elif node.label == "Statement" and start is not None and end is not None and producer \
                and not producer.startswith(CASEFILE_PREFIX):
            extracted[node.id] = (start, end)
    text = bundle.article.props.get("text")
    if extracted and text:
        attach_context(facts, extracted, spans, lambda ids: [(bundle.article.id, text)])


def _article_texts(store: GraphStore, ids: list[str]) -> Iterator[tuple[str, str]]:
    """(id, text) of the articles, read 500 at a time."""
    for start in range(0, len(ids), 500):
        for article_id, text in _rows(store, store.ontology.render(
                # By key: `IN $ids` compares every article with every id (1 s a chunk at 100k).
                "UNWIND $ids AS wanted MATCH (a:{label} {{id: wanted}}) RETURN a.id, a.text", label="Article"),
                {"ids": ids[start:start + 500]}):
            if text:
                yield article_id, text


def attach_context(facts: Facts, extracted: Mapping[str, tuple[int, int]],
                   mention_spans: Mapping[str, tuple[int, int]],
                   read_texts: Callable[[list[str]], Iterable[tuple[str, str]]]) -> None:
    """Give each extracted statement the events around it in its article (kg.detect.context).
    read_texts(ids) gives (id, text) of those articles; each article is read and let go in
    turn (all the texts and their sentence maps at once took several hundred MB at 100k)."""
    by_article: dict[str, list[Mention]] = defaultdict(list)
    for event_id, (start, end) in mention_spans.items():
        event = facts.events[event_id]
        for article_id in event.articles:
            by_article[article_id].append(Mention(start, end, event_id, event.event_type))
    claims_in: dict[str, list[Claim]] = defaultdict(list)
    for claim in facts.claims:
        if claim.id in extracted and len(claim.articles) == 1:
            claims_in[claim.articles[0]].append(claim)
    for article_id, text in read_texts(sorted(claims_in)):
        article = ArticleContext(text, by_article.get(article_id, []))
        for claim in claims_in[article_id]:
            f = claim.features
            replies = claim.negative or bool(f.existential or f.rejects)
            # A reply whose own events are only the checking of a report ("refused to initiate
            # criminal proceedings due to lack of evidence") still answers the harm told before it.
            own = any(t in facts.events and (not replies or facts.events[t].event_type in HARM_TYPES)
                      for t in claim.about)
            span = extracted[claim.id]
            found = frozenset(article.context(*span, claim.text, own_events=own, replies=replies,
                                              about=claim.about)) - claim.about
            claim.frame = article.frame(*span)
            if found:
                claim.context = found
                claim.targets = claim.about | found


def read_existing(store: GraphStore, claims: Iterable[Claim]) -> StoredContradictions:
    """The contradictions already stored, read a page at a time, each page with the statements
    its contradictions involve (all of them at once were millions of rows in a re-run at 100,000
    articles), into compact rows (kg.detect.stored). They are read whole rather than looked up
    for each batch of pairs found: keyed look-ups (`UNWIND $ids ... MATCH (c {id: wanted})
    -[:INVOLVES]->(s)`) exhausted LadybugDB's 512 MB buffer pool on the re-run store of 100,000
    case files (1.2 million contradictions), and `c.id IN $ids` took 35 s a batch there.
    The stored pairs are linked to the claims whose statements they join (recorded_through)."""
    return StoredContradictions(_stored_records(store), claims)


def _stored_records(store: GraphStore) -> Iterator[StoredContradiction]:
    """The stored contradictions in the order of their ids, a range of ids at a time
    (_id_ranges), the rows of a range sorted here: sorting them with their explanations took
    LadybugDB more than 128 MB of its buffer pool for a page (CAPPED_CACHE_MB), sorting the ids
    alone less than 64."""
    o = store.ontology
    contradictions = o.render(
        "MATCH (c:{label}) WHERE c.id >= $first AND c.id <= $last "
        "RETURN c.id, c.status, c.produced_by, c.basis, c.score, c.explanation", label="Contradiction")
    involved = o.render(
        "MATCH (c:{label})-[i:{rel}]->(s:{statement}) WHERE c.id >= $first AND c.id <= $last "
        "RETURN c.id, i.side, s.id", label="Contradiction", rel="INVOLVES", statement="Statement")
    for bounds in _id_ranges(store, "Contradiction", STORED_PAGE_ROWS):
        sides: dict[str, list] = {}
        for cid, side, statement in _rows(store, involved, bounds):
            if side in ("a", "b"):
                sides.setdefault(cid, [None, None])[0 if side == "a" else 1] = statement
        for cid, status, produced_by, basis, score, explanation in sorted(_rows(store, contradictions, bounds),
                                                                          key=itemgetter(0)):
            side_a, side_b = sides.get(cid, (None, None))
            yield StoredContradiction(cid, status, produced_by, basis, score, explanation_digest(explanation),
                                      (side_a, side_b))
