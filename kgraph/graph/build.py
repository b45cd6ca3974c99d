"""Build the knowledge graph from extractions.

The graph is a networkx ``MultiDiGraph`` whose schema is written down in
``kgraph/graph/SCHEMA.md``: Paper nodes, one node per entity (merged across papers),
one edge per (paper, entity, relationship), one ``REPORTS`` edge per numeric result
measured on a known dataset (:func:`add_result_edges`), and weighted ``SHARES_ENTITY``
edges between papers (:mod:`kgraph.graph.link`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, Iterable, NamedTuple, Sequence, Union

import networkx as nx

from kgraph import __version__
from kgraph.canonical import canonical_key, versions_differ
from kgraph.model import (PAPER_LABEL, PROPOSES, REPORTS, Entity, EntityType, Paper,
                          PaperExtraction, Result)

__all__ = ["build_graph", "GraphBuilder", "paper_node", "entity_node", "merge_entities",
           "file_order", "GraphEntity", "graph_entities", "reports_key", "add_result_edges",
           "insert_edges"]


class GraphEntity(NamedTuple):
    """What the graph keeps of an extracted entity: everything but the mentions' spans.

    A compact stand-in for :class:`~kgraph.model.Entity` (a tuple of strings and
    numbers), cheap to send between processes and to keep for every paper of a large
    corpus; :func:`graph_entities` makes them.

    Attributes
    ----------
    type : EntityType
    name, key : str
        Canonical name and merge key.
    aliases : tuple of str
        Surface strings, in order of first appearance.
    proposed : bool
    count : int
        Number of mentions.
    sentence : int or None
        Sentence of the first mention (``None`` without mentions).
    """

    type: EntityType
    name: str
    key: str
    aliases: tuple[str, ...]
    proposed: bool
    count: int
    sentence: int | None


def graph_entities(entities: Iterable[Entity]) -> tuple[GraphEntity, ...]:
    """The :class:`GraphEntity` of each entity, in :func:`file_order`.

    Parameters
    ----------
    entities : iterable of Entity

    Returns
    -------
    tuple of GraphEntity

    Examples
    --------
    >>> from kgraph.model import Mention
    >>> e = Entity(EntityType.DATASET, "COCO", "coco", ["MS COCO"],
    ...            [Mention("MS COCO", 10, 17, 1, "gazetteer")])
    >>> graph_entities([e])
    (GraphEntity(type=<EntityType.DATASET: 'dataset'>, name='COCO', key='coco', \
aliases=('MS COCO',), proposed=False, count=1, sentence=1),)
    """
    return tuple(GraphEntity(e.type, e.name, e.key, tuple(e.aliases), e.proposed,
                             len(e.mentions), e.mentions[0].sentence if e.mentions else None)
                 for e in file_order(entities))


#: What :func:`build_graph` takes per paper: an extraction, or a paper with its entities
#: already reduced by :func:`graph_entities` (and, optionally, its results).
GraphInput = Union[PaperExtraction, tuple[Paper, Sequence[GraphEntity]],
                   tuple[Paper, Sequence[GraphEntity], Sequence[Result]]]


def _as_record(item: GraphInput) -> tuple[Paper, Sequence[GraphEntity], Sequence[Result]]:
    if isinstance(item, PaperExtraction):
        return item.paper, graph_entities(item.entities), tuple(item.results)
    if len(item) == 2:
        return item[0], item[1], ()
    return item


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


class _Keys(dict):
    """canonical_key, memoised: a corpus names the same things over and over."""

    def __missing__(self, text: str) -> str:
        key = self[text] = canonical_key(text)
        return key


def _alias_keys(ent: Entity | GraphEntity, keys_of: _Keys) -> set[str]:
    if ent.type in (EntityType.REPOSITORY, EntityType.URL):
        return {ent.key}
    keys = {ent.key, keys_of[ent.name]} | {keys_of[a] for a in ent.aliases}
    keys.discard("")
    return keys


def _name_key(ent: Entity | GraphEntity, keys_of: _Keys) -> str:
    """Merge key of an entity's canonical name (a URL is its own key)."""
    if ent.type in (EntityType.REPOSITORY, EntityType.URL):
        return ent.key
    return keys_of[ent.name] or ent.key


_TYPE_ORDER = {t: i for i, t in enumerate(EntityType)}


