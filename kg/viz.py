"""The network view: the whole graph as one self-contained, offline HTML page.

The page is drawn with vis-network (through pyvis). Everything it needs is inside the one
file: the vis-network script and stylesheet are read from the installed pyvis package and
inlined, and a Content-Security-Policy forbids any request to any host. Nothing but the
output file is written (pyvis's own writers would put a lib/ folder into the working
directory and point at CDNs, so its page writer is not used).

Everything that comes from articles and case files is data, never markup. It reaches the
page only inside one JSON block whose `<`, `>`, `&`, U+2028 and U+2029 are escaped, labels
are drawn on a canvas, and tooltips are DOM nodes filled through textContent.

Actors marked sensitive appear under a stable pseudonym ("Protected person 3f2a9c"), keyed
with HMAC-SHA256, and their names and aliases are blotted out of every other text shown
(quotes, labels, explanations), unless the caller asks to reveal them.

The graph is read with Cypher both stores accept: one query per node label and one per
relationship type and endpoint pair, each rendered from the ontology, with no label(),
type() or labels().
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import defaultdict, deque
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from kg.errors import KGError
from kg.identity import strip_invisible
from kg.ontology import Ontology
from kg.privacy import pseudonym, pseudonym_key

if TYPE_CHECKING:
    from kg.stores.base import GraphStore

#: Above this many nodes the layout is computed here and physics is switched off.
LAYOUT_THRESHOLD = 1500

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
_REJECTED_GREY = "#a0a4a8"

# Display text: besides what identity.strip_invisible removes (zero-width characters, bidi
# controls, soft hyphen, BOM), the Arabic letter mark, the line/paragraph separators, and every
# other control character except newline and tab.
_CONTROL = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u2028\u2029\ufff9-\ufffb]")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_QUOTE_CLASS = "['\u2018\u2019\u02bc`]"


# --- pseudonyms ---------------------------------------------------------------------------------


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


class _Redactor:
    """Blots sensitive actors' names and aliases out of displayed text, replacing each with
    the actor's pseudonym. Matching ignores case, spacing and apostrophe style, and is not
    limited to whole words: over-redacting is the safe side."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self._replacement: dict[str, str] = {}
        patterns = []
        for name, replacement in sorted(names.items(), key=lambda kv: -len(kv[0])):
            words = clean_text(name).split()
            if not words or len("".join(words)) < 2:
                continue
            self._replacement[self._fold("".join(words))] = replacement
            patterns.append(r"\s+".join(re.sub(r"\\?['\u2018\u2019\u02bc`]", _QUOTE_CLASS, re.escape(w))
                                        for w in words))
        self._pattern = re.compile("|".join(patterns), re.IGNORECASE) if patterns else None

    @staticmethod
    def _fold(text: str) -> str:
        text = re.sub(r"\s+", "", text.casefold())
        return re.sub(_QUOTE_CLASS, "'", text)

    def __call__(self, text: str) -> str:
        if self._pattern is None or not text:
            return text
        return self._pattern.sub(lambda m: self._replacement.get(self._fold(m.group(0)), "[withheld]"), text)


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


def _read_nodes(store: Any, ontology: Ontology) -> dict[tuple[str, str], _Node]:
    nodes: dict[tuple[str, str], _Node] = {}
    for label, table in ontology.content_nodes.items():
        wanted = _DISPLAY_COLUMNS.get(label, _FALLBACK_COLUMNS)
        columns = [c for c in wanted if c in table.columns and c != "id"]
        cypher = ontology.render("MATCH (n:{label}) RETURN n.id", label=label)
        cypher += "".join(", " + ontology.render("n.{col}", col=c) for c in columns)
        cypher += " ORDER BY n.id"
        for row in store.run(cypher).rows:
            node_id, values = row[0], row[1:]
            if node_id is None:
                continue
            nodes[(label, str(node_id))] = _Node(label, str(node_id), dict(zip(columns, values)))
    return nodes


def _read_edges(store: Any, ontology: Ontology) -> list[_Edge]:
    edges: list[_Edge] = []
    for rel_type, table in ontology.relationships.items():
        columns = [c for c in _EDGE_COLUMNS if c in table.columns]
        for source, target in table.pairs:
            # Labelled endpoints: LadybugDB then scans one table pair instead of all of them.
            cypher = ontology.render(
                "MATCH (s:{source})-[r:{rel}]->(t:{target}) RETURN s.id, t.id",
                source=source, rel=rel_type, target=target,
            )
            cypher += "".join(", " + ontology.render("r.{col}", col=c) for c in columns)
            cypher += " ORDER BY s.id, t.id"
            for row in store.run(cypher).rows:
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


