"""Injection: hostile titles, names and keys round-trip exactly through every Cypher path,
and none of them changes what a query does.

Two graphs carry the hostile text:

- ``handmade``: every string of every node and relationship (paper ids, entity keys,
  titles, abstracts, authors, urls, dates, categories, sources, names, aliases, shared
  lists) holds quotes, backslashes, backticks, braces, ``//`` and ``/* */``, ``$``,
  line breaks and Cypher clauses;
- ``built``: a real ``kgraph build`` (spaCy extraction, graph, every export) of papers
  whose titles and abstracts are hostile, with a user lexicon of hostile entity names,
  into an output folder whose path is hostile too.

Each graph goes three ways: ``import.cypher`` (the file, run statement by statement on
the real Bolt server), the live export (``export_to_neo4j``) into another database of
that server, and the embedded store. Read back through kgraph's own query engines
(:func:`~kgraph.query.bolt.run_bolt`, :func:`~kgraph.query.embedded.run_embedded`),
all three hold exactly the graph's nodes and relationships with exactly its values; a
sentinel node created before the load is still there, alone; and queries that take
the hostile strings as parameters (``queries/papers_using_dataset.cypher``, lookups by
id) return exactly the rows computed from the graph in Python, on all three.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from bolt_server import BoltInfo, BoltServer, bolt_server  # noqa: F401  (fixture)
from click.testing import CliRunner
from neo4j import GraphDatabase

from graphs import add_entity, add_paper, add_shares_entity, link, new_graph
from kgraph.cli import cli
from kgraph.export.cypher import (
    ENDPOINTS,
    MERGE_KEYS,
    NODE_LABELS,
    RELATIONSHIP_TYPES,
    node_groups,
    relationship_groups,
    split_statements,
)
from kgraph.export.neo4j_csv import write_neo4j
from kgraph.export.neo4j_live import export_to_neo4j
from kgraph.query.bolt import run_bolt
from kgraph.query.embedded import run_embedded
from kgraph.query.format import read_query_file
from kgraph.store import write_store
from kgraph.workflow import build, load_graph

QUERIES = Path(__file__).resolve().parents[1] / "queries"

#: Text that ends a string literal, a name, a comment or a statement, or reads as a
#: parameter or a clause, if anything pastes it into Cypher unescaped.
PAYLOADS = [
    "it's",
    "'",
    "''",
    'say "hi"',
    "\\",
    "back\\slash \\' \\\" \\n \\u0027",
    "trailing backslash\\",
    "`tick` ``double`` `",
    "{braces} }) {{x}} ${x}",
    "// comment /* block */ -- dash",
    "$rows $id $dataset",
    "line one\nline two\r\nthree\rfour\ttab",
    "'}) DETACH DELETE n //",
    "\"}) MATCH (m) DETACH DELETE m RETURN 1 //",
    "x'}]->(b) SET b.pwned = true WITH b MATCH (n) DETACH DELETE n //",
    "'; MATCH (n) DETACH DELETE n; CREATE (:Pwned) //",
    "') RETURN 1 UNION MATCH (n) RETURN n //",
    "CALL db.labels() YIELD label RETURN label",
    "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l",
    "MATCH (n) DETACH DELETE n",
    ";",
    "ünïcödé – ✓ 😀 \u2028 \u2029",
]
SENTINEL = "still here"


# --------------------------------------------------------------------------- graphs


def handmade_graph() -> nx.MultiDiGraph:
    """Papers and entities of every label whose every string holds the payloads."""
    G = new_graph()
    papers = []
    for i, text in enumerate(PAYLOADS):
        node = add_paper(G, f"{i}:{text}", f"title {text}", f"abstract {text}\n{PAYLOADS[-i]}",
                         url=f"https://example.org/{i}?q={text}", authors=[text, f"a{i} {text}"],
                         date=text, categories=[text, "cs.CL"])
        G.nodes[node]["sources"] = [f"{text}:{i + 1}"]
        papers.append(node)
    labels = ["Dataset", "Method", "Metric", "Task", "Repository", "Url"]
    for i, text in enumerate(PAYLOADS):
        label = labels[i % len(labels)]
        entity = add_entity(G, label, f"key {i} {text}", f"{label} {text}",
                            aliases=[text, f"alias {text}"])
        link(G, papers[i], entity, aliases=[text, "plain"], count=i + 1, sentence=i)
        link(G, papers[(i + 1) % len(papers)], entity, aliases=[text])
        if label in ("Dataset", "Method"):
            link(G, papers[(i + 2) % len(papers)], entity, proposes=True, aliases=[text])
    add_shares_entity(G)
    return G


#: The built graph's input: JSON Lines of hostile papers, and a user lexicon of hostile
#: entity names that the abstracts mention.
HOSTILE_PAPERS = [
    {"id": "2501.00001", "title": "'); MATCH (n) DETACH DELETE n; // Robust QA",
     "abstract": "We evaluate Back\\slash-Net on O'Reilly-QA and {Brace}Bench, reporting "
                 "$Dollar-Score. The task is DETACH DELETE."},
    {"id": "2501.00002", "title": "\"}) RETURN 1 UNION MATCH (m) SET m.x = 1 // `x`",
     "abstract": "`Tick`Former beats Back\\slash-Net on O'Reilly-QA and Say \"Hi\" Set.\n"
                 "A second line with $rows, ${x} and /* a comment */."},
    {"id": "2501.00003", "title": "A \\ backslash \\' and \\\" {braces} $title",
     "abstract": "Say \"Hi\" Set and {Brace}Bench, with `Tick`Former; "
                 "code at https://github.com/x/o'quote."},
]
HOSTILE_LEXICON = [
    {"name": "O'Reilly-QA", "type": "dataset"},
    {"name": "Back\\slash-Net", "type": "method"},
    {"name": "`Tick`Former", "type": "method"},
    {"name": "{Brace}Bench", "type": "dataset"},
    {"name": "$Dollar-Score", "type": "metric"},
    {"name": "DETACH DELETE", "type": "task"},
    {"name": "Say \"Hi\" Set", "type": "dataset"},
]


# --------------------------------------------------------------------------- reading back


Run = Callable[[str, dict[str, Any] | None], list[list[Any]]]


def expected_contents(G: nx.MultiDiGraph) -> tuple[dict, dict]:
    """Nodes by (label, merge key) and relationships by (type, end label, start key,
    end key), with the properties every Cypher path must store (absent ones left out)."""
    nodes = {(g.label, row[g.key]): {k: v for k, v in row.items() if v is not None}
             for g in node_groups(G) for row in g.rows}
    rels = {(g.type, g.end_label, row["src"], row["dst"]):
            {k: v for k, v in row.items() if v is not None and k not in ("src", "dst")}
            for g in relationship_groups(G) for row in g.rows}
    return nodes, rels


def read_contents(run: Run) -> tuple[dict, dict]:
    """Every node and relationship a database holds, keyed as in :func:`expected_contents`."""
    nodes = {}
    for label in NODE_LABELS:
        for (props,) in run(f"MATCH (n:{label}) RETURN n", None):
            assert (label, props[MERGE_KEYS[label]]) not in nodes
            nodes[(label, props[MERGE_KEYS[label]])] = props
    rels = {}
    for rel_type in RELATIONSHIP_TYPES:
        start, ends = ENDPOINTS[rel_type]
        for end in ends:
            for a, b, props in run(f"MATCH (a:{start})-[r:{rel_type}]->(b:{end}) RETURN "
                                   f"a.{MERGE_KEYS[start]}, b.{MERGE_KEYS[end]}, r", None):
                assert (rel_type, end, a, b) not in rels
                rels[(rel_type, end, a, b)] = props
    return nodes, rels


def bolt_runner(info: BoltInfo) -> Run:
    def run(cypher: str, params: dict[str, Any] | None) -> list[list[Any]]:
        return run_bolt(info.uri, info.user, info.password, cypher, params,
                        database=info.database).rows
    return run


def embedded_runner(out: Path) -> Run:
    def run(cypher: str, params: dict[str, Any] | None) -> list[list[Any]]:
        return run_embedded(out, cypher, params).rows
    return run


def papers_using_dataset(G: nx.MultiDiGraph, name: str) -> list[list[Any]]:
    """What ``queries/papers_using_dataset.cypher`` must return, computed in Python."""
    rows = []
    for u, v, data in G.edges(data=True):
        d = G.nodes[v]
        if d["label"] != "Dataset" or data["type"] not in ("USES_DATASET", "PROPOSES"):
            continue
        if d["name"].lower() == name.lower() or d["key"] == name:
            rows.append([G.nodes[u]["id"], G.nodes[u]["title"], d["name"], data["count"]])
    rows.sort(key=lambda r: (-r[3], r[0], r[2]))
    return rows[:50]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[nx.MultiDiGraph, Path]:
    """A real build of the hostile papers, into a folder with a hostile name."""
    folder = tmp_path_factory.mktemp("injection")
    papers = folder / "papers.jsonl"
    papers.write_text("".join(json.dumps(p) + "\n" for p in HOSTILE_PAPERS), encoding="utf-8")
    lexicon = folder / "lexicon.jsonl"
    lexicon.write_text("".join(json.dumps(e) + "\n" for e in HOSTILE_LEXICON), encoding="utf-8")
    out = folder / "out 'q' \"d\" \\ `t` $x {y} ; MATCH (n) DETACH DELETE n"
    build([str(papers)], out, lexicons=[str(lexicon)])
    return load_graph(out), out


@pytest.fixture(scope="module")
def handmade(tmp_path_factory) -> tuple[nx.MultiDiGraph, Path]:
    """The handmade graph's ``neo4j/`` folder and store, written by the exporters."""
    G = handmade_graph()
    out = tmp_path_factory.mktemp("handmade")
    write_neo4j(G, out)
    write_store(G, out)
    return G, out