def file_order(entities: Iterable[Entity]) -> list[Entity]:
    """Entities in the order ``extractions.jsonl`` holds them: by type (the order of
    :class:`~kgraph.model.EntityType`), then as given.

    The graph is built in this order, so a graph rebuilt from ``extractions.jsonl``
    (or from the entities an incremental build kept) equals the one built from fresh
    extractions, node for node and byte for byte once written.

    Parameters
    ----------
    entities : iterable of Entity

    Returns
    -------
    list of Entity
        A stable sort of ``entities``.

    Examples
    --------
    >>> ents = [Entity(EntityType.METRIC, "FID", "fid"), Entity(EntityType.METHOD, "GAN", "gan")]
    >>> [e.name for e in file_order(ents)]
    ['GAN', 'FID']
    """
    return sorted(entities, key=lambda e: _TYPE_ORDER[e.type])


def merge_entities(extractions: Iterable[GraphInput]) -> dict[tuple[EntityType, str], str]:
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
    extractions : iterable of PaperExtraction or (Paper, sequence of GraphEntity)

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
    merger = _Merger()
    for item in extractions:
        merger.add(item.entities if isinstance(item, PaperExtraction) else item[1])
    return merger.keymap()


class _Merger:
    """:func:`merge_entities`, fed one paper at a time.

    :meth:`add` does what depends on one paper only (the merge keys of its entities'
    names and aliases, the unions it asks for, the votes for names); :meth:`keymap`
    the rest, once every paper is in. Every name's versions are recorded before the
    first union (so no alias can merge versions unseen), and the unions are made in the
    order the papers asked for them: the result is :func:`merge_entities`'s.
    """

    def __init__(self) -> None:
        self.parent: dict[tuple[EntityType, str], tuple[EntityType, str]] = {}
        self.versions: dict[tuple[EntityType, str], set[str]] = defaultdict(set)
        self.keys_of = _Keys()
        # (type, name, key, aliases) -> what merging needs of such an entity: its own
        # (type, key), the (type, alias key) it claims, those it unites with (all but
        # its own) and its name's key. A corpus names the same entities in the same
        # words over and over, so each is worked out once.
        self.known: dict[tuple, tuple] = {}
        self.names: dict[tuple[EntityType, str], Counter] = defaultdict(Counter)
        # A union that was asked for once has nothing more to do: sets only grow, and a
        # pair refused for its versions stays refused.
        self.tried: set[tuple] = set()
        self.unions: list[tuple] = []  # (own, target), in the order they were asked for

    def facts(self, ent) -> tuple:
        ident = (ent.type, ent.name, ent.key, tuple(ent.aliases))
        found = self.known.get(ident)
        if found is None:
            etype, keys_of = ent.type, self.keys_of
            claims = tuple((etype, k) for k in sorted(_alias_keys(ent, keys_of)))
            own = (etype, ent.key)
            found = self.known[ident] = (own, claims, tuple(c for c in claims if c != own),
                                         _name_key(ent, keys_of))
            # every name's versions, before any union (no union is made before keymap)
            self.parent.setdefault(own, own)
            seen = self.versions[own]
            seen.add(own[1])
            seen.add(found[3])
        return found

    def add(self, entities: Iterable[Entity | GraphEntity]) -> None:
        """Take in the entities of one paper (papers in file order)."""
        facts_of = sorted(map(self.facts, entities), key=_fact_order)  # file_order
        claimed = [c for f in facts_of for c in f[1]]
        ambiguous = (() if len(set(claimed)) == len(claimed)
                     else {k for k, n in Counter(claimed).items() if n > 1})
        tried, unions, names = self.tried, self.unions, self.names
        for own, _, targets, name_key in facts_of:
            for target in targets:
                if target not in ambiguous and (own, target) not in tried:
                    tried.add((own, target))
                    unions.append((own, target))
            names[own][name_key] += 1

    def keymap(self) -> dict[tuple[EntityType, str], str]:
        """``(type, alias key) -> node key`` for every alias key (see :func:`merge_entities`)."""
        parent, versions = self.parent, self.versions

        def find(x):
            parent.setdefault(x, x)
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for a, b in self.unions:
            ra, rb = find(a), find(b)
            if ra == rb:
                continue
            if any(versions_differ(x, y) for x in versions[ra] for y in versions[rb]):
                continue
            keep, drop = min(ra, rb), max(ra, rb)
            parent[drop] = keep
            versions[keep] |= versions.pop(drop, set())
        votes: dict[tuple[EntityType, str], Counter] = defaultdict(Counter)
        for (etype, key), counter in self.names.items():
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


