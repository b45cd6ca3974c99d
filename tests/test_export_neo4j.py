"""Tests of the Neo4j exports: Cypher literals, import.cypher and the neo4j-admin CSV files.

The generated Cypher is read back with the module's own literal reader and a statement
splitter that knows about strings and comments, then compared with the graph; the CSV
files are read back with :mod:`csv` and compared with the graph too.
"""

from __future__ import annotations

import csv
import math
import re
import string
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphs import add_entity, link, small_graph, synthetic_graph
from kgraph.errors import ExportError
from kgraph.export.cypher import (
    NODE_LABELS,
    constraint_query,
    literal,
    merge_nodes_query,
    merge_relationships_query,
    node_groups,
    parse_literal,
    read_literal,
    relationship_groups,
    split_statements,
)
from kgraph.export.neo4j_csv import (
    ARRAY_DELIMITER,
    admin_import_command,
    write_neo4j,
    write_neo4j_csv,
)
from kgraph.export.neo4j_script import (
    constraint_statements,
    cypher_statements,
    generate_constraints,
    generate_cypher,
    write_cypher,
)

HOSTILE = [
    "",
    "plain",
    "it's",
    "'",
    "''",
    '"double" quotes',
    "back\\slash",
    "trailing backslash\\",
    "\\",
    "\\'",
    "\\\\'",
    "`backticks` and ``doubled``",
    "{braces} [brackets] (parens)",
    "// not a comment",
    "/* not a comment */",
    "$param and $0",
    "semi;colon;",
    "line\nbreak\r\nand\rreturn\ttab",
    "nul\x00 bell\x07 esc\x1b del\x7f c1\x85\x9f",
    "line separator\u2028paragraph\u2029bom\ufeff",
    "emoji \U0001F600 \U0001F469\u200d\U0001F4BB and CJK 그래프",
    "caf\u00e9 na\u00efve \u00c5ngstr\u00f6m",
    "'}) DETACH DELETE n //",
    "'); MATCH (n) DETACH DELETE n; //",
    "\\'; MATCH (n) DETACH DELETE n; //",
    "\\u0027) DETACH DELETE n //",
    "MATCH (n) DETACH DELETE n",
    "unit\x1fseparator",
]

PAPER_PROPS = ["abstract", "authors", "categories", "date", "name", "sources", "title", "url"]
ENTITY_PROPS = ["aliases", "name", "papers"]
LINK_PROPS = ["aliases", "count", "sentence"]

NODE_TAIL = re.compile(
    r"\s*AS row\nMERGE \(n:(?P<label>\w+) \{(?P<key>\w+): row\.(?P=key)\}\)"
    r"(?:\nSET (?P<set>.*))?", re.DOTALL)
REL_TAIL = re.compile(
    r"\s*AS row\nMATCH \(a:(?P<start>\w+) \{(?P<skey>\w+): row\.src\}\)"
    r"\nMATCH \(b:(?P<end>\w+) \{(?P<ekey>\w+): row\.dst\}\)"
    r"\nMERGE \(a\)-\[r:(?P<type>\w+)\]->\(b\)(?:\nSET (?P<set>.*))?", re.DOTALL)


# --------------------------------------------------------------------------- helpers

def normalised(value):
    """What a graph attribute becomes in Neo4j: '' and [] are absent (None)."""
    if value == "" or value == [] or value == ():
        return None
    if isinstance(value, tuple):
        return list(value)
    return value


def merge_key(label: str) -> str:
    return "id" if label == "Paper" else "key"


def expected_nodes(G: nx.MultiDiGraph) -> dict[tuple[str, str], dict]:
    """(label, merge key value) -> properties (absent ones dropped), from the graph."""
    out = {}
    for _, data in G.nodes(data=True):
        key = merge_key(data["label"])
        props = {k: normalised(v) for k, v in data.items() if k not in ("label", key)}
        out[(data["label"], data[key])] = {k: v for k, v in props.items() if v is not None}
    return out


def expected_relationships(G: nx.MultiDiGraph) -> dict[tuple[str, str, str, str], dict]:
    """(type, end label, src key, dst key) -> properties, from the graph."""
    out = {}
    for u, v, _, data in G.edges(keys=True, data=True):
        du, dv = G.nodes[u], G.nodes[v]
        ident = (data["type"], dv["label"], du[merge_key(du["label"])], dv[merge_key(dv["label"])])
        props = {k: normalised(val) for k, val in data.items() if k != "type"}
        out[ident] = {k: val for k, val in props.items() if val is not None}
    return out


def set_properties(clause: str | None, var: str) -> list[str]:
    if not clause:
        return []
    names = []
    for assignment in clause.split(", "):
        match = re.fullmatch(rf"{var}\.(\w+) = row\.(\w+)", assignment)
        assert match and match.group(1) == match.group(2), assignment
        names.append(match.group(1))
    return names


def parse_script(script: str):
    """Split the script and parse every statement strictly.

    Returns (constraints, node statements, relationship statements); each data
    statement as a dict with its labels/type, SET properties and parsed rows. Any
    statement that is not a constraint or one of the two UNWIND forms fails the test.
    """
    constraints, nodes, rels = [], [], []
    for statement in split_statements(script):
        if statement.startswith("CREATE CONSTRAINT"):
            constraints.append(statement)
            continue
        assert statement.startswith("UNWIND "), statement[:80]
        rows, end = read_literal(statement, len("UNWIND "))
        assert isinstance(rows, list) and rows
        tail = statement[end:]
        node = NODE_TAIL.fullmatch(tail)
        rel = REL_TAIL.fullmatch(tail)
        assert node or rel, tail
        if node:
            nodes.append({"label": node["label"], "key": node["key"], "rows": rows,
                          "set": set_properties(node["set"], "n")})
        else:
            rels.append({"type": rel["type"], "start": rel["start"], "end": rel["end"],
                         "skey": rel["skey"], "ekey": rel["ekey"], "rows": rows,
                         "set": set_properties(rel["set"], "r")})
    return constraints, nodes, rels


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8") as handle:
        records = list(csv.reader(handle))
    return records[0], records[1:]


