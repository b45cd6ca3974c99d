"""Extraction on several processes: a local process pool, or a Dask cluster.

Extraction is the expensive stage and every paper is extracted independently of the
others (:meth:`kgraph.extract.Extractor.extract` reads only ``paper.text``), so it is
split into chunks of papers that run in parallel. Two engines share one interface,
:meth:`ExtractionEngine.extract`:

- :class:`LocalEngine`: a pool of worker processes on this machine (``--jobs N``);
- :class:`DaskEngine`: the workers of a ``dask.distributed`` cluster (``--scheduler
  tcp://HOST:PORT``), or of a local Dask cluster started for the run (``--engine
  dask``).

Both follow the pattern that is safe under the ``spawn`` and ``forkserver`` start
methods: each worker builds its own :class:`~kgraph.extract.Extractor` once (the pool's
initializer, or a per-worker cache on Dask), chunks of :class:`~kgraph.model.Paper`
go out, lists of :class:`~kgraph.model.PaperExtraction` come back. Results are yielded
in input order whatever order the chunks finish in, so the outputs of a build are
byte-identical for any number of workers. At most a few chunks per worker are in flight
at a time, which bounds the memory of pending results.

With ``form="summary"`` the workers also do what the calling process would do next
with each extraction, in parallel: they serialise its ``extractions.jsonl`` line and
reduce its entities to :class:`~kgraph.graph.build.GraphEntity` tuples, so what comes
back is small and cheap to unpickle (a PaperExtraction's thousands of mention objects
cost more to unpickle than to extract on a large corpus).

Errors that kgraph raises on purpose inside a worker (:class:`~kgraph.errors.KgraphError`)
come back as their one-line message and are raised again in the calling process.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import os
import signal
import tempfile
import threading
from collections import deque
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from kgraph.errors import KgraphError
from kgraph.model import Paper, PaperExtraction

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "MIN_PAPERS_PER_WORKER",
    "ENGINES",
    "ExtractionEngine",
    "LocalEngine",
    "DaskEngine",
    "make_engine",
    "default_jobs",
    "chunks",
    "summarise",
    "FORMS",
]

#: Papers per task sent to a worker.
DEFAULT_CHUNK_SIZE = 250

#: A local worker is started only for this many papers or more. Starting one (forking
#: it and building its spaCy pipeline) costs about as much as extracting this many
#: abstracts, so fewer papers are extracted faster in the calling process.
MIN_PAPERS_PER_WORKER = 1000

#: Names accepted by :func:`make_engine` (and ``kgraph build --engine``).
ENGINES = ("local", "dask")

#: What :meth:`ExtractionEngine.extract` yields per paper.
FORMS = ("extraction", "summary")

ProgressTick = Callable[[int], None]


def default_jobs() -> int:
    """Number of CPU cores this process may run on (at least 1).

    Returns
    -------
    int
        ``len(os.sched_getaffinity(0))`` where the platform has it (it honours CPU
        pinning and container limits set with ``taskset`` or cgroups cpusets), else
        ``os.cpu_count()``.

    Examples
    --------
    >>> default_jobs() >= 1
    True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    """Cut a sequence into consecutive slices of ``size`` items (the last may be shorter).

    Parameters
    ----------
    items : sequence
    size : int
        At least 1.

    Returns
    -------
    list of sequence
        Slices of ``items``, in order.

    Raises
    ------
    ValueError
        When ``size`` is smaller than 1.

    Examples
    --------
    >>> chunks("abcde", 2)
    ['ab', 'cd', 'e']
    """
    if size < 1:
        raise ValueError(f"size must be at least 1, not {size!r}")
    return [items[i:i + size] for i in range(0, len(items), size)]


def summarise(ex: PaperExtraction) -> tuple[str, tuple, tuple]:
    """An extraction as ``form="summary"`` returns it.

    Parameters
    ----------
    ex : PaperExtraction

    Returns
    -------
    line : str
        Its ``extractions.jsonl`` line, without the line end (what
        :func:`kgraph.export.extractions.dump_extractions` writes).
    entities : tuple of GraphEntity
        :func:`kgraph.graph.build.graph_entities` of its entities.
    results : tuple of Result
        Its numeric results (for the ``REPORTS`` edges).
    """
    from kgraph.graph.build import graph_entities

    return (_encode(ex.to_dict()), graph_entities(ex.entities), tuple(ex.results))


