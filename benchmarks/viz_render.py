"""How fast the network page is made and drawn, and how it responds, at 1k, 5k and 20k nodes.

For each size a synthetic graph (actors, statements, events, places, topics, contradictions,
a few sensitive people; about four edges per node) is fed to the page builder
(kg.viz.build_view, the store-free core of `kg viz`), and then:

  generate      building the view and writing the page (seconds, median of --repeat runs);
                above kg.viz.LAYOUT_THRESHOLD nodes this includes computing the layout
  page          the size of the page (MB)
  first draw    when vis-network first drew the network (its afterDrawing event), in ms
                after navigation started, measured by the page itself (performance.now)
  ready         when the page was ready to use (stabilized or, with a precomputed layout,
                fitted), in ms after navigation started; wall is the same seen from outside
  redraw        one full redraw of the canvas, every node and edge, ms, median of 5
  zoom          from a zoom step (moveTo) until it was drawn, ms, median of 5
  wheel, drag   the frames drawn while the mouse wheel zooms and while the mouse drags the
                view (real input events): median time to draw one, ms; in the view the page
                opens with (zoomed to readable labels around the best-connected node) and, as
                "all", with the whole graph in view. Above 300 nodes edges are hidden while
                zooming or dragging, as on the page.
  filter        unticking the Statement type in the page's filters: the filter itself, ms
  search        one search-box query over every node, ms

The page is loaded from a local file in headless Chromium (kg.viz.Chromium: DevTools protocol
on a pipe, no network, software rendering: --disable-gpu), at 1920x1080. Numbers from a
machine with a GPU and a desktop browser will be better.

    PYTHONPATH=. python benchmarks/viz_render.py            # 1000 5000 20000
    PYTHONPATH=. python benchmarks/viz_render.py 1000 --repeat 1 --json results.json

Only time is measured; nothing asserts a speed.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from kg.ontology import load_ontology
from kg.viz import LAYOUT_THRESHOLD, Chromium, build_view, find_chromium

WORDS = ("police detained men reports denied officials said witness beaten released camp secret family "
         "fled investigation confirmed nothing happened prosecutor court numbers people authorities "
         "never accused threatened shelter asylum protest journalist").split()
ACTOR_TYPES = ("Person", "Person", "Person", "GovernmentBody", "NGO", "MediaOutlet", "Organization")
STANCES = ("denial", "accusation", "testimony", "affirmation", "other")


def synthetic(size: int, *, edges_per_node: float = 4.0, seed: int = 7) -> tuple[list, list]:
    """About `size` drawn nodes and `edges_per_node * size` drawn edges."""
    rng = random.Random(seed)
    nodes: list[tuple[str, str, dict[str, Any]]] = []
    edges: list[tuple[str, tuple[str, str], tuple[str, str], dict[str, Any]]] = []

    def sentence(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()

    counts = {"Actor": int(size * 0.12), "Statement": int(size * 0.45), "Event": int(size * 0.25),
              "Place": int(size * 0.08)}
    counts["Topic"] = size - sum(counts.values())
    keys: dict[str, list[tuple[str, str]]] = {label: [] for label in counts}
    for label, count in counts.items():
        for i in range(count):
            key = (label, f"{label.lower()}:{i}")
            keys[label].append(key)
            if label == "Actor":
                props = {"name": f"Actor {i} {rng.choice(WORDS)}", "actor_type": rng.choice(ACTOR_TYPES),
                         "sensitive": rng.random() < 0.02, "roles": [rng.choice(["victim", "official", "witness"])],
                         "aliases": [], "collective": False, "description": sentence(12)}
            elif label == "Statement":
                year = rng.choice(["2016", "2017", "2018", "2019"])
                props = {"text": sentence(rng.randint(5, 30)), "stance": rng.choice(STANCES), "kind": "direct",
                         "date": f"{year}-{rng.randint(1, 12):02d}" if rng.random() < 0.7 else None}
            elif label == "Event":
                props = {"label": f"Event {i}: {sentence(4)}", "event_type": "detention",
                         "time_start": rng.choice(["2016", "2017", "2018-05", None])}
            elif label == "Place":
                props = {"name": f"Place {i}", "aliases": []}
            else:
                props = {"label": f"Topic {i}: {sentence(3)}"}
            nodes.append((label, key[1], props))

    actors, statements, events = keys["Actor"], keys["Statement"], keys["Event"]
    subjects = actors + events + keys["Topic"]
    for statement in statements:
        edges.append(("SAID", rng.choice(actors), statement, {}))
        edges.append(("ABOUT", statement, rng.choice(subjects), {}))
    for event in events:
        edges.append(("OCCURRED_IN", event, rng.choice(keys["Place"]), {}))
        for _ in range(rng.randint(1, 3)):
            edges.append(("PARTICIPATED_IN", rng.choice(actors), event, {"role": rng.choice(["victim", "agent"])}))
    for actor in actors:
        if rng.random() < 0.5:
            edges.append(("MEMBER_OF", actor, rng.choice(actors), {}))
    conflicts = int(len(statements) * 0.05)
    for i in range(conflicts):
        a, b = rng.sample(statements, 2)
        key = ("Contradiction", f"contradiction:{i}")
        nodes.append(("Contradiction", key[1], {"basis": "polarity", "status": rng.choice(["open", "confirmed"]),
                                                "score": round(rng.random(), 2), "explanation": sentence(15)}))
        edges.append(("INVOLVES", key, a, {"side": "a"}))
        edges.append(("INVOLVES", key, b, {"side": "b"}))
    drawn = len(edges) - conflicts  # each contradiction's two INVOLVES become one edge
    while drawn < edges_per_node * size:
        edges.append(("ABOUT", rng.choice(statements), rng.choice(subjects), {}))
        drawn += 1
    return nodes, edges


MEASURE_REDRAW = """(function () {
  var n = kgPage.network, times = [];
  for (var i = 0; i < 5; i++) { var t = performance.now(); n.redraw(); times.push(performance.now() - t); }
  times.sort(function (a, b) { return a - b; });
  return times[2];
})()"""

MEASURE_ZOOM = """(async function () {
  var n = kgPage.network, times = [];
  for (var i = 0; i < 5; i++) {
    times.push(await new Promise(function (done) {
      var t = performance.now();
      n.once("afterDrawing", function () { done(performance.now() - t); });
      n.moveTo({scale: n.getScale() * (i % 2 ? 0.8 : 1.25)});
    }));
  }
  times.sort(function (a, b) { return a - b; });
  return times[2];
})()"""

RECORD_FRAMES = """(function () {
  var n = kgPage.network, start = 0;
  window.kgFrames = [];
  n.on("beforeDrawing", function () { start = performance.now(); });
  n.on("afterDrawing", function () { if (start) { window.kgFrames.push(performance.now() - start); } });
  return true;
})()"""

MEASURE_FILTER = """(function () {
  var box = document.querySelector('#kg-types input[value=Statement]');
  var t = performance.now(); box.click(); var filtered = performance.now() - t;
  box.click();
  return filtered;
})()"""

MEASURE_SEARCH = """(function () {
  var t = performance.now(); var found = kgPage.search("actor 12"); return [performance.now() - t, found.length];
})()"""


def measure(size: int, repeat: int, folder: Path, chromium: str | None) -> dict[str, Any]:
    ontology = load_ontology()
    nodes, edges = synthetic(size)
    page = folder / f"page-{size}.html"
    generate = []
    for _ in range(repeat):
        start = time.perf_counter()
        view = build_view(ontology, nodes, edges, key=b"benchmark-key-benchmark-key-0000",
                          title=f"Synthetic graph, {size} nodes")
        view.write_html(page)
        generate.append(time.perf_counter() - start)
    row: dict[str, Any] = {"nodes": view.counts["nodes"], "edges": view.counts["edges"],
                           "page_mb": round(page.stat().st_size / 1e6, 1),
                           "generate_s": round(statistics.median(generate), 2),
                           "layout": "precomputed" if view.large else "physics"}
    loads = []
    for attempt in range(repeat):
        with Chromium(chromium, timeout=600) as browser:
            start = time.perf_counter()
            browser.open(page.resolve().as_uri(), width=1920, height=1080)
            browser.wait_for("document.body && document.body.getAttribute('data-kg-ready') === 'true'", timeout=600)
            wall = (time.perf_counter() - start) * 1000
            stats = browser.evaluate("Object.assign({}, document.body.dataset)")
            assert int(stats["kgDrawnNodes"]) == row["nodes"] and int(stats["kgDrawnEdges"]) == row["edges"]
            loads.append({"first_draw_ms": int(stats["kgDrawnMs"]), "ready_ms": int(stats["kgReadyMs"]),
                          "wall_ms": round(wall)})
            if attempt == 0:
                row["redraw_ms"] = round(browser.evaluate(MEASURE_REDRAW), 1)
                row["zoom_ms"] = round(browser.evaluate(MEASURE_ZOOM), 1)
                row["filter_ms"] = round(browser.evaluate(MEASURE_FILTER), 1)
                search_ms, found = browser.evaluate(MEASURE_SEARCH)
                row["search_ms"] = round(search_ms, 1)
                row["wheel_ms"], row["drag_ms"] = gestures(browser)
                browser.evaluate("kgPage.network.fit({animation: false}), true")
                row["wheel_all_ms"], row["drag_all_ms"] = gestures(browser)
                row["redraw_all_ms"] = round(browser.evaluate(MEASURE_REDRAW), 1)
    for name in ("first_draw_ms", "ready_ms", "wall_ms"):
        row[name] = round(statistics.median(load[name] for load in loads))
    return row


def gestures(browser: Chromium) -> tuple[float, float]:
    """Median frame time while zooming with the wheel, and while dragging the view."""
    browser.evaluate(RECORD_FRAMES)
    x, y = browser.evaluate("(function () { var r = document.getElementById('kg-network').getBoundingClientRect();"
                            " return [r.left + 12, r.top + 12]; })()")  # a corner: no node under the mouse
    results = []
    for gesture in ("wheel", "drag"):
        browser.evaluate("window.kgFrames = []")
        if gesture == "wheel":
            for step in range(12):
                browser.send("Input.dispatchMouseEvent", {"type": "mouseWheel", "x": x + 400, "y": y + 300,
                                                          "deltaX": 0, "deltaY": -60 if step < 6 else 60})
                time.sleep(0.05)
        else:
            browser.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
            browser.send("Input.dispatchMouseEvent", {"type": "mousePressed", "x": x, "y": y, "button": "left",
                                                      "clickCount": 1})
            for step in range(1, 16):
                browser.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x + step * 20, "y": y + step * 10,
                                                          "button": "left", "buttons": 1})
                time.sleep(0.05)
            browser.send("Input.dispatchMouseEvent", {"type": "mouseReleased", "x": x + 300, "y": y + 150,
                                                      "button": "left", "clickCount": 1})
        time.sleep(0.1)
        frames = browser.evaluate("window.kgFrames.slice(0, -1)")  # the last one is drawn with edges again
        results.append(round(statistics.median(frames), 1) if frames else float("nan"))
    return results[0], results[1]


COLUMNS = [("nodes", "nodes"), ("edges", "edges"), ("layout", "layout"), ("page_mb", "page MB"),
           ("generate_s", "generate s"), ("first_draw_ms", "first draw ms"), ("ready_ms", "ready ms"),
           ("wall_ms", "wall ms"), ("redraw_ms", "redraw ms"), ("zoom_ms", "zoom ms"), ("wheel_ms", "wheel ms"),
           ("drag_ms", "drag ms"), ("redraw_all_ms", "redraw all ms"), ("wheel_all_ms", "wheel all ms"),
           ("drag_all_ms", "drag all ms"), ("filter_ms", "filter ms"), ("search_ms", "search ms")]


def table(rows: list[dict[str, Any]]) -> str:
    head = "| " + " | ".join(title for _, title in COLUMNS) + " |"
    rule = "|" + "|".join("---:" if name != "layout" else "---" for name, _ in COLUMNS) + "|"
    lines = [head, rule]
    for row in rows:
        lines.append("| " + " | ".join(str(row.get(name, "")) for name, _ in COLUMNS) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 5000, 20000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (medians are reported)")
    parser.add_argument("--chromium", default=None, help="the Chromium binary (default: $KG_CHROMIUM or PATH)")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows as JSON here")
    args = parser.parse_args(argv)
    chromium = find_chromium(args.chromium)
    if not chromium:
        print("viz_render: no Chromium (apt-get install chromium, or --chromium PATH)", file=sys.stderr)
        return 2
    rows = []
    with tempfile.TemporaryDirectory(prefix="kg-viz-bench-") as folder:
        for size in args.sizes:
            print(f"{size} nodes ...", file=sys.stderr, flush=True)
            rows.append(measure(size, args.repeat, Path(folder), chromium))
    print(f"Layout precomputed above {LAYOUT_THRESHOLD} nodes; headless Chromium, software rendering, 1920x1080.")
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
