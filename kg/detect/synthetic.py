"""Synthetic statements for benchmarks: a world of stories shaped like the real cases.

A story is one incident reported in a few articles: a place, a date, a campaign it belongs to
(shared by the stories of its place and year), two events of harm with counts, officials who
deny, survivors who testify, a rights group that counts, a journalist; some articles are wire
copies of others (the same words, so the same claims). A few ministries speak in hundreds of
stories and a few topics span many, so blocks have hubs, as in real data.

    facts = synthetic_statements(100_000, seed=1)          # in memory, for detect_in_facts
    for bundle in synthetic_bundles(10_000, seed=1): store.write_bundle(bundle)   # a real store

The same n and seed always give the same world.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Iterator

from kg import identity
from kg.detect.facts import Actor, Event, Facts, build_claims
from kg.detect.write import CASEFILE_PREFIX
from kg.records import ArticleBundle, EdgeRecord, NodeRecord

STORY_SIZE = 24  # statements per story, about

_DENIALS = [
    "There were no arrests in {place}", "This information was not confirmed", "nonsense",
    "No one was detained during the operation", "There is no evidence that anyone was mistreated",
    "The reports are a fabrication", "Nothing happened in {place}", "We deny these reports",
]
_ACCUSATIONS = [
    "Police detained at least {k} people in {place}", "officers beat detainees in custody in {place}",
    "{k} people were tortured after their arrest", "security forces raided homes in {place} and took {k} men",
    "authorities began arresting and beating people in {place}",
]
_TESTIMONY = [
    "I was beaten by officers in the station", "they hit me with a baton and took my phone",
    "we were held for three days without a lawyer", "my brother was taken from our home at night",
]
_AFFIRMATIONS = [
    "{k} people were briefly held to establish their identity", "an inquiry into the events in {place} was opened",
    "about {k} people have left {place}", "the operation in {place} followed the law",
]
_OTHER = ["the ministry will comment later", "If anyone broke the law, they will be punished"]


@dataclass
class _Statement:
    id: str
    text: str
    stance: str
    role: str
    speaker: str
    date: str
    about: list[str]
    article: int


@dataclass
class World:
    actors: dict[str, Actor] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    topics: dict[str, str] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)
    articles: list[dict] = field(default_factory=list)      # title, date, statements (indices)
    statements: list[_Statement] = field(default_factory=list)


def _world(n: int, seed: int) -> World:
    rng = random.Random(seed)
    w = World()
    n_places = max(3, n // 500)
    for p in range(n_places):
        w.places[f"place:p{p}"] = f"Place {p}"
    n_ministries = max(2, n // 5000)
    for m in range(n_ministries):
        w.actors[f"actor:ministry-{m}"] = Actor(f"actor:ministry-{m}", f"Ministry {m}", "GovernmentBody", ("official",), True)
    for t in range(max(2, n // 2000)):
        w.topics[f"topic:t{t}"] = f"Topic {t}"
    stories = max(1, n // STORY_SIZE)
    for s in range(stories):
        place = f"place:p{rng.randrange(n_places)}"
        year = 2015 + rng.randrange(10)
        month = 1 + rng.randrange(12)
        date = f"{year}-{month:02d}"
        campaign = f"event:campaign-{place[6:]}-{year}"
        if campaign not in w.events:
            w.events[campaign] = Event(campaign, "persecution_campaign", f"Campaign in {place} {year}",
                                       None, str(year), None, (), (place,))
        police = f"actor:police-{place[6:]}"
        w.actors.setdefault(police, Actor(police, f"Police of {w.places[place]}", "GovernmentBody", ("perpetrator",), True))
        ministry = f"actor:ministry-{rng.randrange(n_ministries)}"
        official = f"actor:s{s}-official"
        ngo = f"actor:s{s}-ngo"
        journalist = f"actor:s{s}-journalist"
        survivors = [f"actor:s{s}-survivor{i}" for i in range(2)]
        w.actors[official] = Actor(official, f"Official {s}", "Person", ("official",))
        w.actors[ngo] = Actor(ngo, f"Rights group {s}", "NGO", ("activist",), True)
        w.actors[journalist] = Actor(journalist, f"Outlet {s}", "MediaOutlet", ("journalist",), True)
        for i, sv in enumerate(survivors):
            w.actors[sv] = Actor(sv, f"Survivor {s}-{i}", "Person", ("survivor",))
        counts = [rng.choice((3, 12, 41, 49, 112, 125)), rng.choice((5, 9, 17, 37))]
        harm = []
        for i, (kind, k) in enumerate(zip(("detention", "torture"), counts)):
            eid = f"event:s{s}-e{i}"
            victims = tuple((sv, "victim") for sv in survivors[: i + 1])
            w.events[eid] = Event(eid, kind, f"{kind} in story {s}", k, date, date,
                                  ((police, "perpetrator"), *victims), (place,))
            harm.append(eid)
        topic = f"topic:t{rng.randrange(len(w.topics))}" if rng.random() < 0.3 else None
        n_articles = 1 + rng.randrange(3)
        first_article = len(w.articles)
        for a in range(n_articles):
            w.articles.append({"title": f"Story {s} report {a}", "date": f"{date}-{10 + a:02d}", "statements": []})
        size = max(4, int(rng.gauss(STORY_SIZE, 4)))
        for i in range(size):
            roll = rng.random()
            about = [rng.choice(harm)] + ([campaign] if rng.random() < 0.4 else []) + ([topic] if topic and rng.random() < 0.5 else [])
            k = w.events[about[0]].count if rng.random() < 0.7 else rng.choice((2, 60, 300))
            if roll < 0.25:
                speaker, role, stance, text = rng.choice([(official, "official"), (ministry, "official")]) + ("denial", rng.choice(_DENIALS))
            elif roll < 0.5:
                speaker, role, stance, text = ngo, "activist", "accusation", rng.choice(_ACCUSATIONS)
            elif roll < 0.7:
                speaker, role, stance, text = rng.choice(survivors), "survivor", "testimony", rng.choice(_TESTIMONY)
            elif roll < 0.9:
                speaker, role, stance, text = rng.choice([(official, "official"), (journalist, "journalist")]) + ("affirmation", rng.choice(_AFFIRMATIONS))
            else:
                speaker, role, stance, text = ministry, "official", "other", rng.choice(_OTHER)
            article = first_article + rng.randrange(n_articles)
            text = text.format(k=k, place=w.places[place]) + f" ({s}.{i})"
            w.statements.append(_Statement(f"statement:s{s}-{i}", text, stance, role, speaker,
                                           w.articles[article]["date"], about, article))
            w.articles[article]["statements"].append(len(w.statements) - 1)
            if rng.random() < 0.1 and n_articles > 1:  # a wire copy: the same words in another article
                other = first_article + (article - first_article + 1) % n_articles
                copy = _Statement(f"statement:s{s}-{i}c", text, stance, role, speaker,
                                  w.articles[other]["date"], about, other)
                w.statements.append(copy)
                w.articles[other]["statements"].append(len(w.statements) - 1)
            if len(w.statements) >= n:
                break
        if len(w.statements) >= n:
            break
    return w


def synthetic_statements(n: int, seed: int = 0) -> Facts:
    """About n synthetic statements (and their actors, events, topics) as in-memory Facts."""
    w = _world(n, seed)
    rows = ({
        "id": st.id, "text": st.text, "stance": st.stance, "speaker_role": st.role, "date": None,
        "cue": None, "speaker": st.speaker, "articles": [f"article:a{st.article}"], "about": st.about,
        "published": w.articles[st.article]["date"],
    } for st in w.statements)
    return Facts(
        claims=build_claims(rows, w.actors), actors=w.actors, events=w.events, topics=w.topics, places=w.places,
        articles={f"article:a{i}": {"published": a["date"], "publisher": "Synthetic", "title": a["title"]}
                  for i, a in enumerate(w.articles)},
        statements=len(w.statements),
    )


def synthetic_bundles(n: int, seed: int = 0) -> Iterator[ArticleBundle]:
    """The same world as ArticleBundles, one per article, to load into a real store."""
    w = _world(n, seed)
    written_actors: set[str] = set()
    for index, article in enumerate(w.articles):
        texts = [w.statements[i].text for i in article["statements"]]
        body = "\n\n".join(texts) or article["title"]
        sha = identity.text_sha256(body)
        art = NodeRecord("Article", identity.article_id(sha), {
            "title": article["title"], "publisher": "Synthetic", "published": article["date"], "sha256": sha,
            "text": body, "language": "en", "source_path": f"synthetic/{index}", "url": None, "retrieved": None,
        })
        bundle = ArticleBundle(origin=f"synthetic:{index}", article=art)
        evidence = {"article_sha256": sha, "produced_by": "synthetic"}
        needed_actors, needed_targets = set(), set()
        offset = 0
        for i in article["statements"]:
            st = w.statements[i]
            start, end = offset, offset + len(st.text)
            offset = end + 2
            sid = identity.statement_id(sha, start, end)
            span = {"start_offset": start, "end_offset": end, **evidence}
            bundle.nodes.append(NodeRecord("Statement", sid, {
                "text": st.text, "kind": "indirect", "stance": st.stance, "speaker_role": st.role, "date": None,
                "cue": None, "confidence": 1.0, **span}))
            bundle.edges.append(EdgeRecord("REPORTED_IN", "Statement", sid, "Article", art.id, key=""))
            bundle.edges.append(EdgeRecord("SAID", "Actor", st.speaker, "Statement", sid, key="", props=span))
            needed_actors.add(st.speaker)
            for target in st.about:
                label = "Event" if target in w.events else "Topic"
                bundle.edges.append(EdgeRecord("ABOUT", "Statement", sid, label, target, key="", props=span))
                needed_targets.add(target)
        for target in sorted(needed_targets):
            if target in w.topics:
                bundle.nodes.append(NodeRecord("Topic", target, {"label": w.topics[target]}))
                continue
            event = w.events[target]
            bundle.nodes.append(NodeRecord("Event", target, {
                "event_type": event.event_type, "label": event.label, "description": None, "time_text": None,
                "time_start": event.time_start, "time_end": event.time_end, "count": event.count,
                "count_text": None, "cue": None, "confidence": 1.0, "article_sha256": sha, "start_offset": None,
                # One event across its articles, as a curator identifies it, not an extractor's
                # mention (as in synthetic_statements).
                "end_offset": None, "produced_by": CASEFILE_PREFIX + "synthetic"}))
            bundle.edges.append(EdgeRecord("REPORTED_IN", "Event", target, "Article", art.id, key=""))
            for actor, role in event.participants:
                needed_actors.add(actor)
                bundle.edges.append(EdgeRecord("PARTICIPATED_IN", "Actor", actor, "Event", target, key=role,
                                               props={"role": role, **evidence}))
            for place in event.places:
                bundle.nodes.append(NodeRecord("Place", place, {"name": w.places[place], "aliases": [],
                                                                "name_keys": [identity.name_key(w.places[place])]}))
                bundle.edges.append(EdgeRecord("OCCURRED_IN", "Event", target, "Place", place, key="", props=evidence))
        for actor_id in sorted(needed_actors - written_actors):
            actor = w.actors[actor_id]
            bundle.nodes.append(NodeRecord("Actor", actor_id, {
                "name": actor.name, "actor_type": actor.actor_type, "aliases": [],
                "name_keys": [identity.name_key(actor.name) + "|" + actor_id], "roles": list(actor.roles),
                "collective": actor.collective, "sensitive": False, "description": None}))
        written_actors |= needed_actors
        yield bundle
