"""Tests of the small file exports: node-link JSON (``graph.json``), GraphML
(``graph.graphml``) and ``extractions.jsonl``.

Every file is read back with an independent reader (networkx, the json module, the gold
scorer's loader) and compared with what was written; failed writes must leave the
previous file as it was.
"""

from __future__ import annotations

import datetime
import importlib.util
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from graphs import small_graph
from kgraph.errors import GraphNotFoundError, InputError, KgraphError
from kgraph.export.extractions import dump_extractions, read_extractions, write_extractions
from kgraph.export.graphml import generate_graphml, to_graphml_graph, write_graphml
from kgraph.export.nodelink import NODE_KEY, generate_json, read_json, write_json
from kgraph.graph import build_graph
from kgraph.model import Entity, EntityType, Mention, Paper, PaperExtraction, Source

P1, P3 = "paper:2401.00001", "paper:t0123456789ab"
GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"


def edges(G) -> dict[tuple, dict]:
    return {(u, v, k): d for u, v, k, d in G.edges(keys=True, data=True)}


def assert_same_graph(H, G) -> None:
    assert H.is_directed() and H.is_multigraph()
    assert H.graph == G.graph
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    assert edges(H) == edges(G)


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def extraction(pid: str, title: str, abstract: str, entities: list[tuple[EntityType, str, str]],
               **fields) -> PaperExtraction:
    """A paper whose entities are found in its text, with correct mention offsets."""
    p = Paper(pid, title, abstract, **fields)
    text = p.text
    found = []
    for etype, name, surface in entities:
        start = text.index(surface)
        sentence = 0 if start < p.abstract_offset else 1
        key = name.lower() if etype in (EntityType.REPOSITORY, EntityType.URL) else name.lower().replace("-", "")
        found.append(Entity(etype, name, key, [surface],
                            [Mention(surface, start, start + len(surface), sentence, "test")],
                            proposed=etype is EntityType.METHOD and name == "TecoGAN"))
    return PaperExtraction(p, found)


def two_extractions() -> list[PaperExtraction]:
    return [
        extraction(
            "tc52cae7d7519",
            "Learning Temporal Coherence via Self-Supervision for GAN-based Video Generation",
            "We propose TecoGAN for video super-resolution and report PSNR on Vid4 with the "
            "Fréchet Inception Distance. Code: https://github.com/thunil/TecoGAN",
            [(EntityType.DATASET, "Vid4", "Vid4"), (EntityType.METHOD, "TecoGAN", "TecoGAN"),
             (EntityType.METHOD, "GAN", "GAN"), (EntityType.METRIC, "PSNR", "PSNR"),
             (EntityType.METRIC, "FID", "Fréchet Inception Distance"),
             (EntityType.TASK, "video super-resolution", "video super-resolution"),
             (EntityType.REPOSITORY, "https://github.com/thunil/TecoGAN",
              "https://github.com/thunil/TecoGAN")],
            date="Mar 14", sources=[Source("seeds/000.txt", 11), Source("seeds/002.txt", 43)]),
        extraction(
            "2503.11731", "Sparse Experts", "We evaluate on Vid4 with PSNR; see https://example.org/se.",
            [(EntityType.DATASET, "Vid4", "Vid4"), (EntityType.METRIC, "PSNR", "PSNR"),
             (EntityType.URL, "https://example.org/se", "https://example.org/se")],
            url="https://arxiv.org/abs/2503.11731", authors=["Ada Lovelace"], categories=["cs.LG"]),
    ]


# --- graph.json -------------------------------------------------------------------------


