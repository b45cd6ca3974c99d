"""Hostile text in every field of every HTML view, checked in headless Chromium.

``test_browser.py`` proves the main page against payloads in titles, abstracts and
names. This module puts script-bearing text in every string a page can show (paper
ids, titles, abstracts, authors, dates, urls; entity keys, names and aliases; the page
title) and opens every kind of page kgraph writes: the main page, the overview of a
graph bigger than ``max_nodes`` (with its note), and the focused views of ``kgraph
view`` (``--dataset``, ``--method``, ``--paper``, ``--top``), whose default titles
repeat the hostile name asked for. On each page it checks, in the browser:

- nothing ran: no dialog, no canary (the payloads' handlers would set
  ``window.kgPwned``), no console or page error;
- nothing was injected: no ``img``/``svg``/``iframe``/``object``/``embed`` element, no
  event-handler attribute, no link that is not http(s), the same three scripts;
- everything reads back exactly: the page title and heading; the search suggestions
  (every drawn node's title or name); the legend (labels and counts only); every
  node's side panel (title or name, id, date, authors, abstract, aliases, entity and
  paper buttons); the tooltips of nodes and of an edge (plain text, line breaks only);
  the search box's "no match" status.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner
from test_browser import Tab, browser  # noqa: F401  (fixture)

from graphs import add_entity, add_paper, add_shares_entity, link, new_graph
from kgraph.cli import cli
from kgraph.export.html import NODE_STYLES, write_html
from kgraph.export.nodelink import write_json
from kgraph.graph import related_papers
from kgraph.model import PAPER_LABEL

CANARY = "window.kgPwned=(window.kgPwned||0)+1"
#: Markup and script that would run, or change the page, if any of it reached the DOM
#: as HTML or a URL; and names that mean something to JavaScript objects.
PAYLOADS = [
    f'<img src=x onerror="{CANARY}">',
    f"</script><script>{CANARY};alert(1)</script>",
    f"\"'><svg onload=\"{CANARY}\">",
    f"<iframe srcdoc=\"<script>parent.{CANARY}</script>\"></iframe>",
    "<!-- ]]> <![CDATA[ -->",
    "{{constructor.constructor('alert(2)')()}} ${alert(3)}",
    "&lt;b&gt;bold&lt;/b&gt; &amp;amp; &#x3C;i&#x3E;",
    "\u2028line\u2029para \u202eRTL",
    "<a href=\"javascript:alert(4)\">click</a>",
    "<object data=x></object><embed src=x>",
]
EVIL = " ".join(PAYLOADS)
#: Tags no page of kgraph may contain.
FORBIDDEN_TAGS = ("img", "svg", "iframe", "object", "embed", "video", "audio", "form",
                  "base", "frame")
#: Elements the side panel is built from.
PANEL_TAGS = {"H2", "H3", "P", "UL", "LI", "SPAN", "BUTTON", "A"}


def hostile_graph() -> nx.MultiDiGraph:
    """Four papers and six entities whose every string carries the payloads."""
    G = new_graph()
    p1 = add_paper(G, f"2401.{PAYLOADS[0]}", "Alpha title " + EVIL, "Alpha abstract\n" + EVIL,
                   url=f"javascript:{CANARY}", authors=[PAYLOADS[0], PAYLOADS[2]],
                   date=PAYLOADS[1], categories=[PAYLOADS[3]])
    p2 = add_paper(G, f"2401.{PAYLOADS[1]}", "Beta " + PAYLOADS[1], "Beta " + PAYLOADS[0],
                   url=f"https://example.org/beta?q={PAYLOADS[0]}", authors=[PAYLOADS[8]])
    p3 = add_paper(G, "__proto__", "constructor", "toString " + PAYLOADS[5],
                   date="2024-01-01")
    p4 = add_paper(G, f"gamma {PAYLOADS[4]}", "Gamma " + PAYLOADS[7], PAYLOADS[6])
    method = add_entity(G, "Method", f"delta {PAYLOADS[2]}", "Delta " + PAYLOADS[2],
                        ["Delta alias " + PAYLOADS[3], PAYLOADS[9]])
    dataset = add_entity(G, "Dataset", f"epsilon {PAYLOADS[5]}", "Epsilon " + PAYLOADS[5],
                         ["Epsilon alias " + PAYLOADS[0]])
    task = add_entity(G, "Task", "__proto__ task", "__proto__")
    metric = add_entity(G, "Metric", "hasownproperty", "hasOwnProperty " + PAYLOADS[6])
    url = add_entity(G, "Url", "javascript url", f"javascript:{CANARY}")
    repo = add_entity(G, "Repository", "github.com/x/evil",
                      f"https://github.com/x/{PAYLOADS[0]}")
    link(G, p1, method, proposes=True, aliases=[PAYLOADS[1]])
    for paper in (p1, p2, p3):
        link(G, paper, dataset, aliases=[PAYLOADS[2]])
    for paper in (p2, p3, p4):
        link(G, paper, task)
    link(G, p2, method)
    link(G, p4, metric)
    link(G, p1, metric)
    link(G, p1, url)
    link(G, p2, repo)
    add_shares_entity(G)
    return G


# --------------------------------------------------------------------------- pages


class Page:
    """A written page: the graph it was written from, the part of it drawn (all of it
    unless the page is an overview), its title and the node it is about."""

    def __init__(self, path: Path, source: nx.MultiDiGraph, title: str,
                 focus: str | None = None, drawn: nx.MultiDiGraph | None = None) -> None:
        self.path, self.source, self.title, self.focus = path, source, title, focus
        self.graph = source if drawn is None else drawn


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Page]:
    """Every kind of page, written from the hostile graph."""
    from kgraph.graph.views import focus_entity, focus_paper, top_overview, overview_nodes

    G = hostile_graph()
    folder = tmp_path_factory.mktemp("hostile_pages")
    write_json(G, folder / "graph.json")
    found = {"main": Page(write_html(G, folder / "main.html", title="Page " + EVIL), G,
                          "Page " + EVIL)}
    overview = G.subgraph(overview_nodes(G, 5)).copy()
    found["overview"] = Page(write_html(G, folder / "overview.html", title=PAYLOADS[1],
                                        max_nodes=5), G, PAYLOADS[1], drawn=overview)
    views = {
        "dataset": (["--dataset", G.nodes["dataset:epsilon " + PAYLOADS[5]]["name"]],
                    "dataset:epsilon " + PAYLOADS[5]),
        "method": (["--method", "Delta alias " + PAYLOADS[3]], "method:delta " + PAYLOADS[2]),
        "paper": (["--paper", f"2401.{PAYLOADS[0]}"], f"paper:2401.{PAYLOADS[0]}"),
        "top": (["--top", "6"], None),
    }
    runner = CliRunner()
    for kind, (args, node) in views.items():
        path = folder / f"view_{kind}.html"
        result = runner.invoke(cli, ["view", "--graph", str(folder), *args, "-o", str(path)])
        assert result.exit_code == 0, result.output
        if kind == "dataset":
            H = focus_entity(G, args[1], "dataset")
        elif kind == "method":
            H = focus_entity(G, args[1], "method")
        elif kind == "paper":
            H = focus_paper(G, args[1])
        else:
            H = top_overview(G, 6)
        assert H.number_of_nodes() >= 2
        found[kind] = Page(path, H, f"kgraph: {args[0][2:]} {args[1]}", node)
    return found


# --------------------------------------------------------------------------- checks


def shown_name(G: nx.MultiDiGraph, node: str) -> str:
    data = G.nodes[node]
    if data["label"] == PAPER_LABEL:
        return data.get("title") or data["name"]
    return data["name"]


def assert_nothing_ran_or_was_injected(tab: Tab) -> None:
    page = tab.page
    page.wait_for_timeout(200)  # let any error or load handler fire
    assert tab.dialogs == []
    assert page.evaluate("window.kgPwned") is None
    assert tab.errors == []
    for tag in FORBIDDEN_TAGS:
        assert page.evaluate(f"document.getElementsByTagName('{tag}').length") == 0, tag
    assert page.evaluate("document.scripts.length") == 3
    handlers = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(
        e => [...e.attributes].filter(a => /^on/i.test(a.name)).map(a => a.name))""")
    assert handlers == []
    assert page.evaluate("""() => [...document.querySelectorAll('a')].filter(
        a => !/^https?:$/.test(a.protocol)).length""") == 0
    assert page.evaluate("document.querySelectorAll('meta[http-equiv=refresh]').length") == 0


