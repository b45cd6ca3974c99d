"""Extraction throughput on the seed pages, one process, warm.

Usage (from the project root, ``shared/`` beside it)::

    python benchmarks/bench_seeds.py [--repeat 3]

Reads ``../shared/seeds/*.txt`` (316 unique papers), builds the extractor (not timed),
then runs :meth:`kgraph.extract.Extractor.extract_many` over all papers ``--repeat``
times and prints the best CPU time (``time.process_time``, steadier than wall time on
a shared machine) and papers per second.
"""

from __future__ import annotations

import argparse
import time
from glob import glob
from pathlib import Path

from kgraph.extract import Extractor
from kgraph.ingest import read_papers

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seeds", default=str(SEEDS))
    args = parser.parse_args()
    papers = read_papers(sorted(glob(str(Path(args.seeds) / "*.txt"))))
    extractor = Extractor()
    best = float("inf")
    for _ in range(args.repeat):
        t0 = time.process_time()
        list(extractor.extract_many(papers))
        best = min(best, time.process_time() - t0)
    print(f"{len(papers)} papers: {best:.2f} s CPU, {len(papers) / best:.0f} papers/s")


if __name__ == "__main__":
    main()
