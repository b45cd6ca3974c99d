"""Node-link JSON: ``graph.json``, the graph as networkx's node-link data.

The format is networkx's ``node_link_data`` (``{"directed", "multigraph", "graph",
"nodes": [...], "edges": [...]}``, edges carrying ``source``, ``target``, ``key``),
the layout D3 examples read. See
https://networkx.org/documentation/stable/reference/readwrite/json_graph.html

Each node's identifier is stored under ``"node"`` (``NODE_KEY``) rather than
networkx's default ``"id"``, because Paper nodes have an ``id`` attribute of their own
(the paper id) that the default would overwrite.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Iterator

import networkx as nx

from kgraph.atomic import atomic_write
from kgraph.errors import GraphNotFoundError, KgraphError

__all__ = ["generate_json", "iter_json", "write_json", "read_json", "NODE_KEY"]

#: Key of the node identifier in each node object of ``graph.json``.
NODE_KEY = "node"


def iter_json(G: nx.MultiDiGraph) -> Iterator[str]:
    """Node-link JSON of ``G`` in pieces, one node or edge at a time.

    The pieces joined are exactly ``json.dumps(nx.node_link_data(G, edges="edges",
    nodes="nodes", name="node"), ensure_ascii=False)``, without building that copy of
    the graph or the whole text in memory (on 75,000 papers each is as big as the
    graph itself).

    Parameters
    ----------
    G : networkx.MultiDiGraph or networkx.DiGraph

    Yields
    ------
    str
        Consecutive pieces of the document.
    """
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    yield ('{"directed": ' + dumps(G.is_directed()) + ', "multigraph": '
           + dumps(G.is_multigraph()) + ', "graph": ' + dumps(G.graph) + ', "nodes": [')
    # A list is encoded as its items joined by ", ": a run of items encoded in one call
    # (one pass of the C encoder, not one call per item) is the same text.
    yield from _runs(dumps, ({**data, NODE_KEY: n} for n, data in G.nodes(data=True)))
    yield '], "edges": ['
    if G.is_multigraph():
        # networkx's adjacency, walked in G.edges(keys=True, data=True) order
        yield from _runs(dumps, ({**data, "source": u, "target": v, "key": k}
                                 for u, nbrs in G._succ.items()
                                 for v, edges in nbrs.items() for k, data in edges.items()))
    else:
        yield from _runs(dumps, ({**data, "source": u, "target": v}
                                 for u, v, data in G.edges(data=True)))
    yield "]}"


#: Nodes or edges encoded at a time by :func:`iter_json`.
_RUN = 5000


def _runs(dumps, items: Iterator[dict]) -> Iterator[str]:
    """The JSON of ``items`` as the inside of a list, :data:`_RUN` items at a time."""
    sep = ""
    while True:
        run = list(itertools.islice(items, _RUN))
        if not run:
            return
        yield sep + dumps(run)[1:-1]
        sep = ", "


def generate_json(G: nx.MultiDiGraph, *, indent: int | None = None) -> str:
    """Serialise ``G`` as node-link JSON.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    indent : int or None
        Pretty-print indentation; ``None`` for one line.

    Returns
    -------
    str
        Deterministic JSON (nodes and edges in insertion order, keys as inserted).

    Examples
    --------
    >>> G = nx.MultiDiGraph(name="kgraph")
    >>> G.add_node("paper:a", label="Paper")
    >>> json.loads(generate_json(G))["nodes"]
    [{'label': 'Paper', 'node': 'paper:a'}]
    """
    if indent is None:
        return "".join(iter_json(G))
    data = nx.node_link_data(G, edges="edges", nodes="nodes", name=NODE_KEY)
    return json.dumps(data, ensure_ascii=False, indent=indent)


def write_json(G: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write :func:`generate_json` to ``path`` atomically, streaming (:func:`iter_json`).

    Parameters
    ----------
    G : networkx.MultiDiGraph
    path : str or Path

    Returns
    -------
    Path
    """
    path = Path(path)
    with atomic_write(path) as f:
        buffer: list[str] = []
        size = 0
        for piece in iter_json(G):
            buffer.append(piece)
            size += len(piece)
            if size > 1 << 20:
                f.write("".join(buffer))
                buffer, size = [], 0
        f.write("".join(buffer))
    return path


def read_json(path: str | Path) -> nx.MultiDiGraph:
    """Read a ``graph.json`` written by :func:`write_json`.

    Parameters
    ----------
    path : str or Path
        The file, or a folder holding ``graph.json``.

    Returns
    -------
    networkx.MultiDiGraph

    Raises
    ------
    GraphNotFoundError
        No such file.
    KgraphError
        The file is not node-link JSON.
    """
    path = Path(path)
    if path.is_dir() or path.suffix != ".json":
        path = path / "graph.json"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GraphNotFoundError(
            f"{path}: no graph here; run 'kgraph build INPUT... -o {path.parent}' first") from None
    try:
        data = json.loads(text)
        return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges",
                                  nodes="nodes", name=NODE_KEY)
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as e:
        raise KgraphError(f"{path}: not a kgraph node-link JSON file ({e})") from None
