"""The interactive HTML view of a kgraph graph: one self-contained, offline page.

:func:`generate_html` returns the page as a string and :func:`write_html` writes it
atomically, the pair of networkx's ``generate_graphml``/``write_graphml``.

The graph is turned into a :class:`pyvis.network.Network` (nodes, edges and the
vis-network options); the page around it is kgraph's own, with the vis-network script
that pyvis bundles copied inline, so the file opens from disk with no network.

What the page shows
-------------------
- One node per graph node, coloured and shaped from :data:`NODE_STYLES` (the single
  table the legend is drawn from too). Entities some paper ``PROPOSES`` get a thick dark
  border. Node size grows with the square root of the node's paper-entity degree.
- Paper -> entity edges as thin arrows (``PROPOSES`` darker and wider);
  ``SHARES_ENTITY`` as dashed lines without arrow heads, width proportional to
  ``weight``. Parallel edges between one pair are drawn as one line.
- Tooltips in plain text: for a paper its title, id, date and the first ~300 characters
  of the abstract; for an entity its name, label, aliases and number of papers.
- A legend (label, colour, shape, node count) and, for big graphs, a note saying how
  many of how many nodes are drawn.

Safety
------
Every string in the graph is untrusted (titles and abstracts come from the web).

- Text placed in the page's markup (title, legend, notes) goes through
  :func:`html.escape`.
- Nodes, edges and options travel in one ``<script type="application/json">`` block,
  serialised by :func:`_script_json`, which writes ``<``, ``>``, ``&``, U+2028 and
  U+2029 as ``\\u`` escapes: no ``</script>`` or ``<!--`` can appear in it, and the
  decoded JSON holds the exact original strings. The page's own script reads it with
  ``JSON.parse``; no graph string is ever evaluated or assigned to ``innerHTML``.
- Tooltips are plain strings. vis-network renders a string ``title`` with
  ``innerText`` since version 9.0.0 (visjs/vis-network pull request 1275); pyvis 0.3.2
  bundles 9.1.2, and :func:`_vis_network_js` refuses a bundle older than 9.0.

Why not pyvis's own page template
---------------------------------
``Network.generate_html`` renders ``pyvis/templates/template.html``, which in pyvis
0.3.2, even with ``cdn_resources="in_line"``:

- always loads Bootstrap's CSS and JS from ``cdn.jsdelivr.net``, so the page reaches out
  to the network and its styling breaks offline;
- renders the heading through a Jinja environment without autoescaping, so a title
  passed as heading is raw HTML;
- switches every tooltip to ``popup.innerHTML = title`` as soon as one node's title
  contains the substring ``"href"``, so an abstract that mentions "href" would turn all
  tooltips into HTML;
- inserts the options with ``|safe`` and prints the heading twice.

Its template cannot be fixed through the API short of shipping a template file, so this
module keeps pyvis for the network model (:meth:`~pyvis.network.Network.add_node`,
``add_edge``, ``set_options``, ``get_network_data``) and writes the page itself, with
the vis-network script pyvis's ``in_line`` mode would include (the ``.min.js`` from
``pyvis/templates/lib/vis-<version>/``, its source-map comment removed). The 220 kB
``vis-network.css`` is left out: it styles the navigation buttons, manipulation toolbar
and configurator, which the page does not use; the one rule that matters, the tooltip
box, is in :data:`_CSS`. A ``Content-Security-Policy`` meta tag forbids every network
fetch (scripts, styles, images, connections), so even a page edited by hand cannot
reach out.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

import networkx as nx
import numpy as np
from pyvis.network import Network

from kgraph.atomic import atomic_write
from kgraph.errors import ExportError
from kgraph.graph.analyse import RelatedIndex
from kgraph.graph.views import link_degrees, overview_nodes
from kgraph.model import LABELS, PAPER_LABEL, PROPOSES, REPORTS, SHARES_ENTITY

__all__ = ["NodeStyle", "NODE_STYLES", "MAX_NODES", "generate_html", "write_html"]


@dataclass(frozen=True, slots=True)
class NodeStyle:
    """How the nodes of one label are drawn.

    Attributes
    ----------
    color : str
        Fill colour, a CSS hex colour.
    shape : str
        vis-network shape; all of them draw the label below the node, so ``size``
        applies.
    symbol : str
        The character that stands for the shape in the legend.
    """

    color: str
    shape: str
    symbol: str


#: Colour and shape of every node label; the legend is drawn from this table.
#: Colours are from the Tableau 10 palette, chosen to stay apart for colour-blind
#: readers, and each label also has its own shape so colour is never the only cue.
NODE_STYLES: dict[str, NodeStyle] = {
    PAPER_LABEL: NodeStyle("#4e79a7", "dot", "\u25cf"),          # blue circle
    "Dataset": NodeStyle("#f28e2b", "square", "\u25a0"),        # orange square
    "Method": NodeStyle("#e15759", "diamond", "\u25c6"),        # red diamond
    "Metric": NodeStyle("#76b7b2", "triangle", "\u25b2"),       # teal triangle
    "Task": NodeStyle("#59a14f", "star", "\u2605"),             # green star
    "Repository": NodeStyle("#9c755f", "hexagon", "\u2b22"),    # brown hexagon
    "Url": NodeStyle("#b07aa1", "triangleDown", "\u25bc"),      # purple down triangle
}
assert set(NODE_STYLES) == {PAPER_LABEL, *LABELS.values()}

#: Border of entities a paper proposes.
PROPOSED_BORDER = "#1a1a1a"
PROPOSED_BORDER_WIDTH = 2
#: Paper -> entity edges, ``PROPOSES`` edges and ``SHARES_ENTITY`` edges.
EDGE_COLOR = "#9aa5b1"
PROPOSES_COLOR = "#4d4d4d"
SHARES_COLOR = "#c9a74a"
#: ``SHARES_ENTITY`` edges drawn per paper: the strongest ones by weight. An edge is
#: drawn when it is among the strongest of either of its papers.
SHARES_PER_PAPER = 5
#: Characters of the abstract shown in a paper's tooltip, and of a node's visible label.
ABSTRACT_CHARS = 300
LABEL_CHARS = 40
#: Nodes drawn by default; a bigger graph is drawn as an overview. A day of papers
#: (the seed pages: about 1,500 nodes) is drawn whole; the page stays quick to first
#: paint well past this (5,000 nodes in 1.2 s, benchmarks/bench_html.py).
MAX_NODES = 2000
#: Iterations and seed of the layout, and how many nodes it places by force (the others
#: go next to a placed neighbour; see :func:`_layout`).
LAYOUT_ITERATIONS = 60
LAYOUT_SEED = 7
LAYOUT_CORE = 2000
#: Related papers listed in a paper's side panel.
RELATED_IN_PANEL = 5
#: Papers listed in an entity's side panel (drawn ones first); the panel says how many
#: more there are. An entity of a large corpus can have tens of thousands.
PAPERS_IN_PANEL = 100

_VIS_MIN_VERSION = (9, 0)
_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=.*$", re.MULTILINE)
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                 "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")

_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        "img-src data:; font-src data:; connect-src 'none'; base-uri 'none'; "
        "form-action 'none'")

_CSS = """
html, body { margin: 0; height: 100%; }
body { display: flex; flex-direction: column; color: #222;
       font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
.kg-header { padding: 8px 16px; border-bottom: 1px solid #ddd; }
.kg-header h1 { font-size: 1.25rem; margin: 0; }
.kg-stats, .kg-note { margin: 2px 0 0; font-size: 0.85rem; color: #555; }
.kg-note { color: #8a4b00; }
.kg-stage { position: relative; flex: 1; min-height: 420px; }
#kg-network { position: absolute; top: 0; right: 0; bottom: 0; left: 0; }
.kg-legend { position: absolute; top: 10px; left: 10px; z-index: 10; padding: 6px 10px;
             background: rgba(255, 255, 255, 0.92); border: 1px solid #ccc;
             border-radius: 6px; font-size: 0.85rem; }
.kg-legend table { border-collapse: collapse; }
.kg-legend td { padding: 1px 4px; }
.kg-swatch { font-size: 1.1rem; line-height: 1; }
.kg-proposed { -webkit-text-stroke: 1.5px #1a1a1a; }
.kg-count { text-align: right; font-variant-numeric: tabular-nums; }
.kg-line { display: inline-block; width: 24px; vertical-align: middle;
           border-top: 2px solid #9aa5b1; }
.kg-line.kg-dashed { border-top: 2px dashed #c9a74a; }
.kg-status { position: absolute; bottom: 10px; left: 10px; font-size: 0.85rem; color: #555; }
.kg-controls { display: flex; flex-wrap: wrap; gap: 6px 18px; align-items: center;
               margin-top: 6px; font-size: 0.85rem; }
.kg-controls input[type=search] { width: 26em; max-width: 60vw; }
.kg-panel { position: absolute; top: 0; right: 0; bottom: 0; z-index: 15; width: 380px;
            max-width: 45vw; overflow: auto; padding: 10px 14px; box-sizing: border-box;
            background: #fff; border-left: 1px solid #ccc; font-size: 0.9rem;
            overflow-wrap: anywhere; }
.kg-panel[hidden] { display: none; }
.kg-panel h2 { font-size: 1.05rem; margin: 0 24px 6px 0; }
.kg-panel h3 { font-size: 0.9rem; margin: 12px 0 4px; }
.kg-panel ul { margin: 0; padding-left: 18px; }
.kg-meta { color: #666; margin: 2px 0; }
.kg-abstract { line-height: 1.4; }
.kg-ref { border: 0; padding: 0; background: none; color: #1f5fa8; cursor: pointer;
          font: inherit; text-align: left; text-decoration: underline; }
#kg-panel-close { position: absolute; top: 6px; right: 8px; border: 0; background: none;
                  font-size: 1.3rem; cursor: pointer; }
div.vis-tooltip { position: absolute; visibility: hidden; z-index: 20; max-width: 32em;
                  padding: 5px 7px; white-space: normal; overflow-wrap: anywhere;
                  font: 13px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, Arial,
                  sans-serif; color: #000; background: #f5f4ed;
                  border: 1px solid #808074; border-radius: 3px;
                  box-shadow: 3px 3px 10px rgba(0, 0, 0, 0.2); pointer-events: none; }
"""

# The page's own script. It reads the data block with JSON.parse and hands it to
# vis-network with the positions computed in Python and physics off, so the first frame
# is the final layout. Graph text reaches the DOM only through ``textContent``,
# ``option.value``, vis-network's innerText tooltips and the canvas; links get an
# ``href`` only when they are http(s) URLs.
_MAIN_JS = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var info = data.info;
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(document.getElementById("kg-network"),
                                {nodes: nodes, edges: edges}, data.options);
  var byId = new Map();
  data.nodes.forEach(function (n) { byId.set(n.id, n); });
  var status = document.getElementById("kg-status");
  var panel = document.getElementById("kg-panel");
  var body = document.getElementById("kg-panel-body");
  var search = document.getElementById("kg-search");
  var suggest = document.getElementById("kg-suggest");
  var minDeg = document.getElementById("kg-min-degree");
  var minDegOut = document.getElementById("kg-min-degree-value");
  var physics = document.getElementById("kg-physics");
  var filters = Array.prototype.slice.call(document.querySelectorAll("input.kg-filter"));
  var dimmed = false;

  network.once("afterDrawing", function () {
    window.kgFirstDraw = performance.now();
    document.documentElement.setAttribute("data-kg-drawn", "1");
  });

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function nameOf(id) { return info[id] ? info[id].name : String(id); }

  // Search: suggestions from every drawn title and name.
  var byName = new Map();
  data.nodes.forEach(function (n) {
    var name = nameOf(n.id);
    var option = document.createElement("option");
    option.value = name;
    suggest.appendChild(option);
    if (!byName.has(name.toLowerCase())) { byName.set(name.toLowerCase(), n.id); }
  });
  function lookup(query) {
    var q = query.trim().toLowerCase();
    if (!q) { return null; }
    if (byName.has(q)) { return byName.get(q); }
    for (var i = 0; i < data.nodes.length; i++) {
      if (nameOf(data.nodes[i].id).toLowerCase().indexOf(q) >= 0) { return data.nodes[i].id; }
    }
    return null;
  }
  function runSearch() {
    var id = lookup(search.value);
    status.textContent = id === null ? "No match for \\u201c" + search.value + "\\u201d" : "";
    if (id !== null) { select(id, true); }
  }
  search.addEventListener("change", runSearch);
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { runSearch(); } });

  // Filters: entity types and minimum degree.
  function applyFilters() {
    var shown = {};
    filters.forEach(function (f) { shown[f.getAttribute("data-label")] = f.checked; });
    var min = Number(minDeg.value);
    minDegOut.textContent = String(min);
    var visible = 0;
    var updates = data.nodes.map(function (n) {
      var hidden = shown[n.kind] === false || n.deg < min;
      if (!hidden) { visible += 1; }
      return {id: n.id, hidden: hidden};
    });
    nodes.update(updates);
    status.textContent = visible === data.nodes.length ? ""
      : visible + " of " + data.nodes.length + " nodes shown";
  }
  filters.forEach(function (f) { f.addEventListener("change", applyFilters); });
  minDeg.addEventListener("input", applyFilters);
  physics.addEventListener("change", function () {
    network.setOptions({physics: {enabled: physics.checked}});
  });

  // Neighbourhood highlight.
  function highlight(id) {
    var keep = new Set(network.getConnectedNodes(id));
    keep.add(id);
    nodes.update(data.nodes.map(function (n) {
      return keep.has(n.id) ? {id: n.id, color: n.color, font: {color: "#343434"}}
        : {id: n.id, color: {background: "#e8e8e8", border: "#d6d6d6"},
           font: {color: "#c4c4c4"}};
    }));
    dimmed = true;
  }
  function clearHighlight() {
    if (!dimmed) { return; }
    nodes.update(data.nodes.map(function (n) {
      return {id: n.id, color: n.color, font: {color: "#343434"}};
    }));
    dimmed = false;
  }

  // Side panel, built from text nodes only.
  function link(url, text) {
    var u = String(url || "");
    if (!/^https?:\\/\\//i.test(u)) { return el("span", text || u); }
    var a = el("a", text || u);
    a.href = u;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  function nodeRef(id, text) {
    if (!byId.has(id)) { return el("span", text); }
    var b = el("button", text, "kg-ref");
    b.type = "button";
    b.setAttribute("data-node", id);
    b.addEventListener("click", function () { select(id, true); });
    return b;
  }
  function section(title, items) {
    if (!items.length) { return; }
    body.appendChild(el("h3", title));
    var ul = el("ul");
    items.forEach(function (item) { var li = el("li"); li.appendChild(item); ul.appendChild(li); });
    body.appendChild(ul);
  }
  function showPanel(id) {
    var d = info[id];
    body.textContent = "";
    if (!d) { panel.hidden = true; return; }
    body.appendChild(el("h2", d.name, "kg-panel-title"));
    if (d.kind === "Paper") {
      var meta = "id: " + d.id + (d.date ? " \\u00b7 " + d.date : "");
      body.appendChild(el("p", meta, "kg-meta"));
      if (d.authors.length) { body.appendChild(el("p", d.authors.join(", "), "kg-meta")); }
      if (d.abstract) { body.appendChild(el("p", d.abstract, "kg-abstract")); }
      section("Links", d.links.map(function (l) {
        var span = el("span");
        span.appendChild(el("span", l[0] + ": ", "kg-meta"));
        span.appendChild(link(l[1]));
        return span;
      }));
      section("Entities (" + d.entities.length + ")", d.entities.map(function (e) {
        var span = el("span");
        span.appendChild(nodeRef(e[0], e[1]));
        span.appendChild(el("span", " " + e[2], "kg-meta"));
        return span;
      }));
      section("Results (" + d.results.length + ")", d.results.map(function (r) {
        var span = el("span");
        span.appendChild(el("span", r[2] + (r[3] ? " " + r[3] : "") + " on "));
        span.appendChild(nodeRef(r[0], r[1]));
        if (r[4]) { span.appendChild(el("span", " (" + r[4] + ")", "kg-meta")); }
        return span;
      }));
      section("Related papers", d.related.map(function (r) {
        var span = el("span");
        span.appendChild(nodeRef(r[0], r[1]));
        span.appendChild(el("span", " (" + r[2].toFixed(2) + ")", "kg-meta"));
        return span;
      }));
    } else {
      body.appendChild(el("p", d.kind + (d.proposed ? " (proposed)" : ""), "kg-meta"));
      if (/^https?:\\/\\//i.test(d.name)) { section("Link", [link(d.name)]); }
      if (d.aliases.length) { body.appendChild(el("p", "aliases: " + d.aliases.join(", "), "kg-meta")); }
      var papers = d.papers.map(function (p) { return nodeRef(p[0], p[1]); });
      if (d.more) { papers.push(el("span", "and " + d.more + " more", "kg-meta")); }
      section("Papers (" + (d.papers.length + (d.more || 0)) + ")", papers);
    }
    panel.hidden = false;
  }

  function select(id, move) {
    if (!byId.has(id)) { return; }
    if (byId.get(id).hidden || nodes.get(id).hidden) { nodes.update({id: id, hidden: false}); }
    network.selectNodes([id]);
    if (move) { network.focus(id, {scale: Math.max(network.getScale(), 0.8)}); }
    highlight(id);
    showPanel(id);
  }
  function deselect() {
    network.unselectAll();
    clearHighlight();
    panel.hidden = true;
  }
  network.on("click", function (p) {
    if (p.nodes.length) { select(p.nodes[0], false); } else if (!p.edges.length) { deselect(); }
  });
  document.getElementById("kg-panel-close").addEventListener("click", deselect);

  window.kgNetwork = network;
  window.kgNodes = nodes;
  window.kgSelect = select;
}());
"""


def _snippet(text: Any, limit: int) -> str:
    """``text`` with whitespace collapsed, cut at a word boundary to ``limit`` characters.

    A cut text ends in ``"…"`` (so it is at most ``limit + 1`` characters long); a
    single word longer than ``limit`` is cut inside the word.

    Examples
    --------
    >>> _snippet("Deep   residual learning for image recognition", 20)
    'Deep residual…'
    >>> _snippet("short", 20)
    'short'
    """
    text = " ".join(str(text or "").split())
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    cut = head[: head.rindex(" ")] if " " in head else text[:limit]
    return cut.rstrip(" ,;:.-") + "\u2026"


def _script_json(obj: Any) -> str:
    """JSON text that is safe inside an HTML ``<script>`` element.

    ``<``, ``>``, ``&``, U+2028 and U+2029 are written as ``\\uXXXX`` escapes, which a
    JSON parser decodes back to the same characters, so the text can contain neither
    ``</script>`` nor ``<!--``, and it is also a valid JavaScript literal.

    Examples
    --------
    >>> _script_json({"t": "</script><b>&\\u2028"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026\\\\u2028"}'
    >>> json.loads(_script_json({"t": "</script>"}))["t"]
    '</script>'
    """
    text = json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group()], text)


@lru_cache(maxsize=1)
def _vis_network_js() -> tuple[str, str]:
    """The vis-network script pyvis bundles, ready to inline: ``(version, source)``.

    Takes the newest ``templates/lib/vis-<version>/vis-network.min.js`` in the pyvis
    package, drops its ``sourceMappingURL`` comment (the map is not shipped) and
    normalises line ends.

    Raises
    ------
    ExportError
        When pyvis bundles no vis-network, one older than 9.0 (whose tooltips parse
        HTML), or one whose text could end the ``<script>`` element early.
    """
    lib = resources.files("pyvis") / "templates" / "lib"
    found = []
    for entry in lib.iterdir():
        m = re.fullmatch(r"vis-(\d+)\.(\d+)\.(\d+)", entry.name)
        if m and (entry / "vis-network.min.js").is_file():
            found.append((tuple(int(x) for x in m.groups()), entry / "vis-network.min.js"))
    if not found:
        raise ExportError(f"pyvis bundles no vis-network script under {lib}")
    version, path = max(found)
    if version[:2] < _VIS_MIN_VERSION:
        raise ExportError(f"pyvis bundles vis-network {version}, older than 9.0, whose "
                          "tooltips interpret titles as HTML; upgrade pyvis")
    source = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
    source = _SOURCE_MAP.sub("", source)
    if re.search(r"</script|<!--", source, re.IGNORECASE):
        raise ExportError(f"{path} contains '</script' or '<!--' and cannot be inlined")
    return ".".join(map(str, version)), source


def _strongest_shares(edges: list[tuple[Any, Any, dict]]) -> list[tuple[Any, Any, dict]]:
    """The ``SHARES_ENTITY`` edges among the :data:`SHARES_PER_PAPER` strongest of
    either of their papers, in their original order."""
    by_paper: dict[Any, list[tuple[float, str, int]]] = {}
    for i, (u, v, data) in enumerate(edges):
        w = float(data.get("weight") or 0.0)
        by_paper.setdefault(u, []).append((-w, str(v), i))
        by_paper.setdefault(v, []).append((-w, str(u), i))
    keep = set()
    for items in by_paper.values():
        items.sort()
        keep.update(i for _, _, i in items[:SHARES_PER_PAPER])
    return [e for i, e in enumerate(edges) if i in keep]


def _join_limited(items: Iterable[str], limit: int) -> str:
    """The first ``limit`` items joined by commas, and how many more there are."""
    items = list(items)
    text = ", ".join(items[:limit])
    if len(items) > limit:
        text += f" (+{len(items) - limit} more)"
    return text


def _paper_tooltip(data: dict) -> str:
    """Title, id (and date), blank line, abstract snippet; plain text with line feeds."""
    title = str(data.get("title") or data.get("name") or "")
    line = f"id: {data.get('id', '')}"
    if data.get("date"):
        line += f" \u00b7 {data['date']}"
    text = f"{title}\n{line}"
    abstract = _snippet(data.get("abstract"), ABSTRACT_CHARS)
    if abstract:
        text += f"\n\n{abstract}"
    return text


def _entity_tooltip(data: dict, label: str, proposed: bool, n_papers: int) -> str:
    """Name, label (and "proposed"), aliases, number of papers; plain text."""
    name = str(data.get("name") or "")
    lines = [name, label + (" (proposed)" if proposed else "")]
    aliases = [str(a) for a in data.get("aliases") or [] if str(a) != name]
    if aliases:
        lines.append("aliases: " + _join_limited(dict.fromkeys(aliases), 10))
    lines.append(f"papers: {n_papers}")
    return "\n".join(lines)


def _vis_options(n_nodes: int) -> dict:
    """vis-network options: preset positions, physics off (barnesHut when toggled on)."""
    return {
        "autoResize": True,
        "nodes": {"font": {"size": 12, "face": "arial", "color": "#343434"},
                  "borderWidthSelected": 3},
        "edges": {"smooth": False, "selectionWidth": 1.5,
                  "arrows": {"to": {"scaleFactor": 0.5}}},
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False,
                        "hideEdgesOnDrag": n_nodes > 300, "hideEdgesOnZoom": n_nodes > 1500},
        "layout": {"randomSeed": 7, "improvedLayout": False},
        "physics": {
            "enabled": False,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -4000, "centralGravity": 0.3,
                          "springLength": 110, "springConstant": 0.04, "damping": 0.3,
                          "avoidOverlap": 0.1},
            "maxVelocity": 50,
            "minVelocity": 1,
            "timestep": 0.5,
            "adaptiveTimestep": True,
            "stabilization": {"enabled": False},
        },
    }


def _fruchterman_reingold(adjacency: np.ndarray, *, iterations: int = LAYOUT_ITERATIONS,
                          seed: int = LAYOUT_SEED) -> np.ndarray:
    """Force-directed positions in the unit square, one row per node.

    The spring embedder of Fruchterman and Reingold [1]_ as networkx's dense
    ``_fruchterman_reingold`` runs it (optimal distance ``k = sqrt(1 / n)``, linear
    cooling from a temperature of 0.1), in float32, with a weak pull towards the centre
    so that components without links to the rest stay near it.

    References
    ----------
    .. [1] T. M. J. Fruchterman and E. M. Reingold, "Graph drawing by force-directed
       placement", Software: Practice and Experience 21(11), 1991.
    """
    n = adjacency.shape[0]
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2), dtype=np.float32)
    if n < 2:
        return pos
    k = np.float32(math.sqrt(1.0 / n))
    kk = k * k
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    # The (n, n) arrays of each step are written into three buffers made once: the same
    # operations on the same values in the same order as the plain expressions in the
    # comments, without allocating (and zeroing the pages of) a dozen new arrays a step.
    dx = np.empty((n, n), dtype=np.float32)
    dy = np.empty((n, n), dtype=np.float32)
    work = np.empty((n, n), dtype=np.float32)
    for _ in range(iterations):
        # distance = sqrt(dx * dx + dy * dy), clipped at 0.01
        np.subtract(pos[:, 0, None], pos[None, :, 0], out=dx)
        np.subtract(pos[:, 1, None], pos[None, :, 1], out=dy)
        np.multiply(dx, dx, out=dx)
        np.multiply(dy, dy, out=dy)
        distance = np.add(dx, dy, out=dx)
        np.sqrt(distance, out=distance)
        np.clip(distance, 0.01, None, out=distance)
        # force = k * k / (distance * distance) - adjacency * distance / k
        force = np.multiply(distance, distance, out=dy)
        np.divide(kk, force, out=force)
        np.multiply(adjacency, distance, out=distance)
        np.divide(distance, k, out=distance)
        np.subtract(force, distance, out=force)
        # force[i, j] * (pos[i] - pos[j]), summed over j, without the (n, n, 2) array;
        # row sums, not ``force @ pos``: a threaded BLAS product may add in any order,
        # and the layout must be byte-identical from run to run
        total = force.sum(axis=1)
        displacement = np.stack(
            [pos[:, 0] * total - np.multiply(force, pos[:, 0], out=work).sum(axis=1),
             pos[:, 1] * total - np.multiply(force, pos[:, 1], out=work).sum(axis=1)],
            axis=1)
        displacement -= 3.0 * k * (pos - pos.mean(axis=0))
        length = np.sqrt((displacement * displacement).sum(axis=1))
        length[length < 0.01] = 0.1
        pos += displacement * (temperature / length)[:, None]
        # rounding each step keeps last-bit differences (summation order, alignment)
        # from growing through the iterations
        pos = np.round(pos, 5).astype(np.float32)
        temperature -= cooling
    return pos


def _layout(G: nx.MultiDiGraph, order: list[Any], degree: dict[Any, int]
            ) -> dict[Any, tuple[float, float]]:
    """Canvas positions of the drawn nodes, computed once in Python.

    The :data:`LAYOUT_CORE` nodes of highest degree are laid out by
    :func:`_fruchterman_reingold` on the undirected simple graph of the drawn paper-entity edges;
    each further node is put next to its best-placed neighbour (at a seeded random
    angle), or on a ring outside the drawing when it has none. Positions are scaled so
    the drawing spans about ``60 * sqrt(n)`` pixels.
    """
    if not order:
        return {}
    rank = sorted(order, key=lambda n: (-degree[n], str(n)))
    core = rank[:LAYOUT_CORE]
    index = {n: i for i, n in enumerate(core)}
    adjacency = np.zeros((len(core), len(core)), dtype=np.float32)
    for u in core:  # only the core's edges: the graph may be far bigger than the drawing
        for v, kinds in G.succ[u].items():
            if v in index and v != u and any(kind != SHARES_ENTITY for kind in kinds):
                adjacency[index[u], index[v]] = adjacency[index[v], index[u]] = 1.0
    unit = _fruchterman_reingold(adjacency)
    unit -= np.median(unit, axis=0)
    # scale by the 90th percentile, not the maximum: a few far-flung small components
    # would otherwise squeeze the connected core into a blob
    dist = np.sqrt((unit * unit).sum(axis=1))
    radius = float(np.percentile(dist, 90)) or 1.0
    # components flung outwards by repulsion come back to a ring just outside the core
    limit = 1.25 * radius
    far = dist > limit
    unit[far] *= (limit / dist[far])[:, None]
    span = 30.0 * math.sqrt(len(order))
    pos = {n: (float(unit[i, 0]) * span / radius, float(unit[i, 1]) * span / radius)
           for n, i in index.items()}
    rng = np.random.default_rng(LAYOUT_SEED)
    drawn = set(order)
    lonely = []
    for n in rank[LAYOUT_CORE:]:
        placed = [m for m in nx.all_neighbors(G, n) if m in pos and m in drawn]
        if not placed:
            lonely.append(n)
            continue
        x, y = pos[min(placed, key=lambda m: (-degree[m], str(m)))]
        angle = rng.random() * 2 * math.pi
        r = 40.0 + 40.0 * rng.random()
        pos[n] = (x + r * math.cos(angle), y + r * math.sin(angle))
    for i, n in enumerate(lonely):
        angle = 2 * math.pi * i / len(lonely)
        pos[n] = ((span + 80) * math.cos(angle), (span + 80) * math.sin(angle))
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in pos.items()}


def _edge_count(G: nx.MultiDiGraph) -> int:
    """``G.number_of_edges()``, counted from the adjacency dicts (networkx counts a
    multigraph's edges through a degree view, node by node)."""
    if type(G) is nx.MultiDiGraph:
        return sum(len(keyed) for nbrs in G._succ.values() for keyed in nbrs.values())
    return G.number_of_edges()


def _controls_html(max_degree: int) -> str:
    """The toolbar: search box with its suggestion list, minimum-degree slider, physics
    toggle. The suggestions are filled in by the page's script."""
    return (
        '<div class="kg-controls">'
        '<label>Search <input id="kg-search" type="search" list="kg-suggest" '
        'placeholder="paper title or entity name" autocomplete="off"></label>'
        '<datalist id="kg-suggest"></datalist>'
        f'<label>Min. degree <input id="kg-min-degree" type="range" min="0" '
        f'max="{max(int(max_degree), 0)}" value="0" step="1"> '
        '<output id="kg-min-degree-value">0</output></label>'
        '<label><input id="kg-physics" type="checkbox"> Physics</label>'
        "</div>"
    )


def _panel_info(G: nx.MultiDiGraph, n: Any, labels: dict[Any, str], proposed: set[Any],
                drawn: set[Any], related: RelatedIndex) -> dict:
    """What the side panel shows for node ``n``, as plain data (the page renders it as
    text).

    A paper has its title, id, date, authors, abstract, links (the paper URL, code
    repositories, project pages), entities ``[id, name, label]``, the results it
    reports on datasets (``REPORTS`` edges, in text order: ``[dataset id, dataset name,
    number as written, metric or "", method or ""]``) and its
    :data:`RELATED_IN_PANEL` most related papers ``[id, title, score]``
    (:func:`kgraph.graph.related_papers`, through ``related``, built once per page). An
    entity has its name, label, aliases and papers ``[id, title]``: the drawn ones
    first, at most :data:`PAPERS_IN_PANEL`, and ``more``, the number left out, when
    there are more.
    """
    data = G.nodes[n]
    label = labels[n]
    if label == PAPER_LABEL:
        links = []
        if data.get("url"):
            links.append(["paper", str(data["url"])])
        entities = []
        for ent in dict.fromkeys(G.successors(n)):
            ent_label = labels[ent]
            if ent_label == PAPER_LABEL:
                continue
            name = str(G.nodes[ent].get("name") or ent)
            if ent_label == "Repository":
                links.append(["code", name])
            elif ent_label == "Url":
                links.append(["page", name])
            entities.append([str(ent), name, ent_label])
        entities.sort(key=lambda e: (e[2], e[1].lower()))
        results = []
        for _, v, d in G.out_edges(n, data=True):
            if d.get("type") == REPORTS:
                results.append((d.get("span_start", 0), [
                    str(v), str(G.nodes[v].get("name") or v), str(d.get("text") or ""),
                    str(d.get("metric") or ""), str(d.get("method") or "")]))
        results = [r for _, r in sorted(results, key=lambda x: x[0])]
        related = [[str(r.paper), str(G.nodes[r.paper].get("title") or r.paper), r.score]
                   for r in related.related(n, top=RELATED_IN_PANEL)]
        return {"kind": label, "name": str(data.get("title") or data.get("name") or n),
                "id": str(data.get("id") or n), "date": str(data.get("date") or ""),
                "authors": [str(a) for a in data.get("authors") or []],
                "abstract": str(data.get("abstract") or ""), "links": links,
                "entities": entities, "results": results, "related": related}
    papers = sorted({p for p in nx.all_neighbors(G, n) if labels[p] == PAPER_LABEL},
                    key=lambda p: (p not in drawn, str(p)))
    name = str(data.get("name") or n)
    info = {"kind": label, "name": name, "proposed": n in proposed,
            "aliases": [str(a) for a in dict.fromkeys(data.get("aliases") or [])
                        if str(a) != name],
            "papers": [[str(p), str(G.nodes[p].get("title") or p)]
                       for p in papers[:PAPERS_IN_PANEL]]}
    if len(papers) > PAPERS_IN_PANEL:
        info["more"] = len(papers) - PAPERS_IN_PANEL
    return info


def _legend_html(drawn: Counter, total: Counter) -> str:
    """The legend overlay: one row per :data:`NODE_STYLES` label with its node count
    (``"12 of 40"`` when an overview leaves some out), then the border and edge keys."""
    e = html.escape
    rows = []
    for label, style in NODE_STYLES.items():
        count = f"{drawn[label]:,}"
        if drawn[label] != total[label]:
            count += f" of {total[label]:,}"
        rows.append(
            f'<tr class="kg-legend-row" data-label="{e(label)}" data-color="{e(style.color)}"'
            f' data-shape="{e(style.shape)}" data-count="{drawn[label]}"'
            f' data-total="{total[label]}">'
            f'<td><input type="checkbox" class="kg-filter" data-label="{e(label)}" checked'
            f' aria-label="show {e(label)}"></td>'
            f'<td><span class="kg-swatch" style="color:{e(style.color)}"'
            f' title="{e(style.shape)}">{e(style.symbol)}</span></td>'
            f"<td>{e(label)}</td><td class=\"kg-count\">{e(count)}</td></tr>"
        )
    method = NODE_STYLES["Method"]
    rows.append(
        f'<tr><td></td><td><span class="kg-swatch kg-proposed" style="color:{e(method.color)}">'
        f'{e(method.symbol)}</span></td><td colspan="2">proposed (dark border)</td></tr>'
    )
    rows.append('<tr><td></td><td><span class="kg-line"></span></td>'
                '<td colspan="2">paper \u2192 entity</td></tr>')
    rows.append('<tr><td></td><td><span class="kg-line kg-dashed"></span></td>'
                '<td colspan="2">papers sharing entities</td></tr>')
    return ('<aside id="kg-legend" class="kg-legend" aria-label="Legend"><table>'
            + "".join(rows) + "</table></aside>")


def generate_html(G: nx.MultiDiGraph, *, title: str = "kgraph", max_nodes: int = MAX_NODES) -> str:
    """Render ``G`` as a self-contained interactive HTML page (pyvis / vis-network).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph in the form of ``kgraph/graph/SCHEMA.md``: every node has ``label``
        and ``name``; papers have ``id``, ``title``, ``abstract``; entities have
        ``aliases`` and ``papers``; edges have ``type``.
    title : str, default "kgraph"
        Shown as the page's ``<title>`` and heading (escaped).
    max_nodes : int, default 2000
        Most nodes drawn. A bigger graph is drawn as an overview: the entities with
        the most paper links and the papers attached to them, up to ``max_nodes``
        nodes, with a note on the page saying how many of how many nodes are shown.

    Returns
    -------
    str
        The page: ``<!DOCTYPE html>`` and everything it needs inline (about 480 kB of
        it is the vis-network script); it makes no network request.

    Raises
    ------
    ValueError
        If ``max_nodes`` is smaller than 1.
    ExportError
        If a node has no ``label`` or one outside :data:`NODE_STYLES`, or if pyvis's
        bundled vis-network is missing or unsafe (see :func:`_vis_network_js`).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("paper:1", label="Paper", name="A <b>paper</b>", id="1",
    ...            title="A <b>paper</b>", abstract="We train on ImageNet.")
    >>> G.add_node("dataset:imagenet", label="Dataset", name="ImageNet", key="imagenet",
    ...            aliases=["ImageNet"], papers=1)
    >>> G.add_edge("paper:1", "dataset:imagenet", key="USES_DATASET", type="USES_DATASET",
    ...            count=1, aliases=["ImageNet"], sentence=1)
    'USES_DATASET'
    >>> page = generate_html(G, title="Demo <1>")
    >>> page.startswith("<!DOCTYPE html>"), "<title>Demo &lt;1&gt;</title>" in page
    (True, True)
    >>> "<b>paper" in page
    False

    Notes
    -----
    Positions are computed here (:func:`_layout`, a seeded Fruchterman-Reingold
    layout) and shipped with the nodes; physics is off at load, so the first frame is
    the final drawing (about 0.5 s to first paint for the 1,423-node seed graph and
    1.1 s for 5,000 nodes in headless Chromium, ``benchmarks/bench_html.py``). The page's
    "Physics" toggle turns vis-network's barnesHut solver on. The same graph always
    gives the same page.

    Node size is ``10 + 3 * sqrt(d)``, at most 50, where ``d`` counts paper-entity
    edges: ``SHARES_ENTITY`` edges are derived from those and would make every paper of
    a busy topic huge. ``SHARES_ENTITY`` edges are thinned to the
    :data:`SHARES_PER_PAPER` strongest per paper (a note says so when any is left out),
    since their number grows with the square of a popular entity's papers.
    """
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1, not {max_nodes!r}")
    vis_version, vis_js = _vis_network_js()

    labels: dict[Any, str] = {}
    for node, data in G.nodes(data=True):
        label = data.get("label")
        if label not in NODE_STYLES:
            raise ExportError(f"node {node!r} has label {label!r}; expected one of "
                              + ", ".join(NODE_STYLES))
        labels[node] = label
    degree = link_degrees(G)
    total_nodes = G.number_of_nodes()
    overview = total_nodes > max_nodes
    drawn = overview_nodes(G, max_nodes, degree=degree) if overview else set(G)
    order = [n for n in G if n in drawn]
    # The layout is numpy work on (n, n) arrays, which runs without the GIL: it goes on
    # a thread of its own while this one gathers the edges and the panels' contents.
    layout_pool = ThreadPoolExecutor(1, thread_name_prefix="kgraph-layout")
    try:
        layout = layout_pool.submit(_layout, G, order, degree)
        return _page(G, title, vis_version, vis_js, labels, degree, total_nodes, overview,
                     drawn, order, layout)
    finally:
        layout_pool.shutdown(wait=True, cancel_futures=True)


def _page(G: nx.MultiDiGraph, title: str, vis_version: str, vis_js: str,
          labels: dict[Any, str], degree: dict[Any, int], total_nodes: int, overview: bool,
          drawn: set[Any], order: list[Any], layout: Future) -> str:
    """The page of :func:`generate_html` once the drawn nodes are chosen; ``layout``
    gives their positions (:func:`_layout`)."""
    ids = {n: n if isinstance(n, str) else str(n) for n in order}

    # Group parallel edges between drawn nodes; keep SHARES_ENTITY apart for thinning.
    pairs: dict[tuple[Any, Any], list[dict]] = {}
    shares: list[tuple[Any, Any, dict]] = []
    pred = G._pred if type(G) is nx.MultiDiGraph else G.pred  # the dicts, not views
    proposed = {n for n in order if any(data.get("type") == PROPOSES
                                        for edges in pred[n].values()
                                        for data in edges.values())}
    for u in order:  # the drawn nodes' edges, in the graph's edge order
        for v, edges in G.succ[u].items():
            if v not in drawn:
                continue
            for data in edges.values():
                if data.get("type") == SHARES_ENTITY:
                    shares.append((u, v, data))
                else:
                    pairs.setdefault((u, v), []).append(data)
    shown_shares = _strongest_shares(shares)
    related = RelatedIndex(G)
    info = {ids[n]: _panel_info(G, n, labels, proposed, drawn, related) for n in order}
    positions = layout.result()

    # The page is rendered below, not by pyvis's template; "in_line" states the intent.
    net = Network(directed=True, cdn_resources="in_line", heading=title)
    # set_options strips every space before parsing: no option value may contain one.
    net.set_options(json.dumps(_vis_options(len(order))))
    for n in order:
        data = G.nodes[n]
        label = labels[n]
        style = NODE_STYLES[label]
        is_proposed = n in proposed and label != PAPER_LABEL
        if label == PAPER_LABEL:
            tooltip = _paper_tooltip(data)
            text = data.get("title") or data.get("name") or ids[n]
        else:
            n_papers = data.get("papers")
            if not isinstance(n_papers, int):
                n_papers = sum(1 for p in nx.all_neighbors(G, n) if labels[p] == PAPER_LABEL)
            tooltip = _entity_tooltip(data, label, is_proposed, n_papers)
            text = data.get("name") or ids[n]
        border = PROPOSED_BORDER if is_proposed else style.color
        net.add_node(
            ids[n], label=_snippet(text, LABEL_CHARS) or ids[n], shape=style.shape,
            title=tooltip, size=round(min(50.0, 10 + 3 * math.sqrt(degree[n])), 1),
            borderWidth=PROPOSED_BORDER_WIDTH if is_proposed else 1,
            color={"background": style.color, "border": border},
            kind=label, proposed=is_proposed, deg=degree[n],
            x=positions[n][0], y=positions[n][1],
        )

    for (u, v), datas in pairs.items():
        types = list(dict.fromkeys(str(d.get("type", "")) for d in datas))
        count = max((d.get("count") or 0 for d in datas), default=0)
        tooltip = " + ".join(types) + (f" (mentioned {count}\u00d7)" if count > 1 else "")
        is_proposes = PROPOSES in types
        color = PROPOSES_COLOR if is_proposes else EDGE_COLOR
        net.add_edge(ids[u], ids[v], title=tooltip, width=2.5 if is_proposes else 1,
                     color=color,
                     kind=types)
    max_weight = max((float(d.get("weight") or 0.0) for _, _, d in shown_shares), default=0.0)
    for u, v, data in shown_shares:
        weight = float(data.get("weight") or 0.0)
        names = [str(G.nodes[s].get("name", s)) if s in G else str(s)
                 for s in data.get("shared") or []]
        tooltip = f"shares {len(names)} entities (weight {weight:.2f})"
        if names:
            tooltip += ": " + _join_limited(names, 8)
        width = 0.5 + 2.5 * weight / max_weight if max_weight > 0 else 1
        net.add_edge(ids[u], ids[v], title=tooltip, width=round(width, 2), dashes=True,
                     arrows={"to": {"enabled": False}},
                     color=SHARES_COLOR,
                     kind=[SHARES_ENTITY])

    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    payload = {"nodes": nodes, "edges": edges, "options": json.loads(options), "info": info}

    drawn_labels = Counter(labels[n] for n in order)
    max_deg = max((degree[n] for n in order), default=0)
    total_labels = Counter(labels.values())
    n_papers = total_labels[PAPER_LABEL]
    e = html.escape
    stats = (f"{n_papers:,} papers \u00b7 {total_nodes - n_papers:,} entities \u00b7 "
             f"{_edge_count(G):,} relationships")
    notes = []
    if overview:
        notes.append(
            f'<p id="kg-note" class="kg-note">Overview: {len(order):,} of {total_nodes:,} '
            "nodes shown (the entities with the most paper links and the papers attached "
            "to them).</p>")
    if len(shown_shares) < len(shares):
        notes.append(
            f'<p id="kg-note-shares" class="kg-note">{len(shown_shares):,} of '
            f"{len(shares):,} \u201cshares entities\u201d links drawn (the "
            f"{SHARES_PER_PAPER} strongest of each paper).</p>")
    return "".join([
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        f'<meta http-equiv="Content-Security-Policy" content="{e(_CSP)}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f'<meta name="generator" content="kgraph, vis-network {e(vis_version)}">\n',
        f"<title>{e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n",
        f'<header class="kg-header"><h1>{e(title)}</h1>',
        f'<p class="kg-stats">{e(stats)}</p>', "".join(notes), _controls_html(max_deg),
        "</header>\n",
        '<main class="kg-stage"><div id="kg-network"></div>',
        _legend_html(drawn_labels, total_labels),
        '<aside id="kg-panel" class="kg-panel" hidden aria-label="Details">'
        '<button id="kg-panel-close" type="button" aria-label="Close">\u00d7</button>'
        '<div id="kg-panel-body"></div></aside>',
        '<div id="kg-status" class="kg-status" aria-live="polite"></div></main>\n',
        f'<script type="application/json" id="kg-data">{_script_json(payload)}</script>\n',
        f"<script>\n{vis_js}\n</script>\n",
        f"<script>{_MAIN_JS}</script>\n</body>\n</html>\n",
    ])


def write_html(G: nx.MultiDiGraph, path: str | os.PathLike[str], **kwargs: Any) -> Path:
    """Write the page of :func:`generate_html` to ``path``, atomically.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph (see :func:`generate_html`).
    path : str or PathLike
        The ``.html`` file; its folder is created when missing. An existing file is
        replaced only once the whole page is written.
    **kwargs
        ``title`` and ``max_nodes``, passed to :func:`generate_html`.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    ExportError
        When the file cannot be written (or for the reasons of :func:`generate_html`).
    ValueError
        If ``max_nodes`` is smaller than 1.

    Examples
    --------
    >>> import networkx as nx, pathlib, tempfile
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("paper:1", label="Paper", name="A paper", id="1", title="A paper",
    ...            abstract="")
    >>> out = write_html(G, pathlib.Path(tempfile.mkdtemp()) / "graph.html", title="Demo")
    >>> out.name, out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    ('graph.html', True)
    """
    page = generate_html(G, **kwargs)
    try:
        with atomic_write(path) as handle:
            handle.write(page)
    except OSError as exc:
        raise ExportError(f"cannot write {os.fspath(path)}: {exc.strerror or exc}") from exc
    return Path(path)