class TestNodeLinkJson:
    def test_small_graph_round_trips(self, tmp_path):
        G = small_graph()
        assert write_json(G, tmp_path / "graph.json") == tmp_path / "graph.json"
        assert_same_graph(read_json(tmp_path / "graph.json"), G)

    def test_built_graph_round_trips_from_its_folder(self, tmp_path):
        G = build_graph(two_extractions() + [PaperExtraction(Paper("t0", "Unrelated", ""))])
        write_json(G, tmp_path / "graph.json")
        H = read_json(tmp_path)
        assert_same_graph(H, G)
        assert H.edges["paper:2503.11731", "paper:tc52cae7d7519", "SHARES_ENTITY"]["shared"] == [
            "dataset:vid4", "metric:psnr"]

    def test_paper_id_attribute_is_kept_apart_from_the_node_id(self, tmp_path):
        write_json(small_graph(), tmp_path / "graph.json")
        data = json.loads((tmp_path / "graph.json").read_text(encoding="utf-8"))
        nodes = {n[NODE_KEY]: n for n in data["nodes"]}
        assert nodes[P1]["id"] == "2401.00001"
        assert read_json(tmp_path / "graph.json").nodes[P1]["id"] == "2401.00001"
        assert {"directed": True, "multigraph": True}.items() <= data.items()
        assert {(e["source"], e["target"], e["key"]) for e in data["edges"]} == set(edges(small_graph()))

    def test_non_ascii_text_is_written_as_is(self, tmp_path):
        write_json(build_graph(two_extractions()), tmp_path / "graph.json")
        assert "Fréchet Inception Distance" in (tmp_path / "graph.json").read_text(encoding="utf-8")

    def test_generate_json_is_deterministic_and_what_is_written(self, tmp_path):
        G = small_graph()
        write_json(G, tmp_path / "graph.json")
        assert generate_json(G) == generate_json(small_graph())
        assert (tmp_path / "graph.json").read_text(encoding="utf-8") == generate_json(G)
        assert json.loads(generate_json(G, indent=2)) == json.loads(generate_json(G))

    def test_written_text_is_json_dumps_of_node_link_data(self, tmp_path, monkeypatch):
        # graph.json is encoded a run of nodes or edges at a time: runs of 2 here
        monkeypatch.setattr("kgraph.export.nodelink._RUN", 2)
        G = small_graph()
        write_json(G, tmp_path / "graph.json")
        expected = json.dumps(nx.node_link_data(G, edges="edges", nodes="nodes",
                                                name=NODE_KEY), ensure_ascii=False)
        assert (tmp_path / "graph.json").read_text(encoding="utf-8") == expected

    def test_missing_file_is_graph_not_found(self, tmp_path):
        with pytest.raises(GraphNotFoundError, match="kgraph build") as info:
            read_json(tmp_path)
        assert str(tmp_path / "graph.json") in str(info.value)

    @pytest.mark.parametrize("text", [
        "not json",
        '{"nodes": [{"label": "Paper"}]}',
        "[1, 2]",
    ])
    def test_other_files_are_refused(self, tmp_path, text):
        (tmp_path / "graph.json").write_text(text, encoding="utf-8")
        with pytest.raises(KgraphError, match="not a kgraph node-link JSON file"):
            read_json(tmp_path / "graph.json")

    def test_failed_write_keeps_the_previous_file(self, tmp_path):
        path = tmp_path / "graph.json"
        write_json(small_graph(), path)
        before = path.read_bytes()
        G = small_graph()
        G.nodes[P3]["oops"] = {"a set", "json cannot write"}
        with pytest.raises(TypeError):
            write_json(G, path)
        assert path.read_bytes() == before
        assert listing(tmp_path) == ["graph.json"]


# --- graph.graphml ----------------------------------------------------------------------


