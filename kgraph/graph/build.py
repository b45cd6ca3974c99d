"""Build the knowledge graph from extractions.

The graph is a networkx ``MultiDiGraph`` whose schema is written down in
``kgraph/graph/SCHEMA.md``: Paper nodes, one node per entity (merged across papers),
one edge per (paper, entity, relationship), one ``REPORTS`` edge per numeric result
measured on a known dataset (:func:`add_result_edges`), and weighted ``SHARES_ENTITY``
edges between papers (:mod:`kgraph.graph.link`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Iterable

import networkx as nx

from kgraph import __version__
from kgraph.canonical import canonical_key, versions_differ
from kgraph.model import (PAPER_LABEL, PROPOSES, REPORTS, Entity, EntityType,
                          PaperExtraction)

__all__ = ["build_graph", "paper_node", "entity_node", "merge_entities", "reports_key",
           "add_result_edges"]


def paper_node(paper_id: str) -> str:
    """Node id of a paper.

    Examples
    --------
    >>> paper_node("2503.11731")
    'paper:2503.11731'
    """
    return f"paper:{paper_id}"


def entity_node(etype: EntityType, key: str) -> str:
    """Node id of an entity.

    Examples
    --------
    >>> entity_node(EntityType.DATASET, "imagenet1k")
    'dataset:imagenet1k'
    """
    return f"{etype.value}:{key}"


def _alias_keys(ent: Entity) -> set[str]:
    if ent.type in (EntityType.REPOSITORY, EntityType.URL):
        return {ent.key}
    keys = {ent.key, canonical_key(ent.name)} | {canonical_key(a) for a in ent.aliases}
    keys.discard("")
    return keys


def _name_key(ent: Entity) -> str:
    """Merge key of an entity's canonical name (a URL is its own key)."""
    if ent.type in (EntityType.REPOSITORY, EntityType.URL):
        return ent.key
    return canonical_key(ent.name) or ent.key


def _shared_within(ex: PaperExtraction) -> set[tuple[EntityType, str]]:
    """Alias keys that several entities of one type of this paper claim (``CIFAR-10/100``)."""
    seen: Counter = Counter()
    for ent in ex.entities:
        seen.update((ent.type, k) for k in _alias_keys(ent))
    return {k for k, n in seen.items() if n > 1}


def merge_entities(extractions: Iterable[PaperExtraction]) -> dict[tuple[EntityType, str], str]:
    """Decide which entities of different papers are one graph node.

    Entities of one type are merged when they share any alias key (the merge key of
    their canonical name or of any surface string; see
    :mod:`kgraph.canonical`), transitively (union-find), with two exceptions (rule 4
    of :mod:`kgraph.canonical`): an alias several entities of one paper share (the
    slash list ``CIFAR-10/100``) merges nothing, and no merge joins two names that are
    versions of each other (:func:`kgraph.canonical.versions_differ`: ``CIFAR-10`` and
    ``CIFAR-100``). The node's key is the key of the most frequent canonical name in
    the group (ties: the shortest, then the smallest).

    Parameters
    ----------
    extractions : iterable of PaperExtraction

    Returns
    -------
    dict
        ``(type, alias key) -> node key`` for every alias key that merges.

    Examples
    --------
    >>> from kgraph.model import Paper
    >>> a = PaperExtraction(Paper("a", "A", ""), [Entity(EntityType.METRIC, "FID", "fid",
    ...     ["Fréchet Inception Distance", "FID"])])
    >>> b = PaperExtraction(Paper("b", "B", ""), [Entity(EntityType.METRIC,
    ...     "Frechet Inception Distance", "frechetinceptiondistance", ["Frechet Inception Distance"])])
    >>> m = merge_entities([a, b])
    >>> m[(EntityType.METRIC, "frechetinceptiondistance")]
    'fid'
    """
    parent: dict[tuple[EntityType, str], tuple[EntityType, str]] = {}
    versions: dict[tuple[EntityType, str], set[str]] = defaultdict(set)

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a, b) -> None:
        ra, rb = find(a), find(b)
        if ra == rb:
            return
        if any(versions_differ(x, y) for x in versions[ra] for y in versions[rb]):
            return
        keep, drop = min(ra, rb), max(ra, rb)
        parent[drop] = keep
        versions[keep] |= versions.pop(drop, set())

    extractions = list(extractions)
    for ex in extractions:  # every name first, so no alias can merge versions unseen
        for ent in ex.entities:
            versions[find((ent.type, ent.key))] |= {ent.key, _name_key(ent)}
    names: dict[tuple[EntityType, str], Counter] = defaultdict(Counter)
    for ex in extractions:
        ambiguous = _shared_within(ex)
        for ent in ex.entities:
            own = (ent.type, ent.key)
            for k in sorted(_alias_keys(ent)):
                if (ent.type, k) not in ambiguous:
                    union(own, (ent.type, k))
            names[own][_name_key(ent)] += 1
    votes: dict[tuple[EntityType, str], Counter] = defaultdict(Counter)
    for (etype, key), counter in names.items():
        votes[find((etype, key))].update(counter)
    result = {}
    for node in list(parent):
        root = find(node)
        counter = votes.get(root)
        if counter:
            best = min(counter, key=lambda k: (-counter[k], len(k), k))
        else:
            best = root[1]
        result[node] = best
    return result


def reports_key(start: int) -> str:
    """Edge key of a ``REPORTS`` edge: the type and the result's offset in the paper.

    A paper may report several results on one dataset, so ``REPORTS`` edges are told
    apart by the character offset of their number (unique within a paper).

    Examples
    --------
    >>> reports_key(812)
    'REPORTS:812'
    """
    return f"{REPORTS}:{start}"


