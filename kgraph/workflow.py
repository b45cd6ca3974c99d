"""End-to-end jobs that chain the stages: ``build``, ``update``, ``extract`` and ``explain``.

These are what the CLI calls; they print nothing and return reports, so they can be
used from Python and tested directly.

Inputs are read record by record (:func:`kgraph.ingest.iter_records`), deduplicated,
and extracted by an engine of :mod:`kgraph.parallel` (worker processes, or a Dask
cluster); :mod:`kgraph.incremental` keeps what a build extracted, so that
:func:`update` extracts only the papers it has not seen.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence, TextIO

import networkx as nx

from kgraph.atomic import atomic_outputs
from kgraph.export.extractions import write_extractions
from kgraph.export.graphml import write_graphml
from kgraph.export.nodelink import read_json, write_json
from kgraph.ingest.bad import OnBad
from kgraph.model import PaperExtraction
from kgraph.parallel import ExtractionEngine, LocalEngine, make_engine

__all__ = ["BuildReport", "build", "update", "extract", "explain", "load_graph",
           "find_papers", "EntityPapers", "OUTPUTS"]

#: Files (and folders) ``build`` writes into the output folder (besides the state file
#: of :mod:`kgraph.incremental`, ``build-state.jsonl``).
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
        Records read before deduplication (for an update: by every build so far).
    extracted : int
        Papers extracted by this run; the others (``papers - extracted``) reused the
        entities of a previous build (:func:`update`).
    nodes, relationships : int
        Size of the graph.
    outputs : list of Path
        Files and folders written.
    timings : dict of str to float
        Seconds per stage (``ingest``, ``extract``, ``graph``, ``export``).
    output_timings : dict of str to float
        Seconds per output written during ``export`` (``extractions.jsonl``,
        ``graph.json``, ...).
    engine : str
        Where extraction ran, e.g. ``"local, 2 workers"``.
    notes : list of str
        Things the user should know, e.g. that ``graph.html`` is an overview and how
        to draw a focused view.
    """

    papers: int = 0
    records: int = 0
    extracted: int = 0
    nodes: int = 0
    relationships: int = 0
    outputs: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    output_timings: dict[str, float] = field(default_factory=dict)
    engine: str = ""
    notes: list[str] = field(default_factory=list)


EngineSpec = ExtractionEngine | str | None


def _engine(engine: EngineSpec, jobs: int | None, scheduler: str | None
            ) -> ExtractionEngine:
    if isinstance(engine, ExtractionEngine):
        return engine
    return make_engine(jobs, scheduler, engine)


def extract(inputs: Sequence[str], output: str | Path, *, fmt: str | None = None,
            lexicons: Sequence[str] = (), stdin: TextIO | None = None,
            progress: ProgressFactory | None = None, jobs: int | None = None,
            scheduler: str | None = None, engine: EngineSpec = None,
            on_bad: OnBad = None) -> int:
    """Read papers and write ``extractions.jsonl`` only.

    Lines are written as the papers are extracted, in input order.

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
    jobs : int or None
        Most worker processes for extraction; ``None`` for every core (see
        :class:`kgraph.parallel.LocalEngine`).
    scheduler : str or None
        Address of a Dask scheduler to extract on (see
        :class:`kgraph.parallel.DaskEngine`).
    engine : {"local", "dask"}, ExtractionEngine or None
        The engine, by name or ready-made (then ``jobs`` and ``scheduler`` are
        ignored); ``None`` picks Dask when ``scheduler`` is given.
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
        Unreadable input or lexicon, or an engine that cannot start.
    """
    from kgraph.atomic import atomic_write
    from kgraph.ingest import read_papers

    runner = _engine(engine, jobs, scheduler)
    papers = read_papers(inputs, format=fmt, stdin=stdin, on_bad=on_bad)
    tick = progress(len(papers), "Extracting") if progress and papers else None
    results = runner.extract(papers, lexicons, progress=tick, form="summary")
    opened = (contextlib.nullcontext(sys.stdout) if str(output) == "-"
              else atomic_write(Path(output)))
    n = 0
    with opened as handle, contextlib.closing(results):
        for line, *_ in results:
            handle.write(line)
            handle.write("\n")
            n += 1
    return n


