"""``neo4j/``: the graph as CSV files for ``neo4j-admin database import full``, with a README.

One nodes file per label (``nodes_Paper.csv``, ``nodes_Dataset.csv``, ...) and one
relationships file per type (``rels_USES_DATASET.csv``, ...; ``PROPOSES``, whose end is a
Method or a Dataset, gets one file per end label), each starting with its header line in
the import tool's format [2]_:

- nodes: ``id:ID(Paper)`` or ``key:ID(<Label>)``, ``:LABEL``, then typed properties
  (``aliases:string[]``, ``papers:long``, ...). Each label is its own ID space, so a
  paper id and an entity key can never collide, and the ID column is stored as the
  ``id`` or ``key`` property, as ``import.cypher`` stores it.
- relationships: ``:START_ID(Paper)``, ``:END_ID(<Label>)``, ``:TYPE``, then typed
  properties (``count:long``, ``weight:double``, ``shared:string[]``, ...).

The rows come from :func:`kgraph.export.cypher.node_groups` and
:func:`~kgraph.export.cypher.relationship_groups`, like those of ``import.cypher``, so
both loads give the same properties. Integers are written as ``long`` and floats as
``double`` (Cypher's own integer and float types, so nothing is narrowed), booleans as
``true``/``false`` (the importer reads any other text as false). Array elements are
separated by U+001F, the ASCII unit separator (``--array-delimiter=U+001F`` [1]_); an
array element that contains it, or is empty, is refused with
:class:`~kgraph.errors.ExportError` rather than silently split. A missing value is an
empty unquoted field, which the importer skips. Fields are quoted by the :mod:`csv`
module as RFC 4180 says [3]_: quotes doubled, fields holding a comma, quote or line break
quoted, records ended by CRLF. Abstracts may hold line breaks, so the command passes
``--multiline-fields=true``; it also passes ``--legacy-style-quoting=false`` (a
backslash before a quote is not an escape) and ``--trim-strings=false`` (unquoted
values keep their spaces), both the documented defaults, spelled out because the
files depend on them.

:func:`write_neo4j` writes the whole folder, ``import.cypher`` included, at once: a
failed export leaves the previous folder as it was.

References
----------
.. [1] Operations Manual, "Full import": syntax and options of ``neo4j-admin database
   import full`` (``--nodes=[<label>=]<files>``, ``--relationships=[<type>=]<files>``,
   ``--array-delimiter`` with the ``U+XXXX`` form, ``--multiline-fields``,
   ``--overwrite-destination``, the ``<database>`` parameter, and why it goes before
   the multi-value options).
   https://neo4j.com/docs/operations-manual/current/import/full-import/
.. [2] Operations Manual, "Import header format": ``:ID(<ID space>)``, ``:LABEL``,
   ``:START_ID(..)``, ``:END_ID(..)``, ``:TYPE``, property types, arrays.
   https://neo4j.com/docs/operations-manual/current/import/header-format/
.. [3] RFC 4180, "Common Format and MIME Type for Comma-Separated Values (CSV) Files".
   https://datatracker.ietf.org/doc/html/rfc4180
"""

from __future__ import annotations

import csv
import itertools
import os
import re
from pathlib import Path
from typing import Any, Iterator, Sequence

import networkx as nx

from kgraph.atomic import atomic_directory, atomic_write
from kgraph.errors import ExportError
from kgraph.export.cypher import (
    ENDPOINTS,
    NodeGroup,
    RelationshipGroup,
    node_groups,
    relationship_groups,
    row_columns,
)
from kgraph.export.neo4j_script import (
    DEFAULT_BATCH_SIZE,
    _check_batch_size,
    _script_pieces,
    generate_constraints,
)

__all__ = [
    "ARRAY_DELIMITER",
    "ARRAY_DELIMITER_OPTION",
    "DEFAULT_DATABASE",
    "node_file_name",
    "relationship_file_name",
    "node_header",
    "relationship_header",
    "csv_field",
    "admin_import_command",
    "write_neo4j_csv",
    "write_neo4j",
]

