"""Tests of kgraph.export.html: the page is parsed with the standard library's
html.parser and the embedded nodes/edges JSON is read back."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from html.parser import HTMLParser

import networkx as nx
import pytest

from graphs import (RESNET_ABSTRACT, add_entity, add_paper, add_shares_entity, link, new_graph,
                    small_graph, synthetic_graph)
from kgraph.errors import ExportError
from kgraph.export.html import (MAX_NODES, NODE_STYLES, PROPOSED_BORDER, PROPOSED_BORDER_WIDTH,
                                SHARES_PER_PAPER, generate_html, write_html)

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Page(HTMLParser):
    """Start tags, script elements, legend rows and the text of elements with an id."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.text_by_id: dict[str, str] = {}
        self.legend: dict[str, dict] = {}
        self._open: list[tuple[str, str | None]] = []
        self._script: tuple[dict, list[str]] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "script":
            self._script = (attrs, [])
        if tag == "tr" and "kg-legend-row" in (attrs.get("class") or ""):
            self.legend[attrs["data-label"]] = attrs
        if tag not in VOID:
            self._open.append((tag, attrs.get("id")))
            if attrs.get("id"):
                self.text_by_id[attrs["id"]] = ""

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None
        while self._open:
            open_tag, _ = self._open.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)
        for _, ident in self._open:
            if ident:
                self.text_by_id[ident] += data

    def data_json(self) -> str:
        (text,) = [t for a, t in self.scripts if a.get("id") == "kg-data"]
        return text

    def data(self) -> dict:
        return json.loads(self.data_json())


def render(G, tmp_path, name="graph.html", **kwargs) -> tuple[str, Page]:
    path = write_html(G, tmp_path / name, **kwargs)
    text = path.read_text(encoding="utf-8")
    return text, Page(text)


@pytest.fixture
def small():
    return small_graph()


@pytest.fixture
def small_page(small, tmp_path):
    return render(small, tmp_path, title="Small graph")


class TestStyles:
    def test_table_has_every_label_once(self):
        assert set(NODE_STYLES) == {"Paper", "Dataset", "Method", "Metric", "Task",
                                    "Repository", "Url"}
        assert len({s.color for s in NODE_STYLES.values()}) == len(NODE_STYLES)
        assert len({s.shape for s in NODE_STYLES.values()}) == len(NODE_STYLES)


