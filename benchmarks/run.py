"""The scale benchmark: ``kgraph build`` end to end on growing slices of an arXiv dump.

Run, from the project folder (one command; about 3 minutes on 2 cores)::

    python benchmarks/run.py

It builds the first 10,000 and 30,000 abstracts and the whole of
``../shared/corpus/arxiv_cs_abstracts.jsonl.gz`` (74,668 abstracts; ``--corpus`` or
``$KGRAPH_SHARED`` point elsewhere) and writes ``BENCHMARKS.md``:

- for each size, the wall time of ``python -m kgraph build INPUT -o DIR --jobs N``
  (a fresh process: imports, ingest, extraction, graph, every output), abstracts per
  second, the seconds of each stage and of each output as the command reports them,
  and the peak resident memory: of the largest process, and of all processes together
  (sampled every 20 ms with psutil; extraction runs in worker processes);
- as a reference, the time spaCy's own tokenizer (``spacy.blank("en").tokenizer``, one
  process) takes on the same texts, and the ratio of the build's wall time to it;
- on the largest build, the time of ``kgraph papers --dataset`` (the lookup the command
  makes, and the whole command in a fresh process) and of the embedded query
  ``queries/papers_sharing_datasets.cypher``, medians of ``--runs`` runs;
- whether the targets hold: the whole corpus in at most 50 s (at least 1,500
  abstracts/s) with at most 2 GB peak memory, time growing linearly with the corpus
  (abstracts/s of the largest size at least 80% of the smallest's), and both queries
  under 50 ms.

The slices are the first N lines of the corpus, written to ``.jsonl.gz`` files in a
temporary folder before timing starts; the whole corpus is read as it is, gzip and all.

Options: ``--sizes 10000,30000,all``, ``--jobs N`` (default: every core),
``--runs N``, ``--output FILE`` (``-`` prints the report), ``--workdir DIR`` (keep the
builds there).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("KGRAPH_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus" / "arxiv_cs_abstracts.jsonl.gz"
QUERY = ROOT / "queries" / "papers_sharing_datasets.cypher"

#: Targets of the scale issue, on a 2-core machine.
TARGET_SECONDS = 50.0
TARGET_RATE = 1500.0
TARGET_RSS = 2 * 1024 ** 3
TARGET_QUERY_MS = 50.0
LINEARITY = 0.8

_TIME_RE = re.compile(r"^time: (.*), total ([\d.]+)s$", re.M)
_EXPORT_RE = re.compile(r"^export: (.*)$", re.M)
_COUNTS_RE = re.compile(r"^(\d+) records, (\d+) unique papers -> (\d+) nodes, "
                        r"(\d+) relationships$", re.M)
_ENGINE_RE = re.compile(r"^extracted \d+ papers? \((.*?)\)", re.M)


@dataclass
class BuildRun:
    """One measured build."""

    size: int
    wall: float
    papers: int
    records: int
    nodes: int
    relationships: int
    stages: dict[str, float]
    outputs: dict[str, float]
    engine: str
    peak_process: int
    peak_total: int
    tokenizer: float = 0.0
    tokens: int = 0

    @property
    def rate(self) -> float:
        return self.records / self.wall


@dataclass
class QueryTimes:
    """Medians (ms) of the query benchmarks on one build."""

    dataset: str
    papers_lookup: float
    papers_command: float
    papers_found: int
    sharing_query: float
    sharing_paper: str
    extra: dict[str, float] = field(default_factory=dict)


def _pairs(text: str) -> dict[str, float]:
    return {k: float(v.rstrip("s")) for k, v in
            (item.rsplit(" ", 1) for item in text.split(", "))}


def parse_build_output(text: str) -> dict:
    """Counts, stage and output seconds, and engine from ``kgraph build``'s report.

    Parameters
    ----------
    text : str
        Standard output of ``kgraph build``.

    Returns
    -------
    dict
        ``records``, ``papers``, ``nodes``, ``relationships`` (int), ``stages`` and
        ``outputs`` (name to seconds), ``engine`` (str).

    Raises
    ------
    ValueError
        When a line is missing.

    Examples
    --------
    >>> out = ("5 records, 4 unique papers -> 20 nodes, 30 relationships\\n"
    ...        "extracted 4 papers (local, 1 worker)\\n"
    ...        "time: ingest 0.01s, extract 1.50s, graph 0.02s, export 0.40s, total 1.93s\\n"
    ...        "export: extractions.jsonl 0.01s, graph.json 0.02s\\n")
    >>> r = parse_build_output(out)
    >>> r["papers"], r["stages"]["extract"], r["outputs"]["graph.json"], r["engine"]
    (4, 1.5, 0.02, 'local, 1 worker')
    """
    counts, times, export = _COUNTS_RE.search(text), _TIME_RE.search(text), _EXPORT_RE.search(text)
    engine = _ENGINE_RE.search(text)
    if not (counts and times and export and engine):
        raise ValueError(f"not the report of kgraph build:\n{text}")
    records, papers, nodes, rels = (int(x) for x in counts.groups())
    return {"records": records, "papers": papers, "nodes": nodes, "relationships": rels,
            "stages": _pairs(times.group(1)), "outputs": _pairs(export.group(1)),
            "engine": engine.group(1)}


def _tree_rss(proc) -> int:
    import psutil

    total = 0
    try:
        procs = [proc] + proc.children(recursive=True)
    except psutil.Error:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def measure_build(input_path: Path, out_dir: Path, jobs: int | None, size: int) -> BuildRun:
    """Run ``python -m kgraph build`` in a fresh process and measure it.

    Parameters
    ----------
    input_path : Path
        The input file.
    out_dir : Path
        The output folder (replaced).
    jobs : int or None
        ``--jobs``; ``None`` leaves kgraph's default (every core).
    size : int
        Number of abstracts in the input (for the report).

    Returns
    -------
    BuildRun
        Wall time in seconds and peak resident memory in bytes: of the largest single
        process (the operating system's own high-water mark, ``ru_maxrss``) and of
        the process tree (sampled).

    Raises
    ------
    RuntimeError
        When the build fails (its standard error is in the message).
    """
    import psutil
    import resource

    shutil.rmtree(out_dir, ignore_errors=True)
    cmd = [sys.executable, "-m", "kgraph", "build", str(input_path), "-o", str(out_dir)]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    peak = [0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                        env=env, cwd=ROOT)
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], _tree_rss(proc))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr}")
    maxrss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    report = parse_build_output(stdout)
    largest = max(maxrss_kib, before) * 1024  # Linux reports KiB
    return BuildRun(size=size, wall=wall, papers=report["papers"], records=report["records"],
                    nodes=report["nodes"], relationships=report["relationships"],
                    stages=report["stages"], outputs=report["outputs"],
                    engine=report["engine"], peak_process=largest,
                    peak_total=max(peak[0], largest))


def tokenizer_reference(input_path: Path) -> tuple[float, int]:
    """Seconds spaCy's blank English tokenizer takes on the texts kgraph extracts.

    The texts are read (and deduplicated) as ``kgraph build`` reads them, which is not
    timed: ``title + "\\n\\n" + abstract`` per paper.

    Parameters
    ----------
    input_path : Path

    Returns
    -------
    seconds : float
        One process, ``nlp.tokenizer.pipe`` over every text.
    tokens : int
        Tokens produced.
    """
    import spacy

    from kgraph.ingest import read_papers

    texts = [p.text for p in read_papers([str(input_path)])]
    nlp = spacy.blank("en")
    started = time.perf_counter()
    tokens = 0
    for doc in nlp.tokenizer.pipe(texts, batch_size=1000):
        tokens += len(doc)
    return time.perf_counter() - started, tokens


def _median_ms(fn, runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure_queries(out_dir: Path, runs: int) -> QueryTimes:
    """Time ``kgraph papers --dataset`` and the papers-sharing-datasets query.

    The dataset is the most used one, and the paper the one that uses most datasets
    (the heaviest cases).

    Parameters
    ----------
    out_dir : Path
        A build's output folder.
    runs : int
        Timed runs per figure (after one warm-up).

    Returns
    -------
    QueryTimes
    """
    from kgraph.query.embedded import run_embedded
    from kgraph.query.format import read_query_file
    from kgraph.workflow import find_papers

    top = run_embedded(out_dir, "MATCH (d:Dataset) RETURN d.name, d.papers "
                                "ORDER BY d.papers DESC, d.name LIMIT 1").rows
    dataset = top[0][0]
    busiest = run_embedded(out_dir, "MATCH (p:Paper)-[:USES_DATASET|PROPOSES]->(d:Dataset) "
                                    "RETURN p.id, count(DISTINCT d) AS n "
                                    "ORDER BY n DESC, p.id LIMIT 1").rows
    paper = busiest[0][0]
    found = find_papers(out_dir, dataset, "dataset")
    lookup = _median_ms(lambda: find_papers(out_dir, dataset, "dataset"), runs)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    cmd = [sys.executable, "-m", "kgraph", "papers", "--dataset", dataset, "--graph",
           str(out_dir)]
    command = _median_ms(lambda: subprocess.run(cmd, check=True, capture_output=True,
                                                env=env), max(3, runs // 5))
    cypher, header = read_query_file(QUERY)
    params = dict(header["defaults"], paper=paper)
    sharing = _median_ms(lambda: run_embedded(out_dir, cypher, params), runs)
    return QueryTimes(dataset=dataset, papers_lookup=lookup, papers_command=command,
                      papers_found=len(found.papers), sharing_query=sharing,
                      sharing_paper=paper)


def write_slices(corpus: Path, sizes: list[int | None], folder: Path) -> dict[int, Path]:
    """The input file of each size: the first N lines of the corpus, or the corpus.

    Parameters
    ----------
    corpus : Path
        JSON Lines, gzip-compressed or not.
    sizes : list of int or None
        ``None`` for the whole corpus.
    folder : Path
        Where slices are written (``slice_N.jsonl.gz``).

    Returns
    -------
    dict of int to Path
        Number of abstracts -> file, smallest first.
    """
    wanted = sorted(s for s in sizes if s is not None)
    paths: dict[int, Path] = {}
    opener = gzip.open if corpus.suffix == ".gz" else open
    with opener(corpus, "rt", encoding="utf-8") as f:
        lines = [line for line in f if line.strip()]
    for n in wanted:
        if n >= len(lines):
            continue
        path = folder / f"slice_{n}.jsonl.gz"
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as out:
            out.writelines(lines[:n])
        paths[n] = path
    if None in sizes or any(n >= len(lines) for n in wanted):
        paths[len(lines)] = corpus
    return dict(sorted(paths.items()))


def _gib(n: int) -> str:
    return f"{n / 1024 ** 3:.2f} GiB"


def render(runs: list[BuildRun], queries: QueryTimes | None, *, cores: int,
           jobs: int | None, corpus: Path, load: float | None = None) -> str:
    """The Markdown report.

    Parameters
    ----------
    runs : list of BuildRun
        Smallest first.
    queries : QueryTimes or None
    cores : int
        CPU cores of the machine.
    jobs : int or None
        ``--jobs`` given to the builds.
    corpus : Path
    load : float or None
        The 1-minute load average when the run started (other work on the machine
        slows every figure).

    Returns
    -------
    str
    """
    cpu = platform.processor() or platform.machine()
    try:
        import psutil

        memory = _gib(psutil.virtual_memory().total)
    except ImportError:
        memory = "?"
    stage_names = list(runs[0].stages) if runs else []
    output_names = list(runs[0].outputs) if runs else []
    lines = [
        "# Benchmarks",
        "",
        "Generated by `python benchmarks/run.py` "
        f"({time.strftime('%Y-%m-%d %H:%M', time.localtime())}); rerun it to refresh this file.",
        "",
        f"Machine: **{cores} CPU cores** ({cpu}), {memory} RAM, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}. "
        f"Builds ran with `--jobs {jobs or cores}`. Corpus: `{corpus.name}`."
        + (f" Load average when the run started: {load:.1f} (other processes share "
           "the cores when it exceeds 0)." if load is not None else ""),
        "",
        "## `kgraph build`, end to end",
        "",
        "Wall time of `python -m kgraph build INPUT -o DIR` in a fresh process (imports, "
        "ingest, extraction, graph, every output); stage and output seconds as the "
        "command reports them; peak resident memory of the largest process and of all "
        "processes together (extraction workers included).",
        "",
        "| abstracts | papers | nodes | relationships | wall (s) | abstracts/s | "
        + " | ".join(f"{s} (s)" for s in stage_names)
        + " | peak RSS, largest process | peak RSS, all processes | engine |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | "
        + " | ".join("---:" for _ in stage_names) + " | ---: | ---: | --- |",
    ]
    for r in runs:
        lines.append(
            f"| {r.size:,} | {r.papers:,} | {r.nodes:,} | {r.relationships:,} | "
            f"{r.wall:.1f} | {r.rate:,.0f} | "
            + " | ".join(f"{r.stages.get(s, 0):.2f}" for s in stage_names)
            + f" | {_gib(r.peak_process)} | {_gib(r.peak_total)} | {r.engine} |")
    lines += ["", "Seconds per output (part of the `export` stage):", "",
              "| abstracts | " + " | ".join(f"`{o}`" for o in output_names) + " |",
              "| ---: | " + " | ".join("---:" for _ in output_names) + " |"]
    for r in runs:
        lines.append(f"| {r.size:,} | "
                     + " | ".join(f"{r.outputs.get(o, 0):.2f}" for o in output_names) + " |")
    lines += ["", "## Reference: spaCy's tokenizer on the same texts", "",
              "`spacy.blank(\"en\").tokenizer.pipe` over the same `title + \"\\n\\n\" + "
              "abstract` texts, one process. The ratio is the build's wall time over the "
              "tokenizer's time: how many times longer than merely tokenizing the texts "
              "kgraph takes for everything.", "",
              "| abstracts | tokens | tokenizer (s) | tokenizer abstracts/s | "
              "build wall / tokenizer |",
              "| ---: | ---: | ---: | ---: | ---: |"]
    for r in runs:
        lines.append(f"| {r.size:,} | {r.tokens:,} | {r.tokenizer:.2f} | "
                     f"{r.papers / r.tokenizer:,.0f} | {r.wall / r.tokenizer:.1f}× |")
    if queries is not None:
        lines += ["", f"## Queries on the {runs[-1].size:,}-abstract graph", "",
                  f"Medians over repeated runs. The dataset is the most used one "
                  f"(`{queries.dataset}`, {queries.papers_found:,} papers); the paper "
                  f"(`{queries.sharing_paper}`) is the one that uses most datasets.", "",
                  "| what | ms |", "| --- | ---: |",
                  f"| `kgraph papers --dataset` lookup (`kgraph.workflow.find_papers`) | "
                  f"{queries.papers_lookup:.1f} |",
                  f"| `kgraph papers --dataset`, whole command in a fresh process | "
                  f"{queries.papers_command:.0f} |",
                  f"| embedded `queries/papers_sharing_datasets.cypher` (open, run, read, "
                  f"close) | {queries.sharing_query:.1f} |"]
    lines += ["", "## Targets", ""]
    lines += [f"- {line}" for line in check_targets(runs, queries)]
    return "\n".join(lines) + "\n"


def check_targets(runs: list[BuildRun], queries: QueryTimes | None) -> list[str]:
    """One line per target: what it asks, the figure, and ``met`` or ``NOT met``.

    Parameters
    ----------
    runs : list of BuildRun
        Smallest first.
    queries : QueryTimes or None

    Returns
    -------
    list of str
    """
    if not runs:
        return []
    big, small = runs[-1], runs[0]
    ok = lambda cond: "met" if cond else "NOT met"  # noqa: E731
    out = [
        f"{big.size:,} abstracts in at most {TARGET_SECONDS:.0f} s: {big.wall:.1f} s "
        f"({ok(big.wall <= TARGET_SECONDS)})",
        f"at least {TARGET_RATE:,.0f} abstracts/s: {big.rate:,.0f} ({ok(big.rate >= TARGET_RATE)})",
        f"peak RSS at most {_gib(TARGET_RSS)}: {_gib(big.peak_total)} all processes, "
        f"{_gib(big.peak_process)} largest ({ok(big.peak_total <= TARGET_RSS)})",
    ]
    if len(runs) > 1:
        share = big.rate / small.rate
        out.append(f"linear growth (abstracts/s at {big.size:,} at least {LINEARITY:.0%} of "
                   f"that at {small.size:,}): {share:.0%} ({ok(share >= LINEARITY)})")
    if queries is not None:
        lookup = queries.papers_lookup
        out.append(f"`kgraph papers --dataset` under {TARGET_QUERY_MS:.0f} ms: "
                   f"{lookup:.1f} ms ({ok(lookup < TARGET_QUERY_MS)})")
        out.append(f"papers-sharing-datasets query under {TARGET_QUERY_MS:.0f} ms: "
                   f"{queries.sharing_query:.1f} ms "
                   f"({ok(queries.sharing_query < TARGET_QUERY_MS)})")
    return out


def _sizes(text: str) -> list[int | None]:
    out: list[int | None] = []
    for part in text.split(","):
        part = part.strip().replace("_", "")
        out.append(None if part == "all" else int(part))
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return the exit status (0, or 1 when the corpus is missing)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--sizes", type=_sizes, default=_sizes("10000,30000,all"),
                        help="comma-separated numbers of abstracts; 'all' for the corpus")
    parser.add_argument("--jobs", type=int, default=None, help="--jobs of the builds")
    parser.add_argument("--runs", type=int, default=25, help="timed runs per query figure")
    parser.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"),
                        help="the report ('-' prints it)")
    parser.add_argument("--workdir", type=Path, help="keep slices and builds here")
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        print(f"no corpus at {args.corpus}; give --corpus or set KGRAPH_SHARED",
              file=sys.stderr)
        return 1
    sys.path.insert(0, str(ROOT))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    with tempfile.TemporaryDirectory(prefix="kgraph-bench-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        slices = write_slices(args.corpus, args.sizes, work)
        runs = []
        for size, path in slices.items():
            print(f"building {size:,} abstracts ...", file=sys.stderr, flush=True)
            run = measure_build(path, work / f"build_{size}", args.jobs, size)
            run.tokenizer, run.tokens = tokenizer_reference(path)
            print(f"  {run.wall:.1f} s, {run.rate:,.0f} abstracts/s, peak "
                  f"{_gib(run.peak_total)}", file=sys.stderr, flush=True)
            runs.append(run)
        queries = measure_queries(work / f"build_{runs[-1].size}", args.runs) if runs else None
        report = render(runs, queries, cores=os.cpu_count() or 1, jobs=args.jobs,
                        corpus=args.corpus, load=load)
    if args.output == "-":
        sys.stdout.write(report)
    else:
        Path(args.output).write_text(report, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
