"""Read papers from files: feed pages, JSON Lines, JSON arrays and CSV.

Each format has a reader that turns decoded lines into :class:`~kgraph.model.Paper`
objects (:mod:`~kgraph.ingest.feed`, :mod:`~kgraph.ingest.jsonl`,
:mod:`~kgraph.ingest.csvfile`); this module opens files, picks the reader, and
:func:`read_papers` merges the duplicates (:mod:`~kgraph.ingest.dedup`).

Every problem with an input is an :class:`~kgraph.errors.InputError` naming the file
and, when known, the line: ``FILE:LINE: what is wrong (what to do)``. With an
``on_bad`` callback the readers skip bad records instead and report each one (see
:mod:`~kgraph.ingest.bad`; the command line's ``--skip-bad``).

What is read, and what is an error
----------------------------------
- **UTF-8** is read one line at a time, so a bad byte is reported at its line; a
  leading byte order mark is dropped.
- **UTF-16 and UTF-32 with a byte order mark** are read: the mark says the encoding
  for certain, and this is what a spreadsheet's "Unicode text" export gives. Such a
  file is decoded whole, so an ill-formed sequence is still reported at its line.
- **Other encodings are errors**, Latin-1 and Windows-1252 included, at the first
  line that is not UTF-8, with the command that converts the file. They are not
  guessed: any byte sequence decodes as Latin-1, so a wrong guess would silently turn
  names into mojibake and then into wrong entities.
- **Binary files are errors** before anything is read: a NUL byte in the first
  :data:`SNIFF_BYTES` bytes, or more than a third of their characters neither text
  nor valid UTF-8 (the heuristic of Perl's ``-B`` file test, ``perldoc -f -B``). A
  NUL pattern of UTF-16 without a byte order mark gets its own message.
- **An empty file** (no bytes, or only whitespace) is an error: it is almost always
  an export or download that went wrong, and building nothing from it would hide that.
- **A missing file or a directory** is an error naming the path.
- **Control characters** are replaced and over-long titles and abstracts are
  rejected as described in :mod:`~kgraph.ingest.text`.
- Gzip-compressed files are recognised by their magic number and decompressed while
  reading; a truncated one is an error at the line where it ends.
"""

from __future__ import annotations

import codecs
import collections
import csv
import gzip
import io
import itertools
import os
import sys
import zlib
from typing import IO, Callable, Iterable, Iterator

from kgraph.errors import InputError, KgraphError
from kgraph.ingest.bad import OnBad, OnBadRecord, SkipLog, skip_or_raise
from kgraph.ingest.csvfile import header_columns, iter_csv
from kgraph.ingest.dedup import (deduplicate, duplicate_groups, merge_duplicates,
                                 normalise_title, paper_id)
from kgraph.ingest.feed import iter_feed
from kgraph.ingest.jsonl import iter_json, iter_jsonl
from kgraph.ingest.text import (MAX_ABSTRACT_CHARS, MAX_TITLE_CHARS, clean_line,
                                length_error)
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
    "SkipLog",
    "SNIFF_BYTES",
    "MAX_TITLE_CHARS",
    "MAX_ABSTRACT_CHARS",
    "duplicate_groups",
    "merge_duplicates",
]

#: Names of the input formats, as accepted by ``format=`` and ``--format``.
FORMATS = ("feed", "jsonl", "json", "csv")

_EXTENSIONS = {".txt": "feed", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
               ".csv": "csv"}
_READERS: dict[str, Callable[[Iterable[str], str, OnBadRecord], Iterator[Paper]]] = {
    "feed": iter_feed, "jsonl": iter_jsonl, "json": iter_json, "csv": iter_csv,
}
_GZIP_MAGIC = b"\x1f\x8b"
_STDIN = "-"
#: Bytes at the start of a file examined for a byte order mark and for binary content.
SNIFF_BYTES = 8000
# UTF-32 first: its little-endian mark starts with UTF-16's.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
         (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"), (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"))