def csv_value(text: str, column_type: str):
    """Read one CSV cell back by its header type, as neo4j-admin would."""
    if text == "":
        return None
    base = column_type.removesuffix("[]")
    convert = {"string": str, "long": int, "double": float,
               "boolean": lambda s: s == "true"}[base]
    if column_type.endswith("[]"):
        return [convert(item) for item in text.split(ARRAY_DELIMITER)]
    return convert(text)


def hostile_graph() -> nx.MultiDiGraph:
    """The small graph with hostile text in titles, abstracts, names, aliases and keys."""
    G = small_graph()
    p1 = G.nodes["paper:2401.00001"]
    p1["title"] = p1["name"] = "'); MATCH (n) DETACH DELETE n; //"
    p1["abstract"] = "\n".join(HOSTILE)
    p1["authors"] = ["O'Brien, J.", 'The "Quoted"', "back\\slash\\", "a;b,c"]
    p2 = G.nodes["paper:2402.00002"]
    p2["title"] = p2["name"] = '"; MATCH (n) DETACH DELETE n; //\r\n/* x */ `y` $z'
    ds = add_entity(G, "Dataset", "o'reilly \\ set; //", "O'Reilly \\ Set; //",
                    ["'}) DETACH DELETE n //", "emoji \U0001F600", "\u2028"])
    link(G, "paper:2401.00001", ds, aliases=["it's \"it\""], count=3, sentence=2)
    return G


# --------------------------------------------------------------------------- literals

class TestLiteral:
    @pytest.mark.parametrize("ascii_only", [False, True])
    @pytest.mark.parametrize("text", HOSTILE)
    def test_hostile_strings_round_trip(self, text, ascii_only):
        written = literal(text, ascii_only=ascii_only)
        assert parse_literal(written) == text
        assert written.startswith("'") and written.endswith("'")
        # No raw line break, control character or separator survives in the literal.
        assert not re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029]", written)
        if ascii_only:
            assert written.isascii()

    @pytest.mark.parametrize("text", HOSTILE)
    def test_string_never_ends_early(self, text):
        # The only unescaped quote is the closing one: the literal is one token.
        value, end = read_literal(literal(text) + " AS row")
        assert value == text
        assert end == len(literal(text))

    @pytest.mark.parametrize("value, expected", [
        ("it's", r"'it\'s'"),
        ("trailing\\", r"'trailing\\'"),
        ("a\nb\rc\td", r"'a\nb\rc\td'"),
        ("\x00\x08\x0c\x1b\x7f\x85", r"'\u0000\u0008\u000C\u001B\u007F\u0085'"),
        ("\u2028\u2029\ufeff", r"'\u2028\u2029\uFEFF'"),
        ('"`{}//$p', "'\"`{}//$p'"),
        ("caf\u00e9 \U0001F600", "'caf\u00e9 \U0001F600'"),
    ])
    def test_escapes(self, value, expected):
        assert literal(value) == expected

    def test_ascii_only_uses_utf16_surrogate_pairs(self):
        assert literal("\U0001F600", ascii_only=True) == r"'\uD83D\uDE00'"
        assert literal("\u00e9", ascii_only=True) == r"'\u00E9'"
        assert parse_literal(r"'\uD83D\uDE00'") == "\U0001F600"

    @pytest.mark.parametrize("value, expected", [
        (None, "null"), (True, "true"), (False, "false"), (0, "0"), (-42, "-42"),
        (2 ** 63 - 1, "9223372036854775807"), (1.5, "1.5"), (-0.25, "-0.25"),
        (1e16, "1e16"), (1e-07, "1e-07"), (2.0, "2.0"),
        (["a", "b"], "['a', 'b']"), ((), "[]"), ({"k": [1, None]}, "{k: [1, null]}"),
    ])
    def test_scalars_and_containers(self, value, expected):
        assert literal(value) == expected
        back = parse_literal(expected)
        assert back == (list(value) if isinstance(value, tuple) else value)

    @pytest.mark.parametrize("value", [
        float("nan"), float("inf"), -float("inf"), 2 ** 63, -(2 ** 63), 10 ** 30,
        object(), {1, 2}, b"bytes", {"bad key": 1}, {"k`": 1}, {1: "x"}, "\ud800 lone",
    ])
    def test_refused_values(self, value):
        with pytest.raises(ExportError):
            literal(value)

    @settings(max_examples=300, deadline=None)
    @given(st.text())
    def test_any_text_round_trips(self, text):
        assert parse_literal(literal(text)) == text
        assert parse_literal(literal(text, ascii_only=True)) == text

    @settings(max_examples=200, deadline=None)
    @given(st.recursive(
        st.none() | st.booleans() | st.integers(-(2 ** 63) + 1, 2 ** 63 - 1)
        | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
        lambda children: st.lists(children, max_size=4) | st.dictionaries(
            st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True), children,
            max_size=4),
        max_leaves=12))
    def test_any_value_round_trips(self, value):
        assert parse_literal(literal(value)) == value


