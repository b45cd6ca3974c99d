"""Cypher text for Neo4j: literals, statement builders and the rows of both Neo4j exports.

``import.cypher`` is a file run by ``cypher-shell``, not a driver session, so it has no
query parameters: values are written into the statements as literals. Names never are:
labels and relationship types must be among the constants of :mod:`kgraph.model`, and
property keys must match ``[A-Za-z_][A-Za-z0-9_]*``; anything else raises
:class:`~kgraph.errors.ExportError`. Nothing read from the papers can therefore change
the shape of a statement, only the values it writes.

The module has four parts, all pure functions:

- literals: :func:`literal` writes a Python value as a Cypher literal; :func:`parse_literal`
  and :func:`read_literal` read one back (used to prove round trips);
- :func:`split_statements` cuts a script into statements at the semicolons that are
  outside strings, names and comments, as ``cypher-shell`` does;
- statement builders: :func:`constraint_query`, :func:`merge_nodes_query`,
  :func:`merge_relationships_query`;
- :func:`node_groups` and :func:`relationship_groups` turn a kgraph graph (see
  ``kgraph/graph/SCHEMA.md``) into rows grouped by label and by relationship type. The
  Cypher script and the ``neo4j-admin`` CSV files are both written from these rows, so a
  graph loaded either way has the same properties.

Property values follow Neo4j's property rules: a value is a boolean, an integer (64-bit),
a finite float, a string, or a homogeneous list of one of those. Empty strings and empty
lists are stored as absent properties (``null``), because the CSV import skips empty
arrays [5]_ and reads an empty field as a missing value; integers are widened to floats
in a column that mixes both.

References
----------
.. [1] Cypher Manual 5, "Boolean, numeric, and string literals": string literal escape
   sequences ``\\t \\b \\n \\r \\f \\' \\" \\\\ \\uxxxx`` (UTF-16 code unit), float literals
   in scientific notation.
   https://neo4j.com/docs/cypher-manual/5/values-and-types/boolean-numeric-string/
.. [2] Cypher Manual, "Parsing": Unicode escapes, and the characters Cypher treats as
   whitespace and newlines (including U+2028 and U+2029).
   https://neo4j.com/docs/cypher-manual/current/syntax/parsing/
.. [3] Cypher Manual 5, "Create constraints": ``CREATE CONSTRAINT name IF NOT EXISTS
   FOR (n:Label) REQUIRE n.property IS UNIQUE``.
   https://neo4j.com/docs/cypher-manual/5/constraints/create-constraints/
.. [4] cypher-shell, ``ShellStatementParser``: statements end at a semicolon outside
   quotes, backticks and ``//`` or ``/* */`` comments; a backslash escapes the next
   character. https://github.com/neo4j/cypher-shell
.. [5] Operations Manual, "Import header format": CSV import does not import empty arrays.
   https://neo4j.com/docs/operations-manual/current/import/header-format/
"""

from __future__ import annotations

import itertools
import math
import numbers
import operator
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import networkx as nx

from kgraph.errors import ExportError
from kgraph.model import (LABELS, PAPER_LABEL, PROPOSES, RELATIONSHIPS, REPORTS, SHARES_ENTITY,
                          EntityType)

__all__ = [
    "NODE_LABELS",
    "RELATIONSHIP_TYPES",
    "ENDPOINTS",
    "MERGE_KEYS",
    "RELATIONSHIP_KEYS",
    "PROPERTY_KEY_RE",
    "check_label",
    "check_relationship_type",
    "check_property_key",
    "literal",
    "parse_literal",
    "read_literal",
    "split_statements",
    "constraint_name",
    "constraint_query",
    "merge_nodes_query",
    "merge_relationships_query",
    "relationship_identity",
    "relationship_pattern",
    "property_value",
    "NodeGroup",
    "RelationshipGroup",
    "node_groups",
    "relationship_groups",
    "ColumnRows",
    "row_columns",
]

#: Every node label, in the order the exports write them.
NODE_LABELS: tuple[str, ...] = (PAPER_LABEL, *(LABELS[t] for t in EntityType))

#: Every relationship type, in the order the exports write them.
RELATIONSHIP_TYPES: tuple[str, ...] = (
    *(RELATIONSHIPS[t] for t in EntityType), PROPOSES, REPORTS, SHARES_ENTITY)

#: Relationship type -> (start label, allowed end labels), from ``SCHEMA.md``.
ENDPOINTS: dict[str, tuple[str, tuple[str, ...]]] = {
    **{RELATIONSHIPS[t]: (PAPER_LABEL, (LABELS[t],)) for t in EntityType},
    PROPOSES: (PAPER_LABEL, (LABELS[EntityType.DATASET], LABELS[EntityType.METHOD])),
    REPORTS: (PAPER_LABEL, (LABELS[EntityType.DATASET],)),
    SHARES_ENTITY: (PAPER_LABEL, (PAPER_LABEL,)),
}

#: Relationship type -> the properties that, with its two ends, identify one
#: relationship. Other types have at most one relationship per pair of nodes; a paper
#: reports several results on one dataset, each told apart by the offset of its number
#: (``span_start``), which the MERGE of both Neo4j exports matches on.
RELATIONSHIP_KEYS: dict[str, tuple[str, ...]] = {REPORTS: ("span_start",)}

#: Label -> the property nodes are merged on (and made unique by a constraint).
MERGE_KEYS: dict[str, str] = {label: "id" if label == PAPER_LABEL else "key"
                              for label in NODE_LABELS}

#: What a property key (and a map key in a literal) must look like.
PROPERTY_KEY_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

_INT_MIN, _INT_MAX = -(2 ** 63) + 1, 2 ** 63 - 1
_NODE_ATTR_SKIP = "label"        # the node label: becomes the Neo4j label, not a property
_EDGE_ATTR_SKIP = "type"         # the relationship type: same
_ROW_SRC, _ROW_DST = "src", "dst"  # reserved row keys of relationship rows


# --------------------------------------------------------------------------- names

def check_label(label: object) -> str:
    """Return ``label`` if it is one of kgraph's node labels, else raise.

    Parameters
    ----------
    label : object
        A candidate label, e.g. read from a node's ``label`` attribute.

    Returns
    -------
    str
        The label, safe to write into a statement unquoted.

    Raises
    ------
    ExportError
        When ``label`` is not in :data:`NODE_LABELS`.

    Examples
    --------
    >>> check_label("Dataset")
    'Dataset'
    >>> check_label("Dataset) DETACH DELETE (n")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kgraph.errors.ExportError: unknown node label 'Dataset) DETACH DELETE (n'; expected one of ...
    """
    if not isinstance(label, str) or label not in NODE_LABELS:
        raise ExportError(
            f"unknown node label {label!r}; expected one of {', '.join(NODE_LABELS)}")
    return label


def check_relationship_type(rel_type: object) -> str:
    """Return ``rel_type`` if it is one of kgraph's relationship types, else raise.

    Parameters
    ----------
    rel_type : object
        A candidate type, e.g. an edge's ``type`` attribute.

    Returns
    -------
    str
        The type, safe to write into a statement unquoted.

    Raises
    ------
    ExportError
        When ``rel_type`` is not in :data:`RELATIONSHIP_TYPES`.

    Examples
    --------
    >>> check_relationship_type("USES_DATASET")
    'USES_DATASET'
    >>> check_relationship_type("uses_dataset")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kgraph.errors.ExportError: unknown relationship type 'uses_dataset'; expected one of ...
    """
    if not isinstance(rel_type, str) or rel_type not in RELATIONSHIP_TYPES:
        raise ExportError(f"unknown relationship type {rel_type!r}; "
                          f"expected one of {', '.join(RELATIONSHIP_TYPES)}")
    return rel_type


