"""Faster ways of building the graph and writing its outputs give what the plain
definitions give.

Each fast path of the graph stage and of the writers (CSV quoting a column at a time,
Cypher escapes by ``str.replace``, the related-paper ranking, the overview's lazy
ranking, the layout's reused buffers, the threaded ranking of ``SHARES_ENTITY`` links)
is checked here against the direct computation it replaces, on generated data.
"""

from __future__ import annotations

import csv
import io
import math
import random

import networkx as nx
import numpy as np
import pytest

from kgraph.export import cypher, html, neo4j_csv
from kgraph.graph import link
from kgraph.graph.analyse import RelatedIndex, _kth_largest
from kgraph.graph.link import LINK_LABELS, add_shared_entity_edges, idf
from kgraph.graph.views import link_degrees, overview_nodes

# characters the CSV and Cypher writers treat specially, and ordinary ones
_ALPHABET = ['a', 'b', ' ', ',', '"', "'", '\\', '\r', '\n', '\t', '\x00', '\x1f', '\x7f',
             '\x85', 'é', '\u2028', '\ufeff', '😀', '|', '~', '^', '#', '@', '%']


def _texts(rng: random.Random, n: int, longest: int, alphabet=_ALPHABET) -> list[str]:
    return [''.join(rng.choice(alphabet) for _ in range(rng.randint(0, longest)))
            for _ in range(n)]


@pytest.mark.parametrize("seed", range(40))
def test_csv_tables_are_what_csv_writer_writes(seed):
    rng = random.Random(seed)
    n_columns = rng.randint(1, 5)
    n_rows = rng.choice([0, 1, 7, 30, neo4j_csv._CSV_RUN + 3])
    columns = [_texts(rng, n_rows, 6) for _ in range(n_columns)]
    if seed % 5 == 0 and n_rows:
        columns[-1][0] = 12  # not a string: the csv module writes that run
    header = [f"h{i}" for i in range(n_columns)]
    expected = io.StringIO(newline="")
    writer = csv.writer(expected)
    writer.writerow(header)
    writer.writerows(zip(*columns))
    written = io.StringIO(newline="")
    neo4j_csv._write_table(written, header, columns)
    assert written.getvalue() == expected.getvalue()


@pytest.mark.parametrize("seed", range(60))
def test_cypher_escapes_are_what_the_escape_patterns_make(seed):
    rng = random.Random(seed)
    plain = ['a', 'x', ' ', "'", '\\', '|', '~']  # printable ASCII only: the replace path
    texts = _texts(rng, rng.randint(1, 8), rng.choice([3, 30, 400]),
                   _ALPHABET if seed % 3 else plain)
    for ascii_only in (True, False):
        pattern = cypher._NEEDS_ESCAPE_ASCII if ascii_only else cypher._NEEDS_ESCAPE
        assert (cypher._escape_all(texts, ascii_only)
                == [pattern.sub(cypher._escape_char, t) for t in texts])


@pytest.mark.parametrize("long", [False, True])
def test_lone_surrogates_are_still_refused(long):
    texts = ["fine", "bad \ud800" + "x" * (500 if long else 0)]
    for ascii_only in (True, False):
        with pytest.raises(Exception, match="lone surrogate"):
            cypher._escape_all(texts, ascii_only)


