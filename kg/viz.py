"""The network view: the graph as one self-contained, offline HTML page, and as pictures (PNG,
SVG) and files for Gephi (GEXF, GraphML).

The page is drawn with vis-network (through pyvis). Everything it needs is inside the one
file: the vis-network script and stylesheet are read from the installed pyvis package and
inlined, and a Content-Security-Policy forbids any request to any host. Nothing but the
output file is written (pyvis's own writers would put a lib/ folder into the working
directory and point at CDNs, so its page writer is not used).

Everything that comes from articles and case files is data, never markup. It reaches the
page only inside one JSON block whose `<`, `>`, `&`, U+2028 and U+2029 are escaped, labels
are drawn on a canvas, and tooltips, captions, search results and the title slide are DOM
nodes filled through textContent.

Actors marked sensitive appear under a stable pseudonym ("Protected person 3f2a9c"), keyed
with HMAC-SHA256, and their names and aliases are blotted out of every other text shown
(quotes, labels, explanations, story captions, the search index), unless the caller asks to
reveal them. Their store ids (hashes of their names) are never written either.

What is drawn can be narrowed: the neighbourhood of an actor, the nodes a named query
returns, some node types, a date range, only the contradictions; and statements can be
projected into actor-to-actor edges ("denies", "accuses", ...). Every page carries a search
box, type and date filters, and a presenter view (large type, light and dark themes, a title
slide and a story stepping through the contradictions one by one).

The graph is read with Cypher both stores accept: one query per node label and one per
relationship type and endpoint pair, each rendered from the ontology, with no label(),
type() or labels().
"""

from __future__ import annotations

import base64
import html
import json
import math
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
import weakref
from collections import defaultdict, deque
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Collection, Container, Iterable, Mapping, Sequence

from kg.errors import KGError
from kg.identity import slug, strip_invisible
from kg.ontology import Ontology
from kg.privacy import _CASCADE, Redactor, left_out, protection, pseudonym, pseudonym_key

if TYPE_CHECKING:
    from kg.stores.base import GraphStore

#: `kg viz` draws at most this many nodes unless told otherwise: a page of 20,000 is already
#: sluggish (benchmarks/viz_render.py) and nobody reads one of 100,000.
MAX_NODES = 2000
#: Above this many nodes the layout is computed here and physics is switched off.
LAYOUT_THRESHOLD = 1500
#: Up to this many nodes the browser lays the graph out fully before drawing it (about a second);
#: above, it draws after a short head start and lets the layout settle on screen.
QUICK_PHYSICS_LIMIT = 300
#: Up to this many nodes the SVG picture gets a force-directed layout (plain Python, a few
#: seconds at most); above, the tree layout.
FORCE_LAYOUT_LIMIT = 400

# Inline scripts and styles only, images only from data: URLs, no request to any host. (Written
# into the attribute as is: it holds no quote mark, angle bracket or ampersand.)
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
    "font-src 'none'; connect-src 'none'; media-src 'none'; object-src 'none'; frame-src 'none'; "
    "worker-src 'none'; manifest-src 'none'; base-uri 'none'; form-action 'none'"
)
assert not set(CSP) & set('"<>&')

_VIS_DIR = ("lib", "vis-9.1.2")
_SOURCE_MAP = re.compile(r"(//[#@]\s*sourceMappingURL=[^\n]*|/\*[#@]\s*sourceMappingURL=[^*]*\*/)")

# Properties shown for each label; anything else (article text, name keys, evidence offsets)
# stays in the store. Only columns the ontology declares are asked for.
_DISPLAY_COLUMNS: dict[str, tuple[str, ...]] = {
    "Article": ("title", "publisher", "published", "url"),
    "Actor": ("name", "aliases", "actor_type", "collective", "sensitive", "roles", "description"),
    "Statement": ("text", "kind", "stance", "date", "speaker_role", "cue"),
    "Event": ("label", "event_type", "time_text", "time_start", "time_end", "count_text", "description"),
    "Place": ("name", "aliases"),
    "Topic": ("label",),
    "Contradiction": ("basis", "status", "explanation", "score", "note"),
}
_FALLBACK_COLUMNS = ("name", "label", "title")
_EDGE_COLUMNS = ("role", "side")

# Shapes that draw their label inside (their size comes from the label, not from `size`).
_LABEL_INSIDE = {"ellipse", "box", "circle", "database", "text"}
_SHAPES = {"dot", "square", "diamond", "triangle", "triangleDown", "star", "hexagon", "ellipse", "box",
           "circle", "database", "text"}
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

_EDGE_GREY = "#8a8f94"
_CONTRADICTION_RED = "#e74c3c"
_CONTRADICTION_INK = "#b03a2e"
_REJECTED_GREY = "#a0a4a8"
_INK = "#1f2326"

# Display text: besides what identity.strip_invisible removes (zero-width characters, bidi
# controls, soft hyphen, BOM), the Arabic letter mark, the line/paragraph separators, and every
# other control character except newline and tab.
_CONTROL = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u2028\u2029\ufff9-\ufffb]")
_SPACES = re.compile(r"[ \t\r\f\v]+")

ARTICLES_SHOWN = 5  # articles named in a node's tooltip; the rest are counted

#: Dates as the options take them (and as the page's date filter takes them): ISO prefixes.
_DATE_OPTION = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_DATE_PREFIX = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")

SIZES = ("degree", "statements")
THEMES = ("light", "dark")

# Actor-to-actor projection: what a statement's stance makes its speaker do to whom it is about.
_STANCE_VERBS = {"denial": "denies", "accusation": "accuses", "testimony": "testifies about",
                 "affirmation": "affirms"}

Key = tuple[str, str]  # (label, id)


# --- text ------------------------------------------------------------------------------------------


def clean_text(value: Any) -> str:
    """Text as displayed: no bidi overrides, zero-width or control characters, no lone
    surrogates, runs of blanks collapsed (newlines kept)."""
    if value is None:
        return ""
    text = strip_invisible(str(value))
    text = _CONTROL.sub("", text)
    text = text.encode("utf-8", "replace").decode("utf-8")
    return _SPACES.sub(" ", text).strip()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def truncate(text: str, limit: int) -> str:
    text = _one_line(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.") + "\u2026"


def script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element: it cannot close the element, open a
    comment, or end a line early in older JavaScript parsers."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# --- reading the graph -----------------------------------------------------------------------------



@dataclass
class _Node:
    label: str
    id: str
    props: dict[str, Any]


@dataclass
class _Edge:
    type: str
    source: tuple[str, str]  # (label, id)
    target: tuple[str, str]
    props: dict[str, Any] = field(default_factory=dict)



def _read_nodes(store: Any, ontology: Ontology, ids: Mapping[str, Collection[str]] | None = None
                ) -> dict[tuple[str, str], _Node]:
    """Every content node, or (ids: label -> ids) only those."""
    nodes: dict[tuple[str, str], _Node] = {}
    for label, table in ontology.content_nodes.items():
        if ids is not None and not ids.get(label):
            continue
        wanted = _DISPLAY_COLUMNS.get(label, _FALLBACK_COLUMNS)
        columns = [c for c in wanted if c in table.columns and c != "id"]
        if ids is None:
            cypher = ontology.render("MATCH (n:{label}) RETURN n.id", label=label)
        else:  # one key lookup per id: `WHERE n.id IN $ids` compares every node with every id on LadybugDB
            cypher = ontology.render("UNWIND $ids AS node_id MATCH (n:{label} {{id: node_id}}) RETURN n.id",
                                     label=label)
        cypher += "".join(", " + ontology.render("n.{col}", col=c) for c in columns)
        cypher += " ORDER BY n.id"
        rows = store.run(cypher).rows if ids is None else store.run(cypher, {"ids": sorted(ids[label])}).rows
        for row in rows:
            node_id, values = row[0], row[1:]
            if node_id is None:
                continue
            nodes[(label, str(node_id))] = _Node(label, str(node_id), dict(zip(columns, values)))
    return nodes


def _protect(nodes: dict[Key, _Node], edges: list[_Edge], sensitive: Collection[str], out: Collection[str]
             ) -> tuple[dict[Key, _Node], list[_Edge]]:
    """The graph as its protections say: actors sensitive by case file, command or role are
    marked so, and what is left out (restricted items and what would give them away) goes."""
    for node in nodes.values():
        if node.label == "Actor":
            node.props["sensitive"] = node.id in sensitive
    if not out:
        return nodes, edges
    return ({k: n for k, n in nodes.items() if n.id not in out},
            [e for e in edges if e.source[1] not in out and e.target[1] not in out])


# Edges read around the nodes a capped view draws, for what their tooltips, dates and captions
# say (speakers, articles, contradictions), with the end they are found from.
_CONTEXT_EDGES = {("SAID", "target"), ("REPORTED_IN", "source"), ("INVOLVES", "target")}


def _read_edges(store: Any, ontology: Ontology, around: Mapping[str, Collection[str]] | None = None
                ) -> list[_Edge]:
    """Every edge, or (around: label -> ids) the edges among those nodes and the context edges
    (_CONTEXT_EDGES) reaching them."""
    edges: list[_Edge] = []
    for rel_type, table in ontology.relationships.items():
        columns = [c for c in _EDGE_COLUMNS if c in table.columns]
        for source, target in table.pairs:
            # Labelled endpoints: LadybugDB then scans one table pair instead of all of them.
            names = {"source": source, "rel": rel_type, "target": target}
            params: dict[str, Any] = {}
            if around is None:
                cypher = ontology.render("MATCH (s:{source})-[r:{rel}]->(t:{target})", **names)
            else:  # from the given ends, by key lookups (see _read_nodes)
                # The edges are an OPTIONAL MATCH from the looked-up ends: LadybugDB 0.22 plans a
                # MATCH of the whole pattern as a hash join over every edge of the type (947,653
                # REPORTED_IN for 1,146 statements at 100,000 articles, which filled its buffer
                # pool), and the optional one as reads of those ends' edges only.
                sources, targets = sorted(around.get(source, ())), sorted(around.get(target, ()))
                if (rel_type, "target") in _CONTEXT_EDGES and targets:
                    cypher = ontology.render("UNWIND $targets AS node_id MATCH (t:{target} {{id: node_id}}) "
                                             "OPTIONAL MATCH (s:{source})-[r:{rel}]->(t) WITH s, r, t "
                                             "WHERE s IS NOT NULL", **names)
                    params = {"targets": targets}
                elif (rel_type, "source") in _CONTEXT_EDGES and sources:
                    cypher = ontology.render("UNWIND $sources AS node_id MATCH (s:{source} {{id: node_id}}) "
                                             "OPTIONAL MATCH (s)-[r:{rel}]->(t:{target}) WITH s, r, t "
                                             "WHERE t IS NOT NULL", **names)
                    params = {"sources": sources}
                elif sources and targets:
                    cypher = ontology.render("UNWIND $sources AS node_id MATCH (s:{source} {{id: node_id}}) "
                                             "OPTIONAL MATCH (s)-[r:{rel}]->(t:{target}) WITH s, r, t "
                                             "WHERE t.id IN $targets", **names)
                    params = {"sources": sources, "targets": targets}
                else:
                    continue
            cypher += " RETURN s.id, t.id"
            cypher += "".join(", " + ontology.render("r.{col}", col=c) for c in columns)
            cypher += " ORDER BY s.id, t.id"
            for row in (store.run(cypher, params) if params else store.run(cypher)).rows:
                edges.append(_Edge(rel_type, (source, str(row[0])), (target, str(row[1])),
                                   dict(zip(columns, row[2:]))))
    return edges


# --- building the picture ---------------------------------------------------------------------------


def _words(rel_type: str) -> str:
    return rel_type.lower().replace("_", " ")


def _valid_colour(value: str, default: str = "#999999") -> str:
    return value if _COLOUR.match(value or "") else default


def _valid_shape(value: str) -> str:
    return value if value in _SHAPES else "dot"


def _font_colour(background: str) -> str:
    hex_ = background.lstrip("#")
    if len(hex_) == 3:
        hex_ = "".join(c * 2 for c in hex_)
    r, g, b = (int(hex_[i : i + 2], 16) for i in (0, 2, 4))
    return "#1b1b1b" if (0.299 * r + 0.587 * g + 0.114 * b) > 150 else "#ffffff"


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
        self.redact = Redactor(names).text
        # Names as they appear in ids ("lapunov" in event:lapunov-detention-grozny-2017).
        # Indexed by their first four characters: thousands of them are looked for in every id written.
        self.protected_slugs: dict[str, set[str]] = defaultdict(set)
        for name in names if self.pseudonyms else ():
            if len(slug(name)) >= 4:
                self.protected_slugs[slug(name)[:4]].add(slug(name))

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
        folded = node_id.casefold()
        return not any(folded.startswith(protected, start) for start in range(len(folded) - 3)
                       for protected in self.protected_slugs.get(folded[start:start + 4], ()))

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


def _options(large: bool, count: int = 0) -> dict[str, Any]:
    face = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"
    options: dict[str, Any] = {
        "nodes": {
            "font": {"size": 18, "face": face, "color": _INK, "strokeWidth": 3, "strokeColor": "#ffffff"},
            "borderWidth": 1,
            "margin": 10,
            # Below this many pixels on screen a label is not drawn; zoom in to read it.
            "scaling": {"label": {"drawThreshold": 6, "maxVisible": 40}},
        },
        "edges": {
            "font": {"size": 16, "face": face, "color": "#3d4246", "strokeWidth": 4, "strokeColor": "#ffffff",
                     "align": "horizontal"},
            "color": {"color": _EDGE_GREY, "highlight": "#34495e", "hover": "#34495e"},
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "smooth": {"enabled": True, "type": "continuous", "roundness": 0.3},
            "width": 1.2,
            "selectionWidth": 2,
            # Edge labels appear once zoomed in far enough to read them.
            "scaling": {"label": {"drawThreshold": 15, "maxVisible": 32}},
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": True,
                        "keyboard": {"enabled": True, "bindToWindow": False}, "multiselect": True},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -220, "centralGravity": 0.012,
                                 "springLength": 190, "springConstant": 0.05, "avoidOverlap": 1.0},
            "stabilization": {"enabled": True, "iterations": 600, "updateInterval": 50, "fit": True},
            "minVelocity": 1.0,
        },
        "layout": {"randomSeed": 7, "improvedLayout": True},
    }
    if count > QUICK_PHYSICS_LIMIT and not large:
        # Drawn after 100 rounds (a few seconds at most), then settling on screen: see settle().
        options["physics"]["stabilization"]["iterations"] = 100
        options["layout"]["improvedLayout"] = False
    if count > QUICK_PHYSICS_LIMIT or large:  # smooth dragging and zooming: edges come back after
        options["interaction"]["hideEdgesOnDrag"] = True
        options["interaction"]["hideEdgesOnZoom"] = True
    if large:
        options["physics"] = {"enabled": False}
        options["layout"] = {"improvedLayout": False}
        options["edges"]["smooth"] = {"enabled": False}
        # Arrowheads cost about a third of a frame on a big graph: there the edge's tooltip and
        # label say which way it goes.
        options["edges"]["arrows"] = {"to": {"enabled": False}}
    return options


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