def _read(inputs: Sequence[str], fmt: str | None, stdin: TextIO | None, on_bad: OnBad):
    from kgraph.ingest import read_papers

    return read_papers(inputs, format=fmt, stdin=stdin, on_bad=on_bad)


def _extract(papers, lexicons: Sequence[str], progress: ProgressFactory | None,
             extractor=None) -> list[PaperExtraction]:
    from kgraph.extract import Extractor

    extractor = extractor or Extractor(lexicons)
    tick = progress(len(papers), "Extracting") if progress else None
    return list(extractor.extract_many(papers, progress=tick))


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
          progress: ProgressFactory | None = None, jobs: int | None = None,
          scheduler: str | None = None, engine: EngineSpec = None,
          on_bad: OnBad = None) -> BuildReport:
    """Ingest, extract, build the graph and write every output into ``out_dir``.

    Outputs (:data:`OUTPUTS`): ``extractions.jsonl``, ``graph.json`` (node-link),
    ``graph.graphml``, ``graph.html``, ``neo4j/`` (``import.cypher``, admin-import
    CSVs, README) and ``graph.lbdb/`` (the embedded LadybugDB database that
    ``kgraph query`` runs on); and ``build-state.jsonl``, what :func:`update` needs.
    They are all written into a staging folder inside ``out_dir`` and moved into
    place together once every one is complete (:func:`kgraph.atomic.atomic_outputs`),
    so a failed or killed build leaves the previous outputs intact, all of them from
    the same previous build.

    Parameters
    ----------
    inputs : sequence of str
        Input files (``"-"`` for standard input).
    out_dir : str or Path
        Output folder, created when missing.
    fmt, lexicons, stdin, progress, jobs, scheduler, engine, on_bad
        As in :func:`extract`.

    Returns
    -------
    BuildReport

    Raises
    ------
    kgraph.errors.KgraphError
        Unreadable input or lexicon, an engine that cannot start, or an output that
        cannot be written.
    """
    return _build(inputs, Path(out_dir), None, fmt=fmt, lexicons=lexicons, stdin=stdin,
                  progress=progress, engine=_engine(engine, jobs, scheduler), on_bad=on_bad)


def update(out_dir: str | Path, inputs: Sequence[str], *, fmt: str | None = None,
           lexicons: Sequence[str] = (), stdin: TextIO | None = None,
           progress: ProgressFactory | None = None, jobs: int | None = None,
           scheduler: str | None = None, engine: EngineSpec = None,
           on_bad: OnBad = None) -> BuildReport:
    """Add the papers of ``inputs`` to the build in ``out_dir``, extracting only new text.

    The records of the previous build (:func:`kgraph.incremental.read_state`) and those
    of ``inputs`` are deduplicated together; papers whose text the previous build
    extracted keep their entities, the others (new papers, and papers whose merged text
    changed) are extracted. The graph is then rebuilt from every extraction and all
    outputs rewritten: the result is byte-identical to a full :func:`build` over the
    previous inputs followed by ``inputs``. A previous build made with other lexicons
    or another kgraph version is re-extracted whole (a note says so).

    Parameters
    ----------
    out_dir : str or Path
        The folder of a previous build; its outputs are replaced.
    inputs : sequence of str
        The new input files (``"-"`` for standard input).
    fmt, lexicons, stdin, progress, jobs, scheduler, engine, on_bad
        As in :func:`extract`.

    Returns
    -------
    BuildReport
        ``extracted`` counts the papers extracted now; ``records`` every record read
        by the builds so far.

    Raises
    ------
    kgraph.errors.GraphNotFoundError
        ``out_dir`` holds no previous build (or one without ``build-state.jsonl``).
    kgraph.errors.InputError
        The state does not match ``extractions.jsonl``, or an input is bad.
    kgraph.errors.KgraphError
        As :func:`build`.
    """
    from kgraph.incremental import read_state

    started = time.perf_counter()
    state = read_state(out_dir)
    return _build(inputs, Path(out_dir), state, fmt=fmt, lexicons=lexicons, stdin=stdin,
                  progress=progress, engine=_engine(engine, jobs, scheduler),
                  started=started, on_bad=on_bad)


