"""Focused views (kgraph.graph.views) and the `kgraph view` command, on the seed graph."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from kgraph.cli import cli
from kgraph.errors import NotFoundError
from kgraph.graph import find_entity, find_paper
from kgraph.graph.views import focus_entity, focus_paper, top_overview
from kgraph.model import PAPER_LABEL

TECOGAN = "Learning Temporal Coherence via Self-Supervision for GAN-based Video Generation"


def _papers(H):
    return {n for n, d in H.nodes(data=True) if d.get("label") == PAPER_LABEL}


def test_focus_entity_holds_the_entity_and_every_paper_using_it(seed_build):
    G = seed_build.graph
    node = find_entity(G, "COCO", "dataset")
    H = focus_entity(G, "ms-coco", "dataset")
    users = {u for u in G.predecessors(node) if G.nodes[u]["label"] == PAPER_LABEL}
    assert node in H
    assert _papers(H) == users
    # every other entity kept is shared by at least two of those papers
    for n, d in H.nodes(data=True):
        if n != node and d["label"] != PAPER_LABEL:
            assert len(set(H.predecessors(n)) & users) >= 2


def test_focus_entity_unknown_name_suggests(seed_build):
    with pytest.raises(NotFoundError) as err:
        focus_entity(seed_build.graph, "imagnet", "dataset")
    assert "ImageNet" in err.value.suggestions


def test_focus_paper_holds_its_entities_and_related_papers(seed_build):
    G = seed_build.graph
    node = find_paper(G, TECOGAN)
    H = focus_paper(G, TECOGAN, related=3)
    assert set(G.successors(node)) - {n for n in G.successors(node)
                                      if G.nodes[n]["label"] == PAPER_LABEL} <= set(H)
    assert "repository:github.com/thunil/tecogan" in H
    assert 1 < len(_papers(H)) <= 4


def test_top_overview_caps_the_node_count(seed_build):
    H = top_overview(seed_build.graph, 120)
    assert 0 < H.number_of_nodes() <= 120
    with pytest.raises(ValueError):
        top_overview(seed_build.graph, 0)


def _embedded_nodes(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S)
    for block in blocks:
        data = json.loads(block)
        if isinstance(data, dict) and "nodes" in data:
            return data["nodes"]
    raise AssertionError("no node data in the page")


def test_view_command_writes_a_focused_page(seed_build, tmp_path):
    out = tmp_path / "coco.html"
    result = CliRunner().invoke(cli, ["view", "--graph", str(seed_build.out_dir),
                                      "--dataset", "COCO", "-o", str(out)])
    assert result.exit_code == 0, result.output
    expected = focus_entity(seed_build.graph, "COCO", "dataset")
    assert len(_embedded_nodes(out.read_text(encoding="utf-8"))) == expected.number_of_nodes()


def test_view_command_unknown_paper_is_a_one_line_error(seed_build, tmp_path):
    result = CliRunner().invoke(cli, ["view", "--graph", str(seed_build.out_dir),
                                      "--paper", "no such paper at all", "-o",
                                      str(tmp_path / "x.html")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()


@pytest.mark.slow
def test_build_of_a_big_input_draws_an_overview_and_says_how_to_focus(shared_dir, tmp_path):
    import gzip

    from kgraph.export.html import MAX_NODES

    src = tmp_path / "corpus.jsonl"
    with gzip.open(shared_dir / "corpus" / "arxiv_cs_abstracts.jsonl.gz", "rt",
                   encoding="utf-8") as f, open(src, "w", encoding="utf-8") as out:
        for _, line in zip(range(700), f):
            out.write(line)
    result = CliRunner().invoke(cli, ["build", str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    graph = json.loads((tmp_path / "out" / "graph.json").read_text(encoding="utf-8"))
    assert len(graph["nodes"]) > MAX_NODES
    assert "graph.html is an overview" in result.output and "kgraph view" in result.output
    drawn = _embedded_nodes((tmp_path / "out" / "graph.html").read_text(encoding="utf-8"))
    assert len(drawn) <= MAX_NODES
