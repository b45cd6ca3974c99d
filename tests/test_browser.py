"""The HTML explorer in a real browser: Debian's headless chromium, driven by Playwright.

The browser is the system one (``/usr/bin/chromium``, or ``chromium`` on ``PATH``);
Playwright's own browser download is never used. When chromium or Playwright is missing
these tests fail with a message saying so: they do not skip.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graphs import add_entity, add_paper, add_shares_entity, link, new_graph
from kgraph.export.html import write_html
from kgraph.graph import related_papers

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "output" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    "\"'><svg onload=alert(3)>",
    "<iframe src=javascript:alert(4)></iframe>",
    "javascript:alert(5)",
    "{{constructor.constructor('alert(6)')()}}",
    "&lt;b&gt;&amp;",
    "\u2028line\u2029para",
    "__proto__",
]
EVIL = " ".join(PAYLOADS)


def _chromium() -> str:
    path = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")
    if not path:
        pytest.fail("chromium is not installed: the browser tests need Debian's chromium "
                    "(apt-get install chromium)", pytrace=False)
    return path


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright for Python is missing: pip install -e '.[dev]'", pytrace=False)
    path = _chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Tab:
    """One page with its console errors, page errors and dialogs recorded."""

    def __init__(self, browser, path: Path) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

        def on_dialog(d):
            self.dialogs.append(d.message)
            d.dismiss()
        self.page.on("dialog", on_dialog)
        self.page.goto(path.as_uri())
        self.page.wait_for_function("document.documentElement.dataset.kgDrawn === '1'",
                                    timeout=20_000)

    def node_dom_position(self, node_id: str) -> tuple[float, float]:
        box = self.page.locator("#kg-network").bounding_box()
        xy = self.page.evaluate(
            """id => { const n = window.kgNetwork;
                       const p = n.getPositions([id])[id];
                       return n.canvasToDOM(p); }""", node_id)
        return box["x"] + xy["x"], box["y"] + xy["y"]

    def selected(self) -> list[str]:
        return self.page.evaluate("window.kgNetwork.getSelectedNodes()")


@pytest.fixture(scope="module")
def seed_tab(browser, seed_build):
    tab = Tab(browser, seed_build.out_dir / "graph.html")
    yield tab
    tab.page.close()


def test_seed_page_loads_without_errors_and_draws_every_node(seed_tab, seed_build):
    G = seed_build.graph
    assert seed_tab.errors == []
    assert seed_tab.page.evaluate("window.kgNodes.length") == G.number_of_nodes()
    assert set(seed_tab.page.evaluate("window.kgNodes.getIds()")) == set(G)
    # physics is off at load, the positions are the ones shipped in the page
    assert seed_tab.page.evaluate("window.kgNetwork.physics.physicsEnabled") is False
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    seed_tab.page.screenshot(path=str(SCREENSHOTS / "seed.png"))
    assert (SCREENSHOTS / "seed.png").stat().st_size > 10_000


def test_search_selects_a_title(seed_tab, seed_build):
    G = seed_build.graph
    paper = sorted(n for n, d in G.nodes(data=True) if d["label"] == "Paper")[0]
    title = G.nodes[paper]["title"]
    seed_tab.page.fill("#kg-search", title)
    seed_tab.page.press("#kg-search", "Enter")
    assert seed_tab.selected() == [paper]
    assert seed_tab.page.is_visible("#kg-panel")
    assert seed_tab.page.text_content(".kg-panel-title") == title
    seed_tab.page.click("#kg-panel-close")
    assert not seed_tab.page.is_visible("#kg-panel")
    # the datalist offers every drawn node
    assert seed_tab.page.evaluate("document.querySelectorAll('#kg-suggest option').length") \
        == G.number_of_nodes()


def test_clicking_a_paper_opens_its_panel(seed_tab, seed_build):
    G = seed_build.graph
    papers = [n for n, d in G.nodes(data=True) if d["label"] == "Paper"
              and related_papers(G, n, top=1)]
    # the paper farthest from any other node, so the click cannot land on a neighbour
    paper = seed_tab.page.evaluate(
        """papers => { const pos = window.kgNetwork.getPositions();
            const ids = Object.keys(pos);
            let best = null, bestGap = -1;
            for (const p of papers) {
              let gap = Infinity;
              for (const q of ids) { if (q !== p) {
                gap = Math.min(gap, Math.hypot(pos[p].x - pos[q].x, pos[p].y - pos[q].y)); } }
              if (gap > bestGap) { bestGap = gap; best = p; }
            }
            return best; }""", papers)
    seed_tab.page.evaluate("id => window.kgNetwork.focus(id, {scale: 2.5})", paper)
    x, y = seed_tab.node_dom_position(paper)
    seed_tab.page.mouse.click(x, y)
    assert seed_tab.selected() == [paper]
    panel = seed_tab.page.locator("#kg-panel")
    assert panel.is_visible()
    assert seed_tab.page.text_content(".kg-panel-title") == G.nodes[paper]["title"]
    text = panel.inner_text()
    assert "Entities (" in text and "Related papers" in text
    # neighbourhood highlight: a node outside it is greyed
    far = next(n for n in G if n != paper and not G.has_edge(paper, n)
               and not G.has_edge(n, paper))
    color = seed_tab.page.evaluate("id => window.kgNodes.get(id).color.background", far)
    assert color == "#e8e8e8"
    # an entity in the panel opens that entity's panel, listing the paper
    seed_tab.page.locator("#kg-panel .kg-ref").first.click()
    (ent,) = seed_tab.selected()
    assert G.nodes[ent]["label"] != "Paper"
    assert G.nodes[paper]["title"] in panel.inner_text()
    seed_tab.page.click("#kg-panel-close")


def test_paper_panel_lists_its_results(seed_tab, seed_build):
    G = seed_build.graph
    reports = sorted((d["span_start"], u, v, d) for u, v, d in G.edges(data=True)
                     if d["type"] == "REPORTS")
    assert reports, "the seed build has no REPORTS edges"
    _, paper, dataset, data = reports[0]
    seed_tab.page.evaluate("id => window.kgSelect(id, true)", paper)
    text = seed_tab.page.inner_text("#kg-panel")
    n = sum(1 for _, _, d in G.out_edges(paper, data=True) if d["type"] == "REPORTS")
    assert f"Results ({n})" in text
    assert f"{data['text']}{' ' + data['metric'] if data['metric'] else ''} on " \
           f"{G.nodes[dataset]['name']}" in text
    assert seed_tab.errors == []
    seed_tab.page.click("#kg-panel-close")


def test_filters_hide_types_and_low_degree(seed_tab, seed_build):
    G = seed_build.graph
    page = seed_tab.page
    page.uncheck("input.kg-filter[data-label=Url]")
    hidden = page.evaluate("window.kgNodes.get({filter: n => n.hidden}).map(n => n.id)")
    assert set(hidden) == {n for n, d in G.nodes(data=True) if d["label"] == "Url"}
    page.check("input.kg-filter[data-label=Url]")
    page.fill("#kg-min-degree", "3")
    shown = page.evaluate("window.kgNodes.get({filter: n => !n.hidden}).length")
    assert 0 < shown < G.number_of_nodes()
    page.fill("#kg-min-degree", "0")
    assert page.evaluate("window.kgNodes.get({filter: n => n.hidden}).length") == 0
    page.check("#kg-physics")
    assert page.evaluate("window.kgNetwork.physics.physicsEnabled") is True
    page.uncheck("#kg-physics")
    assert seed_tab.errors == []


@pytest.fixture(scope="module")
def evil_page(tmp_path_factory):
    G = new_graph()
    p1 = add_paper(G, "2401.99999", "Title " + EVIL, "Abstract " + EVIL,
                   url="javascript:alert(7)", authors=[PAYLOADS[0]], date=PAYLOADS[1])
    p2 = add_paper(G, "2401.99998", PAYLOADS[1], PAYLOADS[0])
    ent = add_entity(G, "Method", "evil", "Method " + EVIL, ["alias " + PAYLOADS[2]])
    url = add_entity(G, "Url", "evil url", "javascript:alert(8)")
    link(G, p1, ent, proposes=True)
    link(G, p2, ent)
    link(G, p1, url)
    add_shares_entity(G)
    return G, write_html(G, tmp_path_factory.mktemp("evil") / "evil.html",
                         title="Page " + EVIL)


def test_payloads_display_as_text_and_never_run(browser, evil_page):
    G, path = evil_page
    tab = Tab(browser, path)
    page = tab.page
    before = page.evaluate("document.getElementsByTagName('*').length")
    for node in ["paper:2401.99999", "paper:2401.99998", "method:evil", "url:evil url"]:
        page.evaluate("id => window.kgSelect(id, true)", node)
        x, y = tab.node_dom_position(node)
        page.mouse.move(x, y)
        page.wait_for_timeout(300)
        assert page.text_content(".kg-panel-title") == (
            G.nodes[node].get("title") or G.nodes[node]["name"])
    page.fill("#kg-search", PAYLOADS[1])
    page.press("#kg-search", "Enter")
    assert tab.selected() == ["paper:2401.99998"]
    panel = page.inner_text("#kg-panel")
    assert PAYLOADS[0] in panel
    assert page.text_content("h1") == "Page " + EVIL
    page.wait_for_timeout(300)
    assert tab.dialogs == []
    for tag in ("img", "svg", "iframe"):
        assert page.evaluate(f"document.getElementsByTagName('{tag}').length") == 0, tag
    assert page.evaluate("document.scripts.length") == 3
    assert page.evaluate("[...document.querySelectorAll('a')].filter("
                         "a => !/^https?:/.test(a.href)).length") == 0
    assert page.evaluate("document.querySelectorAll('[onerror],[onload]').length") == 0
    after = page.evaluate("document.querySelectorAll('#kg-panel-body *').length")
    assert before > 0 and after > 0
    assert tab.errors == []
    page.close()