def _build(inputs: Sequence[str], out: Path, state, *, fmt: str | None,
           lexicons: Sequence[str], stdin: TextIO | None, progress: ProgressFactory | None,
           engine: ExtractionEngine, started: float | None = None,
           on_bad: OnBad = None) -> BuildReport:
    """The build: ``state`` is a previous build's :class:`~kgraph.incremental.BuildState`
    (an update) or None (a full build)."""
    from kgraph.incremental import extractor_fingerprint
    from kgraph.ingest import iter_records

    report = BuildReport()
    t0 = started if started is not None else time.perf_counter()
    fingerprint = extractor_fingerprint(lexicons)
    skipped: list[str] = []

    def counted(error, scope: str) -> None:
        skipped.append(scope)
        on_bad(error, scope)

    reading = iter_records(inputs, format=fmt, stdin=stdin,
                           on_bad=counted if on_bad is not None else None)
    try:
        return _build_from(reading, skipped, inputs, out, state, report, t0, fingerprint,
                           lexicons=lexicons, progress=progress, engine=engine)
    finally:
        engine.release()  # workers prepare() started, if extract() did not use them


def _build_from(reading: Iterator, skipped: list[str], inputs: Sequence[str], out: Path,
                state, report: BuildReport, t0: float, fingerprint: str, *,
                lexicons: Sequence[str], progress: ProgressFactory | None,
                engine: ExtractionEngine) -> BuildReport:
    """:func:`_build` once the inputs are open: ``reading`` yields their records and
    ``skipped`` fills with the bad ones skipped. (The records, and all made from them,
    are this function's own, so that each is freed when it is no longer needed.)"""
    from kgraph.export.html import MAX_NODES
    from kgraph.graph.build import GraphBuilder
    from kgraph.incremental import (STATE_FILE, content_hash, reuse, state_lines,
                                    write_state)
    from kgraph.ingest import duplicate_groups, merge_duplicates
    from kgraph.parallel import summarise

    records = list(state.records) if state is not None else []
    before = len(records)
    if state is None:
        # A full build extracts every paper it reads: once enough are read to keep
        # every worker busy, the engine may start its workers (loading their
        # pipelines takes seconds) while the rest is read.
        for record in reading:
            records.append(record)
            if len(records) % _PREPARE_EVERY == 0 and engine.prepare(len(records), lexicons):
                break
    records.extend(reading)
    if skipped and len(records) == before:
        from kgraph.errors import KgraphError

        n = len(skipped)
        raise KgraphError(f"no papers read from {len(inputs)} input"
                          f"{'' if len(inputs) == 1 else 's'}: {n} bad record"
                          f"{'' if n == 1 else 's'} or files skipped and nothing else "
                          "found (fix the inputs named in the warnings)")
    groups = duplicate_groups(records)
    papers = [merge_duplicates([records[i] for i in group]) for group in groups]
    hashes = [content_hash(p) for p in papers]
    done, todo = reuse(papers, hashes, state, fingerprint)
    if state is not None and state.extractor != fingerprint:
        report.notes.append("the previous build used other lexicons or another kgraph "
                            "version: every paper was extracted again")
    report.papers, report.records, report.extracted = len(papers), len(records), len(todo)
    all_inputs = (state.inputs if state is not None else []) + [str(i) for i in inputs]
    state = None  # what is reused is in ``done`` now
    t1 = time.perf_counter()

    # Extraction: the workers send back each paper's extractions.jsonl line, its
    # entities reduced for the graph and its results (kgraph.parallel.summarise); the
    # lines go to the file as they come, in order, and each paper goes into the graph
    # builder, which does the per-paper part of the graph while the workers extract
    # the next papers. Every output is written into a staging folder and moves into
    # ``out`` only when all are complete.
    tick = progress(len(todo), "Extracting") if progress and todo else None
    results = engine.extract([papers[i] for i in todo], lexicons, progress=tick,
                             form="summary")
    builder = GraphBuilder()
    # The collector is paused while the results come in (as for the graph, below),
    # unless spaCy extracts in this very process, whose garbage it may need.
    here = isinstance(engine, LocalEngine) and engine.plan(len(todo)) == 1
    with atomic_outputs(out) as stage:
        with open(stage / "extractions.jsonl", "w", encoding="utf-8", newline="\n") as handle, \
                contextlib.closing(results), \
                (contextlib.nullcontext() if here and todo else _gc_paused()):
            for i, paper in enumerate(papers):
                line, entities, found = (summarise(done[i]) if done[i] is not None
                                         else next(results))
                done[i] = None
                handle.write(line)
                handle.write("\n")
                builder.add((paper, entities, found))
            report.engine = engine.describe() if todo else "none (nothing new to extract)"
            t2 = time.perf_counter()
        with _gc_paused():
            G = builder.graph()
        del builder, done
        _trim_heap()
        t3 = time.perf_counter()
        write_state(stage / STATE_FILE, state_lines(papers, groups, records, hashes,
                                                    extractor=fingerprint, inputs=all_inputs))
        del records, groups, papers, hashes
        _trim_heap()
        report.output_timings = {"extractions.jsonl": 0.0,
                                 STATE_FILE: time.perf_counter() - t3}
        report.nodes, report.relationships = G.number_of_nodes(), G.number_of_edges()

        with _gc_paused():
            _write_graph_outputs(G, stage, report.output_timings)
            del G
    t4 = time.perf_counter()
    report.outputs = [out / name for name in OUTPUTS]
    if report.nodes > MAX_NODES:
        report.notes.append(
            f"graph.html is an overview: {MAX_NODES:,} of {report.nodes:,} nodes "
            f"(the top entities and their papers). Focus with: kgraph view --graph {out} "
            "--dataset NAME (or --method, --task, --paper, --top N) -o view.html")
    report.timings = {"ingest": t1 - t0, "extract": t2 - t1, "graph": t3 - t2,
                      "export": t4 - t3}
    return report