class TestSmallGraph:
    def test_every_node_drawn_once(self, small, small_page):
        nodes = small_page[1].data()["nodes"]
        assert len(nodes) == small.number_of_nodes() == 18
        assert {n["id"] for n in nodes} == set(small)

    def test_edges_one_per_pair(self, small, small_page):
        edges = small_page[1].data()["edges"]
        pairs = {(u, v) for u, v in small.edges()}
        assert len(edges) == len(pairs) == 20
        assert {(e["from"], e["to"]) for e in edges} == pairs

    def test_colour_and_shape_per_label(self, small, small_page):
        nodes = small_page[1].data()["nodes"]
        assert {n["kind"] for n in nodes} == set(NODE_STYLES)
        for node in nodes:
            label = small.nodes[node["id"]]["label"]
            assert node["kind"] == label
            assert node["color"]["background"] == NODE_STYLES[label].color
            assert node["shape"] == NODE_STYLES[label].shape

    def test_proposed_entities_have_a_dark_border(self, small_page):
        nodes = {n["id"]: n for n in small_page[1].data()["nodes"]}
        for proposed in ("method:resnet 50", "method:vit"):
            assert nodes[proposed]["proposed"] is True
            assert nodes[proposed]["borderWidth"] == PROPOSED_BORDER_WIDTH
            assert nodes[proposed]["color"]["border"] == PROPOSED_BORDER
        for plain in ("method:gat", "dataset:imagenet 1k", "paper:2401.00001"):
            assert nodes[plain]["proposed"] is False
            assert nodes[plain]["borderWidth"] == 1
            assert nodes[plain]["color"]["border"] == nodes[plain]["color"]["background"]

    def test_size_grows_with_degree(self, small_page):
        size = {n["id"]: n["size"] for n in small_page[1].data()["nodes"]}
        assert size["dataset:imagenet 1k"] > size["dataset:cifar 10"]   # 2 papers vs 1
        assert size["paper:2401.00001"] > size["paper:2402.00002"]      # 7 links vs 6

    def test_legend_lists_each_label_with_its_count(self, small, small_page):
        page = small_page[1]
        counts = Counter(d["label"] for _, d in small.nodes(data=True))
        assert list(page.legend) == list(NODE_STYLES)
        for label, style in NODE_STYLES.items():
            row = page.legend[label]
            assert row["data-color"] == style.color
            assert row["data-shape"] == style.shape
            assert int(row["data-count"]) == int(row["data-total"]) == counts[label]
        assert counts["Method"] == 4 and counts["Url"] == 3
        legend_text = page.text_by_id["kg-legend"]
        assert "Method4" in legend_text and "Paper3" in legend_text
        assert "proposed" in legend_text

    def test_paper_tooltip_is_title_and_abstract_snippet(self, small_page):
        nodes = {n["id"]: n for n in small_page[1].data()["nodes"]}
        tooltip = nodes["paper:2401.00001"]["title"]
        assert isinstance(tooltip, str)
        assert tooltip == (
            "Deep Residual Learning for Image Recognition\n"
            "id: 2401.00001 \u00b7 2024-01-02\n\n"
            "Deeper neural networks are more difficult to train. We present a residual "
            "learning framework to ease the training of networks that are substantially "
            "deeper than those used previously. We explicitly reformulate the layers as "
            "learning residual functions with reference to the layer inputs, instead of\u2026"
        )
        snippet = tooltip.split("\n\n", 1)[1]
        assert len(snippet) <= 301 and RESNET_ABSTRACT.startswith(snippet[:-1])
        # a short abstract is shown whole, and a paper without date has no date
        assert nodes["paper:t0123456789ab"]["title"] == (
            "Graph Attention Networks for Citation Graphs\nid: t0123456789ab\n\n"
            "We train GAT and compare with GCN on Cora for node classification, "
            "reporting accuracy. See https://example.org/gat."
        )

    def test_entity_tooltip(self, small_page):
        nodes = {n["id"]: n for n in small_page[1].data()["nodes"]}
        assert nodes["method:resnet 50"]["title"] == (
            "ResNet-50\nMethod (proposed)\naliases: residual nets\npapers: 2")
        assert nodes["dataset:cora"]["title"] == "Cora\nDataset\npapers: 1"
        assert nodes["method:resnet 50"]["label"] == "ResNet-50"

    def test_shares_entity_edge_is_dashed_without_arrow(self, small_page):
        edges = small_page[1].data()["edges"]
        (shares,) = [e for e in edges if e["kind"] == ["SHARES_ENTITY"]]
        assert (shares["from"], shares["to"]) == ("paper:2401.00001", "paper:2402.00002")
        assert shares["dashes"] is True
        assert shares["arrows"] == {"to": {"enabled": False}}
        assert shares["title"].startswith("shares 4 entities (weight 1.62): ImageNet-1k, ")
        others = [e for e in edges if e is not shares]
        assert all(e["arrows"] == "to" and "dashes" not in e for e in others)
        proposes = [e for e in others if "PROPOSES" in e["kind"]]
        assert len(proposes) == 2 and all(e["width"] > 1 for e in proposes)

    def test_positions_shipped_and_physics_off(self, small, small_page):
        data = small_page[1].data()
        physics = data["options"]["physics"]
        assert physics["enabled"] is False and physics["solver"] == "barnesHut"
        assert physics["stabilization"] == {"enabled": False}
        xy = {(n["x"], n["y"]) for n in data["nodes"]}
        assert len(xy) == small.number_of_nodes()
        assert all(isinstance(n["deg"], int) for n in data["nodes"])
        assert generate_html(small) == generate_html(small)

    def test_panel_info(self, small_page):
        info = small_page[1].data()["info"]
        p1 = info["paper:2401.00001"]
        assert p1["links"][0] == ["paper", "https://arxiv.org/abs/2401.00001"]
        assert ["code", "https://github.com/kaiming/resnet"] in p1["links"]
        assert p1["related"][0][0] == "paper:2402.00002"
        assert info["method:resnet 50"]["papers"][0][0] == "paper:2401.00001"

    def test_paper_panel_lists_reports_in_text_order(self):
        G = small_graph()
        p1, dataset = "paper:2401.00001", "dataset:imagenet 1k"
        for start, text, metric in ((90, "76.1%", "top-1 accuracy"), (40, "+2.1", None)):
            G.add_edge(p1, dataset, key=f"REPORTS:{start}", type="REPORTS", value=1.0,
                       unit="", kind="absolute", metric=metric, method="ResNet-50",
                       text=text, span_start=start, span_end=start + len(text), sentence=4)
        info = Page(generate_html(G)).data()["info"]
        assert info[p1]["results"] == [
            [dataset, "ImageNet-1k", "+2.1", "", "ResNet-50"],
            [dataset, "ImageNet-1k", "76.1%", "top-1 accuracy", "ResNet-50"]]
        assert info["paper:2402.00002"]["results"] == []
        # REPORTS edges do not count in the drawn degree (they repeat USES_DATASET)
        degrees = {n["id"]: n["deg"] for n in Page(generate_html(G)).data()["nodes"]}
        plain = {n["id"]: n["deg"] for n in Page(generate_html(small_graph())).data()["nodes"]}
        assert degrees == plain

    def test_no_overview_note_when_everything_is_drawn(self, small_page):
        assert "kg-note" not in small_page[1].text_by_id
        assert "Overview" not in small_page[0]

    def test_title_and_stats(self, small_page):
        page = small_page[1]
        assert [a for t, a in page.tags if t == "h1"]
        assert "<title>Small graph</title>" in small_page[0]
        assert "3 papers \u00b7 15 entities \u00b7 20 relationships" in small_page[0]


