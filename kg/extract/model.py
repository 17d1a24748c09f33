"""What an extraction holds, and its two outputs: the JSON contract and an ArticleBundle.

The bundle has the node and edge shapes of kg/casefile.py (same labels, property names and
deterministic ids: identity.actor_id(name) for an actor with a proper name, an id scoped to the
article for one without (see kg.extract.actors.shared_names), identity.statement_id(sha, start, end),
identity.event_id(sha, start, end, type, None)), so extracted records load into the stores
unchanged; every fact's produced_by is "rule:<rule-name>".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kg import identity
from kg.extract.actors import Actor, Place, Relation
from kg.extract.events import Event
from kg.extract.speech import Statement
from kg.records import ArticleBundle, EdgeRecord, NodeRecord

_ROLE_ORDER = ("survivor", "victim", "witness", "relative", "spokesperson", "official", "leader", "activist",
               "journalist", "perpetrator")


def speaker_role(actor: Actor) -> str | None:
    for role in _ROLE_ORDER:
        if role in actor.roles:
            return role
    return None


def _label(text: str, limit: int = 100) -> str:
    flat = " ".join(text.split())
    cut = flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
    return " ".join(_balanced_quotes(cut).split())


def _balanced_quotes(text: str) -> str:
    """The text without the quotation marks a span cut from their partners: an event's words
    may begin inside a quotation or run out of one ('he “was illegally detained')."""
    unmatched, opened = set(), []
    for position, character in enumerate(text):
        if character == "“":
            opened.append(position)
        elif character == "”":
            if opened:
                opened.pop()
            else:
                unmatched.add(position)
    unmatched.update(opened)
    if text.count('"') % 2:
        unmatched.update(position for position, character in enumerate(text) if character == '"')
    return "".join(c for position, c in enumerate(text) if position not in unmatched)


@dataclass
class Extraction:
    text: str
    sha256: str
    url: str | None
    title: str | None
    publisher: str | None
    published: str | None
    source: str
    actors: list[Actor]
    statements: list[Statement]
    events: list[Event]
    relations: list[Relation]
    places: list[Place]
    contradictions: list[Any] = field(default_factory=list)
    mentions: list[Any] = field(default_factory=list, repr=False)  # every actor mention (for kg eval --brat)

    # --- ids ---------------------------------------------------------------------------------

    def statement_id(self, statement: Statement) -> str:
        return identity.statement_id(self.sha256, statement.start, statement.end)

    def event_id(self, event: Event) -> str:
        return identity.event_id(self.sha256, event.start, event.end, event.type, None)

    @property
    def article_id(self) -> str:
        return identity.article_id(self.sha256)

    def headline(self) -> str:
        if self.title and self.title.strip():
            return self.title.strip()
        first = next((line.strip() for line in self.text.splitlines() if line.strip()), "")
        return _label(first, 200) or "(untitled)"

    # --- the JSON contract ---------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        text = self.text
        return {
            "article": {
                "url": self.url,
                "title": self.title,
                "publisher": self.publisher,
                "date": self.published,
                "sha256": self.sha256,
                "text": text,
                "id": self.article_id,
                "source": self.source,
            },
            "actors": [
                {
                    "id": actor.id,
                    "name": actor.name,
                    "type": actor.type,
                    "aliases": list(actor.aliases),
                    "roles": list(actor.roles),
                    "collective": actor.collective,
                    "sensitive": actor.sensitive,
                    "rule": actor.rule,
                    "start": actor.first[0] if actor.first else None,
                    "end": actor.first[1] if actor.first else None,
                }
                for actor in self.actors
            ],
            "statements": [
                {
                    "id": self.statement_id(s),
                    "speaker": s.speaker.id,
                    "speaker_name": s.speaker.name,
                    "speaker_role": speaker_role(s.speaker),
                    "text": text[s.start:s.end],
                    "start": s.start,
                    "end": s.end,
                    "kind": s.kind,
                    "stance": s.stance,
                    "cue": s.stance_cue,
                    "attribution": s.cue,
                    "rule": s.rule,
                    "confidence": round(s.confidence, 3),
                    "date": s.date,
                    "about": list(s.about),
                }
                for s in self.statements
            ],
            "events": [
                {
                    "id": self.event_id(e),
                    "type": e.type,
                    "trigger": e.trigger,
                    "trigger_start": e.trigger_start,
                    "trigger_end": e.trigger_end,
                    "text": text[e.start:e.end],
                    "start": e.start,
                    "end": e.end,
                    "participants": [{"actor": a.id, "name": a.name, "role": r} for a, r in e.participants],
                    "place": e.place.name if e.place else None,
                    "place_id": e.place.id if e.place else None,
                    "time": e.time.text if e.time else None,
                    "time_start": e.time.time_start if e.time else None,
                    "time_end": e.time.time_end if e.time else None,
                    "count": e.count,
                    "count_text": e.count_text,
                    "rule": e.rule,
                    "cue": e.trigger,
                    "confidence": round(e.confidence, 3),
                }
                for e in self.events
            ],
            "relations": [
                {
                    "source": r.source.id,
                    "source_name": r.source.name,
                    "relation": r.relation,
                    "target": r.target.id,
                    "target_name": r.target.name,
                    "text": text[r.start:r.end],
                    "start": r.start,
                    "end": r.end,
                    "rule": r.rule,
                }
                for r in self.relations
            ],
            "contradictions": list(self.contradictions),
        }

    # --- records -----------------------------------------------------------------------------

    def to_bundle(self) -> ArticleBundle:
        from kg.ontology import load_ontology

        sha = self.sha256
        article = NodeRecord("Article", self.article_id, {
            "url": self.url,
            "title": self.headline(),
            "publisher": self.publisher,
            "published": self.published,
            "retrieved": None,
            "sha256": sha,
            "text": self.text,
            "language": "en",
            "source_path": self.source,
            "restricted": False,  # (only a case file or `kg restricted` restricts an item)
        })
        bundle = ArticleBundle(origin=self.source, article=article)

        def evidence(start: int | None, end: int | None, rule: str) -> dict[str, Any]:
            return {"start_offset": start, "end_offset": end, "article_sha256": sha, "produced_by": f"rule:{rule}"}

        kept = {id(a) for a in self.actors}
        for actor in self.actors:
            bundle.nodes.append(NodeRecord("Actor", actor.id, {
                "name": actor.name,
                "actor_type": actor.type,
                "aliases": list(actor.aliases),
                "name_keys": sorted({identity.name_key(n) for n in actor.shared}),
                "roles": list(actor.roles),
                "collective": actor.collective,
                "sensitive": actor.sensitive,
                "description": None,
            }))
            first = actor.first or (None, None)
            bundle.edges.append(EdgeRecord(
                "MENTIONED_IN", "Actor", actor.id, "Article", article.id, key="",
                props=evidence(first[0], first[1], actor.rule),
            ))

        places = {}
        for event in self.events:
            if event.place is not None:
                places.setdefault(event.place.id, event.place)
        for place_id, place in places.items():
            bundle.nodes.append(NodeRecord("Place", place_id, {
                "name": place.name, "aliases": [], "name_keys": [identity.name_key(place.name)],
            }))

        event_ids = {}
        for event in self.events:
            node_id = self.event_id(event)
            if node_id in event_ids.values():
                continue
            event_ids[id(event)] = node_id
            span = evidence(event.start, event.end, event.rule)
            bundle.nodes.append(NodeRecord("Event", node_id, {
                "event_type": event.type,
                "label": f"{event.type.replace('_', ' ')}: {_label(self.text[event.start:event.end])}",
                "description": None,
                "time_text": event.time.text if event.time else None,
                "time_start": event.time.time_start if event.time else None,
                "time_end": event.time.time_end if event.time else None,
                "count": event.count,
                "count_text": event.count_text,
                "cue": event.trigger,
                "confidence": float(event.confidence),
                "restricted": False,
                **span,
            }))
            bundle.edges.append(EdgeRecord("REPORTED_IN", "Event", node_id, "Article", article.id, key=""))
            for actor, role in event.participants:
                if id(actor) in kept:
                    bundle.edges.append(EdgeRecord(
                        "PARTICIPATED_IN", "Actor", actor.id, "Event", node_id, key=role, props={"role": role, **span},
                    ))
            if event.place is not None:
                bundle.edges.append(EdgeRecord("OCCURRED_IN", "Event", node_id, "Place", event.place.id, key="",
                                               props=span))

        for statement in self.statements:
            node_id = self.statement_id(statement)
            span = evidence(statement.start, statement.end, statement.rule)
            bundle.nodes.append(NodeRecord("Statement", node_id, {
                "text": self.text[statement.start:statement.end],
                "kind": statement.kind,
                "stance": statement.stance,
                "speaker_role": speaker_role(statement.speaker),
                "date": statement.date,
                "cue": statement.stance_cue,
                "confidence": float(statement.confidence),
                "restricted": False,
                **span,
            }))
            bundle.edges.append(EdgeRecord("REPORTED_IN", "Statement", node_id, "Article", article.id, key=""))
            bundle.edges.append(EdgeRecord("SAID", "Actor", statement.speaker.id, "Statement", node_id, key="",
                                           props=span))
            for target in statement.about:
                label = "Event" if target.startswith("event:") else "Actor"
                bundle.edges.append(EdgeRecord("ABOUT", "Statement", node_id, label, target, key="", props=span))

        relation_types = load_ontology().actor_relations
        for relation in self.relations:
            if id(relation.source) not in kept or id(relation.target) not in kept:
                continue
            bundle.edges.append(EdgeRecord(
                relation_types[relation.relation].type, "Actor", relation.source.id, "Actor", relation.target.id,
                key="", props=evidence(relation.start, relation.end, relation.rule),
            ))
        return bundle
