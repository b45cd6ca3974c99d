"""Run a Cypher query on a Neo4j server (or any Bolt server) and get a :class:`QueryResult`.

:func:`run_bolt` is the ``bolt`` engine of kgraph's queries: it sends the query and its
parameters through the official driver, in an auto-commit transaction carrying a
transaction timeout [1]_, and converts every value into plain Python data
(:func:`to_plain`), so its rows compare equal to the embedded engine's.

The connection fails fast like the live export's (:func:`kgraph.export.neo4j_live.open_driver`:
a short connection timeout and a connectivity check before the query), and every driver
or server error becomes a :class:`~kgraph.query.QueryError` (a
:class:`~kgraph.errors.KgraphError`) whose one-line message carries the server's own,
e.g. the position of a syntax error and the query line it points at.

References
----------
.. [1] Neo4j Python Driver API docs: ``neo4j.Query`` (``timeout``: the transaction
   timeout in seconds, enforced by the server), ``Session.run``, ``Result.keys``,
   graph types ``Node``, ``Relationship``, ``Path``, temporal types
   (``neo4j.time``) and spatial types (``neo4j.spatial``).
   https://neo4j.com/docs/api/python-driver/current/api.html
   https://neo4j.com/docs/api/python-driver/current/types/temporal.html
.. [2] Neo4j Python Driver manual, "Query the database" and "Data types and mapping to
   Cypher types". https://neo4j.com/docs/python-manual/current/data-types/
"""

from __future__ import annotations

import datetime
import math
import re
import time
from collections.abc import Mapping
from typing import Any, cast

from neo4j import Query
from neo4j.exceptions import AuthError, DriverError, Neo4jError
from neo4j.graph import Node, Path, Relationship
from neo4j.spatial import Point
from neo4j.time import Date, DateTime, Duration, Time

from kgraph.export.neo4j_live import describe_driver_error, open_driver
from kgraph.errors import QueryError
from kgraph.query.result import QueryResult

__all__ = ["ENGINE", "DEFAULT_TIMEOUT", "run_bolt", "server_error", "to_plain"]

#: ``QueryResult.engine`` of results from this module.
ENGINE = "bolt"

#: Seconds a query may run before the server ends its transaction.
DEFAULT_TIMEOUT = 30.0

_DATABASE_NOT_FOUND = "Neo.ClientError.Database.DatabaseNotFound"
#: How servers give the place of an error, and the base of their column numbers:
#: Neo4j ``(line 2, column 1 (offset: 16))``, 1-based; ANTLR-style parsers (ArcadeDB)
#: ``at line 2:0`` and ``at line 2, column 0``, 0-based.
_POSITIONS = ((re.compile(r"\(line (\d+), column (\d+)"), 1),
              (re.compile(r"\bat line (\d+):(\d+)"), 0),
              (re.compile(r"\bat line (\d+), column (\d+)"), 0))

def _point_text(point: Point) -> str:
    names = ("x", "y", "z")
    if getattr(point, "srid", None) in (4326, 4979):
        names = ("longitude", "latitude", "height")
    fields = ", ".join(f"{name}: {value!r}" for name, value in zip(names, point))
    return f"point({{srid: {point.srid}, {fields}}})"


def to_plain(value: Any) -> Any:
    """Turn a value the driver returned into plain Python data.

    Parameters
    ----------
    value : object
        A record value.

    Returns
    -------
    object
        ``None``, bool, int, float, str and bytes as they are; lists (and tuples) and
        maps converted item by item; a node or relationship as the dict of its
        properties; a path as ``{"nodes": [...], "relationships": [...]}`` of such
        dicts (the form of :func:`kgraph.query.embedded.to_python`); a temporal value as its ISO 8601 text (``"2024-01-31"``,
        ``"P1DT3S"``); a point as Cypher writes it (``"point({srid: 7203, x: 1.0,
        y: 2.0})"``).

    Examples
    --------
    >>> from neo4j.time import Date, Duration
    >>> to_plain({"d": Date(2024, 1, 31), "xs": (1, "a", None), "t": Duration(days=1)})
    {'d': '2024-01-31', 'xs': [1, 'a', None], 't': 'P1D'}
    >>> from neo4j.spatial import CartesianPoint
    >>> to_plain(CartesianPoint((1.0, 2.0)))
    'point({srid: 7203, x: 1.0, y: 2.0})'
    """
    if value is None or isinstance(value, (bool, int, float, str, bytes)):
        return value
    if isinstance(value, (Node, Relationship)):
        return {key: to_plain(item) for key, item in value.items()}
    if isinstance(value, Path):
        return {"nodes": [to_plain(node) for node in value.nodes],
                "relationships": [to_plain(rel) for rel in value.relationships]}
    if isinstance(value, Point):
        return _point_text(value)
    if isinstance(value, (Date, DateTime, Time, Duration)):
        return str(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): to_plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(item) for item in value]
    if isinstance(value, bytearray):
        return bytes(value)
    return str(value)