class TestParseLiteral:
    @pytest.mark.parametrize("text, expected", [
        ('"double \\"quoted\\" \\\'single\\\'"', "double \"quoted\" 'single'"),
        (r"'\t\b\n\r\f\\'", "\t\b\n\r\f\\"),
        ("0x1F", 31), ("-0x1f", -31), ("0o17", 15), ("1E3", 1000.0), (".5", 0.5),
        ("TRUE", True), ("Null", None), ("  [ 1 ,2 ]  ", [1, 2]),
        ("{`odd key`: 1, `back``tick`: 2}", {"odd key": 1, "back`tick": 2}),
        ("{}", {}), ("[]", []),
        ("'multi\nline'", "multi\nline"),
    ])
    def test_reads(self, text, expected):
        assert parse_literal(text) == expected

    @pytest.mark.parametrize("text", [
        "", "'unterminated", "'bad \\q escape'", "'\\u12'", "'a' 'b'", "[1, 2",
        "{a 1}", "{a: 1, a: 2}", "nope", "MATCH (n) RETURN n", "1 DETACH DELETE n",
    ])
    def test_rejects(self, text):
        with pytest.raises(ValueError):
            parse_literal(text)

    def test_read_literal_reports_the_end(self):
        text = "UNWIND ['a;b', 'c'] AS row"
        value, end = read_literal(text, 7)
        assert value == ["a;b", "c"]
        assert text[end:] == " AS row"


class TestSplitStatements:
    def test_semicolons_inside_strings_names_and_comments(self):
        script = (
            "// header; with 'quote\n"
            "RETURN 'a;b' AS x;\n"
            "RETURN \"c;d\" AS `e;f`;\n"
            "RETURN 'it\\'s; fine' AS y; /* block; comment */\n"
            "RETURN 'ends with backslash\\\\' AS z;\n"
            "RETURN '//;' AS w, `tick``;` AS v;\n"
            "RETURN 1 // trailing; comment\n;\n"
            "RETURN 2"
        )
        assert split_statements(script) == [
            "RETURN 'a;b' AS x",
            'RETURN "c;d" AS `e;f`',
            "RETURN 'it\\'s; fine' AS y",
            "RETURN 'ends with backslash\\\\' AS z",
            "RETURN '//;' AS w, `tick``;` AS v",
            "RETURN 1",
            "RETURN 2",
        ]

    def test_naive_split_would_be_wrong(self):
        script = f"RETURN {literal('x; MATCH (n) DETACH DELETE n')} AS a;"
        assert len(script.split(";")) == 3
        assert split_statements(script) == [script[:-1]]

    @pytest.mark.parametrize("script", ["RETURN 'open;", "RETURN `open;", "RETURN 1 /* open;"])
    def test_unterminated(self, script):
        with pytest.raises(ValueError):
            split_statements(script)


# --------------------------------------------------------------------------- import.cypher

