"""Query results as text, query parameters from the command line, and query files.

- :func:`format_result` writes a :class:`~kgraph.query.result.QueryResult` as an aligned
  text ``table``, ``json`` (a list of objects) or ``csv`` (RFC 4180 [1]_);
- :func:`parse_params` reads ``-p NAME=VALUE`` options: the value is JSON when it parses
  as JSON (numbers, ``true``/``false``/``null``, ``"quoted text"``, ``[lists]``,
  ``{maps}``), else the text as given;
- :func:`read_query_file` reads a ``.cypher`` file of the ``queries/`` library: the
  statement, and the header comment that documents it.

The header of a query file is its leading block of ``//`` comment lines, with three
sections::

    // Question: Which papers use (or introduce) a dataset?
    // Parameters:
    //   $dataset  dataset name, any case (default "COCO")
    //   $limit    most rows to return (default 50)
    // Example: kgraph query -f queries/papers_using_dataset.cypher -p dataset=ImageNet

A section's text may continue on the following comment lines. A parameter line starts
with ``$name``; its description may end with ``(default VALUE)``, VALUE written as on
the command line (see :func:`parse_value`).

References
----------
.. [1] RFC 4180, "Common Format and MIME Type for Comma-Separated Values (CSV) Files".
   https://datatracker.ietf.org/doc/html/rfc4180
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import unicodedata
from typing import Any, Iterable, Mapping

from kgraph.errors import QueryError
from kgraph.query.result import QueryResult

__all__ = [
    "FORMATS",
    "MAX_CELL_WIDTH",
    "format_result",
    "format_table",
    "format_json",
    "format_csv",
    "parse_value",
    "parse_params",
    "parse_header",
    "read_query_file",
]

#: Output formats of :func:`format_result`.
FORMATS = ("table", "json", "csv")
#: Widest cell of a text table, in terminal columns; longer values are cut with "…".
MAX_CELL_WIDTH = 60

_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CONTROL = {i: f"\\x{i:02x}" for i in range(32)} | {
    ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t", 0x7F: "\\x7f",
    0x2028: "\\u2028", 0x2029: "\\u2029"}
_ELLIPSIS = "…"


# --------------------------------------------------------------------------- values

def _json_safe(value: Any) -> Any:
    """Lists, dicts and scalars JSON can hold; NaN and infinities become None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _text(value: Any) -> str:
    """A cell's text for tables and CSV: JSON spelling for everything but strings."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ("NaN" if value != value else
                                                          ("Infinity" if value > 0
                                                           else "-Infinity"))
    if isinstance(value, int):
        return str(value)
    return json.dumps(_json_safe(value), ensure_ascii=False)


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _width(text: str) -> int:
    return sum(_char_width(ch) for ch in text)


def _cut(text: str, max_width: int) -> str:
    if _width(text) <= max_width:
        return text
    out, used = [], 0
    for ch in text:
        w = _char_width(ch)
        if used + w > max_width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + _ELLIPSIS


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


# --------------------------------------------------------------------------- formats

def format_table(result: QueryResult, max_width: int = MAX_CELL_WIDTH) -> str:
    """Aligned text columns, a dashed rule under the header, and a row count.

    Strings are shown as they are, with line breaks and other control characters
    escaped (``\\n``) so that each record stays on one line; lists and maps in JSON;
    ``null`` as an empty cell. Numeric columns (and their headers) are right-aligned. Cells wider than
    ``max_width`` terminal columns (East Asian wide characters and most emoji count
    two) are cut and end with "…".

    Parameters
    ----------
    result : QueryResult
    max_width : int
        Widest cell, in terminal columns (at least 2).

    Returns
    -------
    str
        The table, without a final line break.

    Examples
    --------
    >>> r = QueryResult(["dataset", "papers"], [["COCO", 19], ["CIFAR-10", 7]])
    >>> print(format_table(r))
    dataset   papers
    --------  ------
    COCO          19
    CIFAR-10       7
    (2 rows)
    """
    if max_width < 2:
        raise ValueError("max_width must be at least 2")
    header = [_cut(c.translate(_CONTROL), max_width) for c in result.columns]
    body = [[_cut(_text(v).translate(_CONTROL), max_width) for v in row]
            for row in result.rows]
    numeric = []
    for i in range(len(header)):
        values = [row[i] for row in result.rows if row[i] is not None]
        numeric.append(bool(values) and all(isinstance(v, (int, float))
                                            and not isinstance(v, bool) for v in values))
    widths = [max([_width(h)] + [_width(row[i]) for row in body])
              for i, h in enumerate(header)]
    lines = ["  ".join(_pad(h, w, r) for h, w, r in zip(header, widths, numeric)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for row in body:
        lines.append("  ".join(_pad(c, w, r)
                               for c, w, r in zip(row, widths, numeric)).rstrip())
    n = len(result.rows)
    lines.append(f"({n} row{'' if n == 1 else 's'})")
    return "\n".join(lines)


def format_json(result: QueryResult) -> str:
    """A JSON array with one object per row, keyed by column name.

    Non-finite floats (which JSON cannot write) become ``null``; values JSON has no
    type for are written as strings.

    Examples
    --------
    >>> print(format_json(QueryResult(["name", "aliases"], [["ViT", ["ViT", "ViT-B"]]])))
    [
      {
        "name": "ViT",
        "aliases": [
          "ViT",
          "ViT-B"
        ]
      }
    ]
    """
    return json.dumps([_json_safe(r) for r in result.records()], ensure_ascii=False,
                      indent=2)


def format_csv(result: QueryResult) -> str:
    """CSV as RFC 4180 writes it: a header record, CRLF line ends, quotes when needed.

    Strings are written as they are (quoted and with quotes doubled when they hold a
    comma, quote or line break); ``null`` is an empty field; booleans are ``true`` and
    ``false``; lists and maps are JSON text.

    Examples
    --------
    >>> format_csv(QueryResult(["title", "n"], [['Say "hi", then go', 2], [None, True]]))
    'title,n\\r\\n"Say ""hi"", then go",2\\r\\n,true\\r\\n'
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.columns)
    writer.writerows([_text(v) for v in row] for row in result.rows)
    return out.getvalue()


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Write a result in one of :data:`FORMATS`.

    Parameters
    ----------
    result : QueryResult
    fmt : {"table", "json", "csv"}

    Returns
    -------
    str
        ``table`` and ``json`` end without a line break; ``csv`` ends with CRLF, like
        every record.

    Raises
    ------
    QueryError
        For an unknown format.
    """
    if fmt == "table":
        return format_table(result)
    if fmt == "json":
        return format_json(result)
    if fmt == "csv":
        return format_csv(result)
    raise QueryError(f"unknown output format {fmt!r}; expected one of {', '.join(FORMATS)}")


# --------------------------------------------------------------------------- parameters

def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def parse_value(text: str) -> Any:
    """Read a parameter value: JSON when it is valid JSON, else the text itself.

    ``NaN`` and ``Infinity``, which Python's JSON reader accepts but JSON does not
    have, stay text.

    Examples
    --------
    >>> parse_value("20"), parse_value("0.5"), parse_value("true"), parse_value("null")
    (20, 0.5, True, None)
    >>> parse_value('"2401.00001"'), parse_value('["COCO", "ImageNet"]')
    ('2401.00001', ['COCO', 'ImageNet'])
    >>> parse_value("image classification"), parse_value(""), parse_value("NaN")
    ('image classification', '', 'NaN')
    """
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except ValueError:
        return text


def parse_params(items: Iterable[str], *,
                 defaults: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Turn ``NAME=VALUE`` strings (``-p`` options) into query parameters.

    Parameters
    ----------
    items : iterable of str
        Each ``NAME=VALUE``; the name is what the query writes after ``$``, the value
        is split off at the first ``=`` and read by :func:`parse_value`. A name given
        twice keeps its last value.
    defaults : mapping, optional
        The parameters' defaults (a query file header's ``defaults``). A parameter
        whose default is a string keeps its VALUE as text even when it reads as JSON,
        so that ``-p paper=2401.00001`` passes the id ``"2401.00001"``, not a number.

    Returns
    -------
    dict
        Name -> value.

    Raises
    ------
    QueryError
        Naming the item, when it has no ``=`` or its name is not a valid parameter
        name.

    Examples
    --------
    >>> parse_params(["dataset=COCO", "limit=5", "ids=[1, 2]", 'q="a=b"'])
    {'dataset': 'COCO', 'limit': 5, 'ids': [1, 2], 'q': 'a=b'}
    >>> parse_params(["paper=2401.00001"], defaults={"paper": "t731c177e0fc0"})
    {'paper': '2401.00001'}
    >>> parse_params(["limit"])
    Traceback (most recent call last):
    ...
    kgraph.errors.QueryError: parameter 'limit': expected NAME=VALUE
    """
    defaults = defaults or {}
    params: dict[str, Any] = {}
    for item in items:
        name, sep, text = str(item).partition("=")
        if not sep:
            raise QueryError(f"parameter {item!r}: expected NAME=VALUE")
        name = name.strip()
        if name.startswith("$"):
            name = name[1:]
        if _NAME_RE.fullmatch(name) is None:
            raise QueryError(f"parameter {item!r}: {name!r} is not a parameter name "
                             "(letters, digits and _, not starting with a digit)")
        value = parse_value(text)
        if isinstance(defaults.get(name), str) and not isinstance(value, (str, list, dict)):
            value = text
        params[name] = value
    return params