#: ``json.dumps(obj, ensure_ascii=False)`` without making an encoder per call; an
#: extraction holds no reference cycles, so the encoder need not look for them.
_encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


def _shape(extractions: Iterable[PaperExtraction], form: str) -> list:
    if form == "summary":
        return [summarise(ex) for ex in extractions]
    return list(extractions)


def _check_form(form: str) -> None:
    if form not in FORMS:
        raise ValueError(f"form must be one of {', '.join(FORMS)}, not {form!r}")


@dataclass(frozen=True)
class _Failed:
    """A KgraphError raised in a worker, carried back as its message."""

    message: str


def _check_lexicons(lexicons: Sequence[str]) -> None:
    """Read every user lexicon once here, so a bad one is reported by the caller with
    its own path and line before any worker starts."""
    if not lexicons:
        return
    from kgraph.extract.gazetteer import load_gazetteer

    for path in lexicons:
        load_gazetteer(path)


def _ordered(submit: Callable[[Sequence[Paper]], Any], parts: Iterable[Sequence[Paper]],
             window: int, progress: ProgressTick | None) -> Iterator[PaperExtraction]:
    """Submit chunks with at most ``window`` in flight; yield their results in order.

    ``submit(chunk)`` returns a future (``concurrent.futures`` or Dask) whose
    ``result()`` is a list of PaperExtraction or a :class:`_Failed`.
    """
    it = iter(parts)
    pending: deque = deque()
    for part in itertools.islice(it, window):
        pending.append((len(part), submit(part)))
    while pending:
        size, future = pending.popleft()
        result = future.result()
        part = next(it, None)
        if part is not None:
            pending.append((len(part), submit(part)))
        if isinstance(result, _Failed):
            raise KgraphError(result.message)
        yield from result
        if progress is not None:
            progress(size)


class ExtractionEngine:
    """Where extraction runs. Subclasses implement :meth:`extract`.

    Attributes
    ----------
    name : str
        ``"local"`` or ``"dask"``.
    workers : int
        Worker processes used by the last :meth:`extract` (0 before the first; 1 means
        the calling process itself).
    """

    name = "engine"

    def __init__(self) -> None:
        self.workers = 0

    def extract(self, papers: Sequence[Paper], lexicons: Sequence[str] = (), *,
                progress: ProgressTick | None = None, form: str = "extraction"
                ) -> Iterator[Any]:
        """Extract every paper.

        Parameters
        ----------
        papers : sequence of Paper
        lexicons : sequence of str
            User lexicon files (see :class:`kgraph.extract.Extractor`).
        progress : callable or None
            Called with the number of papers finished, as they finish.
        form : {"extraction", "summary"}
            What to yield per paper (see below).

        Yields
        ------
        PaperExtraction or (str, tuple of GraphEntity, tuple of Result)
            One per paper, in input order: the extraction, or with ``"summary"`` its
            :func:`summarise` (made by the worker).

        Raises
        ------
        kgraph.errors.KgraphError
            A lexicon cannot be read (raised before any work starts), or a worker
            raised one.
        ValueError
            For an unknown ``form``.
        """
        raise NotImplementedError

    def prepare(self, n_papers: int, lexicons: Sequence[str] = ()) -> bool:
        """Hint that at least ``n_papers`` papers will be extracted with ``lexicons``.

        A build calls this while it is still reading its inputs, so that an engine can
        start its workers (which take seconds to load their pipelines) meanwhile. The
        engine does nothing here by default.

        Parameters
        ----------
        n_papers : int
            Papers read so far (a lower bound of what :meth:`extract` will get).
        lexicons : sequence of str
            The lexicons :meth:`extract` will be called with.

        Returns
        -------
        bool
            True when further hints are of no use (the workers are started, or the
            engine has nothing to prepare).
        """
        return True

    def release(self) -> None:
        """Stop whatever :meth:`prepare` started and :meth:`extract` did not use (a
        no-op when there is nothing); safe to call at any time."""

    def describe(self) -> str:
        """One line saying where the last extraction ran, e.g. ``"local, 2 workers"``."""
        return f"{self.name}, {self.workers} worker{'s' if self.workers != 1 else ''}"