_CHECKED_KEYS: set[str] = set()


def check_property_key(key: object) -> str:
    """Return ``key`` if it is a plain property key (``[A-Za-z_][A-Za-z0-9_]*``), else raise.

    Parameters
    ----------
    key : object
        A candidate property or map key.

    Returns
    -------
    str
        The key, safe to write unquoted after ``n.`` or before ``:`` in a map.

    Raises
    ------
    ExportError
        When ``key`` is not a string of that form.

    Examples
    --------
    >>> check_property_key("count")
    'count'
    >>> check_property_key("x}) DETACH DELETE n //")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kgraph.errors.ExportError: invalid property key 'x}) DETACH DELETE n //': must match ...
    """
    if key in _CHECKED_KEYS and type(key) is str:
        return key
    if not isinstance(key, str) or PROPERTY_KEY_RE.fullmatch(key) is None:
        raise ExportError(
            f"invalid property key {key!r}: must match {PROPERTY_KEY_RE.pattern}")
    if type(key) is str and len(_CHECKED_KEYS) < 10_000:
        _CHECKED_KEYS.add(key)
    return key


# --------------------------------------------------------------------------- literals

_SIMPLE_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Characters escaped in every mode: quote, backslash, C0 and C1 control characters, the
# Unicode line and paragraph separators, the byte order mark, and surrogates (refused).
_NEEDS_ESCAPE = re.compile("[\\\\'\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")
# In ASCII mode everything but printable ASCII (apart from quote and backslash) too.
_NEEDS_ESCAPE_ASCII = re.compile(r"[^ -&(-\[\]-~]")


def _escape_char(match: re.Match[str]) -> str:
    ch = match.group()
    simple = _SIMPLE_ESCAPES.get(ch)
    if simple is not None:
        return simple
    cp = ord(ch)
    if 0xD800 <= cp <= 0xDFFF:
        raise ExportError(f"string contains a lone surrogate U+{cp:04X}")
    if cp > 0xFFFF:  # UTF-16 surrogate pair, as Cypher's \\u escapes are UTF-16 code units
        cp -= 0x10000
        return f"\\u{0xD800 + (cp >> 10):04X}\\u{0xDC00 + (cp & 0x3FF):04X}"
    return f"\\u{cp:04X}"


def _float_text(value: float) -> str:
    if not math.isfinite(value):
        raise ExportError(f"{value!r} cannot be stored in Neo4j (only finite floats)")
    text = repr(value)
    # Python writes 1e+16; the Cypher grammar's exponent is 'e', an optional '-', digits.
    return text.replace("e+", "e")


def literal(value: Any, *, ascii_only: bool = False) -> str:
    """Write ``value`` as a Cypher literal.

    Strings are single-quoted with ``\\\\``, ``\\'``, ``\\n``, ``\\r``, ``\\t`` escapes;
    other control characters, U+2028, U+2029 and U+FEFF become ``\\uXXXX`` [1]_ [2]_.
    Lists become ``[a, b]``, mappings ``{key: value}`` (keys checked with
    :func:`check_property_key`), ``None`` becomes ``null``.

    Parameters
    ----------
    value : None, bool, int, float, str, list, tuple or mapping
        The value; containers are written recursively.
    ascii_only : bool
        Also escape every character outside printable ASCII (characters beyond U+FFFF as
        a UTF-16 surrogate pair), so the text reads the same in any encoding.

    Returns
    -------
    str
        Cypher source text that evaluates to ``value``.

    Raises
    ------
    ExportError
        For NaN or infinite floats, integers outside the signed 64-bit range (the lowest
        value excluded: Cypher reads it as a negated, too large literal), lone surrogates,
        invalid map keys and values of other types.

    Examples
    --------
    >>> print(literal("it's a \\\\ path\\n"))
    'it\\'s a \\\\ path\\n'
    >>> print(literal(["a", None, 3, 1.5e-07, True, {"k": "v"}]))
    ['a', null, 3, 1.5e-07, true, {k: 'v'}]
    >>> print(literal("caf\\u00e9 \\U0001F600", ascii_only=True))
    'caf\\u00E9 \\uD83D\\uDE00'
    >>> literal(float("nan"))
    Traceback (most recent call last):
    ...
    kgraph.errors.ExportError: nan cannot be stored in Neo4j (only finite floats)
    """
    kind = type(value)
    if kind is str:  # the common cases first, by exact type; the general checks follow
        pattern = _NEEDS_ESCAPE_ASCII if ascii_only else _NEEDS_ESCAPE
        return "'" + pattern.sub(_escape_char, value) + "'"
    if kind is list and all(type(v) is str for v in value):
        pattern = _NEEDS_ESCAPE_ASCII if ascii_only else _NEEDS_ESCAPE
        return "[" + ", ".join("'" + pattern.sub(_escape_char, v) + "'" for v in value) + "]"
    if kind is int and _INT_MIN <= value <= _INT_MAX:
        return str(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        number = int(value)
        if not _INT_MIN <= number <= _INT_MAX:
            raise ExportError(f"integer {number} is outside Neo4j's 64-bit range")
        return str(number)
    if isinstance(value, numbers.Real):
        return _float_text(float(value))
    if isinstance(value, str):
        pattern = _NEEDS_ESCAPE_ASCII if ascii_only else _NEEDS_ESCAPE
        return "'" + pattern.sub(_escape_char, value) + "'"
    if isinstance(value, Mapping):
        items = (f"{check_property_key(k)}: {literal(v, ascii_only=ascii_only)}"
                 for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v, ascii_only=ascii_only) for v in value) + "]"
    raise ExportError(f"cannot write a {type(value).__name__} as a Cypher literal")


_READ_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f",
                 "'": "'", '"': '"', "\\": "\\"}
_NUMBER_RE = re.compile(
    r"-?(?:0x[0-9A-Fa-f]+|0o[0-7]+|(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?)")
_WORD_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_HEX4_RE = re.compile(r"[0-9A-Fa-f]{4}")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