def assert_title_legend_and_search(tab: Tab, view: Page) -> None:
    page, G = tab.page, view.graph
    assert page.title() == view.title
    assert page.text_content("h1") == view.title
    options = page.evaluate("[...document.querySelectorAll('#kg-suggest option')]"
                            ".map(o => o.value)")
    assert sorted(options) == sorted(shown_name(G, n) for n in G)
    legend = page.evaluate("""() => [...document.querySelectorAll('.kg-legend-row')].map(
        r => [r.dataset.label, r.dataset.count, r.cells[2].textContent])""")
    counts = Counter(d["label"] for _, d in G.nodes(data=True))
    assert legend == [[label, str(counts[label]), label] for label in NODE_STYLES]
    assert "<" not in page.inner_text("#kg-legend")


def assert_panel(tab: Tab, view: Page, node: str) -> None:
    """The side panel of ``node`` shows its text exactly, as text; its buttons lead to
    the drawn nodes among its entities and related papers (a paper's) or its papers
    (an entity's), found in the graph the page was written from."""
    page, G, full = tab.page, view.graph, view.source
    page.evaluate("id => window.kgSelect(id, false)", node)
    assert tab.selected() == [node]
    data = full.nodes[node]
    assert page.text_content(".kg-panel-title") == shown_name(full, node)
    tags = set(page.evaluate("[...document.querySelectorAll('#kg-panel-body *')]"
                             ".map(e => e.tagName)"))
    assert tags <= PANEL_TAGS, tags
    metas = page.evaluate("[...document.querySelectorAll('#kg-panel-body p.kg-meta')]"
                          ".map(e => e.textContent)")
    buttons = page.evaluate("""() => [...document.querySelectorAll('#kg-panel-body .kg-ref')]
        .map(b => [b.getAttribute('data-node'), b.textContent])""")
    for ref, text in buttons:
        assert ref in G and text == shown_name(full, ref)
    if data["label"] == PAPER_LABEL:
        assert metas[0] == "id: " + data["id"] + (" \u00b7 " + data["date"] if data.get("date")
                                                  else "")
        if data.get("authors"):
            assert metas[1] == ", ".join(data["authors"])
        assert page.text_content(".kg-abstract") == data["abstract"]
        entities = {e for e in full.successors(node) if full.nodes[e]["label"] != PAPER_LABEL}
        related = {r.paper for r in related_papers(full, node, top=5)}
        assert {ref for ref, _ in buttons} == (entities | related) & set(G)
    else:
        aliases = [a for a in dict.fromkeys(data.get("aliases") or []) if a != data["name"]]
        if aliases:
            assert "aliases: " + ", ".join(aliases) in metas
        papers = {p for p in nx.all_neighbors(full, node)
                  if full.nodes[p]["label"] == PAPER_LABEL}
        assert {ref for ref, _ in buttons} == papers & set(G)
    if buttons:  # a button opens the panel of the node it names
        page.click("#kg-panel-body .kg-ref >> nth=0")
        assert tab.selected() == [buttons[0][0]]
        assert page.text_content(".kg-panel-title") == buttons[0][1]


