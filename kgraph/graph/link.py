"""Link papers through the entities they share: the weighted ``SHARES_ENTITY`` relation.

Weight
------
Two papers ``p`` and ``q`` that share the entities ``E(p) ∩ E(q)`` get

.. math:: w(p, q) = \\sum_{e \\in E(p) \\cap E(q)} \\log \\frac{N}{df(e)}

where ``N`` is the number of papers and ``df(e)`` the number of papers linked to
``e``: the inverse document frequency of Spärck Jones [1]_. A dataset used by 3 of 316
papers adds log(316/3) ≈ 4.66; "Transformer" used by 100 adds log(316/100) ≈ 1.15; an
entity every paper has adds 0. This is the weighted projection of the paper–entity
bipartite graph (cf. ``networkx.algorithms.bipartite.weighted_projected_graph``) with
idf weights instead of counts.

Entities linked to more than ``max_df`` papers add almost nothing to a weight and
would create ``df²/2`` edges each, so they are left out of the relation (they still
link papers through their own nodes); :func:`kgraph.graph.analyse.related_papers`
computes the exact ranking on demand.

References
----------
.. [1] K. Spärck Jones, "A statistical interpretation of term specificity and its
   application in retrieval", Journal of Documentation 28(1), 1972.
"""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx

from kgraph.model import PAPER_LABEL, SHARES_ENTITY

__all__ = ["idf", "add_shared_entity_edges", "DEFAULT_MAX_DF", "LINK_LABELS"]

#: Entities used by more papers than this do not make SHARES_ENTITY edges.
DEFAULT_MAX_DF = 500

#: Node labels whose entities link papers.
LINK_LABELS = frozenset({"Dataset", "Method", "Metric", "Task", "Repository"})


def idf(n_papers: int, df: int) -> float:
    """Inverse document frequency ``log(N / df)`` (natural log; 0 when df ≥ N).

    Parameters
    ----------
    n_papers : int
        N, the number of papers (≥ 1).
    df : int
        Number of papers linked to the entity (≥ 1).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        When ``df`` or ``n_papers`` is below 1.

    Examples
    --------
    >>> round(idf(316, 3), 2), round(idf(316, 100), 2), idf(10, 10)
    (4.66, 1.15, 0.0)
    """
    if n_papers < 1 or df < 1:
        raise ValueError("n_papers and df must be at least 1")
    return max(0.0, math.log(n_papers / df))


def add_shared_entity_edges(G: nx.MultiDiGraph, *, max_df: int = DEFAULT_MAX_DF) -> int:
    """Add (or replace) the ``SHARES_ENTITY`` edges of ``G`` in place.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A kgraph graph (``kgraph/graph/SCHEMA.md``).
    max_df : int
        Entities linked to more papers than this are skipped (see the module).

    Returns
    -------
    int
        Number of ``SHARES_ENTITY`` edges added; each goes from the smaller paper node
        id to the larger, with ``weight`` (float, rounded to 6 decimals) and ``shared``
        (entity node ids, highest idf first, then by id).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> for p in "abc":
    ...     G.add_node(f"paper:{p}", label="Paper")
    >>> G.add_node("dataset:x", label="Dataset")
    >>> for p in "ab":
    ...     _ = G.add_edge(f"paper:{p}", "dataset:x", key="USES_DATASET")
    >>> add_shared_entity_edges(G)
    1
    >>> round(G.edges["paper:a", "paper:b", "SHARES_ENTITY"]["weight"], 3)
    0.405
    """
    stale = [(u, v, k) for u, v, k in G.edges(keys=True) if k == SHARES_ENTITY]
    G.remove_edges_from(stale)
    papers = [n for n, d in G.nodes(data=True) if d.get("label") == PAPER_LABEL]
    n = max(1, len(papers))
    pairs: dict[tuple[str, str], list[tuple[float, str]]] = defaultdict(list)
    for node, data in G.nodes(data=True):
        if data.get("label") not in LINK_LABELS:
            continue
        users = sorted({u for u in G.predecessors(node) if G.nodes[u].get("label") == PAPER_LABEL})
        if len(users) < 2 or len(users) > max_df:
            continue
        w = idf(n, len(users))
        if w <= 0:
            continue
        for i, a in enumerate(users):
            for b in users[i + 1:]:
                pairs[(a, b)].append((w, node))
    for (a, b), shared in pairs.items():
        shared.sort(key=lambda x: (-x[0], x[1]))
        G.add_edge(a, b, key=SHARES_ENTITY, type=SHARES_ENTITY,
                   weight=round(sum(w for w, _ in shared), 6), shared=[e for _, e in shared])
    return len(pairs)
