"""The live Neo4j export and the Bolt query engine, against a real Bolt server.

Every test here talks to the ArcadeDB server that :mod:`bolt_server` starts on
127.0.0.1 (the ``bolt_server`` fixture fails, never skips, when it cannot start);
nothing is mocked. Each test that writes gets a database of its own.
"""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from bolt_server import BoltInfo, BoltServer, bolt_server  # noqa: F401  (fixture)
from neo4j import GraphDatabase

from kgraph.errors import ExportError, KgraphError
from kgraph.export.cypher import (
    MERGE_KEYS,
    RELATIONSHIP_KEYS,
    check_label,
    check_relationship_type,
    constraint_name,
    node_groups,
    relationship_groups,
    split_statements,
)
from kgraph.export.neo4j_live import (
    BOLT_SCHEMES,
    export_to_neo4j,
    merge_nodes_parameter_query,
    merge_relationships_parameter_query,
    settings_from_env,
)
from kgraph.export.neo4j_script import cypher_statements
from kgraph.query import QueryError
from kgraph.query.bolt import run_bolt
from kgraph.query.embedded import run_embedded
from kgraph.query.format import read_query_file
from kgraph.store import write_store

#: The failure tests must end within this many seconds.
FAIL_FAST = 10.0


# --------------------------------------------------------------------------- helpers


@pytest.fixture
def fresh_db(bolt_server: BoltServer) -> Iterator[BoltInfo]:  # noqa: F811
    """An empty database of its own on the session's server, dropped afterwards."""
    name = f"t{uuid.uuid4().hex[:12]}"
    info = bolt_server.create_database(name)
    try:
        yield info
    finally:
        bolt_server.drop_database(name)


def cypher(info: BoltInfo, query: str, **params: Any) -> list[dict[str, Any]]:
    """Run a read query through the driver and return its records as dicts."""
    with GraphDatabase.driver(info.uri, auth=(info.user, info.password)) as driver:
        records, _, _ = driver.execute_query(query, params, database_=info.database)
    return [record.data() for record in records]


def export(G: nx.MultiDiGraph, info: BoltInfo, **kwargs: Any) -> dict[str, Any]:
    return export_to_neo4j(G, info.uri, info.user, info.password, database=info.database,
                           **kwargs)


def graph_counts(G: nx.MultiDiGraph) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes per label and edges per type, counted on the networkx graph itself."""
    labels: dict[str, int] = {}
    for _, data in G.nodes(data=True):
        labels[data["label"]] = labels.get(data["label"], 0) + 1
    types: dict[str, int] = {}
    for _, _, key, data in G.edges(keys=True, data=True):
        rel_type = data.get("type", key)
        types[rel_type] = types.get(rel_type, 0) + 1
    return labels, types


def db_counts(info: BoltInfo, G: nx.MultiDiGraph) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes per label and relationships per type, counted in the database with Cypher."""
    labels, types = graph_counts(G)
    found_labels = {label: cypher(info, f"MATCH (n:{check_label(label)}) RETURN count(n) AS c")
                    [0]["c"] for label in labels}
    found_types = {t: cypher(info, f"MATCH ()-[r:{check_relationship_type(t)}]->() "
                                   "RETURN count(r) AS c")[0]["c"] for t in types}
    total_nodes = cypher(info, "MATCH (n) RETURN count(n) AS c")[0]["c"]
    total_rels = cypher(info, "MATCH ()-[r]->() RETURN count(r) AS c")[0]["c"]
    assert total_nodes == sum(found_labels.values())
    assert total_rels == sum(found_types.values())
    return found_labels, found_types


