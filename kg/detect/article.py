"""The detector on one article on its own: the contradictions among its own statements.

    pairs = article_contradictions(extraction.to_bundle())

builds the detector's facts (kg.detect.facts.Facts) from the records an extractor produced —
the same records `kg load` would write — instead of reading them from a store, runs the
detector and returns each pair by statement id with its basis, score and explanation. Nothing
is written anywhere; `kg extract` lists the result under `contradictions`. Corroboration is
left out: inside one article every side has the one source.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from kg.detect import detect_in_facts
from kg.detect.engine import explain
from kg.detect.facts import Actor, Event, Facts, attach_bundle_context, build_claims
from kg.identity import contradiction_id
from kg.records import ArticleBundle

# Relationships by which an actor speaks for another (as kg.detect.facts.read_facts reads them).
_AFFILIATIONS = ("MEMBER_OF", "SPOKESPERSON_FOR", "LEADER_OF")


def bundle_facts(bundle: ArticleBundle) -> Facts:
    """What the detector knows about one article, taken from its records."""
    nodes: dict[str, dict[str, Any]] = defaultdict(dict)
    for node in bundle.all_nodes():
        nodes[node.label][node.id] = node.props
    actors = {
        actor_id: Actor(actor_id, props.get("name") or actor_id, props.get("actor_type"),
                        tuple(props.get("roles") or ()), bool(props.get("collective")))
        for actor_id, props in nodes["Actor"].items()
    }
    events = {
        event_id: Event(event_id, props.get("event_type"), props.get("label"), props.get("count"),
                        props.get("time_start"), props.get("time_end"))
        for event_id, props in nodes["Event"].items()
    }
    statements = {
        statement_id: {"id": statement_id, "text": props.get("text"), "stance": props.get("stance"),
                       "speaker_role": props.get("speaker_role"), "date": props.get("date"),
                       "cue": props.get("cue"), "start_offset": props.get("start_offset"),
                       "speaker": None, "articles": [], "about": []}
        for statement_id, props in nodes["Statement"].items()
    }
    participants: dict[str, set[tuple[str, str]]] = defaultdict(set)
    places: dict[str, set[str]] = defaultdict(set)
    affiliations: dict[str, set[str]] = defaultdict(set)
    # Sorted so that, as in a store read, a statement with two SAID edges gets the smallest speaker id.
    for edge in sorted(bundle.edges, key=lambda e: (e.type, e.source, e.target, e.key)):
        if edge.type == "SAID" and edge.target in statements:
            statements[edge.target]["speaker"] = statements[edge.target]["speaker"] or edge.source
        elif edge.type == "REPORTED_IN" and edge.source in statements:
            statements[edge.source]["articles"].append(edge.target)
        elif edge.type == "ABOUT" and edge.source in statements:
            statements[edge.source]["about"].append(edge.target)
        elif edge.type == "PARTICIPATED_IN":
            participants[edge.target].add((edge.source, edge.props.get("role") or "participant"))
        elif edge.type == "OCCURRED_IN":
            places[edge.source].add(edge.target)
        elif edge.type in _AFFILIATIONS:
            affiliations[edge.source].add(edge.target)
    for event in events.values():
        event.participants = tuple(sorted(participants.get(event.id, ())))
        event.places = tuple(sorted(places.get(event.id, ())))
    published = bundle.article.props.get("published")
    for row in statements.values():
        row["published"] = published
    facts = Facts(
        claims=build_claims(statements.values(), actors),
        actors=actors,
        events=events,
        topics={topic_id: props.get("label") or topic_id for topic_id, props in nodes["Topic"].items()},
        places={place_id: props.get("name") or place_id for place_id, props in nodes["Place"].items()},
        affiliations={actor_id: frozenset(targets) for actor_id, targets in affiliations.items()},
        articles={bundle.article.id: {key: bundle.article.props.get(key) for key in ("published", "publisher", "title")}},
        statements=len(statements),
    )
    attach_bundle_context(facts, bundle)
    return facts


def article_contradictions(bundle: ArticleBundle, *, min_score: float = 0.5) -> list[dict[str, Any]]:
    """The pairs of the article's own statements the detector finds, strongest first: a and b
    (statement ids; a is the denying or earlier side), basis, score and explanation."""
    facts = bundle_facts(bundle)
    candidates, _ = detect_in_facts(facts, min_score=min_score)
    pairs: dict[str, dict[str, Any]] = {}
    for candidate in candidates:
        pair = contradiction_id(candidate.a.id, candidate.b.id)
        if pair not in pairs:
            pairs[pair] = {"a": candidate.a.id, "b": candidate.b.id, "basis": candidate.basis,
                           "score": round(candidate.score, 3), "explanation": explain(facts, candidate)}
    return sorted(pairs.values(), key=lambda p: (-p["score"], p["basis"], p["a"], p["b"]))
