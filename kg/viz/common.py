"""What the parts of the network view share: its limits, colours, the columns shown, the node
and edge records, and the cleaning of every text displayed."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from kg.identity import strip_invisible


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