def stored_graph(info: BoltInfo, G: nx.MultiDiGraph) -> tuple[dict, dict]:
    """Every node's and relationship's properties in the database, keyed like the rows."""
    nodes = {}
    for group in node_groups(G):
        key = MERGE_KEYS[group.label]
        for record in cypher(info, f"MATCH (n:{check_label(group.label)}) "
                                   "RETURN properties(n) AS p"):
            nodes[(group.label, record["p"][key])] = record["p"]
    rels = {}
    for group in relationship_groups(G):
        query = (f"MATCH (a:{check_label(group.start_label)})"
                 f"-[r:{check_relationship_type(group.type)}]->"
                 f"(b:{check_label(group.end_label)}) "
                 f"RETURN a.{MERGE_KEYS[group.start_label]} AS src, "
                 f"b.{MERGE_KEYS[group.end_label]} AS dst, properties(r) AS p")
        for record in cypher(info, query):
            ident = tuple(record["p"].get(k) for k in RELATIONSHIP_KEYS.get(group.type, ()))
            key = (group.type, group.end_label, record["src"], record["dst"], *ident)
            assert key not in rels, f"two relationships stored as {key}"
            rels[key] = record["p"]
    return nodes, rels


def expected_graph(G: nx.MultiDiGraph) -> tuple[dict, dict]:
    """What :func:`stored_graph` must find: the export rows, absent values left out.

    Relationships are keyed by type, end label, both ends and, for ``REPORTS``, the
    identifying property (a paper reports several results on one dataset)."""
    nodes = {(g.label, row[g.key]): {k: v for k, v in row.items() if v is not None}
             for g in node_groups(G) for row in g.rows}
    rels = {(g.type, g.end_label, row["src"], row["dst"],
             *(row[k] for k in RELATIONSHIP_KEYS.get(g.type, ()))):
            {k: v for k, v in row.items() if v is not None and k not in ("src", "dst")}
            for g in relationship_groups(G) for row in g.rows}
    return nodes, rels


HOSTILE = [
    "it's",
    'say "hi"',
    "back\\slash \\' \\n \\u0041",
    "`tick` ``double``",
    "{braces} }{ {{x}}",
    "// not a comment /* nor this */",
    "$rows $id ${x}",
    "line one\nline two\r\nthree\ttab",
    "'}) DETACH DELETE n //",
    "\"}) MATCH (m) DETACH DELETE m RETURN 1 //",
    "x'}]->(b) DETACH DELETE a, b; MATCH (n) DETACH DELETE n //",
    "ünïcödé – ✓ 😀 \u2028 \u2029 \x00 \x7f",
    ";",
]


def hostile_graph() -> nx.MultiDiGraph:
    """A small graph in the schema whose keys and values are all hostile strings."""
    G = nx.MultiDiGraph(name="kgraph", kgraph_version="0.1.0", papers=2)
    for i, paper_id in enumerate(["'}) DETACH DELETE n //", "p\\2\n`$"]):
        G.add_node(f"paper:{paper_id}", label="Paper", id=paper_id, name=HOSTILE[i],
                   title=HOSTILE[i], abstract=" ".join(HOSTILE), url=None,
                   authors=HOSTILE[:5], date="2024-01-31", categories=["cs.CL", "}'"],
                   sources=[f"{s}:1" for s in HOSTILE[5:9]])
    for j, text in enumerate(HOSTILE):
        G.add_node(f"method:{text}", label="Method", key=text, name=text, aliases=[text, "a"],
                   papers=j)
        G.add_edge("paper:'}) DETACH DELETE n //", f"method:{text}", key="USES_METHOD",
                   type="USES_METHOD", count=j + 1, aliases=[text], sentence=j)
    G.add_node("task:$x", label="Task", key="$x", name="//", aliases=["{x}"], papers=1)
    G.add_edge("paper:'}) DETACH DELETE n //", "task:$x", key="ADDRESSES", type="ADDRESSES",
               count=1, aliases=["'"], sentence=0)
    G.add_edge("paper:'}) DETACH DELETE n //", "paper:p\\2\n`$", key="SHARES_ENTITY",
               type="SHARES_ENTITY", weight=0.5, shared=["task:$x", "method:'}) x"])
    return G


# --------------------------------------------------------------------------- the seed graph


@pytest.fixture(scope="module")
def seed_export(bolt_server: BoltServer, seed_build) -> Iterator[tuple[BoltInfo, dict]]:  # noqa: F811
    """The seed graph exported once into a database of its own."""
    info = bolt_server.create_database(f"seed{uuid.uuid4().hex[:8]}")
    report = export(seed_build.graph, info)
    try:
        yield info, report
    finally:
        bolt_server.drop_database(info.database)