class _Reader:
    """Recursive-descent reader of Cypher literals, one value at a time."""

    def __init__(self, text: str, pos: int) -> None:
        self.text = text
        self.pos = pos

    def fail(self, message: str) -> ValueError:
        return ValueError(f"{message} at offset {self.pos}")

    def skip_space(self) -> None:
        text, pos = self.text, self.pos
        while pos < len(text) and text[pos].isspace():
            pos += 1
        self.pos = pos

    def expect(self, char: str) -> None:
        self.skip_space()
        if not self.text.startswith(char, self.pos):
            raise self.fail(f"expected {char!r}")
        self.pos += 1

    def value(self) -> Any:
        self.skip_space()
        if self.pos >= len(self.text):
            raise self.fail("expected a literal, found the end of the text")
        ch = self.text[self.pos]
        if ch in "'\"":
            return self.string()
        if ch == "[":
            return self.sequence()
        if ch == "{":
            return self.mapping()
        number = _NUMBER_RE.match(self.text, self.pos)
        if number:
            self.pos = number.end()
            token = number.group().lower()
            if "0x" in token:
                return int(token, 16)
            if "0o" in token:
                return int(token, 8)
            if any(c in token for c in ".e"):
                return float(token)
            return int(token)
        word = _WORD_RE.match(self.text, self.pos)
        if word:
            keyword = word.group().lower()
            if keyword in ("true", "false", "null"):
                self.pos = word.end()
                return {"true": True, "false": False, "null": None}[keyword]
        raise self.fail(f"unexpected {ch!r}")

    def string(self) -> str:
        text = self.text
        quote = text[self.pos]
        pos = self.pos + 1
        parts: list[str] = []
        while True:
            end = pos
            while end < len(text) and text[end] not in (quote, "\\"):
                end += 1
            parts.append(text[pos:end])
            if end >= len(text):
                self.pos = end
                raise self.fail("unterminated string literal")
            if text[end] == quote:
                self.pos = end + 1
                break
            escape = text[end + 1:end + 2]
            if escape == "u":
                digits = text[end + 2:end + 6]
                if not _HEX4_RE.fullmatch(digits):
                    self.pos = end
                    raise self.fail("\\u must be followed by four hex digits")
                parts.append(chr(int(digits, 16)))
                pos = end + 6
            elif escape in _READ_ESCAPES:
                parts.append(_READ_ESCAPES[escape])
                pos = end + 2
            else:
                self.pos = end
                raise self.fail(f"invalid escape sequence \\{escape}")
        result = "".join(parts)
        if any("\ud800" <= c <= "\udfff" for c in result):
            # \\u escapes are UTF-16 code units: join surrogate pairs into characters.
            result = result.encode("utf-16-le", "surrogatepass").decode(
                "utf-16-le", "surrogatepass")
        return result

    def sequence(self) -> list[Any]:
        self.pos += 1
        items: list[Any] = []
        self.skip_space()
        if self.text.startswith("]", self.pos):
            self.pos += 1
            return items
        while True:
            items.append(self.value())
            self.skip_space()
            if self.text.startswith(",", self.pos):
                self.pos += 1
                continue
            self.expect("]")
            return items

    def key(self) -> str:
        self.skip_space()
        text = self.text
        if text.startswith("`", self.pos):
            pos, parts = self.pos + 1, []
            while True:
                end = text.find("`", pos)
                if end < 0:
                    raise self.fail("unterminated backtick name")
                parts.append(text[pos:end])
                if text.startswith("``", end):  # a doubled backtick is a literal backtick
                    parts.append("`")
                    pos = end + 2
                    continue
                self.pos = end + 1
                return "".join(parts)
        word = _WORD_RE.match(text, self.pos)
        if not word:
            raise self.fail("expected a map key")
        self.pos = word.end()
        return word.group()

    def mapping(self) -> dict[str, Any]:
        self.pos += 1
        result: dict[str, Any] = {}
        self.skip_space()
        if self.text.startswith("}", self.pos):
            self.pos += 1
            return result
        while True:
            key = self.key()
            if key in result:
                raise self.fail(f"duplicate map key {key!r}")
            self.expect(":")
            result[key] = self.value()
            self.skip_space()
            if self.text.startswith(",", self.pos):
                self.pos += 1
                continue
            self.expect("}")
            return result


def read_literal(text: str, start: int = 0) -> tuple[Any, int]:
    """Read one Cypher literal from ``text[start:]`` and say where it ends.

    Understands what :func:`literal` writes and a little more: single- or double-quoted
    strings with the escapes of [1]_, decimal, hexadecimal (``0x``) and octal (``0o``)
    integers, floats, ``true``/``false``/``null`` in any case, lists and maps (plain or
    backticked keys). Leading whitespace is skipped.

    Parameters
    ----------
    text : str
        Cypher source.
    start : int
        Offset to start reading at.

    Returns
    -------
    value : object
        The value: str, int, float, bool, None, list or dict.
    end : int
        Offset just after the literal.

    Raises
    ------
    ValueError
        When no valid literal starts there.

    Examples
    --------
    >>> read_literal("UNWIND [{id: 'a;b'}] AS row", 7)
    ([{'id': 'a;b'}], 20)
    """
    reader = _Reader(text, start)
    value = reader.value()
    return value, reader.pos


def parse_literal(text: str) -> Any:
    """Read a Cypher literal that makes up the whole of ``text``: the inverse of :func:`literal`.

    Parameters
    ----------
    text : str
        One literal, optionally surrounded by whitespace.

    Returns
    -------
    object
        The value: str, int, float, bool, None, list or dict.

    Raises
    ------
    ValueError
        When ``text`` is not exactly one valid literal.

    Examples
    --------
    >>> parse_literal("['it\\\\'s', \\"\\\\u00E9\\", -2, 1e16, NULL]")
    ["it's", 'é', -2, 1e+16, None]
    >>> value = "'); MATCH (n) DETACH DELETE n; //"
    >>> parse_literal(literal(value)) == value
    True
    """
    value, end = read_literal(text)
    reader = _Reader(text, end)
    reader.skip_space()
    if reader.pos != len(text):
        raise reader.fail("unexpected text after the literal")
    return value


def split_statements(script: str) -> list[str]:
    """Cut a Cypher script into statements at the semicolons outside strings and comments.

    Follows ``cypher-shell`` [4]_: a statement ends at a ``;`` that is not inside a
    single- or double-quoted string (where a backslash escapes the next character), a
    backticked name, a ``//`` line comment or a ``/* */`` block comment. Comments are
    dropped, statements are stripped of surrounding whitespace and empty ones skipped;
    text after the last semicolon counts as a final statement.

    Parameters
    ----------
    script : str
        Cypher source, e.g. the contents of ``import.cypher``.

    Returns
    -------
    list of str
        The statements, without their terminating semicolons.

    Raises
    ------
    ValueError
        When a string, name or block comment is not closed.

    Examples
    --------
    >>> split_statements("// header; not a statement\\nRETURN 'a;b' AS x; RETURN 1 /* ; */;")
    ["RETURN 'a;b' AS x", 'RETURN 1']
    """
    statements: list[str] = []
    current: list[str] = []
    i, n = 0, len(script)
    while i < n:
        ch = script[i]
        if ch in "'\"`":
            j = i + 1
            while True:
                if j >= n:
                    kind = "backtick name" if ch == "`" else "string literal"
                    raise ValueError(f"unterminated {kind} starting at offset {i}")
                if script[j] == "\\" and ch != "`":
                    j += 2
                    continue
                if script[j] == ch:
                    if ch == "`" and script.startswith("``", j):
                        j += 2
                        continue
                    break
                j += 1
            current.append(script[i:j + 1])
            i = j + 1
        elif script.startswith("//", i):
            end = script.find("\n", i)
            i = n if end < 0 else end  # keep the newline as whitespace
        elif script.startswith("/*", i):
            end = script.find("*/", i + 2)
            if end < 0:
                raise ValueError(f"unterminated block comment starting at offset {i}")
            current.append(" ")
            i = end + 2
        elif ch == ";":
            statements.append("".join(current))
            current = []
            i += 1
        else:
            current.append(ch)
            i += 1
    statements.append("".join(current))
    return [s.strip() for s in statements if s.strip()]


# --------------------------------------------------------------------------- statements