class TestImportCypher:
    def test_header(self):
        script = generate_cypher(small_graph())
        header = script.split("\n\n", 1)[0].splitlines()
        assert header and all(line.startswith("//") for line in header)
        text = "\n".join(header)
        assert "Neo4j 5" in text
        assert "cypher-shell -u neo4j -p PASSWORD -f import.cypher" in text
        assert "idempotent" in text
        # No quote or semicolon in comments: no statement splitter can be confused.
        assert not re.search("[;'\"`]", text)
        assert split_statements(script)[0].startswith("CREATE CONSTRAINT")

    def test_constraints_come_first(self):
        statements = split_statements(generate_cypher(small_graph()))
        n = len(NODE_LABELS)
        assert statements[:n] == constraint_statements()
        assert statements[0] == ("CREATE CONSTRAINT paper_id IF NOT EXISTS "
                                 "FOR (n:Paper) REQUIRE n.id IS UNIQUE")
        for statement, label in zip(statements[:n], NODE_LABELS):
            key = merge_key(label)
            assert re.fullmatch(
                rf"CREATE CONSTRAINT \w+ IF NOT EXISTS FOR \(n:{label}\) "
                rf"REQUIRE n\.{key} IS UNIQUE", statement)
        assert not any("CONSTRAINT" in s for s in statements[n:])

    def test_every_node_exactly_once(self):
        G = small_graph()
        _, nodes, _ = parse_script(generate_cypher(G))
        found: dict[tuple[str, str], dict] = {}
        for statement in nodes:
            label, key = statement["label"], statement["key"]
            assert key == merge_key(label)
            for row in statement["rows"]:
                assert set(row) == {key, *statement["set"]}
                ident = (label, row[key])
                assert ident not in found, f"{ident} written twice"
                found[ident] = {k: v for k, v in row.items() if k != key and v is not None}
        assert found == expected_nodes(G)
        assert len(found) == G.number_of_nodes()

    def test_every_relationship_exactly_once(self):
        G = small_graph()
        _, _, rels = parse_script(generate_cypher(G))
        found: dict[tuple, dict] = {}
        for statement in rels:
            assert statement["start"] == "Paper" and statement["skey"] == "id"
            assert statement["ekey"] == merge_key(statement["end"])
            for row in statement["rows"]:
                assert set(row) == {"src", "dst", *statement["set"]}
                ident = (statement["type"], statement["end"], row["src"], row["dst"])
                assert ident not in found, f"{ident} written twice"
                found[ident] = {k: v for k, v in row.items()
                                if k not in ("src", "dst") and v is not None}
        assert found == expected_relationships(G)
        assert len(found) == G.number_of_edges()
        types = {s["type"] for s in rels}
        assert {"PROPOSES", "SHARES_ENTITY", "USES_DATASET", "HAS_CODE"} <= types
        shares = [s for s in rels if s["type"] == "SHARES_ENTITY"]
        assert shares and all(s["end"] == "Paper" and s["ekey"] == "id" for s in shares)

    def test_hostile_text_is_data(self):
        G = hostile_graph()
        script = generate_cypher(G)
        assert script.isascii()
        constraints, nodes, rels = parse_script(script)  # fails on any other statement
        clean = parse_script(generate_cypher(small_graph()))
        assert len(nodes) == len(clean[1]) and len(constraints) == len(clean[0])
        rows = {row["id"]: row for s in nodes if s["label"] == "Paper" for row in s["rows"]}
        assert rows["2401.00001"]["title"] == "'); MATCH (n) DETACH DELETE n; //"
        assert rows["2401.00001"]["abstract"] == "\n".join(HOSTILE)
        assert rows["2401.00001"]["authors"] == G.nodes["paper:2401.00001"]["authors"]
        assert rows["2402.00002"]["title"] == G.nodes["paper:2402.00002"]["title"]
        found = {(s["label"], row[s["key"]]) for s in nodes for row in s["rows"]}
        assert ("Dataset", "o'reilly \\ set; //") in found
        assert len(found) == G.number_of_nodes()
        assert sum(len(s["rows"]) for s in rels) == G.number_of_edges()

    @pytest.mark.parametrize("batch_size", [1, 2, 3, 500])
    def test_batches(self, batch_size):
        G = small_graph()
        _, nodes, rels = parse_script(generate_cypher(G, batch_size=batch_size))
        assert all(len(s["rows"]) <= batch_size for s in nodes + rels)
        papers = [s for s in nodes if s["label"] == "Paper"]
        assert len(papers) == math.ceil(3 / batch_size)
        assert sum(len(s["rows"]) for s in nodes) == G.number_of_nodes()
        assert sum(len(s["rows"]) for s in rels) == G.number_of_edges()

    def test_larger_graph_batches(self):
        G = synthetic_graph(300, 700, seed=1)
        statements = cypher_statements(G, batch_size=100)
        unwinds = [s for s in statements if s.startswith("UNWIND")]
        rows = [read_literal(s, len("UNWIND "))[0] for s in unwinds]
        assert all(0 < len(r) <= 100 for r in rows)
        assert sum(len(r) for r in rows) == G.number_of_nodes() + G.number_of_edges()
        assert len([r for r in rows if "title" in r[0]]) == 3  # 300 papers in 3 batches

    @pytest.mark.parametrize("batch_size", [0, -1, 1.5, True])
    def test_bad_batch_size(self, batch_size):
        with pytest.raises(ValueError):
            generate_cypher(small_graph(), batch_size=batch_size)

    def test_deterministic(self):
        G = small_graph()
        H = nx.MultiDiGraph(**G.graph)
        H.add_nodes_from(reversed(list(G.nodes(data=True))))
        H.add_edges_from(reversed(list(G.edges(keys=True, data=True))))
        assert generate_cypher(G) == generate_cypher(small_graph()) == generate_cypher(H)

    def test_writes_only_with_merge(self):
        statements = split_statements(generate_cypher(hostile_graph()))
        for statement in statements[len(NODE_LABELS):]:
            _, end = read_literal(statement, len("UNWIND "))
            code = statement[end:]  # everything after the data
            assert "MERGE" in code
            assert not re.search(r"\b(CREATE|DELETE|REMOVE|DETACH|CALL|LOAD)\b", code)

    def test_cypher_statements_match_the_script(self):
        G = small_graph()
        assert cypher_statements(G) == split_statements(generate_cypher(G))

    def test_write_cypher(self, tmp_path):
        G = small_graph()
        path = write_cypher(G, tmp_path / "sub" / "import.cypher")
        assert path.read_text(encoding="utf-8") == generate_cypher(G)
        assert path.read_bytes().isascii()

    def test_empty_graph_has_only_constraints(self):
        statements = split_statements(generate_cypher(nx.MultiDiGraph()))
        assert statements == constraint_statements()

    def test_widened_and_boolean_values(self):
        G = small_graph()
        G.nodes["dataset:cora"]["papers"] = 1.5  # a float among integers: all floats
        for node in ("dataset:cora", "dataset:cifar 10"):
            G.nodes[node]["curated"] = node == "dataset:cora"
        _, nodes, _ = parse_script(generate_cypher(G))
        rows = {r["key"]: r for s in nodes if s["label"] == "Dataset" for r in s["rows"]}
        assert rows["cora"]["papers"] == 1.5
        widened = rows["imagenet 1k"]["papers"]
        assert widened == 2.0 and isinstance(widened, float)
        assert rows["cora"]["curated"] is True and rows["cifar 10"]["curated"] is False
        assert rows["imagenet 1k"]["curated"] is None


# --------------------------------------------------------------------------- validation

def _graph_with(mutate):
    G = small_graph()
    mutate(G)
    return G