class TestOffline:
    def test_no_remote_script_or_stylesheet(self, small_page):
        text, page = small_page
        for tag, attrs in page.tags:
            if tag == "script":
                assert "src" not in attrs
            for name in ("src", "href"):
                value = (attrs.get(name) or "").strip().lower()
                assert not value.startswith(("http:", "https:", "//")), (tag, attrs)
        assert not any(t == "link" for t, _ in page.tags)
        assert "cdn.jsdelivr.net" not in text and "cdnjs.cloudflare.com" not in text
        assert "sourceMappingURL" not in text

    def test_vis_network_is_inline_and_csp_blocks_fetches(self, small_page):
        text, page = small_page
        vis = [s for a, s in page.scripts if "@version 9." in s]
        assert len(vis) == 1 and len(vis[0]) > 100_000
        (csp,) = [a["content"] for t, a in page.tags
                  if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
        assert "default-src 'none'" in csp and "connect-src 'none'" in csp

    def test_scripts(self, small_page):
        scripts = small_page[1].scripts
        assert len(scripts) == 3
        kinds = [a.get("type") for a, _ in scripts]
        assert kinds == ["application/json", None, None]
        main = scripts[-1][1]
        assert "JSON.parse" in main and "innerHTML" not in main


PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "\"'><svg onload=alert(1)>",
    "&amp;",
    "\u2028line\u2029para",
]
EVIL = " ".join(PAYLOADS)


@pytest.fixture
def evil_graph():
    G = new_graph()
    p1 = add_paper(G, "2401.99999", "Title " + EVIL, "Abstract " + " ".join(PAYLOADS[:4]),
                   date="2024-01-01 " + PAYLOADS[0])
    p2 = add_paper(G, "2401.99998", "Another paper", "It uses the method too.")
    ent = add_entity(G, "Method", "evil", "Method " + EVIL, ["alias " + PAYLOADS[1]])
    link(G, p1, ent, proposes=True)
    link(G, p2, ent)
    add_shares_entity(G)
    return G


class TestInjection:
    def test_markup_cannot_escape(self, evil_graph, small, tmp_path):
        text, page = render(evil_graph, tmp_path, "evil.html", title="Page " + EVIL)
        _, clean = render(small, tmp_path, "clean.html")
        assert len(page.scripts) == len(clean.scripts) == 3
        assert sum(t == "script" for t, _ in page.tags) == 3
        tags = {t for t, _ in page.tags}
        assert "img" not in tags and "svg" not in tags
        assert not any(k.startswith("on") for _, attrs in page.tags for k in attrs)
        assert "</script><script>alert" not in text
        assert "<img src=x" not in text and "<svg onload" not in text
        assert text.count("</script>") == 3

    def test_page_text_is_escaped(self, evil_graph, tmp_path):
        text, page = render(evil_graph, tmp_path, title="Page " + EVIL)
        h1 = re.search(r"<h1>(.*?)</h1>", text, re.S).group(1)
        assert "<" not in h1 and ">" not in h1
        assert "&lt;img src=x onerror=alert(1)&gt;" in h1 and "&amp;amp;" in h1
        assert html.unescape(h1) == "Page " + EVIL
        title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
        assert html.unescape(title) == "Page " + EVIL and "<" not in title
        legend = page.text_by_id["kg-legend"]
        assert "Method1" in legend

    def test_json_is_script_safe_and_exact(self, evil_graph, tmp_path):
        _, page = render(evil_graph, tmp_path)
        raw = page.data_json()
        assert not set(raw) & {"<", ">", "&", "\u2028", "\u2029"}
        assert "\\u003c/script\\u003e" in raw
        data = json.loads(raw)
        nodes = {n["id"]: n for n in data["nodes"]}
        paper = nodes["paper:2401.99999"]["title"]
        assert paper.startswith("Title " + EVIL + "\nid: 2401.99999 \u00b7 2024-01-01 "
                                + PAYLOADS[0] + "\n\n")
        assert paper.endswith("Abstract " + " ".join(PAYLOADS[:4]))
        method = nodes["method:evil"]
        assert method["title"] == ("Method " + EVIL + "\nMethod (proposed)\naliases: alias "
                                   + PAYLOADS[1] + "\npapers: 2")
        (shares,) = [e for e in data["edges"] if e["kind"] == ["SHARES_ENTITY"]]
        assert shares["title"].endswith(": Method " + EVIL)


