"""JSON Lines and JSON array readers, and the record fields every structured format shares.

A record is a mapping with the keys ``title`` and ``abstract`` (required, strings; the
abstract may be empty) and optionally ``id``, ``url``, ``authors``, ``date`` and
``categories``. :func:`paper_from_record` turns one into a :class:`~kgraph.model.Paper`;
the CSV reader uses it too.

JSON Lines is read one line at a time, so a file of any size streams. A JSON array has
to be read whole, but its elements are decoded one by one with
:meth:`json.JSONDecoder.raw_decode`, which gives each record the line it starts on.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any, Iterable, Iterator, Mapping

from kgraph.errors import InputError
from kgraph.ingest.bad import OnBadRecord, skip_or_raise
from kgraph.ingest.dedup import paper_id
from kgraph.ingest.text import clean_text
from kgraph.model import Paper, Source

__all__ = ["iter_jsonl", "iter_json", "paper_from_record"]

_AUTHOR_SEPARATOR = re.compile(r"\s*(?:[,;]|\band\b)\s*")
_CATEGORY_SEPARATOR = re.compile(r"[\s,;]+")
_WHITESPACE = re.compile(r"[ \t\n\r\f\v]*")


_collapse = clean_text  # control characters and lone surrogates go, whitespace collapses
_RECORD_HINT = "each record needs 'title' and 'abstract' strings"


def _type_name(value: Any) -> str:
    """JSON's name for the type of a decoded value."""
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number",
             float: "number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _optional_text(record: Mapping[str, Any], key: str, path: str, line: int) -> str | None:
    """A scalar field as stripped text, or None when absent or empty."""
    value = record.get(key)
    if value is None:
        return None
    if isinstance(value, (dict, list, bool)):
        raise InputError(path, line, f"'{key}' must be a string, not {_type_name(value)} "
                                     "(give it as text)")
    return _collapse(str(value)) or None


def _names(record: Mapping[str, Any], key: str, separator: re.Pattern[str], path: str,
           line: int) -> list[str]:
    """A list field given as a list of strings or as one separated string."""
    value = record.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        items = separator.split(_collapse(value))
    elif isinstance(value, list):
        items = []
        for item in value:
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                item = item["name"]  # the {"name": ...} objects of many bibliographic APIs
            if not isinstance(item, str):
                raise InputError(path, line,
                                 f"'{key}' items must be strings, not {_type_name(item)} "
                                 "(give a list of names)")
            items.append(item)
    else:
        raise InputError(path, line,
                         f"'{key}' must be a list or a string, not {_type_name(value)} "
                         "(give a list of names or one separated string)")
    return [name for name in (_collapse(item) for item in items) if name]


def _required_text(record: Mapping[str, Any], key: str, path: str, line: int) -> str:
    """A required string field, whitespace collapsed."""
    if key not in record or record[key] is None:
        raise InputError(path, line, f"missing '{key}' ({_RECORD_HINT})")
    value = record[key]
    if not isinstance(value, str):
        raise InputError(path, line,
                         f"'{key}' must be a string, not {_type_name(value)} ({_RECORD_HINT})")
    return _collapse(value)


def paper_from_record(record: Mapping[str, Any], path: str, line: int) -> Paper:
    """Build a paper from one record of a structured file.

    Parameters
    ----------
    record : mapping
        Field name to value, names in lower case.
    path : str
        The file, for the paper's source and for errors.
    line : int
        1-based line where the record starts.

    Returns
    -------
    Paper
        Every text field cleaned with :func:`~kgraph.ingest.text.clean_text`
        (control characters and lone surrogates replaced, whitespace collapsed); ``authors`` split on commas,
        semicolons and the word "and" when given as one string; ``categories`` split
        on spaces and commas when given as one string; the id from
        :func:`~kgraph.ingest.dedup.paper_id`.

    Raises
    ------
    InputError
        When ``title`` or ``abstract`` is missing or not a string, the title is empty,
        or an optional field has the wrong type.

    Examples
    --------
    >>> p = paper_from_record({"title": " A  Title ", "abstract": "",
    ...                        "authors": "Ada Lovelace, Alan Turing and Grace Hopper",
    ...                        "categories": "cs.CV cs.LG",
    ...                        "url": "https://arxiv.org/abs/2503.11731v1"}, "x.jsonl", 4)
    >>> p.id, p.title, str(p.sources[0])
    ('2503.11731', 'A Title', 'x.jsonl:4')
    >>> p.authors, p.categories
    (['Ada Lovelace', 'Alan Turing', 'Grace Hopper'], ['cs.CV', 'cs.LG'])
    """
    title = _required_text(record, "title", path, line)
    if not title:
        raise InputError(path, line, "empty title (every paper needs a title)")
    abstract = _required_text(record, "abstract", path, line)
    given_id = _optional_text(record, "id", path, line)
    url = _optional_text(record, "url", path, line)
    return Paper(
        id=paper_id(title, given_id, url),
        title=title,
        abstract=abstract,
        url=url,
        authors=_names(record, "authors", _AUTHOR_SEPARATOR, path, line),
        date=_optional_text(record, "date", path, line),
        categories=_names(record, "categories", _CATEGORY_SEPARATOR, path, line),
        sources=[Source(path, line)],
    )


def _object(value: Any, path: str, line: int) -> dict[str, Any]:
    """Check that a decoded value is an object."""
    if not isinstance(value, dict):
        raise InputError(path, line, f"expected a JSON object, got {_type_name(value)} "
                                     f"(a paper is an object: {{\"title\": ..., \"abstract\": ...}})")
    return value


