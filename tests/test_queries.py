"""Tests of the query engine on the embedded store (``kgraph.query.embedded``), the
``queries/`` library, and result formatting and parameters (``kgraph.query.format``).

The library's queries run on a real build of the seed pages; for six of them the rows
are recomputed from the networkx graph and must be equal, order included.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import shlex
import time
from collections import Counter, defaultdict
from pathlib import Path

import networkx as nx
import pytest

from graphs import small_graph
from kgraph.errors import GraphNotFoundError, KgraphError
from kgraph.query import QueryError, QueryResult
from kgraph.query.embedded import run_embedded, to_python
from kgraph.query.format import (
    format_csv,
    format_json,
    format_result,
    format_table,
    parse_header,
    parse_params,
    parse_value,
    read_query_file,
)
from kgraph.store import database_path, write_store

QUERIES_DIR = Path(__file__).resolve().parents[1] / "queries"
QUERIES = sorted(QUERIES_DIR.glob("*.cypher"))
ALL = 100_000  # a LIMIT that keeps every row

#: Constructs that exist in only one of LadybugDB's and Neo4j's Cypher (see
#: queries/README.md): the library must not use them.
NOT_PORTABLE = {
    r"\blabels?\s*\(": "label()/labels() differ (a string in LadybugDB, a list in Neo4j)",
    r"\btype\s*\(": "type(r) does not exist in LadybugDB",
    r"\bto(Integer|Float|String|Boolean)\s*\(": "Neo4j's conversions do not exist in LadybugDB",
    r"\bCALL\s*\{": "CALL subqueries do not exist in LadybugDB",
    r"\[\s*\w+\s+IN\b": "list comprehensions do not parse in LadybugDB",
    r"\bapoc\.": "APOC is a Neo4j plugin",
    r"\bshortestPath\s*\(": "shortestPath() is Neo4j syntax",
    r"\bid\s*\(": "internal ids differ between engines",
    r"\*\s*\d*\s*\.\.": "variable-length patterns: different default bounds",
    r"\bFOREACH\b": "FOREACH does not exist in LadybugDB",
}


@pytest.fixture(scope="module")
def seed_store(seed_build, tmp_path_factory) -> Path:
    """The seed build's folder when the build wrote the store, else a store written here."""
    try:
        database_path(seed_build.out_dir)
        return seed_build.out_dir
    except GraphNotFoundError:
        out = tmp_path_factory.mktemp("seed_store")
        write_store(seed_build.graph, out)
        return out


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("small_store")
    write_store(small_graph(), out)
    return out


def run_file(path: Path, store: Path, **params) -> QueryResult:
    cypher, header = read_query_file(path)
    return run_embedded(store, cypher, {**header["defaults"], **params})


def library(name: str) -> Path:
    return QUERIES_DIR / f"{name}.cypher"


# --------------------------------------------------------------------------- library


def test_library_has_at_least_ten_queries():
    assert len(QUERIES) >= 10


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
class TestLibrary:
    def test_header_documents_the_query(self, path):
        cypher, header = read_query_file(path)
        assert header["question"].endswith("?") or "?" in header["question"]
        used = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", cypher))
        assert set(header["parameters"]) == used, "every parameter documented, no extra"
        assert set(header["defaults"]) == used, "every parameter has a default"
        assert all(header["parameters"].values()), "every parameter has a description"
        assert header["example"].startswith(f"kgraph query -f queries/{path.name}")

    def test_written_to_run_unchanged_on_both_engines(self, path):
        cypher, _ = read_query_file(path)
        code = re.sub(r"//[^\n]*", "", cypher)
        for pattern, why in NOT_PORTABLE.items():
            assert not re.search(pattern, code, re.IGNORECASE), why
        assert re.search(r"\bORDER BY\b", code) and re.search(r"\bLIMIT \$limit\s*$", code)

    def test_runs_with_its_defaults(self, path, seed_store):
        result = run_file(path, seed_store)
        assert result.rows, f"{path.name} returned nothing with its defaults"
        assert result.engine == "embedded"
        # every column is named by an alias (LadybugDB and Neo4j name the others
        # differently), and no alias shadows a pattern variable
        assert all(re.fullmatch(r"[a-z_]+", c) for c in result.columns), result.columns

    def test_example_runs(self, path, seed_store):
        cypher, header = read_query_file(path)
        words = shlex.split(header["example"])
        items = [words[i + 1] for i, w in enumerate(words) if w == "-p"]
        params = {**header["defaults"], **parse_params(items, defaults=header["defaults"])}
        assert run_embedded(seed_store, cypher, params).rows

    def test_order_by_has_tie_breaks(self, path, seed_store):
        # Both engines return the same rows only when ORDER BY decides every pair: no
        # two different rows may have equal sort keys. The keys must be returned
        # columns (ordering on anything else could not be checked from the output).
        cypher, _ = read_query_file(path)
        order = re.search(r"\bORDER BY (.+?)\s+LIMIT\b", cypher, re.DOTALL).group(1)
        keys = [re.sub(r"\s+(ASC|DESC)$", "", k.strip(), flags=re.IGNORECASE)
                for k in order.split(",")]
        result = run_file(path, seed_store, limit=ALL)
        assert set(keys) <= set(result.columns), keys
        seen: dict[tuple, list] = {}
        for row in result.rows:
            record = dict(zip(result.columns, row))
            key = tuple(json.dumps(record[k]) for k in keys)
            assert seen.setdefault(key, row) == row, f"rows tie on {keys}: {row}"


