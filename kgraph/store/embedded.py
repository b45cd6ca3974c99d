"""The graph in a LadybugDB database: schema, bulk load, atomic replacement, opening.

LadybugDB (the maintained fork of Kùzu, PyPI ``ladybug``) keeps a database in a single
file; while the database is open it adds files beside it: the write-ahead log
``<file>.wal``, ``<file>.shadow`` during a checkpoint and ``<file>.tmp`` [1]_. The store
is therefore a folder holding that one file and its companions::

    <out_dir>/graph.lbdb/           STORE_DIR: what write_store replaces as a unit
    <out_dir>/graph.lbdb/graph.lbug DATABASE_FILE: the database
    <out_dir>/graph.lbdb/graph.lbug.wal, ...   only after a crash (see open_store)

so a write-ahead log can never be paired with another build's database file.

Schema
------
The tables come from :func:`kgraph.export.cypher.node_groups` and
:func:`~kgraph.export.cypher.relationship_groups`, the rows both Neo4j exports are
written from, so the labels, relationship types, property names and values are the
ones Neo4j gets:

- one node table per label of :data:`~kgraph.export.cypher.NODE_LABELS`, primary key
  ``id`` for ``Paper`` and ``key`` for entities (:data:`~kgraph.export.cypher.MERGE_KEYS`);
- one relationship table per type of :data:`~kgraph.export.cypher.RELATIONSHIP_TYPES`.
  ``PROPOSES`` (Paper to Method or Dataset) is a single table with two ``FROM .. TO ..``
  pairs [2]_, so ``MATCH (p:Paper)-[:PROPOSES]->(x)`` finds both kinds, as in Neo4j.
  ``REPORTS`` (Paper to Dataset, one per numeric result) may join one pair of nodes
  several times, as relationship tables allow;
- property types: ``STRING``, ``INT64``, ``DOUBLE``, ``BOOLEAN`` and lists of those
  (``STRING[]`` for ``authors``, ``aliases``, ``shared``, ...).

Every table exists even when the graph has no rows for it, and each has at least the
properties ``SCHEMA.md`` documents, so a query that is valid for one build is valid for
every build (LadybugDB, unlike Neo4j, refuses a query naming an unknown table or
property). Absent values (``None``, and the empty strings and lists that the Neo4j
exports also drop) are stored as ``NULL``.

Loading
-------
:func:`write_store` writes each label's and each relationship group's rows to a Parquet
file with an explicit Arrow schema and loads it with ``COPY <table> FROM '<file>'``, the
bulk path the documentation recommends over ``CREATE``/``MERGE`` [3]_ [4]_; relationship
files start with the ``from`` and ``to`` key columns, and ``PROPOSES`` files name their
pair with ``(from='Paper', to='Method')`` [5]_. The database is built in a temporary
folder beside the target, checkpointed, checked (row counts per table) and closed, and
only then swapped in with :func:`kgraph.atomic.atomic_directory`: a failed build leaves
the previous database as it was.

References
----------
.. [1] LadybugDB, "On-disk files managed by Ladybug": single-file database, the
   ``.wal``, ``.shadow`` and ``.tmp`` files created beside it.
   https://docs.ladybugdb.com/developer-guide/files
.. [2] LadybugDB, "Create table": node tables with a primary key, relationship tables
   with one or several ``FROM .. TO ..`` pairs.
   https://docs.ladybugdb.com/cypher/data-definition/create-table
.. [3] LadybugDB, "Import data": ``COPY FROM`` is the bulk path; ``CREATE``/``MERGE``
   are for small, sporadic additions. https://docs.ladybugdb.com/import
.. [4] LadybugDB, "Import Parquet": columns in the order of the table's properties;
   for relationships the first two columns are the ``from`` and ``to`` primary keys.
   https://docs.ladybugdb.com/import/parquet
.. [5] LadybugDB, "Import CSV": ``from``/``to`` options choosing the pair of a
   relationship table that has several. https://docs.ladybugdb.com/import/csv
.. [6] LadybugDB Python API: ``Database(path, read_only=..., throw_on_wal_replay_failure=
   ...)``, ``Connection``. https://docs.ladybugdb.com/client-apis/python
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

import networkx as nx

from kgraph.atomic import atomic_directory
from kgraph.errors import ExportError, GraphNotFoundError
from kgraph.export.cypher import (
    ENDPOINTS,
    MERGE_KEYS,
    NODE_LABELS,
    RELATIONSHIP_TYPES,
    NodeGroup,
    RelationshipGroup,
    node_groups,
    relationship_groups,
    row_columns,
)
from kgraph.model import PAPER_LABEL, REPORTS, SHARES_ENTITY
from kgraph.errors import StoreError

__all__ = [
    "STORE_DIR",
    "DATABASE_FILE",
    "store_path",
    "database_path",
    "generate_schema",
    "write_store",
    "open_store",
]

#: Folder of the store inside a build's output folder.
STORE_DIR = "graph.lbdb"
#: The database file inside :data:`STORE_DIR` (LadybugDB's ``.lbug`` naming [1]_).
DATABASE_FILE = "graph.lbug"

# Properties every table has, whatever the graph holds (kgraph/graph/SCHEMA.md), as
# neo4j-admin import types (the notation of kgraph.export.cypher).
_PAPER_PROPERTIES = {"id": "string", "name": "string", "title": "string",
                     "abstract": "string", "url": "string", "authors": "string[]",
                     "date": "string", "categories": "string[]", "sources": "string[]"}
_ENTITY_PROPERTIES = {"key": "string", "name": "string", "aliases": "string[]",
                      "papers": "long"}
_LINK_PROPERTIES = {"count": "long", "aliases": "string[]", "sentence": "long"}
_SHARES_PROPERTIES = {"weight": "double", "shared": "string[]"}
_REPORTS_PROPERTIES = {"value": "double", "unit": "string", "kind": "string",
                       "metric": "string", "metric_key": "string", "method": "string",
                       "method_key": "string", "text": "string", "span_start": "long",
                       "span_end": "long", "sentence": "long"}

_DDL_TYPES = {"string": "STRING", "long": "INT64", "double": "DOUBLE", "boolean": "BOOLEAN"}
_FROM, _TO = "from", "to"
_ROW_SRC, _ROW_DST = "src", "dst"  # the end columns of relationship rows

# Phrases of LadybugDB's errors on opening (matched case-insensitively).
_RECOVERY_PENDING = "recovery is pending"
_TORN_WAL = ("wal file is corrupted", "checksum verification failed", ".wal")
_LOCKED = "lock"


# --------------------------------------------------------------------------- paths

def store_path(out_dir: str | os.PathLike[str]) -> Path:
    """The store folder of an output folder.

    Examples
    --------
    >>> store_path("output").as_posix()
    'output/graph.lbdb'
    """
    return Path(out_dir) / STORE_DIR


def database_path(out_dir: str | os.PathLike[str]) -> Path:
    """The database file of a build, checked to exist.

    Parameters
    ----------
    out_dir : str or PathLike
        A build's output folder, or its ``graph.lbdb`` folder itself.

    Returns
    -------
    pathlib.Path
        ``<out_dir>/graph.lbdb/graph.lbug``.

    Raises
    ------
    GraphNotFoundError
        When there is no database there, with the command that makes one.
    """
    path = Path(out_dir)
    store = path if (path / DATABASE_FILE).is_file() else store_path(path)
    db_file = store / DATABASE_FILE
    if not db_file.is_file():
        raise GraphNotFoundError(
            f"{store}: no graph database here; run 'kgraph build INPUT... -o {path}' "
            "first")
    return db_file


# --------------------------------------------------------------------------- schema

def _base_node_properties(label: str) -> dict[str, str]:
    return dict(_PAPER_PROPERTIES if label == PAPER_LABEL else _ENTITY_PROPERTIES)


def _base_relationship_properties(rel_type: str) -> dict[str, str]:
    if rel_type == REPORTS:
        return dict(_REPORTS_PROPERTIES)
    return dict(_SHARES_PROPERTIES if rel_type == SHARES_ENTITY else _LINK_PROPERTIES)


def _merge_types(owner: str, base: dict[str, str],
                 found: list[tuple[dict[str, str], tuple[dict[str, Any], ...]]]
                 ) -> dict[str, str]:
    """Column types of one table: the graph's where it has values, else the base's."""
    columns = dict(base)
    seen: dict[str, str] = {}
    for types, rows in found:
        for name, column in types.items():
            (values,) = row_columns(rows, (name,))
            if values.count(None) == len(values):
                columns.setdefault(name, column)
                continue
            previous = seen.get(name)
            if previous is None or previous == column:
                seen[name] = column
            elif {previous, column} in ({"long", "double"}, {"long[]", "double[]"}):
                seen[name] = "double[]" if column.endswith("[]") else "double"
            else:
                raise ExportError(f"{owner}.{name} is {previous} for some rows and "
                                  f"{column} for others; a table column has one type")
    columns.update(seen)
    return columns


class _Table:
    """One node or relationship table: its columns and the groups that fill it."""

    def __init__(self, name: str, columns: dict[str, str], key: str | None,
                 pairs: list[tuple[str, str]], groups: list) -> None:
        self.name, self.key, self.pairs, self.groups = name, key, pairs, groups
        ordered = sorted(c for c in columns if c != key)
        self.columns = {c: columns[c] for c in ([key] if key else []) + ordered}

    @property
    def is_node(self) -> bool:
        return self.key is not None

    def ddl(self) -> str:
        body = [f"`{name}` {_ddl_type(column)}" for name, column in self.columns.items()]
        if self.is_node:
            return f"CREATE NODE TABLE {self.name}({', '.join(body)}, PRIMARY KEY(`{self.key}`))"
        pairs = [f"FROM {start} TO {end}" for start, end in self.pairs]
        return f"CREATE REL TABLE {self.name}({', '.join(pairs + body)})"


def _ddl_type(column: str) -> str:
    if column.endswith("[]"):
        return _DDL_TYPES[column[:-2]] + "[]"
    return _DDL_TYPES[column]


def _tables(nodes: list[NodeGroup], rels: list[RelationshipGroup]) -> list[_Table]:
    tables = []
    by_label = {g.label: g for g in nodes}
    for label in NODE_LABELS:
        group = by_label.get(label)
        found = [(group.types, group.rows)] if group else []
        columns = _merge_types(label, _base_node_properties(label), found)
        tables.append(_Table(label, columns, MERGE_KEYS[label], [], [group] if group else []))
    for rel_type in RELATIONSHIP_TYPES:
        groups = [g for g in rels if g.type == rel_type]
        columns = _merge_types(rel_type, _base_relationship_properties(rel_type),
                               [(g.types, g.rows) for g in groups])
        start, ends = ENDPOINTS[rel_type]
        tables.append(_Table(rel_type, columns, None, [(start, end) for end in ends], groups))
    return tables


def generate_schema(G: nx.MultiDiGraph) -> str:
    """The ``CREATE NODE TABLE`` / ``CREATE REL TABLE`` statements of a graph's store.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph following ``kgraph/graph/SCHEMA.md``.

    Returns
    -------
    str
        One statement per line, each ended by a semicolon: every node label, then every
        relationship type.

    Raises
    ------
    ExportError
        For a graph the Neo4j exports refuse, or a property with two incompatible types
        across the end labels of one relationship type.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("paper:1", label="Paper", id="1", name="T", rank=2)
    >>> print(generate_schema(G).splitlines()[0])  # doctest: +NORMALIZE_WHITESPACE
    CREATE NODE TABLE Paper(`id` STRING, `abstract` STRING, `authors` STRING[],
      `categories` STRING[], `date` STRING, `name` STRING, `rank` INT64,
      `sources` STRING[], `title` STRING, `url` STRING, PRIMARY KEY(`id`));
    >>> print(generate_schema(G).splitlines()[13])  # doctest: +NORMALIZE_WHITESPACE
    CREATE REL TABLE PROPOSES(FROM Paper TO Dataset, FROM Paper TO Method,
      `aliases` STRING[], `count` INT64, `sentence` INT64);
    """
    return "\n".join(t.ddl() + ";" for t in _tables(node_groups(G), relationship_groups(G)))


# --------------------------------------------------------------------------- loading

def _arrow_type(column: str):
    import pyarrow as pa

    scalar = {"string": pa.string(), "long": pa.int64(), "double": pa.float64(),
              "boolean": pa.bool_()}
    if column.endswith("[]"):
        return pa.list_(scalar[column[:-2]])
    return scalar[column]


def _cells(values: list, column: str) -> list:
    """A column's values as its Arrow type takes them (integers widened in a double
    column)."""
    if column == "double":
        return [None if v is None else float(v) for v in values]
    if column == "double[]":
        return [None if v is None else [float(x) for x in v] for v in values]
    return values


def _write_parquet(path: Path, names: list[str], types: list[str],
                   columns: list[list[Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrays = [pa.array(values, type=_arrow_type(t)) for values, t in zip(columns, types)]
    pq.write_table(pa.Table.from_arrays(arrays, names=names), path)


def _string_literal(text: str) -> str:
    """A single-quoted Cypher string literal (backslash escapes)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _copy_statements(tables: list[_Table], staging: Path) -> list[str]:
    """Write the Parquet files of every table with rows; return their COPY statements."""
    statements = []
    for table in tables:
        names, types = list(table.columns), list(table.columns.values())
        if table.is_node:
            if not table.groups:
                continue
            columns = [_cells(values, t) for values, t in
                       zip(row_columns(table.groups[0].rows, names), types)]
            path = staging / f"nodes_{table.name}.parquet"
            _write_parquet(path, names, types, columns)
            statements.append(f"COPY {table.name} FROM {_string_literal(str(path))}")
            continue
        for group in table.groups:
            columns = row_columns(group.rows, [_ROW_SRC, _ROW_DST] + names)
            columns[2:] = [_cells(values, t) for values, t in zip(columns[2:], types)]
            path = staging / f"rels_{table.name}_{group.end_label}.parquet"
            key_types = ["string", "string"]
            _write_parquet(path, [_FROM, _TO] + names, key_types + types, columns)
            options = ""
            if len(table.pairs) > 1:
                options = f" (from='{group.start_label}', to='{group.end_label}')"
            statements.append(f"COPY {table.name} FROM {_string_literal(str(path))}{options}")
    return statements


