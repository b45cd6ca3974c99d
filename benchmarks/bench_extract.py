"""Extraction throughput in one process, next to spaCy's plain tokenizer.

Usage::

    python benchmarks/bench_extract.py [--corpus PATH] [-n N] [--repeat R]

Reads the first ``N`` papers (default 10,000) of the corpus
(``shared/corpus/arxiv_cs_abstracts.jsonl.gz`` beside the project, or
``$KGRAPH_SHARED/corpus/...``), builds the extractor (not timed), then times:

- ``extract``: :meth:`kgraph.extract.Extractor.extract_many` over the papers, i.e.
  tokenizer, pipeline components and entity resolution, in abstracts per second;
- ``+summary``: the same followed by :func:`kgraph.parallel.summarise` of each
  extraction (its ``extractions.jsonl`` line and graph entities), which is what a
  worker of ``kgraph build`` does per paper, on a second extractor;
- ``tokenizer``: ``spacy.blank("en")``'s plain tokenizer on the same texts (title,
  blank line, abstract), ``list(nlp.tokenizer.pipe(texts))``, a floor that no spaCy
  pipeline can go below;
- the ratio of the two times.

Each figure is given as wall-clock time (``time.perf_counter``) and as the CPU time
of this process (``time.process_time``), the steadier figure on a shared machine;
with ``--repeat R`` each is the best of ``R`` runs (a fresh extractor each time), as
other work on the machine only ever slows a run down.
The peak resident memory of the process is printed at the end. Vocabulary and
caches start empty, as in ``kgraph extract``: each distinct word is new once.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import os
import resource
import sys
import time
from pathlib import Path

import spacy

from kgraph.extract import Extractor
from kgraph.ingest import iter_papers
from kgraph.parallel import summarise
import kgraph.graph.build  # noqa: F401,E402 (summarise imports it on first use: not timed)

ROOT = Path(__file__).resolve().parents[1]


def default_corpus() -> Path:
    shared = Path(os.environ.get("KGRAPH_SHARED", ROOT.parent / "shared"))
    return shared / "corpus" / "arxiv_cs_abstracts.jsonl.gz"


def timed(func):
    """``(result, wall seconds, CPU seconds)`` of ``func()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = func()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def best_fresh(repeat: int, make, work, first=None):
    """Time ``work(make())`` ``repeat`` times, each on a fresh object (made before the
    clock starts; ``first``, when given, serves the first run): the last result, the
    least wall and the least CPU seconds."""
    made = [first] if first is not None else []

    def run():
        gc.collect()
        obj = made.pop() if made else make()
        return timed(lambda: work(obj))

    runs = [run() for _ in range(max(1, repeat))]
    return runs[-1][0], min(r[1] for r in runs), min(r[2] for r in runs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=default_corpus())
    parser.add_argument("-n", type=int, default=10_000, help="papers (default 10,000)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each measurement; the best is shown (default 1)")
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        sys.exit(f"no corpus at {args.corpus}; set KGRAPH_SHARED or --corpus")
    papers = list(itertools.islice(iter_papers(str(args.corpus)), args.n))
    texts = [p.text for p in papers]
    n = len(papers)

    extractor, wall, cpu = timed(Extractor)
    print(f"setup      {wall:7.2f} s wall {cpu:7.2f} s CPU  (Extractor(), not counted)")
    out, ex_wall, ex_cpu = best_fresh(args.repeat, Extractor,
                                      lambda ex: list(ex.extract_many(papers)), extractor)
    mentions = sum(len(e.mentions) for x in out for e in x.entities)
    print(f"extract    {ex_wall:7.2f} s wall {ex_cpu:7.2f} s CPU  {n} abstracts, "
          f"{n / ex_wall:6.0f}/s wall {n / ex_cpu:6.0f}/s CPU  ({mentions} mentions)")

    del out, extractor
    gc.collect()
    _, sm_wall, sm_cpu = best_fresh(  # vocabulary and caches empty again
        args.repeat, Extractor, lambda ex: [summarise(x) for x in ex.extract_many(papers)])
    print(f"+summary   {sm_wall:7.2f} s wall {sm_cpu:7.2f} s CPU  {n} abstracts, "
          f"{n / sm_wall:6.0f}/s wall {n / sm_cpu:6.0f}/s CPU  (extract, then summarise)")

    _, tok_wall, tok_cpu = best_fresh(args.repeat, lambda: spacy.blank("en").tokenizer,
                                      lambda tokenizer: list(tokenizer.pipe(texts)))
    print(f"tokenizer  {tok_wall:7.2f} s wall {tok_cpu:7.2f} s CPU  "
          f"{n / tok_wall:6.0f}/s wall {n / tok_cpu:6.0f}/s CPU  (spacy.blank('en'))")
    print(f"ratio      extract / tokenizer = {ex_wall / tok_wall:.2f} wall, "
          f"{ex_cpu / tok_cpu:.2f} CPU")
    print(f"peak RSS   {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