def test_export_seed_graph_counts(seed_export, seed_build):
    info, report = seed_export
    G = seed_build.graph
    labels, types = graph_counts(G)
    assert report["nodes"] == labels
    assert report["relationships"] == types
    assert report["nodes_created"] == G.number_of_nodes()
    assert report["labels_added"] == G.number_of_nodes()
    assert report["relationships_created"] == G.number_of_edges()
    assert report["properties_set"] > 0
    assert report["warnings"] == []
    assert "Neo4j/5" in report["server"]
    assert db_counts(info, G) == (labels, types)


def test_export_seed_graph_properties_round_trip(seed_export, seed_build):
    info, _ = seed_export
    assert stored_graph(info, seed_build.graph) == expected_graph(seed_build.graph)


def test_export_creates_the_constraints(seed_export, seed_build):
    info, report = seed_export
    assert report["constraints_added"] == len(MERGE_KEYS)
    names = {record["name"] for record in cypher(info, "SHOW CONSTRAINTS")}
    assert {constraint_name(label) for label in MERGE_KEYS} <= names


def test_second_export_creates_nothing(seed_export, seed_build):
    info, first = seed_export
    G = seed_build.graph
    before = db_counts(info, G)
    second = export(G, info)
    assert second["nodes_created"] == 0
    assert second["relationships_created"] == 0
    assert second["labels_added"] == 0
    assert second["constraints_added"] == 0
    assert (second["nodes"], second["relationships"]) == (first["nodes"], first["relationships"])
    assert second["batches"] == first["batches"]
    assert db_counts(info, G) == before == graph_counts(G)
    assert stored_graph(info, G) == expected_graph(G)


def test_import_cypher_statements_through_the_driver(fresh_db, seed_build, seed_export):
    """import.cypher as written by the build, run statement by statement, loads the same graph."""
    G = seed_build.graph
    script = (seed_build.out_dir / "neo4j" / "import.cypher").read_text(encoding="utf-8")
    statements = split_statements(script)
    assert statements == cypher_statements(G)
    with GraphDatabase.driver(fresh_db.uri, auth=(fresh_db.user, fresh_db.password)) as driver:
        with driver.session(database=fresh_db.database) as session:
            for statement in statements:
                session.execute_write(lambda tx, q: tx.run(q).consume(), statement)
    assert db_counts(fresh_db, G) == graph_counts(G)
    # the script and the live export store exactly the same properties
    assert stored_graph(fresh_db, G) == stored_graph(seed_export[0], G)


# --------------------------------------------------------------------------- hostile values


def test_several_reports_between_one_pair_survive_and_rerun_adds_none(fresh_db):
    G = nx.MultiDiGraph(name="kgraph", kgraph_version="0.1.0", papers=1)
    G.add_node("paper:p", label="Paper", id="p", name="P", title="P")
    G.add_node("dataset:coco", label="Dataset", key="coco", name="COCO", papers=1)
    G.add_edge("paper:p", "dataset:coco", key="USES_DATASET", type="USES_DATASET", count=2)
    for start, value, metric in ((40, 59.4, "box AP"), (60, 51.6, "mask AP")):
        G.add_edge("paper:p", "dataset:coco", key=f"REPORTS:{start}", type="REPORTS",
                   value=value, unit="%", kind="absolute", metric=metric, text=f"{value}%",
                   span_start=start, span_end=start + 5, sentence=2)
    first = export(G, fresh_db)
    assert first["relationships"] == {"USES_DATASET": 1, "REPORTS": 2}
    assert first["relationships_created"] == 3
    again = export(G, fresh_db)
    assert again["relationships_created"] == 0
    rows = cypher(fresh_db, "MATCH (:Paper {id: 'p'})-[r:REPORTS]->(d:Dataset) "
                            "RETURN r.metric AS metric, r.value AS value, d.name AS dataset "
                            "ORDER BY r.span_start")
    assert rows == [{"metric": "box AP", "value": 59.4, "dataset": "COCO"},
                    {"metric": "mask AP", "value": 51.6, "dataset": "COCO"}]
    assert stored_graph(fresh_db, G) == expected_graph(G)


