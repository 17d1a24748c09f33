"""The view itself: the graph read from the store as a page model, narrowed (neighbourhood,
types, dates, contradictions), projected, capped, and laid out as vis-network nodes and edges."""

from __future__ import annotations

import math
import re
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Collection, Container, Iterable, Mapping, Sequence

from kg.errors import KGError
from kg.ontology import Ontology
from kg.privacy import Redactor, pseudonym
from kg.viz.chromium import render_png
from kg.viz.common import (ARTICLES_SHOWN, LAYOUT_THRESHOLD, SIZES, THEMES, _CONTRADICTION_INK, _CONTRADICTION_RED,
                           _DATE_OPTION, _DATE_PREFIX, _LABEL_INSIDE, _REJECTED_GREY, _STANCE_VERBS, Key, _Edge,
                           _font_colour, _Node, _valid_colour, _valid_shape, clean_text, truncate)
from kg.viz.page import _document, _legend_html
from kg.viz.pictures import _layout, _networkx, _new_network, _svg


# --- building the picture ---------------------------------------------------------------------------


def _words(rel_type: str) -> str:
    return rel_type.lower().replace("_", " ")


def _join(values: Any) -> str:
    if not values:
        return ""
    if isinstance(values, (list, tuple)):
        return ", ".join(clean_text(v) for v in values if clean_text(v))
    return clean_text(values)


def _lines(*pairs: tuple[str, Any]) -> list[str]:
    out = []
    for name, value in pairs:
        text = _join(value) if not isinstance(value, bool) else ("yes" if value else "")
        if text:
            out.append(f"{name}: {text}" if name else text)
    return out


def _date_start(value: Any) -> str | None:
    """The first day an ISO date or prefix (2017, 2018-07, 2018-07-16) can mean."""
    match = _DATE_PREFIX.match(clean_text(value)) if value else None
    if not match:
        return None
    year, month, day = match.groups()
    return f"{year}-{month or '01'}-{day or '01'}"


def _date_end(value: Any) -> str | None:
    """The last day it can mean (as text that sorts right: 2018-02-31 is fine for comparing)."""
    match = _DATE_PREFIX.match(clean_text(value)) if value else None
    if not match:
        return None
    year, month, day = match.groups()
    return f"{year}-{month or '12'}-{day or '31'}"