# --------------------------------------------------------------------------- query files

_SECTION_RE = re.compile(r"(question|parameters|example)s?\s*:\s*(.*)$", re.IGNORECASE)
_PARAM_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)\s*[:\-–—]?\s*(.*)$")
_DEFAULT_RE = re.compile(r"\(\s*default\s*[:=]?\s*(.*)\)\s*[.;,]?\s*$", re.IGNORECASE)


def parse_header(lines: Iterable[str]) -> dict[str, Any]:
    """Read the header comment of a query file.

    Parameters
    ----------
    lines : iterable of str
        The header's lines, with or without their ``//``.

    Returns
    -------
    dict
        ``question`` (str), ``parameters`` (name -> description, in order),
        ``defaults`` (name -> value, for the parameters that declare one) and
        ``example`` (str, lines joined by line breaks); empty when absent.

    Examples
    --------
    >>> h = parse_header(['// Question: Which papers use', '//   a dataset?',
    ...                   '// Parameters:', '//   $dataset  name, any case (default "COCO")',
    ...                   '//   $limit  most rows (default 50)',
    ...                   '// Example: kgraph query -f q.cypher -p dataset=MNIST'])
    >>> h["question"], h["parameters"]["dataset"], h["defaults"]
    ('Which papers use a dataset?', 'name, any case', {'dataset': 'COCO', 'limit': 50})
    """
    question: list[str] = []
    example: list[str] = []
    parameters: dict[str, str] = {}
    defaults: dict[str, Any] = {}
    section, last = None, None
    for raw in lines:
        text = raw.strip()
        if text.startswith("//"):
            text = text[2:].strip()
        if not text:
            continue
        match = _SECTION_RE.match(text)
        if match:
            section, last = match.group(1).lower(), None
            text = match.group(2).strip()
            if not text or (section == "parameters" and text.lower().rstrip(".") == "none"):
                continue
        if section == "question":
            question.append(text)
        elif section == "example":
            example.append(text)
        elif section == "parameters":
            param = _PARAM_RE.match(text)
            if param:
                last = param.group(1)
                parameters[last] = param.group(2).strip()
            elif last is not None:
                parameters[last] = f"{parameters[last]} {text}".strip()
    for name, description in parameters.items():
        match = _DEFAULT_RE.search(description)
        if match:
            defaults[name] = parse_value(match.group(1).strip())
            parameters[name] = description[:match.start()].strip().rstrip(",;")
    return {"question": " ".join(question), "parameters": parameters,
            "defaults": defaults, "example": "\n".join(example)}


