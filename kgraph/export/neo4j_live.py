"""Live export: write a kgraph graph into a running Neo4j 5 server through the official driver.

:func:`export_to_neo4j` loads the same nodes, relationships and properties as
``import.cypher`` (both read :func:`~kgraph.export.cypher.node_groups` and
:func:`~kgraph.export.cypher.relationship_groups`), but sends the values as query
parameters instead of literals: every batch is one ``UNWIND $rows AS row MERGE ...``
statement whose text depends only on the schema, in the manner of
neo4j-graphrag-python's ``Neo4jWriter``. The order is that of the script:

1. one uniqueness constraint per label on its merge key (``Paper.id``,
   ``<Entity>.key``), ``CREATE CONSTRAINT name IF NOT EXISTS ...`` [1]_;
2. the nodes, label by label, at most ``batch_size`` rows per statement;
3. the relationships, per (type, end label), matched on the merge keys of both ends.

Each batch runs in its own managed write transaction, ``Session.execute_write``, which
retries it on transient failures (deadlocks, a leader switch, a lost connection) for
at most :data:`MAX_TRANSACTION_RETRY_TIME` seconds [2]_ [3]_; a batch is a set of MERGEs,
so a retry writes the same result. Running the export again creates no node and no
relationship; it only sets the same property values again.

A server that goes away in the middle of an export (stopped, crashed, restarted) is
one of those transient failures: when it answers again within the retry time, the
batch is retried and the export goes on. Otherwise the export ends with an
:class:`~kgraph.errors.ExportError` saying how many rows were committed and at which
batch it stopped (:func:`describe_interruption`); the committed batches stay, and the
same export run again completes the database with exactly the graph's nodes and
relationships. A server that refuses a statement while shutting down (ArcadeDB
answers with a database error, or by revoking the session's credentials) ends the
export the same way, without retries. While the driver retries, each retry is logged
as one warning line of ``kgraph.export.neo4j_live`` (when the application has not
configured logging for the ``neo4j`` logger itself; otherwise the driver's own records
go where it said).

Names never come from the data: labels and relationship types are checked against
:mod:`kgraph.model` (:func:`~kgraph.export.cypher.check_label`,
:func:`~kgraph.export.cypher.check_relationship_type`) and property keys against
:data:`~kgraph.export.cypher.PROPERTY_KEY_RE` before they are written into a statement,
and values only ever travel in ``$rows``.

Connection settings
-------------------
The driver is made with ``connection_timeout`` = :data:`CONNECTION_TIMEOUT` and
``connection_acquisition_timeout`` = :data:`CONNECTION_ACQUISITION_TIMEOUT`, and the
connection is checked with ``Driver.verify_connectivity()`` (which does not retry)
before anything is written [2]_, so an unreachable address, a port that accepts but
does not speak Bolt, or a wrong password ends in an :class:`~kgraph.errors.ExportError`
within 10 seconds instead of the driver's default of a minute of retries.

Servers without constraints
---------------------------
A server that refuses a constraint statement with a client error (a Bolt server with
another schema model, a user without schema privileges, a conflicting index) gets a
logged warning, listed in the returned ``warnings``, and the export goes on: the MERGEs
do not need the constraint, only run slower without the index behind it. Errors that
make every later statement fail (authentication, a missing database, an unreachable
server) are raised. ArcadeDB's Bolt plugin, used by the tests, accepts the statement
and creates a unique index.

References
----------
.. [1] Cypher Manual 5, "Create constraints".
   https://neo4j.com/docs/cypher-manual/5/constraints/create-constraints/
.. [2] Neo4j Python Driver manual, "Run your own transactions" (managed transactions,
   ``execute_write``, retries) and "Advanced connection information"
   (``connection_timeout``, ``connection_acquisition_timeout``,
   ``max_transaction_retry_time``, ``verify_connectivity``).
   https://neo4j.com/docs/python-manual/current/transactions/
   https://neo4j.com/docs/python-manual/current/connect-advanced/
.. [3] Neo4j Python Driver API docs: ``neo4j.exceptions`` (``ServiceUnavailable``,
   ``AuthError``, ``ClientError``, ``TransientError``) and ``SummaryCounters``.
   https://neo4j.com/docs/api/python-driver/current/api.html
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import networkx as nx
from neo4j import GraphDatabase
from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConfigurationError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from kgraph import __version__
from kgraph.errors import ExportError
from kgraph.export.cypher import (
    ENDPOINTS,
    MERGE_KEYS,
    NODE_LABELS,
    check_label,
    check_property_key,
    check_relationship_type,
    constraint_name,
    relationship_identity,
    relationship_pattern,
    constraint_query,
    node_groups,
    relationship_groups,
)

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "CONNECTION_TIMEOUT",
    "CONNECTION_ACQUISITION_TIMEOUT",
    "MAX_TRANSACTION_RETRY_TIME",
    "COUNTERS",
    "BOLT_SCHEMES",
    "settings_from_env",
    "merge_nodes_parameter_query",
    "merge_relationships_parameter_query",
    "open_driver",
    "describe_driver_error",
    "describe_interruption",
    "export_to_neo4j",
]

log = logging.getLogger(__name__)

#: Rows per ``UNWIND`` statement (and per transaction).
DEFAULT_BATCH_SIZE = 1000

#: Seconds to open a TCP connection.
CONNECTION_TIMEOUT = 5.0

#: Seconds to get a connection from the pool, Bolt handshake and login included.
CONNECTION_ACQUISITION_TIMEOUT = 7.0

#: Seconds a managed transaction keeps retrying transient failures.
MAX_TRANSACTION_RETRY_TIME = 15.0

#: The server's counters that :func:`export_to_neo4j` adds up over all statements.
COUNTERS = ("nodes_created", "relationships_created", "properties_set", "labels_added",
            "constraints_added")

#: URI schemes of the Bolt protocol, direct (``bolt``) or routed (``neo4j``) [2]_.
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

#: Environment variable -> key of :func:`settings_from_env`.
_ENV = {"NEO4J_URI": "uri", "NEO4J_USERNAME": "user", "NEO4J_PASSWORD": "password",
        "NEO4J_DATABASE": "database"}

_DATABASE_NOT_FOUND = "Neo.ClientError.Database.DatabaseNotFound"

#: Most characters of the server's or driver's words quoted in an interruption message
#: (a failed statement's message can repeat the whole statement).
_MAX_CAUSE = 300

#: The driver's logger, and the start of its record of a managed transaction retried.
_DRIVER_LOGGER = "neo4j"
_DRIVER_RETRY = "Transaction failed and will be retried"

Progress = Callable[[int, int, str], Any]


def settings_from_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The connection settings given by the usual Neo4j environment variables.

    Parameters
    ----------
    environ : mapping, optional
        Where to look; ``os.environ`` by default.

    Returns
    -------
    dict
        ``uri`` from ``NEO4J_URI``, ``user`` from ``NEO4J_USERNAME``, ``password`` from
        ``NEO4J_PASSWORD`` and ``database`` from ``NEO4J_DATABASE``, each only when the
        variable is set and not empty.

    Examples
    --------
    >>> settings_from_env({"NEO4J_URI": "bolt://127.0.0.1:7687", "NEO4J_PASSWORD": "pw"})
    {'uri': 'bolt://127.0.0.1:7687', 'password': 'pw'}
    """
    env = os.environ if environ is None else environ
    return {key: env[name] for name, key in _ENV.items() if env.get(name)}