def constraint_name(label: str) -> str:
    """Name of the uniqueness constraint on a label's merge key, e.g. ``paper_id``.

    Examples
    --------
    >>> constraint_name("Repository")
    'repository_key'
    """
    return f"{check_label(label).lower()}_{MERGE_KEYS[label]}"


def constraint_query(label: str) -> str:
    """The statement that makes a label's merge key unique, if it is not already [3]_.

    Parameters
    ----------
    label : str
        One of :data:`NODE_LABELS`.

    Returns
    -------
    str
        ``CREATE CONSTRAINT ... IF NOT EXISTS ...`` without the final semicolon.

    Raises
    ------
    ExportError
        For an unknown label.

    Examples
    --------
    >>> constraint_query("Paper")
    'CREATE CONSTRAINT paper_id IF NOT EXISTS FOR (n:Paper) REQUIRE n.id IS UNIQUE'
    """
    key = MERGE_KEYS[check_label(label)]
    return (f"CREATE CONSTRAINT {constraint_name(label)} IF NOT EXISTS "
            f"FOR (n:{label}) REQUIRE n.{key} IS UNIQUE")


# Printable ASCII characters that no escape writes and neither escape pattern matches.
_SEPARATORS = "|~^#@%"


def _escape_all(texts: list[str], ascii_only: bool) -> list[str]:
    """``[pattern.sub(_escape_char, t) for t in texts]``, faster.

    In printable ASCII (``isascii() and isprintable()``: U+0020 to U+007E, checked in
    C at memory speed) only the backslash and the quote are escaped, in both modes, so
    such texts are escaped with two ``str.replace``; the regular expression, which
    scans about 150 MB/s, runs only on the others. Short texts are joined by a
    separator none of them holds, which is not escaped and which no escape writes,
    escaped together and split again, one call for many.
    """
    if not texts:
        return []
    joined = "".join(texts)
    if joined.isascii() and joined.isprintable():
        if "\\" not in joined and "'" not in joined:
            return list(texts)
        for sep in _SEPARATORS:
            if sep not in joined:
                return _escape_printable(sep.join(texts)).split(sep)
        return [_escape_printable(t) for t in texts]
    sub = (_NEEDS_ESCAPE_ASCII if ascii_only else _NEEDS_ESCAPE).sub
    if len(joined) > _LONG_TEXTS * len(texts):  # abstracts: most are printable ASCII
        return [_escape_printable(t) if t.isascii() and t.isprintable()
                else sub(_escape_char, t) for t in texts]
    for sep in _SEPARATORS:
        if sep not in joined:
            return sub(_escape_char, sep.join(texts)).split(sep)
    return [sub(_escape_char, t) for t in texts]


#: Mean length from which :func:`_escape_all` looks at texts one by one.
_LONG_TEXTS = 200


def _escape_printable(text: str) -> str:
    """What the escape patterns make of printable ASCII: backslash and quote escaped."""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if "'" in text:
        text = text.replace("'", "\\'")
    return text


def _literal_column(values: list, ascii_only: bool) -> list[str]:
    """``[literal(v, ascii_only=ascii_only) for v in values]``, a column at a time."""
    kinds = set(map(type, values))
    kinds.discard(type(None))
    if kinds == {str}:
        escaped = iter(_escape_all([v for v in values if v is not None], ascii_only))
        return ["null" if v is None else "'" + next(escaped) + "'" for v in values]
    if kinds == {int} and all(_INT_MIN <= v <= _INT_MAX for v in values if v is not None):
        return ["null" if v is None else str(v) for v in values]
    if kinds == {float}:
        return ["null" if v is None else _float_text(v) for v in values]
    if kinds == {list}:
        items = list(itertools.chain.from_iterable(v for v in values if v is not None))
        if set(map(type, items)) <= {str}:
            escaped = _escape_all(items, ascii_only)
            texts, at = [], 0
            for v in values:
                if v is None:
                    texts.append("null")
                elif v:
                    texts.append("['" + "', '".join(escaped[at:at + len(v)]) + "']")
                    at += len(v)
                else:
                    texts.append("[]")
            return texts
    return [literal(v, ascii_only=ascii_only) for v in values]


def _column_list(rows: ColumnRows, columns: Sequence[str], ascii_only: bool) -> str:
    """What :func:`_row_list` writes, for rows kept as columns."""
    if not len(rows):
        raise ExportError("a batch needs at least one row")
    if not set(columns).issuperset(rows.names):
        extra = set(rows.names) - set(columns)
        raise ExportError(f"row has keys outside the statement: {sorted(extra)}")
    form = "  {{" + ", ".join(f"{c}: {{}}" for c in columns) + "}}"
    texts = [_literal_column(values, ascii_only) for values in row_columns(rows, columns)]
    return "UNWIND [\n" + ",\n".join([form.format(*row) for row in zip(*texts)]) + "\n] AS row"


def _row_list(rows: Iterable[Mapping[str, Any]], columns: Sequence[str],
              ascii_only: bool) -> str:
    if isinstance(rows, ColumnRows):
        return _column_list(rows, columns, ascii_only)
    lines = []
    allowed = set(columns)
    prefixes = [f"{c}: " for c in columns]
    for row in rows:
        if not allowed.issuperset(row):
            extra = set(row) - allowed
            raise ExportError(f"row has keys outside the statement: {sorted(extra)}")
        fields = ", ".join([prefix + literal(row.get(c), ascii_only=ascii_only)
                            for prefix, c in zip(prefixes, columns)])
        lines.append("  {" + fields + "}")
    if not lines:
        raise ExportError("a batch needs at least one row")
    return "UNWIND [\n" + ",\n".join(lines) + "\n] AS row"


def _set_clause(var: str, properties: Sequence[str]) -> str:
    if not properties:
        return ""
    return "\nSET " + ", ".join(f"{var}.{p} = row.{p}" for p in properties)


def merge_nodes_query(label: str, properties: Sequence[str],
                      rows: Iterable[Mapping[str, Any]], *, ascii_only: bool = False) -> str:
    """One batch of nodes: ``UNWIND [rows] AS row MERGE (n:Label {key: row.key}) SET ...``.

    Parameters
    ----------
    label : str
        One of :data:`NODE_LABELS`; the merge key is ``MERGE_KEYS[label]``.
    properties : sequence of str
        The other properties to set, in order; a row without one sets it to ``null``.
    rows : iterable of mapping
        One mapping per node: the merge key and (some of) ``properties``.
    ascii_only : bool
        Passed to :func:`literal`.

    Returns
    -------
    str
        The statement, without the final semicolon.

    Raises
    ------
    ExportError
        For an unknown label, an invalid property key, a row key that is neither the
        merge key nor a property, a value :func:`literal` refuses, or no rows.

    Examples
    --------
    >>> print(merge_nodes_query("Task", ["name"], [{"key": "qa", "name": "QA"}]))
    UNWIND [
      {key: 'qa', name: 'QA'}
    ] AS row
    MERGE (n:Task {key: row.key})
    SET n.name = row.name
    """
    key = MERGE_KEYS[check_label(label)]
    properties = [check_property_key(p) for p in properties]
    if key in properties:
        raise ExportError(f"{key!r} is the merge key of {label}, not a property to set")
    unwind = _row_list(rows, [key, *properties], ascii_only)
    return (f"{unwind}\nMERGE (n:{label} {{{key}: row.{key}}})"
            f"{_set_clause('n', properties)}")