def _strip_final_semicolon(cypher: str) -> str:
    cypher = cypher.strip()
    return cypher[:-1].rstrip() if cypher.endswith(";") else cypher


def read_query_file(path: str | os.PathLike[str]) -> tuple[str, dict[str, Any]]:
    """Read a ``.cypher`` query file: its statement and its header.

    Parameters
    ----------
    path : str or PathLike
        The file (UTF-8).

    Returns
    -------
    cypher : str
        The text after the header comment, stripped, without a final semicolon.
    header : dict
        :func:`parse_header` of the leading ``//`` lines.

    Raises
    ------
    QueryError
        When the file cannot be read or holds no statement after its header.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "q.cypher"
    >>> _ = f.write_text('// Question: How many papers?\\n// Parameters: none\\n'
    ...                  'MATCH (p:Paper)\\nRETURN count(p) AS papers;\\n')
    >>> cypher, header = read_query_file(f)
    >>> print(cypher)
    MATCH (p:Paper)
    RETURN count(p) AS papers
    >>> header["question"], header["parameters"], header["defaults"]
    ('How many papers?', {}, {})
    """
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise QueryError(f"{path}: no such query file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise QueryError(f"{path}: cannot read the query file ({err})") from None
    lines = text.splitlines()
    n = 0
    while n < len(lines) and (not lines[n].strip() or lines[n].lstrip().startswith("//")):
        n += 1
    cypher = _strip_final_semicolon("\n".join(lines[n:]))
    if not cypher:
        raise QueryError(f"{path}: no query after the header comment")
    return cypher, parse_header(lines[:n])