def hover_tooltip(tab: Tab, x: float, y: float) -> tuple[str, list[str]]:
    """Move the mouse to (x, y) and return the tooltip's text and its child tags."""
    page = tab.page
    page.mouse.move(x - 40, y - 40)
    page.mouse.move(x, y, steps=4)
    page.wait_for_function("""() => { const t = document.querySelector('div.vis-tooltip');
        return t && t.style.visibility === 'visible'; }""", timeout=5_000)
    return page.evaluate("""() => { const t = document.querySelector('div.vis-tooltip');
        return [t.innerText, [...t.querySelectorAll('*')].map(e => e.tagName)]; }""")


def assert_node_tooltip(tab: Tab, full: nx.MultiDiGraph, node: str) -> None:
    page = tab.page
    page.evaluate("id => { window.kgNetwork.unselectAll();"
                  "window.kgNetwork.focus(id, {scale: 3}); }", node)
    x, y = tab.node_dom_position(node)
    text, tags = hover_tooltip(tab, x, y)
    assert set(tags) <= {"BR"}, tags
    assert text.split("\n")[0] == shown_name(full, node)
    page.mouse.move(5, 5)


def assert_edge_tooltip(tab: Tab, full: nx.MultiDiGraph) -> None:
    """Hover the middle of a "shares entities" edge: its tooltip names the shared
    entities, as text."""
    page = tab.page
    edge = page.evaluate("""() => window.kgNetwork.body.data.edges.get().find(
        e => e.kind.includes('SHARES_ENTITY'))""")
    # a point of the edge that no node covers (the shared entity often sits midway)
    mid = page.evaluate("""e => { const n = window.kgNetwork;
        const p = n.getPositions([e.from, e.to]);
        for (const t of [0.3, 0.7, 0.2, 0.8, 0.4, 0.6, 0.5]) {
          const m = {x: p[e.from].x + t * (p[e.to].x - p[e.from].x),
                     y: p[e.from].y + t * (p[e.to].y - p[e.from].y)};
          n.moveTo({position: m, scale: 2.5, animation: false});
          const dom = n.canvasToDOM(m);
          if (n.getNodeAt(dom) === undefined && n.getEdgeAt(dom) === e.id) { return dom; }
        }
        return null; }""", edge)
    assert mid is not None, "every point of the edge is under a node or another edge"
    box = page.locator("#kg-network").bounding_box()
    text, tags = hover_tooltip(tab, box["x"] + mid["x"], box["y"] + mid["y"])
    assert set(tags) <= {"BR"}, tags
    assert text == edge["title"]
    shared = full.edges[edge["from"], edge["to"], "SHARES_ENTITY"]["shared"]
    for entity in shared:
        assert full.nodes[entity]["name"] in text
    page.mouse.move(5, 5)