#: Separator of array elements inside one CSV field: U+001F, the ASCII unit separator.
ARRAY_DELIMITER = "\x1f"
#: How ``neo4j-admin`` is told about it.
ARRAY_DELIMITER_OPTION = "U+001F"
#: Database the README's command imports into.
DEFAULT_DATABASE = "neo4j"

_DATABASE_RE = re.compile(r"[A-Za-z][A-Za-z0-9.\-]{2,62}")


def node_file_name(label: str) -> str:
    """File of a label's nodes.

    Examples
    --------
    >>> node_file_name("Paper")
    'nodes_Paper.csv'
    """
    return f"nodes_{label}.csv"


def relationship_file_name(rel_type: str, end_label: str) -> str:
    """File of one relationship type (and end label, for types with several).

    Examples
    --------
    >>> relationship_file_name("USES_DATASET", "Dataset")
    'rels_USES_DATASET.csv'
    >>> relationship_file_name("PROPOSES", "Method")
    'rels_PROPOSES_Method.csv'
    """
    if len(ENDPOINTS[rel_type][1]) == 1:
        return f"rels_{rel_type}.csv"
    return f"rels_{rel_type}_{end_label}.csv"


def node_header(group: NodeGroup) -> list[str]:
    """Header fields of a nodes file: the ID column, ``:LABEL``, then typed properties.

    Examples
    --------
    >>> from kgraph.export.cypher import NodeGroup
    >>> node_header(NodeGroup("Task", "key", ("aliases", "name"),
    ...                       {"key": "string", "aliases": "string[]", "name": "string"}, ()))
    ['key:ID(Task)', ':LABEL', 'aliases:string[]', 'name:string']
    """
    return ([f"{group.key}:ID({group.label})", ":LABEL"]
            + [f"{p}:{group.types[p]}" for p in group.properties])


def relationship_header(group: RelationshipGroup) -> list[str]:
    """Header fields of a relationships file: both ends, ``:TYPE``, then typed properties.

    Examples
    --------
    >>> from kgraph.export.cypher import RelationshipGroup
    >>> relationship_header(RelationshipGroup("SHARES_ENTITY", "Paper", "Paper",
    ...                     ("shared", "weight"), {"shared": "string[]", "weight": "double"}, ()))
    [':START_ID(Paper)', ':END_ID(Paper)', ':TYPE', 'shared:string[]', 'weight:double']
    """
    return ([f":START_ID({group.start_label})", f":END_ID({group.end_label})", ":TYPE"]
            + [f"{p}:{group.types[p]}" for p in group.properties])