# --------------------------------------------------------------------------- local

_EXTRACTOR = None  # the Extractor of a local worker process (built by _init_worker)


def _init_worker(lexicons: Sequence[str], cwd: str) -> None:
    """Pool initializer: build this worker's Extractor once.

    Workers fork from a server started with the caller's working folder of that time;
    relative lexicon paths must resolve as the caller's do now.
    """
    global _EXTRACTOR
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    os.chdir(cwd)
    from kgraph.extract import Extractor

    try:
        _EXTRACTOR = Extractor(lexicons)
    except KgraphError as err:  # reported by the first chunk
        _EXTRACTOR = _Failed(str(err))


def _extract_chunk(papers: Sequence[Paper], form: str) -> list | _Failed:
    """Task of a local worker: extract one chunk with the worker's Extractor."""
    if isinstance(_EXTRACTOR, _Failed):
        return _EXTRACTOR
    try:
        return _shape(_EXTRACTOR.extract_many(papers), form)
    except KgraphError as err:
        return _Failed(str(err))


def _mp_context():
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        # The fork server imports spaCy and kgraph's pipeline code once; every worker
        # forked from it starts with them loaded.
        ctx.set_forkserver_preload(["kgraph.extract"])
        return ctx
    return multiprocessing.get_context("spawn")


def _stop_fork_server() -> None:
    """Stop the fork server once the workers are done with it.

    It keeps spaCy and the pipeline code loaded (about 90 MB) for as long as this
    process lives, while what follows an extraction (the graph, the outputs) needs the
    memory; the next pool starts a new one. Where ``multiprocessing`` has no fork
    server, or no way to stop it, nothing happens.
    """
    try:
        from multiprocessing import forkserver

        stop = forkserver._forkserver._stop
    except (ImportError, AttributeError):
        return
    stop()


