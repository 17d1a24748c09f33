"""Pictures and files for other tools: the SVG picture with its layouts, and GEXF/GraphML
through networkx."""

from __future__ import annotations

import html
import math
import re
from collections import defaultdict, deque
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from kg.errors import KGError
from kg.viz.common import (FORCE_LAYOUT_LIMIT, _CONTRADICTION_INK, _CONTRADICTION_RED, _EDGE_GREY,
                           _LABEL_INSIDE, _REJECTED_GREY, _font_colour, _valid_colour, clean_text, truncate)

if TYPE_CHECKING:
    from kg.viz.view import NetworkView


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