def _scalar_field(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def csv_field(value: Any, column_type: str) -> str:
    """Write one normalised property value as the text of a CSV field.

    Parameters
    ----------
    value : object
        A value from a :class:`~kgraph.export.cypher.NodeGroup` or
        :class:`~kgraph.export.cypher.RelationshipGroup` row.
    column_type : str
        The column's import type, e.g. ``"string"`` or ``"string[]"``.

    Returns
    -------
    str
        The field text before CSV quoting: ``""`` for ``None`` (skipped by the
        importer), ``true``/``false``, numbers as Python writes them, array elements
        joined by :data:`ARRAY_DELIMITER`.

    Raises
    ------
    ExportError
        When an array element is empty or contains :data:`ARRAY_DELIMITER`.

    Examples
    --------
    >>> csv_field(["ResNet-50", "residual nets"], "string[]")
    'ResNet-50\\x1fresidual nets'
    >>> csv_field(True, "boolean"), csv_field(None, "string"), csv_field(0.5, "double")
    ('true', '', '0.5')
    """
    if value is None:
        return ""
    kind = type(value)
    if kind is str:  # exact types first: the general path below is slow on big graphs
        return value
    if kind is list and column_type == "string[]":
        if all(type(item) is str and item and ARRAY_DELIMITER not in item for item in value):
            return ARRAY_DELIMITER.join(value)
    if column_type.endswith("[]"):
        items = []
        for item in value:
            text = _scalar_field(item)
            if text == "" or ARRAY_DELIMITER in text:
                raise ExportError(
                    f"array element {item!r} is empty or contains U+001F, the array "
                    "delimiter of the CSV export")
            items.append(text)
        return ARRAY_DELIMITER.join(items)
    return _scalar_field(value)


def _files(nodes: list[NodeGroup], rels: list[RelationshipGroup]
           ) -> list[tuple[str, str, str]]:
    """(option, label or type, file name) for every file, in command order."""
    return ([("nodes", g.label, node_file_name(g.label)) for g in nodes]
            + [("relationships", g.type, relationship_file_name(g.type, g.end_label))
               for g in rels])


def _command(nodes: list[NodeGroup], rels: list[RelationshipGroup], database: str) -> str:
    if not isinstance(database, str) or _DATABASE_RE.fullmatch(database) is None:
        raise ExportError(f"invalid database name {database!r}")
    lines = [f"neo4j-admin database import full {database}",
             "--overwrite-destination=true",
             "--multiline-fields=true",
             f"--array-delimiter={ARRAY_DELIMITER_OPTION}",
             "--legacy-style-quoting=false",
             "--trim-strings=false"]
    lines += [f"--{option}={name}={file}" for option, name, file in _files(nodes, rels)]
    return " \\\n    ".join(lines)


def admin_import_command(G: nx.MultiDiGraph, *, database: str = DEFAULT_DATABASE) -> str:
    """The ``neo4j-admin database import full`` command for a graph's CSV files.

    To be run from inside the ``neo4j/`` folder (file names are relative).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph following ``kgraph/graph/SCHEMA.md``.
    database : str
        Name of the database to import into (default ``neo4j``).

    Returns
    -------
    str
        The command over several lines joined by backslash-newline. The database name
        comes right after ``full``: ``--nodes`` and ``--relationships`` take several
        values and would take a name written after them as one more file [1]_.

    Raises
    ------
    ExportError
        When the graph cannot be exported or the database name is not valid.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("paper:1", label="Paper", id="1", name="T")
    >>> print(admin_import_command(G))
    neo4j-admin database import full neo4j \\
        --overwrite-destination=true \\
        --multiline-fields=true \\
        --array-delimiter=U+001F \\
        --legacy-style-quoting=false \\
        --trim-strings=false \\
        --nodes=Paper=nodes_Paper.csv
    """
    return _command(node_groups(G), relationship_groups(G), database)


def _csv_column(values: list, column_type: str) -> list[str]:
    """``[csv_field(v, column_type) for v in values]``, a column at a time."""
    kinds = set(map(type, values))
    kinds.discard(type(None))
    if column_type == "string" and kinds <= {str}:
        return ["" if v is None else v for v in values]
    if column_type == "long" and kinds <= {int}:
        return ["" if v is None else str(v) for v in values]
    if column_type == "double" and kinds <= {float}:
        return ["" if v is None else repr(v) for v in values]
    if column_type == "string[]" and kinds <= {list}:
        fields = []
        for v in values:
            if v is None:
                fields.append("")
                continue
            try:
                text = ARRAY_DELIMITER.join(v)
            except TypeError:
                text = None
            # no empty element, and no delimiter but the ones join put in
            if text is None or not all(v) or text.count(ARRAY_DELIMITER) != len(v) - 1:
                text = csv_field(v, column_type)
            fields.append(text)
        return fields
    return [csv_field(v, column_type) for v in values]


def _node_table(group: NodeGroup) -> tuple[list[str], list[list[str]]]:
    """Header and columns of a nodes file (fields as :func:`csv_field` writes them;
    shape ``(2 + len(group.properties), n_rows)``)."""
    (keys, *columns) = row_columns(group.rows, (group.key, *group.properties))
    fields = [_csv_column(values, group.types[p])
              for p, values in zip(group.properties, columns)]
    return node_header(group), [keys, [group.label] * len(keys), *fields]


def _relationship_table(group: RelationshipGroup) -> tuple[list[str], list[list[str]]]:
    """Header and columns of a relationships file."""
    (srcs, dsts, *columns) = row_columns(group.rows, ("src", "dst", *group.properties))
    fields = [_csv_column(values, group.types[p])
              for p, values in zip(group.properties, columns)]
    return relationship_header(group), [srcs, dsts, [group.type] * len(srcs), *fields]


def _iter_node_records(group: NodeGroup) -> Iterator[Sequence[str]]:
    header, columns = _node_table(group)
    yield header
    yield from zip(*columns)


def _iter_relationship_records(group: RelationshipGroup) -> Iterator[Sequence[str]]:
    header, columns = _relationship_table(group)
    yield header
    yield from zip(*columns)


def _node_records(group: NodeGroup) -> list[list[str]]:
    return list(_iter_node_records(group))


def _relationship_records(group: RelationshipGroup) -> list[list[str]]:
    return list(_iter_relationship_records(group))


# What makes the csv module quote a field in its default dialect (delimiter, quote
# character, and the characters of the line terminator "\r\n").
_CSV_SPECIAL = re.compile('[,"\r\n]')
#: Records written at a time by :func:`_write_table`.
_CSV_RUN = 5000


def _csv_texts(values: list) -> list[str] | None:
    """The fields of ``values`` as ``csv.writer`` (default dialect, QUOTE_MINIMAL) writes
    them: in double quotes, quotes doubled, when they hold a comma, quote, CR or LF.
    None when a value is not a string (the caller lets the csv module write those)."""
    if not all(type(v) is str for v in values):
        return None
    joined = "".join(values)
    if "," not in joined and '"' not in joined and "\r" not in joined and "\n" not in joined:
        return values
    search = _CSV_SPECIAL.search
    return ['"' + v.replace('"', '""') + '"' if search(v) else v for v in values]


def _write_table(handle, header: list[str], columns: list[list]) -> None:
    """Write a header and records (given as columns) to ``handle`` byte for byte as
    ``csv.writer(handle)`` writes them (RFC 4180, CRLF), a run of records at a time:
    the quoting is decided a column at a time and the records joined in one call,
    several times faster than the csv module on long texts such as abstracts."""
    writer = csv.writer(handle)  # default dialect: RFC 4180, CRLF
    writer.writerow(header)
    n_rows = len(columns[0]) if columns else 0
    for start in range(0, n_rows, _CSV_RUN):
        part = [column[start:start + _CSV_RUN] for column in columns]
        texts = [_csv_texts(values) for values in part]
        if len(texts) < 2 or any(t is None for t in texts):
            writer.writerows(zip(*part))  # a lone empty field is written "" by the csv module
        else:
            handle.write("\r\n".join(map(",".join, zip(*texts))))
            handle.write("\r\n")


def _counts(nodes: list[NodeGroup], rels: list[RelationshipGroup]) -> dict[str, Any]:
    per_type: dict[str, int] = {}
    for g in rels:
        per_type[g.type] = per_type.get(g.type, 0) + len(g.rows)
    return {"nodes": {g.label: len(g.rows) for g in nodes}, "relationships": per_type}


def _readme(nodes: list[NodeGroup], rels: list[RelationshipGroup], database: str) -> str:
    counts = _counts(nodes, rels)
    n_nodes, n_rels = sum(counts["nodes"].values()), sum(counts["relationships"].values())
    command = _command(nodes, rels, database)
    shell = "cypher-shell -u neo4j -p PASSWORD -f"
    table = ["| label or type | file | rows | columns |", "| --- | --- | ---: | --- |"]
    for g in nodes:
        columns = ", ".join(f"`{c}`" for c in node_header(g))
        table.append(f"| {g.label} | `{node_file_name(g.label)}` | {len(g.rows)} | {columns} |")
    for g in rels:
        columns = ", ".join(f"`{c}`" for c in relationship_header(g))
        name = relationship_file_name(g.type, g.end_label)
        table.append(f"| {g.type} (Paper to {g.end_label}) | `{name}` | {len(g.rows)} "
                     f"| {columns} |")
    return f"""# kgraph knowledge graph for Neo4j 5

This folder holds one graph of {n_nodes} nodes and {n_rels} relationships in two forms
that load the same nodes, relationships and properties:

- `nodes_*.csv` and `rels_*.csv`: CSV files for `neo4j-admin database import full`, the
  fastest way to fill a new (or emptied) database;
- `import.cypher`: a Cypher script for a running database that may already hold data;
- `constraints.cypher`: the uniqueness constraints alone (`Paper.id`, and `key` for
  every other label), to run after the CSV import.

## A new database: neo4j-admin import

1. Stop Neo4j (`neo4j stop`): the import writes the database files directly.
2. From this folder, run (use `bin/neo4j-admin` of your Neo4j installation when
   `neo4j-admin` is not on your `PATH`):

   ```sh
   {command.replace(chr(10), chr(10) + "   ")}
   ```

   `{database}` is the database to fill; the name comes right after `full` because
   `--nodes` and `--relationships` take several values each and would read a name
   written after them as one more file. `--overwrite-destination=true` deletes the
   files of an existing database of that name first.
3. Start Neo4j (`neo4j start`). When you imported into a database other than the default
   one (Enterprise Edition), create it afterwards: `CREATE DATABASE name` in
   `cypher-shell -d system`.
4. Create the uniqueness constraints, which the import does not:

   ```sh
   {shell} constraints.cypher
   ```

## An existing database: import.cypher

```sh
{shell} import.cypher
```

Add `-a neo4j://HOST:7687` for another server and `-d NAME` for another database. The
script creates the constraints when missing, then MERGEs every node on its key and every
relationship between its two nodes, in batches: running it again, or on a database
loaded from the CSV files, creates nothing new.

## The files

{chr(10).join(table)}

- Each label is its own ID space (`id:ID(Paper)`, `key:ID(Dataset)`, ...), so a paper id
  and an entity key never collide; relationships name their ends with
  `:START_ID(Paper)` and `:END_ID(<Label>)`. The ID column is stored as the `id`
  (papers) or `key` (entities) property.
- `PROPOSES` points at a Method or a Dataset, so it has one file per end label.
- `REPORTS` (Paper to Dataset) has one row per numeric result a paper reports, so one
  pair of nodes may have several; `span_start` (the offset of the number in the
  paper's text) tells them apart, and `import.cypher` MERGEs on it.
- Arrays (`string[]`) hold their elements separated by U+001F, the ASCII unit separator
  (`--array-delimiter=U+001F`); the export refuses an element that contains it or is
  empty. Integers are `long`, floats `double`.
- Fields are quoted as RFC 4180 says (quotes doubled, CRLF line ends); text may span
  lines, hence `--multiline-fields=true`. A backslash is an ordinary character
  (`--legacy-style-quoting=false`) and spaces around a value are kept
  (`--trim-strings=false`).
- Empty strings and empty lists are not stored: the property is absent, in the CSV
  import and in `import.cypher` alike.
"""


def write_neo4j_csv(G: nx.MultiDiGraph, folder: str | os.PathLike[str], *,
                    database: str = DEFAULT_DATABASE) -> dict[str, Any]:
    """Write the ``neo4j-admin`` CSV files, ``constraints.cypher`` and ``README.md``.

    Every row is converted before the first file is written, so a graph that cannot be
    exported leaves ``folder`` untouched; each file is replaced atomically. Use
    :func:`write_neo4j` to write the whole ``neo4j/`` folder as one unit.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph following ``kgraph/graph/SCHEMA.md``.
    folder : str or PathLike
        Where to write; created when missing.
    database : str
        Database name used in the README's command (default ``neo4j``).

    Returns
    -------
    dict
        ``{"nodes": {label: count}, "relationships": {type: count},
        "files": [file names in command order], "command": str}``.

    Raises
    ------
    ExportError
        For a label, type, property key or value Neo4j (or the CSV format) cannot take.

    Examples
    --------
    >>> import csv, tempfile, pathlib, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("paper:1", label="Paper", id="1", name="T", authors=["A, B", "C"])
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> result = write_neo4j_csv(G, folder)
    >>> result["nodes"], result["files"]
    ({'Paper': 1}, ['nodes_Paper.csv'])
    >>> with open(folder / "nodes_Paper.csv", newline="", encoding="utf-8") as f:
    ...     list(csv.reader(f))  # doctest: +NORMALIZE_WHITESPACE
    [['id:ID(Paper)', ':LABEL', 'authors:string[]', 'name:string'],
     ['1', 'Paper', 'A, B\\x1fC', 'T']]
    """
    nodes, rels = node_groups(G), relationship_groups(G)
    return _write_csv(nodes, rels, Path(folder), database)


def _write_csv(nodes: list[NodeGroup], rels: list[RelationshipGroup], folder: Path,
               database: str, *, stream: bool = False) -> dict[str, Any]:
    """Write the CSV files, constraints and README. Rows are converted before the first
    file is written, unless ``stream`` (for a folder that is swapped in only when
    complete, where converting while writing saves holding every row twice)."""
    command = _command(nodes, rels, database)
    def table(make, group):  # (header, records), made when the file is written
        if stream:
            return lambda: make(group)
        header, columns = make(group)
        return lambda: (header, columns)

    contents = [(node_file_name(g.label), table(_node_table, g)) for g in nodes]
    contents += [(relationship_file_name(g.type, g.end_label), table(_relationship_table, g))
                 for g in rels]
    readme = _readme(nodes, rels, database)
    folder.mkdir(parents=True, exist_ok=True)
    for name, made in contents:
        header, columns = made()
        with atomic_write(folder / name, newline="") as handle:
            _write_table(handle, header, columns)
    with atomic_write(folder / "constraints.cypher", newline="\n") as handle:
        handle.write(generate_constraints())
    with atomic_write(folder / "README.md", newline="\n") as handle:
        handle.write(readme)
    return {**_counts(nodes, rels), "files": [name for name, _ in contents],
            "command": command}


def write_neo4j(G: nx.MultiDiGraph, out_dir: str | os.PathLike[str], *,
                batch_size: int = DEFAULT_BATCH_SIZE,
                database: str = DEFAULT_DATABASE,
                groups: tuple[list[NodeGroup], list[RelationshipGroup]] | None = None
                ) -> dict[str, Any]:
    """Write ``out_dir/neo4j/``: ``import.cypher``, the CSV files, constraints and README.

    The folder is built beside the target and swapped in only when complete
    (:func:`kgraph.atomic.atomic_directory`): readers never see a mix of two exports, and
    a failed export leaves the previous folder as it was.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph following ``kgraph/graph/SCHEMA.md``.
    out_dir : str or PathLike
        The output folder; ``neo4j/`` is created (or replaced) inside it.
    batch_size : int
        Most rows in one ``UNWIND`` statement of ``import.cypher``.
    database : str
        Database name used in the README's ``neo4j-admin`` command.
    groups : (list of NodeGroup, list of RelationshipGroup) or None
        ``(node_groups(G), relationship_groups(G))`` when the caller has them already
        (a build computes them once for this export and the embedded store).

    Returns
    -------
    dict
        ``{"path": Path of the folder, "nodes": {label: count},
        "relationships": {type: count}, "files": [...], "command": str}``; ``files``
        lists every file written.

    Raises
    ------
    ExportError
        For a label, type, property key or value Neo4j (or the CSV format) cannot take.
    ValueError
        When ``batch_size`` is not a positive integer.

    Examples
    --------
    >>> import tempfile, pathlib, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("paper:1", label="Paper", id="1", name="T")
    >>> result = write_neo4j(G, tempfile.mkdtemp())
    >>> sorted(p.name for p in result["path"].iterdir())
    ['README.md', 'constraints.cypher', 'import.cypher', 'nodes_Paper.csv']
    >>> result["nodes"], result["relationships"]
    ({'Paper': 1}, {})
    """
    _check_batch_size(batch_size)
    nodes, rels = groups if groups is not None else (node_groups(G), relationship_groups(G))
    target = Path(out_dir) / "neo4j"
    with atomic_directory(target) as tmp:
        with atomic_write(tmp / "import.cypher", newline="\n") as handle:
            for piece in _script_pieces(nodes, rels, batch_size):
                handle.write(piece)
        result = _write_csv(nodes, rels, tmp, database, stream=True)
    files = sorted(["import.cypher", "constraints.cypher", "README.md", *result["files"]])
    return {"path": target, **result, "files": files}