def _store_directory(store: Any) -> Path | None:
    directory = getattr(store, "directory", None)
    return Path(directory) if directory is not None else None


def _query_values(rows: Iterable[Sequence[Any]]) -> set[str]:
    values: set[str] = set()

    def add(value: Any) -> None:
        if isinstance(value, str):
            values.add(value)
        elif isinstance(value, (list, tuple)):
            for item in value:
                add(item)
        elif isinstance(value, Mapping):
            if isinstance(value.get("id"), str):
                values.add(value["id"])

    for row in rows:
        for value in row:
            add(value)
    return values


# --- choosing a capped view in the store ---------------------------------------------------------------
# Without options that need the whole graph (the whole view, or only the contradictions), a
# view over the cap is chosen by the database: the strongest contradictions and then each
# label's most connected nodes, as ids; only those nodes, the edges among them and what their
# texts name are read. Python holds O(max_nodes).


def _left_out_in_store(store: Any, ontology: Ontology, restricted: Iterable[str]) -> set[str]:
    """kg.privacy.left_out, following each relationship of its cascade from the ids left out
    so far instead of reading every edge."""
    out = set(restricted)
    for rel_type, restricted_end in _CASCADE:
        if not out:
            break
        for source, target in ontology.relationships[rel_type].pairs:
            names = {"source": source, "rel": rel_type, "target": target}
            if restricted_end == "target":
                cypher = ontology.render("UNWIND $ids AS node_id "
                                         "MATCH (s:{source})-[r:{rel}]->(t:{target} {{id: node_id}})", **names)
            else:
                cypher = ontology.render("UNWIND $ids AS node_id "
                                         "MATCH (s:{source} {{id: node_id}})-[r:{rel}]->(t:{target})", **names)
            cypher += " RETURN s.id, t.id"
            for source_id, target_id in store.run(cypher, {"ids": sorted(out)}).rows:
                out.add(str(source_id if restricted_end == "target" else target_id))
    return out


def _drawn_as_node(ontology: Ontology, label: str) -> str:
    """A Cypher condition on n to add to a WHERE: that a node of this label is drawn as a node
    (a contradiction between two statements or more is drawn as an edge; see _Page.links)."""
    if label != "Contradiction":
        return ""
    return ontology.render(" AND COUNT {{ MATCH (n)-[:{rel}]->(:{target}) }} < 2", rel="INVOLVES", target="Statement")


def _degree(ontology: Ontology, label: str, labels: Collection[str]) -> str:
    """A Cypher expression: the edges of n (of this label) to drawn nodes."""
    terms = []
    for rel_type, table in ontology.relationships.items():
        for source, target in table.pairs:
            if source == label and target in labels:
                terms.append(ontology.render("COUNT {{ MATCH (n)-[:{rel}]->(:{target}) }}", rel=rel_type, target=target))
            if target == label and source in labels:
                terms.append(ontology.render("COUNT {{ MATCH (n)<-[:{rel}]-(:{source}) }}", rel=rel_type, source=source))
    return " + ".join(terms) or "0"


def _shown_contradiction(ontology: Ontology) -> str:
    """A Cypher condition on c: a contradiction drawn as an edge between its statements (two
    or more) and stepped through by the story (not rejected, not left out; $rejected, $out)."""
    return ontology.render("(c.status IS NULL OR c.status <> $rejected) AND NOT c.id IN $out AND "
                           "COUNT {{ MATCH (c)-[:{rel}]->(:{target}) }} >= 2", rel="INVOLVES", target="Statement")


def _view_queries(ontology: Ontology, *, include_articles: bool, contradictions_only: bool
                  ) -> list[tuple[str, str, str]]:
    """(label, a Cypher counting the view's nodes of that label, one ranking them by their
    degree in the view: n.id, degree, at most $limit); with parameters $out and $rejected."""
    if contradictions_only:  # the statements of the contradictions and who said them (_only_contradictions)
        shown = _shown_contradiction(ontology)
        names = {"contradiction": "Contradiction", "involves": "INVOLVES", "statement": "Statement",
                 "said": "SAID", "actor": "Actor"}
        statements = ontology.render("MATCH (c:{contradiction})-[:{involves}]->(n:{statement}) WHERE ", **names) + shown
        speakers = (ontology.render("MATCH (c:{contradiction})-[:{involves}]->(s:{statement})<-[:{said}]-(n:{actor}) "
                                    "WHERE ", **names) + shown)
        return [
            ("Statement", statements + " RETURN count(DISTINCT n)",
             statements + ontology.render(" WITH n, count(c) AS conflicts RETURN n.id, conflicts + "
                                          "COUNT {{ MATCH (n)<-[:{said}]-(:{actor}) }} AS degree", **names)
             + " ORDER BY degree DESC, n.id LIMIT $limit"),
            ("Actor", speakers + " RETURN count(DISTINCT n)",
             speakers + " WITH DISTINCT n, s RETURN n.id, count(s) AS degree ORDER BY degree DESC, n.id LIMIT $limit"),
        ]
    labels = [label for label in ontology.content_nodes if include_articles or label != "Article"]
    queries = []
    for label in labels:
        nodes = ontology.render("MATCH (n:{label}) WHERE NOT n.id IN $out", label=label) + _drawn_as_node(ontology, label)
        queries.append((label, nodes + " RETURN count(n)", nodes + " RETURN n.id, " + _degree(ontology, label, labels)
                        + " AS degree ORDER BY degree DESC, n.id LIMIT $limit"))
    return queries


def _contradiction_groups(store: Any, ontology: Ontology, out: set[str], page_size: int
                          ) -> Iterable[set[Key]]:
    """Each contradiction drawn as an edge (not rejected), in _strength's order: its
    statements and their speakers."""
    ranked = (ontology.render("MATCH (c:{label}) WHERE ", label="Contradiction") + _shown_contradiction(ontology)
              + " RETURN c.id ORDER BY coalesce(c.score, 0.0) DESC, "
                "CASE WHEN c.status = $confirmed THEN 0 ELSE 1 END, c.id SKIP $skip LIMIT $limit")
    statements = ontology.render("UNWIND $ids AS node_id MATCH (s:{source} {{id: node_id}})-[r:{rel}]->(t:{target}) "
                                 "RETURN s.id, t.id", source="Contradiction", rel="INVOLVES", target="Statement")
    speakers = ontology.render("UNWIND $ids AS node_id MATCH (s:{source})-[r:{rel}]->(t:{target} {{id: node_id}}) "
                               "RETURN t.id, s.id", source="Actor", rel="SAID", target="Statement")
    skip = 0
    while True:
        ids = [str(row[0]) for row in store.run(ranked, {"rejected": "rejected", "confirmed": "confirmed",
                                                         "out": sorted(out), "skip": skip, "limit": page_size}).rows]
        if not ids:
            return
        involved: dict[str, list[str]] = defaultdict(list)
        for contradiction, statement in store.run(statements, {"ids": ids}).rows:
            involved[str(contradiction)].append(str(statement))
        said: dict[str, list[str]] = defaultdict(list)
        for statement, speaker in store.run(speakers, {"ids": sorted({s for ss in involved.values() for s in ss})}).rows:
            said[str(statement)].append(str(speaker))
        for cid in ids:
            yield ({("Statement", s) for s in involved[cid]}
                   | {("Actor", a) for s in involved[cid] for a in said[s] if a not in out})
        skip += page_size


def _choose_in_store(store: Any, ontology: Ontology, *, include_articles: bool, contradictions_only: bool,
                     limit: int, out: set[str]) -> Selection | None:
    """The nodes of the whole view (or of the contradictions-only view) to draw, chosen by the
    database as _most_important chooses (the degree counts edges to left-out neighbours too);
    None when the view has no more than `limit` nodes."""
    queries = _view_queries(ontology, include_articles=include_articles, contradictions_only=contradictions_only)
    params = {"out": sorted(out), "rejected": "rejected"}
    total = sum(int(store.run(count, params).rows[0][0]) for _, count, _ in queries)
    if total <= limit:
        return None

    keep: set[Key] = set()
    for group in _contradiction_groups(store, ontology, out, limit):
        new = group - keep
        if len(keep) + len(new) > limit:
            break
        keep |= new
    room = limit - len(keep)
    candidates: list[tuple[int, str, str]] = []
    for label, _, ranked in queries if room else []:
        # The kept ones are skipped here, not in the query (a long `NOT IN` list is slow on LadybugDB).
        kept = sum(1 for k in keep if k[0] == label)
        candidates += [(-int(degree), label, str(node_id))
                       for node_id, degree in store.run(ranked, {**params, "limit": room + kept}).rows
                       if (label, str(node_id)) not in keep]
    keep.update((label, node_id) for _, label, node_id in sorted(candidates)[:room])
    return Selection(frozenset(keep), total)


class _NotLeftOut:
    """The keys of nodes not left out (for _contradiction_pairs)."""

    def __init__(self, out: Collection[str]) -> None:
        self.out = out

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and key[1] not in self.out


