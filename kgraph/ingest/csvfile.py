"""CSV reader: a header row naming the columns, then one paper per record.

Column names are matched case-insensitively (``Title``, ``ABSTRACT``); the columns
``title`` and ``abstract`` are required, ``id``, ``url``, ``authors``, ``date`` and
``categories`` are read when present, and any other column is ignored. Empty cells of
optional columns count as absent.

A quoted field may span several lines, so the line of a record is the physical line
where it starts: one after the last line the previous record used, which
:attr:`csv.reader.line_num` tells.
"""

from __future__ import annotations

import csv
from typing import Iterable, Iterator

from kgraph.errors import InputError
from kgraph.ingest.bad import OnBadRecord, skip_or_raise
from kgraph.ingest.jsonl import paper_from_record
from kgraph.ingest.text import MAX_ABSTRACT_CHARS
from kgraph.model import Paper

__all__ = ["iter_csv", "header_columns"]

FIELDS = ("id", "title", "abstract", "url", "authors", "date", "categories")
REQUIRED = ("title", "abstract")


def header_columns(row: list[str]) -> dict[str, int]:
    """Map the known column names of a header row to their positions.

    Parameters
    ----------
    row : list of str
        The header row as parsed by :mod:`csv`.

    Returns
    -------
    dict
        Lower-case field name to column index, for the fields kgraph reads; the first
        column wins when a name repeats.

    Examples
    --------
    >>> header_columns(["ID", " Title ", "venue", "Abstract", "title"])
    {'id': 0, 'title': 1, 'abstract': 3}
    """
    columns: dict[str, int] = {}
    for index, name in enumerate(row):
        key = name.strip().lower()
        if key in FIELDS:
            columns.setdefault(key, index)
    return columns


def _csv_problem(exc: csv.Error) -> str:
    """The message for a record the :mod:`csv` module cannot parse."""
    text = str(exc)
    if text.startswith("field larger than field limit"):
        return (f"invalid CSV: a field is longer than {csv.field_size_limit():,} characters, "
                f"the most the csv module reads (an abstract may have at most "
                f"{MAX_ABSTRACT_CHARS:,})")
    if text == "unexpected end of data":
        return "invalid CSV: the file ends inside a quoted field (close the quote with \")"
    return f"invalid CSV: {text} (quote a field that holds a comma, a quote or a line break)"


def iter_csv(lines: Iterable[str], path: str, on_bad: OnBadRecord = None) -> Iterator[Paper]:
    """Read a CSV file with a header row.

    Parameters
    ----------
    lines : iterable of str
        The decoded lines of the file with their line endings, read lazily.
    path : str
        The file name used in sources and errors.
    on_bad : callable, optional
        Called with the error of each bad record, which is then skipped; by default the
        first one is raised. A bad header is always raised: without a ``title`` and
        an ``abstract`` column no record can be read.

    Yields
    ------
    Paper
        One per record, with the physical line where the record starts as source.
        Blank lines are skipped; an empty file yields nothing.

    Raises
    ------
    InputError
        At the header's line when it lacks a ``title`` or ``abstract`` column (the
        message lists the columns found); without ``on_bad``, at a record whose number
        of fields differs from the header's, that is malformed CSV (the :mod:`csv`
        module goes on at the next line), or that
        :func:`~kgraph.ingest.jsonl.paper_from_record` rejects (an empty title).

    Examples
    --------
    >>> rows = ['Title,Abstract,venue\\n', '"A, B",One.,x\\n', 'C,"Two\\n', 'lines.",y\\n']
    >>> [(p.title, p.abstract, p.sources[0].line) for p in iter_csv(rows, "x.csv")]
    [('A, B', 'One.', 2), ('C', 'Two lines.', 3)]
    """
    reader = csv.reader(lines, strict=True)
    header: list[str] | None = None
    columns: dict[str, int] = {}
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            skip_or_raise(on_bad, InputError(path, start, _csv_problem(exc)))
            start = reader.line_num + 1
            continue
        line, start = start, reader.line_num + 1
        if not any(field.strip() for field in row):
            continue
        if header is None:
            header, columns = row, header_columns(row)
            missing = [name for name in REQUIRED if name not in columns]
            if missing:
                found = ", ".join(repr(name) for name in row)
                raise InputError(path, line,
                                 f"the CSV header has no {' or '.join(map(repr, missing))} "
                                 f"column; columns found: {found} (the first row must name "
                                 "the columns, with 'title' and 'abstract' among them)")
            continue
        if len(row) != len(header):
            skip_or_raise(on_bad, InputError(
                path, line, f"record has {len(row)} fields, the header has {len(header)} "
                            "(quote a field that holds a comma)"))
            continue
        record = {name: row[index] for name, index in columns.items()}
        for name in FIELDS:
            if name not in REQUIRED and not record.get(name, "").strip():
                record.pop(name, None)
        try:
            paper = paper_from_record(record, path, line)
        except InputError as error:
            skip_or_raise(on_bad, error)
            continue
        yield paper
