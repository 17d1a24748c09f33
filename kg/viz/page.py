"""The self-contained HTML page: vis-network inlined from pyvis, the page's own script and style,
the legend, and the document around one escaped JSON block."""

from __future__ import annotations

import html
from importlib import resources
from typing import TYPE_CHECKING, Any

from kg.errors import KGError
from kg.ontology import Ontology
from kg.viz.common import (CSP, QUICK_PHYSICS_LIMIT, _CONTRADICTION_RED, _EDGE_GREY, _INK, _REJECTED_GREY,
                           _SOURCE_MAP, _VIS_DIR, _valid_colour, _valid_shape, clean_text, script_json)

if TYPE_CHECKING:
    from kg.viz.view import NetworkView


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