def add_result_edges(G: nx.MultiDiGraph, extractions: Iterable[PaperExtraction],
                     keymap: dict[tuple[EntityType, str], str]) -> int:
    """Add a ``REPORTS`` edge, Paper -> Dataset, for every result measured on a dataset.

    A result whose dataset is unknown stays in ``extractions.jsonl`` only: its metric
    is already linked to the paper by ``EVALUATES_WITH``, and an edge to nothing would
    say nothing more. Metric and method are stored by the names and keys of their
    graph nodes (merged across papers), so the edge agrees with the nodes.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph whose paper and entity nodes are built (names final).
    extractions : iterable of PaperExtraction
        The extractions the graph was built from.
    keymap : dict
        :func:`merge_entities` of the same extractions.

    Returns
    -------
    int
        Number of edges added. Each has ``type`` ``"REPORTS"``, ``value`` (float),
        ``unit`` (str, ``""`` for a plain number), ``kind`` (``"absolute"`` or
        ``"improvement"``), ``metric``/``metric_key`` and ``method``/``method_key``
        (str or None), ``text`` (the number as written), ``span_start``, ``span_end``
        and ``sentence`` (int: the provenance in the paper's text), under the edge key
        :func:`reports_key`.
    """
    added = 0
    for ex in extractions:
        pnode = paper_node(ex.paper.id)
        by_name = {(e.type, e.name): e for e in ex.entities}

        def node_of(etype: EntityType, name: str | None) -> str | None:
            ent = by_name.get((etype, name)) if name else None
            if ent is None:
                return None
            node = entity_node(etype, keymap.get((etype, ent.key), ent.key))
            return node if node in G else None

        for r in ex.results:
            dnode = node_of(EntityType.DATASET, r.dataset)
            if dnode is None:
                continue
            mnode = node_of(EntityType.METRIC, r.metric)
            xnode = node_of(EntityType.METHOD, r.method)
            G.add_edge(pnode, dnode, key=reports_key(r.start), type=REPORTS,
                       value=float(r.value), unit=r.unit, kind=r.kind,
                       metric=G.nodes[mnode]["name"] if mnode else None,
                       metric_key=G.nodes[mnode]["key"] if mnode else None,
                       method=G.nodes[xnode]["name"] if xnode else None,
                       method_key=G.nodes[xnode]["key"] if xnode else None,
                       text=r.text, span_start=r.start, span_end=r.end, sentence=r.sentence)
            added += 1
    return added


def build_graph(extractions: Iterable[PaperExtraction], *, link: bool = True) -> nx.MultiDiGraph:
    """Build the kgraph knowledge graph.

    Parameters
    ----------
    extractions : iterable of PaperExtraction
        One per (deduplicated) paper.
    link : bool
        Add ``SHARES_ENTITY`` edges (:func:`kgraph.graph.link.add_shared_entity_edges`).

    Returns
    -------
    networkx.MultiDiGraph
        Schema in ``kgraph/graph/SCHEMA.md``. Entity nodes carry ``name`` (the
        canonical name most papers used), ``aliases`` (every surface string) and
        ``papers`` (number of papers linked); results on a dataset are ``REPORTS``
        edges (:func:`add_result_edges`).

    Examples
    --------
    >>> from kgraph.model import Paper
    >>> ex = [PaperExtraction(Paper(i, f"Paper {i}", ""), [Entity(EntityType.DATASET,
    ...       "COCO", "coco", ["MS COCO"])]) for i in ("a", "b")]
    >>> G = build_graph(ex)
    >>> sorted(G.nodes), G.nodes["dataset:coco"]["papers"]
    (['dataset:coco', 'paper:a', 'paper:b'], 2)
    """
    extractions = list(extractions)
    keymap = merge_entities(extractions)
    G = nx.MultiDiGraph(name="kgraph", kgraph_version=__version__, papers=len(extractions))
    names: dict[str, Counter] = defaultdict(Counter)
    aliases: dict[str, dict[str, None]] = defaultdict(dict)
    for ex in extractions:
        p = ex.paper
        pnode = paper_node(p.id)
        G.add_node(pnode, label=PAPER_LABEL, name=p.title, id=p.id, title=p.title,
                   abstract=p.abstract, url=p.url, authors=list(p.authors), date=p.date,
                   categories=list(p.categories), sources=[str(s) for s in p.sources])
        for ent in ex.entities:
            key = keymap.get((ent.type, ent.key), ent.key)
            enode = entity_node(ent.type, key)
            if enode not in G:
                G.add_node(enode, label=ent.type.label, name=ent.name, key=key)
            names[enode][ent.name] += 1
            for a in ent.aliases:
                aliases[enode][a] = None
            rel = PROPOSES if ent.proposed else ent.type.relationship
            if G.has_edge(pnode, enode, key=rel):
                data = G.edges[pnode, enode, rel]
                data["count"] += len(ent.mentions)
                data["aliases"] = list(dict.fromkeys(data["aliases"] + ent.aliases))
                if ent.mentions:
                    data["sentence"] = min(data["sentence"], ent.mentions[0].sentence)
                continue
            G.add_edge(pnode, enode, key=rel, type=rel, count=len(ent.mentions),
                       aliases=list(ent.aliases),
                       sentence=ent.mentions[0].sentence if ent.mentions else 0)
    for enode, counter in names.items():
        data = G.nodes[enode]
        data["name"] = min(counter, key=lambda n: (-counter[n], n))
        data["aliases"] = sorted(aliases[enode])
        data["papers"] = sum(1 for _ in G.predecessors(enode))
    add_result_edges(G, extractions, keymap)
    if link:
        from kgraph.graph.link import add_shared_entity_edges

        add_shared_entity_edges(G)
    return G