def _position(first: str) -> tuple[int, int] | None:
    """``(line, 1-based column)`` of the place a server's error message names, if any.

    Examples
    --------
    >>> _position("Invalid input 'RETRN' (line 2, column 1 (offset: 16))")
    (2, 1)
    >>> _position("Unexpected input 'RETRN' at line 2, column 0")
    (2, 1)
    >>> _position("Syntax error at line 1:9 - no viable alternative")
    (1, 10)
    """
    for pattern, base in _POSITIONS:
        match = pattern.search(first)
        if match:
            return int(match.group(1)), int(match.group(2)) + 1 - base
    return None


def server_error(err: Neo4jError, cypher: str, uri: str,
                 timeout: float | None = None) -> QueryError:
    """The :class:`~kgraph.query.QueryError` for an error the server answered a query with.

    Parameters
    ----------
    err : neo4j.exceptions.Neo4jError
        What the driver raised.
    cypher : str
        The query, to quote the line the server points at.
    uri : str
        The server, for the message.
    timeout : float or None
        The transaction timeout in force, for the message of a timed-out query.

    Returns
    -------
    QueryError
        One line: ``query failed on URI: CODE: <the server's first line>``, then ``; at
        line L, column C: <the query line>`` when the server gives a position (Neo4j's
        ``(line 2, column 1 (offset: 16))``, or ``at line 2:0`` and ``at line 2,
        column 0`` with 0-based columns, as ArcadeDB writes them); C counts from 1.
    """
    code = err.code or "Neo.DatabaseError"
    if timeout is not None and "TimedOut" in code:
        return QueryError(f"query took longer than {timeout:g} s and was cancelled "
                          "(--timeout)")
    text = str(err.message or err).strip()
    first = text.splitlines()[0].strip() if text else type(err).__name__
    position = _position(first)
    if position is not None:
        line, column = position
        lines = cypher.splitlines()
        if 1 <= line <= len(lines):
            first += f"; at line {line}, column {column}: {lines[line - 1].strip()}"
    return QueryError(f"query failed on {uri}: {code}: {first}")


def run_bolt(uri: str, user: str, password: str, cypher: str,
             params: Mapping[str, Any] | None = None, *, database: str | None = None,
             timeout: float | None = DEFAULT_TIMEOUT) -> QueryResult:
    """Run one Cypher query on a Bolt server and return its columns and rows.

    Parameters
    ----------
    uri : str
        ``bolt://host:port`` or ``neo4j://host:port`` (``+s``/``+ssc`` for TLS).
    user, password : str
        Credentials.
    cypher : str
        The query; values belong in ``params`` (``$name``), never in its text.
    params : mapping, optional
        Query parameters.
    database : str, optional
        Database to query; the user's home (default) database when ``None``.
    timeout : float or None
        Transaction timeout in seconds, sent with the query for the server to enforce
        [1]_ (default 30); ``None`` leaves the server's own limit. Neo4j ends the
        transaction when it runs out; ArcadeDB 26.10's Bolt plugin ignores it and lets
        the query finish.

    Returns
    -------
    QueryResult
        ``columns`` in ``RETURN`` order, ``rows`` as plain Python data (see
        :func:`to_plain`), ``engine="bolt"`` and ``elapsed`` (seconds from sending the
        query to the last record, connecting excluded).

    Raises
    ------
    QueryError
        A :class:`~kgraph.errors.KgraphError` with a one-line message: the server's
        own for a failed query (syntax error, unknown function, timeout, see
        :func:`server_error`); for a server that cannot be reached, refuses the
        credentials or has no such database, what
        :func:`~kgraph.export.neo4j_live.describe_driver_error` says; also for an
        empty query or a timeout that is not a positive number.

    Examples
    --------
    With a server on ``bolt://localhost:7687``::

        result = run_bolt("bolt://localhost:7687", "neo4j", "secret",
                          "MATCH (p:Paper {id: $id}) RETURN p.title AS title",
                          {"id": "2401.00001"})
        result.columns  # ['title']
        result.rows     # [['Attention Is All You Need']]
    """
    if timeout is not None and (isinstance(timeout, bool)
                                or not isinstance(timeout, (int, float))
                                or not math.isfinite(timeout) or timeout <= 0):
        raise QueryError(f"timeout must be a positive number of seconds, not {timeout!r}")
    if not isinstance(cypher, str) or not cypher.strip():
        raise QueryError("the query is empty")
    try:
        driver = open_driver(uri, user, password)
    except (DriverError, Neo4jError, OSError, ValueError) as err:
        raise QueryError(describe_driver_error(err, uri, database)) from None
    try:
        with driver, driver.session(database=database) as session:
            started = time.perf_counter()
            result = session.run(Query(cast(Any, cypher), timeout=timeout), dict(params or {}))
            columns = list(result.keys())
            rows = [[to_plain(value) for value in record.values()] for record in result]
            result.consume()
            elapsed = time.perf_counter() - started
    except Neo4jError as err:
        if err.code == _DATABASE_NOT_FOUND or isinstance(err, AuthError):
            raise QueryError(describe_driver_error(err, uri, database)) from None
        raise server_error(err, cypher, uri, timeout) from None
    except (DriverError, OSError) as err:
        raise QueryError(describe_driver_error(err, uri, database)) from None
    return QueryResult(columns=columns, rows=rows, engine=ENGINE, elapsed=elapsed)