def _adjacent_in_store(store: Any, ontology: Ontology, keys: Collection[Key], labels: Collection[str],
                       out: Collection[str]) -> set[Key]:
    """The nodes one edge away from `keys` in the picture _Page.links draws: edges to nodes of
    the drawn labels, and a contradiction as edges between its statements (or, when it has
    fewer than two, as a node of its own)."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for label, node_id in sorted(keys):
        by_label[label].append(node_id)
    found: set[Key] = set()
    for rel_type, table in ontology.relationships.items():
        if rel_type == "INVOLVES":
            continue
        for source, target in table.pairs:
            names = {"source": source, "rel": rel_type, "target": target}
            if by_label.get(source) and target in labels:
                cypher = ontology.render("UNWIND $ids AS node_id MATCH (s:{source} {{id: node_id}})-[r:{rel}]->"
                                         "(t:{target}) RETURN t.id", **names)
                found.update((target, str(row[0])) for row in store.run(cypher, {"ids": by_label[source]}).rows)
            if by_label.get(target) and source in labels:
                cypher = ontology.render("UNWIND $ids AS node_id MATCH (s:{source})-[r:{rel}]->"
                                         "(t:{target} {{id: node_id}}) RETURN s.id", **names)
                found.update((source, str(row[0])) for row in store.run(cypher, {"ids": by_label[target]}).rows)
    names = {"source": "Contradiction", "rel": "INVOLVES", "target": "Statement"}
    contradictions = set(by_label.get("Contradiction", []))
    if by_label.get("Statement"):
        cypher = ontology.render("UNWIND $ids AS node_id MATCH (s:{source})-[r:{rel}]->(t:{target} {{id: node_id}}) "
                                 "RETURN s.id", **names)
        contradictions.update(str(row[0]) for row in store.run(cypher, {"ids": by_label["Statement"]}).rows)
    sides: dict[str, dict[str, list[Key]]] = defaultdict(lambda: defaultdict(list))
    cypher = ontology.render("UNWIND $ids AS node_id MATCH (s:{source} {{id: node_id}})-[r:{rel}]->(t:{target}) "
                             "RETURN s.id, t.id, r.side ORDER BY s.id, t.id", **names)
    for cid, statement, side in store.run(cypher, {"ids": sorted(contradictions - set(out))}).rows:
        sides[str(cid)][str(side or "")].append(("Statement", str(statement)))
    drawn = _NotLeftOut(out)
    for cid, by_side in sides.items():
        pairs = _contradiction_pairs(by_side, drawn)
        if pairs is None:  # drawn as a node, with an edge to each of its statements
            pairs = [(("Contradiction", cid), s) for ss in by_side.values() for s in ss if s in drawn]
        for x, y in pairs:
            if x in keys:
                found.add(y)
            if y in keys:
                found.add(x)
    return {k for k in found if k in drawn}


def _neighbourhood_in_store(store: Any, ontology: Ontology, start: Key, depth: int, *, include_articles: bool,
                            out: Collection[str]) -> set[Key]:
    """_neighbourhood, walked in the store one step at a time (articles reached, not gone through)."""
    labels = {label for label in ontology.content_nodes if include_articles or label != "Article"}
    seen = {start}
    frontier = {start}
    for _ in range(depth):
        frontier = {k for k in frontier if k[0] != "Article" or k == start}
        if not frontier:
            break
        frontier = _adjacent_in_store(store, ontology, frontier, labels, out) - seen
        seen |= frontier
    return seen


def _statement_counts_in_store(store: Any, ontology: Ontology, keys: Collection[Key], out: Collection[str]
                               ) -> dict[Key, int]:
    """_statement_counts of these nodes in the whole graph, counted by the database: a
    statement counts itself, anything else the statements said by or about it."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for label, node_id in sorted(keys):
        by_label[label].append(node_id)
    counts: dict[Key, int] = {}
    for label, ids in by_label.items():
        terms = []
        for rel_type in ("SAID", "ABOUT"):
            for source, target in ontology.relationships[rel_type].pairs:
                if source == label:
                    terms.append(ontology.render("COUNT {{ MATCH (n)-[:{rel}]->(m:{target}) WHERE NOT m.id IN $out }}",
                                                 rel=rel_type, target=target))
                if target == label:
                    terms.append(ontology.render("COUNT {{ MATCH (n)<-[:{rel}]-(m:{source}) WHERE NOT m.id IN $out }}",
                                                 rel=rel_type, source=source))
        if not terms:
            continue
        cypher = (ontology.render("UNWIND $ids AS node_id MATCH (n:{label} {{id: node_id}}) RETURN n.id, ", label=label)
                  + " + ".join(terms))
        for node_id, count in store.run(cypher, {"ids": ids, "out": sorted(out)}).rows:
            if count:
                counts[(label, str(node_id))] = 1 if label == "Statement" else int(count)
    return counts


def _read_chosen(store: Any, ontology: Ontology, keys: Collection[Key], sensitive: Collection[str]
                 ) -> tuple[dict[Key, _Node], list[_Edge]]:
    """The chosen nodes, the edges among them, and what their texts name: the speakers of
    their statements, the articles reporting them, the contradictions involving them, and
    every sensitive actor (whose names are blotted out of all text)."""
    by_label: dict[str, set[str]] = defaultdict(set)
    for label, node_id in keys:
        by_label[label].add(node_id)
    edges = _read_edges(store, ontology, by_label)
    wanted = defaultdict(set, {label: set(ids) for label, ids in by_label.items()})
    for edge in edges:
        for label, node_id in (edge.source, edge.target):
            wanted[label].add(node_id)
    wanted["Actor"].update(sensitive)
    return _read_nodes(store, ontology, wanted), edges