BAD_GRAPHS = {
    "unknown label": lambda G: G.nodes["dataset:cora"].update(label="Person"),
    "label injection": lambda G: G.nodes["dataset:cora"].update(label="Dataset:Admin"),
    "label case": lambda G: G.nodes["dataset:cora"].update(label="dataset"),
    "unknown type": lambda G: G.add_edge("paper:2401.00001", "dataset:cora",
                                         key="USES", type="USES"),
    "type injection": lambda G: G.add_edge(
        "paper:2401.00001", "dataset:cora", key="X", type="USES_DATASET]->(b) DELETE b //"),
    "space in node key": lambda G: G.nodes["dataset:cora"].update({"bad key": 1}),
    "dash in node key": lambda G: G.nodes["paper:2401.00001"].update({"x-y": 1}),
    "digit first": lambda G: G.nodes["method:gat"].update({"1st": 1}),
    "backtick in key": lambda G: G.nodes["method:gat"].update({"a`b": 1}),
    "injection in key": lambda G: G.nodes["method:gat"].update({"x = 1 DETACH DELETE n //": 1}),
    "bad edge key": lambda G: next(iter(G.edges(data=True)))[2].update({"n.count": 1}),
    "reserved edge key": lambda G: next(iter(G.edges(data=True)))[2].update(src="x"),
    "wrong end label": lambda G: G.add_edge("paper:2401.00001", "method:gat",
                                            key="USES_DATASET", type="USES_DATASET"),
    "wrong start label": lambda G: G.add_edge("dataset:cora", "method:gat",
                                              key="USES_METHOD", type="USES_METHOD"),
    "nan weight": lambda G: [d.update(weight=float("nan")) for *_, d in
                             G.edges(keys=True, data=True) if d["type"] == "SHARES_ENTITY"],
    "infinite count": lambda G: next(iter(G.edges(data=True)))[2].update(count=math.inf),
    "huge int": lambda G: G.nodes["method:gat"].update(papers=2 ** 64),
    "map value": lambda G: G.nodes["method:gat"].update(papers={"a": 1}),
    "nested list": lambda G: G.nodes["method:gat"].update(aliases=[["a"]]),
    "null in list": lambda G: G.nodes["method:gat"].update(aliases=["a", None]),
    "mixed list": lambda G: G.nodes["method:gat"].update(aliases=["a", 1]),
    "mixed column": lambda G: G.nodes["method:gat"].update(papers="one"),
    "missing key": lambda G: G.nodes["method:gat"].pop("key"),
    "empty paper id": lambda G: G.nodes["paper:2401.00001"].update(id=""),
    "duplicate key": lambda G: G.add_node("method:gat 2", label="Method", key="gat", name="GAT"),
    "lone surrogate": lambda G: G.nodes["method:gat"].update(name="\udc80"),
}


class TestValidation:
    @pytest.mark.parametrize("case", sorted(BAD_GRAPHS))
    def test_script_refuses(self, case):
        G = _graph_with(BAD_GRAPHS[case])
        with pytest.raises(ExportError):
            generate_cypher(G)

    @pytest.mark.parametrize("case", sorted(BAD_GRAPHS))
    def test_csv_refuses_and_leaves_folder(self, case, tmp_path):
        G = _graph_with(BAD_GRAPHS[case])
        with pytest.raises(ExportError):
            write_neo4j_csv(G, tmp_path / "csv")
        assert not (tmp_path / "csv").exists()

    def test_message_names_the_culprit(self):
        G = _graph_with(BAD_GRAPHS["space in node key"])
        with pytest.raises(ExportError, match="dataset:cora.*'bad key'"):
            generate_cypher(G)

    @pytest.mark.parametrize("call", [
        lambda: constraint_query("Paper) DETACH DELETE (n"),
        lambda: merge_nodes_query("Admin", [], [{"key": "x"}]),
        lambda: merge_nodes_query("Task", ["bad key"], [{"key": "x"}]),
        lambda: merge_nodes_query("Task", ["name"], [{"key": "x", "other": 1}]),
        lambda: merge_nodes_query("Task", ["key"], [{"key": "x"}]),
        lambda: merge_nodes_query("Task", ["name"], []),
        lambda: merge_relationships_query("KNOWS", "Paper", "Paper", [],
                                          [{"src": "a", "dst": "b"}]),
        lambda: merge_relationships_query("USES_DATASET", "Paper", "Task", [],
                                          [{"src": "a", "dst": "b"}]),
        lambda: merge_relationships_query("USES_DATASET", "Paper", "Dataset", ["dst"],
                                          [{"src": "a", "dst": "b"}]),
    ])
    def test_builders_refuse(self, call):
        with pytest.raises(ExportError):
            call()


# --------------------------------------------------------------------------- CSV files

def reports_graph() -> nx.MultiDiGraph:
    """The small graph with two results of one paper on one dataset."""
    G = small_graph()
    for start, value, text, kind, metric in ((600, 76.1, "76.1", "absolute", "top-1 accuracy"),
                                             (650, 2.5, "+2.5", "improvement", None)):
        G.add_edge("paper:2401.00001", "dataset:imagenet 1k", key=f"REPORTS:{start}",
                   type="REPORTS", value=value, unit="%" if metric else "", kind=kind,
                   metric=metric, text=text, span_start=start, span_end=start + 4)
    return G