def _count(conn, table: _Table) -> int:
    if table.is_node:
        query = f"MATCH (n:{table.name}) RETURN count(n)"
    else:
        query = f"MATCH ()-[r:{table.name}]->() RETURN count(r)"
    return int(conn.execute(query).get_next()[0])


def _load(db_file: Path, tables: list[_Table], staging: Path) -> dict[str, dict[str, int]]:
    import ladybug

    copies = _copy_statements(tables, staging)
    # The rows are in the Parquet files now: drop the tables' references to them, so a
    # caller that handed its only reference over frees them before LadybugDB loads.
    expected = {table.name: sum(len(g.rows) for g in table.groups) for table in tables}
    for table in tables:
        table.groups = []
    db = ladybug.Database(str(db_file))
    try:
        conn = ladybug.Connection(db)
        try:
            for table in tables:
                conn.execute(table.ddl())
            for statement in copies:
                conn.execute(statement)
            counts: dict[str, dict[str, int]] = {"nodes": {}, "relationships": {}}
            for table in tables:
                found = _count(conn, table)
                if found != expected[table.name]:
                    raise ExportError(f"embedded store: {table.name} has {found} rows after "
                                      f"loading, expected {expected[table.name]}")
                counts["nodes" if table.is_node else "relationships"][table.name] = found
            conn.execute("CHECKPOINT")
        finally:
            conn.close()
    finally:
        db.close()
    return counts