def _check_date(value: str | None, option: str) -> str | None:
    if value is None or value == "":
        return None
    value = value.strip()
    if not _DATE_OPTION.match(value):
        raise KGError(f"{option} takes a date as YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    return value


@dataclass
class _Link:
    """One edge as drawn: a relationship, a contradiction between two statements (or, projected,
    between their speakers), or a projected stance of a speaker towards an actor."""

    type: str  # relationship type, or CONTRADICTS, or STANCE
    source: Key
    target: Key
    label: str
    title: str
    contradiction: _Node | None = None
    statements: tuple[Key, ...] = ()

    @property
    def rejected(self) -> bool:
        return self.contradiction is not None and str(self.contradiction.props.get("status") or "") == "rejected"


def _contradiction_pairs(by_side: Mapping[str, Sequence[Key]], drawn: Container[Key]
                         ) -> list[tuple[Key, Key]] | None:
    """The statement pairs a contradiction is drawn as (each of side a with each of side b,
    else the first statement with each other one), or None when fewer than two of its
    statements are drawn and it stays a node."""
    a = [s for s in by_side.get("a", []) if s in drawn]
    b = [s for s in by_side.get("b", []) if s in drawn]
    if not (a and b):
        everything = [s for ss in by_side.values() for s in ss if s in drawn]
        a, b = everything[:1], everything[1:]
    if not (a and b):
        return None
    return [(x, y) for x in a for y in b if x != y]


class _Page:
    """Text, names and looks of what was read, with pseudonyms for sensitive people; and the
    statement-level picture (contradictions drawn as edges) the views start from."""

    def __init__(self, ontology: Ontology, nodes: dict[Key, _Node], edges: list[_Edge], *,
                 reveal: bool, include_articles: bool, key: Any) -> None:
        self.ontology = ontology
        self.nodes = nodes
        self.edges = edges
        self.reveal = reveal
        self.include_articles = include_articles
        self.legend = {e["name"]: e for e in ontology.legend()}
        self.protected = 0
        self.rejected_shown = False

        # Every sensitive actor read, whether drawn or not: their names are blotted out of all text.
        sensitive = [n for n in nodes.values() if n.label == "Actor" and n.props.get("sensitive")]
        self.pseudonyms: dict[str, str] = {}
        names: dict[str, str] = {}
        if sensitive and not reveal:
            key_bytes = key() if callable(key) else key
            self.pseudonyms = {n.id: pseudonym(n.id, key_bytes) for n in sensitive}
            for n in sensitive:
                for name in [n.props.get("name"), *(n.props.get("aliases") or [])]:
                    if name:
                        names[clean_text(name)] = self.pseudonyms[n.id]
        # Names are cleaned as the text they are looked for in is (see text()).
        self.redactor = Redactor(names)
        self.redact = self.redactor.text

        # Who said each statement, and where statements and events were reported.
        self.speakers: dict[Key, list[Key]] = defaultdict(list)
        self.reported_in: dict[Key, list[Key]] = defaultdict(list)
        for edge in edges:
            if edge.type == "SAID":
                self.speakers[edge.target].append(edge.source)
            if edge.target[0] == "Article" and edge.source[0] != "Actor":
                self.reported_in[edge.source].append(edge.target)
        self._dates: dict[Key, tuple[str, str] | None] = {}

    def writes_id(self, node_id: str) -> bool:
        """Whether a node's store id may be written: not a protected person's, and not one
        that spells a protected name."""
        if node_id in self.pseudonyms:
            return False
        return not self.redactor.spells_protected_name(node_id)

    # -- text ----------------------------------------------------------------------------------------

    def text(self, value: Any) -> str:
        return self.redact(clean_text(value))

    def name(self, key: Key) -> str:
        node = self.nodes.get(key)
        if node is None:
            return ""
        if node.id in self.pseudonyms:
            return self.pseudonyms[node.id]
        p = node.props
        for column in ("name", "label", "title"):
            if p.get(column):
                return self.text(p[column])
        if node.label == "Statement":
            return "\u201c" + self.text(p.get("text")) + "\u201d"
        if node.label == "Contradiction":
            return "Contradiction" + (f" ({self.text(p.get('basis'))})" if p.get("basis") else "")
        return node.label

    def article_line(self, key: Key) -> str:
        node = self.nodes.get(key)
        if node is None:
            return ""
        p = node.props
        where = " \u00b7 ".join(t for t in (self.text(p.get("publisher")), self.text(p.get("published"))) if t)
        return self.text(p.get("title")) + (f" ({where})" if where else "")

    def tooltip(self, node: _Node) -> str:
        p = node.props
        key = (node.label, node.id)
        if node.label == "Actor":
            kind = self.legend.get(str(p.get("actor_type")), {}).get("label") or clean_text(p.get("actor_type"))
            if node.id in self.pseudonyms:
                lines = [self.pseudonyms[node.id], "Name withheld: this person is marked sensitive."]
                lines += _lines(("Type", kind), ("Roles", p.get("roles")))
                return "\n".join(lines)
            lines = [self.name(key)]
            lines += _lines(("Type", kind), ("Group spoken of as one", p.get("collective")),
                            ("Roles", p.get("roles")), ("Also called", [self.text(a) for a in p.get("aliases") or []]))
            if p.get("sensitive"):
                lines.append("SENSITIVE: name revealed on purpose")
            if p.get("description"):
                lines += ["", self.text(p["description"])]
            return "\n".join(lines)
        if node.label == "Statement":
            lines = ["\u201c" + self.text(p.get("text")) + "\u201d", ""]
            lines += _lines(("Speaker", self.speaker_line(key)))
            stance = self.text(p.get("stance"))
            kind = self.text(p.get("kind"))
            lines += _lines(("Stance", stance + (f" \u00b7 {kind} speech" if kind else "")),
                            ("Cue", self.text(p.get("cue"))), ("Date", self.text(p.get("date"))))
            lines += self.article_lines(key)
            return "\n".join(lines)
        if node.label == "Event":
            lines = [self.name(key)]
            time_ = self.text(p.get("time_text"))
            span = "\u2013".join(t for t in (self.text(p.get("time_start")), self.text(p.get("time_end"))) if t)
            lines += _lines(("Type", self.text(p.get("event_type"))),
                            ("When", time_ + (f" ({span})" if span and span != time_ else "") if time_ else span),
                            ("Count", self.text(p.get("count_text"))))
            if p.get("description"):
                lines += ["", self.text(p["description"])]
            lines += self.article_lines(key)
            return "\n".join(lines)
        if node.label == "Article":
            return "\n".join([self.name(key)] + _lines(("Publisher", self.text(p.get("publisher"))),
                                                       ("Published", self.text(p.get("published"))),
                                                       ("Address", self.text(p.get("url")))))
        if node.label == "Contradiction":
            return self.contradiction_text(p)
        lines = [node.label + ": " + self.name(key)]
        lines += _lines(("Also called", [self.text(a) for a in p.get("aliases") or []]))
        return "\n".join(lines)

    def speaker_line(self, statement: Key) -> str:
        speakers = [self.name(s) for s in self.speakers.get(statement, [])]
        node = self.nodes.get(statement)
        role = self.text(node.props.get("speaker_role")) if node else ""
        return ", ".join(speakers) + (f" (as {role})" if role and speakers else "")

    def article_lines(self, key: Key) -> list[str]:
        return _lines(("Article", self.source_line(key)))

    def source_line(self, key: Key) -> str:
        # An actor named in thousands of articles would carry all their titles in every tooltip:
        # the first few say where to look, the count says how much more there is.
        articles = self.reported_in.get(key, [])
        lines = [line for line in map(self.article_line, articles[:ARTICLES_SHOWN]) if line]
        if len(articles) > ARTICLES_SHOWN:
            lines.append(f"and {len(articles) - ARTICLES_SHOWN} more articles")
        return "; ".join(lines)

    def contradiction_text(self, p: Mapping[str, Any]) -> str:
        head = "Contradiction" + (f" ({self.text(p.get('basis'))})" if p.get("basis") else "")
        lines = [head] + _lines(("Review status", self.text(p.get("status"))))
        score = p.get("score")
        if isinstance(score, (int, float)) and math.isfinite(score):
            lines.append(f"Score: {score:g}")
        if p.get("explanation"):
            lines += ["", self.text(p["explanation"])]
        if p.get("note"):
            lines += ["", "Reviewer's note: " + self.text(p["note"])]
        return "\n".join(lines)

    def search_text(self, node: _Node) -> str:
        """What the page's search box matches: the name as shown (a pseudonym for a protected
        person, never the real name or aliases), aliases, and a statement's quote."""
        key = (node.label, node.id)
        if node.id in self.pseudonyms:
            return self.pseudonyms[node.id]
        parts = [self.name(key)]
        parts += [self.text(a) for a in node.props.get("aliases") or []]
        return " | ".join(p for p in parts if p)

    # -- dates ---------------------------------------------------------------------------------------

    def dates(self, key: Key) -> tuple[str, str] | None:
        """The span of days a statement or event may fall on: its own date (a statement's date,
        an event's resolved start and end), else the publication date of its article."""
        if key in self._dates:
            return self._dates[key]
        node = self.nodes.get(key)
        span: tuple[str, str] | None = None
        if node is not None and node.label in ("Statement", "Event"):
            p = node.props
            first, last = (p.get("date"), p.get("date")) if node.label == "Statement" else (
                p.get("time_start") or p.get("time_end"), p.get("time_end") or p.get("time_start"))
            start, end = _date_start(first), _date_end(last)
            if not (start and end):
                published = [self.nodes[a].props.get("published") for a in self.reported_in.get(key, [])
                             if a in self.nodes]
                starts = [s for s in map(_date_start, published) if s]
                ends = [e for e in map(_date_end, published) if e]
                start, end = (min(starts), max(ends)) if starts and ends else (None, None)
            if start and end:
                span = (start, max(start, end))
        self._dates[key] = span
        return span

    # -- look ----------------------------------------------------------------------------------------

    def type_name(self, node: _Node) -> str:
        """The legend entry a node is drawn as: an actor's type (Person, NGO, ...), else its label."""
        if node.label == "Actor":
            actor_type = str(node.props.get("actor_type") or "")
            return actor_type if actor_type in self.legend else "Actor"
        return node.label

    def style(self, node: _Node) -> tuple[str, str]:
        entry = self.legend.get(node.label)
        if node.label == "Actor":
            entry = self.legend.get(str(node.props.get("actor_type"))) or entry
        if entry is None:
            table = self.ontology.nodes.get(node.label)
            entry = {"colour": table.colour if table else "#999999", "shape": table.shape if table else "dot"}
        return _valid_colour(entry["colour"]), _valid_shape(entry["shape"])

    def label(self, node: _Node) -> str:
        key = (node.label, node.id)
        if node.label == "Statement":
            return "\u201c" + truncate(self.text(node.props.get("text")), 44) + "\u201d"
        if node.label in ("Event", "Topic", "Article"):
            return truncate(self.name(key), 60)
        return truncate(self.name(key), 48) or node.label

    # -- the statement-level picture -------------------------------------------------------------------

    def links(self) -> tuple[dict[Key, _Node], list[_Link]]:
        """The nodes to draw and the edges between them: articles only when asked for, and each
        contradiction as one edge between its two statements instead of a node of its own."""
        drawn = {k: n for k, n in self.nodes.items() if self.include_articles or n.label != "Article"}

        sides: dict[Key, dict[str, list[Key]]] = defaultdict(lambda: defaultdict(list))
        for edge in self.edges:
            if edge.type == "INVOLVES" and edge.source[0] == "Contradiction":
                sides[edge.source][str(edge.props.get("side") or "")].append(edge.target)
        direct: list[tuple[Key, Key, _Node]] = []
        replaced: set[Key] = set()
        for key, by_side in sides.items():
            node = drawn.get(key)
            if node is None:
                continue
            pairs = _contradiction_pairs(by_side, drawn)
            if pairs is not None:
                direct += [(x, y, node) for x, y in pairs]
                replaced.add(key)
        for key in replaced:
            del drawn[key]

        links: list[_Link] = []
        for edge in self.edges:
            if edge.source not in drawn or edge.target not in drawn:
                continue
            words = _words(edge.type)
            qualifier = edge.props.get("role") or (f"side {edge.props['side']}" if edge.props.get("side") else "")
            label = words + (f" ({self.text(qualifier)})" if qualifier else "")
            title = f"{self.name(edge.source)} \u2192 {label} \u2192 {self.name(edge.target)}"
            links.append(_Link(edge.type, edge.source, edge.target, label, title))
        for a, b, node in direct:
            links.append(self.contradiction_link(a, b, node, (a, b)))
        return drawn, links

    def contradiction_link(self, source: Key, target: Key, node: _Node, statements: tuple[Key, Key]) -> _Link:
        status = str(node.props.get("status") or "")
        label = ("rejected: not contradictory" if status == "rejected"
                 else "contradicts" + (" (open)" if status == "open" else ""))
        a, b = statements
        if source == a and target == b:
            head = f"{self.name(a)}\n\u2194 {label} \u2194\n{self.name(b)}"
        else:  # speakers (actors-only view): say whose words
            head = (f"{self.name(source)} \u2194 {label} \u2194 {self.name(target)}\n\n"
                    f"{self.name(a)}\n\u2014 {self.speaker_line(a)}\n\n{self.name(b)}\n\u2014 {self.speaker_line(b)}")
        return _Link("CONTRADICTS", source, target, label, head + "\n\n" + self.contradiction_text(node.props),
                     contradiction=node, statements=statements)

    def stance_verb(self, statement: Key, speaker: Key) -> str:
        stance = str(self.nodes[statement].props.get("stance") or "") if statement in self.nodes else ""
        if stance in _STANCE_VERBS and not (stance == "affirmation" and self._is_media(speaker)):
            return _STANCE_VERBS[stance]
        return "reports on" if self._is_media(speaker) else "speaks about"

    def _is_media(self, key: Key) -> bool:
        node = self.nodes.get(key)
        return node is not None and str(node.props.get("actor_type") or "") == "MediaOutlet"


# --- narrowing the picture -------------------------------------------------------------------------


def _restrict(nodes: dict[Key, _Node], links: list[_Link], keep: set[Key]) -> tuple[dict[Key, _Node], list[_Link]]:
    kept = {k: n for k, n in nodes.items() if k in keep}
    return kept, [link for link in links if link.source in kept and link.target in kept]


def _filter_dates(page: _Page, nodes: dict[Key, _Node], links: list[_Link], start: str, end: str
                  ) -> tuple[dict[Key, _Node], list[_Link], int]:
    """Statements and events whose span meets [start, end] stay (undated ones go); a node
    without a date of its own stays unless all the statements and events it was linked to went."""
    dated = {k for k in nodes if k[0] in ("Statement", "Event")}
    kept_dated = set()
    for k in dated:
        span = page.dates(k)
        if span and span[1] >= start and span[0] <= end:
            kept_dated.add(k)
    near_dated: set[Key] = set()
    near_kept: set[Key] = set()
    for link in links:
        for a, b in ((link.source, link.target), (link.target, link.source)):
            if a in dated and b not in dated:
                near_dated.add(b)
                if a in kept_dated:
                    near_kept.add(b)
    keep = kept_dated | {k for k in nodes if k not in dated and (k not in near_dated or k in near_kept)}
    kept_nodes, kept_links = _restrict(nodes, links, keep)
    return kept_nodes, kept_links, len(dated) - len(kept_dated)


def _only_contradictions(nodes: dict[Key, _Node], links: list[_Link], members: Collection[Key] | None = None
                         ) -> tuple[dict[Key, _Node], list[_Link]]:
    """The statements in contradictions (not rejected ones), their speakers, the contradiction
    edges and who said what. members: those nodes, when known already (chosen in the store)."""
    conflicts = [link for link in links if link.type == "CONTRADICTS" and not link.rejected]
    if members is None:
        statements = {k for link in conflicts for k in (link.source, link.target)}
        members = statements | {link.source for link in links if link.type == "SAID" and link.target in statements}
    kept = {k: n for k, n in nodes.items() if k in members}
    said = [link for link in links if link.type == "SAID"]  # among kept ones: to statements in contradictions
    return kept, [link for link in conflicts + said if link.source in kept and link.target in kept]


def _select_values(page: _Page, nodes: dict[Key, _Node], links: list[_Link], values: set[str]
                   ) -> tuple[dict[Key, _Node], list[_Link]]:
    """The nodes a query's rows name, by id (or, for queries that return names, by exact name,
    label, title or quote), and the edges among them. A contradiction brings its two statements
    and their speakers: it is drawn as the edge between them."""
    folded = {clean_text(v).casefold() for v in values if clean_text(v)}
    keep: set[Key] = set()
    for key, node in nodes.items():
        if node.id in values:
            keep.add(key)
            continue
        names = [node.props.get(c) for c in ("name", "label", "title", "text")] + list(node.props.get("aliases") or [])
        if any(clean_text(n).casefold() in folded for n in names if n):
            keep.add(key)
    for link in links:
        if link.contradiction is not None and link.contradiction.id in values:
            for statement in link.statements:
                keep.add(statement)
                keep.update(page.speakers.get(statement, []))
    return _restrict(nodes, links, keep)


def _neighbourhood(nodes: dict[Key, _Node], links: list[_Link], start: Key, depth: int
                   ) -> tuple[dict[Key, _Node], list[_Link]]:
    """Everything within `depth` edges of start (a contradiction is one edge between its two
    statements); articles are reached but not gone through."""
    adjacency: dict[Key, set[Key]] = defaultdict(set)
    for link in links:
        adjacency[link.source].add(link.target)
        adjacency[link.target].add(link.source)
    distance = {start: 0}
    queue = deque([start])
    while queue:
        key = queue.popleft()
        if distance[key] >= depth or (key[0] == "Article" and key != start):
            continue
        for other in sorted(adjacency[key]):
            if other not in distance:
                distance[other] = distance[key] + 1
                queue.append(other)
    return _restrict(nodes, links, set(distance))


def _project(page: _Page, nodes: dict[Key, _Node], links: list[_Link]) -> tuple[dict[Key, _Node], list[_Link]]:
    """Actors only: each statement becomes an edge from its speaker to each actor it is about,
    directly or as a participant of an event it is about, labelled with what the speaker does
    ("denies", "accuses", "testifies about", ...); statements that contradict each other become
    a contradiction edge between their speakers. Relationships between actors stay."""
    about: dict[Key, list[Key]] = defaultdict(list)
    participants: dict[Key, list[Key]] = defaultdict(list)
    for edge in page.edges:
        if edge.type == "ABOUT":
            about[edge.source].append(edge.target)
        elif edge.type == "PARTICIPATED_IN":
            participants[edge.target].append(edge.source)

    groups: dict[tuple[Key, str, Key], list[Key]] = defaultdict(list)
    for statement in sorted(k for k in nodes if k[0] == "Statement"):
        targets: list[Key] = []
        for subject in about.get(statement, []):
            for target in [subject] if subject[0] == "Actor" else participants.get(subject, []):
                if target[0] == "Actor" and target not in targets:
                    targets.append(target)
        for speaker in page.speakers.get(statement, []):
            for target in targets:
                if target != speaker:
                    groups[(speaker, page.stance_verb(statement, speaker), target)].append(statement)

    out: list[_Link] = [link for link in links if link.source[0] == "Actor" and link.target[0] == "Actor"
                        and link.type not in ("CONTRADICTS", "STANCE")]
    keep = {k for k in nodes if k[0] == "Actor"}
    for (speaker, verb, target), statements in sorted(groups.items()):
        count = len(statements)
        lines = [f"{page.name(speaker)} \u2192 {verb} \u2192 {page.name(target)}"
                 + (f" ({count} statements)" if count > 1 else "")]
        for statement in statements[:6]:
            lines += ["", page.name(statement)]
            source = page.source_line(statement)
            if source:
                lines.append("Article: " + source)
        if count > 6:
            lines += ["", f"\u2026 and {count - 6} more"]
        out.append(_Link("STANCE", speaker, target, verb + (f" (\u00d7{count})" if count > 1 else ""),
                         "\n".join(lines), statements=tuple(statements)))
        keep.update((speaker, target))
    for link in links:
        if link.type != "CONTRADICTS" or link.rejected or link.contradiction is None:
            continue
        a, b = link.statements
        for speaker_a in page.speakers.get(a, []):
            for speaker_b in page.speakers.get(b, []):
                out.append(page.contradiction_link(speaker_a, speaker_b, link.contradiction, (a, b)))
                keep.update((speaker_a, speaker_b))
    kept = {k: page.nodes[k] for k in sorted(keep) if k in page.nodes}
    return kept, [link for link in out if link.source in kept and link.target in kept]


def _most_important(page: _Page, nodes: dict[Key, _Node], links: list[_Link], limit: int) -> set[Key]:
    """The `limit` nodes a capped view keeps: whole contradictions first, strongest first (both
    ends of each contradiction edge and the speakers of its statements), as long as the next
    one fits; then the most connected of the rest (ties by label and id)."""
    groups: dict[str, set[Key]] = defaultdict(set)
    contradictions: dict[str, _Node] = {}
    for link in links:
        if link.type == "CONTRADICTS" and not link.rejected and link.contradiction is not None:
            contradictions[link.contradiction.id] = link.contradiction
            group = groups[link.contradiction.id]
            group.update((link.source, link.target))
            group.update(k for s in link.statements for k in page.speakers.get(s, []) if k in nodes)
    keep: set[Key] = set()
    for cid in sorted(groups, key=lambda c: _strength(contradictions[c])):
        new = groups[cid] - keep
        if len(keep) + len(new) > limit:
            break
        keep |= new
    degree: dict[Key, int] = defaultdict(int)
    for link in links:
        degree[link.source] += 1
        degree[link.target] += 1
    rest = sorted((k for k in nodes if k not in keep), key=lambda k: (-degree[k], k))
    keep.update(rest[:limit - len(keep)])
    return keep


def _type_names(legend: Mapping[str, Mapping[str, str]], types: Iterable[str]) -> list[str]:
    """The legend names the --types option names (case, spaces and dashes ignored; labels such
    as "Government body" too; Actor means every kind of actor)."""
    def fold(text: str) -> str:
        return re.sub(r"[\s_\-]+", "", text).casefold()

    known: dict[str, str] = {}
    for entry in legend.values():
        known[fold(entry["name"])] = entry["name"]
        known[fold(entry["label"])] = entry["name"]
    known[fold("Actor")] = "Actor"
    wanted: list[str] = []
    for item in types:
        item = item.strip()
        if not item:
            continue
        name = known.get(fold(item))
        if name is None:
            choices = ", ".join(sorted({*known.values()}))
            raise KGError(f"unknown type {item!r} (types: {choices})")
        if name not in wanted:
            wanted.append(name)
    if not wanted:
        raise KGError("--types names no type")
    return wanted


def _statement_counts(links: list[_Link]) -> dict[Key, int]:
    """Statements said by or about each node (a statement counts itself)."""
    counts: dict[Key, int] = defaultdict(int)
    for link in links:
        if link.type == "SAID":
            counts[link.source] += 1
            counts[link.target] = 1
        elif link.type == "ABOUT":
            counts[link.target] += 1
            counts[link.source] = 1
    return counts


@dataclass(frozen=True)
class Selection:
    """Nodes chosen in the store: the ones a capped view draws and how many the view has in all,
    or (total None) those a view is drawn from (a neighbourhood, capped here if need be); and,
    for sizes by statements, the statements said by or about each in the whole graph."""

    keys: frozenset[Key]
    total: int | None = None
    statement_counts: Mapping[Key, int] | None = None


#: How a capped view chooses what to keep, as its page and `kg viz` say.
CAP_ORDER = "contradictions first, then the most connected"


# --- the view as vis-network nodes and edges ------------------------------------------------------------


@dataclass
class NetworkView:
    """One picture of the graph, ready to be written as a page, a picture or a Gephi file.

    nodes and edges are vis-network items (plain data: every text in them is display text,
    pseudonymised); `title` fields hold the tooltip text, which the page turns into DOM text."""

    title: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    summary: list[tuple[str, str]] = field(default_factory=list)
    legend: str = ""
    filters: list[dict[str, Any]] = field(default_factory=list)
    story: list[dict[str, Any]] = field(default_factory=list)
    slide: dict[str, Any] = field(default_factory=dict)
    focus: int | None = None
    large: bool = False
    present: bool = False
    theme: str = "light"
    empty: str = "The graph is empty."
    kg_ids: dict[int, str] = field(default_factory=dict)  # vis id -> store id, protected people left out
    capped_from: int | None = None  # the nodes the view has without its cap, when the cap left some out

    @property
    def counts(self) -> dict[str, int]:
        return {"nodes": len(self.nodes), "edges": len(self.edges)}

    def html(self) -> str:
        return _document(self)

    def write_html(self, output: Path) -> dict[str, Any]:
        output = check_output(output)
        _write_text(output, self.html())
        return {"path": str(output), **self.counts}

    def write_svg(self, output: Path) -> dict[str, Any]:
        output = check_output(output)
        _write_text(output, _svg(self))
        return {"path": str(output), **self.counts}

    def write_png(self, output: Path, *, width: int = 1920, height: int = 1080, chromium: str | None = None,
                  step: int | None = None) -> dict[str, Any]:
        output = check_output(output)
        data = render_png(self.html(), width=width, height=height, chromium=chromium, step=step)
        try:
            output.write_bytes(data)
        except OSError as exc:
            raise KGError(f"cannot write the picture: {exc.strerror}", where=str(output)) from None
        return {"path": str(output), **self.counts}

    def write_gexf(self, output: Path) -> dict[str, Any]:
        import networkx as nx

        output = check_output(output)
        graph = _networkx(self, gexf=True)
        try:
            nx.write_gexf(graph, output)
        except OSError as exc:
            raise KGError(f"cannot write the file: {exc.strerror}", where=str(output)) from None
        return {"path": str(output), **self.counts}

    def write_graphml(self, output: Path) -> dict[str, Any]:
        import networkx as nx

        output = check_output(output)
        try:
            nx.write_graphml(_networkx(self, gexf=False), output)
        except OSError as exc:
            raise KGError(f"cannot write the file: {exc.strerror}", where=str(output)) from None
        return {"path": str(output), **self.counts}


def check_output(output: Path) -> Path:
    output = Path(output)
    if output.is_dir():
        raise KGError("the output is a folder; name a file", where=str(output))
    if not output.parent.is_dir():
        raise KGError("the folder for the output does not exist", where=str(output))
    return output


def _write_text(output: Path, text: str) -> None:
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise KGError(f"cannot write the file: {exc.strerror}", where=str(output)) from None


def _node_size(mode: str, degree: int, statements: int) -> float:
    if mode == "statements":
        return round(min(12 + 6 * math.sqrt(statements), 60), 1)
    return round(min(14 + 4 * math.sqrt(degree), 48), 1)


def _assemble(page: _Page, nodes: dict[Key, _Node], links: list[_Link], *, size: str,
              statement_counts: Mapping[Key, int]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[Key, int]]:
    degree: dict[Key, int] = defaultdict(int)
    for link in links:
        degree[link.source] += 1
        degree[link.target] += 1

    net = _new_network()
    index: dict[Key, int] = {}
    for number, node in enumerate(sorted(nodes.values(), key=lambda n: (n.label, n.id)), start=1):
        key = (node.label, node.id)
        index[key] = number
        colour, shape = page.style(node)
        options: dict[str, Any] = {
            "title": page.tooltip(node),
            "size": _node_size(size, degree[key], statement_counts.get(key, 0)),
            "kgType": page.type_name(node),
            "kgSearch": page.search_text(node),
        }
        if node.label in ("Statement", "Event"):
            span = page.dates(key)
            options["kgDate"] = list(span) if span else None
        if node.id in page.pseudonyms:
            page.protected += 1
            options["borderWidth"] = 3
            options["color"] = {"background": colour, "border": "#111111"}
            options["shapeProperties"] = {"borderDashes": [4, 3]}
        else:
            options["color"] = colour
        if node.label == "Actor" and node.props.get("collective"):
            options["shapeProperties"] = {"borderDashes": [5, 4]}
            options["borderWidth"] = 2
        if shape in _LABEL_INSIDE:
            options["font"] = {"color": _font_colour(colour), "strokeWidth": 0}
            options["widthConstraint"] = {"maximum": 200}
        net.add_node(number, label=page.label(node) or node.label, shape=shape, **options)

    red = _valid_colour(page.legend.get("Contradiction", {}).get("colour", ""), _CONTRADICTION_RED)
    for number, link in enumerate(links):
        options = {"id": f"e{number}", "label": link.label, "title": link.title, "kgKind": "relationship"}
        if link.type == "CONTRADICTS":
            rejected = link.rejected
            page.rejected_shown |= rejected
            colour = _REJECTED_GREY if rejected else red
            options.update({
                "kgKind": "rejected" if rejected else "contradiction",
                "color": {"color": colour, "highlight": colour, "hover": colour},
                "dashes": [10, 8] if not rejected else [3, 6],
                "width": 1.5 if rejected else 3,
                "arrows": {"to": {"enabled": False}},
                "font": {"color": _CONTRADICTION_INK if not rejected else "#6c7378"},
                "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.15},
            })
        elif link.type == "STANCE":
            options["kgKind"] = "stance"
            options["width"] = round(1.5 + min(6.0, 1.5 * math.sqrt(len(link.statements) - 1)), 1)
        net.add_edge(index[link.source], index[link.target], **options)
    vis_nodes, vis_edges, *_ = net.get_network_data()
    for edge in vis_edges:  # pyvis marks each edge "arrows": "to"; the global option says the same
        if edge.get("arrows") == "to":
            del edge["arrows"]
    return list(vis_nodes), list(vis_edges), index


def _strength(contradiction: _Node) -> tuple[float, bool, str]:
    """The order contradictions are shown and kept in: highest score first, confirmed ones
    before others, then by id (the store-side cap orders them the same way in Cypher)."""
    value = contradiction.props.get("score")
    score = float(value) if isinstance(value, (int, float)) and math.isfinite(value) else 0.0
    return (-score, str(contradiction.props.get("status")) != "confirmed", contradiction.id)


def _story(page: _Page, links: list[_Link], index: Mapping[Key, int]) -> list[dict[str, Any]]:
    """One step per contradiction drawn (not rejected ones), strongest first: what to highlight,
    and both sides' quote, speaker and source for the captions."""
    grouped: dict[str, list[int]] = defaultdict(list)
    nodes_of: dict[str, _Node] = {}
    for number, link in enumerate(links):
        if link.type == "CONTRADICTS" and not link.rejected and link.contradiction is not None:
            grouped[link.contradiction.id].append(number)
            nodes_of[link.contradiction.id] = link.contradiction
    said: dict[Key, list[int]] = defaultdict(list)
    reported: dict[Key, list[int]] = defaultdict(list)
    for number, link in enumerate(links):
        if link.type == "SAID":
            said[link.target].append(number)
        elif link.type == "REPORTED_IN":
            reported[link.source].append(number)

    def side(statement: Key) -> dict[str, str]:
        node = page.nodes.get(statement)
        p = node.props if node else {}
        return {"quote": "\u201c" + truncate(page.text(p.get("text")), 420) + "\u201d",
                "speaker": page.speaker_line(statement) or "speaker unknown",
                "stance": page.text(p.get("stance")), "date": page.text(p.get("date")),
                "source": page.source_line(statement)}

    order = sorted(grouped, key=lambda c: _strength(nodes_of[c]))
    story = []
    for cid in order:
        numbers = list(grouped[cid])
        first = links[numbers[0]]
        keys = {k for n in numbers for k in (links[n].source, links[n].target)}
        for statement in first.statements:
            if statement in index:  # statements drawn: bring in who said them and where
                for n in said.get(statement, []) + reported.get(statement, []):
                    numbers.append(n)
                    keys.update((links[n].source, links[n].target))
        p = nodes_of[cid].props
        pair = [index[k] for k in ((first.source, first.target) if first.statements[0] not in index
                                   else first.statements) if k in index]
        story.append({
            "nodes": sorted(index[k] for k in keys if k in index),
            "pair": pair,
            "edges": [f"e{n}" for n in sorted(set(numbers))],
            "basis": page.text(p.get("basis")), "status": page.text(p.get("status")),
            "explanation": page.text(p.get("explanation")),
            "sides": [side(s) for s in first.statements],
        })
    return story


def _slide(page: _Page, title: str, nodes: dict[Key, _Node], links: list[_Link], description: str,
           warning: str, note: str = "") -> dict[str, Any]:
    """The title slide: title, what is shown in numbers, and the sources it comes from."""
    by_label: dict[str, int] = defaultdict(int)
    for key in nodes:
        by_label[key[0]] += 1
    conflicts = {link.contradiction.id for link in links
                 if link.type == "CONTRADICTS" and not link.rejected and link.contradiction is not None}
    parts = []
    for label, singular, plural in (("Actor", "actor", "actors"), ("Statement", "statement", "statements"),
                                    ("Event", "event", "events"), ("Place", "place", "places"),
                                    ("Topic", "topic", "topics"), ("Article", "article", "articles")):
        if by_label.get(label):
            parts.append(f"{by_label[label]} {singular if by_label[label] == 1 else plural}")
    parts.append(f"{len(conflicts)} contradiction{'' if len(conflicts) == 1 else 's'}")

    reported = {k for k in nodes if k[0] in ("Statement", "Event")}
    reported.update(s for link in links for s in link.statements)
    articles = {a for k in reported for a in page.reported_in.get(k, []) if a in page.nodes}
    ordered = sorted(articles, key=lambda a: (clean_text(page.nodes[a].props.get("published")),
                                              clean_text(page.nodes[a].props.get("title")), a[1]))
    sources = [line for line in (page.article_line(a) for a in ordered) if line]
    return {"title": clean_text(title) or "kg network", "subtitle": " \u00b7 ".join(parts),
            "view": description, "sources": sources[:8],
            "more": max(0, len(sources) - 8), "warning": warning, "note": note}


# --- building a view -------------------------------------------------------------------------------------


def build_view(
    ontology: Ontology,
    nodes: Iterable[tuple[str, str, Mapping[str, Any]]],
    edges: Iterable[tuple[str, Key, Key, Mapping[str, Any]]],
    *,
    key: bytes | Callable[[], bytes],
    title: str = "kg network",
    reveal: bool = False,
    include_articles: bool = False,
    focus_id: str | None = None,
    depth: int = 2,
    selected: set[str] | None = None,
    selected_by: str = "",
    types: Sequence[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    contradictions_only: bool = False,
    actors_only: bool = False,
    size: str = "degree",
    present: bool = False,
    theme: str = "light",
    max_nodes: int = 0,
    chosen: Selection | None = None,
) -> NetworkView:
    """The view of a graph given as nodes (label, id, display properties) and edges (type,
    (label, id), (label, id), properties): the store-free core of network_view, for tests and
    benchmarks. `selected` holds the values a query returned; `key` is the pseudonym key (or a
    function giving it, called only when there is a sensitive actor to pseudonymise).
    max_nodes: at most this many nodes are drawn, the most important (_most_important); 0 draws
    all. chosen: the nodes to draw, chosen in the store (the other nodes given are there for the
    names, quotes and dates these show)."""
    if size not in SIZES:
        raise KGError(f"size is one of {', '.join(SIZES)}, got {size!r}")
    if theme not in THEMES:
        raise KGError(f"theme is one of {', '.join(THEMES)}, got {theme!r}")
    if depth < 1:
        raise KGError(f"the depth is at least 1, got {depth}")
    if max_nodes < 0:
        raise KGError(f"the most nodes to draw is 0 (all) or more, got {max_nodes}")
    date_from = _check_date(date_from, "--from")
    date_to = _check_date(date_to, "--to")
    if date_from and date_to and _date_start(date_from) > _date_end(date_to):  # type: ignore[operator]
        raise KGError(f"--from {date_from} is after --to {date_to}")

    node_map = {(label, str(id_)): _Node(label, str(id_), dict(props)) for label, id_, props in nodes}
    edge_list = [_Edge(type_, source, target, dict(props)) for type_, source, target, props in edges]
    wanted = _type_names({e["name"]: e for e in ontology.legend()}, types) if types else None
    if wanted and "Article" in wanted:
        include_articles = True

    page = _Page(ontology, node_map, edge_list, reveal=reveal, include_articles=include_articles, key=key)
    shown, links = page.links()
    if chosen is not None:
        shown, links = _restrict(shown, links, chosen.keys)
    described: list[str] = []
    left_out = 0
    if date_from or date_to:
        start = _date_start(date_from) if date_from else "0000-00-00"
        end = _date_end(date_to) if date_to else "9999-99-99"
        shown, links, left_out = _filter_dates(page, shown, links, start or "", end or "")
        described.append(" ".join(p for p in (f"from {date_from}" if date_from else "",
                                              f"to {date_to}" if date_to else "") if p))
    statement_counts = (chosen.statement_counts if chosen is not None and chosen.statement_counts is not None
                        else _statement_counts(links))
    if contradictions_only:
        shown, links = _only_contradictions(shown, links, chosen.keys if chosen is not None else None)
        described.append("contradictions only")
    if selected is not None:
        shown, links = _select_values(page, shown, links, selected)
        described.append(selected_by or "the rows of a query")
    if actors_only:
        shown, links = _project(page, shown, links)
        described.append("actors only (statements drawn as what their speakers say about whom)")
    if focus_id is not None:
        start_key = ("Actor", str(focus_id))
        if start_key not in node_map:
            raise KGError("the focus actor is not in the graph")
        if start_key not in shown:
            raise KGError("the focus actor is not in this view (the other options leave it out)")
        shown, links = _neighbourhood(shown, links, start_key, depth)
        described.insert(0, f"neighbourhood of {page.name(start_key)} ({depth} step{'s' if depth != 1 else ''})")
    if wanted:
        keep = {k for k, n in shown.items() if page.type_name(n) in wanted or (k[0] == "Actor" and "Actor" in wanted)}
        shown, links = _restrict(shown, links, keep)
        labels = [page.legend[w]["label"] if w in page.legend else w for w in wanted]
        described.append("types: " + ", ".join(labels))
    if left_out:
        described.append(f"{left_out} statement{'s' if left_out != 1 else ''} or event"
                         f"{'s' if left_out != 1 else ''} outside the dates or undated left out")
    total = chosen.total if chosen is not None and chosen.total is not None else len(shown)
    if max_nodes and len(shown) > max_nodes:
        shown, links = _restrict(shown, links, _most_important(page, shown, links, max_nodes))
    capped = len(shown) < total
    if capped:
        described.append(f"the {len(shown):,} most important of {total:,} nodes ({CAP_ORDER})")
    description = "; ".join(described)

    vis_nodes, vis_edges, index = _assemble(page, shown, links, size=size, statement_counts=statement_counts)
    large = len(vis_nodes) > LAYOUT_THRESHOLD
    if large:
        coordinates = _layout(len(vis_nodes), ((e["from"] - 1, e["to"] - 1) for e in vis_edges))
        for node, (x, y) in zip(vis_nodes, coordinates):
            node["x"], node["y"] = round(x, 1), round(y, 1)

    summary = [("", f"{len(vis_nodes)} nodes \u00b7 {len(vis_edges)} edges"
                    + ("" if include_articles else " \u00b7 articles not shown"))]
    if vis_nodes:
        summary.append(("kg-usage", "Scroll to zoom, drag to move, hover or click for details; the bottom-right "
                                    "frame button shows the whole graph; p: presenter view, t: light or dark."))
    if description:
        summary.append(("kg-view", "Showing: " + description))
    sensitive_count = sum(1 for n in node_map.values() if n.label == "Actor" and n.props.get("sensitive"))
    warning = ""
    if sensitive_count and reveal:
        warning = (f"Names of {sensitive_count} protected "
                   f"{'person are' if sensitive_count == 1 else 'people are'} REVEALED in this page: do not share it.")
        summary.append(("kg-warning", warning))
    elif page.protected:
        summary.append(("", f"{page.protected} protected "
                            f"{'person is' if page.protected == 1 else 'people are'} shown under a pseudonym."))

    if not vis_nodes:
        empty = ("The graph is empty." if not node_map else
                 f"Nothing to draw: nothing matches ({description})." if description else
                 "Nothing to draw: the graph holds only articles (include articles to see them).")
    else:
        empty = ""
    type_counts: dict[str, int] = defaultdict(int)
    for node in vis_nodes:
        type_counts[node["kgType"]] += 1
    filters = []
    for entry in [*ontology.legend(), {"name": "Actor", "label": "Actor", "colour": "#2e86c1", "shape": "dot"}]:
        if type_counts.get(entry["name"]):
            filters.append({"name": entry["name"], "label": clean_text(entry["label"]),
                            "colour": _valid_colour(entry["colour"]), "shape": _valid_shape(entry["shape"]),
                            "count": type_counts[entry["name"]]})
    links_by_degree: dict[int, int] = defaultdict(int)
    for edge in vis_edges:
        links_by_degree[edge["from"]] += 1
        links_by_degree[edge["to"]] += 1
    focus = None
    if vis_nodes:
        if focus_id is not None and ("Actor", str(focus_id)) in index:
            focus = index[("Actor", str(focus_id))]
        else:
            focus = max(vis_nodes, key=lambda n: (links_by_degree[n["id"]], -n["id"]))["id"]
    return NetworkView(
        title=title,
        nodes=vis_nodes,
        edges=vis_edges,
        summary=summary,
        legend=_legend_html(ontology, include_articles=include_articles, rejected=page.rejected_shown,
                            protected=bool(page.protected), stance=actors_only, large=large),
        filters=filters,
        story=_story(page, links, index),
        slide=_slide(page, title, shown, links, description, warning,
                     f"{page.protected} protected {'person is' if page.protected == 1 else 'people are'} shown "
                     "under a pseudonym." if page.protected else ""),
        focus=focus,
        large=large,
        present=present,
        theme=theme,
        empty=empty,
        kg_ids={number: key[1] for key, number in index.items() if page.writes_id(key[1])},
        capped_from=total if capped else None,
    )