class TestNeo4jCsv:
    def test_folder_contents_and_counts(self, tmp_path):
        G = small_graph()
        result = write_neo4j(G, tmp_path)
        folder = tmp_path / "neo4j"
        assert result["path"] == folder
        names = sorted(p.name for p in folder.iterdir())
        assert names == result["files"] == sorted([
            "README.md", "constraints.cypher", "import.cypher",
            *(f"nodes_{label}.csv" for label in NODE_LABELS),
            "rels_USES_DATASET.csv", "rels_USES_METHOD.csv", "rels_EVALUATES_WITH.csv",
            "rels_ADDRESSES.csv", "rels_HAS_CODE.csv", "rels_LINKS_TO.csv",
            "rels_PROPOSES_Method.csv", "rels_SHARES_ENTITY.csv"])
        assert list(tmp_path.iterdir()) == [folder]  # no temporary folder left behind
        labels = [d["label"] for _, d in G.nodes(data=True)]
        types = [d["type"] for *_, d in G.edges(keys=True, data=True)]
        assert result["nodes"] == {label: labels.count(label) for label in NODE_LABELS}
        assert result["relationships"] == {t: types.count(t) for t in set(types)}
        assert (folder / "import.cypher").read_text(encoding="utf-8") == generate_cypher(G)
        assert (folder / "constraints.cypher").read_text(encoding="utf-8") == generate_constraints()
        assert split_statements(generate_constraints()) == constraint_statements()

    def test_reports_several_per_pair(self, tmp_path):
        G = reports_graph()
        result = write_neo4j(G, tmp_path)
        folder = tmp_path / "neo4j"
        assert result["relationships"]["REPORTS"] == 2
        header, rows = read_csv(folder / "rels_REPORTS.csv")
        assert header == [":START_ID(Paper)", ":END_ID(Dataset)", ":TYPE", "kind:string",
                          "metric:string", "span_end:long", "span_start:long", "text:string",
                          "unit:string", "value:double"]
        assert rows == [["2401.00001", "imagenet 1k", "REPORTS", "absolute", "top-1 accuracy",
                         "604", "600", "76.1", "%", "76.1"],
                        ["2401.00001", "imagenet 1k", "REPORTS", "improvement", "", "654",
                         "650", "+2.5", "", "2.5"]]
        script = (folder / "import.cypher").read_text(encoding="utf-8")
        assert "MERGE (a)-[r:REPORTS {span_start: row.span_start}]->(b)\nSET r.kind" in script
        assert "r.span_start = row.span_start" not in script
        assert "Paper to Dataset) has one row per numeric result" in (
            folder / "README.md").read_text(encoding="utf-8")

    def test_reports_need_distinct_span_starts(self):
        G = reports_graph()
        G.edges["paper:2401.00001", "dataset:imagenet 1k", "REPORTS:650"]["span_start"] = 600
        with pytest.raises(ExportError, match="a second REPORTS between the same nodes with "
                                              "the same span_start"):
            relationship_groups(G)
        del G.edges["paper:2401.00001", "dataset:imagenet 1k", "REPORTS:650"]["span_start"]
        with pytest.raises(ExportError, match="a REPORTS relationship needs span_start"):
            relationship_groups(G)

    def test_headers(self, tmp_path):
        write_neo4j(small_graph(), tmp_path)
        folder = tmp_path / "neo4j"
        assert read_csv(folder / "nodes_Paper.csv")[0] == [
            "id:ID(Paper)", ":LABEL", "abstract:string", "authors:string[]",
            "categories:string[]", "date:string", "name:string", "sources:string[]",
            "title:string", "url:string"]
        for label in NODE_LABELS[1:]:
            assert read_csv(folder / f"nodes_{label}.csv")[0] == [
                f"key:ID({label})", ":LABEL", "aliases:string[]", "name:string", "papers:long"]
        assert read_csv(folder / "rels_USES_DATASET.csv")[0] == [
            ":START_ID(Paper)", ":END_ID(Dataset)", ":TYPE",
            "aliases:string[]", "count:long", "sentence:long"]
        assert read_csv(folder / "rels_PROPOSES_Method.csv")[0] == [
            ":START_ID(Paper)", ":END_ID(Method)", ":TYPE",
            "aliases:string[]", "count:long", "sentence:long"]
        assert read_csv(folder / "rels_SHARES_ENTITY.csv")[0] == [
            ":START_ID(Paper)", ":END_ID(Paper)", ":TYPE", "shared:string[]", "weight:double"]

    @pytest.mark.parametrize("make_graph", [small_graph, hostile_graph])
    def test_values_read_back_equal_the_graph(self, make_graph, tmp_path):
        G = make_graph()
        result = write_neo4j(G, tmp_path)
        folder = result["path"]
        nodes: dict[tuple[str, str], dict] = {}
        ids: dict[str, set[str]] = {}
        for label in result["nodes"]:
            header, rows = read_csv(folder / f"nodes_{label}.csv")
            id_column = header[0]
            assert id_column == f"{merge_key(label)}:ID({label})"
            ids[label] = {row[0] for row in rows}
            assert len(ids[label]) == len(rows) == result["nodes"][label]
            for row in rows:
                assert len(row) == len(header) and row[1] == label
                props = {}
                for field, cell in zip(header[2:], row[2:]):
                    name, column_type = field.split(":")
                    value = csv_value(cell, column_type)
                    if value is not None:
                        props[name] = value
                nodes[(label, row[0])] = props
        assert nodes == expected_nodes(G)

        rels: dict[tuple, dict] = {}
        for name in result["files"]:
            if not name.startswith("rels_"):
                continue
            header, rows = read_csv(folder / name)
            start = re.fullmatch(r":START_ID\((\w+)\)", header[0]).group(1)
            end = re.fullmatch(r":END_ID\((\w+)\)", header[1]).group(1)
            assert header[2] == ":TYPE"
            for row in rows:
                assert row[0] in ids[start], f"{row[0]!r} is not a {start} id"
                assert row[1] in ids[end], f"{row[1]!r} is not a {end} id"
                props = {}
                for field, cell in zip(header[3:], row[3:]):
                    prop, column_type = field.split(":")
                    value = csv_value(cell, column_type)
                    if value is not None:
                        props[prop] = value
                ident = (row[2], end, row[0], row[1])
                assert ident not in rels
                rels[ident] = props
        assert rels == expected_relationships(G)
        counts: dict[str, int] = {}
        for rel_type, *_ in rels:
            counts[rel_type] = counts.get(rel_type, 0) + 1
        assert counts == result["relationships"]

    def test_arrays_split_back(self, tmp_path):
        G = small_graph()
        write_neo4j(G, tmp_path)
        header, rows = read_csv(tmp_path / "neo4j" / "nodes_Paper.csv")
        column = header.index("authors:string[]")
        for row in rows:
            authors = G.nodes[f"paper:{row[0]}"]["authors"]
            assert (row[column].split(ARRAY_DELIMITER) if row[column] else []) == authors
        header, rows = read_csv(tmp_path / "neo4j" / "rels_SHARES_ENTITY.csv")
        (edge,) = [d for *_, d in G.edges(keys=True, data=True) if d["type"] == "SHARES_ENTITY"]
        assert rows[0][header.index("shared:string[]")].split(ARRAY_DELIMITER) == edge["shared"]
        assert float(rows[0][header.index("weight:double")]) == edge["weight"]

    def test_same_property_names_as_import_cypher(self, tmp_path):
        G = hostile_graph()
        result = write_neo4j(G, tmp_path)
        _, nodes, rels = parse_script(generate_cypher(G))
        for statement in nodes:
            header, _ = read_csv(result["path"] / f"nodes_{statement['label']}.csv")
            names = [field.split(":")[0] for field in header if not field.startswith(":")]
            assert names == [statement["key"], *statement["set"]]
        for statement in rels:
            name = (f"rels_{statement['type']}_{statement['end']}.csv"
                    if statement["type"] == "PROPOSES" else f"rels_{statement['type']}.csv")
            header, _ = read_csv(result["path"] / name)
            assert [f.split(":")[0] for f in header[3:]] == statement["set"]

    def test_proposes_gets_one_file_per_end_label(self, tmp_path):
        G = small_graph()
        new_set = add_entity(G, "Dataset", "new set", "NewSet")
        link(G, "paper:2402.00002", new_set, proposes=True)
        result = write_neo4j(G, tmp_path)
        assert {"rels_PROPOSES_Dataset.csv", "rels_PROPOSES_Method.csv"} <= set(result["files"])
        header, rows = read_csv(result["path"] / "rels_PROPOSES_Dataset.csv")
        assert header[:3] == [":START_ID(Paper)", ":END_ID(Dataset)", ":TYPE"]
        assert rows == [["2402.00002", "new set", "PROPOSES", "NewSet", "1", "1"]]
        assert result["relationships"]["PROPOSES"] == 3
        assert "--relationships=PROPOSES=rels_PROPOSES_Dataset.csv" in result["command"]
        assert "--relationships=PROPOSES=rels_PROPOSES_Method.csv" in result["command"]

    def test_multiline_and_quoted_fields(self, tmp_path):
        G = hostile_graph()
        write_neo4j(G, tmp_path)
        raw = (tmp_path / "neo4j" / "nodes_Paper.csv").read_bytes()
        assert raw.count(b"\r\n") >= 4  # records end with CRLF (RFC 4180)
        _, rows = read_csv(tmp_path / "neo4j" / "nodes_Paper.csv")
        assert len(rows) == 3
        by_id = {row[0]: row for row in rows}
        assert "\n".join(HOSTILE) in by_id["2401.00001"]
        assert G.nodes["paper:2402.00002"]["title"] in by_id["2402.00002"]

    def test_booleans_and_doubles(self, tmp_path):
        G = small_graph()
        G.nodes["dataset:cora"]["papers"] = 1.5
        G.nodes["dataset:cora"]["curated"] = True
        G.nodes["dataset:cifar 10"]["curated"] = False
        write_neo4j(G, tmp_path)
        header, rows = read_csv(tmp_path / "neo4j" / "nodes_Dataset.csv")
        assert header == ["key:ID(Dataset)", ":LABEL", "aliases:string[]", "curated:boolean",
                          "name:string", "papers:double"]
        cells = {row[0]: row for row in rows}
        assert cells["cora"][3] == "true" and cells["cifar 10"][3] == "false"
        assert cells["imagenet 1k"][3] == ""
        assert cells["cora"][5] == "1.5" and cells["imagenet 1k"][5] == "2.0"

    def test_array_delimiter_in_a_value_is_refused_atomically(self, tmp_path):
        write_neo4j(small_graph(), tmp_path)
        before = {p.name: p.read_bytes() for p in (tmp_path / "neo4j").iterdir()}
        G = small_graph()
        G.nodes["method:gat"]["aliases"] = ["GAT", "graph\x1fattention"]
        _, nodes, _ = parse_script(generate_cypher(G))  # Cypher can carry it
        assert ["GAT", "graph\x1fattention"] in [
            r["aliases"] for s in nodes if s["label"] == "Method" for r in s["rows"]]
        with pytest.raises(ExportError, match="U\\+001F"):
            write_neo4j(G, tmp_path)
        after = {p.name: p.read_bytes() for p in (tmp_path / "neo4j").iterdir()}
        assert after == before
        assert [p.name for p in tmp_path.iterdir()] == ["neo4j"]

    def test_empty_array_element_is_refused(self, tmp_path):
        G = small_graph()
        G.nodes["paper:2401.00001"]["authors"] = ["K. He", ""]
        with pytest.raises(ExportError):
            write_neo4j(G, tmp_path)

    def test_overwrites_previous_export(self, tmp_path):
        G = small_graph()
        new_set = add_entity(G, "Dataset", "new set", "NewSet")
        link(G, "paper:2402.00002", new_set, proposes=True)
        write_neo4j(G, tmp_path)
        assert (tmp_path / "neo4j" / "rels_PROPOSES_Dataset.csv").exists()
        write_neo4j(small_graph(), tmp_path)
        assert not (tmp_path / "neo4j" / "rels_PROPOSES_Dataset.csv").exists()

    def test_readme_command(self, tmp_path):
        result = write_neo4j(small_graph(), tmp_path)
        readme = (result["path"] / "README.md").read_text(encoding="utf-8")
        command = result["command"]
        assert command.replace("\n", "\n   ") in readme
        words = command.replace("\\\n", " ").split()
        assert words[:5] == ["neo4j-admin", "database", "import", "full", "neo4j"]
        options = words[5:]
        for required in ("--overwrite-destination=true", "--multiline-fields=true",
                         "--array-delimiter=U+001F", "--legacy-style-quoting=false",
                         "--trim-strings=false"):
            assert required in options
        listed = []
        for option in options:
            match = re.fullmatch(r"--(nodes|relationships)=(\w+)=([\w.]+)", option)
            if match:
                listed.append(match.group(3))
                assert (result["path"] / match.group(3)).exists()
                if match.group(1) == "nodes":
                    assert match.group(3) == f"nodes_{match.group(2)}.csv"
                else:
                    assert match.group(3).startswith(f"rels_{match.group(2)}")
        assert sorted(listed) == sorted(n for n in result["files"] if n.endswith(".csv"))
        assert "cypher-shell -u neo4j -p PASSWORD -f import.cypher" in readme
        assert "cypher-shell -u neo4j -p PASSWORD -f constraints.cypher" in readme
        assert "neo4j start" in readme

    def test_admin_import_command_database(self):
        G = small_graph()
        assert admin_import_command(G, database="papers").startswith(
            "neo4j-admin database import full papers \\\n")
        with pytest.raises(ExportError):
            admin_import_command(G, database="x; rm -rf /")

    def test_write_neo4j_csv_alone(self, tmp_path):
        result = write_neo4j_csv(small_graph(), tmp_path)
        assert result["nodes"]["Paper"] == 3
        assert (tmp_path / "README.md").exists() and (tmp_path / "constraints.cypher").exists()
        assert set(result["files"]) == {p.name for p in tmp_path.glob("*.csv")}


