"""Tests of the embedded store (``kgraph.store``): schema, bulk load, round trip,
atomic replacement, crash recovery and a missing store.

Every check reads the database back through LadybugDB itself (Cypher on a fresh
read-only open) and compares with the networkx graph that was written. The crash tests
kill a real writer process with SIGKILL, which is how a stale write-ahead log arises.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import warnings
from collections import Counter
from pathlib import Path

import ladybug
import networkx as nx
import pytest

from graphs import add_entity, add_paper, add_shares_entity, link, new_graph, small_graph
from kgraph.errors import ExportError, GraphNotFoundError, KgraphError
from kgraph.export.cypher import (ENDPOINTS, MERGE_KEYS, NODE_LABELS, RELATIONSHIP_KEYS,
                                 RELATIONSHIP_TYPES)
from kgraph.query.embedded import to_python
from kgraph.store import (
    DATABASE_FILE,
    STORE_DIR,
    StoreError,
    database_path,
    generate_schema,
    open_store,
    store_path,
    write_store,
)
from kgraph.store import embedded

#: Strings that break naive quoting: quotes, backslashes, line breaks, Cypher syntax,
#: backticks, non-ASCII scripts, emoji (with joiners and flags), control characters.
HOSTILE = [
    "quote ' and \" double",
    "back\\slash \\n not a newline \\",
    "line\nbreak\r\nCRLF\rCR",
    "$param {braces} $$",
    "// not a comment /* nor this */ -- nor this",
    "`backtick` ``double``",
    "naïve café Ωμέγα 中文 עברית",
    "emoji 😀 👩‍🔬 🇫🇷",
    "tab\t, U+2028 \u2028 U+2029 \u2029, U+001F \x1f",
    "'); MATCH (n) DETACH DELETE n; //",
    "nul \x00 inside",
    " leading and trailing spaces ",
]


def query(out: Path, cypher: str, params: dict | None = None) -> list[list]:
    """Rows of a query on a fresh read-only open, values as plain Python."""
    db = open_store(out)
    try:
        conn = ladybug.Connection(db)
        try:
            result = conn.execute(cypher, params or {})
            rows = [[to_python(v) for v in row] for row in result.get_all()]
            result.close()
            return rows
        finally:
            conn.close()
    finally:
        db.close()


def graph_counts(G: nx.MultiDiGraph) -> tuple[dict[str, int], dict[str, int]]:
    labels = Counter(d["label"] for _, d in G.nodes(data=True))
    types = Counter(d.get("type", k) for _, _, k, d in G.edges(keys=True, data=True))
    return ({label: labels.get(label, 0) for label in NODE_LABELS},
            {t: types.get(t, 0) for t in RELATIONSHIP_TYPES})


def stored_properties(attrs: dict, skip: str) -> dict:
    """What a node's or edge's attributes become in the store (and in Neo4j)."""
    return {k: v for k, v in attrs.items()
            if k != skip and v is not None and v != "" and v != []}


def hostile_graph() -> nx.MultiDiGraph:
    """Papers and entities whose ids, keys, texts and lists hold every HOSTILE string."""
    G = new_graph()
    papers = []
    for i, text in enumerate(HOSTILE):
        papers.append(add_paper(G, f"h{i}-{text}", f"title {text}", f"abstract {text}",
                                url=f"https://example.org/{i}?q={text}",
                                authors=[text, f"author {i}"], categories=[text],
                                date="2024-01-01"))
    for i, text in enumerate(HOSTILE):
        entity = add_entity(G, "Method", f"key {i} {text}", f"name {text}",
                            aliases=[text, f"alias {i}"])
        link(G, papers[i], entity, aliases=[text, "plain"], count=i + 1, sentence=i)
        link(G, papers[(i + 1) % len(papers)], entity, proposes=True, aliases=[text])
    add_shares_entity(G)
    return G


@pytest.fixture()
def small_store(tmp_path: Path) -> tuple[nx.MultiDiGraph, Path, dict]:
    G = small_graph()
    return G, tmp_path, write_store(G, tmp_path)


# --------------------------------------------------------------------------- layout


class TestLayout:
    def test_store_is_a_folder_holding_one_database_file(self, small_store):
        _, out, result = small_store
        assert result["path"] == out / STORE_DIR == store_path(out)
        assert result["database"] == out / STORE_DIR / DATABASE_FILE
        # built, checkpointed and closed: no write-ahead log, no staging files
        assert sorted(p.name for p in (out / STORE_DIR).iterdir()) == [DATABASE_FILE]
        assert [p.name for p in out.iterdir()] == [STORE_DIR]

    def test_database_path_accepts_the_output_folder_or_the_store(self, small_store):
        _, out, result = small_store
        assert database_path(out) == database_path(out / STORE_DIR) == result["database"]

    @pytest.mark.parametrize("make", ["missing", "empty"])
    def test_missing_store_is_graph_not_found(self, tmp_path, make):
        out = tmp_path / "nowhere" if make == "missing" else tmp_path
        with pytest.raises(GraphNotFoundError, match="kgraph build") as info:
            open_store(out)
        assert isinstance(info.value, KgraphError)
        assert STORE_DIR in str(info.value)

    def test_empty_database_file_is_refused(self, small_store):
        _, out, result = small_store
        os.truncate(result["database"], 0)
        with pytest.raises(StoreError, match="empty"):
            open_store(out)

    def test_garbage_database_file_is_refused(self, small_store):
        _, out, result = small_store
        with open(result["database"], "r+b") as handle:
            handle.write(b"not a database" * 300)
        with pytest.raises(StoreError, match="kgraph build"):
            open_store(out)


# --------------------------------------------------------------------------- schema


class TestSchema:
    def test_every_label_and_type_has_a_table(self):
        ddl = generate_schema(small_graph())
        for label in NODE_LABELS:
            key = MERGE_KEYS[label]
            assert f"CREATE NODE TABLE {label}(`{key}` STRING," in ddl
            assert f"PRIMARY KEY(`{key}`));" in ddl
        for rel_type in RELATIONSHIP_TYPES:
            start, ends = ENDPOINTS[rel_type]
            pairs = ", ".join(f"FROM {start} TO {end}" for end in ends)
            assert f"CREATE REL TABLE {rel_type}({pairs}, " in ddl

    def test_types_and_arrays(self):
        ddl = generate_schema(small_graph())
        assert "`authors` STRING[]" in ddl and "`aliases` STRING[]" in ddl
        assert "`papers` INT64" in ddl and "`count` INT64" in ddl
        assert "`weight` DOUBLE" in ddl and "`shared` STRING[]" in ddl
        assert "CREATE REL TABLE PROPOSES(FROM Paper TO Dataset, FROM Paper TO Method," in ddl

    def test_tables_exist_for_labels_and_types_the_graph_lacks(self, tmp_path):
        G = new_graph()
        add_paper(G, "1", "Only a paper")
        result = write_store(G, tmp_path)
        assert result["nodes"] == {label: int(label == "Paper") for label in NODE_LABELS}
        assert result["relationships"] == {t: 0 for t in RELATIONSHIP_TYPES}
        # queries naming absent labels, types and the documented properties still bind
        assert query(tmp_path, "MATCH (d:Dataset) RETURN d.name, d.aliases, d.papers") == []
        assert query(tmp_path, "MATCH (p:Paper)-[r:PROPOSES]->(m:Method) "
                               "RETURN r.count, r.aliases, r.sentence, m.key") == []
        assert query(tmp_path, "MATCH (:Paper)-[s:SHARES_ENTITY]->(:Paper) "
                               "RETURN s.weight, s.shared") == []

    def test_two_types_for_one_property_of_proposes_are_refused(self, tmp_path):
        G = small_graph()
        for u, v, k, d in G.edges(keys=True, data=True):
            if k == "PROPOSES" and G.nodes[v]["label"] == "Method":
                d["count"] = "many"
        add_entity(G, "Dataset", "new set", "NewSet")
        link(G, "paper:t0123456789ab", "dataset:new set", proposes=True, count=1)
        with pytest.raises(ExportError, match="PROPOSES.count"):
            write_store(G, tmp_path)
        assert not store_path(tmp_path).exists()

    def test_integers_and_floats_of_one_property_widen_to_double(self, tmp_path):
        G = small_graph()
        add_entity(G, "Dataset", "new set", "NewSet")
        link(G, "paper:t0123456789ab", "dataset:new set", proposes=True)
        G.edges["paper:t0123456789ab", "dataset:new set", "PROPOSES"]["count"] = 2.5
        write_store(G, tmp_path)
        assert "`count` DOUBLE" in generate_schema(G).splitlines()[13]
        rows = query(tmp_path, "MATCH (p:Paper)-[r:PROPOSES]->(x) RETURN x.key, r.count "
                               "ORDER BY x.key")
        assert rows == [["new set", 2.5], ["resnet 50", 2.0], ["vit", 1.0]]
        assert all(isinstance(count, float) for _, count in rows)


# --------------------------------------------------------------------------- contents


def assert_same_contents(G: nx.MultiDiGraph, out: Path) -> None:
    """Every node and relationship of G is in the store with exactly its properties."""
    for label in NODE_LABELS:
        key = MERGE_KEYS[label]
        expected = {d[key]: stored_properties(d, "label")
                    for _, d in G.nodes(data=True) if d["label"] == label}
        found = {row[0][key]: row[0] for row in query(out, f"MATCH (n:{label}) RETURN n")}
        assert found == expected, label
    for rel_type in RELATIONSHIP_TYPES:
        start, ends = ENDPOINTS[rel_type]
        for end in ends:
            identity = RELATIONSHIP_KEYS.get(rel_type, ())
            expected = {}
            for u, v, k, d in G.edges(keys=True, data=True):
                if d.get("type", k) == rel_type and G.nodes[v]["label"] == end:
                    ends_keys = (G.nodes[u][MERGE_KEYS[start]], G.nodes[v][MERGE_KEYS[end]],
                                 *(d[p] for p in identity))
                    expected[ends_keys] = stored_properties(d, "type")
            rows = query(out, f"MATCH (a:{start})-[r:{rel_type}]->(b:{end}) "
                              f"RETURN a.{MERGE_KEYS[start]}, b.{MERGE_KEYS[end]}, r")
            found = {(a, b, *(r[p] for p in identity)): r for a, b, r in rows}
            assert len(found) == len(rows)
            assert found == expected, (rel_type, end)


class TestContents:
    def test_counts_equal_the_graph(self, small_store):
        G, out, result = small_store
        nodes, rels = graph_counts(G)
        assert result["nodes"] == nodes and result["relationships"] == rels
        for label, n in nodes.items():
            assert query(out, f"MATCH (n:{label}) RETURN count(n)") == [[n]]
        for rel_type, n in rels.items():
            assert query(out, f"MATCH ()-[r:{rel_type}]->() RETURN count(r)") == [[n]]
        assert query(out, "MATCH (n) RETURN count(n)") == [[G.number_of_nodes()]]
        assert query(out, "MATCH ()-[r]->() RETURN count(r)") == [[G.number_of_edges()]]

    def test_properties_round_trip(self, small_store):
        G, out, _ = small_store
        assert_same_contents(G, out)

    def test_proposes_reaches_methods_and_datasets(self, tmp_path):
        G = small_graph()
        add_entity(G, "Dataset", "new set", "NewSet")
        link(G, "paper:t0123456789ab", "dataset:new set", proposes=True)
        write_store(G, tmp_path)
        rows = query(tmp_path, "MATCH (p:Paper)-[:PROPOSES]->(x) RETURN p.id, x.name "
                               "ORDER BY p.id, x.name")
        assert rows == [["2401.00001", "ResNet-50"], ["2402.00002", "ViT"],
                        ["t0123456789ab", "NewSet"]]
        assert query(tmp_path, "MATCH (:Paper)-[:PROPOSES]->(d:Dataset) RETURN d.key") == [
            ["new set"]]

    def test_several_reports_between_one_pair(self, tmp_path):
        G = small_graph()
        p1, imagenet = "paper:2401.00001", "dataset:imagenet 1k"
        for start, value, unit, metric in ((600, 76.1, "%", "top-1 accuracy"),
                                           (650, 2.5, "", None)):
            G.add_edge(p1, imagenet, key=f"REPORTS:{start}", type="REPORTS", value=value,
                       unit=unit, kind="absolute", metric=metric, metric_key=None,
                       method="ResNet-50", method_key="resnet 50", text=str(value),
                       span_start=start, span_end=start + 4, sentence=4)
        result = write_store(G, tmp_path)
        assert result["relationships"]["REPORTS"] == 2
        assert (result["nodes"], result["relationships"]) == graph_counts(G)
        assert_same_contents(G, tmp_path)
        assert query(tmp_path, "MATCH (:Paper)-[r:REPORTS]->(d:Dataset) RETURN d.name, "
                               "r.value, r.unit, r.metric ORDER BY r.span_start") == [
            ["ImageNet-1k", 76.1, "%", "top-1 accuracy"], ["ImageNet-1k", 2.5, None, None]]

    def test_reports_table_exists_without_results(self, tmp_path):
        write_store(small_graph(), tmp_path)
        assert query(tmp_path, "MATCH (:Paper)-[r:REPORTS]->(:Dataset) "
                               "RETURN count(r), max(r.value), max(r.metric)") == [[0, None, None]]

    def test_hostile_strings_round_trip(self, tmp_path):
        G = hostile_graph()
        result = write_store(G, tmp_path)
        assert (result["nodes"], result["relationships"]) == graph_counts(G)
        assert_same_contents(G, tmp_path)
        for i, text in enumerate(HOSTILE):
            # found by exact match on a parameter: the key was stored unchanged
            rows = query(tmp_path, "MATCH (p:Paper {id: $id})-[r:USES_METHOD]->(m:Method) "
                                   "RETURN p.title, p.authors, m.key, r.aliases",
                         {"id": f"h{i}-{text}"})
            assert rows == [[f"title {text}", [text, f"author {i}"], f"key {i} {text}",
                             [text, "plain"]]]

    def test_larger_graph(self, tmp_path):
        from graphs import synthetic_graph

        G = synthetic_graph(300, 600, seed=3)
        result = write_store(G, tmp_path)
        assert (result["nodes"], result["relationships"]) == graph_counts(G)
        assert_same_contents(G, tmp_path)


# --------------------------------------------------------------------------- replacement


class TestAtomicReplacement:
    def test_rebuild_replaces_the_database(self, small_store):
        G, out, _ = small_store
        H = small_graph()
        add_paper(H, "2403.00003", "A fourth paper")
        result = write_store(H, out)
        assert result["nodes"]["Paper"] == 4
        assert query(out, "MATCH (p:Paper) RETURN count(p)") == [[4]]
        assert sorted(p.name for p in out.iterdir()) == [STORE_DIR]

    def test_failed_build_keeps_the_previous_database(self, small_store, monkeypatch):
        G, out, _ = small_store
        before = sorted(p.name for p in out.iterdir())
        copy_statements = embedded._copy_statements

        def one_copy_fails(tables, staging):
            return copy_statements(tables, staging) + [
                "COPY Paper FROM '/nonexistent/kgraph/nothing.parquet'"]

        monkeypatch.setattr(embedded, "_copy_statements", one_copy_fails)
        H = small_graph()
        add_paper(H, "2403.00003", "A fourth paper")
        with pytest.raises(ExportError, match="embedded store"):
            write_store(H, out)
        assert sorted(p.name for p in out.iterdir()) == before  # no temporary left over
        assert query(out, "MATCH (p:Paper) RETURN p.id ORDER BY p.id") == [
            ["2401.00001"], ["2402.00002"], ["t0123456789ab"]]
        assert_same_contents(G, out)

    def test_graph_refused_before_anything_is_written(self, small_store):
        G, out, _ = small_store
        H = small_graph()
        H.nodes["paper:2401.00001"]["bad"] = {"a": "map"}
        with pytest.raises(ExportError):
            write_store(H, out)
        assert_same_contents(G, out)

    def test_open_reader_keeps_the_old_database(self, small_store):
        G, out, _ = small_store
        db = open_store(out)
        conn = ladybug.Connection(db)
        try:
            H = small_graph()
            add_paper(H, "2403.00003", "A fourth paper")
            write_store(H, out)
            old = conn.execute("MATCH (p:Paper) RETURN count(p)").get_all()
        finally:
            conn.close()
            db.close()
        assert old == [[3]]
        assert query(out, "MATCH (p:Paper) RETURN count(p)") == [[4]]


# --------------------------------------------------------------------------- crashes

WRITER = textwrap.dedent("""\
    import os, signal, sys, time
    import ladybug
    from kgraph.store import open_store
    db = open_store(sys.argv[1], read_only=False)
    conn = ladybug.Connection(db)
    conn.execute("CREATE (:Paper {id: 'w1', name: 'one'})")
    conn.execute("UNWIND range(1, 100) AS i "
                 "CREATE (:Paper {id: 'b' + CAST(i AS STRING), name: 'batch'})")
    if sys.argv[2] == "crash":
        os.kill(os.getpid(), signal.SIGKILL)
    print("holding", flush=True)
    time.sleep(120)