def write_store(G: nx.MultiDiGraph, out_dir: str | os.PathLike[str], *,
                groups: tuple[list[NodeGroup], list[RelationshipGroup]] | None = None
                ) -> dict[str, Any]:
    """Write the graph into the LadybugDB database ``<out_dir>/graph.lbdb/``.

    The database is built with bulk ``COPY FROM`` loads in a temporary folder beside
    the target and swapped in only when complete and checked: a failed build leaves the
    previous database intact, and readers never see a half-loaded one. A reader that
    has the previous database open keeps reading it until it closes it.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph following ``kgraph/graph/SCHEMA.md``.
    out_dir : str or PathLike
        The output folder; ``graph.lbdb/`` is created (or replaced) inside it.
    groups : (list of NodeGroup, list of RelationshipGroup) or None
        ``(node_groups(G), relationship_groups(G))`` when the caller has them already.
        They are released once written to the staging files, before the database
        loads them: a caller that keeps no other reference gets the memory back.

    Returns
    -------
    dict
        ``{"path": Path of the store folder, "database": Path of the database file,
        "nodes": {label: count}, "relationships": {type: count}}``, counted in the
        loaded database; every label and type is listed, with 0 when the graph has
        none.

    Raises
    ------
    ExportError
        For a graph the Neo4j exports refuse, or when LadybugDB rejects the load.
    OSError
        When the folder cannot be written.

    Examples
    --------
    >>> import tempfile, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("paper:1", label="Paper", id="1", name="T", authors=["A", "B"])
    >>> G.add_node("task:qa", label="Task", key="qa", name="QA", aliases=[], papers=1)
    >>> _ = G.add_edge("paper:1", "task:qa", key="ADDRESSES", type="ADDRESSES", count=2)
    >>> result = write_store(G, tempfile.mkdtemp())
    >>> result["nodes"]["Paper"], result["nodes"]["Task"], result["relationships"]["ADDRESSES"]
    (1, 1, 1)
    >>> result["database"].name
    'graph.lbug'
    """
    nodes, rels = groups if groups is not None else (node_groups(G), relationship_groups(G))
    tables = _tables(nodes, rels)
    del nodes, rels, groups  # the tables hold the rows until they are in Parquet files
    target = store_path(out_dir)
    with atomic_directory(target) as tmp:
        staging = tmp / ".staging"
        staging.mkdir()
        try:
            counts = _load(tmp / DATABASE_FILE, tables, staging)
        except RuntimeError as err:
            raise ExportError(f"embedded store: {_first_line(err)}") from None
        finally:
            for item in staging.iterdir():
                item.unlink()
            staging.rmdir()
    return {"path": target, "database": target / DATABASE_FILE, **counts}


