"""Focused sub-graphs of a kgraph graph, for drawing: around one entity, around one
paper, or an overview of the most connected part.

Each function returns a sub-graph view copy (a new ``MultiDiGraph`` with the nodes,
edges, attributes and graph attributes of the original), so any export can draw it.
"""

from __future__ import annotations

import heapq
import itertools
from collections import Counter
from typing import Any, Iterable, Iterator

import networkx as nx

from kgraph.graph.analyse import find_entity, find_paper, related_papers
from kgraph.model import PAPER_LABEL, REPORTS, SHARES_ENTITY, EntityType

__all__ = ["focus_entity", "focus_paper", "top_overview", "overview_nodes", "link_degrees"]


def link_degrees(G: nx.MultiDiGraph) -> dict[Any, int]:
    """Number of paper-entity edges at each node (``SHARES_ENTITY`` edges not counted, nor
    ``REPORTS``, which repeat a ``USES_DATASET`` or ``PROPOSES`` link once per result).

    Parameters
    ----------
    G : networkx.MultiDiGraph

    Returns
    -------
    dict
        Node id to degree.
    """
    degree = dict.fromkeys(G, 0)
    multi = G.is_multigraph()
    skip = (SHARES_ENTITY, REPORTS)
    for u, neighbours in G.adjacency():
        out = 0
        for v, edges in neighbours.items():
            if multi:
                n = len(edges)
                for data in edges.values():
                    if data.get("type") in skip:
                        n -= 1
            else:
                n = int(edges.get("type") not in skip)
            out += n
            degree[v] += n
        degree[u] += out
    return degree


def _papers_of(G: nx.MultiDiGraph, node: Any) -> set[Any]:
    return {p for p in nx.all_neighbors(G, node) if G.nodes[p].get("label") == PAPER_LABEL}


def _entities_of(G: nx.MultiDiGraph, paper: Any) -> set[Any]:
    return {e for e in G.successors(paper) if G.nodes[e].get("label") != PAPER_LABEL}


def focus_entity(G: nx.MultiDiGraph, name: str, etype: EntityType | str | None = None
                 ) -> nx.MultiDiGraph:
    """The entity called ``name``, the papers linked to it and the entities they share.

    An entity is kept when at least two of those papers link to it (or, when a single
    paper links to the focus, every entity of that paper).

    Parameters
    ----------
    G : networkx.MultiDiGraph
    name : str
        Canonical name or alias (see :func:`kgraph.graph.find_entity`).
    etype : EntityType or str or None
        Restrict the lookup to one type (``"dataset"``).

    Returns
    -------
    networkx.MultiDiGraph
        The sub-graph (a copy).

    Raises
    ------
    NotFoundError
        No entity has that name; the error carries suggestions.

    Examples
    --------
    >>> from kgraph.graph.build import build_graph
    >>> from kgraph.model import Paper, PaperExtraction, Entity
    >>> coco = Entity(EntityType.DATASET, "COCO", "coco", ["COCO"])
    >>> G = build_graph([PaperExtraction(Paper("a", "A", ""), [coco]),
    ...                  PaperExtraction(Paper("b", "B", ""), [])])
    >>> sorted(focus_entity(G, "coco", "dataset"))
    ['dataset:coco', 'paper:a']
    """
    node = find_entity(G, name, etype)
    papers = _papers_of(G, node)
    uses: Counter = Counter()
    for p in papers:
        uses.update(_entities_of(G, p))
    need = min(2, len(papers))
    keep = {node, *papers, *(e for e, c in uses.items() if c >= need)}
    return G.subgraph(keep).copy()


def focus_paper(G: nx.MultiDiGraph, paper: str, *, related: int = 10) -> nx.MultiDiGraph:
    """The paper, its entities and its most related papers.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    paper : str
        Paper node id, paper id or title (see :func:`kgraph.graph.find_paper`).
    related : int, default 10
        How many related papers (by :func:`kgraph.graph.related_papers`) to add.

    Returns
    -------
    networkx.MultiDiGraph
        The sub-graph (a copy): the related papers come with the entities they share
        with ``paper``, which are among its entities.

    Raises
    ------
    NotFoundError
        Unknown paper.
    ValueError
        If ``related`` is negative.
    """
    if related < 0:
        raise ValueError(f"related must be at least 0, not {related!r}")
    node = find_paper(G, paper)
    keep = {node, *_entities_of(G, node)}
    if related:
        keep.update(r.paper for r in related_papers(G, node, top=related))
    return G.subgraph(keep).copy()