def merge_relationships_query(rel_type: str, start_label: str, end_label: str,
                              properties: Sequence[str], rows: Iterable[Mapping[str, Any]],
                              *, ascii_only: bool = False) -> str:
    """One batch of relationships between existing nodes, merged so a rerun adds none.

    ``UNWIND [rows] AS row MATCH (a:Start {key: row.src}) MATCH (b:End {key: row.dst})
    MERGE (a)-[r:TYPE]->(b) SET r.p = row.p, ...``. A type with identifying properties
    (:data:`RELATIONSHIP_KEYS`) merges on them too, ``MERGE (a)-[r:REPORTS {start:
    row.start}]->(b)``, and does not set them again.

    Parameters
    ----------
    rel_type : str
        One of :data:`RELATIONSHIP_TYPES`.
    start_label, end_label : str
        Labels of the two ends; each row's ``src`` and ``dst`` are their merge keys.
    properties : sequence of str
        Relationship properties to set, in order (``src`` and ``dst`` are reserved).
    rows : iterable of mapping
        One mapping per relationship: ``src``, ``dst`` and (some of) ``properties``.
    ascii_only : bool
        Passed to :func:`literal`.

    Returns
    -------
    str
        The statement, without the final semicolon.

    Raises
    ------
    ExportError
        For an unknown type or label, a type/label pair outside :data:`ENDPOINTS`, an
        invalid or reserved property key, a refused value, a row without an
        identifying property, or no rows.

    Examples
    --------
    >>> print(merge_relationships_query("REPORTS", "Paper", "Dataset", ["span_start", "value"],
    ...                                 [{"src": "2401.00001", "dst": "cora", "span_start": 80,
    ...                                   "value": 81.5}]))
    UNWIND [
      {src: '2401.00001', dst: 'cora', span_start: 80, value: 81.5}
    ] AS row
    MATCH (a:Paper {id: row.src})
    MATCH (b:Dataset {key: row.dst})
    MERGE (a)-[r:REPORTS {span_start: row.span_start}]->(b)
    SET r.value = row.value
    >>> print(merge_relationships_query("USES_DATASET", "Paper", "Dataset", ["count"],
    ...                                 [{"src": "2401.00001", "dst": "cora", "count": 2}]))
    UNWIND [
      {src: '2401.00001', dst: 'cora', count: 2}
    ] AS row
    MATCH (a:Paper {id: row.src})
    MATCH (b:Dataset {key: row.dst})
    MERGE (a)-[r:USES_DATASET]->(b)
    SET r.count = row.count
    """
    check_relationship_type(rel_type)
    _check_endpoints(rel_type, check_label(start_label), check_label(end_label))
    properties = [check_property_key(p) for p in properties]
    reserved = {_ROW_SRC, _ROW_DST} & set(properties)
    if reserved:
        raise ExportError(f"relationship property names {sorted(reserved)} are reserved")
    if not isinstance(rows, ColumnRows):
        rows = list(rows)
    identity = relationship_identity(rel_type, properties)
    if identity and any(None in values for values in row_columns(rows, identity)):
        for row in rows:
            if any(row.get(p) is None for p in identity):
                raise ExportError(f"a {rel_type} row needs {', '.join(identity)}: {row!r}")
    unwind = _row_list(rows, [_ROW_SRC, _ROW_DST, *properties], ascii_only)
    start_key, end_key = MERGE_KEYS[start_label], MERGE_KEYS[end_label]
    to_set = [p for p in properties if p not in identity]
    return (f"{unwind}\nMATCH (a:{start_label} {{{start_key}: row.{_ROW_SRC}}})"
            f"\nMATCH (b:{end_label} {{{end_key}: row.{_ROW_DST}}})"
            f"\nMERGE (a)-[r:{rel_type}{relationship_pattern(identity)}]->(b)"
            f"{_set_clause('r', to_set)}")


def relationship_identity(rel_type: str, properties: Sequence[str]) -> tuple[str, ...]:
    """The identifying properties of a relationship type (:data:`RELATIONSHIP_KEYS`).

    Parameters
    ----------
    rel_type : str
        One of :data:`RELATIONSHIP_TYPES`.
    properties : sequence of str
        The properties the statement writes.

    Returns
    -------
    tuple of str
        Empty for types with one relationship per pair of nodes.

    Raises
    ------
    ExportError
        When an identifying property is not among ``properties``.

    Examples
    --------
    >>> relationship_identity("REPORTS", ["span_start", "value"]), relationship_identity("ADDRESSES", [])
    (('span_start',), ())
    """
    identity = RELATIONSHIP_KEYS.get(rel_type, ())
    missing = [p for p in identity if p not in properties]
    if missing:
        raise ExportError(f"{rel_type} relationships are identified by {', '.join(identity)}, "
                          f"which the rows lack")
    return identity


def relationship_pattern(identity: Sequence[str]) -> str:
    """The property map of a relationship MERGE pattern, e.g. ``" {span_start: row.span_start}"``.

    Examples
    --------
    >>> relationship_pattern(("span_start",)), relationship_pattern(())
    (' {span_start: row.span_start}', '')
    """
    if not identity:
        return ""
    return " {" + ", ".join(f"{check_property_key(p)}: row.{p}" for p in identity) + "}"


def _check_endpoints(rel_type: str, start_label: str, end_label: str) -> None:
    start, ends = ENDPOINTS[rel_type]
    if start_label != start or end_label not in ends:
        raise ExportError(
            f"{rel_type} cannot go from {start_label} to {end_label}; the schema allows "
            f"{start} -> {' or '.join(ends)}")


# --------------------------------------------------------------------------- graph rows

_SCALAR_TYPES = ((bool, "boolean"), (numbers.Integral, "long"), (numbers.Real, "double"),
                 (str, "string"))


def _scalar(value: Any) -> tuple[Any, str]:
    kind = type(value)
    if kind is str:  # exact types first: the ABC checks below are slow on big graphs
        if _SURROGATE_RE.search(value):
            raise ExportError(f"string {value!r} contains a lone surrogate")
        return value, "string"
    if kind is int and _INT_MIN <= value <= _INT_MAX:
        return value, "long"
    if kind is float:
        _float_text(value)
        return value, "double"
    for cls, name in _SCALAR_TYPES:
        if isinstance(value, cls):
            break
    else:
        raise ExportError(f"a {type(value).__name__} cannot be stored as a Neo4j property")
    if name == "long":
        value = int(value)
        literal(value)  # range check
    elif name == "double":
        value = float(value)
        _float_text(value)
    elif name == "string" and _SURROGATE_RE.search(value):
        raise ExportError(f"string {value!r} contains a lone surrogate")
    return value, name


