"""``import.cypher``: the graph as a Cypher script that loads into a running Neo4j 5.

Run it with ``cypher-shell -u neo4j -p PASSWORD -f import.cypher``. The script is
idempotent: it first creates one uniqueness constraint per label on the merge key
(``Paper.id``, ``<Entity>.key``) with ``IF NOT EXISTS`` [1]_, then MERGEs the nodes and
then the relationships, so running it twice creates nothing new. Rows are sent in
batches, ``UNWIND [{...}, ...] AS row MERGE ...``, at most ``batch_size`` rows per
statement, one statement per batch (``cypher-shell`` runs each statement in its own
transaction [2]_).

Values are Cypher literals written by :func:`kgraph.export.cypher.literal` in ASCII mode
(characters outside printable ASCII become ``\\uXXXX`` escapes [3]_), so the file reads
the same whatever the client's default encoding. Labels, relationship types and
property keys are checked against :mod:`kgraph.model` and a strict pattern before they
are written. The output is deterministic: labels and types in model order, rows sorted
by key, properties by name.

References
----------
.. [1] Cypher Manual 5, "Create constraints".
   https://neo4j.com/docs/cypher-manual/5/constraints/create-constraints/
.. [2] Operations Manual, "Cypher Shell".
   https://neo4j.com/docs/operations-manual/current/cypher-shell/
.. [3] Cypher Manual 5, "Boolean, numeric, and string literals".
   https://neo4j.com/docs/cypher-manual/5/values-and-types/boolean-numeric-string/
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import Iterator, Sequence

import networkx as nx

from kgraph.atomic import atomic_write
from kgraph.export.cypher import (
    NODE_LABELS,
    NodeGroup,
    RelationshipGroup,
    constraint_query,
    merge_nodes_query,
    merge_relationships_query,
    node_groups,
    relationship_groups,
)

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "cypher_statements",
    "constraint_statements",
    "generate_cypher",
    "write_cypher",
    "generate_constraints",
]

DEFAULT_BATCH_SIZE = 500

_RUN = "cypher-shell -u neo4j -p PASSWORD -f {file}"


def constraint_statements() -> list[str]:
    """The uniqueness constraint of every label, ``Paper`` first.

    Returns
    -------
    list of str
        ``CREATE CONSTRAINT ... IF NOT EXISTS ...`` statements, without semicolons.

    Examples
    --------
    >>> constraint_statements()[:2]  # doctest: +NORMALIZE_WHITESPACE
    ['CREATE CONSTRAINT paper_id IF NOT EXISTS FOR (n:Paper) REQUIRE n.id IS UNIQUE',
     'CREATE CONSTRAINT dataset_key IF NOT EXISTS FOR (n:Dataset) REQUIRE n.key IS UNIQUE']
    """
    return [constraint_query(label) for label in NODE_LABELS]


def _batches(rows: Sequence[dict], size: int) -> list[tuple[int, Sequence[dict]]]:
    return [(start, rows[start:start + size]) for start in range(0, len(rows), size)]


def _check_batch_size(batch_size: int) -> None:
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, not {batch_size!r}")


def _iter_statements(nodes: list[NodeGroup], rels: list[RelationshipGroup], batch_size: int,
                     comments: bool) -> Iterator[str]:
    yield from constraint_statements()
    for group in nodes:
        total = len(group.rows)
        for start, rows in _batches(group.rows, batch_size):
            query = merge_nodes_query(group.label, group.properties, rows, ascii_only=True)
            note = f"// {group.label} nodes {start + 1}-{start + len(rows)} of {total}\n"
            yield (note if comments else "") + query
    for group in rels:
        total = len(group.rows)
        for start, rows in _batches(group.rows, batch_size):
            query = merge_relationships_query(group.type, group.start_label, group.end_label,
                                              group.properties, rows, ascii_only=True)
            note = (f"// {group.type} relationships to {group.end_label} "
                    f"{start + 1}-{start + len(rows)} of {total}\n")
            yield (note if comments else "") + query


def _statements(nodes: list[NodeGroup], rels: list[RelationshipGroup], batch_size: int,
                comments: bool) -> list[str]:
    return list(_iter_statements(nodes, rels, batch_size, comments))


def cypher_statements(G: nx.MultiDiGraph, *, batch_size: int = DEFAULT_BATCH_SIZE) -> list[str]:
    """The statements of ``import.cypher``, without comments or semicolons.

    Suitable for running one by one through a driver session.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph following ``kgraph/graph/SCHEMA.md``.
    batch_size : int
        Most rows in one ``UNWIND`` statement.

    Returns
    -------
    list of str
        Constraints, then node batches, then relationship batches.

    Raises
    ------
    ExportError
        When the graph has a label, type, property key or value Neo4j cannot take.
    ValueError
        When ``batch_size`` is not a positive integer.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("paper:1", label="Paper", id="1", name="T", title="T")
    >>> print(cypher_statements(G)[-1])
    UNWIND [
      {id: '1', name: 'T', title: 'T'}
    ] AS row
    MERGE (n:Paper {id: row.id})
    SET n.name = row.name, n.title = row.title
    """
    _check_batch_size(batch_size)
    return _statements(node_groups(G), relationship_groups(G), batch_size, comments=False)


def _header(nodes: list[NodeGroup], rels: list[RelationshipGroup], batch_size: int) -> str:
    n_nodes = sum(len(g.rows) for g in nodes)
    n_rels = sum(len(g.rows) for g in rels)
    per_label = ", ".join(f"{len(g.rows)} {g.label}" for g in nodes) or "none"
    per_type: dict[str, int] = {}
    for g in rels:
        per_type[g.type] = per_type.get(g.type, 0) + len(g.rows)
    per_type_text = ", ".join(f"{n} {t}" for t, n in per_type.items()) or "none"
    lines = [
        "kgraph knowledge graph of machine-learning papers: Cypher import script for Neo4j 5.",
        f"Nodes ({n_nodes}): {per_label}.",
        f"Relationships ({n_rels}): {per_type_text}.",
        "",
        "Run it against a running database with cypher-shell:",
        "    " + _RUN.format(file="import.cypher"),
        "adding -a neo4j://HOST:7687 for another server and -d NAME for another database.",
        "",
        "The script is idempotent: the uniqueness constraints use IF NOT EXISTS and every",
        "node and relationship is written with MERGE on its key, so running it again",
        "creates nothing new and sets the same property values.",
        "Order: constraints first, then nodes, then relationships, in UNWIND batches of",
        f"at most {batch_size} rows. Paper nodes are keyed by id, all others by key.",
        "Text outside printable ASCII is written with Unicode escapes.",
    ]
    return "".join(f"// {line}".rstrip() + "\n" for line in lines)


def generate_cypher(G: nx.MultiDiGraph, *, batch_size: int = DEFAULT_BATCH_SIZE) -> str:
    """The text of ``import.cypher`` for a graph.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph following ``kgraph/graph/SCHEMA.md``.
    batch_size : int
        Most rows in one ``UNWIND`` statement (default 500).

    Returns
    -------
    str
        A comment header (what the file is, how to run it, that it is idempotent), then
        one statement per paragraph, each ending with ``;``.

    Raises
    ------
    ExportError
        When the graph has a label, type, property key or value Neo4j cannot take.
    ValueError
        When ``batch_size`` is not a positive integer.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("paper:1", label="Paper", id="1", name="T", title="It's")
    >>> G.add_node("task:qa", label="Task", key="qa", name="QA")
    >>> _ = G.add_edge("paper:1", "task:qa", key="ADDRESSES", type="ADDRESSES", count=1)
    >>> print(generate_cypher(G).split("\\n\\n", 1)[1])  # doctest: +ELLIPSIS
    CREATE CONSTRAINT paper_id IF NOT EXISTS FOR (n:Paper) REQUIRE n.id IS UNIQUE;
    CREATE CONSTRAINT dataset_key IF NOT EXISTS FOR (n:Dataset) REQUIRE n.key IS UNIQUE;
    ...
    // Paper nodes 1-1 of 1
    UNWIND [
      {id: '1', name: 'T', title: 'It\\'s'}
    ] AS row
    MERGE (n:Paper {id: row.id})
    SET n.name = row.name, n.title = row.title;
    <BLANKLINE>
    // Task nodes 1-1 of 1
    ...
    // ADDRESSES relationships to Task 1-1 of 1
    UNWIND [
      {src: '1', dst: 'qa', count: 1}
    ] AS row
    MATCH (a:Paper {id: row.src})
    MATCH (b:Task {key: row.dst})
    MERGE (a)-[r:ADDRESSES]->(b)
    SET r.count = row.count;
    <BLANKLINE>
    """
    _check_batch_size(batch_size)
    return _script(node_groups(G), relationship_groups(G), batch_size)


def _script_pieces(nodes: list[NodeGroup], rels: list[RelationshipGroup], batch_size: int
                   ) -> Iterator[str]:
    """The text of ``import.cypher`` in consecutive pieces, one statement at a time."""
    _check_batch_size(batch_size)
    statements = _iter_statements(nodes, rels, batch_size, comments=True)
    constraints = list(itertools.islice(statements, len(NODE_LABELS)))
    yield _header(nodes, rels, batch_size)
    yield "\n" + "".join(s + ";\n" for s in constraints)
    for statement in statements:
        yield "\n" + statement + ";\n"


def _script(nodes: list[NodeGroup], rels: list[RelationshipGroup], batch_size: int) -> str:
    return "".join(_script_pieces(nodes, rels, batch_size))


def generate_constraints() -> str:
    """The text of ``constraints.cypher``: only the uniqueness constraints.

    Needed after a ``neo4j-admin`` CSV import, which creates no constraints.

    Returns
    -------
    str
        A short comment header and one ``CREATE CONSTRAINT ... IF NOT EXISTS`` per label.

    Examples
    --------
    >>> print(generate_constraints().splitlines()[-1])
    CREATE CONSTRAINT url_key IF NOT EXISTS FOR (n:Url) REQUIRE n.key IS UNIQUE;
    """
    header = ("// kgraph knowledge graph: uniqueness constraints for Neo4j 5, one per label.\n"
              "// Run after a neo4j-admin CSV import with\n"
              f"//     {_RUN.format(file='constraints.cypher')}\n"
              "// Idempotent: every constraint uses IF NOT EXISTS.\n\n")
    return header + "".join(s + ";\n" for s in constraint_statements())


def write_cypher(G: nx.MultiDiGraph, path: str | os.PathLike[str], *,
                 batch_size: int = DEFAULT_BATCH_SIZE) -> Path:
    """Write ``import.cypher`` (see :func:`generate_cypher`) atomically.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph following ``kgraph/graph/SCHEMA.md``.
    path : str or PathLike
        The file to write; its folder is created when missing.
    batch_size : int
        Most rows in one ``UNWIND`` statement.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    ExportError
        When the graph has a label, type, property key or value Neo4j cannot take; the
        file is then left as it was.
    ValueError
        When ``batch_size`` is not a positive integer.

    Examples
    --------
    >>> import tempfile, pathlib, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("paper:1", label="Paper", id="1", name="T")
    >>> out = write_cypher(G, pathlib.Path(tempfile.mkdtemp()) / "import.cypher")
    >>> out.read_text().splitlines()[0]
    '// kgraph knowledge graph of machine-learning papers: Cypher import script for Neo4j 5.'
    """
    text = generate_cypher(G, batch_size=batch_size)
    target = Path(path)
    with atomic_write(target, newline="\n") as handle:
        handle.write(text)
    return target