def network_view(
    store: "GraphStore",
    *,
    title: str = "kg network",
    reveal: bool = False,
    include_articles: bool = False,
    focus: str | None = None,
    depth: int = 2,
    query: str | None = None,
    params: Mapping[str, Any] | None = None,
    types: Sequence[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    contradictions_only: bool = False,
    actors_only: bool = False,
    size: str = "degree",
    present: bool = False,
    theme: str = "light",
    include_restricted: bool = False,
    max_nodes: int = MAX_NODES,
) -> NetworkView:
    """Read the graph in `store` and make the view the options ask for.

    focus: an actor's id, name or alias (kg.queries.resolve_actor), drawn with everything within
    `depth` edges of it. query/params: a named query, whose rows' ids (or exact names) pick what
    is drawn. types: legend names (Person, Statement, Event, ...; Actor for every actor).
    date_from/date_to: ISO prefixes (2017, 2018-07) bounding the dates of statements and events.
    contradictions_only: the contradicting statements, their speakers and the contradictions.
    actors_only: statements collapsed into speaker-to-actor edges (denies, accuses, ...).
    size: node size by "degree" or by number of "statements". present/theme: how the page opens.
    Restricted items are left out unless include_restricted (kg.privacy.left_out).
    max_nodes: at most this many nodes are drawn (0: all), strongest contradictions first, then
    the most connected. Without query, types, dates or actors_only only what is drawn is read:
    the database chooses the nodes, or the focus's neighbourhood is walked in it; else the
    whole graph is read first."""
    ontology: Ontology = store.ontology
    focus_id = None
    if focus is not None:
        from kg.queries import resolve_actor

        focus_id = resolve_actor(store, focus)
    selected = None
    selected_by = ""
    if query is not None:
        from kg.queries import get_query

        result = get_query(query).run(store, dict(params or {}))
        selected = _query_values(result.rows)
        selected_by = f"query {query} ({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})"
    elif params:
        raise KGError("query parameters are given without a query")
    protected = protection(store)
    # Read only what is drawn: a neighbourhood walked in the store, or the nodes the database
    # chooses for a cap.
    walk = focus_id is not None and not contradictions_only
    chosen = None
    if not (query is not None or types or date_from or date_to or actors_only) and (
            walk or (focus_id is None and max_nodes > 0)):
        out = set() if include_restricted else _left_out_in_store(store, ontology, protected.restricted)
        if walk:
            around = _neighbourhood_in_store(store, ontology, ("Actor", str(focus_id)), depth,
                                             include_articles=include_articles, out=out)
            chosen = Selection(frozenset(around))
        else:
            chosen = _choose_in_store(store, ontology, include_articles=include_articles,
                                      contradictions_only=contradictions_only, limit=max_nodes, out=out)
        if chosen is not None and size == "statements":
            chosen = replace(chosen, statement_counts=_statement_counts_in_store(store, ontology, chosen.keys, out))
    if chosen is None:
        nodes, edges = _read_nodes(store, ontology), _read_edges(store, ontology)
        out = set() if include_restricted else left_out(protected.restricted,
                                                         ((e.type, e.source[1], e.target[1]) for e in edges))
    else:
        nodes, edges = _read_chosen(store, ontology, chosen.keys, protected.sensitive)
    nodes, edges = _protect(nodes, edges, protected.sensitive, out)
    return build_view(
        ontology,
        ((n.label, n.id, n.props) for n in nodes.values()),
        ((e.type, e.source, e.target, e.props) for e in edges),
        key=lambda: pseudonym_key(_store_directory(store)),
        title=title, reveal=reveal, include_articles=include_articles, focus_id=focus_id, depth=depth,
        selected=selected, selected_by=selected_by, types=types, date_from=date_from, date_to=date_to,
        contradictions_only=contradictions_only, actors_only=actors_only, size=size, present=present,
        theme=theme, max_nodes=max_nodes, chosen=chosen,
    )


def write_network_html(store: "GraphStore", output: Path, *, title: str = "kg network", reveal: bool = False,
                       include_articles: bool = False, **options: Any) -> dict[str, Any]:
    """Write the graph in `store` as one self-contained HTML page at `output`.

    Returns {"path": ..., "nodes": n, "edges": m}: the nodes and edges drawn on the page.
    Sensitive actors are pseudonymised unless reveal=True; articles (and the REPORTED_IN and
    MENTIONED_IN edges to them) are left out unless include_articles=True. Other keyword
    options narrow the view, cap it (max_nodes, MAX_NODES unless given) and set how the page
    opens: see network_view."""
    output = check_output(output)
    view = network_view(store, title=title, reveal=reveal, include_articles=include_articles, **options)
    return view.write_html(output)


# --- the page -----------------------------------------------------------------------------------------


def _vis_assets() -> tuple[str, str]:
    try:
        folder = resources.files("pyvis").joinpath(*_VIS_DIR)
        script = folder.joinpath("vis-network.min.js").read_text(encoding="utf-8")
        style = folder.joinpath("vis-network.css").read_text(encoding="utf-8")
    except (ImportError, OSError) as exc:
        raise KGError(f"cannot read vis-network from the pyvis package: {exc}") from None
    # A source map comment would make developer tools fetch a file: drop it.
    script = _SOURCE_MAP.sub("", script)
    style = _SOURCE_MAP.sub("", style)
    for text, end in ((script, "</script"), (style, "</style")):
        if end in text.lower() or "<!--" in text:
            raise KGError("the vis-network files of this pyvis cannot be inlined safely")
    return script, style


# The page's own code. Every string that comes from the graph is put into the page with
# setText (textContent); nothing is ever parsed as HTML.
_SCRIPT = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var body = document.body;
  function byId(id) { return document.getElementById(id); }
  // The one way text from the graph reaches the page: as text, never as markup.
  function setText(element, text) { element.textContent = text; }
  function debounce(fn, ms) { var t = null; return function () { clearTimeout(t); t = setTimeout(fn, ms); }; }
  function later(fn) { setTimeout(fn, 80); }
  function toSet(list) { var s = {}; list.forEach(function (x) { s[x] = true; }); return s; }
  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  var THEMES = {
    light: {ink: "#1f2326", halo: "#ffffff", edge: "#8a8f94", edgeHi: "#34495e", edgeInk: "#3d4246",
            red: "#e74c3c", redInk: "#b03a2e", grey: "#a0a4a8", greyInk: "#6c7378", dim: "#dde1e5"},
    dark: {ink: "#eef1f4", halo: "#14181c", edge: "#7d868e", edgeHi: "#d5dade", edgeInk: "#d5dade",
           red: "#ff5e4d", redInk: "#ff8a7a", grey: "#6c7378", greyInk: "#a0a8b0", dim: "#2b3137"}
  };
  var FONT = {explore: {node: 18, edge: 16}, present: {node: 30, edge: 24}};
  var READABLE = 0.85;
  var WIDE = {explore: 200, present: 330};
  var state = {theme: data.theme === "dark" ? "dark" : "light", present: !!data.present, step: 0,
               styled: false, highlight: null, picture: false};
  String(location.hash || "").replace(/^#/, "").split(/[&;,]/).forEach(function (token) {
    if (token === "present") { state.present = true; }
    else if (token === "explore") { state.present = false; }
    else if (token === "dark" || token === "light") { state.theme = token; }
    else if (/^step=\d{1,5}$/.test(token)) { state.step = parseInt(token.slice(5), 10); }
    else if (token === "picture") { state.picture = true; }
  });
  if (state.picture) { state.present = false; body.classList.add("kg-picture"); }

  // Tooltip texts are kept here and shown as text; vis-network never sees them.
  var texts = {nodes: {}, edges: {}};
  var meta = {};
  var ids = [];
  data.nodes.forEach(function (node) {
    texts.nodes[node.id] = typeof node.title === "string" ? node.title : "";
    delete node.title;
    ids.push(node.id);
    meta[node.id] = {type: node.kgType, dated: Object.prototype.hasOwnProperty.call(node, "kgDate"),
                     date: node.kgDate || null, search: fold(node.kgSearch || node.label || ""),
                     name: fold(node.label || ""), label: String(node.label || ""),
                     ink: node.font && node.font.color ? node.font.color : null,
                     statement: node.kgType === "Statement"};
  });
  var edgeKind = {};
  var edgeIds = [];
  data.edges.forEach(function (edge) {
    texts.edges[edge.id] = typeof edge.title === "string" ? edge.title : "";
    delete edge.title;
    edgeKind[edge.id] = edge.kgKind;
    edgeIds.push(edge.id);
  });

  // Filters: a node is drawn unless its type is unticked or it falls outside the dates.
  var visible = {}, hiddenTypes = {}, range = null, datedNear = {};
  data.edges.forEach(function (edge) {
    [[edge.from, edge.to], [edge.to, edge.from]].forEach(function (pair) {
      var a = meta[pair[0]], b = meta[pair[1]];
      if (a && b && a.dated && !b.dated) { (datedNear[pair[1]] = datedNear[pair[1]] || []).push(pair[0]); }
    });
  });
  if (state.present || (state.picture && data.present)) {  // lay out with the large type it opens in
    data.options.nodes.font.size = FONT.present.node;
    data.options.edges.font.size = FONT.present.edge;
    data.nodes.forEach(function (node) { if (meta[node.id].ink) { node.widthConstraint = {maximum: WIDE.present}; } });
  }
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var nodeView = new vis.DataView(nodes, {filter: function (n) { return visible[n.id] !== false; }});
  var edgeView = new vis.DataView(edges, {filter: function (e) { return visible[e.from] !== false && visible[e.to] !== false; }});
  var container = byId("kg-network");
  var network = new vis.Network(container, {nodes: nodeView, edges: edgeView}, data.options);

  var drawnOnce = false;
  network.on("afterDrawing", function () {
    if (drawnOnce) { return; }
    drawnOnce = true;
    body.setAttribute("data-kg-drawn-ms", String(Math.round(performance.now())));
    body.setAttribute("data-kg-drawn-nodes", String(network.body.nodeIndices.length));
    body.setAttribute("data-kg-drawn-edges", String(network.body.edgeIndices.length));
  });

  function computeVisible() {
    var inRange = {};
    ids.forEach(function (id) {
      var m = meta[id];
      inRange[id] = !range || !m.dated || (!!m.date && m.date[1] >= range[0] && m.date[0] <= range[1]);
    });
    ids.forEach(function (id) {
      var m = meta[id], ok = !hiddenTypes[m.type] && inRange[id];
      if (ok && range && !m.dated && datedNear[id]) {
        ok = datedNear[id].some(function (other) { return inRange[other]; });
      }
      visible[id] = ok;
    });
    nodeView.refresh();
    edgeView.refresh();
  }
  var filterStatus = byId("kg-filter-status"), fromInput = byId("kg-from"), toInput = byId("kg-to");
  var DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
  function dateStart(v) { var p = v.split("-"); return p[0] + "-" + (p[1] || "01") + "-" + (p[2] || "01"); }
  function dateEnd(v) { var p = v.split("-"); return p[0] + "-" + (p[1] || "12") + "-" + (p[2] || "31"); }
  function applyFilters() {
    var from = fromInput.value.trim(), to = toInput.value.trim();
    if ((from && !DATE.test(from)) || (to && !DATE.test(to))) {
      setText(filterStatus, "Write dates as YYYY, YYYY-MM or YYYY-MM-DD.");
      return;
    }
    range = from || to ? [from ? dateStart(from) : "0000-00-00", to ? dateEnd(to) : "9999-99-99"] : null;
    computeVisible();
    var shown = network.body.nodeIndices.length;
    body.setAttribute("data-kg-shown-nodes", String(shown));
    body.setAttribute("data-kg-shown-edges", String(network.body.edgeIndices.length));
    setText(filterStatus, shown === ids.length ? "" : "Showing " + shown + " of " + ids.length + " nodes.");
  }
  Array.prototype.forEach.call(document.querySelectorAll("#kg-types input[type=checkbox]"), function (box) {
    box.addEventListener("change", function () {
      if (box.checked) { delete hiddenTypes[box.value]; } else { hiddenTypes[box.value] = true; }
      applyFilters();
    });
  });
  fromInput.addEventListener("input", debounce(applyFilters, 300));
  toInput.addEventListener("input", debounce(applyFilters, 300));

  // Details, and tooltips as text.
  var details = byId("kg-details"), tip = byId("kg-tip"), stage = byId("kg-stage");
  function showDetails(text) { setText(details, text || "Click a node or an edge to see its details here."); }
  function hideTip() { tip.hidden = true; }
  function showTip(text, pointer) {
    if (!text || !pointer || !pointer.DOM) { hideTip(); return; }
    setText(tip, text);
    tip.hidden = false;
    var top = container.offsetTop, x = pointer.DOM.x + 16, y = pointer.DOM.y + top + 16;
    var w = tip.offsetWidth, h = tip.offsetHeight, width = stage.clientWidth, height = stage.clientHeight;
    if (x + w > width - 8) { x = Math.max(8, pointer.DOM.x - w - 16); }
    if (y + h > height - 8) { y = Math.max(8, height - h - 8); }
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  network.on("hoverNode", function (p) { showTip(texts.nodes[p.node], p.pointer); });
  network.on("hoverEdge", function (p) { showTip(texts.edges[p.edge], p.pointer); });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);
  network.on("click", function (event) {
    if (event.nodes.length) { showDetails(texts.nodes[event.nodes[0]]); }
    else if (event.edges.length) { showDetails(texts.edges[event.edges[0]]); }
    else { showDetails(""); }
  });

  // Search: type a name, the node is selected and brought to the middle; Enter for the next match.
  var searchInput = byId("kg-search"), searchStatus = byId("kg-search-status");
  var matches = [], cursor = 0, lastQuery = "";
  function find(query) {
    var q = fold(query), found = [];
    if (q.length < 2) { return []; }
    ids.forEach(function (id) {
      var m = meta[id];
      if (m.search.indexOf(q) < 0) { return; }
      var rank = m.name === q ? 0 : m.name.indexOf(q) === 0 ? 1 : m.statement ? 3 : 2;
      found.push([rank, id]);
    });
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    return found.map(function (f) { return f[1]; });
  }
  function showMatch() {
    body.setAttribute("data-kg-matches", String(matches.length));
    if (!matches.length) {
      setText(searchStatus, lastQuery.length < 2 ? "" : "No match.");
      body.removeAttribute("data-kg-selected");
      network.unselectAll();
      return;
    }
    var id = matches[cursor];
    var where = (cursor + 1) + " of " + matches.length + ": ";
    if (visible[id] === false) { setText(searchStatus, where + "hidden by the filters"); return; }
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1.1),
                       animation: {duration: 450, easingFunction: "easeInOutQuad"}});
    body.setAttribute("data-kg-selected", String(id));
    setText(searchStatus, where + meta[id].label + (matches.length > 1 ? " (Enter: next)" : ""));
    showDetails(texts.nodes[id]);
  }
  function search(next) {
    var q = fold(searchInput.value);
    if (q !== lastQuery) { lastQuery = q; matches = find(q); cursor = 0; }
    else if (next && matches.length) { cursor = (cursor + 1) % matches.length; }
    showMatch();
  }
  searchInput.addEventListener("input", debounce(function () { search(false); }, 200));
  searchInput.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); search(true); }
  });
  searchInput.addEventListener("focus", function () {
    var list = byId("kg-names");
    if (list.childNodes.length) { return; }
    var names = {};
    ids.forEach(function (id) { if (!meta[id].statement) { names[meta[id].label] = true; } });
    Object.keys(names).sort().slice(0, 5000).forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      list.appendChild(option);
    });
  });

  // Looks: theme, presenter type sizes, and dimming what a story step is not about.
  function restyle() {
    var th = THEMES[state.theme], lit = state.highlight;
    var mode = state.present || (state.picture && data.present) ? "present" : "explore", size = FONT[mode];
    network.setOptions({nodes: {font: {color: th.ink, strokeColor: th.halo, size: size.node}},
                        edges: {font: {color: th.edgeInk, strokeColor: th.halo, size: size.edge},
                                color: {color: th.edge, highlight: th.edgeHi, hover: th.edgeHi}}});
    if (!state.styled && !lit && state.theme === "light" && mode === "explore") { return; }  // as in the data
    state.styled = true;
    var nodeUpdates = [], edgeUpdates = [];
    ids.forEach(function (id) {
      var m = meta[id], dim = !!lit && !lit.nodes[id];
      var update = {id: id, opacity: dim ? 0.12 : 1,
                    font: m.ink ? {color: dim ? th.dim : m.ink, strokeWidth: 0}
                                : {color: dim ? th.dim : th.ink, strokeColor: th.halo, strokeWidth: dim ? 0 : 3}};
      if (m.ink) { update.widthConstraint = {maximum: WIDE[mode]}; }
      nodeUpdates.push(update);
    });
    edgeIds.forEach(function (id) {
      var kind = edgeKind[id], dim = !!lit && !lit.edges[id];
      var colour = kind === "contradiction" ? th.red : kind === "rejected" ? th.grey : th.edge;
      var ink = kind === "contradiction" ? th.redInk : kind === "rejected" ? th.greyInk : th.edgeInk;
      var hi = kind === "contradiction" || kind === "rejected" ? colour : th.edgeHi;
      var update = {id: id, color: {color: colour, highlight: hi, hover: hi, opacity: dim ? 0.1 : 1},
                    font: {color: dim ? "rgba(0,0,0,0)" : ink, strokeColor: dim ? "rgba(0,0,0,0)" : th.halo}};
      if (kind === "contradiction") { update.width = lit && !dim ? 6 : 3; }
      edgeUpdates.push(update);
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
  }
  function applyTheme() {
    body.classList.toggle("kg-dark", state.theme === "dark");
    body.setAttribute("data-kg-theme", state.theme);
    restyle();
  }
  function toggleTheme() { state.theme = state.theme === "dark" ? "light" : "dark"; applyTheme(); }

  function fitAll(animated) {
    network.fit({animation: animated ? {duration: 500, easingFunction: "easeInOutQuad"} : false});
  }
  function readable() {
    network.fit({animation: false});
    if (network.getScale() < READABLE) {
      var centre = data.focus !== null ? network.getPosition(data.focus) : network.getViewPosition();
      network.moveTo({position: centre, scale: READABLE, animation: false});
    }
  }

  // Presenter view: a title slide, then one step per contradiction, then the whole picture.
  var story = data.story || [], last = story.length + 1, slide = data.slide || {};
  var caption = byId("kg-caption"), slideBox = byId("kg-slide"), stepLabel = byId("kg-step");
  setText(byId("kg-slide-title"), slide.title || "");
  setText(byId("kg-slide-subtitle"), slide.subtitle || "");
  setText(byId("kg-slide-view"), slide.view ? "Showing: " + slide.view : "");
  setText(byId("kg-slide-warning"), slide.warning || "");
  setText(byId("kg-slide-note"), slide.note || "");
  var sourceList = byId("kg-slide-sources");
  (slide.sources || []).forEach(function (line) {
    var item = document.createElement("li");
    setText(item, line);
    sourceList.appendChild(item);
  });
  if (slide.more) {
    var more = document.createElement("li");
    setText(more, "and " + slide.more + " more");
    sourceList.appendChild(more);
  }
  byId("kg-slide-sources-head").hidden = !(slide.sources || []).length;
  setText(byId("kg-slide-hint"), story.length
    ? "\u2192 or space: the " + story.length + " contradiction" + (story.length === 1 ? "" : "s") +
      " one by one \u00b7 \u2190 back \u00b7 t: light or dark \u00b7 p: leave the presenter view"
    : "\u2192 or space: the network \u00b7 t: light or dark \u00b7 p: leave the presenter view");

  function fillSide(which, side) {
    setText(byId("kg-quote-" + which), side ? side.quote : "");
    setText(byId("kg-who-" + which), side ? "\u2014 " + side.speaker + (side.stance ? " \u00b7 " + side.stance : "") +
                                              (side.date ? " \u00b7 " + side.date : "") : "");
    setText(byId("kg-source-" + which), side && side.source ? "Source: " + side.source : "");
  }
  function go(step) {
    step = Math.max(0, Math.min(last, step));
    state.step = step;
    body.setAttribute("data-kg-step", String(step));
    slideBox.hidden = !(state.present && step === 0);
    var entry = step >= 1 && step <= story.length ? story[step - 1] : null;
    if (entry) {
      state.highlight = {nodes: toSet(entry.nodes), edges: toSet(entry.edges)};
      setText(byId("kg-caption-head"), "Contradiction " + step + " of " + story.length +
              (entry.basis ? " \u00b7 " + entry.basis : "") + (entry.status ? " \u00b7 " + entry.status : ""));
      fillSide("a", entry.sides[0]);
      fillSide("b", entry.sides[1]);
      setText(byId("kg-caption-note"), entry.explanation || "");
      byId("kg-sides").hidden = false;
      caption.hidden = false;
      setText(stepLabel, step + " / " + story.length);
    } else {
      state.highlight = null;
      caption.hidden = !(state.present && step === last);
      if (step === last) {
        setText(byId("kg-caption-head"), story.length ? "End: " + story.length + " contradiction" +
                (story.length === 1 ? "" : "s") + " shown. \u2190 back \u00b7 Home: title" : "The whole network.");
        byId("kg-sides").hidden = true;
        setText(byId("kg-caption-note"), "");
      }
      setText(stepLabel, step === 0 ? "Title" : "End");
    }
    restyle();
    network.unselectAll();
    if (entry) { network.setSelection({nodes: entry.nodes, edges: entry.edges}, {highlightEdges: false}); }
    later(refit);
  }
  // A page opened for exploring was laid out for small type: the first time it turns into the
  // presenter view, the layout is redone for the large type (behind the title slide).
  var laidOutLarge = state.present || !(data.options.physics && data.options.physics.enabled !== false);
  function layOutLarge() {
    if (laidOutLarge) { return; }
    laidOutLarge = true;
    body.setAttribute("data-kg-busy", "true");
    network.setOptions({physics: {enabled: true}});
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: {enabled: false}});
      body.removeAttribute("data-kg-busy");
      refit();
    });
    network.stabilize(ids.length > 300 ? 60 : 200);
  }
  // A story step shows its statements, speakers and sources; if they lie too far apart for the
  // large type to be read, the view keeps to the two statements (the captions name the rest).
  var STORY_SCALE = 0.75;
  function fitStep(entry) {
    var shown = entry.nodes.filter(function (id) { return visible[id] !== false; });
    var pair = (entry.pair || []).filter(function (id) { return visible[id] !== false; });
    var before = {position: network.getViewPosition(), scale: network.getScale()};
    var target = null;
    [shown, pair].forEach(function (group) {
      if (target || !group.length) { return; }
      network.fit({nodes: group, maxZoomLevel: 1.4, animation: false});
      if (group !== pair && network.getScale() >= STORY_SCALE) {
        target = {position: network.getViewPosition(), scale: network.getScale()};
      } else if (group === pair) {  // as much around the two as the type allows
        target = {position: network.getViewPosition(), scale: Math.min(network.getScale(), STORY_SCALE)};
      }
    });
    network.moveTo({position: before.position, scale: before.scale, animation: false});
    if (target) {
      network.moveTo({position: target.position, scale: target.scale,
                      animation: {duration: 500, easingFunction: "easeInOutQuad"}});
    }
  }
  function refit() {
    // The caption or the side panel came or went: let vis-network take the canvas's new size first
    // (it would otherwise rescale the view at its next redraw).
    network.redraw();
    var entry = state.present && state.step >= 1 && state.step <= story.length ? story[state.step - 1] : null;
    if (entry) {
      fitStep(entry);
    } else if (state.present || state.picture) {
      fitAll(true);
    } else {
      readable();
    }
  }
  function setPresent(on) {
    state.present = on;
    body.classList.toggle("kg-present", on);
    body.setAttribute("data-kg-mode", on ? "present" : "explore");
    hideTip();
    if (on) { go(state.step); layOutLarge(); return; }
    state.highlight = null;
    caption.hidden = true;
    slideBox.hidden = true;
    restyle();
    later(refit);
  }
  var NEXT = {"ArrowRight": 1, "ArrowDown": 1, "PageDown": 1, " ": 1, "Spacebar": 1, "Enter": 1};
  var PREV = {"ArrowLeft": 1, "ArrowUp": 1, "PageUp": 1, "Backspace": 1};
  document.addEventListener("keydown", function (event) {
    var tag = event.target && event.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") {
      if (event.key === "Escape") { event.target.blur(); }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var key = event.key;
    if (key === "t" || key === "T") { toggleTheme(); }
    else if (key === "p" || key === "P") { setPresent(!state.present); }
    else if (!state.present) {
      if (key === "/") { searchInput.focus(); } else { return; }
    }
    else if (NEXT[key]) { go(state.step + 1); }
    else if (PREV[key]) { go(state.step - 1); }
    else if (key === "Home") { go(0); }
    else if (key === "End") { go(last); }
    else if (key === "Escape") { setPresent(false); }
    else { return; }
    event.preventDefault();
    event.stopPropagation();
  }, true);
  byId("kg-present").addEventListener("click", function () { setPresent(true); });
  byId("kg-theme").addEventListener("click", toggleTheme);
  byId("kg-bar-theme").addEventListener("click", toggleTheme);
  byId("kg-bar-exit").addEventListener("click", function () { setPresent(false); });
  byId("kg-prev").addEventListener("click", function () { go(state.step - 1); });
  byId("kg-next").addEventListener("click", function () { go(state.step + 1); });

  function settle() {
    if (state.picture) { fitAll(false); } else { readable(); }
    if (state.theme !== "light" || (state.picture && data.present)) { applyTheme(); }
    else { body.setAttribute("data-kg-theme", "light"); }
    setPresent(state.present);
    network.redraw();  // draws now (and fires afterDrawing), not on the next animation frame
    body.setAttribute("data-kg-ready-ms", String(Math.round(performance.now())));
    body.setAttribute("data-kg-ready", "true");
  }
  if (data.options.physics && data.options.physics.enabled !== false) {
    network.once("stabilizationIterationsDone", function () {
      body.setAttribute("data-kg-stabilized-ms", String(Math.round(performance.now())));
      if (data.options.physics.stabilization.iterations >= 600) {
        network.setOptions({physics: {enabled: false}});
      } else {  // a bigger graph: drawn now, it settles on screen, then stands still
        var still = function () { network.setOptions({physics: {enabled: false}}); };
        network.once("stabilized", still);
        setTimeout(still, 12000);
      }
      settle();
    });
  } else {
    settle();
  }
  window.kgPage = {network: network, go: go, state: state, search: function (text) {
    searchInput.value = text; search(false); return matches.slice(); }};
})();
"""

_STYLE = """
:root { color-scheme: light; --bg: #f4f6f8; --panel: #ffffff; --ink: #1f2326; --muted: #4a5157; --line: #d3d9de;
        --canvas: #ffffff; --warn: #a93226; --red: #c0392b; --tip: #ffffff; --tip-line: #aeb6bd; }
body.kg-dark { color-scheme: dark; --bg: #0f1215; --panel: #181d22; --ink: #eef1f4; --muted: #b3bcc4;
               --line: #2f3840; --canvas: #14181c; --warn: #ff8a7a; --red: #ff5e4d; --tip: #1f262d;
               --tip-line: #4a545e; }
html, body { margin: 0; height: 100%; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; font-size: 16px;
       color: var(--ink); background: var(--bg); display: flex; flex-direction: column; }
[hidden] { display: none !important; }
header { padding: 10px 18px; border-bottom: 1px solid var(--line); background: var(--panel); }
header h1 { margin: 0; font-size: 24px; }
header p { margin: 4px 0 0; font-size: 16px; color: var(--muted); }
header p.kg-warning { color: var(--warn); font-weight: 600; }
main { flex: 1; display: flex; min-height: 0; }
#kg-stage { flex: 1; min-width: 0; display: flex; flex-direction: column; position: relative; background: var(--canvas); }
#kg-network { flex: 1; min-height: 0; background: var(--canvas); outline: none; }
aside { width: 340px; flex: none; overflow-y: auto; border-left: 1px solid var(--line); padding: 8px 16px 16px;
        background: var(--bg); }
aside h2 { font-size: 18px; margin: 14px 0 8px; }
aside input { font: inherit; padding: 6px 8px; border: 1px solid var(--line); border-radius: 4px;
              background: var(--panel); color: var(--ink); box-sizing: border-box; width: 100%; }
button { font: inherit; padding: 6px 12px; border: 1px solid var(--line); border-radius: 4px; background: var(--panel);
         color: var(--ink); cursor: pointer; }
button:hover { border-color: var(--muted); }
.kg-status { font-size: 15px; color: var(--muted); min-height: 1.3em; margin: 4px 0 0; overflow-wrap: anywhere; }
.kg-types { border: 0; padding: 0; margin: 0; }
.kg-types label { display: flex; align-items: center; gap: 8px; margin: 3px 0; cursor: pointer; }
.kg-types input { width: auto; margin: 0; }
.kg-dates { display: flex; gap: 10px; margin-top: 8px; }
.kg-dates label { flex: 1; font-size: 15px; color: var(--muted); }
.kg-buttons { display: flex; gap: 8px; flex-wrap: wrap; }
.kg-help { font-size: 15px; color: var(--muted); margin: 0 0 8px; }
.kg-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
.kg-legend { list-style: none; margin: 0 0 14px; padding: 0; }
.kg-legend li { display: flex; align-items: center; gap: 10px; margin: 5px 0; font-size: 16px; }
.kg-legend svg, .kg-types svg { flex: none; }
#kg-details { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 16px; line-height: 1.4; unicode-bidi: plaintext; }
.kg-empty { margin: 40px auto; font-size: 20px; color: var(--muted); }
.kg-tip { position: absolute; z-index: 6; max-width: 460px; white-space: pre-wrap; overflow-wrap: anywhere;
          font-size: 16px; line-height: 1.4; padding: 8px 10px; background: var(--tip); color: var(--ink);
          border: 1px solid var(--tip-line); border-radius: 4px; box-shadow: 0 2px 10px rgba(0, 0, 0, 0.25);
          pointer-events: none; unicode-bidi: plaintext; }
#kg-bar { display: none; align-items: center; gap: 12px; padding: 8px 18px; background: var(--panel);
          border-bottom: 1px solid var(--line); font-size: 22px; }
#kg-bar .kg-bar-title { flex: 1; font-weight: 600; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
#kg-bar button { font-size: 18px; }
#kg-step { color: var(--muted); font-variant-numeric: tabular-nums; }
body.kg-present header, body.kg-present aside, body.kg-picture aside { display: none; }
body.kg-picture div.vis-network div.vis-navigation, body.kg-picture .kg-usage,
body.kg-present .kg-usage { display: none; }
body.kg-present #kg-bar { display: flex; }
body.kg-present div.vis-network div.vis-navigation { display: none; }
body.kg-present .kg-tip { font-size: 22px; max-width: 720px; }
#kg-caption { flex: none; border-top: 4px solid var(--red); background: var(--panel); padding: 14px 28px 18px;
              max-height: 44vh; overflow: hidden; }
