"""Run a Cypher query on the embedded LadybugDB store of a build.

The database is opened read-only for each query (:func:`kgraph.store.open_store`), so
a query cannot change the graph and any number of queries may run at once, in one
process or several. The time limit is LadybugDB's own: ``Connection.set_query_timeout``
makes the engine interrupt the query once the limit has passed [1]_; the interrupted
query raises :class:`~kgraph.query.QueryError` saying how long it was allowed.

Values come back as plain Python data (:func:`to_python`): nodes and relationships as
dicts of their properties (absent, i.e. ``NULL``, properties left out, as Neo4j leaves
them out), paths as ``{"nodes": [...], "relationships": [...]}``, integer sums (which
LadybugDB computes as 128-bit integers and hands over as :class:`decimal.Decimal`) as
``int``, dates and times as ISO 8601 strings.

References
----------
.. [1] LadybugDB Python API, ``Connection.set_query_timeout(timeout_in_ms)`` and
   ``Connection.interrupt()``. https://docs.ladybugdb.com/client-apis/python
.. [2] LadybugDB, "Differences between Ladybug and Neo4j".
   https://docs.ladybugdb.com/cypher/difference
"""

from __future__ import annotations

import datetime
import decimal
import math
import os
import re
import time
import uuid
from typing import Any, Mapping

from kgraph.errors import QueryError
from kgraph.query.result import QueryResult
from kgraph.store import open_store

__all__ = ["ENGINE", "run_embedded", "to_python", "engine_error"]

#: ``QueryResult.engine`` of results from this module.
ENGINE = "embedded"

_POSITION_RE = re.compile(r"\(line: (\d+), offset: (\d+)\)")
_INTERRUPTED = "interrupted"