def _bipartite(seed: int, n_papers: int = 300, n_entities: int = 80) -> nx.MultiDiGraph:
    """Papers linked to entities whose popularity follows a power law."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    for p in range(n_papers):
        G.add_node(f"paper:{p:04d}", label="Paper", id=f"{p:04d}", title=f"P{p}")
    labels = sorted(LINK_LABELS)
    for e in range(n_entities):
        G.add_node(f"e:{e:03d}", label=labels[e % len(labels)], name=f"E{e}", papers=0)
    for p in range(n_papers):
        for e in {min(n_entities - 1, int(rng.paretovariate(0.8))) for _ in range(4)}:
            G.add_edge(f"paper:{p:04d}", f"e:{e:03d}", key="USES", type="USES")
    return G


def _related_plainly(G: nx.MultiDiGraph, paper: str, top: int) -> list:
    """Every other paper's idf-weighted overlap, summed in the order RelatedIndex sums
    (highest idf first, then entity id), ranked by rounded score, then id."""
    papers = sorted(n for n, d in G.nodes(data=True) if d["label"] == "Paper")
    users = {e: set(G.predecessors(e)) for e in set(G.successors(paper))}
    weights = {e: idf(len(papers), len(u)) for e, u in users.items()}
    entities = sorted((e for e in users if weights[e] > 0 and len(users[e]) > 1),
                      key=lambda e: (-weights[e], e))
    scored = []
    for other in papers:
        if other == paper:
            continue
        score, shared = 0.0, []
        for e in entities:
            if other in users[e]:
                score += weights[e]
                shared.append((e, weights[e]))
        if shared:
            scored.append((round(score, 6), other, tuple(shared)))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [(other, score, shared) for score, other, shared in scored[:top]]


@pytest.mark.parametrize("seed", range(3))
def test_related_papers_are_the_plain_ranking(seed):
    G = _bipartite(seed)
    index = RelatedIndex(G)
    for paper in [n for n in G if n.startswith("paper:")][::7]:
        for top in (1, 5):
            found = [(r.paper, r.score, r.shared) for r in index.related(paper, top=top)]
            assert found == _related_plainly(G, paper, top)


def test_kth_largest_is_numpy_partition():
    rng = np.random.default_rng(0)
    for n, k in ((1, 1), (10, 3), (5000, 5), (20000, 1), (20000, 10)):
        values = np.round(rng.random(n) * 50, 1)  # many ties
        assert _kth_largest(values, k) == np.partition(values, n - k)[n - k]


def _overview_plainly(G: nx.MultiDiGraph, n: int) -> set:
    """overview_nodes as first written: every node ranked up front."""
    labels = {node: d.get("label") for node, d in G.nodes(data=True)}
    degree = link_degrees(G)
    full = dict(G.degree())

    def rank(node):
        return (-degree[node], -full[node], str(node))

    entities = sorted((x for x in G if labels[x] != "Paper"), key=rank)
    chosen = set(entities[: max(1, n // 4)])
    attached: dict = {}
    for ent in chosen:
        for p in set(nx.all_neighbors(G, ent)):
            if labels[p] == "Paper":
                attached[p] = attached.get(p, 0) + 1
    papers = sorted(attached, key=lambda p: (-attached[p], *rank(p)))
    chosen.update(papers[: n - len(chosen)])
    for ent in entities:
        if len(chosen) >= n:
            break
        if ent not in chosen and any(p in chosen for p in nx.all_neighbors(G, ent)):
            chosen.add(ent)
    if len(chosen) < n:
        rest = sorted((x for x in G if x not in chosen), key=rank)
        chosen.update(rest[: n - len(chosen)])
    return chosen


@pytest.mark.parametrize("n", [1, 4, 40, 120, 360, 379, 500])
def test_overview_nodes_are_the_plain_choice(n):
    G = _bipartite(7)
    assert overview_nodes(G, n) == _overview_plainly(G, n)


def _layout_plainly(adjacency: np.ndarray, iterations: int, seed: int) -> np.ndarray:
    """html._fruchterman_reingold as first written, one new array per expression."""
    n = adjacency.shape[0]
    pos = np.random.default_rng(seed).random((n, 2), dtype=np.float32)
    k = np.float32(math.sqrt(1.0 / n))
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        dx = pos[:, 0, None] - pos[None, :, 0]
        dy = pos[:, 1, None] - pos[None, :, 1]
        distance = np.sqrt(dx * dx + dy * dy)
        np.clip(distance, 0.01, None, out=distance)
        force = k * k / (distance * distance) - adjacency * distance / k
        displacement = np.stack([pos[:, 0] * force.sum(axis=1) - (force * pos[:, 0]).sum(axis=1),
                                 pos[:, 1] * force.sum(axis=1) - (force * pos[:, 1]).sum(axis=1)],
                                axis=1)
        displacement -= 3.0 * k * (pos - pos.mean(axis=0))
        length = np.sqrt((displacement * displacement).sum(axis=1))
        length[length < 0.01] = 0.1
        pos += displacement * (temperature / length)[:, None]
        pos = np.round(pos, 5).astype(np.float32)
        temperature -= cooling
    return pos


@pytest.mark.parametrize("n", [2, 9, 150])
def test_layout_buffers_give_the_plain_positions(n):
    rng = np.random.default_rng(n)
    adjacency = (rng.random((n, n)) < 0.05).astype(np.float32)
    adjacency = np.maximum(adjacency, adjacency.T)
    np.fill_diagonal(adjacency, 0)
    found = html._fruchterman_reingold(adjacency, iterations=30, seed=3)
    assert found.tobytes() == _layout_plainly(adjacency, 30, 3).tobytes()


def _shares(G: nx.MultiDiGraph) -> list:
    return [(u, v, d["weight"], d["shared"]) for u, v, k, d in G.edges(keys=True, data=True)
            if k == "SHARES_ENTITY"]


def test_links_ranked_in_many_blocks_on_threads_equal_one_block(monkeypatch):
    one, many = _bipartite(11, n_papers=400), _bipartite(11, n_papers=400)
    add_shared_entity_edges(one, top_k=3)
    monkeypatch.setattr(link, "_TOP_K_BLOCK", 97)  # dozens of blocks, two at a time
    add_shared_entity_edges(many, top_k=3)
    assert _shares(many) == _shares(one) and len(_shares(one)) > 100


def test_threaded_sort_sorts():
    rng = np.random.default_rng(5)
    values = rng.integers(-2 ** 40, 2 ** 40, 1_200_001)
    expected = np.sort(values)
    link._sort(values)
    assert np.array_equal(values, expected)
