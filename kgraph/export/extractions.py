"""``extractions.jsonl``: one JSON object per paper, the format ``score.py`` reads.

Each line is :meth:`kgraph.model.PaperExtraction.to_dict`: the paper's fields (``id``,
``title``, ``abstract``, ``url``, ``authors``, ``date``, ``categories``, ``sources``)
and one list per entity type — ``datasets``, ``metrics``, ``methods``, ``tasks`` (items
``{"name", "key", "aliases", "mentions"}``, methods and datasets with ``proposed``),
``repos`` and ``urls`` (items ``{"url", "key", "aliases", "mentions"}``). Every
mention carries its provenance: ``text``, character ``start``/``end`` into
``title + "\\n\\n" + abstract``, ``sentence`` (title = 0) and the ``rule`` that found it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Iterable, Iterator

from kgraph.atomic import atomic_write
from kgraph.errors import InputError
from kgraph.model import PaperExtraction

__all__ = ["dump_extractions", "write_extractions", "read_extractions"]


def dump_extractions(extractions: Iterable[PaperExtraction], handle: IO[str]) -> int:
    """Write extractions as JSON Lines to an open text handle.

    Parameters
    ----------
    extractions : iterable of PaperExtraction
    handle : text file object

    Returns
    -------
    int
        Number of lines written.
    """
    n = 0
    for ex in extractions:
        handle.write(json.dumps(ex.to_dict(), ensure_ascii=False))
        handle.write("\n")
        n += 1
    return n


def write_extractions(extractions: Iterable[PaperExtraction], path: str | Path) -> int:
    """Write ``extractions.jsonl`` atomically; ``"-"`` writes to standard output.

    Parameters
    ----------
    extractions : iterable of PaperExtraction
    path : str or Path

    Returns
    -------
    int
        Number of papers written.
    """
    if str(path) == "-":
        return dump_extractions(extractions, sys.stdout)
    with atomic_write(Path(path)) as f:
        return dump_extractions(extractions, f)


def read_extractions(path: str | Path) -> Iterator[PaperExtraction]:
    """Read an ``extractions.jsonl`` file back.

    Parameters
    ----------
    path : str or Path

    Yields
    ------
    PaperExtraction

    Raises
    ------
    InputError
        A line that is not a kgraph extraction object, with file and line.
    """
    with open(path, encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                yield PaperExtraction.from_dict(json.loads(line))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as e:
                raise InputError(str(path), ln, f"not a kgraph extraction: {e}") from None