def _fact_order(facts: tuple) -> int:
    return _TYPE_ORDER[facts[0][0]]


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


def add_result_edges(G: nx.MultiDiGraph, extractions: Iterable[GraphInput],
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
    extractions : iterable of PaperExtraction or (Paper, entities, results)
        What the graph was built from (see :func:`build_graph`).
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
    for item in extractions:
        paper, entities, results = _as_record(item)
        if not results:
            continue
        pnode = paper_node(paper.id)
        by_name = {(e.type, e.name): e for e in entities}

        def node_of(etype: EntityType, name: str | None) -> str | None:
            ent = by_name.get((etype, name)) if name else None
            if ent is None:
                return None
            node = entity_node(etype, keymap.get((etype, ent.key), ent.key))
            return node if node in G else None

        for r in results:
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


def insert_edges(G: nx.MultiDiGraph, edges: Iterable[tuple[Any, Any, Any, dict]]) -> None:
    """``G.add_edges_from(edges)`` for edges between nodes ``G`` has, faster.

    For a plain ``networkx.MultiDiGraph`` the edges are written into networkx's own
    successor and predecessor dicts, as ``add_edges_from`` writes them (one key dict
    per pair of nodes, shared by both; an existing edge's attributes updated), without
    its checks and copies; other graphs go through ``add_edges_from``.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    edges : iterable of (u, v, key, dict)
        Both ends must be nodes of ``G``. The dicts become the edges' attribute dicts
        (not copied).

    Raises
    ------
    KeyError
        When an end is not a node of ``G`` (nothing after that edge is added).

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b")])
    >>> insert_edges(G, [("a", "b", "K", {"w": 1}), ("b", "a", "K", {"w": 2})])
    >>> list(G.edges(keys=True, data=True))
    [('a', 'b', 0, {}), ('a', 'b', 'K', {'w': 1}), ('b', 'a', 'K', {'w': 2})]
    """
    if type(G) is not nx.MultiDiGraph:
        G.add_edges_from(edges)
        return
    succ, pred = G._succ, G._pred
    try:
        for u, v, key, data in edges:
            out = succ[u]
            keyed = out.get(v)
            if keyed is None:
                keyed = out[v] = pred[v][u] = {}
            old = keyed.get(key)
            if old is None:
                keyed[key] = data
            else:
                old.update(data)
    finally:
        nx._clear_cache(G)


def build_graph(extractions: Iterable[GraphInput], *, link: bool = True) -> nx.MultiDiGraph:
    """Build the kgraph knowledge graph.

    Parameters
    ----------
    extractions : iterable of PaperExtraction or (Paper, sequence of GraphEntity)
        One per (deduplicated) paper: an extraction, or the paper with
        :func:`graph_entities` of its extraction (what a build keeps of a large corpus);
        both give the same graph.
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
    builder = GraphBuilder()
    for item in extractions:
        builder.add(item)
    return builder.graph(link=link)


class GraphBuilder:
    """:func:`build_graph`, fed one paper at a time: a build adds each paper as its
    extraction arrives from the workers, while they extract the next ones.

    :meth:`add` does the part of the work that depends on the paper alone (its
    node's attributes, the merge keys of its entities' names and aliases, the unions of
    entities it asks for; see :func:`merge_entities`); :meth:`graph` the rest (merging, nodes, edges,
    ``REPORTS`` and ``SHARES_ENTITY`` edges) once every paper is in. The graph is the
    one :func:`build_graph` builds from the same papers in the same order.

    Examples
    --------
    >>> from kgraph.model import Paper
    >>> qa = Entity(EntityType.TASK, "Question answering", "questionanswering")
    >>> builder = GraphBuilder()
    >>> for i, entities in (("a", [qa]), ("b", [qa]), ("c", [])):
    ...     builder.add(PaperExtraction(Paper(i, i.upper(), ""), entities))
    >>> G = builder.graph()  # 2 ADDRESSES edges, 1 SHARES_ENTITY edge (a, b)
    >>> G.nodes["task:questionanswering"]["papers"], G.number_of_edges()
    (2, 3)
    """

    def __init__(self) -> None:
        self._records: list[tuple[Paper, Sequence[GraphEntity], Sequence[Result]]] = []
        self._paper_attrs: list[dict] = []  # of each paper's node
        self._merger = _Merger()

    def __len__(self) -> int:
        return len(self._records)

    def add(self, item: GraphInput) -> None:
        """Add one paper (papers in file order): an extraction, or ``(paper, graph
        entities[, results])`` as :func:`build_graph` takes them."""
        record = _as_record(item)
        self._records.append(record)
        self._paper_attrs.append(_paper_attrs(record[0]))
        self._merger.add(record[1])

    def graph(self, *, link: bool = True) -> nx.MultiDiGraph:
        """The graph of every paper added (see :func:`build_graph`); the builder is
        emptied.

        Parameters
        ----------
        link : bool
            Add ``SHARES_ENTITY`` edges.

        Returns
        -------
        networkx.MultiDiGraph
        """
        records, self._records = self._records, []
        paper_attrs, self._paper_attrs = self._paper_attrs, []
        keymap = self._merger.keymap()
        self._merger = _Merger()
        return _assemble(records, paper_attrs, keymap, link)


def _paper_attrs(p: Paper) -> dict:
    """The attributes of a paper's node (a new dict)."""
    return {"label": PAPER_LABEL, "name": p.title, "id": p.id, "title": p.title,
            "abstract": p.abstract, "url": p.url, "authors": list(p.authors), "date": p.date,
            "categories": list(p.categories), "sources": [str(s) for s in p.sources]}


def _assemble(records: list[tuple[Paper, Sequence[GraphEntity], Sequence[Result]]],
              paper_attrs: list[dict], keymap: dict[tuple[EntityType, str], str],
              link: bool) -> nx.MultiDiGraph:
    """The nodes and edges of :func:`build_graph`, from the papers, the attributes of
    their nodes (:func:`_paper_attrs`) and their merge."""
    G = nx.MultiDiGraph(name="kgraph", kgraph_version=__version__, papers=len(records))
    names: dict[str, Counter] = defaultdict(Counter)
    aliases: dict[str, dict[str, None]] = defaultdict(dict)
    # per type: node id prefix, label, relationship (enum properties are slow to read)
    prefix = {t: f"{t.value}:" for t in EntityType}
    label_of = {t: t.label for t in EntityType}
    relationship_of = {t: t.relationship for t in EntityType}
    # What G.add_node and G.add_edge do, written into networkx's own dicts (the node
    # attributes, and the successor and predecessor maps sharing one key dict per
    # pair): a third of the time of building the nodes and edges goes into those calls.
    nodes, succ, pred = G._node, G._succ, G._pred

    def add_node(node: str, attrs: dict) -> None:
        if node in nodes:
            nodes[node].update(attrs)
        else:
            succ[node], pred[node], nodes[node] = {}, {}, attrs

    for (p, entities, _), attrs in zip(records, paper_attrs):
        pnode = paper_node(p.id)
        add_node(pnode, attrs)
        out = succ[pnode]
        for ent in entities:
            etype = ent.type
            key = keymap.get((etype, ent.key), ent.key)
            enode = prefix[etype] + key  # entity_node(etype, key)
            if enode not in nodes:
                add_node(enode, {"label": label_of[etype], "name": ent.name, "key": key})
            names[enode][ent.name] += 1
            seen = aliases[enode]
            for a in ent.aliases:
                seen[a] = None
            rel = PROPOSES if ent.proposed else relationship_of[etype]
            keyed = out.get(enode)
            if keyed is None:
                keyed = out[enode] = pred[enode][pnode] = {}
            elif rel in keyed:
                data = keyed[rel]
                data["count"] += ent.count
                data["aliases"] = list(dict.fromkeys(data["aliases"] + list(ent.aliases)))
                if ent.sentence is not None:
                    data["sentence"] = min(data["sentence"], ent.sentence)
                continue
            keyed[rel] = {"type": rel, "count": ent.count, "aliases": list(ent.aliases),
                          "sentence": ent.sentence if ent.sentence is not None else 0}
    nx._clear_cache(G)
    for enode, counter in names.items():
        data = nodes[enode]
        data["name"] = min(counter, key=lambda n: (-counter[n], n))
        data["aliases"] = sorted(aliases[enode])
        data["papers"] = len(pred[enode])
    add_result_edges(G, records, keymap)
    if link:
        from kgraph.graph.link import add_shared_entity_edges

        add_shared_entity_edges(G)
    return G