def test_hostile_strings_round_trip(fresh_db):
    G = hostile_graph()
    cypher(fresh_db, "CREATE (:Sentinel {name: $name})", name="still here")
    report = export(G, fresh_db)
    assert report["nodes_created"] == G.number_of_nodes()
    assert report["relationships_created"] == G.number_of_edges()
    stored = stored_graph(fresh_db, G)
    assert stored == expected_graph(G)
    paper = stored[0][("Paper", "'}) DETACH DELETE n //")]
    assert paper["abstract"] == " ".join(HOSTILE)
    assert paper["authors"] == HOSTILE[:5]
    assert cypher(fresh_db, "MATCH (s:Sentinel) RETURN s.name AS name") == [{"name": "still here"}]
    assert export(G, fresh_db)["nodes_created"] == 0
    assert stored_graph(fresh_db, G) == stored


def test_a_refused_constraint_is_a_warning(fresh_db, caplog):
    """Duplicate keys already in the database make the server refuse one constraint:
    the export warns, creates the others and goes on."""
    cypher(fresh_db, "CREATE (:Method {key: $key}), (:Method {key: $key})", key="dup")
    G = hostile_graph()
    with caplog.at_level("WARNING", logger="kgraph.export.neo4j_live"):
        report = export(G, fresh_db)
    (warning,) = report["warnings"]
    assert warning.startswith("could not create constraint method_key (Neo.ClientError.")
    assert warning in caplog.text
    assert report["constraints_added"] == len(MERGE_KEYS) - 1
    assert report["nodes_created"] == G.number_of_nodes()
    nodes, rels = stored_graph(fresh_db, G)
    assert nodes.pop(("Method", "dup")) == {"key": "dup"}
    assert (nodes, rels) == expected_graph(G)


def test_values_are_parameters_not_text():
    """The statements are the same whatever the data: only names from the schema."""
    query = merge_nodes_parameter_query("Method", ["aliases", "name", "papers"])
    assert "$rows" in query and "'" not in query and '"' not in query
    for text in HOSTILE:
        assert text not in query
    with pytest.raises(ExportError):
        merge_nodes_parameter_query("Method", ["name`) DETACH DELETE n //"])
    with pytest.raises(ExportError):
        merge_relationships_parameter_query("USES_METHOD", "Paper", "Task", [])
    with pytest.raises(ExportError):
        merge_relationships_parameter_query("USES_METHOD", "Paper", "Method", ["src"])


def test_progress_is_reported_per_batch(fresh_db):
    G = hostile_graph()
    calls: list[tuple[int, int, str]] = []
    report = export(G, fresh_db, batch_size=4, progress=lambda *a: calls.append(a))
    total = G.number_of_nodes() + G.number_of_edges()
    assert len(calls) == report["batches"] > 4
    assert [done for done, _, _ in calls] == sorted(done for done, _, _ in calls)
    assert calls[-1][:2] == (total, total)
    assert {t for _, t, _ in calls} == {total}
    assert calls[0][2] == "Paper nodes 1-2 of 2"


def test_bad_graph_and_batch_size_fail_before_connecting():
    G = nx.MultiDiGraph()
    G.add_node("x", label="Person", key="x", name="x")
    started = time.monotonic()
    with pytest.raises(ExportError, match="unknown node label 'Person'"):
        export_to_neo4j(G, "bolt://127.0.0.1:1", "u", "p")
    with pytest.raises(ValueError, match="batch_size"):
        export_to_neo4j(hostile_graph(), "bolt://127.0.0.1:1", "u", "p", batch_size=0)
    assert time.monotonic() - started < 1


# --------------------------------------------------------------------------- failures


def test_wrong_password(bolt_server):  # noqa: F811
    info = bolt_server.info
    started = time.monotonic()
    with pytest.raises(ExportError, match="authentication failed") as caught:
        export_to_neo4j(hostile_graph(), info.uri, info.user, "not-the-password",
                        database=info.database)
    assert time.monotonic() - started < FAIL_FAST
    assert "\n" not in str(caught.value) and info.uri in str(caught.value)


