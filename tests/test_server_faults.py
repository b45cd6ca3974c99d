"""Server faults during ``kgraph export neo4j``, against a real ArcadeDB Bolt server.

The command runs as a real subprocess (``python -m kgraph``), as a user runs it, and
the server is a :class:`bolt_server.BoltServer` of this module's own, so stopping,
crashing and restarting it leaves the session's shared server alone:

- an unreachable address ends in one ``Error: ...`` line and exit status 1 within 10
  seconds, process start included (a silent port and a wrong password are covered in
  ``test_neo4j_live.py`` and ``test_cli_cypher.py``);
- the server stopped in the middle of an export: the command fails with one line
  saying how far it got, in bounded time; after a restart on the same files, running
  the export again leaves exactly the graph's nodes and relationships, per label and
  per type;
- the server crashed (SIGKILL) in the middle of an export and started again: the
  export resumes (the driver retries the batch in flight) or fails cleanly, and a
  rerun leaves exactly the graph's counts.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from bolt_server import BoltInfo, BoltServer, BoltServerError
from graphs import synthetic_graph
from neo4j import GraphDatabase

from kgraph.export.cypher import check_label, check_relationship_type
from kgraph.export.nodelink import write_json
from kgraph.workflow import load_graph

#: Most seconds the unreachable-server failures may take, process start included.
FAIL_FAST = 10.0
#: Most seconds an interrupted export may take to give up.
GIVE_UP = 60.0
#: Rows per batch of the interrupted exports: small, so the export lasts a few seconds.
SMALL_BATCH = "5"


def kgraph(*args: str) -> list[str]:
    """The command line of ``python -m kgraph ARGS`` (the interpreter running the tests)."""
    return [sys.executable, "-m", "kgraph", *args]


def child_env(info: BoltInfo) -> dict[str, str]:
    return {**os.environ, "NEO4J_USERNAME": info.user, "NEO4J_PASSWORD": info.password}


def run_kgraph(*args: str, env: dict[str, str] | None = None,
               timeout: float = 120.0) -> subprocess.CompletedProcess[str]:
    return subprocess.run(kgraph(*args), env=env or dict(os.environ), capture_output=True,
                          text=True, timeout=timeout)


def assert_one_line_error(proc: subprocess.CompletedProcess[str] | tuple, *fragments: str
                          ) -> str:
    """Exit status 1, nothing on stdout, one ``Error: ...`` line on stderr naming every
    fragment, no traceback; returns the line."""
    code, out, err = (proc.returncode, proc.stdout, proc.stderr) if not isinstance(
        proc, tuple) else proc
    assert code == 1, (code, out, err)
    assert out == "", out
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def graph_counts(G: nx.MultiDiGraph) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes per label and edges per type, counted on the networkx graph."""
    labels = Counter(d["label"] for _, d in G.nodes(data=True))
    types = Counter(d.get("type", k) for _, _, k, d in G.edges(keys=True, data=True))
    return dict(labels), dict(types)


def cypher(info: BoltInfo, query: str) -> list[dict]:
    with GraphDatabase.driver(info.uri, auth=(info.user, info.password),
                              connection_timeout=5, connection_acquisition_timeout=5) as driver:
        records, _, _ = driver.execute_query(query, database_=info.database)
    return [r.data() for r in records]


def db_counts(info: BoltInfo, G: nx.MultiDiGraph) -> tuple[dict[str, int], dict[str, int], int, int]:
    """Per label and per type of the graph, counted in the database; then all nodes and
    all relationships in the database, whatever their label or type."""
    labels, types = graph_counts(G)
    per_label = {label: cypher(info, f"MATCH (n:{check_label(label)}) RETURN count(n) AS c")
                 [0]["c"] for label in labels}
    per_type = {t: cypher(info, f"MATCH ()-[r:{check_relationship_type(t)}]->() "
                                "RETURN count(r) AS c")[0]["c"] for t in types}
    nodes = cypher(info, "MATCH (n) RETURN count(n) AS c")[0]["c"]
    rels = cypher(info, "MATCH ()-[r]->() RETURN count(r) AS c")[0]["c"]
    return per_label, per_type, nodes, rels


def assert_exact_graph(info: BoltInfo, G: nx.MultiDiGraph) -> None:
    labels, types = graph_counts(G)
    assert db_counts(info, G) == (labels, types, G.number_of_nodes(), G.number_of_edges())


def relationships_in(info: BoltInfo) -> int:
    try:
        return cypher(info, "MATCH ()-[r]->() RETURN count(r) AS c")[0]["c"]
    except Exception:  # the database is not there yet
        return 0