def _new_pool(workers: int, lexicons: list[str]):
    """A process pool whose workers build their Extractor for ``lexicons`` when they
    start."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(workers, mp_context=_mp_context(), initializer=_init_worker,
                               initargs=(lexicons, os.getcwd()))


def _started() -> None:
    """Task that makes a pool start one more worker (the pool starts them on demand)."""


class _Prepared:
    """A pool of ``workers`` processes started ahead of an extraction
    (:meth:`LocalEngine.prepare`), from a thread so that the caller does not wait."""

    def __init__(self, workers: int, lexicons: list[str]) -> None:
        self.workers, self.lexicons = workers, lexicons
        self.pool = _new_pool(workers, lexicons)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._start, name="kgraph-workers", daemon=True)
        self.thread.start()

    def _start(self) -> None:
        try:
            for _ in range(self.workers):
                self.pool.submit(_started)
        except BaseException as err:  # noqa: BLE001 - reported by ready()
            self.error = err

    def fits(self, workers: int, lexicons: list[str]) -> bool:
        return workers == self.workers and lexicons == self.lexicons

    def ready(self):
        """The pool, once every worker has been asked for (errors are raised here)."""
        self.thread.join()
        if self.error is not None:
            self.close()
            raise self.error
        return self.pool

    def close(self) -> None:
        self.thread.join()
        self.pool.shutdown(wait=True, cancel_futures=True)
        _stop_fork_server()


class LocalEngine(ExtractionEngine):
    """Extraction on a pool of worker processes on this machine.

    Parameters
    ----------
    jobs : int or None
        Most worker processes; ``None`` for every core (:func:`default_jobs`).
    chunk_size : int
        Papers per task.
    min_papers_per_worker : int
        Start one worker per this many papers at most (:data:`MIN_PAPERS_PER_WORKER`);
        with a single worker the papers are extracted in the calling process.

    Raises
    ------
    ValueError
        When ``jobs``, ``chunk_size`` or ``min_papers_per_worker`` is below 1.

    Notes
    -----
    Workers are started with the ``forkserver`` method (``spawn`` where there is none),
    so, as with any ``multiprocessing`` code, a script that calls
    :func:`kgraph.workflow.build` must do so under ``if __name__ == "__main__":``.
    """

    name = "local"

    def __init__(self, jobs: int | None = None, *, chunk_size: int = DEFAULT_CHUNK_SIZE,
                 min_papers_per_worker: int = MIN_PAPERS_PER_WORKER) -> None:
        super().__init__()
        for label, value in (("jobs", jobs), ("chunk_size", chunk_size),
                             ("min_papers_per_worker", min_papers_per_worker)):
            if value is not None and value < 1:
                raise ValueError(f"{label} must be at least 1, not {value!r}")
        self.jobs = jobs or default_jobs()
        self.chunk_size = chunk_size
        self.min_papers_per_worker = min_papers_per_worker
        self._prepared: _Prepared | None = None

    def plan(self, n_papers: int) -> int:
        """Worker processes for ``n_papers`` papers: ``min(jobs, n_papers //
        min_papers_per_worker, number of chunks)``, at least 1.

        Examples
        --------
        >>> LocalEngine(4).plan(316), LocalEngine(4).plan(2500), LocalEngine(4).plan(74668)
        (1, 2, 4)
        """
        by_size = n_papers // self.min_papers_per_worker
        return max(1, min(self.jobs, by_size, math.ceil(n_papers / self.chunk_size)))

    def prepare(self, n_papers: int, lexicons: Sequence[str] = ()) -> bool:
        """Start every worker process now when ``n_papers`` papers already need them all
        (:meth:`plan`); see :meth:`ExtractionEngine.prepare`.

        The processes are started from a thread of their own (starting the first one
        starts the fork server, which loads spaCy), and each builds its Extractor
        while the caller goes on reading. :meth:`extract` uses them when it needs as
        many workers with the same lexicons; else they are stopped and others started.
        """
        if self._prepared is not None:
            return True
        if self.jobs < 2 or self.plan(n_papers) < self.jobs:
            return False
        self._prepared = _Prepared(self.jobs, [os.fspath(p) for p in lexicons])
        return True

    def release(self) -> None:
        """See :meth:`ExtractionEngine.release`."""
        prepared, self._prepared = self._prepared, None
        if prepared is not None:
            prepared.close()

    def extract(self, papers: Sequence[Paper], lexicons: Sequence[str] = (), *,
                progress: ProgressTick | None = None, form: str = "extraction"
                ) -> Iterator[Any]:
        """See :meth:`ExtractionEngine.extract`."""
        _check_form(form)
        lexicons = [os.fspath(p) for p in lexicons]
        self.workers = self.plan(len(papers))
        if self.workers == 1:
            self.release()
            from kgraph.extract import Extractor

            results = Extractor(lexicons).extract_many(papers, progress=progress)
            yield from (results if form == "extraction" else map(summarise, results))
            return
        from concurrent.futures.process import BrokenProcessPool

        prepared, self._prepared = self._prepared, None
        try:
            _check_lexicons(lexicons)
        except BaseException:
            if prepared is not None:
                prepared.close()
            raise
        if prepared is not None and not prepared.fits(self.workers, lexicons):
            prepared.close()
            prepared = None
        pool = (prepared.ready() if prepared is not None
                else _new_pool(self.workers, lexicons))
        try:
            yield from _ordered(lambda part: pool.submit(_extract_chunk, part, form),
                                chunks(papers, self.chunk_size), 2 * self.workers, progress)
        except BrokenProcessPool:
            raise KgraphError(f"an extraction worker process died (out of memory?); "
                              f"try fewer --jobs than {self.workers}") from None
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            _stop_fork_server()


# --------------------------------------------------------------------------- dask

_DASK_CACHE = threading.local()  # per worker thread: lexicon fingerprint -> Extractor


def _lexicon_payload(lexicons: Sequence[str]) -> tuple[tuple[str, bytes], ...]:
    """(path as given, content) of every lexicon: workers of a cluster may not see the
    caller's files, so the lexicons travel with the tasks."""
    payload = []
    for path in lexicons:
        try:
            payload.append((str(path), Path(path).read_bytes()))
        except OSError as err:  # _check_lexicons has already named the common cases
            raise KgraphError(f"{path}: cannot read lexicon: {err.strerror or err}") from None
    return tuple(payload)