# --------------------------------------------------------------------------- statements

def _set_clause(var: str, properties: Sequence[str]) -> str:
    if not properties:
        return ""
    return "\nSET " + ", ".join(f"{var}.{p} = row.{p}" for p in properties)


def merge_nodes_parameter_query(label: str, properties: Sequence[str]) -> str:
    """The statement that merges one batch of nodes passed as the parameter ``$rows``.

    Parameters
    ----------
    label : str
        One of :data:`~kgraph.export.cypher.NODE_LABELS`; each row holds its merge key.
    properties : sequence of str
        The other properties to set; a row whose value is ``null`` removes the property.

    Returns
    -------
    str
        ``UNWIND $rows AS row MERGE (n:Label {key: row.key}) SET n.p = row.p, ...``.

    Raises
    ------
    ExportError
        For an unknown label, an invalid property key, or the merge key among
        ``properties``.

    Examples
    --------
    >>> print(merge_nodes_parameter_query("Task", ["aliases", "name"]))
    UNWIND $rows AS row
    MERGE (n:Task {key: row.key})
    SET n.aliases = row.aliases, n.name = row.name
    >>> merge_nodes_parameter_query("Task})-[:X]->(m", [])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kgraph.errors.ExportError: unknown node label 'Task})-[:X]->(m'; expected one of ...
    """
    key = MERGE_KEYS[check_label(label)]
    properties = [check_property_key(p) for p in properties]
    if key in properties:
        raise ExportError(f"{key!r} is the merge key of {label}, not a property to set")
    return (f"UNWIND $rows AS row\nMERGE (n:{label} {{{key}: row.{key}}})"
            f"{_set_clause('n', properties)}")