#: Records read between two :meth:`~kgraph.parallel.ExtractionEngine.prepare` hints.
_PREPARE_EVERY = 500


def _trim_heap() -> None:
    """Give the memory freed so far back to the operating system, where the C library
    can (glibc's ``malloc_trim(0)``; a no-op elsewhere).

    Strings longer than 512 bytes (abstracts, extraction lines) live in the C heap,
    whose freed pages stay with the process until trimmed: on 74,668 abstracts,
    trimming after the graph is built gives back about 200 MB before the outputs,
    the store's load among them, take their own.
    """
    global _MALLOC_TRIM
    if _MALLOC_TRIM is None:
        import ctypes
        import ctypes.util

        try:
            _MALLOC_TRIM = ctypes.CDLL(ctypes.util.find_library("c") or None).malloc_trim
        except (AttributeError, OSError, TypeError):
            _MALLOC_TRIM = False
    if _MALLOC_TRIM:
        _MALLOC_TRIM(0)


_MALLOC_TRIM = None  # glibc's malloc_trim, False where there is none


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block.

    Building the graph and its outputs allocates tens of millions of objects (none
    of them garbage in a cycle), and every so many allocations the collector walks
    every object alive, the whole graph included: a third of the time of the graph
    stage on 74,668 abstracts. Reference counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _write_graph_outputs(G: nx.MultiDiGraph, stage: Path, timings: dict[str, float]) -> None:
    """Write every output made from the graph into ``stage``, two at a time.

    The embedded store is loaded by LadybugDB, which releases the GIL while it
    works, so it runs on a thread beside the Python writers: the Neo4j rows are made
    once (for ``neo4j/`` and the store), the store's thread writes its Parquet files
    and loads them while this one writes ``neo4j/``, ``graph.json``,
    ``graph.graphml`` and ``graph.html``. Seconds per output go into ``timings``
    (the store's overlap the others'). Nothing returns before the store's thread has
    stopped: an error of this thread is raised then, else the store's, if any.
    """
    from concurrent.futures import ThreadPoolExecutor

    from kgraph.export.cypher import node_groups, relationship_groups
    from kgraph.export.html import write_html
    from kgraph.export.neo4j_csv import write_neo4j
    from kgraph.store import write_store

    def timed(name: str, write: Callable, *args, **kwargs) -> None:
        begun = time.perf_counter()
        write(*args, **kwargs)
        timings[name] = time.perf_counter() - begun

    begun = time.perf_counter()
    groups = (node_groups(G), relationship_groups(G))  # for the Neo4j files and the store
    timings["rows"] = time.perf_counter() - begun
    with ThreadPoolExecutor(1, thread_name_prefix="kgraph-store") as pool:
        store = pool.submit(timed, "graph.lbdb/", write_store, None, stage, groups=groups)
        try:
            timed("neo4j/", write_neo4j, None, stage, groups=groups)
            del groups
            timed("graph.json", write_json, G, stage / "graph.json")
            timed("graph.graphml", write_graphml, G, stage / "graph.graphml")
            timed("graph.html", write_html, G, stage / "graph.html")
        except BaseException:
            store.cancel()
            raise
        store.result()


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


