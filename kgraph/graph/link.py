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

Bounds
------
The projection grows with the square of document frequencies: on 74,668 arXiv
abstracts it has 9.9 million pairs (8.8 GB as networkx edges). Two bounds keep it
linear in the number of papers:

- *df-cut*: entities linked to more than ``max_df`` papers are left out of the
  relation (they still link papers through their own nodes). They add little to a
  weight and most of the pairs; dropping the most frequent terms is the standard way
  to make all-pairs document similarity tractable [2]_.
- *top-k*: each paper keeps its ``top_k`` strongest links (highest weight, then
  smallest node id); a link stays when it is among the strongest of either of its
  papers, so a paper keeps every link when it has no more than ``top_k``, and the
  relation has at most ``top_k × N`` links: the k-nearest-neighbour graph of the
  weighted projection, the usual sparsification of a similarity graph [3]_. The
  default ``top_k`` is ``max(MIN_TOP_K, ⌈LINK_BUDGET / N⌉)``: a corpus of up to a few
  thousand papers keeps its whole projection (the 316 seed papers, whose busiest paper
  has 193 links, keep all of theirs), a large one at least the ``MIN_TOP_K`` strongest
  links of every paper (as many as ``graph.html`` draws per paper).

:func:`kgraph.graph.analyse.related_papers` does not read this relation: it ranks a
paper's neighbours exactly, from the paper–entity edges, every entity included.

References
----------
.. [1] K. Spärck Jones, "A statistical interpretation of term specificity and its
   application in retrieval", Journal of Documentation 28(1), 1972.
.. [2] T. Elsayed, J. Lin and D. W. Oard, "Pairwise Document Similarity in Large
   Collections with MapReduce", Proceedings of ACL-08: HLT, Short Papers, 2008
   (the "df-cut").
.. [3] U. von Luxburg, "A tutorial on spectral clustering", Statistics and Computing
   17(4), 2007, section 2.2 (the k-nearest-neighbour graph).
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import networkx as nx
import numpy as np

from kgraph.model import PAPER_LABEL, SHARES_ENTITY

__all__ = ["idf", "add_shared_entity_edges", "default_top_k", "DEFAULT_MAX_DF", "MIN_TOP_K",
           "LINK_BUDGET", "LINK_LABELS"]

#: Entities used by more papers than this do not make SHARES_ENTITY edges (the df-cut).
DEFAULT_MAX_DF = 500

#: Links every paper keeps at least (its strongest), whatever the corpus size.
MIN_TOP_K = 5

#: Links per paper are ``LINK_BUDGET / N`` when that is more than :data:`MIN_TOP_K`:
#: small corpora keep their whole projection.
LINK_BUDGET = 200_000

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


