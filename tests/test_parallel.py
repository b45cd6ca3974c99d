"""Extraction on worker processes (:mod:`kgraph.parallel`): the outputs of a build do
not depend on how many workers extracted it, and errors reach the caller.

The builds run on two real seed pages with the real spaCy pipeline; the pool is forced
to start two workers on this small input (``min_papers_per_worker=1``, small chunks).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.cli import cli
from kgraph.errors import InputError, KgraphError
from kgraph.ingest import read_papers
from kgraph.parallel import LocalEngine, chunks, make_engine
from kgraph.workflow import build
from outputs import assert_same_build

LEXICON = "name\ttype\taliases\nZorblax Attention\tmethod\tZBA\n"
EXTRA = {"id": "2501.99999", "title": "Zorblax Attention for Long Documents",
         "abstract": "We propose ZBA, a Zorblax Attention layer, and evaluate on arXiv "
                     "summarisation with ROUGE."}


@pytest.fixture(scope="module")
def inputs(shared_dir, tmp_path_factory) -> list[str]:
    """Two seed pages and a JSON Lines file naming a lexicon-only method."""
    pages = sorted(str(p) for p in (shared_dir / "seeds").glob("*.txt"))[:2]
    extra = tmp_path_factory.mktemp("extra") / "extra.jsonl"
    extra.write_text(json.dumps(EXTRA) + "\n", encoding="utf-8")
    return pages + [str(extra)]


def test_two_workers_write_what_one_process_writes(inputs, tmp_path, monkeypatch):
    # A relative lexicon path: workers must resolve it from the caller's folder.
    monkeypatch.chdir(tmp_path)
    Path("lex.tsv").write_text(LEXICON, encoding="utf-8")
    one = build(inputs, tmp_path / "one", lexicons=["lex.tsv"], engine=LocalEngine(1))
    engine = LocalEngine(2, chunk_size=16, min_papers_per_worker=1)
    two = build(inputs, tmp_path / "two", lexicons=["lex.tsv"], engine=engine)
    assert engine.workers == 2
    assert (one.engine, two.engine) == ("local, 1 worker", "local, 2 workers")
    assert two.papers == one.papers > 100
    assert_same_build(tmp_path / "one", tmp_path / "two")
    # input order is kept, and the lexicon was read by the workers
    lines = (tmp_path / "two" / "extractions.jsonl").read_text(encoding="utf-8").splitlines()
    ids = [json.loads(line)["id"] for line in lines]
    assert ids == [p.id for p in read_papers(inputs)]
    last = json.loads(lines[-1])
    rules = {m["rule"] for e in last["methods"] for m in e["mentions"]}
    assert any(r.startswith("gazetteer:lex.tsv:") for r in rules), rules


def test_a_bad_lexicon_is_reported_before_workers_start(inputs, tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("name\ttype\nFoo\tgadget\n", encoding="utf-8")
    papers = read_papers(inputs[:1])
    engine = LocalEngine(2, chunk_size=16, min_papers_per_worker=1)
    with pytest.raises(InputError) as err:
        list(engine.extract(papers, [str(bad)]))
    assert str(err.value).startswith(f"{bad}:2: ")


def test_workers_started_ahead_extract_what_one_process_extracts(inputs, tmp_path):
    lexicon = tmp_path / "lex.tsv"
    lexicon.write_text(LEXICON, encoding="utf-8")
    papers = read_papers(inputs)[:16]
    alone = list(LocalEngine(1).extract(papers, [str(lexicon)], form="summary"))
    engine = LocalEngine(2, chunk_size=4, min_papers_per_worker=8)
    assert engine.prepare(15, [str(lexicon)]) is False  # one worker is enough for 15
    assert engine.prepare(16, [str(lexicon)]) is True
    prepared = engine._prepared
    pool = prepared.ready()
    assert len(pool._processes) == 2  # started before any paper was sent
    assert list(engine.extract(papers, [str(lexicon)], form="summary")) == alone
    assert engine.workers == 2 and engine._prepared is None
    assert pool._processes is None  # the extraction used that pool, and shut it down
    # Workers prepared for other lexicons are not used, nor kept.
    assert engine.prepare(16) is True
    other = engine._prepared
    assert list(engine.extract(papers, [str(lexicon)], form="summary")) == alone
    assert other.pool._processes is None
    engine.release()  # nothing left to release
    assert engine._prepared is None


def test_small_inputs_are_extracted_in_the_calling_process():
    engine = LocalEngine(8)
    assert engine.plan(999) == 1
    assert engine.plan(5000) == 5
    assert engine.plan(10 ** 6) == 8
    assert LocalEngine(4, chunk_size=10, min_papers_per_worker=1).plan(25) == 3


def test_chunks_cover_the_input_in_order():
    items = list(range(1003))
    parts = chunks(items, 250)
    assert [len(p) for p in parts] == [250, 250, 250, 250, 3]
    assert [x for p in parts for x in p] == items
    with pytest.raises(ValueError):
        chunks(items, 0)


def test_engine_options_are_checked():
    assert make_engine().name == "local"
    assert make_engine(scheduler="tcp://127.0.0.1:8786").name == "dask"
    with pytest.raises(KgraphError, match="Dask engine"):
        make_engine(scheduler="tcp://127.0.0.1:8786", engine="local")
    with pytest.raises(ValueError):
        LocalEngine(0)


def test_cli_jobs_option(tmp_path, inputs):
    runner = CliRunner()
    result = runner.invoke(cli, ["build", inputs[-1], "-o", str(tmp_path / "out"),
                                 "--jobs", "2"])
    assert result.exit_code == 0, result.output
    # one paper: not worth a worker process
    assert "extracted 1 paper (local, 1 worker)" in result.output
    assert "export: extractions.jsonl " in result.output
    result = runner.invoke(cli, ["build", inputs[-1], "-o", str(tmp_path / "out"),
                                 "--jobs", "0"])
    assert result.exit_code == 2, result.output
    result = runner.invoke(cli, ["build", inputs[-1], "--engine", "local",
                                 "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines() == [
        "Error: a scheduler address needs the Dask engine (--engine dask)"]
