"""GraphML: ``graph.graphml`` for Gephi, Cytoscape, yEd and networkx.

GraphML attributes are scalars (http://graphml.graphdrawing.org/specification.html), so
list-valued attributes (``aliases``, ``authors``, ``shared``, …) are written as JSON
strings and ``None`` values are left out.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C function when there is one
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


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # what json.dumps(v, ensure_ascii=False) does
_NONE = type(None)
_PLAIN = {str: "string", int: "long", float: "double", bool: "boolean"}


def _shape(data: dict) -> tuple:
    """What decides how an attribute dict is written: its names and value types."""
    return (tuple(data), tuple(map(type, data.values())))


def _json_text(value: Any) -> str:
    if type(value) is list and all(type(v) is str for v in value):
        # the list's JSON as the encoder writes it: its strings joined by ", "
        return _text("[" + ", ".join(map(encode_basestring, value)) + "]")
    return _text(_ENCODE(value))


class _Plan:
    """How to write the ``<data>`` elements of every attribute dict of one shape
    (:func:`_shape`), or ``None`` in ``convert`` for a shape written value by value."""

    __slots__ = ("positions", "convert", "form")

    def __init__(self, shape: tuple, keys: dict, scope: str, indent: str) -> None:
        names, kinds = shape
        self.positions: list[int] = []
        self.convert: list | None = []
        parts = []
        for i, (name, kind) in enumerate(zip(names, kinds)):
            if kind is _NONE:
                continue
            if kind in (list, tuple, dict):
                xml_type, convert = "string", _json_text
            elif kind in _PLAIN:
                xml_type, convert = _PLAIN[kind], (_text if kind is str else str)
            else:  # numpy scalars and the like: the general path names or refuses them
                self.convert = None
                return
            self.positions.append(i)
            self.convert.append(convert)
            parts.append(f'{indent}<data key="{keys[(str(name), xml_type, scope)]}">{{}}</data>')
        self.form = "".join(parts).replace("{}", "\0").replace("{", "{{").replace(
            "}", "}}").replace("\0", "{}")


def iter_graphml(G: nx.MultiDiGraph) -> Iterator[str]:
    """GraphML text of ``G`` in pieces, many nodes or edges at a time.

    The pieces joined are the bytes ``networkx.write_graphml`` writes (its
    ElementTree writer, pretty-printed) for :func:`to_graphml_graph` of ``G``, without
    building that copy or the XML tree in memory: one pass over the attributes
    numbers the ``<key>`` declarations in the order networkx does (graph, then nodes,
    then edges; listed last first), a second writes the elements. Attribute dicts with
    the same names and value types (one "shape") are written from one template.

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

    def edge_items():
        if multigraph:  # networkx's adjacency, in G.edges(keys=True, data=True) order
            return ((u, v, k, d) for u, nbrs in G._succ.items()
                    for v, edges in nbrs.items() for k, d in edges.items())
        return ((u, v, None, d) for u, v, d in G.edges(data=True))

    declare("graph", graph_data)
    # Declarations: only the first attribute dict of each shape can declare a key.
    shapes: dict[tuple, int] = {}  # shape -> its index in plans
    scopes: list[str] = []
    node_plan: list[int] = []  # per node, then per edge: the index of its shape
    edge_plan: list[int] = []
    for scope, items, sequence in (("node", G.nodes(data=True), node_plan),
                                   ("edge", (d for _, _, _, d in edge_items()), edge_plan)):
        for data in (items if scope == "edge" else (d for _, d in items)):
            shape = (scope, *_shape(data))
            index = shapes.get(shape)
            if index is None:
                index = shapes[shape] = len(shapes)
                scopes.append(scope)
                declare(scope, _scalar(data))
            sequence.append(index)
    indent = "\n      "
    plans = [_Plan(shape[1:], keys, shape[0], indent) for shape in shapes]

    def data_elements(scope: str, data: dict, indent: str) -> str:
        parts = []
        for name, value in data.items():
            key = keys[(str(name), _xml_type(value), scope)]
            text = str(value)
            parts.append(f'{indent}<data key="{key}">{_text(text)}</data>' if text
                         else f'{indent}<data key="{key}" />')
        return "".join(parts)

    def inner(index: int, data: dict) -> str:
        plan = plans[index]
        if plan.convert is not None:
            values = tuple(data.values())
            texts = [convert(values[i]) for i, convert in zip(plan.positions, plan.convert)]
            if "" not in texts:  # an empty value is written <data key=".." />
                return plan.form.format(*texts)
        return data_elements(scopes[index], _scalar(data), indent)

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
    ids: dict[Any, str] = {}  # node -> its id escaped for an attribute
    run: list[str] = []
    for (node, data), index in zip(G.nodes(data=True), node_plan):
        body = inner(index, data)
        ident = ids[node] = _attribute(str(node))
        run.append(f'\n    <node id="{ident}">{body}\n    </node>' if body
                   else f'\n    <node id="{ident}" />')
        if len(run) >= _RUN:
            yield "".join(run)
            run = []
    edge_ids: dict[Any, str] = {}  # edge key -> its id escaped
    for (u, v, k, data), index in zip(edge_items(), edge_plan):
        body = inner(index, data)
        start = f'\n    <edge source="{ids[u]}" target="{ids[v]}"'
        if multigraph:
            ident = edge_ids.get(k) if type(k) is str else None
            if ident is None:
                ident = edge_ids[k] = _attribute(str(k))
            start += f' id="{ident}"'
        run.append(start + (f">{body}\n    </edge>" if body else " />"))
        if len(run) >= _RUN:
            yield "".join(run)
            run = []
    yield "".join(run)
    yield data_elements("graph", graph_data, "\n    ")
    yield "\n  </graph>\n</graphml>\n"


#: Nodes or edges joined into one piece by :func:`iter_graphml`.
_RUN = 5000


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