def merge_relationships_parameter_query(rel_type: str, start_label: str, end_label: str,
                                        properties: Sequence[str]) -> str:
    """The statement that merges one batch of relationships passed as ``$rows``.

    Both ends must exist already: they are matched on their merge keys, ``row.src``
    and ``row.dst``.

    Parameters
    ----------
    rel_type : str
        One of :data:`~kgraph.export.cypher.RELATIONSHIP_TYPES`.
    start_label, end_label : str
        Labels of the two ends, a pair allowed by :data:`~kgraph.export.cypher.ENDPOINTS`.
    properties : sequence of str
        Relationship properties to set (``src`` and ``dst`` are reserved).

    Returns
    -------
    str
        ``UNWIND $rows AS row MATCH (a:Start {key: row.src}) MATCH (b:End {key:
        row.dst}) MERGE (a)-[r:TYPE]->(b) SET r.p = row.p, ...``; a type with
        identifying properties (:data:`~kgraph.export.cypher.RELATIONSHIP_KEYS`) merges
        on them: ``MERGE (a)-[r:REPORTS {span_start: row.span_start}]->(b)``.

    Raises
    ------
    ExportError
        For an unknown type or label, ends the schema does not allow, an invalid or
        reserved property key, or identifying properties missing from ``properties``.

    Examples
    --------
    >>> print(merge_relationships_parameter_query("REPORTS", "Paper", "Dataset",
    ...                                           ["span_start", "value"]))
    UNWIND $rows AS row
    MATCH (a:Paper {id: row.src})
    MATCH (b:Dataset {key: row.dst})
    MERGE (a)-[r:REPORTS {span_start: row.span_start}]->(b)
    SET r.value = row.value
    >>> print(merge_relationships_parameter_query("ADDRESSES", "Paper", "Task", ["count"]))
    UNWIND $rows AS row
    MATCH (a:Paper {id: row.src})
    MATCH (b:Task {key: row.dst})
    MERGE (a)-[r:ADDRESSES]->(b)
    SET r.count = row.count
    """
    check_relationship_type(rel_type)
    check_label(start_label)
    check_label(end_label)
    start, ends = ENDPOINTS[rel_type]
    if start_label != start or end_label not in ends:
        raise ExportError(f"{rel_type} cannot go from {start_label} to {end_label}; the "
                          f"schema allows {start} -> {' or '.join(ends)}")
    properties = [check_property_key(p) for p in properties]
    reserved = {"src", "dst"} & set(properties)
    if reserved:
        raise ExportError(f"relationship property names {sorted(reserved)} are reserved")
    identity = relationship_identity(rel_type, properties)
    start_key, end_key = MERGE_KEYS[start_label], MERGE_KEYS[end_label]
    to_set = [p for p in properties if p not in identity]
    return (f"UNWIND $rows AS row\nMATCH (a:{start_label} {{{start_key}: row.src}})"
            f"\nMATCH (b:{end_label} {{{end_key}: row.dst}})"
            f"\nMERGE (a)-[r:{rel_type}{relationship_pattern(identity)}]->(b)"
            f"{_set_clause('r', to_set)}")


# --------------------------------------------------------------------------- driver