def assert_search(tab: Tab) -> None:
    page = tab.page
    for text in PAYLOADS[:3] + ["no such thing " + PAYLOADS[9]]:
        page.fill("#kg-search", text)
        page.press("#kg-search", "Enter")
        status = page.text_content("#kg-status")
        selected = tab.selected()
        assert status == f"No match for \u201c{text}\u201d" or (status == "" and selected)


# --------------------------------------------------------------------------- tests


VIEWS = ["main", "overview", "dataset", "method", "paper", "top"]


@pytest.mark.parametrize("kind", VIEWS)
def test_every_view_shows_hostile_text_as_text(browser, pages, kind):  # noqa: F811
    view = pages[kind]
    full = pages["main"].graph
    tab = Tab(browser, view.path)
    try:
        G = view.graph
        assert tab.page.evaluate("window.kgNodes.length") == G.number_of_nodes()
        assert set(tab.page.evaluate("window.kgNodes.getIds()")) == set(G)
        if kind == "overview":
            assert tab.page.text_content("#kg-note").startswith(
                f"Overview: {G.number_of_nodes()} of {full.number_of_nodes()} nodes shown")
        assert_nothing_ran_or_was_injected(tab)
        assert_title_legend_and_search(tab, view)
        for node in G:
            assert_panel(tab, view, node)
        tab.page.click("#kg-panel-close")
        hovered = [view.focus] if view.focus else []
        hovered += [n for n in sorted(G) if n not in hovered][: 2 if kind != "main" else None]
        for node in hovered:
            assert_node_tooltip(tab, full, node)
        if kind == "main":
            assert_edge_tooltip(tab, full)
        assert_search(tab)
        assert_nothing_ran_or_was_injected(tab)
    finally:
        tab.page.close()