""")


def run_writer(out: Path, mode: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(out), mode],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture()
def crashed_store(small_store) -> tuple[Path, Path]:
    """A store whose writer committed two transactions and was killed (SIGKILL)."""
    _, out, result = small_store
    proc = run_writer(out, "crash")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL, err
    wal = result["database"].with_name(DATABASE_FILE + ".wal")
    assert wal.is_file() and wal.stat().st_size > 0  # the committed work is only there
    return out, wal


class TestCrashRecovery:
    def test_committed_log_is_replayed_on_reopen(self, crashed_store):
        out, wal = crashed_store
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # nothing to warn about
            assert query(out, "MATCH (p:Paper) RETURN count(p)") == [[3 + 1 + 100]]
        db = open_store(out, read_only=False)  # a writer checkpoints the log away
        db.close()
        assert not wal.exists()
        assert query(out, "MATCH (p:Paper {id: 'w1'}) RETURN p.name") == [["one"]]

    @pytest.mark.parametrize("cut", [1, 8, 100, 2000])
    def test_torn_log_keeps_complete_transactions(self, crashed_store, cut):
        out, wal = crashed_store
        os.truncate(wal, wal.stat().st_size - cut)  # killed while writing the last commit
        with pytest.warns(RuntimeWarning, match="write-ahead log"):
            db = open_store(out)
        db.close()
        assert not wal.exists()
        # the first transaction survives, the torn batch is dropped, the build is intact
        assert query(out, "MATCH (p:Paper) RETURN p.id ORDER BY p.id") == [
            ["2401.00001"], ["2402.00002"], ["t0123456789ab"], ["w1"]]
        assert query(out, "MATCH ()-[r]->() RETURN count(r)") == [[small_graph().number_of_edges()]]

    def test_store_in_use_by_a_writer(self, small_store):
        _, out, _ = small_store
        proc = run_writer(out, "hold")
        try:
            assert proc.stdout.readline().strip() == "holding", proc.stderr.read()
            with pytest.raises(StoreError, match="in use"):
                open_store(out, read_only=False)
            db = open_store(out)  # readers are let in
            db.close()
        finally:
            proc.kill()
            proc.communicate(timeout=60)


def test_store_folder_can_be_copied(small_store, tmp_path_factory):
    """The folder is self-contained: a copy opens elsewhere with the same contents."""
    G, out, _ = small_store
    copy = tmp_path_factory.mktemp("copy")
    shutil.copytree(store_path(out), store_path(copy))
    assert_same_contents(G, copy)


# --------------------------------------------------------------------------- in a build

def test_a_store_error_fails_the_outputs_once_the_others_are_written(tmp_path, monkeypatch):
    # The store loads on a thread beside the other outputs: its error must still reach
    # the caller (a build turns it into a one-line error), after the others finish.
    from kgraph import workflow

    def refuse(*args, **kwargs):
        raise ExportError("embedded store: refused")

    monkeypatch.setattr("kgraph.store.write_store", refuse)
    timings: dict = {}
    with pytest.raises(ExportError, match="^embedded store: refused$"):
        workflow._write_graph_outputs(small_graph(), tmp_path, timings)
    assert {"neo4j", "graph.json", "graph.graphml", "graph.html"} <= {
        p.name for p in tmp_path.iterdir()}
    assert "graph.lbdb/" not in timings


def test_outputs_of_a_build_step_hold_the_graph_and_its_store(tmp_path):
    from kgraph import workflow

    G = small_graph()
    timings: dict = {}
    workflow._write_graph_outputs(G, tmp_path, timings)
    assert set(timings) == {"rows", "neo4j/", "graph.json", "graph.graphml", "graph.html",
                            "graph.lbdb/"}
    with open_store(tmp_path) as db:
        found = ladybug.Connection(db).execute("MATCH (p:Paper) RETURN count(p)").get_all()
    assert found == [[sum(1 for _, d in G.nodes(data=True) if d["label"] == "Paper")]]


def test_garbage_collection_is_paused_only_inside_the_block():
    import gc

    from kgraph import workflow

    assert gc.isenabled()
    with workflow._gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with workflow._gc_paused():
            pass
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