_READ_ERRORS = (OSError, EOFError, zlib.error)  # gzip.BadGzipFile is an OSError
_TEXT_FORMATS = "a feed page (.txt), JSON Lines, a JSON array or CSV, as UTF-8 text"
_TO_UTF8 = "save the file as UTF-8; from Latin-1: iconv -f LATIN1 -t UTF-8 IN > OUT"


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
    """Lines of a stream with their endings, decoded and cleaned.

    Bytes are decoded as UTF-8; a BOM on the first line is dropped; control characters
    become spaces (:func:`~kgraph.ingest.text.clean_line`). A decoding or
    decompression error is an InputError at the line it occurs in, and a stream
    without any text an InputError without a line.
    """
    number = 0
    has_text = False
    while True:
        try:
            data = readline()
        except UnicodeDecodeError as exc:  # text streams decode while they read
            raise InputError(path, number + 1,
                             f"not UTF-8 text: {exc.reason} ({_TO_UTF8})") from None
        except _READ_ERRORS as exc:
            raise InputError(path, number + 1,
                             f"cannot read: {exc} (is the file complete?)") from None
        if not data:
            if not has_text:
                raise InputError(path, None, "empty file: no text in it (was it written or "
                                             "downloaded completely?)")
            return
        number += 1
        if isinstance(data, bytes):
            try:
                data = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(path, number,
                                 f"not UTF-8 text: byte 0x{data[exc.start]:02x} at column "
                                 f"{exc.start + 1} cannot be decoded ({_TO_UTF8})") from None
        if number == 1:
            data = data.removeprefix("\ufeff")
        data = clean_line(data)
        has_text = has_text or not data.isspace()
        yield data


def _open(path: str) -> IO[bytes]:
    """Open a file for binary reading, turning failures into InputError."""
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError(path, None, "no such file (check the path)") from None
    except OSError as exc:
        if os.path.isdir(path):
            raise InputError(path, None, "is a directory, not a file (give the files in "
                                         f"it, e.g. {_pattern_in(path)})") from None
        raise InputError(path, None, f"cannot open: {exc.strerror or exc} (check that the "
                                     "file is readable)") from None


def _pattern_in(folder: str) -> str:
    """A glob for the input files of a folder: its most common known extension."""
    try:
        names = os.listdir(folder)
    except OSError:
        names = []
    found = collections.Counter(ext for ext in (os.path.splitext(n.lower().removesuffix(".gz"))[1]
                                                for n in names) if ext in _EXTENSIONS)
    ext = max(sorted(found), key=found.__getitem__) if found else ".txt"
    return os.path.join(folder, "*" + ext)


def _uncompressed(handle: IO[bytes]) -> IO[bytes]:
    """The handle itself, or a decompressing view when it holds gzip data."""
    magic = handle.peek(2)[:2]  # type: ignore[attr-defined]  # open(..., "rb") buffers
    return gzip.GzipFile(fileobj=handle) if magic == _GZIP_MAGIC else handle


def _binary_problem(head: bytes) -> str | None:
    """Why the first bytes of a file (without byte order mark) are not text, or None."""
    nul = head.find(b"\0")
    if nul >= 0:
        sample = head[:512]
        for zeros, other, order in ((sample[1::2], sample[0::2], "LE"),
                                    (sample[0::2], sample[1::2], "BE")):
            if zeros.count(0) >= 0.9 * len(zeros) and other.count(0) <= 0.1 * len(other):
                return ("looks like UTF-16 text without a byte order mark (save the file "
                        f"as UTF-8: iconv -f UTF-16{order} -t UTF-8 IN > OUT)")
        return f"binary file, not text: NUL byte at byte {nul + 1} (give {_TEXT_FORMATS})"
    text = codecs.getincrementaldecoder("utf-8")("replace").decode(head, final=False)
    odd = sum(1 for ch in text if ch == "\ufffd" or (ch < " " and ch not in "\t\n\r\f\x1b"))
    if text and 3 * odd > len(text):
        return (f"binary file, not text: {odd} of the first {len(text)} characters are "
                f"neither text nor UTF-8 (give {_TEXT_FORMATS})")
    return None