@pytest.fixture(scope="module")
def big():
    G = synthetic_graph(1000, 2000)
    assert G.number_of_nodes() == 3000
    return G


class TestOverview:
    def test_cap_and_note(self, big, tmp_path):
        _, page = render(big, tmp_path)
        data = page.data()
        ids = {n["id"] for n in data["nodes"]}
        assert 0 < len(ids) <= MAX_NODES
        note = page.text_by_id["kg-note"]
        m = re.search(r"([\d,]+) of ([\d,]+) nodes", note)
        assert m and int(m.group(1).replace(",", "")) == len(ids)
        assert int(m.group(2).replace(",", "")) == 3000
        for edge in data["edges"]:
            assert edge["from"] in ids and edge["to"] in ids
            assert big.has_edge(edge["from"], edge["to"])
        legend = page.legend.values()
        assert sum(int(r["data-count"]) for r in legend) == len(ids)
        assert sum(int(r["data-total"]) for r in legend) == 3000
        legend_text = page.text_by_id["kg-legend"]
        for row in legend:
            count, total = int(row["data-count"]), int(row["data-total"])
            shown = f"{count:,}" + (f" of {total:,}" if count != total else "")
            assert f"{row['data-label']}{shown}" in legend_text
        assert any(int(r["data-count"]) < int(r["data-total"]) for r in legend)

    def test_top_entities_and_their_papers_are_drawn(self, big, tmp_path):
        _, page = render(big, tmp_path, max_nodes=200)
        ids = {n["id"] for n in page.data()["nodes"]}
        assert len(ids) == 200
        entities = [n for n, d in big.nodes(data=True) if d["label"] != "Paper"]
        top = max(entities, key=lambda n: big.in_degree(n))
        assert top in ids
        papers = [n for n in ids if big.nodes[n]["label"] == "Paper"]
        assert papers and all(any(e in ids for e in big.successors(p)) for p in papers)
        assert "200 of 3,000 nodes" in page.text_by_id["kg-note"]

    def test_shares_entity_edges_are_thinned(self, tmp_path):
        G = new_graph()
        hub = add_entity(G, "Metric", "accuracy")
        for i in range(10):
            link(G, add_paper(G, f"p{i}", f"Paper {i}"), hub)
        assert add_shares_entity(G) == 45
        _, page = render(G, tmp_path)
        shares = [e for e in page.data()["edges"] if e["kind"] == ["SHARES_ENTITY"]]
        assert SHARES_PER_PAPER <= len(shares) < 45
        per_paper = Counter(p for e in shares for p in (e["from"], e["to"]))
        assert min(per_paper.values()) >= SHARES_PER_PAPER
        assert f"{len(shares)} of 45" in page.text_by_id["kg-note-shares"]


class TestApi:
    def test_write_returns_path_and_matches_generate(self, small, tmp_path):
        target = tmp_path / "new" / "folder" / "graph.html"
        out = write_html(small, target, title="T")
        assert out == target and out.is_file()
        assert out.read_text(encoding="utf-8") == generate_html(small, title="T")
        assert [p.name for p in target.parent.iterdir()] == ["graph.html"]

    def test_deterministic(self, small):
        assert generate_html(small) == generate_html(small)

    def test_empty_graph(self, tmp_path):
        _, page = render(nx.MultiDiGraph(), tmp_path)
        assert page.data()["nodes"] == [] and page.data()["edges"] == []
        assert all(r["data-count"] == "0" for r in page.legend.values())

    def test_bad_max_nodes(self, small):
        with pytest.raises(ValueError):
            generate_html(small, max_nodes=0)

    def test_unknown_label(self, small):
        small.add_node("author:x", label="Author", name="X")
        with pytest.raises(ExportError, match="author:x"):
            generate_html(small)

    def test_unwritable_target_keeps_nothing(self, small, tmp_path):
        blocker = tmp_path / "file"
        blocker.write_text("not a folder")
        with pytest.raises(ExportError, match="cannot write"):
            write_html(small, blocker / "graph.html")
        assert blocker.read_text() == "not a folder"