def _payload_key(payload: tuple[tuple[str, bytes], ...]) -> str:
    digest = hashlib.sha256()
    for name, content in payload:
        digest.update(name.encode("utf-8") + b"\0" + content + b"\0")
    return digest.hexdigest()


class _WorkerExtractor:
    """An Extractor built from lexicon copies in a temporary folder, whose mentions
    name the lexicons by the caller's paths.

    A gazetteer mention's rule is ``gazetteer:<lexicon path>:<line>``; the copies have
    other paths, so those rules are renamed back, and the output equals a local run's.
    """

    def __init__(self, payload: tuple[tuple[str, bytes], ...]) -> None:
        from kgraph.extract import Extractor

        self.renames: dict[str, str] = {}
        with tempfile.TemporaryDirectory(prefix="kgraph-lexicons-") as tmp:
            paths = []
            for i, (given, content) in enumerate(payload):
                path = Path(tmp) / str(i) / Path(given).name  # keeps the extension
                path.parent.mkdir()
                path.write_bytes(content)
                paths.append(str(path))
                self.renames[f"gazetteer:{path}:"] = f"gazetteer:{given}:"
            self.extractor = Extractor(paths)  # the lexicons are read here, not later

    def _rule(self, rule: str) -> str:
        if rule.startswith("gazetteer:"):
            for old, new in self.renames.items():
                if rule.startswith(old):
                    return new + rule[len(old):]
        return rule

    def extract_many(self, papers: Sequence[Paper]) -> Iterator[PaperExtraction]:
        for ex in self.extractor.extract_many(papers):
            if self.renames:
                for ent in ex.entities:
                    ent.mentions = [replace(m, rule=self._rule(m.rule)) for m in ent.mentions]
            yield ex


def _dask_extractor(payload: tuple[tuple[str, bytes], ...]) -> _WorkerExtractor:
    """The extractor of this worker thread for these lexicons, built on first use."""
    cache = getattr(_DASK_CACHE, "extractors", None)
    if cache is None:
        cache = _DASK_CACHE.extractors = {}
    key = _payload_key(payload)
    if key not in cache:
        cache[key] = _WorkerExtractor(payload)
    return cache[key]


def _dask_extract_chunk(papers: Sequence[Paper], payload: tuple[tuple[str, bytes], ...],
                        form: str = "extraction") -> list | _Failed:
    """Task of a Dask worker: extract one chunk."""
    try:
        return _shape(_dask_extractor(payload).extract_many(papers), form)
    except KgraphError as err:
        return _Failed(str(err))


def _import_distributed():
    try:
        import distributed
    except ImportError:
        raise KgraphError("the Dask engine needs dask.distributed: "
                          "pip install 'dask[distributed]'") from None
    return distributed