def overview_nodes(G: nx.MultiDiGraph, n: int, *, degree: dict[Any, int] | None = None
                   ) -> set[Any]:
    """The ``n`` nodes of the overview of ``G`` (all nodes when ``G`` is no bigger).

    1. The top ``max(1, n // 4)`` entities by paper-entity degree.
    2. The papers attached to them, those attached to most of them first (then by
       degree), until ``n`` is reached.
    3. If room is left, further entities by degree that attach to a chosen paper.
    4. If room is still left, the remaining nodes by degree.

    Ties are broken by total degree, then node id, so the choice is deterministic.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    n : int
        Most nodes, at least 1.
    degree : dict or None
        :func:`link_degrees` of ``G``, when the caller has it already.

    Returns
    -------
    set
        Node ids.

    Raises
    ------
    ValueError
        If ``n`` is smaller than 1.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n!r}")
    if G.number_of_nodes() <= n:
        return set(G)
    labels = {node: d.get("label") for node, d in G.nodes(data=True)}
    degree = link_degrees(G) if degree is None else degree
    full = _LazyDegrees(G)

    def rank(node: Any) -> tuple:
        return (-degree[node], -full[node], str(node))

    def ranked(nodes: Iterable[Any]) -> Iterator[Any]:
        """``nodes`` sorted by ``rank``, sorting each run of equal ``degree`` only when
        it is reached: the overview rarely reads beyond the first few hundred."""
        by_degree = sorted(nodes, key=degree.__getitem__, reverse=True)
        for _, tied in itertools.groupby(by_degree, key=degree.__getitem__):
            yield from sorted(tied, key=rank)

    entities = ranked(x for x in G if labels[x] != PAPER_LABEL)
    chosen = set(itertools.islice(entities, max(1, n // 4)))
    attached: Counter = Counter()
    for ent in chosen:
        for p in set(nx.all_neighbors(G, ent)):
            if labels[p] == PAPER_LABEL:
                attached[p] += 1
    # heapq.nsmallest(k, ...) is sorted(...)[:k]; the keys are distinct (node ids)
    chosen.update(heapq.nsmallest(max(0, n - len(chosen)), attached,
                                  key=lambda p: (-attached[p], *rank(p))))
    for ent in entities:  # those after the top ones (which are all chosen)
        if len(chosen) >= n:
            break
        if ent not in chosen and any(p in chosen for p in nx.all_neighbors(G, ent)):
            chosen.add(ent)
    if len(chosen) < n:
        rest = ranked(x for x in G if x not in chosen)
        chosen.update(itertools.islice(rest, n - len(chosen)))
    return chosen


class _LazyDegrees(dict):
    """Node id -> ``G.degree(node)`` (every edge, in and out), each worked out from the
    adjacency dicts when first asked for."""

    def __init__(self, G: nx.MultiDiGraph) -> None:
        super().__init__()
        self.G = G

    def __missing__(self, node: Any) -> int:
        G = self.G
        if G.is_multigraph():
            value = (sum(map(len, G._succ[node].values()))
                     + sum(map(len, G._pred[node].values())))
        else:
            value = G.degree(node)
        self[node] = value
        return value


def top_overview(G: nx.MultiDiGraph, n: int = 300) -> nx.MultiDiGraph:
    """The overview sub-graph of :func:`overview_nodes`: top entities and their papers.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    n : int, default 300
        Most nodes, at least 1.

    Returns
    -------
    networkx.MultiDiGraph
        The sub-graph (a copy).

    Raises
    ------
    ValueError
        If ``n`` is smaller than 1.
    """
    return G.subgraph(overview_nodes(G, n)).copy()