def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def describe_driver_error(err: BaseException, uri: str, database: str | None = None) -> str:
    """A one-line account of a driver or server error, naming the server and database.

    Parameters
    ----------
    err : BaseException
        What the ``neo4j`` driver raised.
    uri : str
        The server address, for the message.
    database : str or None
        The database the session used.

    Returns
    -------
    str
        ``"cannot reach the Neo4j server at URI: ..."``, ``"authentication failed at
        URI: ..."``, ``"database NAME does not exist at URI"``, or ``"the server at URI
        refused the statement: CODE: MESSAGE"``.

    Examples
    --------
    >>> from neo4j.exceptions import ServiceUnavailable
    >>> describe_driver_error(ServiceUnavailable("Couldn't connect\\n to it"), "bolt://h:1")
    "cannot reach the Neo4j server at bolt://h:1: Couldn't connect to it"
    """
    where = f"at {uri}"
    if isinstance(err, AuthError):
        return f"authentication failed {where}: {_one_line(err.message or err)}"
    if isinstance(err, Neo4jError):
        if err.code == _DATABASE_NOT_FOUND:
            name = "the default database" if database is None else f"database {database!r}"
            return f"{name} does not exist {where}: {_one_line(err.message or err)}"
        return (f"the server {where} refused the statement: {err.code}: "
                f"{_one_line(err.message or err)}")
    if isinstance(err, (ServiceUnavailable, SessionExpired, OSError)):
        return f"cannot reach the Neo4j server {where}: {_one_line(err)}"
    if isinstance(err, (ConfigurationError, ValueError)):
        return f"invalid Neo4j connection settings for {uri!r}: {_one_line(err)}"
    if isinstance(err, DriverError):
        return f"Neo4j driver error {where}: {_one_line(err)}"
    return f"{type(err).__name__} {where}: {_one_line(err)}"


def describe_interruption(err: BaseException, uri: str, database: str | None, done: int,
                          total: int, batch: str) -> str:
    """A one-line account of an export that failed after some batches were written.

    The server went away (stopped, crashed, restarted) or refused a statement in the
    middle of an export; the batches it committed stay in the database. The message
    says how far the export got, why it stopped and that running it again completes it:
    every statement is a ``MERGE``, so rows already written are matched, not doubled.

    Parameters
    ----------
    err : BaseException
        What the ``neo4j`` driver raised (after its own retries).
    uri : str
        The server address.
    database : str or None
        The database the session used.
    done, total : int
        Rows (nodes and relationships) committed before the failure, and in all.
    batch : str
        The batch that failed, e.g. ``"Paper nodes 1-316 of 316"``.

    Returns
    -------
    str
        ``"the export to URI stopped after DONE of TOTAL rows, at BATCH: CAUSE; the
        rows written so far stay, and running the export again completes it"``. An
        authentication error at that point means the server ended the session (the
        credentials were accepted at the start), and is worded so.

    Examples
    --------
    >>> from neo4j.exceptions import SessionExpired
    >>> print(describe_interruption(SessionExpired("Connection reset"), "bolt://h:1",
    ...                             None, 1000, 4000, "Task nodes 1-500 of 900"))
    ... # doctest: +NORMALIZE_WHITESPACE
    the export to bolt://h:1 stopped after 1,000 of 4,000 rows, at Task nodes 1-500 of
    900: cannot reach the Neo4j server at bolt://h:1: Connection reset; the rows
    written so far stay, and running the export again completes it
    """
    if isinstance(err, AuthError):
        cause = (f"the server at {uri} ended the session: "
                 f"{_one_line(err.message or err)}")
    else:
        cause = describe_driver_error(err, uri, database)
    if len(cause) > _MAX_CAUSE:
        cause = cause[:_MAX_CAUSE - 1].rstrip() + "\u2026"
    return (f"the export to {uri} stopped after {done:,} of {total:,} rows, at {batch}: "
            f"{cause}; the rows written so far stay, and running the export again "
            "completes it")