def _decode_whole(stream: IO[bytes], path: str, codec: str, name: str
                  ) -> Callable[[], str]:
    """Decode a stream that starts with a UTF-16 or UTF-32 byte order mark.

    Returns a ``readline`` of the decoded text; an ill-formed sequence is an
    InputError at its line.
    """
    try:
        data = stream.read()
    except _READ_ERRORS as exc:
        raise InputError(path, None, f"cannot read: {exc} (is the file complete?)") from None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].decode(codec, errors="replace").count("\n") + 1
        raise InputError(path, line, f"not valid {name} text: {exc.reason} at byte "
                                     f"{exc.start + 1} (save the file as UTF-8)") from None
    return io.StringIO(text, newline="\n").readline


def _text_readline(stream: IO[bytes], path: str) -> Callable[[], bytes | str]:
    """Pick how to read a binary stream: the ``readline`` to pass to :func:`_lines`.

    The first :data:`SNIFF_BYTES` bytes decide: a UTF-16 or UTF-32 byte order mark, or
    binary content (an InputError); else UTF-8, line by line.
    """
    peek = getattr(stream, "peek", None)
    if peek is None:  # e.g. io.BytesIO: read it as UTF-8 without sniffing
        return stream.readline
    try:
        head = peek(SNIFF_BYTES)[:SNIFF_BYTES]
    except _READ_ERRORS as exc:
        raise InputError(path, 1, f"cannot read: {exc} (is the file complete?)") from None
    for bom, codec, name in _BOMS:
        if head.startswith(bom):
            return _decode_whole(stream, path, codec, name)
    problem = _binary_problem(head)
    if problem:
        raise InputError(path, None, problem)
    return stream.readline


def _stdin_lines(stream: IO[str], path: str) -> Iterator[str]:
    """Lines of standard input, read through its binary buffer when it has one.

    ``sys.stdin`` is then read like a file: UTF-8 whatever the locale (or UTF-16 with
    a byte order mark), binary data refused, and a bad byte found on its own line
    rather than somewhere in the chunk a text wrapper decodes at once.
    """
    raw = getattr(stream, "buffer", None)
    if isinstance(raw, io.BufferedIOBase):
        return _lines(_text_readline(raw, path), path)
    return _lines(stream.readline, path)


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


def _read_file(name: str, format: str | None, stdin: IO[str] | None,
               on_bad: OnBadRecord) -> Iterator[Paper]:
    """The papers of one file or of standard input, as its reader yields them."""
    if name == _STDIN:
        lines = _stdin_lines(sys.stdin if stdin is None else stdin, name)
        if format is None:
            format, lines = _sniff(lines)
        yield from _READERS[_check_format(name, format)](lines, name, on_bad)
        return
    with _open(name) as handle:
        reader = _READERS[_check_format(name, format) if format else detect_format(name)]
        yield from reader(_lines(_text_readline(_uncompressed(handle), name), name), name,
                          on_bad)


