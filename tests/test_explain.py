"""``kgraph extract --explain``, run through the CLI (click's CliRunner, real pipeline),
and the provenance labels of :mod:`kgraph.extract.explain`."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.cli import cli
from kgraph.extract.explain import explain_extraction, rule_label
from kgraph.model import Entity, EntityType, Mention, Paper, PaperExtraction, Result

RECORDS = [
    {"id": "2401.00001", "title": "SMNet: Spectral Mixing for Video Prediction",
     "abstract": "We propose a spectral mixing network (SMNet) for video prediction. We "
                 "evaluate SMNet on the Vid4 dataset and on the new Zorblax-7 dataset, where "
                 "SMNet reaches a PSNR of 27.3 dB. Code: https://github.com/x/smnet"},
    {"id": "2401.00002", "title": "A study of detectors",
     "abstract": "We train DiST on MS COCO and report 45.1 box AP."},
]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("explain")
    papers = folder / "papers.jsonl"
    papers.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    lexicon = folder / "lex.tsv"
    lexicon.write_text("name\ttype\taliases\nDiST\tmethod\tdual-encoder network\n",
                       encoding="utf-8")
    return papers, lexicon


@pytest.fixture(scope="module")
def explained(inputs) -> str:
    papers, lexicon = inputs
    result = run("extract", papers, "--explain", "--lexicon", lexicon)
    assert result.exit_code == 0, result.output
    return result.stdout


def gazetteer_line(file: str, name: str) -> int:
    text = (resources.files("kgraph") / "data" / "gazetteer" / file).read_text("utf-8")
    return next(i for i, line in enumerate(text.splitlines(), 1)
                if line.split("\t")[0] == name)


def block(text: str, paper_id: str) -> list[str]:
    blocks = text.strip().split("\n\n")
    (found,) = [b for b in blocks if b.startswith(f"== {paper_id}:")]
    return found.splitlines()


class TestCli:
    def test_one_block_per_paper_with_its_title(self, explained):
        headers = [line for line in explained.splitlines() if line.startswith("== ")]
        assert headers == ["== 2401.00001: SMNet: Spectral Mixing for Video Prediction",
                           "== 2401.00002: A study of detectors"]

    def test_entity_lines_give_type_name_key_and_proposed(self, explained):
        lines = block(explained, "2401.00001")
        assert "  method SMNet (key smnet; proposed; aliases spectral mixing network)" in lines
        assert "  dataset Vid4 (key vid4)" in lines
        assert "  metric PSNR (key psnr)" in lines
        assert "  dataset COCO (key coco; aliases MS COCO)" in block(explained, "2401.00002")

    def test_each_mention_names_its_rule_or_lexicon_entry(self, explained):
        lines = block(explained, "2401.00001")
        text = RECORDS[0]["title"] + "\n\n" + RECORDS[0]["abstract"]
        vid4 = text.index("Vid4")
        assert (f"    - 'Vid4' sentence 2, chars {vid4}-{vid4 + 4}: "
                f"gazetteer:datasets.tsv:Vid4 (line {gazetteer_line('datasets.tsv', 'Vid4')})"
                ) in lines
        assert "    - 'SMNet' sentence 0, chars 0-5: title-prefix" in lines
        assert any(line.endswith("'spectral mixing network' sentence 1, chars 58-81: "
                                 "abbreviation:Schwartz-Hearst") for line in lines)
        assert any(re.fullmatch(r"    - 'Zorblax-7' sentence 2, chars \d+-\d+: "
                                r"pattern:dataset_cue", line) for line in lines)
        assert any(line.endswith(": propagated") for line in lines)
        assert any(line.endswith(": url") for line in lines)
        # every mention line of the block names a rule
        mentions = [line for line in lines if line.startswith("    - '")]
        assert mentions and all(re.search(r"chars \d+-\d+: \S", line) for line in mentions)

    def test_alias_from_a_gazetteer_entry_and_a_user_lexicon(self, explained):
        lines = block(explained, "2401.00002")
        coco = gazetteer_line("datasets.tsv", "COCO")
        assert f"    - 'MS COCO' sentence 1, chars 39-46: gazetteer:datasets.tsv:COCO " \
               f"(line {coco})" in lines
        assert "    - 'DiST' sentence 1, chars 31-35: lexicon:lex.tsv:DiST (line 2)" in lines

    def test_results_are_listed_with_their_span(self, explained):
        lines = block(explained, "2401.00002")
        assert "  result '45.1' = 45.1, absolute: metric box AP, dataset COCO, method DiST" \
            in lines
        assert "    - sentence 1, chars 58-62: metric_after" in lines

    def test_output_file_is_still_written(self, inputs, explained, tmp_path):
        papers, lexicon = inputs
        out = tmp_path / "x.jsonl"
        result = run("extract", papers, "--explain", "--lexicon", lexicon, "-o", out)
        assert result.exit_code == 0, result.output
        assert result.stdout == explained
        assert result.stderr == f"2 papers -> {out}\n"
        plain = tmp_path / "plain.jsonl"
        assert run("extract", papers, "--lexicon", lexicon, "-o", plain).exit_code == 0
        assert out.read_text(encoding="utf-8") == plain.read_text(encoding="utf-8")

    def test_explain_to_stdout_with_dash_output_is_a_usage_error(self, inputs):
        result = run("extract", inputs[0], "--explain", "-o", "-")
        assert result.exit_code == 2
        assert "--explain prints to standard output" in result.output

    def test_bad_lexicon_is_a_one_line_error(self, inputs, tmp_path):
        bad = tmp_path / "bad.tsv"
        bad.write_text("name\ttype\nX\tgadget\n", encoding="utf-8")
        result = run("extract", inputs[0], "--explain", "--lexicon", bad)
        assert result.exit_code == 1
        assert result.output.strip().splitlines() == [
            f"Error: {bad}:2: unknown entity type 'gadget'; expected one of dataset, method, "
            "metric, task"]


class TestLabels:
    @pytest.mark.parametrize("rule, expected", [
        ("gazetteer:gazetteer/datasets.tsv:15", "gazetteer:datasets.tsv:ImageNet-1K (line 15)"),
        ("gazetteer:/tmp/a b/lex.jsonl:3", "lexicon:lex.jsonl:ImageNet-1K (line 3)"),
        ("abbreviation", "abbreviation:Schwartz-Hearst"),
        ("pattern:on_the_X_dataset", "pattern:on_the_X_dataset"),
        ("title:title_prefix", "title-prefix"),
        ("propagated", "propagated"),
        ("url", "url"),
        ("unknown", "unknown"),
    ])
    def test_rule_label(self, rule, expected):
        assert rule_label(rule, name="ImageNet-1K") == expected

    def test_empty_extraction(self):
        text = explain_extraction(PaperExtraction(Paper("p", "T", "Nothing here.")))
        assert text == "== p: T\n  (nothing extracted)"

    def test_result_without_metric_or_dataset(self):
        ex = PaperExtraction(Paper("p", "T", "It is 3.2x faster."), [
            Entity(EntityType.METHOD, "X", "x", ["X"], [Mention("X", 0, 1, 0, "pattern:p")])],
            [Result(3.2, "x", "improvement", None, None, None, "3.2x", 9, 13, 1)])
        assert explain_extraction(ex).splitlines()[-2:] == [
            "  result '3.2x' = 3.2 x, improvement: no metric, no dataset, no method",
            "    - sentence 1, chars 9-13: no_metric"]
