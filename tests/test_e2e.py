"""End to end: the five real seed pages of ``shared/seeds/`` through ``kgraph.workflow.build``,
then every output read back with an independent reader.

The build runs once per session (the ``seed_build`` fixture of ``conftest.py``).
"""

from __future__ import annotations

import csv
import importlib.util
import json
from collections import Counter
from html.parser import HTMLParser
from itertools import combinations

import networkx as nx
import pytest
from click.testing import CliRunner

from kgraph.cli import cli
from kgraph.export.cypher import split_statements
from kgraph.export.extractions import read_extractions
from kgraph.export.neo4j_script import constraint_statements
from kgraph.graph import build_graph, find_paper, graph_stats

pytestmark = pytest.mark.slow

TECOGAN_TITLE = "Learning Temporal Coherence via Self-Supervision for GAN-based Video Generation"
TECOGAN_REPO = "https://github.com/thunil/TecoGAN"


def labelled(G, label: str) -> list[str]:
    return [n for n, d in G.nodes(data=True) if d["label"] == label]


class JsonScripts(HTMLParser):
    """The text of every ``<script type="application/json">`` element, by id."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: dict[str, str] = {}
        self._current: str | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("type") == "application/json":
            self._current = attrs.get("id") or ""
            self.blocks[self._current] = ""

    def handle_endtag(self, tag):
        if tag == "script":
            self._current = None

    def handle_data(self, data):
        if self._current is not None:
            self.blocks[self._current] += data


def test_seed_pages_give_316_papers_from_377_records(seed_build):
    report, out_dir, G = seed_build
    assert report.papers == 316
    assert report.records == 377
    assert G.graph["papers"] == 316
    assert len(labelled(G, "Paper")) == 316
    assert (report.nodes, report.relationships) == (G.number_of_nodes(), G.number_of_edges())
    assert [p.name for p in report.outputs] == ["extractions.jsonl", "graph.json", "graph.graphml",
                                                "graph.html", "neo4j", "graph.lbdb"]
    assert all(p.exists() for p in report.outputs)
    assert set(report.timings) == {"ingest", "extract", "graph", "export"}


def test_tecogan_paper_has_code_on_github(seed_build):
    G = seed_build.graph
    node = find_paper(G, TECOGAN_TITLE)
    assert G.nodes[node]["title"] == TECOGAN_TITLE
    code = [v for _, v, k in G.out_edges(node, keys=True) if k == "HAS_CODE"]
    assert [G.nodes[v]["name"] for v in code] == [TECOGAN_REPO]
    assert G.nodes[code[0]]["label"] == "Repository"


def test_datasets_of_three_or_more_papers_link_them_pairwise(seed_build):
    G = seed_build.graph
    popular = {n: sorted(G.predecessors(n)) for n in labelled(G, "Dataset")
               if G.nodes[n]["papers"] >= 3}
    assert popular, "no dataset is used by three papers"
    for dataset, papers in popular.items():
        assert len(papers) == G.nodes[dataset]["papers"]
        assert all(G.nodes[p]["label"] == "Paper" for p in papers)
        for a, b in combinations(papers, 2):
            edge = G.get_edge_data(a, b, "SHARES_ENTITY")
            assert edge is not None, (dataset, a, b)
            assert dataset in edge["shared"]
            assert edge["weight"] > 0


def test_shares_entity_edges_follow_the_schema(seed_build):
    G = seed_build.graph
    links = [(u, v, d) for u, v, k, d in G.edges(keys=True, data=True) if k == "SHARES_ENTITY"]
    assert links
    for u, v, d in links:
        assert u < v
        assert d["type"] == "SHARES_ENTITY"
        assert d["shared"] and all(s in G for s in d["shared"])


def test_html_draws_every_node(seed_build):
    _, out_dir, G = seed_build
    page = (out_dir / "graph.html").read_text(encoding="utf-8")
    blocks = JsonScripts(page).blocks
    assert len(blocks) == 1
    data = json.loads(next(iter(blocks.values())))
    assert len(data["nodes"]) == G.number_of_nodes()
    assert {n["id"] for n in data["nodes"]} == set(G)


def test_graph_json_equals_the_graph_rebuilt_from_extractions(seed_build):
    _, out_dir, G = seed_build
    extractions = list(read_extractions(out_dir / "extractions.jsonl"))
    assert len(extractions) == 316
    H = build_graph(extractions)
    assert H.graph == G.graph
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    assert ({(u, v, k): d for u, v, k, d in H.edges(keys=True, data=True)}
            == {(u, v, k): d for u, v, k, d in G.edges(keys=True, data=True)})


def test_graphml_loads_with_networkx(seed_build):
    _, out_dir, G = seed_build
    H = nx.read_graphml(out_dir / "graph.graphml", force_multigraph=True)
    assert set(H.nodes) == set(G.nodes)
    assert set(H.edges(keys=True)) == set(G.edges(keys=True))
    some_paper = labelled(G, "Paper")[0]
    assert json.loads(H.nodes[some_paper]["sources"]) == G.nodes[some_paper]["sources"]


def test_import_cypher_starts_with_the_constraints(seed_build):
    _, out_dir, G = seed_build
    statements = split_statements((out_dir / "neo4j" / "import.cypher").read_text(encoding="utf-8"))
    constraints = constraint_statements()
    assert statements[:len(constraints)] == constraints
    rest = statements[len(constraints):]
    assert rest
    assert not any("CREATE CONSTRAINT" in s for s in rest)
    assert all(s.startswith("UNWIND") for s in rest)


def test_neo4j_csv_rows_match_the_graph(seed_build):
    _, out_dir, G = seed_build
    folder = out_dir / "neo4j"
    labels = Counter(d["label"] for _, d in G.nodes(data=True))
    types = Counter(d.get("type", k) for _, _, k, d in G.edges(keys=True, data=True))
    ids: dict[str, set[str]] = {}
    node_rows, rel_rows = Counter(), Counter()
    rel_files = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as f:
            header, *rows = list(csv.reader(f))
        assert all(len(row) == len(header) for row in rows), path.name
        if path.name.startswith("nodes_"):
            label = path.name[len("nodes_"):-len(".csv")]
            assert header[0].endswith(f":ID({label})") and header[1] == ":LABEL"
            assert {row[1] for row in rows} == {label}
            ids[label] = {row[0] for row in rows}
            assert len(ids[label]) == len(rows), f"duplicate ids in {path.name}"
            node_rows[label] += len(rows)
        else:
            assert path.name.startswith("rels_"), path.name
            rel_files.append((header, rows))
            for row in rows:
                rel_rows[row[2]] += 1
    assert node_rows == labels
    assert rel_rows == types
    for header, rows in rel_files:
        start = header[0][len(":START_ID("):-1]
        end = header[1][len(":END_ID("):-1]
        assert all(row[0] in ids[start] and row[1] in ids[end] for row in rows)


def test_extractions_score_at_least_098_f1_on_repositories(seed_build, shared_dir):
    spec = importlib.util.spec_from_file_location("kgraph_gold_score", shared_dir / "eval" / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    gold = score.load(str(shared_dir / "eval" / "seed_gold.jsonl"))
    pred = score.load(str(seed_build.out_dir / "extractions.jsonl"))
    result, _ = score.score(gold, pred)
    assert result["papers"] == {"gold": 316, "covered": 316}
    assert result["repos"]["f1"] >= 0.98, result["repos"]


def test_cli_queries_answer_on_the_seed_build(seed_build):
    _, out_dir, G = seed_build
    runner = CliRunner()
    result = runner.invoke(cli, ["stats", "--graph", str(out_dir), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["nodes"] == graph_stats(G)["nodes"]
    result = runner.invoke(cli, ["related", TECOGAN_TITLE, "--graph", str(out_dir), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["paper"]["title"] == TECOGAN_TITLE