def to_python(value: Any) -> Any:
    """Turn a value LadybugDB returned into plain Python data.

    Parameters
    ----------
    value : object
        One cell of a ``ladybug.QueryResult`` row.

    Returns
    -------
    object
        ``None``, ``bool``, ``int``, ``float``, ``str``, ``bytes``, or lists and dicts of
        those. Nodes and relationships (dicts carrying LadybugDB's ``_ID`` and
        ``_LABEL``) become dicts of their non-null properties; paths (``_NODES`` and
        ``_RELS``) become ``{"nodes": [...], "relationships": [...]}``.

    Examples
    --------
    >>> import decimal
    >>> to_python({"_ID": {"offset": 0, "table": 1}, "_LABEL": "Dataset",
    ...            "key": "cora", "name": "Cora", "id": None})
    {'key': 'cora', 'name': 'Cora'}
    >>> to_python([decimal.Decimal("12"), decimal.Decimal("0.5")])
    [12, 0.5]
    """
    if isinstance(value, dict):
        if "_NODES" in value and "_RELS" in value:
            return {"nodes": [to_python(n) for n in value["_NODES"]],
                    "relationships": [to_python(r) for r in value["_RELS"]]}
        if "_ID" in value and "_LABEL" in value:
            return {k: to_python(v) for k, v in value.items()
                    if not k.startswith("_") and v is not None}
        return {str(k): to_python(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_python(v) for v in value]
    if isinstance(value, decimal.Decimal):
        if value == value.to_integral_value():
            return int(value)
        return float(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def engine_error(err: BaseException, cypher: str, timeout: float | None = None) -> QueryError:
    """The :class:`~kgraph.query.QueryError` for an error LadybugDB raised.

    Parameters
    ----------
    err : BaseException
        What ``Connection.execute`` raised.
    cypher : str
        The query, to quote the line the engine points at.
    timeout : float or None
        The time limit in force, for the message of an interrupted query.

    Returns
    -------
    QueryError
        A one-line message: what the engine said (line breaks inside it, from the
        query it quotes, become spaces), then ``at line L, column C: <the query
        line>`` when the engine gives a position.

    Examples
    --------
    >>> err = RuntimeError("Parser exception: Invalid input <MATCH (p:Paper)\\nRETRN>: "
    ...                    "expected rule oC_SingleQuery (line: 2, offset: 0)\\n"
    ...                    "\\"RETRN p\\"\\n ^^^^^")
    >>> print(engine_error(err, "MATCH (p:Paper)\\nRETRN p"))
    Parser exception: Invalid input <MATCH (p:Paper) RETRN>: expected rule oC_SingleQuery (line: 2, offset: 0); at line 2, column 1: RETRN p
    >>> print(engine_error(RuntimeError("Interrupted."), "MATCH ...", 2.5))
    query took longer than 2.5 s and was cancelled (--timeout)
    """
    text = str(err).strip()
    first = text.splitlines()[0] if text else type(err).__name__
    if timeout is not None and first.lower().rstrip(".") == _INTERRUPTED:
        return QueryError(f"query took longer than {timeout:g} s and was cancelled "
                          "(--timeout)")
    # A parser message quotes the query up to the error, line breaks included, then
    # gives "(line: L, offset: O)", then repeats the line with a caret under it.
    matches = list(_POSITION_RE.finditer(text))
    if not matches:
        return QueryError(first)
    match = matches[-1]
    message = " ".join(text[:match.end()].split())
    line, offset = int(match.group(1)), int(match.group(2))
    lines = cypher.splitlines()
    if 1 <= line <= len(lines):
        message += f"; at line {line}, column {offset + 1}: {lines[line - 1].strip()}"
    return QueryError(message)


_PARAM_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INT64 = (-(2 ** 63), 2 ** 63 - 1)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, Mapping):
        return "map"
    return type(value).__name__


def _check_value(name: str, value: Any) -> None:
    """Refuse, with a message naming the parameter, what LadybugDB cannot bind."""
    if value is None or isinstance(value, (bool, float, str)):
        return
    if isinstance(value, int):
        if not _INT64[0] <= value <= _INT64[1]:
            raise QueryError(f"parameter {name!r}: {value} does not fit in 64 bits")
        return
    if isinstance(value, (list, tuple)):
        kinds = {_kind(item) for item in value if item is not None}
        if len(kinds) > 1:
            raise QueryError(f"parameter {name!r}: the list mixes {' and '.join(sorted(kinds))}"
                             "; a list holds values of one type")
        for item in value:
            _check_value(name, item)
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise QueryError(f"parameter {name!r}: map keys must be strings")
            _check_value(name, item)
        return
    raise QueryError(f"parameter {name!r}: values of type {type(value).__name__} cannot be "
                     "passed to the engine")


def _check_params(params: Mapping[str, Any] | None) -> dict[str, Any]:
    values = dict(params or {})
    for name, value in values.items():
        if not isinstance(name, str) or _PARAM_NAME_RE.fullmatch(name) is None:
            raise QueryError(f"invalid parameter name {name!r}")
        _check_value(name, value)
    return values


def _check_timeout(timeout: float) -> int:
    if (not isinstance(timeout, (int, float)) or isinstance(timeout, bool)
            or not math.isfinite(timeout) or timeout <= 0):
        raise QueryError(f"timeout must be a positive number of seconds, not {timeout!r}")
    return max(1, round(timeout * 1000))


def run_embedded(graph_dir: str | os.PathLike[str], cypher: str,
                 params: Mapping[str, Any] | None = None, *,
                 timeout: float = 30.0) -> QueryResult:
    """Run one read-only Cypher query on a build's embedded database.

    Parameters
    ----------
    graph_dir : str or PathLike
        The build's output folder (it holds ``graph.lbdb/``).
    cypher : str
        One Cypher statement; a final semicolon is allowed.
    params : mapping, optional
        Query parameters (``$name`` in the query) as plain Python values.
    timeout : float
        Seconds the engine may spend before it cancels the query (default 30).

    Returns
    -------
    QueryResult
        ``engine="embedded"``; ``elapsed`` is the time spent running the query and
        reading its rows, the database opening excluded.

    Raises
    ------
    GraphNotFoundError
        When the folder has no database (run ``kgraph build``).
    QueryError
        For an empty query, several statements, a syntax, binding or type error
        (message: the engine's first line and the query line it points at), a write
        attempted on the read-only database, a parameter the engine cannot take (a
        list mixing types, an integer beyond 64 bits; the message names it), or a
        query cancelled after ``timeout`` seconds.
    StoreError
        When the database cannot be opened.

    Examples
    --------
    >>> import tempfile, networkx as nx
    >>> from kgraph.store import write_store
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("paper:1", label="Paper", id="1", name="T", title="Cats", authors=["A"])
    >>> out = tempfile.mkdtemp()
    >>> _ = write_store(G, out)
    >>> result = run_embedded(out, "MATCH (p:Paper {id: $id}) RETURN p.title AS title, p",
    ...                       {"id": "1"})
    >>> result.columns, result.rows
    (['title', 'p'], [['Cats', {'id': '1', 'authors': ['A'], 'name': 'T', 'title': 'Cats'}]])
    >>> run_embedded(out, "MATCH (p:Paper) RETURN p.nope AS x")
    Traceback (most recent call last):
    ...
    kgraph.errors.QueryError: Binder exception: Cannot find property nope for p.
    """
    import ladybug

    timeout_ms = _check_timeout(timeout)
    if not isinstance(cypher, str) or not cypher.strip():
        raise QueryError("the query is empty")
    values = _check_params(params)
    db = open_store(graph_dir, read_only=True)
    try:
        conn = ladybug.Connection(db)
        try:
            conn.set_query_timeout(timeout_ms)
            started = time.perf_counter()
            try:
                result = conn.execute(cypher, values)
            except RuntimeError as err:
                raise engine_error(err, cypher, timeout) from None
            except (TypeError, ValueError, OverflowError) as err:
                raise QueryError(f"a parameter cannot be passed to the engine: {err}"
                                 ) from None
            if isinstance(result, list):
                for item in result:
                    item.close()
                raise QueryError("give one statement at a time (the query has several, "
                                 "separated by semicolons)")
            try:
                columns = list(result.get_column_names())
                rows = [[to_python(v) for v in row] for row in result.get_all()]
            except RuntimeError as err:
                raise engine_error(err, cypher, timeout) from None
            finally:
                result.close()
            elapsed = time.perf_counter() - started
        finally:
            conn.close()
    finally:
        db.close()
    return QueryResult(columns=columns, rows=rows, engine=ENGINE, elapsed=elapsed)