def test_printable_characters_survive_every_path(tmp_path):
    """Every printable ASCII character in a title, through both exports."""
    G = small_graph()
    title = string.printable
    G.nodes["paper:t0123456789ab"].update(title=title, name=title)
    _, nodes, _ = parse_script(generate_cypher(G))
    rows = {r["id"]: r for s in nodes if s["label"] == "Paper" for r in s["rows"]}
    assert rows["t0123456789ab"]["title"] == title
    result = write_neo4j(G, tmp_path)
    header, csv_rows = read_csv(result["path"] / "nodes_Paper.csv")
    row = next(r for r in csv_rows if r[0] == "t0123456789ab")
    assert row[header.index("title:string")] == title


# --------------------------------------------------------------------------- row columns

def _mixed_graph() -> nx.MultiDiGraph:
    """Columns the whole-column checks must normalise as the value-by-value path does:
    empty strings and lists (absent), integers in a float column (widened), None."""
    G = small_graph()
    G.nodes["method:gat"].update(name="", aliases=[], papers=None)
    G.nodes["dataset:cora"]["rank"] = 1
    G.nodes["dataset:cifar 10"]["rank"] = 2.5
    G.nodes["paper:2401.00001"]["abstract"] = "caf\u00e9 \U0001F600 \u2028"
    return G


