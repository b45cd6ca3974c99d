"""The scale benchmark (``benchmarks/run.py``) as a smoke test on a few hundred real
abstracts, and the fast lookup behind ``kgraph papers`` that it times.

The benchmark itself runs on the whole corpus by hand (``python benchmarks/run.py``,
results in ``BENCHMARKS.md``); here it runs end to end on a small slice, so a change
that breaks it (or the report format it parses) fails CI. No timing is asserted.
"""

from __future__ import annotations

import gzip
import itertools
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kgraph.errors import NotFoundError
from kgraph.workflow import _papers_from_graph, find_papers

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_suite_runs_on_a_few_hundred_abstracts(shared_dir, tmp_path):
    corpus = shared_dir / "corpus" / "arxiv_cs_abstracts.jsonl.gz"
    small = tmp_path / "small.jsonl.gz"
    with gzip.open(corpus, "rt", encoding="utf-8") as src, \
            gzip.open(small, "wt", encoding="utf-8") as dst:
        dst.writelines(itertools.islice(src, 300))
    report = tmp_path / "BENCHMARKS.md"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--corpus", str(small),
         "--sizes", "120,all", "--jobs", "1", "--runs", "3", "--output", str(report)],
        capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr
    text = report.read_text(encoding="utf-8")
    assert re.search(r"Machine: \*\*\d+ CPU cores\*\*", text)
    rows = re.findall(r"^\| (120|300) \| (\d+) \| ([\d,]+) \| ([\d,]+) \| ([\d.]+) \| ([\d,]+) "
                      r"\| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) GiB "
                      r"\| ([\d.]+) GiB \| local, 1 worker \|$", text, re.M)
    assert [r[0] for r in rows] == ["120", "300"], text
    for row in rows:
        size, papers = int(row[0]), int(row[1])
        assert 0 < papers <= size
        wall, stages = float(row[4]), [float(x) for x in row[6:10]]
        assert wall > 0 and all(s >= 0 for s in stages) and sum(stages) <= wall
        assert 0 < float(row[10]) <= float(row[11])  # largest process <= all processes
    ratios = re.findall(r"^\| (120|300) \| ([\d,]+) \| ([\d.]+) \| ([\d,]+) \| ([\d.]+)× \|$",
                        text, re.M)
    assert [r[0] for r in ratios] == ["120", "300"] and all(float(r[4]) > 1 for r in ratios)
    assert "`kgraph papers --dataset` lookup" in text
    assert "papers_sharing_datasets.cypher" in text
    targets = text.split("## Targets", 1)[1]
    assert len(re.findall(r"\((?:met|NOT met)\)$", targets, re.M)) == 6


NAMES = [("ImageNet", "dataset"), ("imagenet-1k", "dataset"), ("MS COCO", "dataset"),
         ("peak signal to noise ratio", "metric"), ("Vision Transformers", "method"),
         ("image classification", "task")]


@pytest.mark.parametrize("name, etype", NAMES)
def test_papers_lookup_in_the_store_matches_the_graph(seed_build, name, etype):
    fast = find_papers(seed_build.out_dir, name, etype)
    slow = _papers_from_graph(seed_build.out_dir, name, etype)
    assert fast == slow
    assert fast.papers


def test_papers_lookup_without_a_match_or_a_store(seed_build, tmp_path):
    with pytest.raises(NotFoundError) as err:
        find_papers(seed_build.out_dir, "imagnet", "dataset")
    assert "ImageNet" in err.value.suggestions
    copy = tmp_path / "no-store"
    copy.mkdir()
    shutil.copy(seed_build.out_dir / "graph.json", copy / "graph.json")
    assert find_papers(copy, "MS COCO", "dataset") == find_papers(seed_build.out_dir, "COCO",
                                                                  "dataset")