#kg-caption-head { margin: 0 0 10px; font-size: 22px; color: var(--muted); font-weight: 600; }
#kg-sides { display: grid; grid-template-columns: 1fr auto 1fr; gap: 24px; align-items: start; }
.kg-side { margin: 0; min-width: 0; }
.kg-side blockquote { margin: 0 0 8px; font-size: 30px; line-height: 1.3; font-style: italic; overflow-wrap: anywhere;
                      unicode-bidi: plaintext; }
.kg-who { font-size: 23px; font-weight: 600; unicode-bidi: plaintext; }
.kg-source { font-size: 19px; color: var(--muted); margin: 4px 0 0; unicode-bidi: plaintext; }
.kg-versus { align-self: center; font-size: 24px; font-weight: 700; color: var(--red); }
#kg-caption-note { margin: 12px 0 0; font-size: 20px; color: var(--muted); unicode-bidi: plaintext; }
#kg-slide { position: absolute; inset: 0; z-index: 8; display: flex; align-items: center; justify-content: center;
            background: var(--bg); padding: 48px; overflow: hidden; }
.kg-slide-inner { max-width: 1500px; width: 100%; }
#kg-slide h1 { font-size: 66px; line-height: 1.1; margin: 0 0 24px; }
#kg-slide-subtitle { font-size: 34px; margin: 0 0 12px; }
#kg-slide-view { font-size: 26px; color: var(--muted); margin: 0; }
#kg-slide-warning { font-size: 28px; color: var(--warn); font-weight: 700; }
#kg-slide-warning:empty, #kg-slide-note:empty, #kg-slide-view:empty { display: none; }
#kg-slide-note { font-size: 24px; color: var(--muted); margin: 12px 0 0; }
#kg-slide h2 { font-size: 26px; margin: 32px 0 8px; color: var(--muted); font-weight: 600; }
#kg-slide ul { font-size: 25px; margin: 0; padding-left: 1.2em; line-height: 1.45; }
.kg-slide-legend { display: flex; flex-wrap: wrap; gap: 10px 28px; margin: 28px 0 0; font-size: 24px; }
.kg-slide-legend span { display: inline-flex; align-items: center; gap: 8px; }
.kg-slide-legend svg { width: 36px; height: 26px; }
#kg-slide-hint { font-size: 22px; color: var(--muted); margin-top: 40px; }
div.vis-network div.vis-navigation div.vis-button { opacity: 0.7; }
body.kg-dark div.vis-network div.vis-navigation div.vis-button { filter: invert(0.85); }
"""


def _symbol(shape: str, colour: str, *, dashed: bool = False, solid_line: bool = False) -> str:
    """A small inline SVG for the legend (inline SVG is markup, not a fetched image)."""
    fill = f'fill="{colour}" stroke="#333" stroke-width="1"'
    if dashed or solid_line:
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        body = f'<line x1="1" y1="11" x2="29" y2="11" stroke="{colour}" stroke-width="3"{dash}/>'
        return f'<svg width="30" height="22" viewBox="0 0 30 22" aria-hidden="true">{body}</svg>'
    shapes = {
        "dot": f'<circle cx="11" cy="11" r="8" {fill}/>',
        "circle": f'<circle cx="11" cy="11" r="8" {fill}/>',
        "square": f'<rect x="3" y="3" width="16" height="16" {fill}/>',
        "box": f'<rect x="1" y="5" width="20" height="12" rx="3" {fill}/>',
        "ellipse": f'<ellipse cx="11" cy="11" rx="10" ry="6" {fill}/>',
        "diamond": f'<polygon points="11,1 21,11 11,21 1,11" {fill}/>',
        "triangle": f'<polygon points="11,2 20,19 2,19" {fill}/>',
        "triangleDown": f'<polygon points="2,3 20,3 11,20" {fill}/>',
        "hexagon": f'<polygon points="6,2 16,2 21,11 16,20 6,20 1,11" {fill}/>',
        "star": f'<polygon points="11,1 13.6,8 21,8 15,12.5 17.2,20 11,15.5 4.8,20 7,12.5 1,8 8.4,8" {fill}/>',
    }
    body = shapes.get(shape, shapes["dot"])
    return f'<svg width="30" height="22" viewBox="0 0 22 22" aria-hidden="true">{body}</svg>'


def _legend_html(ontology: Ontology, *, include_articles: bool, rejected: bool, protected: bool,
                 stance: bool = False, large: bool = False) -> str:
    items = []
    for entry in ontology.legend():
        name = entry["name"]
        if name == "Article" and not include_articles:
            continue
        if stance and name in ("Statement", "Event", "Place", "Topic", "Article"):
            continue
        colour = _valid_colour(entry["colour"])
        label = html.escape(clean_text(entry["label"]))
        if name == "Contradiction":
            between = "their speakers" if stance else "the two statements"
            items.append(f"<li>{_symbol('', colour, dashed=True)}<span>contradicts (a {label}: {between} "
                         "are joined by a dashed line)</span></li>")
            continue
        items.append(f"<li>{_symbol(_valid_shape(entry['shape']), colour)}<span>{label}</span></li>")
    if rejected:
        items.append(f"<li>{_symbol('', _REJECTED_GREY, dashed=True)}<span>contradiction rejected on review</span></li>")
    if stance:
        items.append(f"<li>{_symbol('', _EDGE_GREY, solid_line=True)}<span>what a speaker says about an actor "
                     "(denies, accuses, testifies about, ...; thicker for more statements), and other "
                     "relationships between actors</span></li>")
    elif large:
        items.append(f"<li>{_symbol('', _EDGE_GREY, solid_line=True)}<span>other relationships "
                     "(labelled; no arrowheads on a graph this big: the tooltip says which way)</span></li>")
    else:
        items.append(f"<li>{_symbol('', _EDGE_GREY, solid_line=True)}<span>other relationships "
                     "(labelled, arrow points from subject to object)</span></li>")
    note = ("<li><span>Dashed outline: a group spoken of as one actor, or (thick black) a protected "
            "person shown under a pseudonym.</span></li>") if protected else (
            "<li><span>Dashed outline: a group spoken of as one actor.</span></li>")
    items.append(note)
    return '<ul class="kg-legend">' + "".join(items) + "</ul>"


def _filters_html(filters: list[dict[str, Any]]) -> str:
    boxes = "".join(
        f'<label><input type="checkbox" value="{html.escape(f["name"])}" checked>'
        f'{_symbol(f["shape"], f["colour"])}<span>{html.escape(f["label"])} ({int(f["count"])})</span></label>'
        for f in filters
    )
    return f'<fieldset class="kg-types" id="kg-types"><legend class="kg-sr">Types to show</legend>{boxes}</fieldset>'


def _slide_legend(filters: list[dict[str, Any]]) -> str:
    items = [f'<span>{_symbol(f["shape"], f["colour"])}{html.escape(f["label"])}</span>' for f in filters]
    items.append(f'<span>{_symbol("", _CONTRADICTION_RED, dashed=True)}contradicts</span>')
    return "".join(items)


def _document(view: NetworkView) -> str:
    heading = html.escape(clean_text(view.title) or "kg network")
    paragraphs = "".join(
        f'<p class="{html.escape(cls)}">{html.escape(text)}</p>' if cls else f"<p>{html.escape(text)}</p>"
        for cls, text in view.summary
    )
    details = ('<h2>Legend</h2>' + view.legend + '<h2>Details</h2>'
               '<div id="kg-details">Click a node or an edge to see its details here.</div>')
    head = (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{heading}</title>\n"
    )
    if not view.nodes:
        return (head + f"<style>{_STYLE}</style>\n</head>\n<body>\n"
                f"<header><h1>{heading}</h1>{paragraphs}</header>\n"
                f'<main><div class="kg-empty" id="kg-network">{html.escape(view.empty)}</div>'
                f"<aside>{details}</aside></main>\n</body>\n</html>\n")

    data = {"nodes": view.nodes, "edges": view.edges, "options": _options(view.large, len(view.nodes)),
            "focus": view.focus,
            "story": view.story, "slide": view.slide, "theme": view.theme, "present": view.present}
    script, style = _vis_assets()
    count = len(view.story)
    stage = (
        '<div id="kg-stage">'
        '<div id="kg-bar" role="toolbar" aria-label="Presenter view">'
        f'<span class="kg-bar-title">{heading}</span><span id="kg-step"></span>'
        '<button type="button" id="kg-prev" title="Back (\u2190, PageUp)">\u25c0</button>'
        '<button type="button" id="kg-next" title="Next (\u2192, PageDown, space)">\u25b6</button>'
        '<button type="button" id="kg-bar-theme" title="Light or dark (t)">Theme</button>'
        '<button type="button" id="kg-bar-exit" title="Leave the presenter view (p, Esc)">Explore</button></div>'
        f'<div id="kg-network" role="img" aria-label="{heading}"></div>'
        '<section id="kg-caption" hidden aria-live="polite"><p id="kg-caption-head"></p>'
        '<div id="kg-sides">'
        '<figure class="kg-side"><blockquote id="kg-quote-a"></blockquote><figcaption><div class="kg-who" id="kg-who-a">'
        '</div><p class="kg-source" id="kg-source-a"></p></figcaption></figure>'
        '<div class="kg-versus">versus</div>'
        '<figure class="kg-side"><blockquote id="kg-quote-b"></blockquote><figcaption><div class="kg-who" id="kg-who-b">'
        '</div><p class="kg-source" id="kg-source-b"></p></figcaption></figure>'
        '</div><p id="kg-caption-note"></p></section>'
        '<section id="kg-slide" hidden><div class="kg-slide-inner"><h1 id="kg-slide-title"></h1>'
        '<p id="kg-slide-subtitle"></p><p id="kg-slide-view"></p><p id="kg-slide-warning"></p><p id="kg-slide-note"></p>'
        '<div class="kg-slide-legend">' + _slide_legend(view.filters) + '</div>'
        '<h2 id="kg-slide-sources-head">Sources</h2><ul id="kg-slide-sources"></ul>'
        '<p id="kg-slide-hint"></p></div></section>'
        '<div id="kg-tip" class="kg-tip" hidden></div>'
        '</div>'
    )
    aside = (
        '<aside>'
        '<h2><label for="kg-search">Find</label></h2>'
        '<input id="kg-search" type="search" placeholder="Type a name (/)" autocomplete="off" spellcheck="false" '
        'list="kg-names"><datalist id="kg-names"></datalist>'
        '<div id="kg-search-status" class="kg-status" aria-live="polite"></div>'
        '<h2>Show</h2>' + _filters_html(view.filters) +
        '<div class="kg-dates"><label>From<input id="kg-from" type="text" placeholder="e.g. 2017" '
        'autocomplete="off" spellcheck="false"></label><label>To<input id="kg-to" type="text" '
        'placeholder="e.g. 2018-07" autocomplete="off" spellcheck="false"></label></div>'
        '<div id="kg-filter-status" class="kg-status" aria-live="polite"></div>'
        '<h2>Present</h2>'
        f'<p class="kg-help">Large type, a title slide, then the {count} contradiction{"" if count == 1 else "s"} '
        'one by one (\u2192 or space: next, \u2190: back, t: light or dark, p or Esc: leave).</p>'
        '<div class="kg-buttons"><button type="button" id="kg-present">Present (p)</button>'
        '<button type="button" id="kg-theme">Light / dark (t)</button></div>'
        + details + '</aside>'
    )
    body_class = ' class="kg-dark"' if view.theme == "dark" else ""
    return (
        head
        + f"<style>{style}</style>\n<style>{_STYLE}</style>\n</head>\n"
        + f'<body{body_class} data-kg-mode="explore">\n'
        + f"<header><h1>{heading}</h1>{paragraphs}</header>\n"
        + f"<main>{stage}{aside}</main>\n"
        + f'<script type="application/json" id="kg-data">{script_json(data)}</script>\n'
        + f'<script id="kg-vis">{script}</script>\n'
        + f'<script id="kg-app">{_SCRIPT}</script>\n'
        + "</body>\n</html>\n"
    )


# --- pictures and files for other tools ---------------------------------------------------------------


#: Sizes on the SVG picture, in layout units (pixels at scale 1): the fonts of the page's explore view.
_SVG_FONT = 18.0
_SVG_EDGE_FONT = 14.0


def _label_box(node: Mapping[str, Any]) -> tuple[float, float, list[str]]:
    """Half width and half height of a node with its label, and the label's lines for shapes that
    hold it inside; in layout units."""
    if node["shape"] in _LABEL_INSIDE:
        lines = _wrap(str(node["label"]), 18, 3) or [""]
        width = max(len(line) for line in lines) * _SVG_FONT * 0.56 + _SVG_FONT * 1.6
        return width / 2, len(lines) * _SVG_FONT * 0.6 + _SVG_FONT * 0.8, lines
    radius = float(node.get("size", 16))
    label = len(str(node.get("label", ""))) * _SVG_FONT * 0.55
    return max(radius, label / 2), radius + _SVG_FONT * 1.4, []


def _force_layout(count: int, links: list[tuple[int, int]], boxes: Sequence[tuple[float, float]] = (), *,
                  spacing: float = 220.0, iterations: int = 100) -> list[tuple[float, float]]:
    """A force-directed layout in plain Python (Fruchterman-Reingold with gravity, started from the
    tree layout, so deterministic), then overlapping boxes (node and label) pushed apart.
    Repulsion only acts between nodes in neighbouring grid cells: a round costs about n times
    the nodes nearby, not n squared."""
    start = _tree_layout(count, links, spacing=spacing)
    if count < 2:
        return [(0.0, 0.0)] * count
    cx = sum(p[0] for p in start) / count
    cy = sum(p[1] for p in start) / count
    # The tree layout spreads far more than the forces will; start from it shrunk to about the
    # size they settle at, so that every piece (an isolated node too) reaches its place.
    spread = math.sqrt(sum((x - cx) ** 2 + (y - cy) ** 2 for x, y in start) / count) or 1.0
    shrink = min(1.0, spacing * math.sqrt(count) / 2 / spread)
    xs = [(x - cx) * shrink for x, _ in start]
    ys = [(y - cy) * shrink for _, y in start]
    pairs = [(a, b) for a, b in links if a != b]
    k = spacing
    k2 = k * k
    reach = 2 * k
    reach2 = reach * reach
    temperature = k * 2
    for _ in range(iterations):
        move_x = [0.0] * count
        move_y = [0.0] * count
        grid: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i in range(count):
            grid[(int(xs[i] // reach), int(ys[i] // reach))].append(i)
        for (gx, gy), members in grid.items():
            nearby = [j for dx in (-1, 0, 1) for dy in (-1, 0, 1) for j in grid.get((gx + dx, gy + dy), ())]
            for i in members:
                xi, yi = xs[i], ys[i]
                fx = fy = 0.0
                for j in nearby:
                    dx = xi - xs[j]
                    dy = yi - ys[j]
                    d2 = dx * dx + dy * dy
                    if d2 > reach2 or j == i:
                        continue
                    if d2 < 1e-4:
                        dx, dy, d2 = 0.1 * ((i % 7) - 3 or 1), 0.1 * ((j % 5) - 2 or 1), 0.02
                    force = k2 / d2
                    fx += dx * force
                    fy += dy * force
                move_x[i] += fx
                move_y[i] += fy
        for a, b in pairs:
            dx, dy = xs[a] - xs[b], ys[a] - ys[b]
            force = math.sqrt(dx * dx + dy * dy) / k
            move_x[a] -= dx * force
            move_y[a] -= dy * force
            move_x[b] += dx * force
            move_y[b] += dy * force
        for i in range(count):  # gravity keeps the pieces together (weaker sideways: slides are wide)
            mx = move_x[i] - xs[i] * 0.02
            my = move_y[i] - ys[i] * 0.06
            length = math.sqrt(mx * mx + my * my)
            if length > 0:
                step = min(length, temperature) / length
                xs[i] += mx * step
                ys[i] += my * step
        temperature = max(k * 0.02, temperature * 0.95)
    positions = [[x, y] for x, y in zip(xs, ys)]
    if boxes:
        _separate(positions, boxes)
    return [(p[0], p[1]) for p in positions]


def _separate(positions: list[list[float]], boxes: Sequence[tuple[float, float]], *, gap: float = 8.0,
              rounds: int = 300) -> None:
    """Push apart nodes whose boxes overlap, along the axis where they overlap least (sweep and
    prune: nodes sorted by x, each compared with those close enough in x to touch it)."""
    widest = max(b[0] for b in boxes)
    for _ in range(rounds):
        moved = False
        order = sorted(range(len(positions)), key=lambda i: positions[i][0])
        for n, i in enumerate(order):
            reach = positions[i][0] + boxes[i][0] + widest + gap
            for j in order[n + 1:]:
                if positions[j][0] > reach:
                    break
                dx = positions[j][0] - positions[i][0]
                dy = positions[j][1] - positions[i][1]
                over_x = boxes[i][0] + boxes[j][0] + gap - abs(dx)
                over_y = boxes[i][1] + boxes[j][1] + gap - abs(dy)
                if over_x <= 0 or over_y <= 0:
                    continue
                moved = True
                if over_x < over_y:
                    push = (over_x / 2 + 0.5) * (1 if dx >= 0 else -1)
                    positions[i][0] -= push
                    positions[j][0] += push
                else:
                    push = (over_y / 2 + 0.5) * (1 if dy >= 0 else -1)
                    positions[i][1] -= push
                    positions[j][1] += push
        if not moved:
            return


def _positions(view: NetworkView) -> list[tuple[float, float]]:
    if view.nodes and all("x" in n and "y" in n for n in view.nodes):
        return [(float(n["x"]), float(n["y"])) for n in view.nodes]
    position = {n["id"]: i for i, n in enumerate(view.nodes)}
    pairs = [(position[e["from"]], position[e["to"]]) for e in view.edges]
    if len(view.nodes) <= FORCE_LAYOUT_LIMIT:
        return _force_layout(len(view.nodes), pairs, [_label_box(n)[:2] for n in view.nodes])
    return _layout(len(view.nodes), pairs)


def _xml(text: Any) -> str:
    """Text for XML: escaped, and without the characters XML 1.0 cannot hold."""
    cleaned = re.sub("[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]", "", str(text))
    return html.escape(cleaned, quote=True)


def _wrap(text: str, width: int, lines: int) -> list[str]:
    words, out, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        out.append(line)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1].rstrip(" ,;:.") + "\u2026"
    return out


def _svg_shape(shape: str, x: float, y: float, r: float, fill: str, stroke: str, width: float, dash: str) -> str:
    common = f'fill="{fill}" stroke="{stroke}" stroke-width="{width:.2f}"{dash}'
    if shape == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" {common}/>'
    if shape == "diamond":
        pts = f"{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} {x - r:.1f},{y:.1f}"
    elif shape == "triangle":
        pts = f"{x:.1f},{y - r:.1f} {x + r * 0.95:.1f},{y + r * 0.7:.1f} {x - r * 0.95:.1f},{y + r * 0.7:.1f}"
    elif shape == "triangleDown":
        pts = f"{x:.1f},{y + r:.1f} {x + r * 0.95:.1f},{y - r * 0.7:.1f} {x - r * 0.95:.1f},{y - r * 0.7:.1f}"
    elif shape == "hexagon":
        pts = " ".join(f"{x + r * math.cos(math.pi / 3 * i):.1f},{y + r * math.sin(math.pi / 3 * i):.1f}"
                       for i in range(6))
    elif shape == "star":
        pts = " ".join(f"{x + (r if i % 2 == 0 else r * 0.45) * math.sin(math.pi / 5 * i):.1f},"
                       f"{y - (r if i % 2 == 0 else r * 0.45) * math.cos(math.pi / 5 * i):.1f}" for i in range(10))
    else:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {common}/>'
    return f'<polygon points="{pts}" {common}/>'


def _svg(view: NetworkView, *, width: int = 1920, height: int = 1080) -> str:
    """A static picture for slides: the layout computed here (as the page's, the labels at the
    page's sizes, so the whole picture is scaled to fit), every text escaped."""
    dark = view.theme == "dark"
    background, ink, muted = ("#14181c", "#eef1f4", "#b3bcc4") if dark else ("#ffffff", "#1f2326", "#4a5157")
    edge_grey, red, red_ink = ("#7d868e", "#ff5e4d", "#ff8a7a") if dark else (_EDGE_GREY, _CONTRADICTION_RED,
                                                                             _CONTRADICTION_INK)
    head = 96
    title = _xml(clean_text(view.title) or "kg network")
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="system-ui, \'Segoe UI\', Roboto, \'Noto Sans\', sans-serif">',
           f"<title>{title}</title>",
           f'<rect width="{width}" height="{height}" fill="{background}"/>',
           f'<text x="32" y="50" font-size="36" font-weight="600" fill="{ink}">{title}</text>']
    subtitle = " \u00b7 ".join(t for t in (view.slide.get("subtitle", ""), view.slide.get("view", ""),
                                           view.slide.get("warning", "")) if t)
    out.append(f'<text x="32" y="82" font-size="22" fill="{muted}">{_xml(truncate(subtitle, 150))}</text>')
    if not view.nodes:
        out.append(f'<text x="32" y="150" font-size="26" fill="{muted}">{_xml(view.empty)}</text></svg>')
        return "\n".join(out) + "\n"

    points = _positions(view)
    boxes = [_label_box(n) for n in view.nodes]
    left = min(p[0] - b[0] for p, b in zip(points, boxes)) - 30
    right = max(p[0] + b[0] for p, b in zip(points, boxes)) + 30
    top = min(p[1] - b[1] for p, b in zip(points, boxes)) - 30
    bottom = max(p[1] + b[1] for p, b in zip(points, boxes)) + 30
    scale = min(width / (right - left), (height - head) / (bottom - top))
    if scale > 1.6:  # a small graph: no bigger than 1.6 times the page's sizes, centred
        pad_x = (width / 1.6 - (right - left)) / 2
        pad_y = ((height - head) / 1.6 - (bottom - top)) / 2
        left, right, top, bottom = left - pad_x, right + pad_x, top - pad_y, bottom + pad_y
        scale = 1.6
    out.append(f'<svg x="0" y="{head}" width="{width}" height="{height - head}" '
               f'viewBox="{left:.1f} {top:.1f} {right - left:.1f} {bottom - top:.1f}" '
               'preserveAspectRatio="xMidYMid meet">')
    out.append(f'<defs><marker id="kg-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" '
               f'markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{edge_grey}"/>'
               "</marker></defs>")
    labels_too = scale * _SVG_EDGE_FONT >= 7 and len(view.edges) <= 600
    position = {n["id"]: i for i, n in enumerate(view.nodes)}

    def rim(i: int, ux: float, uy: float) -> float:
        """How far from its centre an edge leaving node i in direction (ux, uy) meets its shape."""
        node = view.nodes[i]
        if node["shape"] in _LABEL_INSIDE:
            rx, ry = boxes[i][0], boxes[i][1]
            return 1 / math.sqrt((ux / rx) ** 2 + (uy / ry) ** 2) if (ux or uy) else 0.0
        return float(node.get("size", 16)) + 2

    edge_labels = []
    for edge in view.edges:
        a, b = position[edge["from"]], position[edge["to"]]
        (x1, y1), (x2, y2) = points[a], points[b]
        kind = edge.get("kgKind")
        colour = red if kind == "contradiction" else (_REJECTED_GREY if kind == "rejected" else edge_grey)
        stroke = float(edge.get("width", 1.2))
        dash = ' stroke-dasharray="10 8"' if kind in ("contradiction", "rejected") else ""
        title = f"<title>{_xml(edge.get('title', ''))}</title>"
        if a == b:  # a speaker contradicting themself: a loop
            r = boxes[a][0] * 0.6 + 20
            out.append(f'<circle cx="{x1 + r:.1f}" cy="{y1 - r:.1f}" r="{r:.1f}" fill="none" stroke="{colour}" '
                       f'stroke-width="{stroke:.1f}"{dash}>{title}</circle>')
            continue
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        sx, sy = x1 + ux * rim(a, ux, uy), y1 + uy * rim(a, ux, uy)
        ex, ey = x2 - ux * rim(b, ux, uy), y2 - uy * rim(b, ux, uy)
        if kind in ("contradiction", "rejected"):  # curved, as on the page
            mx, my = (sx + ex) / 2 - uy * length * 0.15, (sy + ey) / 2 + ux * length * 0.15
            path = f"M{sx:.1f},{sy:.1f} Q{mx:.1f},{my:.1f} {ex:.1f},{ey:.1f}"
            lx, ly, marker = (sx + 2 * mx + ex) / 4, (sy + 2 * my + ey) / 4, ""
        else:
            path = f"M{sx:.1f},{sy:.1f} L{ex:.1f},{ey:.1f}"
            lx, ly, marker = (sx + ex) / 2, (sy + ey) / 2, ' marker-end="url(#kg-arrow)"'
        out.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="{stroke:.1f}"{dash}{marker}>'
                   f"{title}</path>")
        if labels_too and edge.get("label"):
            fill = red_ink if kind == "contradiction" else muted
            edge_labels.append(f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="{_SVG_EDGE_FONT:.0f}" '
                               f'text-anchor="middle" dominant-baseline="middle" fill="{fill}" stroke="{background}" '
                               f'stroke-width="4" paint-order="stroke">{_xml(edge["label"])}</text>')
    out += edge_labels

    for i, node in enumerate(view.nodes):
        x, y = points[i]
        colour = _valid_colour(str(node["color"] if isinstance(node["color"], str) else node["color"]["background"]))
        protected = not isinstance(node["color"], str)
        stroke = "#111111" if protected else ("#c8ced4" if dark else "#333333")
        border = 3.0 if protected else 1.0
        dash = ' stroke-dasharray="4 3"' if node.get("shapeProperties", {}).get("borderDashes") else ""
        title = f"<title>{_xml(node.get('title', ''))}</title>"
        half_width, half_height, lines = boxes[i]
        if node["shape"] in _LABEL_INSIDE:
            text_colour = _valid_colour(str((node.get("font") or {}).get("color") or _font_colour(colour)))
            out.append(f'<g><ellipse cx="{x:.1f}" cy="{y:.1f}" rx="{half_width:.1f}" ry="{half_height:.1f}" '
                       f'fill="{colour}" stroke="{stroke}" stroke-width="{border:.1f}"{dash}/>{title}')
            first = y - (len(lines) - 1) * _SVG_FONT * 0.6
            for n, line in enumerate(lines):
                out.append(f'<text x="{x:.1f}" y="{first + n * _SVG_FONT * 1.2:.1f}" font-size="{_SVG_FONT:.0f}" '
                           f'text-anchor="middle" dominant-baseline="middle" fill="{text_colour}">{_xml(line)}</text>')
            out.append("</g>")
        else:
            radius = float(node.get("size", 16))
            out.append("<g>" + _svg_shape(node["shape"], x, y, radius, colour, stroke, border, dash) + title)
            out.append(f'<text x="{x:.1f}" y="{y + radius + _SVG_FONT * 0.9:.1f}" font-size="{_SVG_FONT:.0f}" '
                       f'text-anchor="middle" dominant-baseline="middle" fill="{ink}" stroke="{background}" '
                       f'stroke-width="4" paint-order="stroke">{_xml(node["label"])}</text></g>')
    out.append("</svg>\n</svg>")
    return "\n".join(out) + "\n"


