"""The Cypher commands end to end: `kgraph query` on the embedded database and on a
Bolt server, and `kgraph export neo4j` into a real Bolt server (ArcadeDB)."""

from __future__ import annotations

import csv
import io
import json
import uuid

import pytest
from bolt_server import bolt_server  # noqa: F401  (fixture)
from click.testing import CliRunner
from neo4j import GraphDatabase

from kgraph.cli import cli

QUERIES = "queries"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_query_file_with_header_defaults_runs_on_the_build(runner, seed_build):
    result = runner.invoke(cli, ["query", "-f", f"{QUERIES}/top_datasets.cypher",
                                 "--graph", str(seed_build.out_dir), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows and rows[0]["dataset"] == "ImageNet"
    counts = [r["papers"] for r in rows]
    assert counts == sorted(counts, reverse=True)


def test_query_params_override_defaults_and_csv_output(runner, seed_build):
    graph = seed_build.graph
    coco_users = {u for u in graph.predecessors("dataset:coco")}
    result = runner.invoke(cli, ["query", "-f", f"{QUERIES}/papers_using_dataset.cypher",
                                 "-p", "dataset=coco", "-p", "limit=500",
                                 "--graph", str(seed_build.out_dir), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {f"paper:{r['paper']}" for r in rows} == coco_users


def test_inline_query_table_and_syntax_error(runner, seed_build):
    ok = runner.invoke(cli, ["query", "MATCH (p:Paper) RETURN count(p) AS papers",
                             "--graph", str(seed_build.out_dir)])
    assert ok.exit_code == 0, ok.output
    assert "316" in ok.output
    bad = runner.invoke(cli, ["query", "MATCH (p:Paper RETURN p", "--graph",
                              str(seed_build.out_dir)])
    assert bad.exit_code == 1
    assert "Traceback" not in bad.output and "line 1" in bad.output


def test_query_needs_exactly_one_of_text_or_file(runner):
    assert runner.invoke(cli, ["query"]).exit_code == 2
    assert runner.invoke(cli, ["query", "RETURN 1", "-f", f"{QUERIES}/top_datasets.cypher"]
                         ).exit_code == 2


def test_query_on_a_folder_without_a_build_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(cli, ["query", "RETURN 1", "--graph", str(tmp_path)])
    assert result.exit_code == 1
    assert "kgraph build" in result.output and "Traceback" not in result.output


def test_export_neo4j_then_query_the_server(runner, bolt_server, seed_build):  # noqa: F811
    name = f"t{uuid.uuid4().hex[:12]}"
    info = bolt_server.create_database(name)
    try:
        env = {"NEO4J_URI": info.uri, "NEO4J_USERNAME": info.user,
               "NEO4J_PASSWORD": info.password}
        args = ["export", "neo4j", "--graph", str(seed_build.out_dir), "--database", name]
        first = runner.invoke(cli, args, env=env)
        assert first.exit_code == 0, first.output
        assert f"created {seed_build.graph.number_of_nodes()} nodes" in first.output
        second = runner.invoke(cli, args + ["--batch-size", "250"], env=env)
        assert second.exit_code == 0, second.output
        assert "created 0 nodes, 0 relationships" in second.output
        with GraphDatabase.driver(info.uri, auth=(info.user, info.password)) as driver:
            records, _, _ = driver.execute_query("MATCH (p:Paper) RETURN count(p) AS n",
                                                 database_=name)
        assert records[0]["n"] == 316
        on_server = runner.invoke(cli, ["query", "-f", f"{QUERIES}/top_datasets.cypher",
                                        "--neo4j", info.uri, "--database", name,
                                        "--format", "json"], env=env)
        embedded = runner.invoke(cli, ["query", "-f", f"{QUERIES}/top_datasets.cypher",
                                       "--graph", str(seed_build.out_dir), "--format", "json"])
        assert on_server.exit_code == 0, on_server.output
        assert json.loads(on_server.output) == json.loads(embedded.output)
    finally:
        bolt_server.drop_database(name)


def test_export_neo4j_wrong_password_is_one_line(runner, bolt_server, seed_build):  # noqa: F811
    result = runner.invoke(cli, ["export", "neo4j", "--graph", str(seed_build.out_dir),
                                 "--uri", bolt_server.info.uri, "--user", "root",
                                 "--password", "wrong"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