def open_driver(uri: str, user: str, password: str) -> Any:
    """A ``neo4j`` driver that fails fast, after checking that the server answers.

    Parameters
    ----------
    uri : str
        ``bolt://host:port`` or ``neo4j://host:port`` (``+s``/``+ssc`` for TLS).
    user, password : str
        Credentials.

    Returns
    -------
    neo4j.Driver
        Connected and authenticated; close it (it is a context manager).

    Raises
    ------
    ValueError
        When ``uri`` is not a Bolt URI (see :data:`BOLT_SCHEMES`).
    neo4j.exceptions.DriverError, neo4j.exceptions.Neo4jError
        As the driver raises them (``ServiceUnavailable``, ``AuthError``, ...);
        :func:`describe_driver_error` words them.
    """
    scheme = uri.partition("://")[0] if isinstance(uri, str) and "://" in uri else None
    if scheme not in BOLT_SCHEMES:
        raise ValueError(f"expected a Bolt URI such as bolt://localhost:7687 (schemes: "
                         f"{', '.join(BOLT_SCHEMES)})")
    driver = GraphDatabase.driver(
        uri, auth=(user, password), connection_timeout=CONNECTION_TIMEOUT,
        connection_acquisition_timeout=CONNECTION_ACQUISITION_TIMEOUT,
        max_transaction_retry_time=MAX_TRANSACTION_RETRY_TIME,
        user_agent=f"kgraph/{__version__}")
    try:
        driver.verify_connectivity()
    except BaseException:
        driver.close()
        raise
    return driver


class _RetryNotices(logging.Handler):
    """Stands in for logging's last-resort handler for the driver's records during an
    export: each retried batch becomes one warning of kgraph's own logger, and the
    driver's other records (a connection declared defunct, ...) are dropped, since the
    export's result or its :class:`~kgraph.errors.ExportError` says what happened."""

    def __init__(self, uri: str) -> None:
        super().__init__(logging.WARNING)
        self.uri = uri

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        if not str(record.msg).startswith(_DRIVER_RETRY) or len(args) != 2:
            return
        delay, error = args
        reason = _one_line(error)
        if len(reason) > _MAX_CAUSE:
            reason = reason[:_MAX_CAUSE - 1].rstrip() + "\u2026"
        try:
            delay = f"{float(delay):.1f} s"
        except (TypeError, ValueError):
            delay = f"{delay} s"
        log.warning("the server at %s did not take a batch (%s); retrying in %s",
                    self.uri, reason, delay)


@contextlib.contextmanager
def _driver_notices(uri: str):
    """While exporting, turn the driver's retry records into one-line warnings, unless
    the application has configured logging for the driver (then leave them alone).

    Without any handler, Python's last-resort handler would print the driver's records
    raw: multi-line, with connection ids and socket addresses.
    """
    logger = logging.getLogger(_DRIVER_LOGGER)
    if logger.hasHandlers():
        yield
        return
    handler = _RetryNotices(uri)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


# --------------------------------------------------------------------------- export

def _check_batch_size(batch_size: int) -> None:
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, not {batch_size!r}")


def _write(tx: Any, query: str, rows: list[dict[str, Any]]) -> Any:
    return tx.run(query, rows=rows).consume()


def _add_counters(report: dict[str, Any], summary: Any) -> None:
    counters = summary.counters
    for name in COUNTERS:
        report[name] += getattr(counters, name, 0)


def _plan(G: nx.MultiDiGraph, batch_size: int
          ) -> tuple[list[tuple[str, list[dict[str, Any]], str]], dict[str, int], dict[str, int]]:
    batches: list[tuple[str, list[dict[str, Any]], str]] = []
    nodes: dict[str, int] = {}
    rels: dict[str, int] = {}
    for group in node_groups(G):
        query = merge_nodes_parameter_query(group.label, group.properties)
        total = len(group.rows)
        nodes[group.label] = total
        for start in range(0, total, batch_size):
            rows = [dict(r) for r in group.rows[start:start + batch_size]]
            batches.append((query, rows, f"{group.label} nodes {start + 1}-"
                                         f"{start + len(rows)} of {total}"))
    for rgroup in relationship_groups(G):
        query = merge_relationships_parameter_query(rgroup.type, rgroup.start_label,
                                                    rgroup.end_label, rgroup.properties)
        total = len(rgroup.rows)
        rels[rgroup.type] = rels.get(rgroup.type, 0) + total
        for start in range(0, total, batch_size):
            rows = [dict(r) for r in rgroup.rows[start:start + batch_size]]
            batches.append((query, rows, f"{rgroup.type} relationships to "
                                         f"{rgroup.end_label} {start + 1}-"
                                         f"{start + len(rows)} of {total}"))
    return batches, nodes, rels


