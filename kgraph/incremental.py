"""Incremental builds: what a build remembers, so that ``kgraph build --update`` extracts
only the papers it has not seen.

A build writes, beside ``extractions.jsonl``, the state file ``build-state.jsonl``
(:data:`STATE_FILE`), JSON Lines:

- line 1, the header: ``{"format": "kgraph-build-state/1", "kgraph": version,
  "extractor": fingerprint, "inputs": [files as given], "records": R, "papers": P}``;
- then one line per paper, in the order of ``extractions.jsonl``:
  ``{"hash": content hash, "records": [i, ...]}``, plus ``"duplicates": [record, ...]``
  when several records were merged into the paper.

``records`` are the positions, among the R records read before deduplication, of the
records merged into the paper; a paper read once is its own record, and a paper merged
from several keeps them all (``Paper.to_dict`` form). The records of a build can
therefore be put back in their reading order exactly, and an update deduplicates the
old records followed by the new ones, which is what a full rebuild over all the inputs
reads: the papers, their ids, sources and merged fields are the same.

The *content hash* (:func:`content_hash`) is the SHA-256 of ``paper.text``, the only
thing extraction reads; the *extractor fingerprint* (:func:`extractor_fingerprint`)
covers the kgraph version and the user lexicons (path as given, since gazetteer
mentions name it, and content). An update reuses the entities of a paper whose content
hash is in the previous build when the fingerprints match, and extracts the others: new
papers, and papers whose text changed (a duplicate with a longer abstract). Then the
graph is rebuilt from all extractions and every output rewritten, so the result is
byte-identical to a full rebuild.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterable, Iterator, Sequence

from kgraph import __version__
from kgraph.atomic import atomic_write
from kgraph.errors import GraphNotFoundError, InputError
from kgraph.export.extractions import read_extractions
from kgraph.model import Entity, Paper, PaperExtraction, Result

__all__ = ["STATE_FILE", "STATE_FORMAT", "BuildState", "content_hash",
           "extractor_fingerprint", "state_lines", "write_state", "read_state", "reuse"]

#: The state file in a build's output folder.
STATE_FILE = "build-state.jsonl"
#: The ``format`` of its header line.
STATE_FORMAT = "kgraph-build-state/1"


def content_hash(paper: Paper) -> str:
    """SHA-256 of the text extraction reads (:attr:`Paper.text`), in hex.

    Parameters
    ----------
    paper : Paper

    Returns
    -------
    str
        64 hex digits.

    Examples
    --------
    >>> a, b = Paper("1", "T", "An abstract."), Paper("2", "T", "An abstract.")
    >>> content_hash(a) == content_hash(b), len(content_hash(a))
    (True, 64)
    """
    return hashlib.sha256(paper.text.encode("utf-8")).hexdigest()


def extractor_fingerprint(lexicons: Sequence[str | os.PathLike[str]] = ()) -> str:
    """What extraction depends on besides the text: kgraph's version and the lexicons.

    Parameters
    ----------
    lexicons : sequence of str or PathLike
        User lexicon files, in order.

    Returns
    -------
    str
        SHA-256 hex digest of the version, then each lexicon's path as given and its
        bytes.

    Raises
    ------
    InputError
        When a lexicon cannot be read.
    """
    digest = hashlib.sha256(f"kgraph {__version__}\0".encode("utf-8"))
    for path in lexicons:
        try:
            content = Path(path).read_bytes()
        except OSError as err:
            raise InputError(str(path), None,
                             f"cannot read lexicon: {err.strerror or err}") from None
        digest.update(os.fspath(path).encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(content).digest())
    return digest.hexdigest()


@dataclass
class BuildState:
    """What a previous build read and extracted.

    Attributes
    ----------
    extractor : str
        Its :func:`extractor_fingerprint`.
    inputs : list of str
        The input files of the build and of the updates since, as given.
    records : list of Paper
        Every record read, before deduplication, in reading order.
    entities : dict of str to list of Entity
        Content hash -> the entities extracted from that text.
    results : dict of str to list of Result
        Content hash -> the numeric results found in that text.
    """

    extractor: str
    inputs: list[str] = field(default_factory=list)
    records: list[Paper] = field(default_factory=list)
    entities: dict[str, list[Entity]] = field(default_factory=dict)
    results: dict[str, list[Result]] = field(default_factory=dict)


def state_lines(papers: Sequence[Paper], groups: Sequence[Sequence[int]],
                records: Sequence[Paper], hashes: Sequence[str], *, extractor: str,
                inputs: Sequence[str]) -> Iterator[str]:
    """The lines of the state file (without line ends).

    Parameters
    ----------
    papers : sequence of Paper
        The deduplicated papers, in the order of ``extractions.jsonl``.
    groups : sequence of sequence of int
        For each paper, the positions of its records in ``records``.
    records : sequence of Paper
        Every record read, in reading order.
    hashes : sequence of str
        For each paper, its :func:`content_hash`.
    extractor : str
        The :func:`extractor_fingerprint` used.
    inputs : sequence of str
        The input files, as given.

    Yields
    ------
    str
        The header line, then one line per paper.
    """
    yield json.dumps({"format": STATE_FORMAT, "kgraph": __version__, "extractor": extractor,
                      "inputs": list(inputs), "records": len(records),
                      "papers": len(papers)}, ensure_ascii=False)
    for h, group in zip(hashes, groups):
        line: dict = {"hash": h, "records": list(group)}
        if len(group) > 1:
            line["duplicates"] = [records[i].to_dict() for i in group]
        yield json.dumps(line, ensure_ascii=False)


def write_state(path: str | os.PathLike[str], lines: Iterable[str]) -> Path:
    """Write the state file atomically.

    Parameters
    ----------
    path : str or PathLike
        Normally ``<out_dir>/build-state.jsonl``.
    lines : iterable of str
        From :func:`state_lines`.

    Returns
    -------
    pathlib.Path
    """
    path = Path(path)
    with atomic_write(path) as handle:
        for line in lines:
            handle.write(line)
            handle.write("\n")
    return path


def _json_lines(handle: IO[str], path: str) -> Iterator[tuple[int, dict]]:
    for number, text in enumerate(handle, 1):
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as err:
            raise InputError(path, number, f"invalid JSON: {err.msg}") from None
        if not isinstance(value, dict):
            raise InputError(path, number, "expected a JSON object")
        yield number, value


def read_state(out_dir: str | os.PathLike[str]) -> BuildState:
    """Read the state of the build in ``out_dir`` (state file and ``extractions.jsonl``).

    Parameters
    ----------
    out_dir : str or PathLike
        A build's output folder.

    Returns
    -------
    BuildState
        Records in reading order, and the entities of every extracted text.

    Raises
    ------
    GraphNotFoundError
        When the folder has no state file or no ``extractions.jsonl`` (no build, or one
        made before kgraph kept a state).
    InputError
        When the state file is malformed, or does not describe the ``extractions.jsonl``
        beside it (edited since, or written by another build): the message says to
        rebuild without ``--update``.
    """
    folder = Path(out_dir)
    state_path, extractions_path = folder / STATE_FILE, folder / "extractions.jsonl"
    for needed in (state_path, extractions_path):
        if not needed.is_file():
            raise GraphNotFoundError(
                f"{needed}: no previous build to update; run 'kgraph build INPUT... -o "
                f"{folder}' first")
    name = str(state_path)
    rebuild = "rebuild without --update"
    with open(state_path, encoding="utf-8") as state_file:
        lines = _json_lines(state_file, name)
        number, header = next(lines, (1, {}))
        if header.get("format") != STATE_FORMAT:
            raise InputError(name, number, f"not a {STATE_FORMAT} header; {rebuild}")
        try:
            n_records, n_papers = int(header["records"]), int(header["papers"])
            state = BuildState(str(header["extractor"]), [str(p) for p in header["inputs"]])
        except (KeyError, TypeError, ValueError) as err:
            raise InputError(name, number, f"bad header ({err}); {rebuild}") from None
        slots: list[Paper | None] = [None] * n_records
        extractions = read_extractions(extractions_path)
        count = 0
        for number, line in lines:
            ex = next(extractions, None)
            if ex is None:
                raise InputError(name, number, f"more papers than {extractions_path} has; "
                                               f"{rebuild}")
            count += 1
            h = content_hash(ex.paper)
            try:
                group = [int(i) for i in line["records"]]
                if line["hash"] != h:
                    raise ValueError(f"the text of paper {ex.paper.id!r} in "
                                     f"{extractions_path.name} has changed")
                raws = ([Paper.from_dict(d) for d in line["duplicates"]]
                        if len(group) > 1 else [ex.paper])
                if len(raws) != len(group) or not group:
                    raise ValueError("records and duplicates disagree")
                for i, raw in zip(group, raws):
                    if not 0 <= i < n_records or slots[i] is not None:
                        raise ValueError(f"record {i} is out of range or listed twice")
                    slots[i] = raw
            except (KeyError, TypeError, ValueError) as err:
                raise InputError(name, number, f"{err}; {rebuild}") from None
            state.entities.setdefault(h, ex.entities)
            state.results.setdefault(h, ex.results)
        if next(extractions, None) is not None or count != n_papers:
            raise InputError(name, None, f"lists {count} papers, {extractions_path.name} "
                                         f"has another number; {rebuild}")
    missing = [i for i, raw in enumerate(slots) if raw is None]
    if missing:
        raise InputError(name, None, f"record {missing[0]} of {n_records} is missing; "
                                     f"{rebuild}")
    state.records = slots  # type: ignore[assignment]  # every slot is filled
    return state


def reuse(papers: Sequence[Paper], hashes: Sequence[str], state: BuildState | None,
          extractor: str) -> tuple[list[PaperExtraction | None], list[int]]:
    """Split papers into those whose extraction a previous build has, and the rest.

    Parameters
    ----------
    papers : sequence of Paper
    hashes : sequence of str
        Their content hashes.
    state : BuildState or None
        The previous build (``None`` for a full build).
    extractor : str
        The current :func:`extractor_fingerprint`; a state with another one is not
        reused.

    Returns
    -------
    extractions : list of PaperExtraction or None
        For each paper, its extraction rebuilt from the previous entities, or ``None``.
    todo : list of int
        Positions of the papers to extract.
    """
    known = state.entities if state is not None and state.extractor == extractor else {}
    out: list[PaperExtraction | None] = []
    todo = []
    for i, (paper, h) in enumerate(zip(papers, hashes)):
        entities = known.get(h)
        if entities is None:
            out.append(None)
            todo.append(i)
        else:
            out.append(PaperExtraction(paper, entities, list(state.results.get(h, ()))))
    return out, todo