# --------------------------------------------------------------------------- networkx


def dataset_papers(G: nx.MultiDiGraph) -> dict[str, dict[str, dict]]:
    """Dataset node -> {paper node: edge data} over USES_DATASET and PROPOSES."""
    out: dict[str, dict[str, dict]] = defaultdict(dict)
    for u, v, k, d in G.edges(keys=True, data=True):
        if k in ("USES_DATASET", "PROPOSES") and G.nodes[v]["label"] == "Dataset":
            out[v][u] = d
    return out


class TestAgainstNetworkx:
    @pytest.mark.parametrize("name", ["COCO", "imagenet", "cifar10"])
    def test_papers_using_dataset(self, seed_build, seed_store, name):
        G = seed_build.graph
        expected = []
        for dataset, papers in dataset_papers(G).items():
            data = G.nodes[dataset]
            if data["name"].lower() == name.lower() or data["key"] == name:
                for paper, edge in papers.items():
                    p = G.nodes[paper]
                    expected.append([p["id"], p["title"], data["name"], edge["count"]])
        expected.sort(key=lambda r: (-r[3], r[0], r[2]))
        assert expected
        result = run_file(library("papers_using_dataset"), seed_store, dataset=name,
                          limit=ALL)
        assert result.columns == ["paper", "title", "dataset", "mentions"]
        assert result.rows == expected

    def test_top_datasets(self, seed_build, seed_store):
        G = seed_build.graph
        expected = sorted(([G.nodes[d]["name"], G.nodes[d]["key"], len(papers)]
                           for d, papers in dataset_papers(G).items()),
                          key=lambda r: (-r[2], r[0], r[1]))
        result = run_file(library("top_datasets"), seed_store, limit=ALL)
        assert result.rows == expected
        assert run_file(library("top_datasets"), seed_store, limit=3).rows == expected[:3]

    def test_papers_sharing_datasets(self, seed_build, seed_store):
        G = seed_build.graph
        _, header = read_query_file(library("papers_sharing_datasets"))
        paper = "paper:" + header["defaults"]["paper"]
        uses = dataset_papers(G)
        shared: Counter[str] = Counter()
        for dataset, papers in uses.items():
            if paper in papers:
                shared.update(p for p in papers if p != paper)
        expected = sorted(([G.nodes[p]["id"], G.nodes[p]["title"], n]
                           for p, n in shared.items()), key=lambda r: (-r[2], r[0]))
        assert expected
        result = run_file(library("papers_sharing_datasets"), seed_store, limit=ALL)
        assert result.rows == expected

    def test_papers_without_code(self, seed_build, seed_store):
        G = seed_build.graph
        expected = sorted([d["id"], d["title"]] for n, d in G.nodes(data=True)
                          if d["label"] == "Paper"
                          and not any(k == "HAS_CODE" for _, _, k in G.out_edges(n, keys=True)))
        result = run_file(library("papers_without_code"), seed_store, limit=ALL)
        assert result.rows == expected

    def test_entity_cooccurrence(self, seed_build, seed_store):
        G = seed_build.graph
        pairs: Counter[tuple[str, str]] = Counter()
        for paper, data in G.nodes(data=True):
            if data["label"] != "Paper":
                continue
            out = [(v, k) for _, v, k in G.out_edges(paper, keys=True)]
            methods = {v for v, k in out if k in ("USES_METHOD", "PROPOSES")
                       and G.nodes[v]["label"] == "Method"}
            datasets = {v for v, k in out if k in ("USES_DATASET", "PROPOSES")
                        and G.nodes[v]["label"] == "Dataset"}
            pairs.update((m, d) for m in methods for d in datasets)
        expected = sorted(([G.nodes[m]["name"], G.nodes[d]["name"], n]
                           for (m, d), n in pairs.items() if n >= 2),
                          key=lambda r: (-r[2], r[0], r[1]))
        result = run_file(library("entity_cooccurrence"), seed_store, limit=ALL)
        assert result.rows == expected

    @pytest.mark.parametrize("dataset, metric, lower", [
        ("ImageNet-1K", "top-1 accuracy", False), ("coco", "box AP", False),
        ("VoxCeleb", "equalerrorrate", True)])
    def test_results_on_dataset(self, seed_build, seed_store, dataset, metric, lower):
        G = seed_build.graph
        expected = []
        for u, v, d in G.edges(data=True):
            node = G.nodes[v]
            if d["type"] != "REPORTS" or d["kind"] != "absolute":
                continue
            if not (node["name"].lower() == dataset.lower() or node["key"] == dataset):
                continue
            if not ((d["metric"] or "").lower() == metric.lower() or d["metric_key"] == metric):
                continue
            p = G.nodes[u]
            expected.append([p["id"], p["title"], d["method"], d["value"], d["unit"] or None,
                             d["span_start"], -d["value"] if lower else d["value"]])
        expected.sort(key=lambda r: (-r[6], r[0], r[5]))
        assert expected
        result = run_file(library("results_on_dataset"), seed_store, dataset=dataset,
                          metric=metric, lower_is_better=lower, limit=ALL)
        assert result.columns == ["paper", "title", "method", "value", "unit", "position",
                                  "score"]
        assert result.rows == expected

    def test_related_papers(self, seed_build, seed_store):
        G = seed_build.graph
        _, header = read_query_file(library("related_papers"))
        paper = "paper:" + header["defaults"]["paper"]
        expected = []
        for u, v, k, d in G.edges(keys=True, data=True):
            if k == "SHARES_ENTITY" and paper in (u, v):
                other = G.nodes[v if u == paper else u]
                expected.append([other["id"], other["title"], d["weight"], len(d["shared"])])
        expected.sort(key=lambda r: (-r[2], r[0]))
        result = run_file(library("related_papers"), seed_store, limit=ALL)
        assert result.rows == expected


