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

from kg.viz.chromium import CHROMIUM_FLAGS, Chromium, find_chromium, render_png
from kg.viz.common import LAYOUT_THRESHOLD, MAX_NODES, SIZES, THEMES, clean_text, script_json, truncate
from kg.viz.store import network_view, write_network_html
from kg.viz.view import CAP_ORDER, NetworkView, Selection, build_view, check_output

__all__ = [
    "CAP_ORDER", "CHROMIUM_FLAGS", "Chromium", "LAYOUT_THRESHOLD", "MAX_NODES", "NetworkView", "SIZES", "Selection",
    "THEMES", "build_view", "check_output", "clean_text", "find_chromium", "network_view", "render_png",
    "script_json", "truncate", "write_network_html",
]