def test_missing_database(bolt_server):  # noqa: F811
    info = bolt_server.info
    with pytest.raises(ExportError, match="database 'no_such_db' does not exist") as caught:
        export_to_neo4j(hostile_graph(), info.uri, info.user, info.password,
                        database="no_such_db")
    assert "\n" not in str(caught.value)
    assert "no_such_db" not in bolt_server.databases()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_port_fails_fast():
    uri = f"bolt://127.0.0.1:{_closed_port()}"
    started = time.monotonic()
    with pytest.raises(ExportError, match="cannot reach the Neo4j server") as caught:
        export_to_neo4j(hostile_graph(), uri, "neo4j", "pw")
    assert time.monotonic() - started < FAIL_FAST
    assert "\n" not in str(caught.value) and uri in str(caught.value)


def test_silent_port_fails_fast():
    """A port that accepts connections but never answers the Bolt handshake."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        uri = f"bolt://127.0.0.1:{sock.getsockname()[1]}"
        started = time.monotonic()
        with pytest.raises(ExportError, match="cannot reach the Neo4j server"):
            export_to_neo4j(hostile_graph(), uri, "neo4j", "pw")
        assert time.monotonic() - started < FAIL_FAST


@pytest.mark.parametrize("uri", ["http://127.0.0.1:7474", "localhost:7687", ""])
def test_not_a_bolt_uri(uri):
    with pytest.raises(ExportError, match="invalid Neo4j connection settings"):
        export_to_neo4j(hostile_graph(), uri, "neo4j", "pw")
    assert "bolt" in BOLT_SCHEMES


def test_settings_from_env(monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:7687")
    monkeypatch.setenv("NEO4J_USERNAME", "neo4j")
    monkeypatch.setenv("NEO4J_PASSWORD", "secret")
    monkeypatch.setenv("NEO4J_DATABASE", "")
    assert settings_from_env() == {"uri": "bolt://127.0.0.1:7687", "user": "neo4j",
                                   "password": "secret"}


def test_server_restart_keeps_the_data():
    """Stop a server: the export fails fast; start it again: the data is there, and a
    second export creates nothing."""
    G = hostile_graph()
    server = BoltServer()
    try:
        info = server.start()
        assert export(G, info)["nodes_created"] == G.number_of_nodes()
        server.stop()
        started = time.monotonic()
        with pytest.raises(ExportError, match="cannot reach"):
            export(G, info)
        assert time.monotonic() - started < FAIL_FAST
        assert server.restart() == info
        assert db_counts(info, G) == graph_counts(G)
        again = export(G, info)
        assert (again["nodes_created"], again["relationships_created"]) == (0, 0)
    except Exception:
        print(server.log_tail())
        raise
    finally:
        server.cleanup()


# --------------------------------------------------------------------------- run_bolt


def test_run_bolt_rows(seed_export, seed_build):
    info, _ = seed_export
    G = seed_build.graph
    labels, _ = graph_counts(G)
    result = run_bolt(info.uri, info.user, info.password,
                      "MATCH (p:Paper) RETURN count(p) AS papers", database=info.database)
    assert (result.engine, result.columns, result.rows) == ("bolt", ["papers"],
                                                            [[labels["Paper"]]])
    assert result.elapsed >= 0

    paper = min(data["id"] for _, data in G.nodes(data=True) if data["label"] == "Paper")
    node = G.nodes[f"paper:{paper}"]
    result = run_bolt(info.uri, info.user, info.password,
                      "MATCH (p:Paper {id: $id}) RETURN p.title AS title, p.authors AS authors",
                      {"id": paper}, database=info.database)
    assert result.records() == [{"title": node["title"], "authors": node["authors"] or None}]


def test_run_bolt_converts_values(seed_export, seed_build):
    info, _ = seed_export
    row = next(r for g in node_groups(seed_build.graph) if g.label == "Task" for r in g.rows)
    result = run_bolt(info.uri, info.user, info.password,
                      "MATCH (t:Task {key: $key})<-[r:ADDRESSES]-(p:Paper) "
                      "RETURN t, r, [t.name, 1, 2.5, true, null] AS xs, "
                      "{k: t.key} AS m, date('2024-01-31') AS d ORDER BY p.id LIMIT 1",
                      {"key": row["key"]}, database=info.database)
    t, r, xs, m, d = result.rows[0]
    assert t == {k: v for k, v in row.items() if v is not None}
    assert isinstance(r, dict) and r["count"] >= 1
    assert xs == [row["name"], 1, 2.5, True, None]
    assert m == {"k": row["key"]}
    assert d == "2024-01-31"


def test_run_bolt_returns_paths_like_the_embedded_engine(seed_export, seed_build):
    info, _ = seed_export
    row = next(r for g in relationship_groups(seed_build.graph) if g.type == "ADDRESSES"
               for r in g.rows)
    result = run_bolt(info.uri, info.user, info.password,
                      "MATCH path = (p:Paper {id: $src})-[:ADDRESSES]->(t:Task {key: $dst}) "
                      "RETURN path", {"src": row["src"], "dst": row["dst"]},
                      database=info.database)
    (path,), = result.rows
    assert [n.get("id", n.get("key")) for n in path["nodes"]] == [row["src"], row["dst"]]
    assert path["relationships"] == [{k: v for k, v in row.items()
                                      if v is not None and k not in ("src", "dst")}]


def test_run_bolt_errors(bolt_server):  # noqa: F811
    info = bolt_server.info
    with pytest.raises(QueryError, match="SyntaxError") as caught:
        run_bolt(info.uri, info.user, info.password, "MATCH (n:Paper)\nRETRN n",
                 database=info.database)
    message = str(caught.value)
    assert "\n" not in message and info.uri in message
    assert "at line 2, column 1: RETRN n" in message
    with pytest.raises(QueryError, match="authentication failed"):
        run_bolt(info.uri, info.user, "wrong", "RETURN 1", database=info.database)
    with pytest.raises(QueryError, match="does not exist"):
        run_bolt(info.uri, info.user, info.password, "RETURN 1", database="no_such_db")
    started = time.monotonic()
    with pytest.raises(QueryError, match="cannot reach"):
        run_bolt(f"bolt://127.0.0.1:{_closed_port()}", "u", "p", "RETURN 1")
    assert time.monotonic() - started < FAIL_FAST
    with pytest.raises(QueryError, match="timeout"):
        run_bolt(info.uri, info.user, info.password, "RETURN 1", timeout=0)
    with pytest.raises(QueryError, match="empty"):
        run_bolt(info.uri, info.user, info.password, "  ")
    assert issubclass(QueryError, KgraphError)


# --------------------------------------------------------------------------- both engines


QUERIES_DIR = Path(__file__).resolve().parents[1] / "queries"


@pytest.fixture(scope="module")
def seed_store(seed_build, tmp_path_factory) -> Path:
    """The seed graph in the embedded store, written by :func:`kgraph.store.write_store`."""
    out_dir = tmp_path_factory.mktemp("seed_store")
    write_store(seed_build.graph, out_dir)
    return out_dir


@pytest.mark.parametrize("path", sorted(QUERIES_DIR.glob("*.cypher")), ids=lambda p: p.stem)
def test_queries_give_the_same_rows_on_both_engines(path, seed_export, seed_store):
    """A ``queries/*.cypher`` file with its header's default parameters returns equal
    columns and rows on the embedded store and on the Bolt server."""
    info, _ = seed_export
    cypher_text, header = read_query_file(path)
    params = header["defaults"]
    embedded = run_embedded(seed_store, cypher_text, params)
    bolt = run_bolt(info.uri, info.user, info.password, cypher_text, params,
                    database=info.database)
    assert bolt.rows, f"{path.name}: no rows with the default parameters {params}"
    assert bolt.columns == embedded.columns
    assert bolt.rows == embedded.rows


def test_the_query_library_is_not_empty():
    assert sorted(QUERIES_DIR.glob("*.cypher")), f"no queries in {QUERIES_DIR}"