def start_export(graph_dir: Path, info: BoltInfo, batch_size: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        kgraph("export", "neo4j", "--graph", str(graph_dir), "--uri", info.uri,
               "--database", info.database, "--batch-size", batch_size),
        env=child_env(info), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until_writing_relationships(proc: subprocess.Popen[str], info: BoltInfo) -> None:
    """Return once the export has committed some relationships (so every node, and part
    of the relationships, are in); fail if it ends first."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert proc.poll() is None, ("the export ended before it could be interrupted",
                                     proc.communicate())
        if relationships_in(info) > 0:
            return
        time.sleep(0.1)
    proc.kill()
    pytest.fail("the export wrote no relationship within 120 s")


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def server() -> Iterator[BoltServer]:
    """A Bolt server of this module's own: the tests stop, crash and restart it."""
    srv = BoltServer()
    try:
        srv.start()
    except (BoltServerError, OSError) as err:
        srv.cleanup()
        pytest.fail(f"could not start the ArcadeDB Bolt server: {err}", pytrace=False)
    try:
        yield srv
    finally:
        srv.cleanup()


@pytest.fixture(scope="module")
def graph_dir(tmp_path_factory) -> Path:
    """A build folder holding the ``graph.json`` of a 600-node, 977-relationship graph:
    at :data:`SMALL_BATCH` rows per batch its export takes a few seconds."""
    out = tmp_path_factory.mktemp("faults_graph")
    write_json(synthetic_graph(200, 400, links=3, shares=False), out / "graph.json")
    return out


@pytest.fixture
def database(server: BoltServer) -> Iterator[BoltInfo]:
    """An empty database of its own on the module's (running) server."""
    if not server.running:
        server.start()
    name = f"f{uuid.uuid4().hex[:12]}"
    info = server.create_database(name)
    yield info
    if server.running:
        server.drop_database(name)


# --------------------------------------------------------------------------- fail fast


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_server_is_one_line_within_10_s(graph_dir):
    uri = f"bolt://127.0.0.1:{_closed_port()}"
    started = time.monotonic()
    proc = run_kgraph("export", "neo4j", "--graph", str(graph_dir), "--uri", uri,
                      "--password", "pw")
    assert time.monotonic() - started < FAIL_FAST
    assert_one_line_error(proc, "cannot reach the Neo4j server", uri)


# --------------------------------------------------------------------------- mid-export


def test_server_stopped_mid_export_then_rerun_gives_exact_counts(server, database, graph_dir):
    G = load_graph(graph_dir)
    proc = start_export(graph_dir, database, SMALL_BATCH)
    try:
        wait_until_writing_relationships(proc, database)
        server.stop()
        stopped = time.monotonic()
        out, err = proc.communicate(timeout=GIVE_UP)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert time.monotonic() - stopped < GIVE_UP
    line = assert_one_line_error((proc.returncode, out, err), database.uri, "stopped after",
                                 "running the export again completes it")
    assert f"of {G.number_of_nodes() + G.number_of_edges():,} rows" in line

    assert server.start() == server.info  # same files, same ports
    partial = db_counts(database, G)
    assert partial[2] == G.number_of_nodes()  # the nodes came first
    assert 0 < partial[3] < G.number_of_edges()
    rerun = run_kgraph("export", "neo4j", "--graph", str(graph_dir), "--uri",
                       database.uri, "--database", database.database, env=child_env(database))
    assert rerun.returncode == 0, rerun.stderr
    assert "created 0 nodes" in rerun.stdout
    assert_exact_graph(database, G)


def test_server_crashed_mid_export_resumes_or_fails_cleanly(server, database, graph_dir):
    """SIGKILL the server while batches are being written and start it again at once:
    the driver retries the batch in flight for up to MAX_TRANSACTION_RETRY_TIME, so the
    export normally completes; if the server came back too late it must fail cleanly.
    Either way a rerun leaves exactly the graph's nodes and relationships."""
    G = load_graph(graph_dir)
    proc = start_export(graph_dir, database, SMALL_BATCH)
    try:
        wait_until_writing_relationships(proc, database)
        server.kill()
        crashed = time.monotonic()
        server.start()
        out, err = proc.communicate(timeout=GIVE_UP)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert time.monotonic() - crashed < GIVE_UP
    # while the server was down the driver retried the batch in flight: one line each
    notice = re.compile(rf"the server at {re.escape(database.uri)} did not take a batch "
                        r"\(.+\); retrying in \d+\.\d s")
    lines = err.strip().splitlines()
    retries = [line for line in lines if notice.fullmatch(line)]
    others = [line for line in lines if line not in retries]
    assert "Traceback" not in err
    if proc.returncode == 0:  # resumed, after retrying the batch in flight
        assert retries, err
        assert others == [], err
        assert f"{G.number_of_nodes()} nodes and {G.number_of_edges()} relationships" in out
        assert_exact_graph(database, G)
    else:  # the server came back after the retry time
        assert_one_line_error((proc.returncode, out, "\n".join(others)), "stopped after")
    rerun = run_kgraph("export", "neo4j", "--graph", str(graph_dir), "--uri",
                       database.uri, "--database", database.database, env=child_env(database))
    assert rerun.returncode == 0, rerun.stderr
    assert "created 0 nodes" in rerun.stdout or proc.returncode != 0
    assert_exact_graph(database, G)
