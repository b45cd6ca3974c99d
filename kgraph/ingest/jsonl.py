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
from typing import Any, Iterable, Iterator, Mapping

from kgraph.errors import InputError
from kgraph.ingest.dedup import paper_id
from kgraph.model import Paper, Source

__all__ = ["iter_jsonl", "iter_json", "paper_from_record"]

_AUTHOR_SEPARATOR = re.compile(r"\s*(?:[,;]|\band\b)\s*")
_CATEGORY_SEPARATOR = re.compile(r"[\s,;]+")
_WHITESPACE = re.compile(r"[ \t\n\r\f\v]*")


def _collapse(text: str) -> str:
    """Collapse every run of whitespace to one space and strip."""
    return " ".join(text.split())


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
        raise InputError(path, line, f"'{key}' must be a string, not {_type_name(value)}")
    return _collapse(str(value)) or None


def _names(record: Mapping[str, Any], key: str, separator: re.Pattern[str], path: str,
           line: int) -> list[str]:
    """A list field given as a list of strings or as one separated string."""
    value = record.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        items = separator.split(value)
    elif isinstance(value, list):
        items = []
        for item in value:
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                item = item["name"]  # the {"name": ...} objects of many bibliographic APIs
            if not isinstance(item, str):
                raise InputError(path, line,
                                 f"'{key}' items must be strings, not {_type_name(item)}")
            items.append(item)
    else:
        raise InputError(path, line,
                         f"'{key}' must be a list or a string, not {_type_name(value)}")
    return [name for name in (_collapse(item) for item in items) if name]


def _required_text(record: Mapping[str, Any], key: str, path: str, line: int) -> str:
    """A required string field, whitespace collapsed."""
    if key not in record or record[key] is None:
        raise InputError(path, line, f"missing '{key}'")
    value = record[key]
    if not isinstance(value, str):
        raise InputError(path, line, f"'{key}' must be a string, not {_type_name(value)}")
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
        Title and abstract whitespace-collapsed; ``authors`` split on commas,
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
        raise InputError(path, line, "empty title")
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
        raise InputError(path, line, f"expected a JSON object, got {_type_name(value)}")
    return value


def iter_jsonl(lines: Iterable[str], path: str) -> Iterator[Paper]:
    """Read JSON Lines: one object per line, blank lines skipped.

    Parameters
    ----------
    lines : iterable of str
        The decoded lines of the file, read lazily.
    path : str
        The file name used in sources and errors.

    Yields
    ------
    Paper
        One per object, with the object's line as source.

    Raises
    ------
    InputError
        At the line of invalid JSON, of a value that is not an object, or of a record
        :func:`paper_from_record` rejects.

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
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(path, number, f"invalid JSON: {exc.msg} (column {exc.colno})") from None
        yield paper_from_record(_object(value, path, number), path, number)


def iter_json(lines: Iterable[str], path: str) -> Iterator[Paper]:
    """Read a JSON array of objects.

    Parameters
    ----------
    lines : iterable of str
        The decoded lines of the file (read whole: an array is one JSON value).
    path : str
        The file name used in sources and errors.

    Yields
    ------
    Paper
        One per element, with the line where the element starts as source.

    Raises
    ------
    InputError
        At the line of invalid JSON, when the top-level value is not an array, at an
        element that is not an object, or at a record :func:`paper_from_record`
        rejects.

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
        except json.JSONDecodeError as exc:
            raise InputError(path, exc.lineno, f"invalid JSON: {exc.msg} (column {exc.colno})") from None

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
            yield paper_from_record(_object(value, path, number), path, number)
            pos = skip(end)
            if text.startswith(",", pos):
                pos = skip(pos + 1)
            elif text.startswith("]", pos):
                pos += 1
                break
            else:
                raise InputError(path, line_at(pos), "invalid JSON: expected ',' or ']' after an array element")
    pos = skip(pos)
    if pos != len(text):
        raise InputError(path, line_at(pos), "invalid JSON: extra data after the array")