# --------------------------------------------------------------------------- opening

def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


#: Smallest buffer pool of a read-only open (bytes); see :func:`_read_buffer_pool`.
READ_BUFFER_POOL = 1 << 30


def _read_buffer_pool(db_file: Path) -> int:
    """Buffer pool of a read-only open: 1 GiB, or four times the database file.

    LadybugDB's default is 80% of the machine's memory [6]_, reserved when the database
    opens, which alone takes 80 ms on a 24 GB machine; a query needs the pages it
    reads plus its intermediate results, which four times the whole file leaves room
    for. Opening then takes about 25 ms, most of a query of the embedded store.
    """
    try:
        size = db_file.stat().st_size
    except OSError:
        size = 0
    return max(READ_BUFFER_POOL, 4 * size)


def _open(db_file: Path, read_only: bool, *, lenient: bool = False):
    import ladybug

    pool = {"buffer_pool_size": _read_buffer_pool(db_file)} if read_only else {}
    return ladybug.Database(str(db_file), read_only=read_only,
                            throw_on_wal_replay_failure=not lenient, **pool)


def _store_error(db_file: Path, err: BaseException) -> StoreError:
    message = _first_line(err)
    if _LOCKED in message.lower():
        return StoreError(f"{db_file}: the graph database is in use by a process that "
                          f"writes to it ({message})")
    return StoreError(f"{db_file}: cannot open the graph database ({message}); "
                      "rebuild it with 'kgraph build'")


