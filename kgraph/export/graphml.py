"""GraphML: ``graph.graphml`` for Gephi, Cytoscape, yEd and networkx.

GraphML attributes are scalars (http://graphml.graphdrawing.org/specification.html), so
list-valued attributes (``aliases``, ``authors``, ``shared``, …) are written as JSON
strings and ``None`` values are left out.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from kgraph.atomic import atomic_write

__all__ = ["to_graphml_graph", "generate_graphml", "write_graphml"]


def _scalar(data: dict) -> dict:
    out = {}
    for k, v in data.items():
        if v is None:
            continue
        out[k] = json.dumps(v, ensure_ascii=False) if isinstance(v, (list, tuple, dict)) else v
    return out


def to_graphml_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``G`` whose attributes GraphML can hold (lists → JSON strings).

    Parameters
    ----------
    G : networkx.MultiDiGraph

    Returns
    -------
    networkx.MultiDiGraph

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", aliases=["x", "y"], url=None)
    >>> to_graphml_graph(G).nodes["a"]
    {'aliases': '["x", "y"]'}
    """
    H = nx.MultiDiGraph()
    H.graph.update(_scalar(G.graph))
    H.add_nodes_from((n, _scalar(d)) for n, d in G.nodes(data=True))
    H.add_edges_from((u, v, k, _scalar(d)) for u, v, k, d in G.edges(keys=True, data=True))
    return H


def generate_graphml(G: nx.MultiDiGraph) -> str:
    """GraphML text of ``G`` (see :func:`to_graphml_graph`).

    Returns
    -------
    str
    """
    return "\n".join(nx.generate_graphml(to_graphml_graph(G)))


def write_graphml(G: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write ``G`` as GraphML to ``path`` atomically.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    path : str or Path

    Returns
    -------
    Path
    """
    path = Path(path)
    with atomic_write(path, "wb", encoding=None) as f:
        nx.write_graphml(to_graphml_graph(G), f)
    return path