ROW_GRAPHS = {"small": small_graph, "hostile": hostile_graph, "mixed": _mixed_graph,
              "synthetic": lambda: synthetic_graph(300, 600)}


class TestRowColumns:
    @pytest.mark.parametrize("name", sorted(ROW_GRAPHS))
    def test_columns_hold_the_rows_of_the_value_by_value_path(self, name):
        from kgraph.export import cypher

        G = ROW_GRAPHS[name]()
        for fast, checked in ((node_groups(G), cypher._checked_node_groups(G)),
                              (relationship_groups(G), cypher._checked_relationship_groups(G))):
            assert [g.types for g in fast] == [g.types for g in checked]
            assert [g.properties for g in fast] == [g.properties for g in checked]
            for f, c in zip(fast, checked):
                assert isinstance(f.rows, cypher.ColumnRows)
                # repr tells 1 from 1.0 and [] from None
                assert [repr(r) for r in f.rows] == [repr(r) for r in c.rows]

    def test_widened_column_is_double(self):
        (dataset,) = [g for g in node_groups(_mixed_graph()) if g.label == "Dataset"]
        assert dataset.types["rank"] == "double"
        assert sorted(v for v in dataset.rows.column("rank") if v is not None) == [1.0, 2.5]
        assert all(type(v) is float for v in dataset.rows.column("rank") if v is not None)

    def test_a_tuple_value_takes_the_checked_path(self):
        G = small_graph()
        G.nodes["method:gat"]["aliases"] = ("GAT", "graph attention")
        (method,) = [g for g in node_groups(G) if g.label == "Method"]
        assert not hasattr(method.rows, "columns")
        row = next(r for r in method.rows if r["key"] == "gat")
        assert row["aliases"] == ["GAT", "graph attention"]

    @pytest.mark.parametrize("name", sorted(ROW_GRAPHS))
    def test_files_equal_those_of_the_value_by_value_rows(self, name, tmp_path, monkeypatch):
        from kgraph.export import cypher, neo4j_csv

        G = ROW_GRAPHS[name]()
        write_neo4j(G, tmp_path / "fast")
        monkeypatch.setattr(cypher, "_fast_node_groups", cypher._checked_node_groups)
        monkeypatch.setattr(cypher, "_fast_relationship_groups",
                            cypher._checked_relationship_groups)
        write_neo4j(G, tmp_path / "checked")
        fast = sorted((tmp_path / "fast" / "neo4j").iterdir())
        checked = sorted((tmp_path / "checked" / "neo4j").iterdir())
        assert [p.name for p in fast] == [p.name for p in checked]
        for a, b in zip(fast, checked):
            assert a.read_bytes() == b.read_bytes(), a.name


@pytest.mark.parametrize("ascii_only", [False, True])
@pytest.mark.parametrize("values", [
    ["plain", None, "it's", "back\\slash", "line\nbreak", "", "caf\u00e9 \U0001F600 \u2028"],
    ["|", "~^", "#@%", "no separator is free here: |~^#@%", None],  # value by value
    [["a", "b|c"], None, [], ["'", "\\", "\t"], ["|~^#@%"]],
    [[], None],
])
def test_column_literals_equal_literal_value_by_value(values, ascii_only):
    # A column of strings is escaped in one pass, joined by a separator it lacks.
    from kgraph.export.cypher import _literal_column

    assert _literal_column(values, ascii_only) == [literal(v, ascii_only=ascii_only)
                                                   for v in values]