def _json_problem(exc: Exception, text: str, hint: str) -> str:
    """The message for a JSON text that does not decode.

    ``exc`` is what :mod:`json` raised: a ``JSONDecodeError``, a ``RecursionError``
    (arrays nested about a thousand deep) or a ``ValueError`` (an integer of more than
    4,300 digits, CPython's int-to-string limit).
    """
    if isinstance(exc, RecursionError):
        return f"invalid JSON: nested too deeply ({hint})"
    if isinstance(exc, json.JSONDecodeError):
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            return f"invalid JSON: the text ends inside a value (was the file cut short? {hint})"
        return f"invalid JSON: {exc.msg} at column {exc.colno} ({hint})"
    if "integer string conversion" in str(exc):
        return (f"invalid JSON: a number of more than {sys.get_int_max_str_digits():,} digits "
                f"({hint}; write long ids as strings)")
    return f"invalid JSON: {exc} ({hint})"


_JSONL_HINT = "each line must hold one complete JSON object"


def _jsonl_record(text: str, path: str, number: int) -> Paper:
    """The paper on one line of JSON Lines."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        raise InputError(path, number, _json_problem(exc, text, _JSONL_HINT)) from None
    return paper_from_record(_object(value, path, number), path, number)


def iter_jsonl(lines: Iterable[str], path: str, on_bad: OnBadRecord = None) -> Iterator[Paper]:
    """Read JSON Lines: one object per line, blank lines skipped.

    Parameters
    ----------
    lines : iterable of str
        The decoded lines of the file, read lazily.
    path : str
        The file name used in sources and errors.
    on_bad : callable, optional
        Called with the error of each bad line, which is then skipped (see
        :mod:`kgraph.ingest.bad`); by default the first one is raised.

    Yields
    ------
    Paper
        One per object, with the object's line as source.

    Raises
    ------
    InputError
        Without ``on_bad``: at the line of invalid JSON (the message says when the
        line ends inside a value, as a truncated file does), of a value that is not an
        object, or of a record :func:`paper_from_record` rejects.

    Examples
    --------
    >>> rows = ['{"title": "One", "abstract": "A."}\\n', '\\n', '{"title": "Two", "abstract": ""}']
    >>> [(p.title, p.sources[0].line) for p in iter_jsonl(rows, "x.jsonl")]
    [('One', 1), ('Two', 3)]
    """
    for number, text in enumerate(lines, 1):
        if not text.strip():
            continue
        try:
            paper = _jsonl_record(text, path, number)
        except InputError as error:
            skip_or_raise(on_bad, error)
            continue
        yield paper


_JSON_HINT = "a JSON file holds one array of paper objects"


def iter_json(lines: Iterable[str], path: str, on_bad: OnBadRecord = None) -> Iterator[Paper]:
    """Read a JSON array of objects.

    Parameters
    ----------
    lines : iterable of str
        The decoded lines of the file (read whole: an array is one JSON value).
    path : str
        The file name used in sources and errors.
    on_bad : callable, optional
        Called with the error of each element that is not a paper record (not an
        object, or rejected by :func:`paper_from_record`), which is then skipped; by
        default the first one is raised. Errors of the JSON syntax are always raised:
        after one, where the next element starts is unknown.

    Yields
    ------
    Paper
        One per element, with the line where the element starts as source.

    Raises
    ------
    InputError
        At the line of invalid JSON, when the top-level value is not an array, and,
        without ``on_bad``, at an element that is not an object or at a record
        :func:`paper_from_record` rejects.

    Examples
    --------
    >>> doc = ['[\\n', '  {"title": "One", "abstract": "A."},\\n', '  {"title": "Two",\\n',
    ...        '   "abstract": "B."}\\n', ']\\n']
    >>> [(p.title, p.sources[0].line) for p in iter_json(doc, "x.json")]
    [('One', 2), ('Two', 3)]
    """
    text = "".join(lines)
    decoder = json.JSONDecoder()
    line, counted = 1, 0

    def line_at(pos: int) -> int:
        nonlocal line, counted  # positions only grow, so count newlines incrementally
        line += text.count("\n", counted, pos)
        counted = pos
        return line

    def skip(pos: int) -> int:
        return _WHITESPACE.match(text, pos).end()

    def decode(pos: int) -> tuple[Any, int]:
        try:
            return decoder.raw_decode(text, pos)
        except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
            where = exc.lineno if isinstance(exc, json.JSONDecodeError) else line_at(pos)
            raise InputError(path, where, _json_problem(exc, text, _JSON_HINT)) from None

    pos = skip(0)
    if pos == len(text):
        return
    if text[pos] != "[":
        value, _ = decode(pos)
        raise InputError(path, line_at(pos),
                         f"expected a JSON array of objects, got {_type_name(value)} "
                         "(use --format jsonl for one object per line)")
    pos = skip(pos + 1)
    if text.startswith("]", pos):
        pos += 1
    else:
        while True:
            value, end = decode(pos)
            number = line_at(pos)
            try:
                paper = paper_from_record(_object(value, path, number), path, number)
            except InputError as error:
                skip_or_raise(on_bad, error)
            else:
                yield paper
            pos = skip(end)
            if text.startswith(",", pos):
                pos = skip(pos + 1)
            elif text.startswith("]", pos):
                pos += 1
                break
            elif pos == len(text):
                raise InputError(path, line_at(pos), "invalid JSON: the file ends inside the "
                                 f"array (was it cut short? {_JSON_HINT})")
            else:
                raise InputError(path, line_at(pos), "invalid JSON: expected ',' or ']' after "
                                 f"an array element ({_JSON_HINT})")
    pos = skip(pos)
    if pos != len(text):
        raise InputError(path, line_at(pos),
                         f"invalid JSON: extra data after the array ({_JSON_HINT})")