def _is_torn_wal(err: BaseException) -> bool:
    message = str(err).lower()
    return any(phrase in message for phrase in _TORN_WAL)


def _recover(db_file: Path) -> None:
    """Finish a crashed writer's work: replay the log, checkpoint, close."""
    try:
        _open(db_file, read_only=False).close()
        return
    except RuntimeError as err:
        if not _is_torn_wal(err):
            raise _store_error(db_file, err) from None
    warnings.warn(
        f"{db_file}: the write-ahead log ends in an incomplete record (a writer stopped "
        "in the middle of a commit); its complete transactions were kept and the rest "
        "dropped", RuntimeWarning, stacklevel=3)
    try:
        _open(db_file, read_only=False, lenient=True).close()
    except RuntimeError as err:
        raise _store_error(db_file, err) from None


def open_store(out_dir: str | os.PathLike[str], read_only: bool = True):
    """Open the LadybugDB database of a build.

    A writer that crashed can leave three states behind, and each is handled:

    - a write-ahead log of committed transactions (``graph.lbug.wal``): LadybugDB
      replays it when the database is opened, read-only included;
    - a checkpoint cut short (``graph.lbug.wal.checkpoint`` and lock files): LadybugDB
      refuses a read-only open until a read-write open has completed the recovery, so
      the database is opened read-write once, closed, and opened again;
    - a log whose last record is incomplete (killed while committing): the checksum
      check, or the reader running past the end of the log, refuses it, so the
      database is opened read-write with ``throw_on_wal_replay_failure=False``, which
      replays the complete transactions and drops the torn one [6]_, and closed (which
      checkpoints); a :class:`RuntimeWarning` says so.

    Recovery writes to the store folder, so it needs write permission there. Read-only
    opens succeed while another process has the database open read-write; a second
    read-write open does not (:class:`StoreError`).

    Parameters
    ----------
    out_dir : str or PathLike
        A build's output folder (or its ``graph.lbdb`` folder).
    read_only : bool
        Open read-only (the default): any number of processes may read at once, and no
        statement can change the database.

    Returns
    -------
    ladybug.Database
        Close it (or use it as a context manager) when done.

    Raises
    ------
    GraphNotFoundError
        When there is no database; the message says to run ``kgraph build``.
    StoreError
        When a read-write open finds the database open read-write elsewhere, or the
        file is empty or damaged beyond recovery.

    Examples
    --------
    >>> import tempfile, networkx as nx, ladybug
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("paper:1", label="Paper", id="1", name="T")
    >>> out = tempfile.mkdtemp()
    >>> _ = write_store(G, out)
    >>> with open_store(out) as db:
    ...     ladybug.Connection(db).execute("MATCH (p:Paper) RETURN p.id").get_all()
    [['1']]
    """
    db_file = database_path(out_dir)
    if db_file.stat().st_size == 0:  # LadybugDB would open it as a new, empty database
        raise StoreError(f"{db_file}: the graph database file is empty; rebuild it with "
                         "'kgraph build'")
    try:
        return _open(db_file, read_only)
    except RuntimeError as err:
        message = str(err).lower()
        if _RECOVERY_PENDING not in message and not _is_torn_wal(err):
            raise _store_error(db_file, err) from None
    _recover(db_file)
    try:
        return _open(db_file, read_only)
    except RuntimeError as err:
        raise _store_error(db_file, err) from None