def _networkx(view: NetworkView, *, gexf: bool) -> Any:
    """The view as a networkx graph: display names (pseudonyms), types, tooltip text, colours,
    sizes, dates, and (GEXF) the layout; a store id only for people who are not protected."""
    import networkx as nx

    graph = nx.MultiDiGraph(name=clean_text(view.title))
    points = _positions(view) if gexf else [(0.0, 0.0)] * len(view.nodes)
    for node, (x, y) in zip(view.nodes, points):
        colour = node["color"] if isinstance(node["color"], str) else node["color"]["background"]
        colour = _valid_colour(str(colour))
        attributes: dict[str, Any] = {
            "label": str(node["label"]), "kg_type": str(node.get("kgType", "")),
            "tooltip": str(node.get("title", "")), "colour": colour, "shape": str(node["shape"]),
            "size": float(node.get("size", 16)),
        }
        if node.get("kgDate"):
            attributes["date_start"], attributes["date_end"] = node["kgDate"]
        if node["id"] in view.kg_ids:
            attributes["kg_id"] = view.kg_ids[node["id"]]
        if gexf:
            hex_ = colour.lstrip("#")
            hex_ = "".join(c * 2 for c in hex_) if len(hex_) == 3 else hex_
            attributes["viz"] = {"color": {"r": int(hex_[0:2], 16), "g": int(hex_[2:4], 16), "b": int(hex_[4:6], 16),
                                           "a": 1.0},
                                 "size": float(node.get("size", 16)),
                                 "position": {"x": round(x, 1), "y": round(-y, 1), "z": 0.0}}
        graph.add_node(f"n{node['id']}", **attributes)
    for edge in view.edges:
        graph.add_edge(f"n{edge['from']}", f"n{edge['to']}", key=str(edge["id"]), id=str(edge["id"]),
                       label=str(edge.get("label", "")), kind=str(edge.get("kgKind", "")),
                       tooltip=str(edge.get("title", "")), weight=float(edge.get("width", 1.2)))
    return graph