class TestGraphML:
    def test_parses_back_with_networkx(self, tmp_path):
        G = small_graph()
        write_graphml(G, tmp_path / "graph.graphml")
        H = nx.read_graphml(tmp_path / "graph.graphml", force_multigraph=True)
        assert isinstance(H, nx.MultiDiGraph)
        assert set(H.nodes) == set(G.nodes)
        assert set(edges(H)) == set(edges(G))
        assert {k: H.graph[k] for k in ("name", "kgraph_version", "papers")} == G.graph

    def test_lists_are_json_strings_and_scalars_keep_their_type(self, tmp_path):
        G = small_graph()
        write_graphml(G, tmp_path / "graph.graphml")
        H = nx.read_graphml(tmp_path / "graph.graphml", force_multigraph=True)
        p1 = H.nodes[P1]
        for attr in ("authors", "categories", "sources"):
            assert isinstance(p1[attr], str)
            assert json.loads(p1[attr]) == G.nodes[P1][attr]
        assert json.loads(H.nodes["dataset:imagenet 1k"]["aliases"]) == ["ImageNet-1k", "ImageNet"]
        assert H.nodes["dataset:imagenet 1k"]["papers"] == 2
        assert p1["id"] == "2401.00001"
        uses = H.edges[P1, "method:resnet 50", "PROPOSES"]
        assert (uses["count"], json.loads(uses["aliases"]), uses["sentence"]) == (2, ["residual nets"], 3)
        link = H.edges[P1, "paper:2402.00002", "SHARES_ENTITY"]
        assert json.loads(link["shared"]) == G.edges[P1, "paper:2402.00002", "SHARES_ENTITY"]["shared"]
        assert link["weight"] == pytest.approx(G.edges[P1, "paper:2402.00002", "SHARES_ENTITY"]["weight"])

    def test_none_values_are_left_out(self, tmp_path):
        write_graphml(small_graph(), tmp_path / "graph.graphml")
        H = nx.read_graphml(tmp_path / "graph.graphml", force_multigraph=True)
        assert "url" not in H.nodes[P3] and "date" not in H.nodes[P3]
        assert H.nodes[P1]["url"] == "https://arxiv.org/abs/2401.00001"

    def test_conversion_leaves_the_graph_alone(self):
        G = small_graph()
        H = to_graphml_graph(G)
        assert G.nodes[P1]["authors"] == ["K. He", "X. Zhang"]
        assert H.nodes[P1]["authors"] == '["K. He", "X. Zhang"]'
        assert_same_graph(G, small_graph())

    def test_generated_text_parses(self):
        H = nx.parse_graphml(generate_graphml(small_graph()), force_multigraph=True)
        assert H.number_of_nodes() == 18 and H.number_of_edges() == 20

    def test_non_ascii_survives(self, tmp_path):
        write_graphml(build_graph(two_extractions()), tmp_path / "graph.graphml")
        H = nx.read_graphml(tmp_path / "graph.graphml", force_multigraph=True)
        assert "Fréchet Inception Distance" in json.loads(H.nodes["metric:fid"]["aliases"])

    def test_key_ids_are_unique(self, tmp_path):
        write_graphml(small_graph(), tmp_path / "graph.graphml")
        root = ET.parse(tmp_path / "graph.graphml").getroot()
        ids = [k.get("id") for k in root.iter(f"{GRAPHML_NS}key")]
        assert len(ids) == len(set(ids))

    def test_written_bytes_are_networkx_s_for_awkward_values(self, tmp_path):
        # Attribute dicts of one shape share a template; empty strings, None, booleans,
        # numpy scalars, tuples, dicts, markup and non-string keys take other paths.
        import numpy as np

        G = nx.MultiDiGraph(name="x", papers=3)
        G.add_node('a&<b>"', label="P", t="", flag=True, w=np.float64(0.5),
                   i=np.int64(3), d={"k": [1, 2]}, tp=("x", "y"))
        G.add_node(1, label="", name=None, lst=['é"<', "a&b"])
        G.add_node("c", label="P", t="x", flag=False, w=1.5)
        G.add_node("d", label="P", t="", flag=True, w=2.5)  # c's shape, an empty value
        G.add_edge('a&<b>"', 1, key="K\n1", text="", v=2)
        G.add_edge(1, "c", key=2, text="hi", v=None, lst=[])
        G.add_edge(1, "c", key="2", text="yo", v=3)
        G.add_edge("c", "c")
        write_graphml(G, tmp_path / "graph.graphml")
        nx.write_graphml(to_graphml_graph(G), tmp_path / "networkx.graphml")
        assert (tmp_path / "graph.graphml").read_bytes() == \
            (tmp_path / "networkx.graphml").read_bytes()

    def test_failed_write_keeps_the_previous_file(self, tmp_path):
        path = tmp_path / "graph.graphml"
        write_graphml(small_graph(), path)
        before = path.read_bytes()
        G = small_graph()
        G.nodes[P3]["oops"] = {"a set"}
        with pytest.raises(Exception):
            write_graphml(G, path)
        assert path.read_bytes() == before
        assert listing(tmp_path) == ["graph.graphml"]


# --- extractions.jsonl ------------------------------------------------------------------