def property_value(value: Any) -> tuple[Any, str | None]:
    """Normalise an attribute value into a Neo4j property value and name its type.

    Parameters
    ----------
    value : object
        A node or edge attribute.

    Returns
    -------
    value : object
        ``None`` for ``None``, ``""`` and empty lists (stored as absent); else a bool,
        int, float, str, or a list of one of those (ints widened to floats in a list
        that mixes both).
    type : str or None
        The ``neo4j-admin`` import type: ``boolean``, ``long``, ``double``, ``string``,
        or one of those followed by ``[]``; ``None`` when the value is absent, ``"[]"``
        for an empty list (an array of unknown element type).

    Raises
    ------
    ExportError
        For values Neo4j cannot store: maps, nested lists, lists holding ``None`` or
        mixed types, NaN and infinite floats, integers beyond 64 bits.

    Examples
    --------
    >>> property_value(["a", "b"])
    (['a', 'b'], 'string[]')
    >>> property_value([1, 2.5])
    ([1.0, 2.5], 'double[]')
    >>> property_value("")
    (None, None)
    """
    if value is None or (isinstance(value, str) and value == ""):
        return None, None
    if type(value) is list and value and all(type(v) is str for v in value):
        if any(_SURROGATE_RE.search(v) for v in value):
            bad = next(v for v in value if _SURROGATE_RE.search(v))
            raise ExportError(f"string {bad!r} contains a lone surrogate")
        return list(value), "string[]"
    if isinstance(value, (list, tuple)):
        if not value:
            return None, "[]"
        items, names = [], set()
        for item in value:
            if item is None or isinstance(item, (list, tuple, Mapping)):
                raise ExportError(f"list {value!r}: Neo4j arrays hold only non-null scalars")
            item, name = _scalar(item)
            items.append(item)
            names.add(name)
        if names == {"long", "double"}:
            items, names = [float(x) for x in items], {"double"}
        if len(names) > 1:
            raise ExportError(f"list {value!r} mixes {' and '.join(sorted(names))}: "
                              "Neo4j arrays are homogeneous")
        return items, names.pop() + "[]"
    if isinstance(value, Mapping):
        raise ExportError("a map cannot be stored as a Neo4j property")
    return _scalar(value)


def _column_type(owner: str, name: str, types: set[str | None]) -> str:
    found = types - {None, "[]"}
    has_empty_list = "[]" in types
    if not found:
        return "string[]" if has_empty_list else "string"
    if found == {"long", "double"}:
        found = {"double"}
    elif found == {"long[]", "double[]"}:
        found = {"double[]"}
    if len(found) == 1:
        (column,) = found
        if not has_empty_list or column.endswith("[]"):
            return column
    kinds = sorted(t if t != "[]" else "empty list" for t in types - {None})
    raise ExportError(f"{owner}.{name} mixes value types ({', '.join(kinds)}); "
                      "a Neo4j property must have one type per label or type")


def _widen(value: Any, column: str) -> Any:
    if value is None:
        return None
    if column == "double" and not isinstance(value, float):
        return float(value)
    if column == "double[]":
        return [float(x) for x in value]
    return value


def _properties(owner: str | Callable[[], str], attrs: Mapping[str, Any],
                skip: Iterable[str]) -> dict[str, tuple[Any, str | None]]:
    """Normalised properties of a node or edge; ``owner`` names it in errors (a
    callable is called only then, so big graphs do not format a name per edge)."""
    result = {}
    for name, raw in attrs.items():
        if name in skip:
            continue
        try:
            check_property_key(name)
            result[name] = property_value(raw)
        except ExportError as err:
            where = owner() if callable(owner) else owner
            raise ExportError(f"{where}, property {name!r}: {err}") from None
    return result


def _columns(owner: str, entries: list[dict[str, tuple[Any, str | None]]]
             ) -> tuple[tuple[str, ...], dict[str, str]]:
    names = sorted({name for props in entries for name in props})
    types = {name: _column_type(owner, name, {props[name][1] for props in entries
                                              if name in props})
             for name in names}
    return tuple(names), types


@dataclass(frozen=True)
class NodeGroup:
    """All nodes of one label, as rows ready for a statement or a CSV file.

    Attributes
    ----------
    label : str
        The node label.
    key : str
        The merge key (``id`` for papers, ``key`` for entities); unique within the label.
    properties : tuple of str
        The other property names, sorted.
    types : dict
        Property name (the key included) -> ``neo4j-admin`` import type, e.g.
        ``"string"``, ``"long"``, ``"string[]"``.
    rows : ColumnRows or tuple of dict
        One dict per node, sorted by key: the key, then every property (``None`` when
        absent). :func:`node_groups` keeps them as columns (:class:`ColumnRows`).
    """

    label: str
    key: str
    properties: tuple[str, ...]
    types: dict[str, str]
    rows: Sequence[dict[str, Any]]


@dataclass(frozen=True)
class RelationshipGroup:
    """All relationships of one type between two labels, as rows.

    Attributes
    ----------
    type : str
        The relationship type.
    start_label, end_label : str
        Labels of the two ends.
    properties : tuple of str
        Relationship property names, sorted.
    types : dict
        Property name -> ``neo4j-admin`` import type.
    rows : tuple of dict
        One dict per relationship, sorted by ``(src, dst)`` and the identifying
        properties (:data:`RELATIONSHIP_KEYS`): ``src`` and ``dst`` (the merge keys of
        the two ends), then every property (``None`` when absent).
        :func:`relationship_groups` keeps them as columns (:class:`ColumnRows`).
    """

    type: str
    start_label: str
    end_label: str
    properties: tuple[str, ...]
    types: dict[str, str]
    rows: Sequence[dict[str, Any]]