# --------------------------------------------------------------------------- engine


class TestEngine:
    def test_values_are_plain_python(self, small_store):
        result = run_embedded(small_store, "MATCH (p:Paper {id: $id})-[r:PROPOSES]->(m:Method) "
                                           "RETURN p, r, m.aliases AS aliases, "
                                           "sum(r.count) AS total", {"id": "2401.00001"})
        assert result.columns == ["p", "r", "aliases", "total"]
        [[paper, rel, aliases, total]] = result.rows
        assert paper == {"id": "2401.00001", "name": "Deep Residual Learning for Image "
                         "Recognition", "title": "Deep Residual Learning for Image Recognition",
                         "abstract": small_graph().nodes["paper:2401.00001"]["abstract"],
                         "url": "https://arxiv.org/abs/2401.00001",
                         "authors": ["K. He", "X. Zhang"], "date": "2024-01-02",
                         "categories": ["cs.CV"], "sources": ["papers.jsonl:1"]}
        assert rel == {"count": 2, "aliases": ["residual nets"], "sentence": 3}
        assert aliases == ["ResNet-50", "residual nets"]
        assert total == 2 and type(total) is int  # LadybugDB sums to a 128-bit Decimal
        assert result.elapsed > 0

    def test_paths_become_nodes_and_relationships(self, small_store):
        result = run_embedded(small_store, "MATCH p = (a:Paper {id: '2402.00002'})"
                                           "-[:PROPOSES]->(m:Method) RETURN p AS path")
        [[path]] = result.rows
        assert [n.get("id", n.get("key")) for n in path["nodes"]] == ["2402.00002", "vit"]
        assert path["relationships"] == [{"count": 1, "aliases": ["ViT"], "sentence": 1}]

    def test_timeout_cancels_an_expensive_query(self, seed_store):
        expensive = ("MATCH (a:Paper)-[:SHARES_ENTITY*1..6]-(b:Paper) "
                     "RETURN count(*) AS paths")
        started = time.monotonic()
        with pytest.raises(QueryError, match=r"query took longer than 0\.5 s") as info:
            run_embedded(seed_store, expensive, timeout=0.5)
        # uncancelled, the query would run for hours; the bound only proves cancellation
        assert time.monotonic() - started < 60
        assert isinstance(info.value, KgraphError)
        assert run_embedded(seed_store, "MATCH (p:Paper) RETURN count(p) AS n").rows

    def test_syntax_error_gives_the_engine_message_and_the_line(self, small_store):
        with pytest.raises(QueryError) as info:
            run_embedded(small_store, "MATCH (p:Paper)\nRETRN p.id AS id")
        message = str(info.value)
        assert message.startswith("Parser exception: ")
        assert "line: 2" in message and "at line 2, column 1: RETRN p.id AS id" in message
        assert "\n" not in message

    @pytest.mark.parametrize("cypher, expected", [
        ("MATCH (p:Paper) RETURN p.nope AS x", "Cannot find property nope"),
        ("MATCH (x:Nope) RETURN x.name AS name", "Table Nope does not exist"),
        ("CREATE (:Paper {id: 'new'})", "read-only"),
        ("MATCH (p:Paper) RETURN p.id AS id; MATCH (p:Paper) RETURN p.id AS id",
         "one statement at a time"),
        ("   ", "the query is empty"),
    ])
    def test_other_errors(self, small_store, cypher, expected):
        with pytest.raises(QueryError, match=re.escape(expected)):
            run_embedded(small_store, cypher)
        # the store is untouched
        assert run_embedded(small_store, "MATCH (p:Paper) RETURN count(p) AS n").rows == [[3]]

    def test_final_semicolon_is_allowed(self, small_store):
        assert run_embedded(small_store, "MATCH (p:Paper) RETURN count(p) AS n;").rows == [[3]]

    @pytest.mark.parametrize("params, expected", [
        ({"x": [1, "a"]}, "parameter 'x': the list mixes number and string"),
        ({"x": 2 ** 64}, "parameter 'x': 18446744073709551616 does not fit in 64 bits"),
        ({"x": object()}, "parameter 'x': values of type object"),
        ({"not a name": 1}, "invalid parameter name 'not a name'"),
    ])
    def test_parameters_the_engine_cannot_take(self, small_store, params, expected):
        with pytest.raises(QueryError, match=re.escape(expected)):
            run_embedded(small_store, "RETURN 1 AS one", params)

    def test_parameters_of_every_json_type(self, small_store):
        params = {"s": "it's \"x\"", "i": -3, "f": 0.25, "b": True, "n": None,
                  "l": ["a", "b"], "m": {"k": [1, 2]}}
        result = run_embedded(small_store, "RETURN $s AS s, $i AS i, $f AS f, $b AS b, "
                                           "$n AS n, $l AS l, $m AS m", params)
        assert result.records() == [params]

    @pytest.mark.parametrize("timeout", [0, -1, float("nan"), "5"])
    def test_bad_timeout(self, small_store, timeout):
        with pytest.raises(QueryError, match="timeout"):
            run_embedded(small_store, "RETURN 1 AS one", timeout=timeout)

    def test_missing_store(self, tmp_path):
        with pytest.raises(GraphNotFoundError, match="kgraph build"):
            run_embedded(tmp_path, "RETURN 1 AS one")

    def test_to_python_drops_null_properties_and_internal_fields(self):
        node = {"_ID": {"offset": 3, "table": 0}, "_LABEL": "Paper", "id": "1",
                "url": None, "authors": ["A"]}
        assert to_python(node) == {"id": "1", "authors": ["A"]}
        assert to_python({"plain": None}) == {"plain": None}  # a map keeps its nulls


