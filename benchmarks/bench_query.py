"""Time "papers sharing a dataset with P" on the embedded engine over the seed build.

Usage::

    python benchmarks/bench_query.py [--graph-dir DIR] [--runs N] [--paper ID]

Without ``--graph-dir`` the seed pages (``shared/seeds/*.txt`` beside the project, or
``$KGRAPH_SHARED/seeds``) are built into a temporary folder first. The embedded store
is written when the folder has none. The query is ``queries/papers_sharing_datasets.cypher``
with its header's defaults (``--paper`` overrides the paper).

Two figures are printed, each the median (and min, max) of ``--runs`` runs after one
warm-up run, in milliseconds:

- ``run_embedded``: what ``kgraph query`` pays per query: open the database read-only,
  run the query, read the rows, close;
- ``engine``: the query alone (``QueryResult.elapsed``: execute and fetch).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from glob import glob
from pathlib import Path

from kgraph.errors import GraphNotFoundError
from kgraph.query.embedded import run_embedded
from kgraph.query.format import read_query_file
from kgraph.store import database_path, write_store
from kgraph.workflow import build, load_graph

ROOT = Path(__file__).resolve().parents[1]
QUERY = ROOT / "queries" / "papers_sharing_datasets.cypher"


def seed_build(out_dir: Path) -> Path:
    shared = Path(os.environ.get("KGRAPH_SHARED", ROOT.parent / "shared"))
    inputs = sorted(glob(str(shared / "seeds" / "*.txt")))
    if not inputs:
        sys.exit(f"no seed pages in {shared / 'seeds'}; set KGRAPH_SHARED or --graph-dir")
    build(inputs, out_dir)
    return out_dir


def ensure_store(graph_dir: Path) -> None:
    try:
        database_path(graph_dir)
    except GraphNotFoundError:
        write_store(load_graph(graph_dir), graph_dir)


def summary(name: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (f"{name:<13} median {statistics.median(ms):8.2f} ms   "
            f"min {min(ms):8.2f}   max {max(ms):8.2f}   ({len(ms)} runs)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph-dir", type=Path, help="a build's output folder")
    parser.add_argument("--runs", type=int, default=25, help="timed runs (at least 20)")
    parser.add_argument("--paper", help="paper id (default: the query's default)")
    args = parser.parse_args(argv)
    if args.runs < 20:
        parser.error("--runs must be at least 20")
    with tempfile.TemporaryDirectory(prefix="kgraph-bench-") as tmp:
        graph_dir = args.graph_dir or seed_build(Path(tmp))
        ensure_store(graph_dir)
        cypher, header = read_query_file(QUERY)
        params = dict(header["defaults"])
        if args.paper:
            params["paper"] = args.paper
        result = run_embedded(graph_dir, cypher, params)  # warm-up
        total, engine = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            result = run_embedded(graph_dir, cypher, params)
            total.append(time.perf_counter() - started)
            engine.append(result.elapsed)
        print(f"query: {QUERY.relative_to(ROOT)} {params} -> {len(result.rows)} rows")
        print(summary("run_embedded", total))
        print(summary("engine", engine))


if __name__ == "__main__":
    main()
