"""Throughput of the live Neo4j export: rows per second into a real Bolt server.

Builds the graph of the seed pages (``shared/seeds/*.txt``, or ``$KGRAPH_SHARED/seeds``),
starts the ArcadeDB Bolt server of the tests (``tests/bolt_server.py``, on 127.0.0.1),
and for each batch size exports the graph into a new, empty database (``cold``: every
node and relationship is created) and then again into the same one (``rerun``: every
MERGE finds its match, nothing is created). A row is one node or one relationship; the
time includes connecting and creating the constraints.

Run from the project folder::

    .venv/bin/python benchmarks/bench_neo4j_export.py [--batch-size 1000 ...] [--repeat 3]

It prints one line per (batch size, run) and the best rows per second of each kind.
"""

from __future__ import annotations

import argparse
import glob
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from bolt_server import BoltServer  # noqa: E402

from kgraph.export.neo4j_live import export_to_neo4j  # noqa: E402
from kgraph.workflow import build, load_graph  # noqa: E402


def seed_graph():
    """The graph :func:`kgraph.workflow.build` makes of the seed pages."""
    shared = Path(os.environ.get("KGRAPH_SHARED", ROOT.parent / "shared"))
    pages = sorted(glob.glob(str(shared / "seeds" / "*.txt")))
    if not pages:
        sys.exit(f"no seed pages in {shared / 'seeds'}; set KGRAPH_SHARED")
    with tempfile.TemporaryDirectory(prefix="kgraph-bench-") as out:
        build(pages, out)
        return load_graph(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=int, nargs="+", default=[250, 1000, 5000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per batch size")
    args = parser.parse_args(argv)

    G = seed_graph()
    rows = G.number_of_nodes() + G.number_of_edges()
    print(f"seed graph: {G.number_of_nodes()} nodes + {G.number_of_edges()} relationships "
          f"= {rows} rows")
    best: dict[tuple[int, str], float] = {}
    server = BoltServer()
    try:
        server.start()
        print(f"server: ArcadeDB Bolt on {server.uri}, started in "
              f"{server.startup_seconds:.1f} s")
        for batch_size in args.batch_size:
            for run in range(args.repeat):
                info = server.create_database(f"bench_{batch_size}_{run}")
                for kind in ("cold", "rerun"):
                    started = time.perf_counter()
                    report = export_to_neo4j(G, info.uri, info.user, info.password,
                                             database=info.database, batch_size=batch_size)
                    seconds = time.perf_counter() - started
                    rate = rows / seconds
                    best[(batch_size, kind)] = max(best.get((batch_size, kind), 0.0), rate)
                    print(f"batch {batch_size:>5} run {run} {kind:>5}: {seconds:6.2f} s "
                          f"{rate:8.0f} rows/s ({report['batches']} batches, "
                          f"{report['nodes_created']} nodes and "
                          f"{report['relationships_created']} relationships created)")
                server.drop_database(info.database)
    finally:
        server.cleanup()
    print("best rows/s:")
    for (batch_size, kind), rate in sorted(best.items()):
        print(f"  batch {batch_size:>5} {kind:>5}: {rate:8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
