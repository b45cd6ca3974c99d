"""End-to-end jobs that chain the stages: ``build``, ``extract`` and ``explain``.

These are what the CLI calls; they print nothing and return reports, so they can be
used from Python and tested directly.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence, TextIO

import networkx as nx

from kgraph.atomic import atomic_outputs
from kgraph.export.extractions import write_extractions
from kgraph.export.graphml import write_graphml
from kgraph.export.nodelink import read_json, write_json
from kgraph.ingest.bad import OnBad
from kgraph.model import PaperExtraction

__all__ = ["BuildReport", "build", "extract", "explain", "load_graph", "OUTPUTS"]

#: Files (and folders) ``build`` writes into the output folder.
OUTPUTS = ("extractions.jsonl", "graph.json", "graph.graphml", "graph.html", "neo4j/",
           "graph.lbdb/")

ProgressFactory = Callable[[int, str], Callable[[int], None]]


@dataclass
class BuildReport:
    """What a build did.

    Attributes
    ----------
    papers : int
        Unique papers after deduplication.
    records : int
        Records read before deduplication.
    nodes, relationships : int
        Size of the graph.
    outputs : list of Path
        Files and folders written.
    timings : dict of str to float
        Seconds per stage (``ingest``, ``extract``, ``graph``, ``export``).
    notes : list of str
        Things the user should know, e.g. that ``graph.html`` is an overview and how
        to draw a focused view.
    """

    papers: int = 0
    records: int = 0
    nodes: int = 0
    relationships: int = 0
    outputs: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _read(inputs: Sequence[str], fmt: str | None, stdin: TextIO | None, on_bad: OnBad):
    from kgraph.ingest import read_papers

    return read_papers(inputs, format=fmt, stdin=stdin, on_bad=on_bad)


def _extract(papers, lexicons: Sequence[str], progress: ProgressFactory | None,
             extractor=None) -> list[PaperExtraction]:
    from kgraph.extract import Extractor

    extractor = extractor or Extractor(lexicons)
    tick = progress(len(papers), "Extracting") if progress else None
    return list(extractor.extract_many(papers, progress=tick))


def extract(inputs: Sequence[str], output: str | Path, *, fmt: str | None = None,
            lexicons: Sequence[str] = (), stdin: TextIO | None = None,
            progress: ProgressFactory | None = None, on_bad: OnBad = None) -> int:
    """Read papers and write ``extractions.jsonl`` only.

    Parameters
    ----------
    inputs : sequence of str
        Input files (``"-"`` for standard input).
    output : str or Path
        The JSON Lines file, or ``"-"`` for standard output.
    fmt : str or None
        Input format override (see :data:`kgraph.ingest.FORMATS`).
    lexicons : sequence of str
        User lexicon files.
    stdin : text stream or None
        What ``"-"`` reads (default ``sys.stdin``).
    progress : callable or None
        ``progress(total, label)`` returns a per-item callback.
    on_bad : callable or None
        Skip bad input records and files, reporting each with ``on_bad(error, scope)``
        (e.g. a :class:`kgraph.ingest.SkipLog`); by default the first one is raised.

    Returns
    -------
    int
        Number of papers written.

    Raises
    ------
    kgraph.errors.KgraphError
        Unreadable input or lexicon.
    """
    papers = _read(inputs, fmt, stdin, on_bad)
    return write_extractions(_extract(papers, lexicons, progress), output)


def explain(inputs: Sequence[str], output: str | Path | None = None, *,
            fmt: str | None = None, lexicons: Sequence[str] = (),
            stdin: TextIO | None = None, progress: ProgressFactory | None = None,
            on_bad: OnBad = None) -> list[str]:
    """Extract papers and say, per entity and mention, which rule or lexicon entry
    produced it (:mod:`kgraph.extract.explain`).

    Parameters
    ----------
    inputs : sequence of str
        Input files (``"-"`` for standard input).
    output : str, Path or None
        Also write ``extractions.jsonl`` here when given (``"-"``: standard output).
    fmt, lexicons, stdin, progress, on_bad
        As in :func:`extract`.

    Returns
    -------
    list of str
        One text block per paper, in input order.

    Raises
    ------
    kgraph.errors.KgraphError
        Unreadable input or lexicon.
    """
    from kgraph.extract import Extractor
    from kgraph.extract.explain import explain_extractions

    papers = _read(inputs, fmt, stdin, on_bad)
    extractor = Extractor(lexicons)
    extractions = _extract(papers, lexicons, progress, extractor)
    if output is not None:
        write_extractions(extractions, output)
    return list(explain_extractions(extractions, extractor.gazetteer))


def build(inputs: Sequence[str], out_dir: str | Path = "output", *, fmt: str | None = None,
          lexicons: Sequence[str] = (), stdin: TextIO | None = None,
          progress: ProgressFactory | None = None, on_bad: OnBad = None) -> BuildReport:
    """Ingest, extract, build the graph and write every output into ``out_dir``.

    Outputs (:data:`OUTPUTS`): ``extractions.jsonl``, ``graph.json`` (node-link),
    ``graph.graphml``, ``graph.html``, ``neo4j/`` (``import.cypher``, admin-import
    CSVs, README) and ``graph.lbdb/`` (the embedded LadybugDB database that
    ``kgraph query`` runs on). They are all written into a staging folder inside
    ``out_dir`` and moved into place together once every one is complete
    (:func:`kgraph.atomic.atomic_outputs`), so a failed or killed build leaves the
    previous outputs intact, all of them from the same previous build.

    Parameters
    ----------
    inputs : sequence of str
        Input files (``"-"`` for standard input).
    out_dir : str or Path
        Output folder, created when missing.
    fmt, lexicons, stdin, progress, on_bad
        As in :func:`extract`.

    Returns
    -------
    BuildReport

    Raises
    ------
    kgraph.errors.KgraphError
        Unreadable input or lexicon, or an output that cannot be written.
    """
    from kgraph.export.html import write_html
    from kgraph.export.neo4j_csv import write_neo4j
    from kgraph.graph import build_graph
    from kgraph.store import write_store

    out = Path(out_dir)
    report = BuildReport()
    t0 = time.perf_counter()
    papers = _read(inputs, fmt, stdin, on_bad)
    report.papers = len(papers)
    report.records = sum(len(p.sources) for p in papers)
    t1 = time.perf_counter()
    extractions = _extract(papers, lexicons, progress)
    t2 = time.perf_counter()
    G = build_graph(extractions)
    t3 = time.perf_counter()
    with atomic_outputs(out) as stage:  # all outputs move into `out` together at the end
        write_extractions(extractions, stage / "extractions.jsonl")
        write_json(G, stage / "graph.json")
        write_graphml(G, stage / "graph.graphml")
        write_html(G, stage / "graph.html")
        write_neo4j(G, stage)
        write_store(G, stage)
    t4 = time.perf_counter()
    report.nodes, report.relationships = G.number_of_nodes(), G.number_of_edges()
    report.outputs = [out / name for name in OUTPUTS]
    from kgraph.export.html import MAX_NODES

    if G.number_of_nodes() > MAX_NODES:
        report.notes.append(
            f"graph.html is an overview: {MAX_NODES:,} of {G.number_of_nodes():,} nodes "
            f"(the top entities and their papers). Focus with: kgraph view --graph {out} "
            "--dataset NAME (or --method, --task, --paper, --top N) -o view.html")
    report.timings = {"ingest": t1 - t0, "extract": t2 - t1, "graph": t3 - t2,
                      "export": t4 - t3}
    return report


def load_graph(graph_dir: str | Path = "output") -> nx.MultiDiGraph:
    """Load the graph a build wrote (``graph.json`` in ``graph_dir``).

    Parameters
    ----------
    graph_dir : str or Path

    Returns
    -------
    networkx.MultiDiGraph

    Raises
    ------
    kgraph.errors.GraphNotFoundError
        No build in that folder.
    """
    return read_json(graph_dir)