def default_top_k(n_papers: int) -> int:
    """The default ``top_k`` of :func:`add_shared_entity_edges` for ``n_papers`` papers.

    Returns
    -------
    int
        ``max(MIN_TOP_K, ceil(LINK_BUDGET / n_papers))``.

    Examples
    --------
    >>> default_top_k(316), default_top_k(10_000), default_top_k(74_668)
    (633, 20, 5)
    """
    return max(MIN_TOP_K, -(-LINK_BUDGET // max(1, n_papers)))


def _shared_entities(G: nx.MultiDiGraph, index: dict[str, int], n: int, max_df: int
                     ) -> tuple[list[str], list[float], list[np.ndarray]]:
    """Linking entities in node order: node ids, idf and the sorted paper indices."""
    names, weights, users_of = [], [], []
    for node, data in G.nodes(data=True):
        if data.get("label") not in LINK_LABELS:
            continue
        users = sorted({index[u] for u in G.predecessors(node) if u in index})
        if len(users) < 2 or len(users) > max_df:
            continue
        w = idf(n, len(users))
        if w <= 0:
            continue
        names.append(node)
        weights.append(w)
        users_of.append(np.asarray(users, dtype=np.int64))
    return names, weights, users_of


def add_shared_entity_edges(G: nx.MultiDiGraph, *, max_df: int = DEFAULT_MAX_DF,
                            top_k: int | None = None) -> int:
    """Add (or replace) the ``SHARES_ENTITY`` edges of ``G`` in place.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A kgraph graph (``kgraph/graph/SCHEMA.md``).
    max_df : int
        Entities linked to more papers than this are skipped (the df-cut).
    top_k : int or None
        Links kept per paper (see the module); ``None`` for :func:`default_top_k`.

    Returns
    -------
    int
        Number of ``SHARES_ENTITY`` edges added; each goes from the smaller paper node
        id to the larger, with ``weight`` (float, rounded to 6 decimals) and ``shared``
        (entity node ids, highest idf first, then by id). Edges are added in the order
        the pairs first occur when the entities are taken in node order and each
        entity's papers in id order.

    Raises
    ------
    ValueError
        When ``top_k`` is below 1.

    Notes
    -----
    The pairs are enumerated with numpy: one row per (pair, shared entity), sorted by
    pair; time and memory grow with :math:`\\sum_e df(e)^2` over the entities kept by
    the df-cut (10 million rows for the 74,668-abstract corpus), and the edges added
    with ``top_k × N``.

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
    if top_k is not None and top_k < 1:
        raise ValueError(f"top_k must be at least 1, not {top_k!r}")
    stale = [(u, v, k) for u, v, k in G.edges(keys=True) if k == SHARES_ENTITY]
    G.remove_edges_from(stale)
    papers = sorted(n for n, d in G.nodes(data=True) if d.get("label") == PAPER_LABEL)
    n = max(1, len(papers))
    k = default_top_k(n) if top_k is None else top_k
    index = {p: i for i, p in enumerate(papers)}
    names, weights, users_of = _shared_entities(G, index, n, max_df)
    if not names:
        return 0
    a, b, starts, ents = _pair_rows(names, weights, users_of, n)
    pair_w = _sequential_sums(np.asarray(weights)[ents], starts)
    kept = np.flatnonzero(_top_k(a, b, pair_w, n, k))
    lo = starts[kept]
    hi = np.append(starts, len(ents))[kept + 1]
    del starts
    # The shared entities of the kept pairs, flat, and the first in node order of each.
    lengths = hi - lo
    flat = ents[np.repeat(lo - np.cumsum(lengths) + lengths, lengths)
                + np.arange(int(lengths.sum()))]
    del ents
    bounds = np.cumsum(lengths) - lengths
    first = np.minimum.reduceat(flat, bounds) if len(flat) else flat
    # Edges in the order their pairs are first met (entity in node order, then a, b).
    order = np.lexsort((b[kept], a[kept], first))
    shared = np.asarray(names, dtype=object)[flat].tolist()
    paper_ids = np.asarray(papers, dtype=object)
    cuts = np.append(bounds, len(flat))
    from kgraph.graph.build import insert_edges

    insert_edges(G, (
        (u, v, SHARES_ENTITY, {"type": SHARES_ENTITY, "weight": round(w, 6),
                               "shared": shared[i:j]})
        for u, v, w, i, j in zip(paper_ids[a[kept][order]].tolist(),
                                 paper_ids[b[kept][order]].tolist(),
                                 pair_w[kept][order].tolist(),
                                 cuts[:-1][order].tolist(), cuts[1:][order].tolist())))
    return len(kept)


def _pair_rows(names: list[str], weights: list[float], users_of: list[np.ndarray], n: int
               ) -> tuple[np.ndarray, ...]:
    """Every pair of papers sharing an entity, and the entities each shares.

    Returns ``(a, b, starts, ents)``: the two paper indices of each pair (``a < b``,
    pairs in that order); ``ents`` holds the shared entities (node-order indices) of
    all pairs, pair after pair, ``starts`` marking where each pair's begin, each pair's
    by idf (highest first), then node id. Index arrays are int32 where they fit: the
    rows number ``sum(df * (df - 1) / 2)`` (10 million on 74,668 abstracts).
    """
    n_ent = len(names)
    by_idf = sorted(range(n_ent), key=lambda j: (-weights[j], names[j]))
    rank_of = np.empty(n_ent, dtype=np.int64)
    rank_of[by_idf] = np.arange(n_ent)
    # One int64 per (pair, entity): (a * n + b) * n_ent + rank of the entity; sorting
    # these sorts by pair, then entity.
    if n * n * n_ent >= 2 ** 63:
        raise ValueError(f"{n} papers and {n_ent} entities are too many for the "
                         "SHARES_ENTITY relation")
    triu: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    keys = []
    for j, users in enumerate(users_of):
        d = len(users)
        if d not in triu:
            ti, tj = np.triu_indices(d, 1)
            triu[d] = ti.astype(np.int64), tj.astype(np.int64)
        ti, tj = triu[d]
        key = users[ti]
        key *= n
        key += users[tj]
        key *= n_ent
        key += rank_of[j]
        keys.append(key)
    rows = np.concatenate(keys)
    del keys
    _sort(rows)
    pair = rows // n_ent
    rows %= n_ent  # now the entity ranks
    small = np.int32 if max(n, n_ent) < 2 ** 31 else np.int64
    ents = np.asarray(by_idf, dtype=small)[rows]
    del rows
    boundary = np.empty(len(pair), dtype=bool)
    boundary[:1] = True
    np.not_equal(pair[1:], pair[:-1], out=boundary[1:])
    starts = np.flatnonzero(boundary)
    del boundary
    pair = pair[starts]
    a, b = (x.astype(small) for x in np.divmod(pair, n))
    return a, b, starts, ents


def _sequential_sums(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """The sum of each segment ``values[starts[i]:starts[i + 1]]``, added left to right
    as Python's ``sum`` adds (numpy's own reductions add pairwise, which can differ in
    the last bit)."""
    lengths = np.diff(np.append(starts, len(values)))
    sums = values[starts]  # 0 + x == x exactly
    live = np.flatnonzero(lengths > 1)
    for t in range(1, int(lengths.max(initial=0))):
        live = live[lengths[live] > t]
        sums[live] += values[starts[live] + t]
    return sums


#: Directed (paper, pair) entries ranked at a time by :func:`_top_k`, to bound memory.
_TOP_K_BLOCK = 2_000_000


def _top_k(a: np.ndarray, b: np.ndarray, w: np.ndarray, n: int, k: int) -> np.ndarray:
    """Which pairs are among the ``k`` strongest of either paper: weight (in millionths)
    down, then the other paper's index up. Returns a boolean mask over the pairs.

    Each pair is an entry for both its papers; the entries are ranked a block of papers
    at a time (about :data:`_TOP_K_BLOCK` entries), so memory stays bounded.
    """
    n_pairs = len(a)
    counts = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
    if counts.max(initial=0) <= k:
        return np.ones(n_pairs, dtype=bool)
    weakness = np.rint(w * 1e6).astype(np.int64)
    top = int(weakness.max(initial=0)) + 1
    np.subtract(top, weakness, out=weakness)  # 1 = strongest
    fits = n * n * (top + 1) < 2 ** 63
    keep = np.zeros(n_pairs, dtype=bool)
    if fits:  # the pairs' codes a * n + b, ascending (see _pair_rows)
        codes = a.astype(np.int64) * n + b
    cumulative = np.cumsum(counts)
    blocks, lo_paper = [], 0
    while lo_paper < n:
        base = cumulative[lo_paper - 1] if lo_paper else 0
        hi_paper = int(np.searchsorted(cumulative, base + _TOP_K_BLOCK, side="right"))
        hi_paper = min(n, max(hi_paper, lo_paper + 1))
        blocks.append((lo_paper, hi_paper))
        lo_paper = hi_paper

    def rank_block(lo_paper: int, hi_paper: int) -> None:
        in_a = np.flatnonzero((a >= lo_paper) & (a < hi_paper))
        in_b = np.flatnonzero((b >= lo_paper) & (b < hi_paper))
        pair_id = np.concatenate([in_a, in_b])
        end = np.concatenate([a[in_a], b[in_b]]).astype(np.int64)
        other = np.concatenate([b[in_a], a[in_b]]).astype(np.int64)
        if fits:
            # Sort the packed (end, weakness, other) keys themselves, which is faster than
            # ordering the entries by them, and find each kept entry's pair by its code.
            key = end * (top + 1) + weakness[pair_id]
            key *= n
            key += other
            del pair_id, other
            key.sort()
            end = key // ((top + 1) * n)
        else:
            order = np.lexsort((other, weakness[pair_id], end))
            end = end[order]
            pair_id = pair_id[order]
            del order, other
        positions = np.arange(len(end))
        group_start = np.maximum.accumulate(
            np.where(np.append(True, end[1:] != end[:-1]), positions, 0))
        chosen = positions - group_start < k
        if fits:
            key = key[chosen]
            ends, others = end[chosen], key % n
            del key
            keep[np.searchsorted(codes, np.minimum(ends, others) * n
                                 + np.maximum(ends, others))] = True
        else:
            keep[pair_id[chosen]] = True

    # The blocks are independent numpy work, which runs without the GIL: two at a time.
    # (Each sets some entries of ``keep`` to True; the result is the same in any order.)
    if len(blocks) == 1:
        rank_block(*blocks[0])
    else:
        with ThreadPoolExecutor(_THREADS, thread_name_prefix="kgraph-link") as pool:
            for done in [pool.submit(rank_block, lo, hi) for lo, hi in blocks]:
                done.result()
    return keep


#: Threads of the numpy work of :func:`add_shared_entity_edges` (sorting, ranking).
_THREADS = 2


def _sort(values: np.ndarray) -> None:
    """Sort a large 1-d array in place, its two halves on two threads (numpy sorts
    without the GIL), then merged by one pass of numpy's stable sort (timsort, which
    finds the two sorted runs). The sorted values are those of ``values.sort()``."""
    if len(values) < 1_000_000:
        values.sort()
        return
    half = len(values) // 2
    with ThreadPoolExecutor(_THREADS, thread_name_prefix="kgraph-link") as pool:
        for done in [pool.submit(np.ndarray.sort, part) for part in (values[:half],
                                                                    values[half:])]:
            done.result()
    values.sort(kind="stable")