def load_scorer(shared_dir: Path):
    spec = importlib.util.spec_from_file_location("kgraph_gold_score", shared_dir / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestExtractionsJsonl:
    def test_round_trips(self, tmp_path):
        exs = two_extractions()
        assert write_extractions(exs, tmp_path / "extractions.jsonl") == 2
        assert list(read_extractions(tmp_path / "extractions.jsonl")) == exs

    def test_each_line_has_the_title_and_a_list_per_type(self, tmp_path):
        write_extractions(two_extractions(), tmp_path / "extractions.jsonl")
        lines = (tmp_path / "extractions.jsonl").read_text(encoding="utf-8").splitlines()
        assert len(lines) == 2
        for line in lines:
            obj = json.loads(line)
            assert isinstance(obj["title"], str)
            for key in ("datasets", "metrics", "methods", "tasks", "repos", "urls"):
                assert isinstance(obj[key], list)
        first = json.loads(lines[0])
        assert first["repos"][0]["url"] == "https://github.com/thunil/TecoGAN"
        assert first["sources"] == ["seeds/000.txt:11", "seeds/002.txt:43"]
        assert [m["name"] for m in first["methods"] if m["proposed"]] == ["TecoGAN"]
        mention = first["metrics"][1]["mentions"][0]
        text = first["title"] + "\n\n" + first["abstract"]
        assert text[mention["start"]:mention["end"]] == mention["text"] == "Fréchet Inception Distance"

    def test_gold_scorer_loads_and_scores_it(self, tmp_path, shared_dir):
        score = load_scorer(shared_dir)
        write_extractions(two_extractions(), tmp_path / "pred.jsonl")
        gold = tmp_path / "gold.jsonl"
        gold.write_text("\n".join(json.dumps(g) for g in [
            {"title": "Learning Temporal Coherence via Self-Supervision for GAN-based Video Generation",
             "datasets": [{"name": "Vid4"}],
             "metrics": [{"name": "PSNR"}, {"name": "FID", "aliases": ["Fréchet Inception Distance"]}],
             "methods": [{"name": "TecoGAN", "proposed": True}, {"name": "GAN"}],
             "tasks": [{"name": "video super-resolution"}],
             "repos": ["https://github.com/thunil/TecoGAN"]},
            {"title": "Sparse Experts", "datasets": [{"name": "Vid4"}], "metrics": [{"name": "PSNR"}],
             "methods": [], "tasks": [], "repos": []},
        ]), encoding="utf-8")
        pred = score.load(str(tmp_path / "pred.jsonl"))
        assert len(pred) == 2
        result, _ = score.score(score.load(str(gold)), pred)
        assert result["papers"] == {"gold": 2, "covered": 2}
        for key in ("datasets", "metrics", "methods", "tasks", "repos", "proposed_methods"):
            assert result[key]["f1"] == 1.0, key

    def test_dash_writes_to_standard_output(self, capsys):
        assert write_extractions(two_extractions(), "-") == 2
        lines = capsys.readouterr().out.splitlines()
        assert [json.loads(line)["id"] for line in lines] == ["tc52cae7d7519", "2503.11731"]

    def test_dump_writes_one_line_per_paper(self, tmp_path):
        with open(tmp_path / "x.jsonl", "w", encoding="utf-8") as f:
            assert dump_extractions(two_extractions(), f) == 2
        assert list(read_extractions(tmp_path / "x.jsonl")) == two_extractions()

    def test_bad_line_names_file_and_line(self, tmp_path):
        path = tmp_path / "extractions.jsonl"
        write_extractions(two_extractions()[:1], path)
        with path.open("a", encoding="utf-8") as f:
            f.write("\n{\"title\": \"no id\"\n")
        with pytest.raises(InputError) as info:
            list(read_extractions(path))
        assert (info.value.path, info.value.line) == (str(path), 3)

    def test_failed_write_keeps_the_previous_file(self, tmp_path):
        path = tmp_path / "extractions.jsonl"
        write_extractions(two_extractions(), path)
        before = path.read_bytes()
        good, bad = two_extractions()
        bad.paper.date = datetime.date(2025, 3, 14)   # json cannot write a date
        with pytest.raises(TypeError):
            write_extractions([good, bad], path)
        assert path.read_bytes() == before
        assert listing(tmp_path) == ["extractions.jsonl"]
