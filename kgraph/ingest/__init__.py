"""Read papers from files: feed pages, JSON Lines, JSON arrays and CSV.

Each format has a reader that turns decoded lines into :class:`~kgraph.model.Paper`
objects (:mod:`~kgraph.ingest.feed`, :mod:`~kgraph.ingest.jsonl`,
:mod:`~kgraph.ingest.csvfile`); this module opens files, picks the reader, and
:func:`read_papers` merges the duplicates (:mod:`~kgraph.ingest.dedup`).

Files are decoded as UTF-8 one line at a time, so a bad byte is reported at its line;
a leading byte order mark is dropped. Gzip-compressed files are recognised by their
magic number and decompressed while reading. Every problem with an input is an
:class:`~kgraph.errors.InputError` naming the file and, when known, the line.
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import os
import sys
import zlib
from typing import IO, Callable, Iterable, Iterator

from kgraph.errors import InputError
from kgraph.ingest.csvfile import header_columns, iter_csv
from kgraph.ingest.dedup import (deduplicate, duplicate_groups, merge_duplicates,
                                 normalise_title, paper_id)
from kgraph.ingest.feed import iter_feed
from kgraph.ingest.jsonl import iter_json, iter_jsonl
from kgraph.model import Paper

__all__ = [
    "FORMATS",
    "detect_format",
    "iter_papers",
    "iter_records",
    "read_papers",
    "normalise_title",
    "paper_id",
    "deduplicate",
    "duplicate_groups",
    "merge_duplicates",
]

#: Names of the input formats, as accepted by ``format=`` and ``--format``.
FORMATS = ("feed", "jsonl", "json", "csv")

_EXTENSIONS = {".txt": "feed", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
               ".csv": "csv"}
_READERS: dict[str, Callable[[Iterable[str], str], Iterator[Paper]]] = {
    "feed": iter_feed, "jsonl": iter_jsonl, "json": iter_json, "csv": iter_csv,
}
_GZIP_MAGIC = b"\x1f\x8b"
_STDIN = "-"


def _formats_help() -> str:
    by_format: dict[str, list[str]] = {}
    for ext, name in _EXTENSIONS.items():
        by_format.setdefault(name, []).append(ext)
    listed = ", ".join(f"{name} ({', '.join(exts)})" for name, exts in by_format.items())
    return f"formats: {listed}, each optionally .gz; --format overrides the extension"


def detect_format(path: str) -> str:
    """The input format a file name implies.

    Parameters
    ----------
    path : str
        A file name; a trailing ``.gz`` is ignored and case does not matter.

    Returns
    -------
    str
        One of :data:`FORMATS`: ``feed`` for ``.txt``, ``jsonl`` for ``.jsonl`` and
        ``.ndjson``, ``json`` for ``.json``, ``csv`` for ``.csv``.

    Raises
    ------
    InputError
        When the extension is unknown (or ``path`` is ``"-"``, standard input, which
        has no name to go by); the message lists the formats.

    Examples
    --------
    >>> detect_format("seeds/000.txt"), detect_format("arxiv.JSONL.gz"), detect_format("a.csv")
    ('feed', 'jsonl', 'csv')
    >>> detect_format("notes.md")
    Traceback (most recent call last):
    ...
    kgraph.errors.InputError: notes.md: unknown file extension '.md'; formats: ...
    """
    name = os.fspath(path)
    if name == _STDIN:
        raise InputError(name, None, f"standard input has no file extension; {_formats_help()}")
    stem, ext = os.path.splitext(name.lower())
    if ext == ".gz":
        stem, ext = os.path.splitext(stem)
    if ext not in _EXTENSIONS:
        problem = f"unknown file extension '{ext}'" if ext else "no file extension"
        raise InputError(name, None, f"{problem}; {_formats_help()}")
    return _EXTENSIONS[ext]


def _check_format(path: str, format: str) -> str:
    if format not in FORMATS:
        raise InputError(path, None, f"unknown format {format!r}; {_formats_help()}")
    return format


def _lines(readline: Callable[[], bytes | str], path: str) -> Iterator[str]:
    """Lines of a stream with their endings; bytes decoded as UTF-8, a BOM dropped.

    A decoding or decompression error is an InputError at the line it occurs in.
    """
    number = 0
    while True:
        try:
            data = readline()
        except UnicodeDecodeError as exc:  # text streams decode while they read
            raise InputError(path, number + 1, f"not UTF-8 text: {exc.reason}") from None
        except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
            raise InputError(path, number + 1, f"cannot read: {exc}") from None
        if not data:
            return
        number += 1
        if isinstance(data, bytes):
            try:
                data = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(path, number,
                                 f"not UTF-8 text: byte 0x{data[exc.start]:02x} at column "
                                 f"{exc.start + 1} cannot be decoded") from None
        yield data.removeprefix("\ufeff") if number == 1 else data


def _open(path: str) -> IO[bytes]:
    """Open a file for binary reading, turning failures into InputError."""
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError(path, None, "no such file") from None
    except OSError as exc:
        if os.path.isdir(path):
            raise InputError(path, None, "is a directory, not a file") from None
        raise InputError(path, None, f"cannot open: {exc.strerror or exc}") from None


def _uncompressed(handle: IO[bytes]) -> IO[bytes]:
    """The handle itself, or a decompressing view when it holds gzip data."""
    magic = handle.peek(2)[:2]  # type: ignore[attr-defined]  # open(..., "rb") buffers
    return gzip.GzipFile(fileobj=handle) if magic == _GZIP_MAGIC else handle


def _stdin_readline(stream: IO[str]) -> Callable[[], bytes | str]:
    """Read a text stream through its binary buffer when it has one, as files are read.

    ``sys.stdin`` then decodes as UTF-8 whatever the locale, and a bad byte is found on
    its own line rather than somewhere in the chunk a text wrapper decodes at once.
    """
    raw = getattr(stream, "buffer", None)
    return raw.readline if isinstance(raw, io.BufferedIOBase) else stream.readline


def _sniff(lines: Iterator[str]) -> tuple[str, Iterator[str]]:
    """Guess the format of a stream from its first non-blank line.

    Returns the format and an iterator that still yields every line.
    """
    seen: list[str] = []
    for line in lines:
        seen.append(line)
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("["):
            found = "json"
        elif stripped.startswith("{"):
            found = "jsonl"
        else:
            try:
                columns = header_columns(next(csv.reader([line])))
            except csv.Error:
                columns = {}
            found = "csv" if "title" in columns and "abstract" in columns else "feed"
        return found, itertools.chain(seen, lines)
    return "feed", iter(seen)


def iter_papers(path: str, format: str | None = None, stdin: IO[str] | None = None
                ) -> Iterator[Paper]:
    """Read the papers of one file, lazily and without merging duplicates.

    Parameters
    ----------
    path : str or PathLike
        The file, or ``"-"`` for standard input.
    format : str, optional
        One of :data:`FORMATS`; overrides the file extension (see
        :func:`detect_format`). For standard input without a format the content
        decides: ``[`` starts JSON, ``{`` JSON Lines, a first line that is a CSV header
        with ``title`` and ``abstract`` columns CSV, anything else a feed page.
    stdin : text stream, optional
        What ``"-"`` reads; ``sys.stdin`` by default. A stream with a binary
        ``buffer`` (``sys.stdin``, :class:`io.TextIOWrapper`) is read through it, as
        UTF-8 like files, so nothing should have been read from it before.

    Yields
    ------
    Paper
        In file order, each with one source: the path as given and the line where the
        record starts.

    Raises
    ------
    InputError
        When the file is missing, is a directory or cannot be read, its extension or
        the format is unknown, a line is not UTF-8, or a record is malformed (see the
        readers). Errors in records are raised when the reading reaches them.

    Examples
    --------
    >>> import io
    >>> data = io.StringIO('{"title": "Attention Is All You Need", "abstract": "..."}\\n')
    >>> [(p.title, str(p.sources[0])) for p in iter_papers("-", stdin=data)]
    [('Attention Is All You Need', '-:1')]
    """
    name = os.fspath(path)
    if name == _STDIN:
        lines = _lines(_stdin_readline(sys.stdin if stdin is None else stdin), name)
        if format is None:
            format, lines = _sniff(lines)
        yield from _READERS[_check_format(name, format)](lines, name)
        return
    with _open(name) as handle:
        reader = _READERS[_check_format(name, format) if format else detect_format(name)]
        yield from reader(_lines(_uncompressed(handle).readline, name), name)


def iter_records(paths: Iterable[str], format: str | None = None,
                 stdin: IO[str] | None = None) -> Iterator[Paper]:
    """Read every file in turn, lazily, without merging duplicates.

    Files are opened one at a time and read line by line (gzip decompressed as it is
    read), so memory holds the records, never a whole file.

    Parameters
    ----------
    paths : iterable of str or PathLike
        Input files, ``"-"`` for standard input.
    format : str, optional
        Format of every file, overriding extensions (see :func:`iter_papers`).
    stdin : text stream, optional
        What ``"-"`` reads; ``sys.stdin`` by default.

    Yields
    ------
    Paper
        Every record of every file, in order, each with its one source.

    Raises
    ------
    InputError
        From :func:`iter_papers`, for the first bad file or record.
    """
    for path in paths:
        yield from iter_papers(path, format, stdin)


def read_papers(paths: Iterable[str], format: str | None = None,
                stdin: IO[str] | None = None) -> list[Paper]:
    """Read every file and merge the papers they share.

    Parameters
    ----------
    paths : iterable of str or PathLike
        Input files, ``"-"`` for standard input.
    format : str, optional
        Format of every file, overriding extensions (see :func:`iter_papers`).
    stdin : text stream, optional
        What ``"-"`` reads; ``sys.stdin`` by default.

    Returns
    -------
    list of Paper
        Deduplicated with :func:`deduplicate`: one paper per distinct paper, in order of
        first appearance, each listing every file and line it was read from.

    Raises
    ------
    InputError
        From :func:`iter_papers`, for the first bad file or record.

    Examples
    --------
    >>> import io
    >>> page = io.StringIO("A Title\\n\\nAn abstract.\\n\\na title!\\n\\nThe same abstract.\\n")
    >>> [merged] = read_papers(["-"], stdin=page)
    >>> merged.title, [str(s) for s in merged.sources]
    ('A Title', ['-:1', '-:5'])
    """
    return deduplicate(iter_records(paths, format, stdin))
