"""Incremental builds (``kgraph build --update``, :func:`kgraph.workflow.update`): only
papers whose text was not extracted before are extracted, and the result is what a
full rebuild over all the inputs writes, byte for byte.

The reference full build is the session's build of the five seed pages (the
``seed_build`` fixture); the update starts from a build of the first three.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.cli import cli
from kgraph.errors import GraphNotFoundError, InputError
from kgraph.incremental import STATE_FILE, content_hash, read_state
from kgraph.model import Paper
from kgraph.workflow import build, update
from outputs import assert_same_build

RECORDS = [
    {"id": "2401.00001", "title": "Residual Networks Revisited",
     "abstract": "We revisit ResNet-50 on ImageNet-1K and report top-1 accuracy."},
    {"id": "2402.00002", "title": "Vision Transformers Without Tears",
     "abstract": "We compare ViT with ResNet-50 on ImageNet-1K."},
    {"id": "2403.00003", "title": "Sparse Queries for Detection",
     "abstract": "We train a detector on MS COCO and evaluate with mAP."},
]
LATER = [
    # the first paper again, with a longer abstract: its text changes
    {"id": "2401.00001", "title": "Residual networks revisited",
     "abstract": "We revisit ResNet-50 on ImageNet-1K and CIFAR-10 and report top-1 "
                 "accuracy and FLOPs."},
    # the second paper again, word for word: nothing to extract
    RECORDS[1],
    {"id": "2404.00004", "title": "Segmentation on ADE20K",
     "abstract": "We evaluate segmentation on ADE20K using mIoU."},
]


def jsonl(path: Path, records: list[dict]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


def extracted_texts(out_dir: Path) -> set[str]:
    lines = (out_dir / "extractions.jsonl").read_text(encoding="utf-8").splitlines()
    return {content_hash(Paper.from_dict(json.loads(line))) for line in lines}


def test_update_of_three_seed_pages_with_two_equals_the_full_build(seed_build, tmp_path):
    pages = json.loads((seed_build.out_dir / STATE_FILE).read_text(encoding="utf-8")
                       .splitlines()[0])["inputs"]
    assert len(pages) == 5
    out = tmp_path / "out"
    build(pages[:3], out, jobs=1)
    before = extracted_texts(out)
    report = update(out, pages[3:], jobs=1)
    assert report.papers == seed_build.report.papers == 316
    assert report.records == seed_build.report.records == 377
    # exactly the texts the first build had not extracted
    assert report.extracted == len(extracted_texts(seed_build.out_dir) - before) > 0
    assert_same_build(out, seed_build.out_dir)


def test_changed_text_is_extracted_again_and_equals_a_rebuild(tmp_path):
    a, b = jsonl(tmp_path / "a.jsonl", RECORDS), jsonl(tmp_path / "b.jsonl", LATER)
    build([a], tmp_path / "inc", jobs=1)
    report = update(tmp_path / "inc", [b], jobs=1)
    # the new paper and the paper whose merged abstract grew; not the repeated one
    assert (report.papers, report.records, report.extracted) == (4, 6, 2)
    build([a, b], tmp_path / "full", jobs=1)
    assert_same_build(tmp_path / "inc", tmp_path / "full")
    first = json.loads((tmp_path / "inc" / "extractions.jsonl").read_text(
        encoding="utf-8").splitlines()[0])
    assert first["sources"] == [f"{a}:1", f"{b}:1"]
    assert "CIFAR-10" in [d["name"] for d in first["datasets"]]


def test_updating_again_with_the_same_file_extracts_nothing(tmp_path):
    a, b = jsonl(tmp_path / "a.jsonl", RECORDS), jsonl(tmp_path / "b.jsonl", LATER)
    build([a, b], tmp_path / "out", jobs=1)
    before = (tmp_path / "out" / "graph.json").read_bytes()
    report = update(tmp_path / "out", [b], jobs=1)
    assert report.extracted == 0
    assert report.engine == "none (nothing new to extract)"
    assert (tmp_path / "out" / "graph.json").read_bytes() == before  # same papers, sources


def test_other_lexicons_mean_extracting_everything_again(tmp_path):
    a, b = jsonl(tmp_path / "a.jsonl", RECORDS), jsonl(tmp_path / "b.jsonl", LATER)
    lexicon = tmp_path / "lex.tsv"
    lexicon.write_text("name\ttype\taliases\nSparse Queries\tmethod\t\n", encoding="utf-8")
    build([a], tmp_path / "out", jobs=1)
    report = update(tmp_path / "out", [b], lexicons=[str(lexicon)], jobs=1)
    assert report.extracted == report.papers == 4
    assert any("other lexicons" in note for note in report.notes)


def test_state_round_trip(tmp_path):
    a = jsonl(tmp_path / "a.jsonl", RECORDS + LATER)
    build([a], tmp_path / "out", jobs=1)
    state = read_state(tmp_path / "out")
    assert state.inputs == [a]
    assert [(r.id, r.sources[0].line) for r in state.records] == [
        ("2401.00001", 1), ("2402.00002", 2), ("2403.00003", 3), ("2401.00001", 4),
        ("2402.00002", 5), ("2404.00004", 6)]
    assert [r.abstract for r in state.records] == [r["abstract"] for r in RECORDS + LATER]
    assert len(state.entities) == 4


def test_no_previous_build_is_a_clear_error(tmp_path):
    with pytest.raises(GraphNotFoundError, match="no previous build to update"):
        update(tmp_path / "nothing", [jsonl(tmp_path / "a.jsonl", RECORDS)])


def test_edited_extractions_are_refused(tmp_path):
    a = jsonl(tmp_path / "a.jsonl", RECORDS)
    build([a], tmp_path / "out", jobs=1)
    path = tmp_path / "out" / "extractions.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    edited = json.loads(lines[1])
    edited["abstract"] += " Edited."
    lines[1] = json.dumps(edited)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        update(tmp_path / "out", [a])
    message = str(err.value)
    assert message.startswith(f"{tmp_path / 'out' / STATE_FILE}:3: ")
    assert "2402.00002" in message and "rebuild without --update" in message


def test_cli_update(tmp_path):
    a, b = jsonl(tmp_path / "a.jsonl", RECORDS), jsonl(tmp_path / "b.jsonl", LATER)
    runner = CliRunner()
    result = runner.invoke(cli, ["build", a, "-o", str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["build", "--update", str(tmp_path / "out"), b])
    assert result.exit_code == 0, result.output
    assert "extracted 2 papers (local, 1 worker), reused 2 from the previous build" \
        in result.output
    result = runner.invoke(cli, ["build", "--update", str(tmp_path / "out"), b,
                                 "-o", str(tmp_path / "elsewhere")])
    assert result.exit_code == 2, result.output
    result = runner.invoke(cli, ["build", "--update", str(tmp_path / "none"), b])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: ") and len(result.output.splitlines()) == 1