# --- pyvis and the layout of large graphs ---------------------------------------------------------


class _IdList(list):
    """pyvis keeps node ids in a list and checks membership on every add_node and add_edge;
    a set alongside keeps a large graph from taking quadratic time."""

    def __init__(self) -> None:
        super().__init__()
        self._members: set[Any] = set()

    def append(self, item: Any) -> None:
        super().append(item)
        self._members.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def _new_network() -> Any:
    try:
        from pyvis.network import Network
    except ImportError:  # pragma: no cover - pyvis is a dependency
        raise KGError("the network view needs pyvis (pip install pyvis)") from None
    # "remote" only so that constructing it never touches the working directory; its page
    # writer is not used: the page is assembled below with everything inlined.
    net = Network(directed=True, cdn_resources="remote")
    net.node_ids = _IdList()
    return net


# --- layout for large graphs -------------------------------------------------------------------------


#: networkx's spring layout costs about n² per iteration; above this many nodes it is too slow.
NETWORKX_LIMIT = 5000


def _layout(count: int, links: Iterable[tuple[int, int]]) -> list[tuple[float, float]]:
    """Positions for nodes 0..count-1: networkx's spring layout (fixed seed, few iterations)
    where numpy and scipy are installed and the graph is not too big for it, else a tree
    layout computed here."""
    pairs = list(links)
    if count <= NETWORKX_LIMIT:
        try:
            import networkx as nx
            import numpy  # noqa: F401  networkx's layouts need both
            import scipy  # noqa: F401
        except ImportError:
            pass
        else:
            graph = nx.Graph()
            graph.add_nodes_from(range(count))
            graph.add_edges_from(pairs)
            positions = nx.spring_layout(graph, seed=7, iterations=15)
            scale = 100 * math.sqrt(count)  # positions come in [-1, 1]; about 200px per node
            return [(float(positions[i][0]) * scale, float(positions[i][1]) * scale) for i in range(count)]
    return _tree_layout(count, pairs)


