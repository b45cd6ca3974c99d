"""Tests of the ``kgraph`` command line, run in-process with click's CliRunner.

``build`` and ``extract`` run the real pipeline on a small JSON Lines file; ``papers``,
``related`` and ``stats`` read a ``graph.json`` written from the hand-built graph of
``tests/graphs.py``, so their expected output is known exactly.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphs import small_graph
from kgraph import __version__
from kgraph.cli import cli
from kgraph.export.nodelink import read_json, write_json

COMMANDS = ["build", "extract", "papers", "related", "stats"]

RECORDS = [
    {"id": "2401.00001", "title": "Residual Networks Revisited for Image Classification",
     "abstract": "We revisit ResNet-50 on ImageNet-1K and CIFAR-10 and report top-1 accuracy. "
                 "Code is available at https://github.com/example/resnet-revisited.",
     "date": "2024-01-02"},
    {"id": "2402.00002", "title": "Vision Transformers Without Tears",
     "abstract": "We compare ViT with ResNet-50 on ImageNet-1K and report top-1 accuracy and FLOPs.",
     "date": "2024-02-03"},
    {"id": "2403.00003", "title": "Detecting Objects on MS COCO with Sparse Queries",
     "abstract": "We train a detector on MS COCO and evaluate with mAP. Our method SparseQ beats DETR.",
     "date": "2024-03-04"},
    {"id": "2404.00004", "title": "Semantic Segmentation on ADE20K and COCO",
     "abstract": "We evaluate segmentation on ADE20K and COCO using mIoU with a Swin Transformer "
                 "backbone.", "date": "2024-04-05"},
    # the first paper again, read from a second listing
    {"id": "2401.00001", "title": "Residual networks revisited for image classification",
     "abstract": "We revisit ResNet-50 on ImageNet-1K and CIFAR-10.", "date": "2024-01-02"},
]
CORPUS = "".join(json.dumps(r) + "\n" for r in RECORDS)
TITLES = sorted({r["title"] for r in RECORDS[:4]})

P1_TITLE = "Deep Residual Learning for Image Recognition"
P2_TITLE = "An Image is Worth 16x16 Words: Transformers at Scale"
P3_TITLE = "Graph Attention Networks for Citation Graphs"


def run(*args, input: str | None = None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def assert_one_line_error(result, *fragments: str) -> None:
    """Exit status 1, a single ``Error: ...`` line naming every fragment, no traceback."""
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    for fragment in fragments:
        assert fragment in lines[0]
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("input") / "papers.jsonl"
    path.write_text(CORPUS, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def built(corpus, tmp_path_factory):
    """``kgraph build papers.jsonl -o OUT``, run once for the module."""
    out = tmp_path_factory.mktemp("build") / "out"
    result = run("build", corpus, "-o", out)
    return result, out


@pytest.fixture
def graph_dir(tmp_path) -> Path:
    """A folder holding the graph.json of ``graphs.small_graph()``."""
    write_json(small_graph(), tmp_path / "graph.json")
    return tmp_path


# --- the group --------------------------------------------------------------------------


def test_version_prints_name_and_version():
    result = run("--version")
    assert result.exit_code == 0, result.output
    assert result.output == f"kgraph, version {__version__}\n"


@pytest.mark.parametrize("args", [[]] + [[c] for c in COMMANDS])
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_of_every_command_exits_zero(args, flag):
    result = run(*args, flag)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: cli {' '.join(args)}".rstrip() + " ")
    if not args:
        for command in COMMANDS:
            assert command in result.output


def test_unknown_command_is_a_usage_error():
    result = run("plot")
    assert result.exit_code == 2, result.output


# --- build ------------------------------------------------------------------------------


class TestBuild:
    def test_reports_counts_and_every_output(self, built):
        result, out = built
        assert result.exit_code == 0, result.output
        assert result.output.startswith("5 records, 4 unique papers -> ")
        assert "time: ingest " in result.output
        for name in ("extractions.jsonl", "graph.json", "graph.graphml", "graph.html", "neo4j"):
            assert f"  wrote {out / name}\n" in result.output

    def test_writes_every_file(self, built):
        _, out = built
        for name in ("extractions.jsonl", "graph.json", "graph.graphml", "graph.html",
                     "neo4j/import.cypher", "neo4j/constraints.cypher", "neo4j/README.md",
                     "neo4j/nodes_Paper.csv"):
            assert (out / name).is_file(), name
            assert (out / name).stat().st_size > 0, name
        G = read_json(out)
        labels = {d["label"] for _, d in G.nodes(data=True)}
        assert labels >= {"Paper", "Dataset", "Method", "Metric"}
        for label in labels:
            assert (out / "neo4j" / f"nodes_{label}.csv").is_file(), label
        assert list((out / "neo4j").glob("rels_*.csv"))
        with (out / "neo4j" / "nodes_Paper.csv").open(newline="", encoding="utf-8") as f:
            assert len(list(csv.reader(f))) == 1 + 4

    def test_outputs_describe_the_same_papers(self, built):
        _, out = built
        lines = (out / "extractions.jsonl").read_text(encoding="utf-8").splitlines()
        assert sorted(json.loads(line)["title"] for line in lines) == TITLES
        G = read_json(out)
        assert G.graph["papers"] == 4
        assert sorted(d["title"] for _, d in G.nodes(data=True) if d["label"] == "Paper") == TITLES
        assert "<!DOCTYPE html>" in (out / "graph.html").read_text(encoding="utf-8")[:100]

    def test_query_commands_read_what_build_wrote(self, built):
        _, out = built
        result = run("stats", "--graph", out, "--json")
        assert result.exit_code == 0, result.output
        G = read_json(out)
        stats = json.loads(result.output)
        assert (stats["nodes"], stats["relationships"]) == (G.number_of_nodes(), G.number_of_edges())
        result = run("related", "2401.00001", "--graph", out)
        assert result.exit_code == 0, result.output
        assert result.output.startswith("2401.00001  Residual Networks Revisited")

    def test_reads_stdin_with_dash_and_format(self, tmp_path):
        result = run("build", "-", "--format", "jsonl", "-o", tmp_path / "out", input=CORPUS)
        assert result.exit_code == 0, result.output
        assert result.output.startswith("5 records, 4 unique papers -> ")
        sources = [json.loads(line)["sources"] for line in
                   (tmp_path / "out" / "extractions.jsonl").read_text(encoding="utf-8").splitlines()]
        assert sources[0] == ["-:1", "-:5"]
        assert all(s.startswith("-:") for group in sources for s in group)

    def test_missing_input_names_the_file(self, tmp_path):
        missing = tmp_path / "nope.jsonl"
        result = run("build", missing, "-o", tmp_path / "out")
        assert_one_line_error(result, str(missing))
        assert not (tmp_path / "out").exists()

    def test_bad_record_names_file_and_line(self, tmp_path):
        path = tmp_path / "bad.jsonl"
        path.write_text(json.dumps(RECORDS[0]) + "\n{not json\n", encoding="utf-8")
        result = run("build", path, "-o", tmp_path / "out")
        assert_one_line_error(result, f"{path}:2")

    def test_unknown_format_is_a_usage_error(self, corpus, tmp_path):
        result = run("build", corpus, "--format", "xml", "-o", tmp_path / "out")
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output

    def test_no_input_is_a_usage_error(self):
        result = run("build")
        assert result.exit_code == 2, result.output
        assert "INPUT..." in result.output

    def test_output_that_cannot_be_created_is_a_one_line_error(self, corpus, tmp_path):
        blocker = tmp_path / "a-file"
        blocker.write_text("", encoding="utf-8")
        result = run("build", corpus, "-o", blocker / "out")
        assert_one_line_error(result, str(blocker / "out"))


# --- extract ----------------------------------------------------------------------------


class TestExtract:
    def test_dash_prints_json_lines_to_stdout(self, corpus):
        result = run("extract", corpus, "-o", "-")
        assert result.exit_code == 0, result.output
        rows = [json.loads(line) for line in result.stdout.splitlines()]
        assert sorted(r["title"] for r in rows) == TITLES
        for row in rows:
            for key in ("datasets", "metrics", "methods", "tasks", "repos", "urls"):
                assert isinstance(row[key], list)
        assert result.stderr == ""

    def test_file_output_and_count_on_stderr(self, corpus, tmp_path):
        out = tmp_path / "x.jsonl"
        result = run("extract", corpus, "-o", out)
        assert result.exit_code == 0, result.output
        assert result.stdout == ""
        assert result.stderr == f"4 papers -> {out}\n"
        assert len(out.read_text(encoding="utf-8").splitlines()) == 4

    def test_reads_stdin_and_prints_to_stdout(self):
        result = run("extract", "-", "--format", "jsonl", "-o", "-", input=CORPUS)
        assert result.exit_code == 0, result.output
        rows = [json.loads(line) for line in result.stdout.splitlines()]
        assert len(rows) == 4
        assert rows[0]["sources"] == ["-:1", "-:5"]

    def test_output_is_required(self, corpus):
        result = run("extract", corpus)
        assert result.exit_code == 2, result.output
        assert "-o" in result.output

    def test_missing_input_names_the_file(self, tmp_path):
        missing = tmp_path / "nope.csv"
        result = run("extract", missing, "-o", "-")
        assert_one_line_error(result, str(missing))

    def test_output_that_cannot_be_created_is_a_one_line_error(self, corpus, tmp_path):
        blocker = tmp_path / "a-file"
        blocker.write_text("", encoding="utf-8")
        result = run("extract", corpus, "-o", blocker / "x.jsonl")
        assert_one_line_error(result)


# --- papers -----------------------------------------------------------------------------


class TestPapers:
    @pytest.mark.parametrize("name", ["ImageNet-1k", "imagenet 1K", "ImageNet"])
    def test_dataset_found_by_name_or_alias(self, graph_dir, name):
        result = run("papers", "--dataset", name, "--graph", graph_dir)
        assert result.exit_code == 0, result.output
        assert result.output == ("ImageNet-1k (dataset): 2 papers\n"
                                 f"  2401.00001  {P1_TITLE}\n"
                                 f"  2402.00002  {P2_TITLE}\n")

    @pytest.mark.parametrize("option, name, ids", [
        ("--method", "residual nets", ["2401.00001", "2402.00002"]),
        ("--method", "Vision Transformers", ["2402.00002"]),
        ("--metric", "Top-1 Accuracy", ["2401.00001", "2402.00002"]),
        ("--task", "node classification", ["t0123456789ab"]),
    ])
    def test_method_metric_and_task_options_find_papers(self, graph_dir, option, name, ids):
        result = run("papers", option, name, "--graph", graph_dir, "--json")
        assert result.exit_code == 0, result.output
        assert [p["id"] for p in json.loads(result.output)["papers"]] == ids

    def test_json_names_the_entity_and_its_papers(self, graph_dir):
        result = run("papers", "--dataset", "imagenet", "--graph", graph_dir, "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.output) == {"entity": "ImageNet-1k", "papers": [
            {"id": "2401.00001", "title": P1_TITLE}, {"id": "2402.00002", "title": P2_TITLE}]}

    def test_unknown_name_suggests_near_names(self, graph_dir):
        result = run("papers", "--dataset", "ImagNet-1k", "--graph", graph_dir)
        assert_one_line_error(result, "no dataset named 'ImagNet-1k'", "did you mean", "'ImageNet-1k'")

    def test_name_of_another_type_is_not_found(self, graph_dir):
        result = run("papers", "--method", "ImageNet-1k", "--graph", graph_dir)
        assert_one_line_error(result, "no method named 'ImageNet-1k'")

    @pytest.mark.parametrize("options", [[], ["--dataset", "ImageNet", "--method", "ViT"],
                                         ["--metric", "accuracy", "--task", "node classification"]])
    def test_zero_or_two_entity_options_is_a_usage_error(self, graph_dir, options):
        result = run("papers", *options, "--graph", graph_dir)
        assert result.exit_code == 2, result.output
        assert "give exactly one of --dataset, --method, --metric, --task" in result.output
        assert "Traceback" not in result.output


# --- related ----------------------------------------------------------------------------


class TestRelated:
    @pytest.mark.parametrize("query", ["2401.00001", "paper:2401.00001", P1_TITLE,
                                       "deep residual learning"])
    def test_finds_the_paper_by_id_node_id_or_title(self, graph_dir, query):
        result = run("related", query, "--graph", graph_dir)
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        assert lines[0] == f"2401.00001  {P1_TITLE}"
        assert lines[1] == f"  {4 * math.log(1.5):6.2f}  2402.00002  {P2_TITLE}"
        assert lines[2] == ("          shares: Dataset ImageNet-1k, Method ResNet-50, "
                            "Metric top-1 accuracy, Task image classification")
        assert len(lines) == 3

    def test_json_has_scores_and_shared_entities_with_idf(self, graph_dir):
        result = run("related", "2402.00002", "--graph", graph_dir, "--json")
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        assert data["paper"] == {"id": "2402.00002", "title": P2_TITLE}
        [other] = data["related"]
        assert (other["id"], other["title"]) == ("2401.00001", P1_TITLE)
        assert other["score"] == pytest.approx(4 * math.log(1.5))
        assert {(s["label"], s["name"]) for s in other["shared"]} == {
            ("Dataset", "ImageNet-1k"), ("Method", "ResNet-50"), ("Metric", "top-1 accuracy"),
            ("Task", "image classification")}
        assert all(s["idf"] == round(math.log(1.5), 4) for s in other["shared"])

    def test_paper_sharing_nothing_says_so(self, graph_dir):
        result = run("related", "t0123456789ab", "--graph", graph_dir)
        assert result.exit_code == 0, result.output
        assert result.output == f"t0123456789ab  {P3_TITLE}\n  no paper shares an entity with it\n"

    def test_unknown_paper_is_a_one_line_error(self, graph_dir):
        result = run("related", "Attention Is All You Need", "--graph", graph_dir)
        assert_one_line_error(result, "no paper with id or title 'Attention Is All You Need'")

    def test_top_must_be_positive(self, graph_dir):
        result = run("related", "2401.00001", "--graph", graph_dir, "--top", "0")
        assert result.exit_code == 2, result.output


# --- stats ------------------------------------------------------------------------------


class TestStats:
    def test_json_parses_with_totals(self, graph_dir):
        result = run("stats", "--graph", graph_dir, "--json")
        assert result.exit_code == 0, result.output
        s = json.loads(result.output)
        assert (s["nodes"], s["relationships"]) == (18, 20)
        assert s["labels"]["Paper"] == 3
        assert s["papers_with_code"] == 1
        assert s["top"]["Dataset"][0] == ["ImageNet-1k", 2]

    def test_text_lists_totals_labels_and_top(self, graph_dir):
        result = run("stats", "--graph", graph_dir)
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        assert lines[0] == "nodes: 18   relationships: 20"
        assert lines[1] == ("labels: Dataset 3, Method 4, Metric 2, Paper 3, Repository 1, "
                            "Task 2, Url 3")
        assert "papers with code: 1; papers without entities: 0" in lines
        assert "top Dataset: ImageNet-1k (2), CIFAR-10 (1), Cora (1)" in lines


# --- a graph folder without a build -----------------------------------------------------


@pytest.mark.parametrize("args", [["stats"], ["papers", "--dataset", "COCO"],
                                  ["related", "2401.00001"]])
def test_folder_without_a_build_is_a_clear_error(tmp_path, args):
    result = run(*args, "--graph", tmp_path)
    assert_one_line_error(result, str(tmp_path), "no graph here", f"kgraph build INPUT... -o {tmp_path}")


def test_missing_graph_folder_suggests_building_into_it(tmp_path):
    result = run("stats", "--graph", tmp_path / "nowhere")
    assert_one_line_error(result, f"-o {tmp_path / 'nowhere'}")


def test_corrupt_graph_file_is_a_clear_error(tmp_path):
    (tmp_path / "graph.json").write_text("{not json", encoding="utf-8")
    result = run("stats", "--graph", tmp_path)
    assert_one_line_error(result, "not a kgraph node-link JSON file")


def test_default_graph_folder_is_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_json(small_graph(), tmp_path / "output" / "graph.json")
    result = run("stats", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["nodes"] == 18