@dataclass
class EntityPapers:
    """The papers linked to one entity, as :func:`find_papers` finds them.

    Attributes
    ----------
    node : str
        The entity's node id (``"dataset:coco"``).
    name : str
        Its canonical name.
    papers : list of (str, str)
        ``(paper id, title)`` of every paper linked to it, by paper id.
    """

    node: str
    name: str
    papers: list[tuple[str, str]] = field(default_factory=list)


def _papers_from_graph(graph_dir: str | Path, name: str, etype: str) -> EntityPapers:
    from kgraph.graph import find_entity, papers_using

    G = load_graph(graph_dir)
    node = find_entity(G, name, etype)
    return EntityPapers(node, G.nodes[node]["name"],
                        [(G.nodes[p]["id"], G.nodes[p]["title"])
                         for p in papers_using(G, name, etype)])


def find_papers(graph_dir: str | Path, name: str, etype: str) -> EntityPapers:
    """The papers that use an entity, found in the embedded store when the build has one.

    What ``kgraph papers`` prints: the same answer as
    :func:`kgraph.graph.find_entity` and :func:`kgraph.graph.papers_using` on the
    graph of ``graph.json``, without reading that file, which takes seconds for a large
    corpus. The entity is looked up by its merge key (the primary key of its table),
    then, when that fails, by the merge keys of every name and alias of its label; a
    name nothing matches is looked up in ``graph.json`` for the suggestions of
    :class:`~kgraph.errors.NotFoundError`.

    Parameters
    ----------
    graph_dir : str or Path
        A build's output folder.
    name : str
        Canonical name or alias (case, hyphens, spacing and plurals folded).
    etype : str
        ``"dataset"``, ``"method"``, ``"metric"`` or ``"task"`` (an
        :class:`~kgraph.model.EntityType` value).

    Returns
    -------
    EntityPapers

    Raises
    ------
    kgraph.errors.NotFoundError
        No entity of that type has that name; with the nearest names.
    kgraph.errors.GraphNotFoundError
        The folder holds no build.
    """
    from kgraph.canonical import canonical_key
    from kgraph.errors import GraphNotFoundError
    from kgraph.model import EntityType
    from kgraph.store import database_path, open_store

    etype = EntityType(etype)
    key = canonical_key(name)
    try:
        database_path(graph_dir)
    except GraphNotFoundError:
        return _papers_from_graph(graph_dir, name, etype.value)
    if not key:
        return _papers_from_graph(graph_dir, name, etype.value)
    import ladybug

    label = etype.label  # one of the model's labels: safe to write into the query

    def matches(row: list) -> bool:
        return any(canonical_key(form) == key for form in [row[1] or ""] + (row[2] or []))

    with open_store(graph_dir) as db, contextlib.closing(ladybug.Connection(db)) as conn:
        found = conn.execute(f"MATCH (e:{label}) WHERE e.key = $key "
                             "RETURN e.key, e.name, e.aliases", {"key": key}).get_all()
        found = [row for row in found if matches(row)]
        if not found:
            rows = conn.execute(f"MATCH (e:{label}) RETURN e.key, e.name, e.aliases").get_all()
            found = [row for row in rows if matches(row)][:1]
        if not found:
            return _papers_from_graph(graph_dir, name, etype.value)  # raises, with hints
        node_key, node_name = found[0][0], found[0][1]
        papers = conn.execute(f"MATCH (p:Paper)-[]->(e:{label}) WHERE e.key = $key "
                              "RETURN DISTINCT p.id, p.title ORDER BY p.id",
                              {"key": node_key}).get_all()
    return EntityPapers(f"{etype.value}:{node_key}", node_name,
                        [(pid, title) for pid, title in papers])