_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def _tree_layout(count: int, links: list[tuple[int, int]], spacing: float = 190.0) -> list[tuple[float, float]]:
    """A balloon layout of a spanning forest, in linear time and deterministic.

    Each connected component is a breadth-first tree from its best-connected node. A node's
    leaf children fill a disc around it (a sunflower spiral, evenly spaced); its children that
    have children of their own sit, each in its own circle, on a ring outside that disc.
    Components are packed in rows, largest first."""
    adjacency: list[list[int]] = [[] for _ in range(count)]
    for a, b in links:
        if a != b:
            adjacency[a].append(b)
            adjacency[b].append(a)
    degree = [len(n) for n in adjacency]
    rank = sorted(range(count), key=lambda i: (-degree[i], i))
    seen = [False] * count
    children: list[list[int]] = [[] for _ in range(count)]
    components: list[list[int]] = []  # each in breadth-first order, root first
    for root in rank:
        if seen[root]:
            continue
        seen[root] = True
        order, queue = [root], deque([root])
        while queue:
            current = queue.popleft()
            for neighbour in sorted(adjacency[current], key=lambda i: (-degree[i], i)):
                if not seen[neighbour]:
                    seen[neighbour] = True
                    children[current].append(neighbour)
                    order.append(neighbour)
                    queue.append(neighbour)
        components.append(order)

    step = spacing / math.sqrt(math.pi)  # sunflower scale giving about `spacing` between leaves
    gap = spacing / 2
    radius = [spacing / 2] * count
    offset: list[tuple[float, float]] = [(0.0, 0.0)] * count  # position relative to the parent
    for order in components:
        for node in reversed(order):  # children before their parent
            kids = children[node]
            if not kids:
                continue
            leaves = [c for c in kids if not children[c]]
            inner = [c for c in kids if children[c]]
            for j, leaf in enumerate(leaves):
                r = step * math.sqrt(j + 2.5)
                offset[leaf] = (r * math.cos(j * _GOLDEN_ANGLE), r * math.sin(j * _GOLDEN_ANGLE))
            disc = step * math.sqrt(len(leaves) + 2.5) if leaves else spacing / 2
            extent = disc
            if inner:
                widths = [2 * radius[c] + gap for c in inner]
                total = sum(widths)
                ring = max(disc + max(radius[c] for c in inner) + gap, total / (2 * math.pi))
                if len(inner) > 1:
                    for c, width in zip(inner, widths):
                        half = min(math.pi / 2, math.pi * width / total)
                        ring = max(ring, (radius[c] + gap / 2) / math.sin(half))
                angle = 0.0
                for c, width in zip(inner, widths):
                    middle = angle + math.pi * width / total
                    offset[c] = (ring * math.cos(middle), ring * math.sin(middle))
                    angle += 2 * math.pi * width / total
                extent = ring + max(radius[c] for c in inner)
            radius[node] = extent + gap / 2

    positions: list[tuple[float, float]] = [(0.0, 0.0)] * count
    total_area = sum((2 * radius[order[0]]) ** 2 for order in components)
    row_width = max([math.sqrt(total_area) * 1.2] + [2 * radius[order[0]] for order in components])
    x = y = row_height = 0.0
    for order in components:
        r = radius[order[0]]
        if x > 0 and x + 2 * r > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        positions[order[0]] = (x + r, y + r)
        for node in order:  # parents before children
            px, py = positions[node]
            for child in children[node]:
                positions[child] = (px + offset[child][0], py + offset[child][1])
        x += 2 * r
        row_height = max(row_height, 2 * r)
    return positions


# --- the page -----------------------------------------------------------------------------------------



# --- headless Chromium ----------------------------------------------------------------------------------

#: Flags for a Chromium that talks to no one: no background services, and every request a page
#: might make goes to a proxy that is not there (the page's CSP already forbids them).
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
    "--disable-default-apps", "--disable-extensions", "--disable-domain-reliability",
    "--disable-client-side-phishing-detection", "--no-pings", "--metrics-recording-only",
    "--disable-breakpad", "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
    "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost", "--hide-scrollbars",
    "--force-color-profile=srgb", "--font-render-hinting=none",
)


def find_chromium(explicit: str | None = None) -> str | None:
    """The Chromium to use: the one given, $KG_CHROMIUM, or chromium / chromium-browser /
    google-chrome on the PATH."""
    for candidate in (explicit, os.environ.get("KG_CHROMIUM")):
        if candidate:
            return candidate
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


_ONTO_3_AND_4 = "import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); os.execv(sys.argv[3], sys.argv[3:])"


def _stop_browser(process: subprocess.Popen, folder: tempfile.TemporaryDirectory) -> None:
    if process.poll() is None:
        process.kill()  # the browser started here, by its own id
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
    folder.cleanup()


def _high_fd(fd: int) -> int:
    import fcntl

    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


class Chromium:
    """A headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe):
    no port is opened and nothing is installed. Its profile, and HOME for anything else it
    writes, are a temporary folder removed on close.

        with Chromium() as browser:
            browser.open(Path("page.html").resolve().as_uri(), width=1920, height=1080)
            browser.wait_for("document.body.dataset.kgReady === 'true'")
            png = browser.screenshot()
    """

    def __init__(self, binary: str | None = None, *, extra_flags: Sequence[str] = (), timeout: float = 60.0) -> None:
        found = find_chromium(binary)
        if not found:
            raise KGError("a picture needs Chromium: install it (apt-get install chromium) or set KG_CHROMIUM")
        self.timeout = timeout
        self.events: list[dict[str, Any]] = []
        self._folder = tempfile.TemporaryDirectory(prefix="kg-chromium-")
        profile = Path(self._folder.name) / "profile"
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # The child's ends go above 9, so that putting them on 3 and 4 cannot overwrite each other.
        to_browser_r, from_browser_w = (_high_fd(fd) for fd in (to_browser_r, from_browser_w))
        args = [found, *CHROMIUM_FLAGS, *extra_flags, "--remote-debugging-pipe", f"--user-data-dir={profile}",
                "about:blank"]
        # Chromium reads commands on fd 3 and answers on fd 4: a small Python puts the pipes there.
        shell = [sys.executable, "-c", _ONTO_3_AND_4, str(to_browser_r), str(from_browser_w), *args]
        env = {**os.environ, "HOME": self._folder.name, "XDG_CONFIG_HOME": self._folder.name,
               "XDG_CACHE_HOME": self._folder.name}
        log = os.environ.get("KG_CHROMIUM_LOG")  # where Chromium's own messages go, when debugging
        try:
            with open(log or os.devnull, "ab") as errors:
                self.process = subprocess.Popen(shell, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                                stderr=errors, pass_fds=(to_browser_r, from_browser_w),
                                                env=env, start_new_session=True)
        except OSError as exc:
            self._folder.cleanup()
            raise KGError(f"cannot start Chromium: {exc.strerror}", where=found) from None
        finally:
            os.close(to_browser_r)
            os.close(from_browser_w)
        self._buffer = b""
        self._next = 0
        self.session: str | None = None
        # Not closed (an exception, a forgotten close): the browser is stopped and its folder
        # removed when this object goes, or at the latest when Python exits.
        self._finalizer = weakref.finalize(self, _stop_browser, self.process, self._folder)

    def __enter__(self) -> "Chromium":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def send(self, method: str, params: Mapping[str, Any] | None = None, *, session: bool = True,
             timeout: float | None = None) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": dict(params or {})}
        if session and self.session:
            message["sessionId"] = self.session
        try:
            os.write(self._to_browser, json.dumps(message).encode("utf-8") + b"\0")
        except OSError:
            raise KGError("Chromium stopped answering") from None
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise KGError(f"Chromium: {method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise KGError("Chromium did not answer in time")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    raise KGError("Chromium stopped answering")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def open(self, url: str, *, width: int = 1920, height: int = 1080) -> None:
        targets = self.send("Target.getTargets", session=False)["targetInfos"]
        page = next((t for t in targets if t["type"] == "page"), None)
        target = page["targetId"] if page else self.send("Target.createTarget", {"url": "about:blank"},
                                                          session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 session=False)["sessionId"]
        self.send("Network.enable")
        self.send("Page.enable")
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        self.send("Page.navigate", {"url": url})

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True})
        if "exceptionDetails" in result:
            raise KGError(f"Chromium: the page's script failed: {result['exceptionDetails'].get('text')}")
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, *, timeout: float | None = None) -> Any:
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            try:
                value = self.evaluate(expression)
            except KGError:
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise KGError("the page did not finish drawing in time")
            time.sleep(0.05)

    def key(self, key: str) -> None:
        """Press and release a key (names as in KeyboardEvent.key: ArrowRight, PageDown, " ", t)."""
        codes = {"ArrowRight": 39, "ArrowLeft": 37, "ArrowUp": 38, "ArrowDown": 40, "PageDown": 34, "PageUp": 33,
                 " ": 32, "Enter": 13, "Escape": 27, "Home": 36, "End": 35, "Backspace": 8}
        code = codes.get(key, ord(key.upper()) if len(key) == 1 else 0)
        params: dict[str, Any] = {"key": key, "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code}
        if len(key) == 1:
            params["text"] = key
        self.send("Input.dispatchKeyEvent", {"type": "keyDown", **params})
        self.send("Input.dispatchKeyEvent", {"type": "keyUp", **{k: v for k, v in params.items() if k != "text"}})

    def type_text(self, text: str) -> None:
        self.send("Input.insertText", {"text": text})

    def screenshot(self) -> bytes:
        return base64.b64decode(self.send("Page.captureScreenshot", {"format": "png"})["data"])

    def requested_urls(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def close(self) -> None:
        self._finalizer.detach()
        try:
            if self.process.poll() is None:
                try:
                    self.send("Browser.close", session=False, timeout=5)
                except KGError:
                    pass
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=10)
        finally:
            for fd in (self._to_browser, self._from_browser):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self._folder.cleanup()


def render_png(document: str, *, width: int = 1920, height: int = 1080, chromium: str | None = None,
               step: int | None = None, settle: float = 0.8) -> bytes:
    """A screenshot of a page (as written by NetworkView.html) once the network is drawn, in a
    headless Chromium with no network. The page is put in a temporary folder, removed after."""
    with Chromium(chromium) as browser:
        page = Path(browser._folder.name) / "page.html"
        page.write_text(document, encoding="utf-8")
        browser.open(page.as_uri() + (f"#present&step={step}" if step is not None else "#picture"),
                     width=width, height=height)
        browser.wait_for("document.body && document.body.getAttribute('data-kg-ready') === 'true' "
                         "|| !!document.querySelector('.kg-empty')")
        time.sleep(settle)  # the fit animation of a story step
        return browser.screenshot()