# --------------------------------------------------------------------------- formatting


def display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class TestFormatTable:
    def test_alignment_and_row_count(self):
        result = QueryResult(["name", "n", "score"], [["a", 1, 0.5], ["bbbbbb", 100, None]])
        assert format_table(result).splitlines() == [
            "name      n  score",
            "------  ---  -----",
            "a         1    0.5",
            "bbbbbb  100",
            "(2 rows)",
        ]

    def test_one_row_and_no_rows(self):
        assert format_table(QueryResult(["x"], [[True]])).splitlines()[-2:] == ["true", "(1 row)"]
        assert format_table(QueryResult(["x"], [])) == "x\n-\n(0 rows)"

    def test_long_cells_are_cut(self):
        text = format_table(QueryResult(["t"], [["x" * 200]]), max_width=20)
        assert text.splitlines()[2] == "x" * 19 + "…"

    def test_line_breaks_are_escaped_so_each_row_is_one_line(self):
        result = QueryResult(["t", "n"], [["a\nb\r\nc\td", 1], ["e\u2028f", 2]])
        lines = format_table(result).splitlines()
        assert len(lines) == 5
        assert lines[2].startswith("a\\nb\\r\\nc\\td") and lines[3].startswith("e\\u2028f")

    def test_wide_characters_keep_columns_aligned(self):
        result = QueryResult(["name", "n"], [["中文名", 1], ["ascii", 2], ["😀😀", 3]])
        lines = format_table(result).splitlines()[:-1]
        assert len({display_width(line) for line in lines}) == 1

    def test_lists_and_maps_as_json(self):
        result = QueryResult(["l", "m"], [[["a", "é"], {"k": None}]])
        assert format_table(result).splitlines()[2] == '["a", "é"]  {"k": null}'


