"""Hand-built graphs that follow ``kgraph/graph/SCHEMA.md``, for the tests of every export.

The helpers add one schema-conformant piece at a time (a paper, an entity, a paper ->
entity link, the ``SHARES_ENTITY`` edges), so a test can build exactly the graph it
needs without running ingest, spaCy or the graph builder:

- :func:`small_graph`: three papers and fifteen entities of every label, one proposed
  method, one ``SHARES_ENTITY`` edge and a paper that shares nothing.
- :func:`synthetic_graph`: a larger random graph with a skewed (Zipf-like) entity
  popularity, for size limits and timing.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from itertools import combinations

import networkx as nx

from kgraph.model import PAPER_LABEL, SHARES_ENTITY, EntityType

__all__ = [
    "new_graph",
    "add_paper",
    "add_entity",
    "link",
    "add_shares_entity",
    "small_graph",
    "synthetic_graph",
]

_ENTITY_BY_LABEL = {etype.label: etype for etype in EntityType}


def new_graph() -> nx.MultiDiGraph:
    """An empty graph with the schema's graph attributes (``papers`` is kept up to date)."""
    return nx.MultiDiGraph(name="kgraph", kgraph_version="0.1.0", papers=0)


def add_paper(G: nx.MultiDiGraph, pid: str, title: str, abstract: str = "", *,
              url: str | None = None, authors: list[str] | None = None,
              date: str | None = None, categories: list[str] | None = None) -> str:
    """Add a Paper node and return its node id (``"paper:<pid>"``)."""
    node = f"paper:{pid}"
    if node not in G:
        G.graph["papers"] += 1
    G.add_node(
        node, label=PAPER_LABEL, name=title, id=pid, title=title, abstract=abstract,
        url=url, authors=list(authors or []), date=date, categories=list(categories or []),
        sources=[f"papers.jsonl:{G.graph['papers']}"],
    )
    return node


def add_entity(G: nx.MultiDiGraph, label: str, key: str, name: str | None = None,
               aliases: list[str] | None = None) -> str:
    """Add an entity node of ``label`` (``"Dataset"``, ...) and return its node id.

    ``papers`` starts at 0 and is counted up by :func:`link`.
    """
    etype = _ENTITY_BY_LABEL[label]
    node = f"{etype.value}:{key}"
    G.add_node(node, label=label, name=name if name is not None else key, key=key,
               aliases=list(aliases or []), papers=0)
    return node


def link(G: nx.MultiDiGraph, paper: str, entity: str, *, proposes: bool = False,
         count: int = 1, aliases: list[str] | None = None, sentence: int = 1) -> None:
    """Add the paper -> entity edge of the schema (``PROPOSES`` when ``proposes``)."""
    label = G.nodes[entity]["label"]
    rel = "PROPOSES" if proposes else _ENTITY_BY_LABEL[label].relationship
    G.add_edge(paper, entity, key=rel, type=rel, count=count,
               aliases=list(aliases or [G.nodes[entity]["name"]]), sentence=sentence)
    G.nodes[entity]["papers"] = sum(
        1 for p in G.predecessors(entity) if G.nodes[p]["label"] == PAPER_LABEL)


def add_shares_entity(G: nx.MultiDiGraph) -> int:
    """Add the ``SHARES_ENTITY`` edges for every pair of papers linked to a common entity.

    Weight is the sum of ``log(N / df)`` over the shared entities; ``shared`` lists them
    highest idf first (ties by node id). Returns the number of edges added.
    """
    papers = [n for n, d in G.nodes(data=True) if d["label"] == PAPER_LABEL]
    n_papers = len(papers)
    shared: dict[tuple[str, str], list[tuple[float, str]]] = defaultdict(list)
    for node, data in G.nodes(data=True):
        if data["label"] == PAPER_LABEL:
            continue
        linked = sorted({p for p in G.predecessors(node) if G.nodes[p]["label"] == PAPER_LABEL})
        if len(linked) < 2:
            continue
        idf = math.log(n_papers / len(linked))
        for a, b in combinations(linked, 2):
            shared[(a, b)].append((idf, node))
    for (a, b), items in shared.items():
        items.sort(key=lambda t: (-t[0], t[1]))
        G.add_edge(a, b, key=SHARES_ENTITY, type=SHARES_ENTITY,
                   weight=sum(idf for idf, _ in items), shared=[n for _, n in items])
    return len(shared)


RESNET_ABSTRACT = (
    "Deeper neural networks are more difficult to train. We present a residual learning "
    "framework to ease the training of networks that are substantially deeper than those "
    "used previously. We explicitly reformulate the layers as learning residual functions "
    "with reference to the layer inputs, instead of learning unreferenced functions. On the "
    "ImageNet-1k dataset we evaluate residual nets with a depth of up to 152 layers and "
    "report top-1 accuracy; code is at https://github.com/kaiming/resnet."
)