class ColumnRows(Sequence):
    """Rows of a group kept as columns: a read-only sequence of dicts made on demand.

    What :func:`node_groups` and :func:`relationship_groups` put in ``rows``: a large
    graph has hundreds of thousands of rows, and one list per column costs a pointer
    per value where a dict per row costs a hash table; the exports read the columns
    directly (:attr:`columns`).

    Parameters
    ----------
    names : sequence of str
        The row keys, in row order.
    columns : sequence of list
        One list of values per name, all of the same length (shape ``(len(names),
        n_rows)``).

    Examples
    --------
    >>> rows = ColumnRows(("key", "name"), [["a", "b"], ["A", None]])
    >>> len(rows), rows[1], rows[:1]
    (2, {'key': 'b', 'name': None}, ({'key': 'a', 'name': 'A'},))
    >>> rows == ({"key": "a", "name": "A"}, {"key": "b", "name": None})
    True
    """

    __slots__ = ("names", "columns")

    def __init__(self, names: Sequence[str], columns: Sequence[list]) -> None:
        self.names = tuple(names)
        self.columns = list(columns)

    def __len__(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    def __getitem__(self, index):
        if isinstance(index, slice):
            return ColumnRows(self.names, [c[index] for c in self.columns])
        return dict(zip(self.names, [c[index] for c in self.columns]))

    def __iter__(self):
        names = self.names
        for values in zip(*self.columns):
            yield dict(zip(names, values))

    def column(self, name: str) -> list:
        """The values of one row key, in row order (a list the caller must not change)."""
        return self.columns[self.names.index(name)]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (ColumnRows, tuple, list)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(tuple(self))


def row_columns(rows: Sequence[Mapping[str, Any]], names: Sequence[str]) -> list[list]:
    """The values of ``names`` in ``rows``, column by column (``None`` where absent).

    Parameters
    ----------
    rows : ColumnRows or sequence of mapping
    names : sequence of str

    Returns
    -------
    list of list
        Shape ``(len(names), len(rows))``.

    Examples
    --------
    >>> row_columns([{"a": 1, "b": 2}, {"a": 3}], ["a", "b"])
    [[1, 3], [2, None]]
    """
    if isinstance(rows, ColumnRows):
        index = {n: i for i, n in enumerate(rows.names)}
        n_rows = len(rows)
        return [rows.columns[index[n]] if n in index else [None] * n_rows for n in names]
    return [[row.get(n) for row in rows] for n in names]


class _Unusual(Exception):
    """The graph holds something the fast path of the groups does not handle: the
    checked path (:func:`_checked_node_groups`) builds the groups, or raises."""


_MISSING = object()
_STRING_KINDS = frozenset({str, type(None), object})
_NUMBER_KINDS = frozenset({int, float, type(None), object})
_CHUNK = 4096


def _no_surrogates(texts: list[str]) -> None:
    for i in range(0, len(texts), _CHUNK):
        joined = "".join(texts[i:i + _CHUNK])
        if not joined.isascii() and _SURROGATE_RE.search(joined):
            raise _Unusual


def _fast_column(owner: str, name: str, values: list) -> tuple[list, str]:
    """Normalised values and import type of one property column, as
    :func:`property_value` and :func:`_column_type` would give them value by value;
    ``_MISSING`` marks an entity without the property. Raises _Unusual for anything
    but plain strings, string lists, integers and finite floats."""
    kinds = set(map(type, values))
    types: set[str | None] = set()
    if type(None) in kinds:
        types.add(None)
    if kinds <= _STRING_KINDS or kinds <= {list, type(None), object}:
        present = [v for v in values if v is not _MISSING and v is not None]
        if list in kinds:
            items = list(itertools.chain.from_iterable(present))
            if not set(map(type, items)) <= {str}:
                raise _Unusual
            _no_surrogates(items)
            if any(present):
                types.add("string[]")
            if not all(present):
                types.add("[]")
        elif present:
            _no_surrogates(present)
            if all(present):
                types.add("string")
            else:
                types.add(None)
                if any(present):
                    types.add("string")
        normal = [v if v and v is not _MISSING else None for v in values]
    elif kinds <= _NUMBER_KINDS:
        present = [v for v in values if v is not _MISSING and v is not None]
        if int in kinds:
            ints = [v for v in present if type(v) is int]
            if min(ints) < _INT_MIN or max(ints) > _INT_MAX:
                raise _Unusual
            types.add("long")
        if float in kinds:
            if not all(map(math.isfinite, present)):
                raise _Unusual
            types.add("double")
        normal = [None if v is _MISSING else v for v in values]
    else:
        raise _Unusual
    try:
        column = _column_type(owner, name, types)
    except ExportError:
        raise _Unusual from None
    if column == "double" and int in kinds:
        normal = [None if v is None else float(v) for v in normal]
    return normal, column


def _fast_table(owner: str, skip: Iterable[str], datas: list[dict]
                ) -> tuple[tuple[str, ...], dict[str, str], list[list]]:
    """Property names (sorted), import types and normalised columns of the attribute
    dicts ``datas`` (one entity each), ``skip`` left out."""
    names = set().union(*datas)
    names.difference_update(skip)
    properties = tuple(sorted(names))
    types, columns = {}, []
    for name in properties:
        if type(name) is not str or PROPERTY_KEY_RE.fullmatch(name) is None:
            raise _Unusual
        try:
            raw = list(map(operator.itemgetter(name), datas))
        except KeyError:
            raw = [d.get(name, _MISSING) for d in datas]
        values, types[name] = _fast_column(owner, name, raw)
        columns.append(values)
    return properties, types, columns


def _fast_node_groups(G: nx.MultiDiGraph) -> list[NodeGroup]:
    by_label: dict[str, list[tuple[str, dict]]] = {label: [] for label in NODE_LABELS}
    for node, data in G.nodes(data=True):
        label = data.get("label")
        entries = by_label.get(label) if type(label) is str else None
        if entries is None:
            raise _Unusual
        value = data.get(MERGE_KEYS[label])
        if type(value) is not str or not value:
            raise _Unusual
        entries.append((value, data))
    groups = []
    for label in NODE_LABELS:
        entries = by_label[label]
        if not entries:
            continue
        entries.sort(key=_first)
        keys = [value for value, _ in entries]
        if len(set(keys)) != len(keys):
            raise _Unusual
        key = MERGE_KEYS[label]
        properties, types, columns = _fast_table(
            label, (_NODE_ATTR_SKIP, key), [data for _, data in entries])
        groups.append(NodeGroup(label, key, properties, {key: "string", **types},
                                ColumnRows((key, *properties), [keys, *columns])))
    return groups


_first = operator.itemgetter(0)
_ENDS = operator.itemgetter(0, 1)


def _fast_relationship_groups(G: nx.MultiDiGraph) -> list[RelationshipGroup]:
    ends: dict[Any, tuple[str, str]] = {}
    for node, data in G.nodes(data=True):
        label = data.get("label")
        if type(label) is str and label in MERGE_KEYS:
            value = data.get(MERGE_KEYS[label])
            if type(value) is str and value:
                ends[node] = (label, value)
    by_group: dict[tuple[str, str, str], list[tuple]] = {}
    if not G.is_multigraph():
        raise _Unusual
    # networkx's own adjacency dicts, walked as G.edges(keys=True, data=True) walks them
    for u, nbrs in G._succ.items():
        if not nbrs:
            continue
        if u not in ends:
            raise _Unusual
        start_label, src = ends[u]
        for v, edges in nbrs.items():
            end = ends.get(v)
            if end is None:
                raise _Unusual
            end_label, dst = end
            for k, data in edges.items():
                rel_type = data.get(_EDGE_ATTR_SKIP, k)
                if type(rel_type) is not str:
                    raise _Unusual
                entries = by_group.get((rel_type, start_label, end_label))
                if entries is None:
                    if rel_type not in ENDPOINTS:
                        raise _Unusual
                    start, allowed = ENDPOINTS[rel_type]
                    if start_label != start or end_label not in allowed:
                        raise _Unusual
                    entries = by_group[(rel_type, start_label, end_label)] = []
                entries.append((src, dst, data))
    order = {name: i for i, name in enumerate(RELATIONSHIP_TYPES + NODE_LABELS)}
    groups = []
    for (rel_type, start_label, end_label) in sorted(
            by_group, key=lambda g: (order[g[0]], order[g[1]], order[g[2]])):
        entries = by_group[(rel_type, start_label, end_label)]
        identity = RELATIONSHIP_KEYS.get(rel_type, ())
        for p in identity:
            if not all(type(e[2].get(p)) is int for e in entries):
                raise _Unusual
        if identity:
            entries.sort(key=lambda e: (e[0], e[1], *(e[2][p] for p in identity)))
            idents = [(e[0], e[1], *(e[2][p] for p in identity)) for e in entries]
        else:
            entries.sort(key=_ENDS)
            idents = list(map(_ENDS, entries))
        if any(map(operator.eq, idents, itertools.islice(idents, 1, None))):
            raise _Unusual
        del idents
        properties, types, columns = _fast_table(rel_type, (_EDGE_ATTR_SKIP,),
                                                 [e[2] for e in entries])
        if _ROW_SRC in properties or _ROW_DST in properties:
            raise _Unusual
        srcs = [e[0] for e in entries]
        dsts = [e[1] for e in entries]
        del entries
        groups.append(RelationshipGroup(
            rel_type, start_label, end_label, properties, types,
            ColumnRows((_ROW_SRC, _ROW_DST, *properties), [srcs, dsts, *columns])))
    return groups


def _node_key(G: nx.MultiDiGraph, node: Any) -> tuple[str, str]:
    data = G.nodes[node]
    try:
        label = check_label(data.get("label"))
    except ExportError as err:
        raise ExportError(f"node {node!r}: {err}") from None
    key = MERGE_KEYS[label]
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise ExportError(f"node {node!r}: a {label} node needs a non-empty string {key!r}")
    return label, value


def node_groups(G: nx.MultiDiGraph) -> list[NodeGroup]:
    """Group a kgraph graph's nodes by label, with normalised property rows.

    Node attributes become properties, except ``label`` (the Neo4j label). Node ids are
    not exported: papers are identified by ``id``, entities by ``key``.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph following ``kgraph/graph/SCHEMA.md``.

    Returns
    -------
    list of NodeGroup
        One group per label present, in :data:`NODE_LABELS` order.

    Raises
    ------
    ExportError
        For an unknown label, a missing or empty merge key, two nodes of one label with
        the same key, an invalid property key, or a value :func:`property_value` refuses.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("task:qa", label="Task", key="qa", name="QA", aliases=[], papers=1)
    >>> [(g.label, g.properties, g.rows) for g in node_groups(G)]  # doctest: +NORMALIZE_WHITESPACE
    [('Task', ('aliases', 'name', 'papers'),
      ({'key': 'qa', 'aliases': None, 'name': 'QA', 'papers': 1},))]
    """
    try:
        return _fast_node_groups(G)
    except _Unusual:
        return _checked_node_groups(G)


def _checked_node_groups(G: nx.MultiDiGraph) -> list[NodeGroup]:
    """:func:`node_groups` value by value, with an error naming the node and
    property for anything Neo4j cannot store."""
    by_label: dict[str, list[tuple[str, dict[str, tuple[Any, str | None]]]]] = {}
    seen: dict[tuple[str, str], Any] = {}
    for node, data in G.nodes(data=True):
        label, key_value = _node_key(G, node)
        other = seen.setdefault((label, key_value), node)
        if other != node:
            raise ExportError(f"nodes {other!r} and {node!r} are both {label} "
                              f"with {MERGE_KEYS[label]} {key_value!r}")
        props = _properties(lambda: f"node {node!r}", data, (_NODE_ATTR_SKIP, MERGE_KEYS[label]))
        by_label.setdefault(label, []).append((key_value, props))
    groups = []
    for label in NODE_LABELS:
        entries = by_label.get(label)
        if not entries:
            continue
        key = MERGE_KEYS[label]
        properties, types = _columns(label, [props for _, props in entries])
        rows = []
        for key_value, props in sorted(entries, key=lambda e: e[0]):
            row = {key: key_value}
            for name in properties:
                row[name] = _widen(props[name][0] if name in props else None, types[name])
            rows.append(row)
        groups.append(NodeGroup(label, key, properties, {key: "string", **types}, tuple(rows)))
    return groups


def relationship_groups(G: nx.MultiDiGraph) -> list[RelationshipGroup]:
    """Group a kgraph graph's edges by (type, start label, end label), with property rows.

    Edge attributes become properties, except ``type`` (the relationship type, which
    defaults to the edge key). Ends are identified by their merge keys.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph following ``kgraph/graph/SCHEMA.md``.

    Returns
    -------
    list of RelationshipGroup
        One group per (type, end label) present, in :data:`RELATIONSHIP_TYPES` order,
        then :data:`NODE_LABELS` order of the end label.

    Raises
    ------
    ExportError
        For an unknown type or label, ends the schema does not allow for the type (see
        :data:`ENDPOINTS`), two edges of one type between the same nodes (with the
        same identifying properties, for the types of :data:`RELATIONSHIP_KEYS`, which
        must have them), a property named ``src`` or ``dst``, an invalid key or a
        refused value.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("paper:1", label="Paper", id="1", name="T")
    >>> G.add_node("task:qa", label="Task", key="qa", name="QA")
    >>> _ = G.add_edge("paper:1", "task:qa", key="ADDRESSES", type="ADDRESSES", count=2)
    >>> [(g.type, g.end_label, g.rows) for g in relationship_groups(G)]
    [('ADDRESSES', 'Task', ({'src': '1', 'dst': 'qa', 'count': 2},))]
    """
    try:
        return _fast_relationship_groups(G)
    except _Unusual:
        return _checked_relationship_groups(G)


def _checked_relationship_groups(G: nx.MultiDiGraph) -> list[RelationshipGroup]:
    """:func:`relationship_groups` edge by edge, with an error naming the edge and
    property for anything Neo4j cannot store."""
    by_group: dict[tuple[str, str, str], list[tuple[str, str, dict]]] = {}
    seen: set[tuple[str, str, str, str]] = set()
    keys: dict[Any, tuple[str, str]] = {}
    checked: set[tuple[str, str, str]] = set()
    edges = (G.edges(keys=True, data=True) if G.is_multigraph()
             else ((u, v, None, d) for u, v, d in G.edges(data=True)))
    for u, v, k, data in edges:
        def owner() -> str:
            return f"edge {u!r} -> {v!r} ({k!r})"
        try:
            rel_type = check_relationship_type(data.get(_EDGE_ATTR_SKIP, k))
        except ExportError as err:
            raise ExportError(f"{owner()}: {err}") from None
        start = keys.get(u) or keys.setdefault(u, _node_key(G, u))
        end = keys.get(v) or keys.setdefault(v, _node_key(G, v))
        (start_label, src), (end_label, dst) = start, end
        if (rel_type, start_label, end_label) not in checked:
            try:
                _check_endpoints(rel_type, start_label, end_label)
            except ExportError as err:
                raise ExportError(f"{owner()}: {err}") from None
            checked.add((rel_type, start_label, end_label))
        props = _properties(owner, data, (_EDGE_ATTR_SKIP,))
        if _ROW_SRC in props or _ROW_DST in props:
            reserved = sorted({_ROW_SRC, _ROW_DST} & set(props))
            raise ExportError(f"{owner()}: property names {reserved} are reserved")
        identity = RELATIONSHIP_KEYS.get(rel_type, ())
        values = tuple(props.get(p, (None, None))[0] for p in identity)
        if any(v is None for v in values):
            raise ExportError(f"{owner()}: a {rel_type} relationship needs "
                              f"{', '.join(identity)}")
        ident = (rel_type, end_label, src, dst, *values)
        if ident in seen:
            what = f" with the same {', '.join(identity)}" if identity else ""
            raise ExportError(f"{owner()}: a second {rel_type} between the same nodes{what}")
        seen.add(ident)
        by_group.setdefault((rel_type, start_label, end_label), []).append((src, dst, props))
    order = {name: i for i, name in enumerate(RELATIONSHIP_TYPES + NODE_LABELS)}
    groups = []
    for (rel_type, start_label, end_label) in sorted(
            by_group, key=lambda g: (order[g[0]], order[g[1]], order[g[2]])):
        entries = by_group[(rel_type, start_label, end_label)]
        properties, types = _columns(rel_type, [props for _, _, props in entries])
        identity = RELATIONSHIP_KEYS.get(rel_type, ())
        rows = []
        for src, dst, props in sorted(entries, key=lambda e: (
                e[0], e[1], *(e[2][p][0] for p in identity))):
            row = {_ROW_SRC: src, _ROW_DST: dst}
            for name in properties:
                row[name] = _widen(props[name][0] if name in props else None, types[name])
            rows.append(row)
        groups.append(RelationshipGroup(rel_type, start_label, end_label, properties, types,
                                        tuple(rows)))
    return groups