class DaskEngine(ExtractionEngine):
    """Extraction on the workers of a ``dask.distributed`` cluster.

    Parameters
    ----------
    scheduler : str or None
        Address of a running scheduler, e.g. ``"tcp://10.0.0.5:8786"``. ``None`` starts
        a ``LocalCluster`` of ``jobs`` single-threaded worker processes for the run
        and closes it afterwards.
    jobs : int or None
        Workers of the local cluster (``None``: every core); ignored with a scheduler.
    chunk_size : int
        Papers per task.
    timeout : float
        Seconds to wait for the scheduler to answer, and for at least one worker.

    Raises
    ------
    ValueError
        When ``jobs`` or ``chunk_size`` is below 1.

    Notes
    -----
    Every worker must be able to import the same version of kgraph (install it where
    the workers run). User lexicons are read by the caller and sent with the tasks, so
    the workers need not see the caller's files. Each worker thread builds its
    Extractor once and keeps it for later tasks with the same lexicons.
    """

    name = "dask"

    def __init__(self, scheduler: str | None = None, *, jobs: int | None = None,
                 chunk_size: int = DEFAULT_CHUNK_SIZE, timeout: float = 30.0) -> None:
        super().__init__()
        for label, value in (("jobs", jobs), ("chunk_size", chunk_size)):
            if value is not None and value < 1:
                raise ValueError(f"{label} must be at least 1, not {value!r}")
        self.scheduler = scheduler
        self.jobs = jobs or default_jobs()
        self.chunk_size = chunk_size
        self.timeout = timeout

    def describe(self) -> str:
        """See :meth:`ExtractionEngine.describe`; names the scheduler."""
        where = self.scheduler or "local cluster"
        return f"dask at {where}, {self.workers} worker{'s' if self.workers != 1 else ''}"

    def _connect(self, distributed):
        if self.scheduler is None:
            cluster = distributed.LocalCluster(
                n_workers=self.jobs, threads_per_worker=1, processes=True,
                host="127.0.0.1", dashboard_address=None)
            return distributed.Client(cluster), cluster
        try:
            client = distributed.Client(self.scheduler, timeout=self.timeout)
        except (OSError, TimeoutError, ValueError) as err:
            raise KgraphError(f"cannot reach the Dask scheduler at {self.scheduler}: "
                              f"{str(err).splitlines()[0] if str(err) else type(err).__name__}"
                              ) from None
        return client, None

    def extract(self, papers: Sequence[Paper], lexicons: Sequence[str] = (), *,
                progress: ProgressTick | None = None, form: str = "extraction"
                ) -> Iterator[Any]:
        """See :meth:`ExtractionEngine.extract`."""
        _check_form(form)
        lexicons = [os.fspath(p) for p in lexicons]
        _check_lexicons(lexicons)
        payload = _lexicon_payload(lexicons)
        distributed = _import_distributed()
        client, cluster = self._connect(distributed)
        try:
            try:
                client.wait_for_workers(1, timeout=self.timeout)
            except TimeoutError:
                raise KgraphError(f"the Dask scheduler {self.scheduler or ''} has no "
                                  f"workers after {self.timeout:g} s") from None
            self.workers = len(client.scheduler_info(n_workers=-1)["workers"])
            window = 2 * max(1, sum(w.get("nthreads", 1) for w in
                                    client.scheduler_info(n_workers=-1)["workers"].values()))
            submit = lambda part: client.submit(_dask_extract_chunk, part, payload,  # noqa: E731
                                                form, pure=False)
            try:
                yield from _ordered(submit, chunks(papers, self.chunk_size), window, progress)
            except distributed.KilledWorker as err:
                raise KgraphError(f"Dask workers died running the extraction: {err}") from None
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def make_engine(jobs: int | None = None, scheduler: str | None = None,
                engine: str | None = None) -> ExtractionEngine:
    """The engine the command-line options ask for.

    Parameters
    ----------
    jobs : int or None
        Local worker processes (``--jobs``); ``None`` for every core.
    scheduler : str or None
        A Dask scheduler address (``--scheduler``); implies the Dask engine.
    engine : {"local", "dask"} or None
        ``--engine``; ``None`` means ``"dask"`` with a scheduler, else ``"local"``.

    Returns
    -------
    ExtractionEngine

    Raises
    ------
    KgraphError
        For an unknown engine, or a scheduler with ``engine="local"``.
    ValueError
        When ``jobs`` is below 1.

    Examples
    --------
    >>> make_engine(2).name, make_engine(scheduler="tcp://127.0.0.1:8786").name
    ('local', 'dask')
    """
    if engine is None:
        engine = "dask" if scheduler else "local"
    if engine not in ENGINES:
        raise KgraphError(f"unknown engine {engine!r}; engines: {', '.join(ENGINES)}")
    if engine == "local":
        if scheduler:
            raise KgraphError("a scheduler address needs the Dask engine (--engine dask)")
        return LocalEngine(jobs)
    return DaskEngine(scheduler, jobs=jobs)
