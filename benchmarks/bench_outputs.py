"""The graph stage and every output of ``kgraph build``, timed without extracting again.

Reads an ``extractions.jsonl`` (a build's own, or ``kgraph extract``'s), reduces each
line as the extraction workers do (:func:`kgraph.parallel.summarise`), then times what
the calling process of a build does with the results: the graph
(:class:`kgraph.graph.build.GraphBuilder`: its per-paper part, which a build does while
the workers extract, then the rest, with the garbage collector paused as a build
pauses it) and the outputs made from it (``kgraph.workflow._write_graph_outputs``: the Neo4j
rows, ``neo4j/``, ``graph.json``, ``graph.graphml``, ``graph.html`` on this thread and
``graph.lbdb/`` on its own). Reading and reducing the lines is not timed.

Run from the project folder, e.g. on the extractions of a full-corpus build::

    .venv/bin/python benchmarks/bench_outputs.py OUTPUT/extractions.jsonl [--out DIR]

It prints wall and CPU seconds of the graph and of the outputs (CPU counts every
thread, the store's included), seconds per output as a build reports them, and the
peak resident memory of the process (``VmHWM``) and its largest sampled value during
each step. The outputs go to a temporary folder unless ``--out`` keeps them.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kgraph import workflow  # noqa: E402
from kgraph.graph.build import GraphBuilder  # noqa: E402
from kgraph.model import PaperExtraction  # noqa: E402
from kgraph.parallel import summarise  # noqa: E402


def _resident_mib() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 // 2 ** 20


def _peak_mib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) // 1024
    return 0


class _Sampler:
    """The largest resident size seen every 20 ms since the last :meth:`reset`."""

    def __init__(self) -> None:
        self.largest = 0
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while True:
            self.largest = max(self.largest, _resident_mib())
            time.sleep(0.02)

    def reset(self) -> None:
        self.largest = _resident_mib()


def read_graph_input(path: Path) -> list[tuple]:
    """``(paper, graph entities, results)`` per line of an ``extractions.jsonl``."""
    found = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            _, entities, results = summarise(ex := PaperExtraction.from_dict(json.loads(line)))
            found.append((ex.paper, entities, results))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("extractions", type=Path, help="an extractions.jsonl")
    parser.add_argument("--out", type=Path, help="keep the outputs in this folder")
    args = parser.parse_args(argv)

    sampler = _Sampler()
    graph_input = read_graph_input(args.extractions)
    print(f"{len(graph_input):,} papers read from {args.extractions}; "
          f"{_resident_mib()} MiB resident", flush=True)
    out = args.out or Path(tempfile.mkdtemp(prefix="kgraph-bench-outputs-"))
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    try:
        sampler.reset()
        wall, cpu = time.perf_counter(), time.process_time()
        builder = GraphBuilder()
        with workflow._gc_paused():  # as a build pauses it while the results come in
            for item in graph_input:
                builder.add(item)
        del graph_input
        print(f"graph, per paper (during extraction in a build): "
              f"{time.perf_counter() - wall:.2f} s wall, {time.process_time() - cpu:.2f} s CPU",
              flush=True)
        wall, cpu = time.perf_counter(), time.process_time()
        with workflow._gc_paused():
            G = builder.graph()
        del builder
        workflow._trim_heap()
        print(f"graph, after extraction: {time.perf_counter() - wall:.2f} s wall, "
              f"{time.process_time() - cpu:.2f} s CPU; {G.number_of_nodes():,} nodes, "
              f"{G.number_of_edges():,} relationships; largest {sampler.largest} MiB",
              flush=True)
        sampler.reset()
        timings: dict[str, float] = {}
        wall, cpu = time.perf_counter(), time.process_time()
        with workflow._gc_paused():
            workflow._write_graph_outputs(G, out, timings)
        print(f"outputs: {time.perf_counter() - wall:.2f} s wall, "
              f"{time.process_time() - cpu:.2f} s CPU; largest {sampler.largest} MiB")
        print("  " + ", ".join(f"{name} {seconds:.2f}s" for name, seconds in timings.items()))
        print(f"peak resident (VmHWM): {_peak_mib()} MiB")
    finally:
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