class _Page:
    """Turns what was read into vis-network nodes and edges (through pyvis)."""

    def __init__(self, ontology: Ontology, nodes: dict[tuple[str, str], _Node], edges: list[_Edge], *,
                 reveal: bool, include_articles: bool, key: Any) -> None:
        self.ontology = ontology
        self.nodes = nodes
        self.edges = edges
        self.reveal = reveal
        self.include_articles = include_articles
        self.legend = {e["name"]: e for e in ontology.legend()}
        self.protected = 0
        self.rejected_shown = False

        sensitive = [n for n in nodes.values() if n.label == "Actor" and n.props.get("sensitive")]
        self.pseudonyms: dict[str, str] = {}
        if sensitive and not reveal:
            key_bytes = key() if callable(key) else key
            self.pseudonyms = {n.id: pseudonym(n.id, key_bytes) for n in sensitive}
            names = {}
            for n in sensitive:
                for name in [n.props.get("name"), *(n.props.get("aliases") or [])]:
                    if name:
                        names[str(name)] = self.pseudonyms[n.id]
            self.redact = _Redactor(names)
        else:
            self.redact = _Redactor({})

        # Who said each statement, and where statements and events were reported.
        self.speakers: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        self.reported_in: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        for edge in edges:
            if edge.type == "SAID":
                self.speakers[edge.target].append(edge.source)
            if edge.target[0] == "Article" and edge.source[0] != "Actor":
                self.reported_in[edge.source].append(edge.target)

    # -- text ----------------------------------------------------------------------------------------

    def text(self, value: Any) -> str:
        return self.redact(clean_text(value))

    def name(self, key: tuple[str, str]) -> str:
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

    def article_line(self, key: tuple[str, str]) -> str:
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
            speakers = [self.name(s) for s in self.speakers.get(key, [])]
            role = self.text(p.get("speaker_role"))
            lines += _lines(("Speaker", ", ".join(speakers) + (f" (as {role})" if role and speakers else "")))
            stance = self.text(p.get("stance"))
            kind = self.text(p.get("kind"))
            lines += _lines(("Stance", stance + (f" \u00b7 {kind} speech" if kind else "")),
                            ("Cue", self.text(p.get("cue"))), ("Date", self.text(p.get("date"))))
            lines += self.article_lines(key)
            return "\n".join(lines)
        if node.label == "Event":
            lines = [self.name(key)]
            time = self.text(p.get("time_text"))
            span = "\u2013".join(t for t in (self.text(p.get("time_start")), self.text(p.get("time_end"))) if t)
            lines += _lines(("Type", self.text(p.get("event_type"))),
                            ("When", time + (f" ({span})" if span and span != time else "") if time else span),
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

    def article_lines(self, key: tuple[str, str]) -> list[str]:
        articles = [self.article_line(a) for a in self.reported_in.get(key, [])]
        return _lines(("Article", "; ".join(a for a in articles if a)))

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

    # -- look -----------------------------------------------------------------------------------------

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

    # -- assembly -------------------------------------------------------------------------------------

    def build(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        drawn = {k: n for k, n in self.nodes.items() if self.include_articles or n.label != "Article"}

        # Contradictions: one red dashed edge between the two statements instead of a node.
        sides: dict[tuple[str, str], dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
        for edge in self.edges:
            if edge.type == "INVOLVES" and edge.source[0] == "Contradiction":
                sides[edge.source][str(edge.props.get("side") or "")].append(edge.target)
        direct: list[tuple[tuple[str, str], tuple[str, str], _Node]] = []
        replaced: set[tuple[str, str]] = set()
        for key, by_side in sides.items():
            node = drawn.get(key)
            if node is None:
                continue
            a = [s for s in by_side.get("a", []) if s in drawn]
            b = [s for s in by_side.get("b", []) if s in drawn]
            if not (a and b):
                everything = [s for ss in by_side.values() for s in ss if s in drawn]
                a, b = everything[:1], everything[1:]
            if a and b:
                direct += [(x, y, node) for x in a for y in b if x != y]
                replaced.add(key)
        for key in replaced:
            del drawn[key]

        edge_rows: list[tuple[tuple[str, str], tuple[str, str], dict[str, Any]]] = []
        for edge in self.edges:
            if edge.source not in drawn or edge.target not in drawn:
                continue
            words = _words(edge.type)
            qualifier = edge.props.get("role") or (f"side {edge.props['side']}" if edge.props.get("side") else "")
            label = words + (f" ({self.text(qualifier)})" if qualifier else "")
            title = f"{self.name(edge.source)} \u2192 {label} \u2192 {self.name(edge.target)}"
            edge_rows.append((edge.source, edge.target, {"label": label, "title": title}))
        for a, b, node in direct:
            status = str(node.props.get("status") or "")
            rejected = status == "rejected"
            self.rejected_shown |= rejected
            label = "rejected: not contradictory" if rejected else "contradicts" + (" (open)" if status == "open" else "")
            colour = _REJECTED_GREY if rejected else _valid_colour(
                self.legend.get("Contradiction", {}).get("colour", ""), _CONTRADICTION_RED)
            edge_rows.append((a, b, {
                "label": label,
                "title": f"{self.name(a)}\n\u2194 {label} \u2194\n{self.name(b)}\n\n" + self.contradiction_text(node.props),
                "color": {"color": colour, "highlight": colour, "hover": colour},
                "dashes": [10, 8] if not rejected else [3, 6],
                "width": 1.5 if rejected else 3,
                "arrows": {"to": {"enabled": False}},
                "font": {"color": "#b03a2e" if not rejected else "#6c7378"},
                "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.15},
            }))

        degree: dict[tuple[str, str], int] = defaultdict(int)
        for source, target, _ in edge_rows:
            degree[source] += 1
            degree[target] += 1

        net = _new_network()
        index: dict[tuple[str, str], int] = {}
        nodes_sorted = sorted(drawn.values(), key=lambda n: (n.label, n.id))
        for number, node in enumerate(nodes_sorted, start=1):
            key = (node.label, node.id)
            index[key] = number
            colour, shape = self.style(node)
            options: dict[str, Any] = {
                "title": self.tooltip(node),
                "size": min(14 + 4 * math.sqrt(degree[key]), 48),
            }
            if node.id in self.pseudonyms:
                self.protected += 1
                options["borderWidth"] = 3
                options["color"] = {"background": colour, "border": "#111111"}
                options["shapeProperties"] = {"borderDashes": [4, 3]}
            else:
                options["color"] = colour
            if node.label == "Actor" and node.props.get("collective"):
                options["shapeProperties"] = {"borderDashes": [5, 4]}
                options["borderWidth"] = 2
            if shape in _LABEL_INSIDE:
                options["font"] = {"color": _font_colour(colour)}
                options["widthConstraint"] = {"maximum": 200}
            net.add_node(number, label=self.label(node) or node.label, shape=shape, **options)
        for source, target, options in edge_rows:
            net.add_edge(index[source], index[target], **options)
        vis_nodes, vis_edges, *_ = net.get_network_data()
        return list(vis_nodes), list(vis_edges)


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


def _options(large: bool) -> dict[str, Any]:
    options: dict[str, Any] = {
        "nodes": {
            "font": {"size": 18, "face": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
                     "strokeWidth": 3, "strokeColor": "#ffffff"},
            "borderWidth": 1,
            "margin": 10,
            # Below this many pixels on screen a label is not drawn; zoom in to read it.
            "scaling": {"label": {"drawThreshold": 6, "maxVisible": 40}},
        },
        "edges": {
            "font": {"size": 16, "face": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
                     "color": "#3d4246", "strokeWidth": 4, "strokeColor": "#ffffff", "align": "horizontal"},
            "color": {"color": _EDGE_GREY, "highlight": "#34495e", "hover": "#34495e"},
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "smooth": {"enabled": True, "type": "continuous", "roundness": 0.3},
            "width": 1.2,
            "selectionWidth": 2,
            # Edge labels appear once zoomed in far enough to read them.
            "scaling": {"label": {"drawThreshold": 15, "maxVisible": 32}},
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": True, "keyboard": True,
                        "multiselect": True},
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
    if large:
        options["physics"] = {"enabled": False}
        options["layout"] = {"improvedLayout": False}
        options["edges"]["smooth"] = {"enabled": False}
        options["interaction"]["hideEdgesOnDrag"] = True
    return options


_SCRIPT = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var details = document.getElementById("kg-details");
  var texts = {nodes: {}, edges: {}};
  // Tooltips are DOM nodes filled with textContent: a title string is never parsed as HTML.
  function tip(text) {
    var box = document.createElement("div");
    box.className = "kg-tip";
    box.textContent = text;
    return box;
  }
  function prepare(items, store) {
    items.forEach(function (item) {
      var text = typeof item.title === "string" ? item.title : "";
      store[item.id] = text;
      if (text) { item.title = tip(text); } else { delete item.title; }
    });
  }
  data.edges.forEach(function (edge, i) { edge.id = "e" + i; });
  prepare(data.nodes, texts.nodes);
  prepare(data.edges, texts.edges);
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, {nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)},
                                data.options);
  // Start where labels can be read: fit the graph, but zoom in no less than READABLE (a 16px
  // label is then 12px on screen), around the best-connected node. The fit button shows all.
  var READABLE = 0.75;
  function settle() {
    network.fit({animation: false});
    if (network.getScale() < READABLE) {
      var centre = data.focus !== null ? network.getPosition(data.focus) : network.getViewPosition();
      network.moveTo({position: centre, scale: READABLE, animation: false});
    }
    document.body.setAttribute("data-kg-ready", "true");
  }
  if (data.options.physics && data.options.physics.enabled !== false) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: {enabled: false}});
      settle();
    });
  } else {
    settle();
  }
  function show(text) { details.textContent = text || "Click a node or an edge to see its details here."; }
  network.on("click", function (event) {
    if (event.nodes.length) { show(texts.nodes[event.nodes[0]]); }
    else if (event.edges.length) { show(texts.edges[event.edges[0]]); }
    else { show(""); }
  });
})();
"""

_STYLE = """
html, body { margin: 0; height: 100%; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 16px; color: #1f2326;
       background: #fafbfc; display: flex; flex-direction: column; }
header { padding: 10px 18px; border-bottom: 1px solid #d8dde2; background: #ffffff; }
header h1 { margin: 0; font-size: 22px; }
header p { margin: 4px 0 0; font-size: 16px; color: #4a5157; }
header p.kg-warning { color: #a93226; font-weight: 600; }
main { flex: 1; display: flex; min-height: 0; }
#kg-network { flex: 1; min-width: 0; background: #ffffff; }
aside { width: 320px; overflow-y: auto; border-left: 1px solid #d8dde2; padding: 12px 16px; background: #fafbfc; }
aside h2 { font-size: 18px; margin: 6px 0 8px; }
.kg-legend { list-style: none; margin: 0 0 14px; padding: 0; }
.kg-legend li { display: flex; align-items: center; gap: 10px; margin: 5px 0; font-size: 16px; }
.kg-legend svg { flex: none; }
#kg-details { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 16px; line-height: 1.4; }
.kg-empty { margin: 40px auto; font-size: 20px; color: #4a5157; }
div.vis-tooltip { white-space: pre-wrap; overflow-wrap: anywhere; max-width: 460px; font-size: 16px;
                  line-height: 1.4; font-family: inherit; padding: 8px 10px; }
div.vis-network div.vis-navigation div.vis-button { opacity: 0.7; }
"""


def _symbol(shape: str, colour: str, *, dashed: bool = False) -> str:
    """A small inline SVG for the legend (inline SVG is markup, not a fetched image)."""
    fill = f'fill="{colour}" stroke="#333" stroke-width="1"'
    if dashed:
        body = f'<line x1="1" y1="11" x2="29" y2="11" stroke="{colour}" stroke-width="3" stroke-dasharray="6 4"/>'
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


def _legend_html(ontology: Ontology, *, include_articles: bool, rejected: bool, protected: bool) -> str:
    items = []
    for entry in ontology.legend():
        name = entry["name"]
        if name == "Article" and not include_articles:
            continue
        colour = _valid_colour(entry["colour"])
        label = html.escape(clean_text(entry["label"]))
        if name == "Contradiction":
            items.append(f"<li>{_symbol('', colour, dashed=True)}<span>contradicts (a {label}: the two "
                         "statements are joined by a dashed line)</span></li>")
            continue
        items.append(f"<li>{_symbol(_valid_shape(entry['shape']), colour)}<span>{label}</span></li>")
    if rejected:
        items.append(f"<li>{_symbol('', _REJECTED_GREY, dashed=True)}<span>contradiction rejected on review</span></li>")
    items.append(f"<li>{_symbol('', _EDGE_GREY, dashed=False)}<span>other relationships "
                 "(labelled, arrow points from subject to object)</span></li>")
    note = ("<li><span>Dashed outline: a group spoken of as one actor, or (thick black) a protected "
            "person shown under a pseudonym.</span></li>") if protected else (
            "<li><span>Dashed outline: a group spoken of as one actor.</span></li>")
    items.append(note)
    return '<ul class="kg-legend">' + "".join(items) + "</ul>"


def _page(title: str, summary: list[tuple[str, str]], legend: str, body: str, scripts: list[tuple[str, str]],
          style: str) -> str:
    heading = html.escape(clean_text(title) or "kg network")
    paragraphs = "".join(
        f'<p class="{html.escape(cls)}">{html.escape(text)}</p>' if cls else f"<p>{html.escape(text)}</p>"
        for cls, text in summary
    )
    script_tags = "".join(f'<script id="{name}">{text}</script>\n' for name, text in scripts)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{heading}</title>\n"
        f"<style>{style}</style>\n<style>{_STYLE}</style>\n"
        "</head>\n<body>\n"
        f"<header><h1>{heading}</h1>{paragraphs}</header>\n"
        f"<main>{body}<aside><h2>Legend</h2>{legend}<h2>Details</h2>"
        '<div id="kg-details">Click a node or an edge to see its details here.</div></aside></main>\n'
        f"{script_tags}"
        "</body>\n</html>\n"
    )


def _store_directory(store: Any) -> Path | None:
    directory = getattr(store, "directory", None)
    return Path(directory) if directory is not None else None


def write_network_html(
    store: "GraphStore",
    output: Path,
    *,
    title: str = "kg network",
    reveal: bool = False,
    include_articles: bool = False,
) -> dict[str, Any]:
    """Write the graph in `store` as one self-contained HTML page at `output`.

    Returns {"path": ..., "nodes": n, "edges": m}: the nodes and edges drawn on the page.
    Sensitive actors are pseudonymised unless reveal=True; articles (and the REPORTED_IN and
    MENTIONED_IN edges to them) are left out unless include_articles=True."""
    output = Path(output)
    if output.is_dir():
        raise KGError("the output is a folder; name a file", where=str(output))
    if not output.parent.is_dir():
        raise KGError("the folder for the output does not exist", where=str(output))
    ontology: Ontology = store.ontology

    nodes = _read_nodes(store, ontology)
    edges = _read_edges(store, ontology)
    page = _Page(ontology, nodes, edges, reveal=reveal, include_articles=include_articles,
                 key=lambda: pseudonym_key(_store_directory(store)))
    vis_nodes, vis_edges = page.build()

    large = len(vis_nodes) > LAYOUT_THRESHOLD
    if large:
        position = {n["id"]: i for i, n in enumerate(vis_nodes)}
        coordinates = _layout(len(vis_nodes), ((position[e["from"]], position[e["to"]]) for e in vis_edges))
        for node, (x, y) in zip(vis_nodes, coordinates):
            node["x"], node["y"] = round(x, 1), round(y, 1)

    summary = [("", f"{len(vis_nodes)} nodes \u00b7 {len(vis_edges)} edges"
                    + ("" if include_articles else " \u00b7 articles not shown")
                    + (" \u00b7 scroll to zoom, drag to move, hover or click for details;"
                       " the bottom-right frame button shows the whole graph" if vis_nodes else ""))]
    sensitive_count = sum(1 for n in nodes.values() if n.label == "Actor" and n.props.get("sensitive"))
    if sensitive_count and reveal:
        summary.append(("kg-warning", f"Names of {sensitive_count} protected "
                        f"{'person are' if sensitive_count == 1 else 'people are'} REVEALED in this page: "
                        "do not share it."))
    elif page.protected:
        summary.append(("", f"{page.protected} protected "
                            f"{'person is' if page.protected == 1 else 'people are'} shown under a pseudonym."))
    legend = _legend_html(ontology, include_articles=include_articles, rejected=page.rejected_shown,
                          protected=bool(page.protected))

    if not vis_nodes:
        message = "The graph is empty." if not nodes else (
            "Nothing to draw: the graph holds only articles (include articles to see them).")
        document = _page(title, summary, legend, f'<div class="kg-empty" id="kg-network">{html.escape(message)}</div>',
                         [], "")
    else:
        links: dict[Any, int] = defaultdict(int)
        for edge in vis_edges:
            links[edge["from"]] += 1
            links[edge["to"]] += 1
        focus = max(vis_nodes, key=lambda n: (links[n["id"]], -n["id"]))["id"]
        data = {"nodes": vis_nodes, "edges": vis_edges, "options": _options(large), "focus": focus}
        script, style = _vis_assets()
        body = (f'<div id="kg-network" role="img" aria-label="{html.escape(clean_text(title))}"></div>\n'
                f'<script type="application/json" id="kg-data">{script_json(data)}</script>')
        document = _page(title, summary, legend, body, [("kg-vis", script), ("kg-app", _SCRIPT)], style)

    try:
        output.write_text(document, encoding="utf-8")
    except OSError as exc:
        raise KGError(f"cannot write the page: {exc.strerror}", where=str(output)) from None
    return {"path": str(output), "nodes": len(vis_nodes), "edges": len(vis_edges)}