@pytest.fixture(scope="module", params=["handmade", "built"])
def loaded(request, bolt_server: BoltServer  # noqa: F811
           ) -> Iterator[tuple[nx.MultiDiGraph, dict[str, Run]]]:
    """One graph loaded three ways: import.cypher and the live export into two fresh
    databases (each holding a sentinel node first), and the embedded store."""
    G, out = request.getfixturevalue(request.param)
    script_db = bolt_server.create_database(f"s{uuid.uuid4().hex[:12]}")
    live_db = bolt_server.create_database(f"l{uuid.uuid4().hex[:12]}")
    try:
        for info in (script_db, live_db):
            run_bolt(info.uri, info.user, info.password, "CREATE (:Sentinel {name: $name})",
                     {"name": SENTINEL}, database=info.database)
        script = (out / "neo4j" / "import.cypher").read_text(encoding="utf-8")
        with GraphDatabase.driver(script_db.uri,
                                  auth=(script_db.user, script_db.password)) as driver:
            with driver.session(database=script_db.database) as session:
                for statement in split_statements(script):
                    session.execute_write(lambda tx, q: tx.run(q).consume(), statement)
        report = export_to_neo4j(G, live_db.uri, live_db.user, live_db.password,
                                 database=live_db.database)
        assert report["nodes_created"] == G.number_of_nodes()
        assert report["relationships_created"] == G.number_of_edges()
        yield G, {"import.cypher": bolt_runner(script_db), "live": bolt_runner(live_db),
                  "store": embedded_runner(out)}
    finally:
        bolt_server.drop_database(script_db.database)
        bolt_server.drop_database(live_db.database)