class TestFormatJsonCsv:
    HOSTILE = ["comma, here", 'quote "q"', "line\nbreak", "crlf\r\n", "é😀", "", "=1+1"]

    def test_json_is_a_list_of_objects(self):
        rows = [[s, i, [s], {"k": s}] for i, s in enumerate(self.HOSTILE)]
        result = QueryResult(["s", "i", "l", "m"], rows)
        assert json.loads(format_json(result)) == result.records()

    def test_json_has_no_nan(self):
        data = json.loads(format_json(QueryResult(["x"], [[math.nan], [math.inf], [1.5]])))
        assert data == [{"x": None}, {"x": None}, {"x": 1.5}]

    def test_csv_round_trips_through_the_csv_module(self):
        rows = [[s, i, None, True, [s]] for i, s in enumerate(self.HOSTILE)]
        text = format_csv(QueryResult(["s", "i", "none", "b", "l"], rows))
        assert text.endswith("\r\n")
        records = list(csv.reader(io.StringIO(text, newline="")))
        assert records[0] == ["s", "i", "none", "b", "l"]
        assert records[1:] == [[s, str(i), "", "true", json.dumps([s], ensure_ascii=False)]
                               for i, s in enumerate(self.HOSTILE)]

    def test_csv_quotes_only_when_needed_and_ends_records_with_crlf(self):
        text = format_csv(QueryResult(["a", "b"], [["x", 'say "hi"'], ["1,2", "y\nz"]]))
        assert text == 'a,b\r\nx,"say ""hi"""\r\n"1,2","y\nz"\r\n'

    def test_format_result_dispatches(self):
        result = QueryResult(["a"], [[1]])
        assert format_result(result, "table") == format_table(result)
        assert format_result(result, "json") == format_json(result)
        assert format_result(result, "csv") == format_csv(result)
        with pytest.raises(QueryError, match="unknown output format 'xml'"):
            format_result(result, "xml")

    def test_formats_of_a_real_result(self, small_store):
        result = run_embedded(small_store, "MATCH (p:Paper) RETURN p.id AS id, "
                                           "p.authors AS authors ORDER BY id")
        assert json.loads(format_json(result))[0] == {"id": "2401.00001",
                                                      "authors": ["K. He", "X. Zhang"]}
        assert list(csv.reader(io.StringIO(format_csv(result), newline="")))[3] == [
            "t0123456789ab", ""]
        assert format_table(result).splitlines()[-1] == "(3 rows)"


# --------------------------------------------------------------------------- parameters