def _create_constraints(session: Any, report: dict[str, Any]) -> None:
    for label in NODE_LABELS:
        try:
            summary = session.execute_write(_write_constraint, constraint_query(label))
        except AuthError:
            raise
        except ClientError as err:
            if err.code == _DATABASE_NOT_FOUND:
                raise
            message = (f"could not create constraint {constraint_name(label)} "
                       f"({err.code}: {_one_line(err.message or err)}); going on without "
                       f"it: {label} nodes are still merged on {MERGE_KEYS[label]}")
            log.warning("%s", message)
            report["warnings"].append(message)
            continue
        _add_counters(report, summary)


def _write_constraint(tx: Any, query: str) -> Any:
    return tx.run(query).consume()


def export_to_neo4j(G: nx.MultiDiGraph, uri: str, user: str, password: str, *,
                    database: str | None = None, batch_size: int = DEFAULT_BATCH_SIZE,
                    progress: Progress | None = None) -> dict[str, Any]:
    """Write a graph into a running Neo4j 5 server, idempotently, in parameterised batches.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph following ``kgraph/graph/SCHEMA.md``.
    uri : str
        The server, e.g. ``bolt://localhost:7687`` or ``neo4j://host:7687``.
    user, password : str
        Credentials (see :func:`settings_from_env` for the usual variables).
    database : str, optional
        Target database; the user's home (default) database when ``None`` (on
        ArcadeDB, ``arcadedb.bolt.defaultDatabase`` or else its first database).
    batch_size : int
        Most rows per ``UNWIND`` statement, each in its own transaction.
    progress : callable, optional
        Called after every batch as ``progress(done, total, description)``: rows
        written so far and in all (nodes and relationships), and what the batch was,
        e.g. ``"Paper nodes 1-316 of 316"``.

    Returns
    -------
    dict
        ``uri``, ``database``, ``server`` (the agent string the server announced);
        ``nodes``: rows sent per label and ``relationships``: rows sent per type (in
        schema order, present ones only); the server's counters summed over all
        statements: ``nodes_created``, ``relationships_created``, ``properties_set``,
        ``labels_added``, ``constraints_added``; ``batches`` (statements sent, the
        constraints excluded), ``seconds`` (wall time, connection included) and
        ``warnings`` (list of str, e.g. a constraint the server refused).

    Raises
    ------
    ExportError
        When the graph has a label, type, property key or value Neo4j cannot take
        (before connecting), or, with a one-line message naming the server, when the
        server cannot be reached, refuses the credentials, has no such database, or
        fails a statement after the driver's retries. A failure after the first batch
        (the server stopped or crashed mid-export, and did not come back within
        :data:`MAX_TRANSACTION_RETRY_TIME`) says how many rows were written and at
        which batch it stopped (:func:`describe_interruption`).
    ValueError
        When ``batch_size`` is not a positive integer.

    Notes
    -----
    A second run against the same database reports ``nodes_created == 0`` and
    ``relationships_created == 0``. Properties whose value is absent in the graph
    (``None``, ``""``, ``[]``) are removed from the stored node or relationship, as in
    ``import.cypher``.
    """
    _check_batch_size(batch_size)
    batches, nodes, rels = _plan(G, batch_size)
    total = sum(len(rows) for _, rows, _ in batches)
    report: dict[str, Any] = {
        "uri": uri, "database": database, "server": None, "nodes": nodes,
        "relationships": rels, **{name: 0 for name in COUNTERS}, "batches": 0,
        "seconds": 0.0, "warnings": [],
    }
    started = time.perf_counter()
    try:
        driver = open_driver(uri, user, password)
    except (DriverError, Neo4jError, OSError, ValueError) as err:
        raise ExportError(describe_driver_error(err, uri, database)) from err
    done, batch = 0, 0
    try:
        with driver, _driver_notices(uri):
            report["server"] = driver.get_server_info().agent
            with driver.session(database=database) as session:
                _create_constraints(session, report)
                for query, rows, description in batches:
                    summary = session.execute_write(_write, query, rows)
                    _add_counters(report, summary)
                    report["batches"] += 1
                    batch += 1
                    done += len(rows)
                    if progress is not None:
                        progress(done, total, description)
    except (DriverError, Neo4jError, OSError) as err:
        if batch == 0:
            raise ExportError(describe_driver_error(err, uri, database)) from err
        raise ExportError(describe_interruption(err, uri, database, done, total,
                                                batches[batch][2])) from err
    report["seconds"] = time.perf_counter() - started
    return report
