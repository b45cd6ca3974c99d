"""GraphML: ``graph.graphml`` for Gephi, Cytoscape, yEd and networkx.

GraphML attributes are scalars (http://graphml.graphdrawing.org/specification.html), so
list-valued attributes (``aliases``, ``authors``, ``shared``, …) are written as JSON
strings and ``None`` values are left out.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import networkx as nx

from kgraph.atomic import atomic_write

__all__ = ["to_graphml_graph", "generate_graphml", "iter_graphml", "write_graphml"]


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


# The GraphML type of each value type, as networkx's writer names them (numpy scalars
# are written by networkx too; kgraph graphs hold Python scalars).
_XML_TYPES: dict[type, str] = {str: "string", int: "long", float: "double",
                               bool: "boolean"}
_NS = ('xmlns="http://graphml.graphdrawing.org/xmlns" '
       'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
       'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
       'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"')


def _xml_type(value: Any) -> str:
    kind = type(value)
    found = _XML_TYPES.get(kind)
    if found is None:
        import numpy as np

        if isinstance(value, np.floating):
            return "float"
        if isinstance(value, np.integer):
            return "int"
        raise TypeError(f"GraphML does not support type {kind} as data values.")
    return found


def _text(text: str) -> str:
    """Character data escaped as xml.etree.ElementTree escapes it."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _attribute(text: str) -> str:
    """An attribute value escaped as xml.etree.ElementTree escapes it."""
    text = _text(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if "\n" in text:
        text = text.replace("\n", "&#10;")
    if "\t" in text:
        text = text.replace("\t", "&#09;")
    return text


def iter_graphml(G: nx.MultiDiGraph) -> Iterator[str]:
    """GraphML text of ``G`` in pieces, one node or edge at a time.

    The pieces joined are the bytes ``networkx.write_graphml`` writes (its
    ElementTree writer, pretty-printed) for :func:`to_graphml_graph` of ``G``, without
    building that copy or the XML tree in memory: one pass over the attributes
    numbers the ``<key>`` declarations in the order networkx does (graph, then nodes,
    then edges; listed last first), a second writes the elements.

    Parameters
    ----------
    G : networkx.MultiDiGraph or networkx.DiGraph

    Yields
    ------
    str

    Raises
    ------
    TypeError
        For an attribute value GraphML cannot hold (after lists, tuples and dicts
        become JSON strings), as networkx raises.
    """
    multigraph = G.is_multigraph()
    graph_data = _scalar({k: v for k, v in G.graph.items()
                          if k not in ("node_default", "edge_default", "id")})
    keys: dict[tuple[str, str, str], str] = {}

    def declare(scope: str, data: dict) -> None:
        for name, value in data.items():
            ident = (str(name), _xml_type(value), scope)
            if ident not in keys:
                keys[ident] = f"d{len(keys)}"

    declare("graph", graph_data)
    for _, data in G.nodes(data=True):
        declare("node", _scalar(data))
    edges = (G.edges(keys=True, data=True) if multigraph
             else ((u, v, None, d) for u, v, d in G.edges(data=True)))
    for _, _, _, data in edges:
        declare("edge", _scalar(data))

    def data_elements(scope: str, data: dict, indent: str) -> str:
        parts = []
        for name, value in data.items():
            key = keys[(str(name), _xml_type(value), scope)]
            text = str(value)
            parts.append(f'{indent}<data key="{key}">{_text(text)}</data>' if text
                         else f'{indent}<data key="{key}" />')
        return "".join(parts)

    yield f"<?xml version='1.0' encoding='utf-8'?>\n<graphml {_NS}>"
    for (name, xml_type, scope), key in reversed(keys.items()):
        yield (f'\n  <key id="{key}" for="{scope}" attr.name="{_attribute(name)}" '
               f'attr.type="{xml_type}" />')
    directed = "directed" if G.is_directed() else "undirected"
    graph_id = G.graph.get("id")
    head = f'\n  <graph edgedefault="{directed}"'
    if graph_id is not None:
        head += f' id="{_attribute(str(graph_id))}"'
    if not (G.number_of_nodes() or G.number_of_edges() or graph_data):
        yield head + " />\n</graphml>\n"
        return
    yield head + ">"
    for node, data in G.nodes(data=True):
        inner = data_elements("node", _scalar(data), "\n      ")
        ident = _attribute(str(node))
        yield (f'\n    <node id="{ident}">{inner}\n    </node>' if inner
               else f'\n    <node id="{ident}" />')
    edges = (G.edges(keys=True, data=True) if multigraph
             else ((u, v, None, d) for u, v, d in G.edges(data=True)))
    for u, v, k, data in edges:
        inner = data_elements("edge", _scalar(data), "\n      ")
        start = f'\n    <edge source="{_attribute(str(u))}" target="{_attribute(str(v))}"'
        if multigraph:
            start += f' id="{_attribute(str(k))}"'
        yield start + (f">{inner}\n    </edge>" if inner else " />")
    yield data_elements("graph", graph_data, "\n    ")
    yield "\n  </graph>\n</graphml>\n"


def generate_graphml(G: nx.MultiDiGraph) -> str:
    """GraphML text of ``G`` (see :func:`to_graphml_graph`).

    Returns
    -------
    str
    """
    return "\n".join(nx.generate_graphml(to_graphml_graph(G)))


def write_graphml(G: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write ``G`` as GraphML to ``path`` atomically, streaming (:func:`iter_graphml`).

    The file is what ``networkx.write_graphml(to_graphml_graph(G), path)`` writes.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    path : str or Path

    Returns
    -------
    Path

    Raises
    ------
    TypeError
        For an attribute value GraphML cannot hold; the previous file is kept.
    """
    path = Path(path)
    with atomic_write(path, "wb", encoding=None) as f:
        buffer: list[str] = []
        size = 0
        for piece in iter_graphml(G):
            buffer.append(piece)
            size += len(piece)
            if size > 1 << 20:
                f.write("".join(buffer).encode("utf-8", "xmlcharrefreplace"))
                buffer, size = [], 0
        f.write("".join(buffer).encode("utf-8", "xmlcharrefreplace"))
    return path