class TestParseParams:
    def test_json_values(self):
        assert parse_params(["i=3", "f=-0.5", "t=true", "n=null", 's="quoted"', "l=[1, 2]",
                             'm={"a": [true]}']) == {
            "i": 3, "f": -0.5, "t": True, "n": None, "s": "quoted", "l": [1, 2],
            "m": {"a": [True]}}

    def test_plain_strings(self):
        assert parse_params(["task=object detection", "u=https://x.org/?a=b", "e=",
                             "x=NaN", "y=[unclosed", "z='single'"]) == {
            "task": "object detection", "u": "https://x.org/?a=b", "e": "", "x": "NaN",
            "y": "[unclosed", "z": "'single'"}

    def test_dollar_prefix_and_last_value_wins(self):
        assert parse_params(["$limit=1", "limit=2"]) == {"limit": 2}

    def test_string_defaults_keep_numbers_as_text(self):
        defaults = {"paper": "t731c177e0fc0", "limit": 20}
        assert parse_params(["paper=2401.00010", "limit=5"], defaults=defaults) == {
            "paper": "2401.00010", "limit": 5}
        assert parse_params(["paper=2401.00010"]) == {"paper": 2401.0001}

    @pytest.mark.parametrize("item, expected", [
        ("limit", "parameter 'limit': expected NAME=VALUE"),
        ("=5", "parameter '=5': '' is not a parameter name"),
        ("1x=5", "parameter '1x=5': '1x' is not a parameter name"),
        ("a b=5", "parameter 'a b=5': 'a b' is not a parameter name"),
    ])
    def test_malformed_items_name_the_item(self, item, expected):
        with pytest.raises(QueryError, match=re.escape(expected)):
            parse_params([item])

    def test_parse_value(self):
        assert parse_value(" 12 ") == 12
        assert parse_value("Infinity") == "Infinity"


# --------------------------------------------------------------------------- query files


class TestQueryFiles:
    def test_header_sections(self):
        header = parse_header([
            "// papers_using_dataset.cypher",
            "// Question: Which papers use",
            "//   a dataset?",
            "// Parameters:",
            '//   $dataset  dataset name, any case (default "COCO")',
            "//   $limit: most rows",
            "//     to return (default 50)",
            "//   $flag - no default here",
            "// Example: kgraph query -f q.cypher -p dataset=MNIST",
            "//   kgraph query -f q.cypher -p dataset=COCO",
        ])
        assert header == {
            "question": "Which papers use a dataset?",
            "parameters": {"dataset": "dataset name, any case", "limit": "most rows to return",
                           "flag": "no default here"},
            "defaults": {"dataset": "COCO", "limit": 50},
            "example": "kgraph query -f q.cypher -p dataset=MNIST\n"
                       "kgraph query -f q.cypher -p dataset=COCO",
        }

    def test_default_with_parentheses_and_lists(self):
        header = parse_header(['// Parameters:', '//   $q  text (default "a (b)")',
                               '//   $ids  ids (default ["x", "y"])'])
        assert header["defaults"] == {"q": "a (b)", "ids": ["x", "y"]}

    def test_read_query_file(self, tmp_path):
        path = tmp_path / "q.cypher"
        path.write_text("\n// Question: How many?\n// Parameters:\n//   $n  x (default 1)\n\n"
                        "MATCH (p:Paper) // inline comments stay\nRETURN count(p) AS n ;\n\n",
                        encoding="utf-8")
        cypher, header = read_query_file(path)
        assert cypher == "MATCH (p:Paper) // inline comments stay\nRETURN count(p) AS n"
        assert header["defaults"] == {"n": 1} and header["question"] == "How many?"

    def test_file_without_header(self, tmp_path):
        path = tmp_path / "q.cypher"
        path.write_text("RETURN 1 AS one", encoding="utf-8")
        assert read_query_file(path) == ("RETURN 1 AS one", {
            "question": "", "parameters": {}, "defaults": {}, "example": ""})

    def test_missing_and_empty_files(self, tmp_path):
        with pytest.raises(QueryError, match="no such query file"):
            read_query_file(tmp_path / "nope.cypher")
        path = tmp_path / "empty.cypher"
        path.write_text("// Question: nothing?\n", encoding="utf-8")
        with pytest.raises(QueryError, match="no query after the header"):
            read_query_file(path)
        path.write_bytes(b"\xff\xfe RETURN 1")
        with pytest.raises(QueryError, match="cannot read"):
            read_query_file(path)