def iter_papers(path: str, format: str | None = None, stdin: IO[str] | None = None,
                on_bad: OnBad = None) -> Iterator[Paper]:
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
    on_bad : callable, optional
        ``on_bad(error, scope)`` is called for each bad record (scope ``"record"``,
        which is skipped) and for a file that cannot be read on (scope ``"file"``:
        its remaining records are skipped); see :mod:`kgraph.ingest.bad`. By default
        the first error is raised.

    Yields
    ------
    Paper
        In file order, each with one source: the path as given and the line where the
        record starts. Text fields hold no control characters (see
        :mod:`kgraph.ingest.text`).

    Raises
    ------
    InputError
        Without ``on_bad``: when the file is missing, is a directory, is empty, is
        binary or cannot be read, its extension or the format is unknown, a line is
        not UTF-8 (nor UTF-16 or UTF-32 with a byte order mark), a record is malformed
        (see the readers), or a title or abstract is over its length limit. Errors in
        records are raised when the reading reaches them.

    Examples
    --------
    >>> import io
    >>> data = io.StringIO('{"title": "Attention Is All You Need", "abstract": "..."}\\n')
    >>> [(p.title, str(p.sources[0])) for p in iter_papers("-", stdin=data)]
    [('Attention Is All You Need', '-:1')]
    >>> data = io.StringIO('{"title": "One", "abstract": "A."}\\n{"title": "Two"}\\n')
    >>> log = SkipLog()
    >>> [p.title for p in iter_papers("-", format="jsonl", stdin=data, on_bad=log)]
    ['One']
    >>> log.warnings  # doctest: +NORMALIZE_WHITESPACE
    ["warning: -:2: missing 'abstract' (each record needs 'title' and 'abstract'
      strings); record skipped"]
    """
    name = os.fspath(path)
    on_record = None if on_bad is None else (lambda error: on_bad(error, "record"))
    try:
        for paper in _read_file(name, format, stdin, on_record):
            error = length_error(paper)
            if error is not None:
                skip_or_raise(on_record, error)
                continue
            yield paper
    except InputError as error:
        if on_bad is None:
            raise
        on_bad(error, "file")


def iter_records(paths: Iterable[str], format: str | None = None,
                 stdin: IO[str] | None = None, on_bad: OnBad = None) -> Iterator[Paper]:
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
    on_bad : callable, optional
        ``on_bad(error, scope)`` for a bad record or file, which is then skipped (see
        :func:`iter_papers`); without it the first one raises.

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
        yield from iter_papers(path, format, stdin, on_bad)


def read_papers(paths: Iterable[str], format: str | None = None,
                stdin: IO[str] | None = None, on_bad: OnBad = None) -> list[Paper]:
    """Read every file and merge the papers they share.

    Parameters
    ----------
    paths : iterable of str or PathLike
        Input files, ``"-"`` for standard input.
    format : str, optional
        Format of every file, overriding extensions (see :func:`iter_papers`).
    stdin : text stream, optional
        What ``"-"`` reads; ``sys.stdin`` by default.
    on_bad : callable, optional
        Skip bad records and files and report them through ``on_bad(error, scope)``
        (see :func:`iter_papers`); by default the first error is raised.

    Returns
    -------
    list of Paper
        Deduplicated with :func:`deduplicate`: one paper per distinct paper, in order of
        first appearance, each listing every file and line it was read from.

    Raises
    ------
    InputError
        Without ``on_bad``: from :func:`iter_papers`, for the first bad file or record.
    KgraphError
        With ``on_bad``: when something was skipped and no paper at all was read.

    Examples
    --------
    >>> import io
    >>> page = io.StringIO("A Title\\n\\nAn abstract.\\n\\na title!\\n\\nThe same abstract.\\n")
    >>> [merged] = read_papers(["-"], stdin=page)
    >>> merged.title, [str(s) for s in merged.sources]
    ('A Title', ['-:1', '-:5'])
    """
    paths = list(paths)
    if on_bad is None:
        return deduplicate(iter_records(paths, format, stdin))
    skipped = 0

    def counted(error: InputError, scope: str) -> None:
        nonlocal skipped
        skipped += 1
        on_bad(error, scope)

    papers = deduplicate(iter_records(paths, format, stdin, counted))
    if not papers and skipped:
        raise KgraphError(f"no papers read from {len(paths)} input"
                          f"{'' if len(paths) == 1 else 's'}: {skipped} bad record"
                          f"{'' if skipped == 1 else 's'} or files skipped and nothing else "
                          "found (fix the inputs named in the warnings)")
    return papers