def small_graph() -> nx.MultiDiGraph:
    """Three papers, every entity label, one proposed method and one SHARES_ENTITY edge.

    - ``paper:2401.00001`` (long abstract, over 300 characters) proposes ResNet-50, uses
      ImageNet-1k and CIFAR-10, evaluates with top-1 accuracy, addresses image
      classification and has code on GitHub.
    - ``paper:2402.00002`` uses ResNet-50 and ImageNet-1k, proposes ViT, links to a
      project page; it shares four entities with the first paper.
    - ``paper:t0123456789ab`` (no date, no url) is about graphs and shares nothing.

    Returns
    -------
    networkx.MultiDiGraph
        18 nodes: 3 Paper, 3 Dataset, 4 Method, 2 Metric, 2 Task, 1 Repository, 3 Url.
    """
    G = new_graph()
    p1 = add_paper(G, "2401.00001", "Deep Residual Learning for Image Recognition",
                   RESNET_ABSTRACT, url="https://arxiv.org/abs/2401.00001",
                   authors=["K. He", "X. Zhang"], date="2024-01-02", categories=["cs.CV"])
    p2 = add_paper(G, "2402.00002", "An Image is Worth 16x16 Words: Transformers at Scale",
                   "We apply a pure transformer, ViT, to sequences of image patches and "
                   "compare it with ResNet-50 on ImageNet-1k (top-1 accuracy).",
                   url="https://arxiv.org/abs/2402.00002", authors=["A. Dosovitskiy"],
                   date="2024-02-03", categories=["cs.CV", "cs.LG"])
    p3 = add_paper(G, "t0123456789ab", "Graph Attention Networks for Citation Graphs",
                   "We train GAT and compare with GCN on Cora for node classification, "
                   "reporting accuracy. See https://example.org/gat.")

    imagenet = add_entity(G, "Dataset", "imagenet 1k", "ImageNet-1k", ["ImageNet-1k", "ImageNet"])
    cifar = add_entity(G, "Dataset", "cifar 10", "CIFAR-10")
    cora = add_entity(G, "Dataset", "cora", "Cora")
    resnet = add_entity(G, "Method", "resnet 50", "ResNet-50", ["ResNet-50", "residual nets"])
    vit = add_entity(G, "Method", "vit", "ViT", ["ViT", "Vision Transformer"])
    gat = add_entity(G, "Method", "gat", "GAT")
    gcn = add_entity(G, "Method", "gcn", "GCN")
    top1 = add_entity(G, "Metric", "top 1 accuracy", "top-1 accuracy")
    acc = add_entity(G, "Metric", "accuracy", "accuracy")
    imgcls = add_entity(G, "Task", "image classification", "image classification")
    nodecls = add_entity(G, "Task", "node classification", "node classification")
    repo = add_entity(G, "Repository", "github.com/kaiming/resnet",
                      "https://github.com/kaiming/resnet", ["https://github.com/kaiming/resnet."])
    url1 = add_entity(G, "Url", "arxiv.org/abs/2401.00001", "https://arxiv.org/abs/2401.00001")
    url2 = add_entity(G, "Url", "arxiv.org/abs/2402.00002", "https://arxiv.org/abs/2402.00002")
    url3 = add_entity(G, "Url", "example.org/gat", "https://example.org/gat")

    link(G, p1, resnet, proposes=True, count=2, aliases=["residual nets"], sentence=3)
    for ent in (imagenet, cifar, top1, imgcls, repo, url1):
        link(G, p1, ent)
    link(G, p2, vit, proposes=True, aliases=["ViT"])
    for ent in (resnet, imagenet, top1, imgcls, url2):
        link(G, p2, ent)
    for ent in (gat, gcn, cora, acc, nodecls, url3):
        link(G, p3, ent)
    add_shares_entity(G)
    return G


def synthetic_graph(n_papers: int = 1000, n_entities: int = 2000, *, links: int = 3,
                    seed: int = 0, shares: bool = True) -> nx.MultiDiGraph:
    """A random schema-conformant graph of ``n_papers + n_entities`` nodes.

    Entity ``i`` is linked to paper ``i % n_papers`` (so none is orphaned), and every
    paper gets ``links`` more entities drawn with probability proportional to
    ``1 / (rank + 1)``: a few hub entities and a long tail, as in real corpora.
    Types rotate through the six entity labels; every 50th paper proposes its first
    method. Deterministic for a given ``seed``.
    """
    rng = random.Random(seed)
    G = new_graph()
    papers = [add_paper(G, f"s{i:05d}", f"Synthetic paper {i}", f"Abstract of paper {i}.")
              for i in range(n_papers)]
    etypes = list(EntityType)
    entities = []
    for i in range(n_entities):
        etype = etypes[i % len(etypes)]
        entities.append(add_entity(G, etype.label, f"{etype.value} {i}"))
    weights = [1.0 / (rank + 1) for rank in range(n_entities)]
    chosen: dict[str, set[str]] = defaultdict(set)
    for i, ent in enumerate(entities):
        chosen[papers[i % n_papers]].add(ent)
    for paper in papers:
        chosen[paper].update(rng.choices(entities, weights=weights, k=links))
    for j, paper in enumerate(papers):
        proposed = False
        for ent in sorted(chosen[paper]):
            is_method = G.nodes[ent]["label"] == "Method"
            propose = is_method and not proposed and j % 50 == 0
            proposed = proposed or propose
            link(G, paper, ent, proposes=propose)
    if shares:
        add_shares_entity(G)
    return G