PATHS = ["import.cypher", "live", "store"]


# --------------------------------------------------------------------------- tests


def test_the_graphs_carry_the_payloads(handmade, built):
    G, _ = handmade
    titles = {d["title"] for _, d in G.nodes(data=True) if d["label"] == "Paper"}
    assert titles == {f"title {text}" for text in PAYLOADS}
    B, out = built
    assert sorted(d["title"] for _, d in B.nodes(data=True) if d["label"] == "Paper") == \
        sorted(p["title"] for p in HOSTILE_PAPERS)
    names = {d["name"] for _, d in B.nodes(data=True) if d["label"] != "Paper"}
    assert {e["name"] for e in HOSTILE_LEXICON} <= names
    assert "'" in out.name and "\\" in out.name and "`" in out.name


@pytest.mark.parametrize("path", PATHS)
def test_every_value_round_trips_exactly(loaded, path):
    G, runs = loaded
    assert read_contents(runs[path]) == expected_contents(G)


@pytest.mark.parametrize("path", ["import.cypher", "live"])
def test_nothing_else_in_the_database_changed(loaded, path):
    G, runs = loaded
    run = runs[path]
    assert run("MATCH (s:Sentinel) RETURN properties(s)", None) == [[{"name": SENTINEL}]]
    assert run("MATCH (n) RETURN count(n)", None) == [[G.number_of_nodes() + 1]]
    assert run("MATCH ()-[r]->() RETURN count(r)", None) == [[G.number_of_edges()]]
    assert run("MATCH (n) WHERE n.pwned IS NOT NULL OR n.x IS NOT NULL RETURN count(n)",
               None) == [[0]]


@pytest.mark.parametrize("path", PATHS)
def test_hostile_parameters_find_exactly_their_rows(loaded, path):
    G, runs = loaded
    run = runs[path]
    papers = {d["id"]: d["title"] for _, d in G.nodes(data=True) if d["label"] == "Paper"}
    for paper_id, title in papers.items():
        assert run("MATCH (p:Paper {id: $id}) RETURN p.title", {"id": paper_id}) == [[title]]
    cypher, header = read_query_file(QUERIES / "papers_using_dataset.cypher")
    datasets = [d["name"] for _, d in G.nodes(data=True) if d["label"] == "Dataset"]
    assert datasets
    for name in datasets:
        rows = run(cypher, {**header["defaults"], "dataset": name})
        assert rows == papers_using_dataset(G, name), name
        assert rows  # each dataset has its papers, and only those


def test_query_command_takes_hostile_parameters(built):
    """``kgraph query -p dataset=...`` passes the text as is, on a hostile folder path."""
    G, out = built
    runner = CliRunner()
    for name in [e["name"] for e in HOSTILE_LEXICON if e["type"] == "dataset"]:
        result = runner.invoke(cli, ["query", "-f", str(QUERIES / "papers_using_dataset.cypher"),
                                     "-p", f"dataset={name}", "--graph", str(out),
                                     "--format", "json"])
        assert result.exit_code == 0, result.output
        rows = [[r["paper"], r["title"], r["dataset"], r["mentions"]]
                for r in json.loads(result.output)]
        assert rows == papers_using_dataset(G, name) != [], name

