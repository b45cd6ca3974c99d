"""Broken inputs: a one-line message naming file and line, or, with ``--skip-bad``, a
warning per skipped record and a count; never a traceback.

The files are in ``tests/data/bad/`` (its README lists each with its expected message);
the 5 MB abstract is made by a fixture. The command line runs as a subprocess from the
project root, so messages name the files as ``tests/data/bad/...``. The library tests
below them check how reading recovers after a bad record.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kgraph.errors import InputError, KgraphError
from kgraph.ingest import (MAX_ABSTRACT_CHARS, MAX_TITLE_CHARS, SkipLog, iter_papers,
                           read_papers)
from kgraph.ingest.csvfile import iter_csv
from kgraph.ingest.feed import iter_feed
from kgraph.ingest.jsonl import iter_json
from kgraph.ingest.text import clean_text

ROOT = Path(__file__).resolve().parents[1]
BAD = "tests/data/bad"
HUGE_CHARS = 5 * 1024 * 1024  # a 5 MB abstract

# file -> the message of `kgraph extract FILE` (after "Error: "), as in the README.
ERRORS = {
    "empty.txt": f"{BAD}/empty.txt: empty file: no text in it (was it written or downloaded "
                 "completely?)",
    "binary.txt": f"{BAD}/binary.txt: binary file, not text: NUL byte at byte 9 (give a feed "
                  "page (.txt), JSON Lines, a JSON array or CSV, as UTF-8 text)",
    "latin1.txt": f"{BAD}/latin1.txt:9: not UTF-8 text: byte 0xe9 at column 3 cannot be "
                  "decoded (save the file as UTF-8; from Latin-1: iconv -f LATIN1 -t UTF-8 IN "
                  "> OUT)",
    "utf16_no_bom.jsonl": f"{BAD}/utf16_no_bom.jsonl: looks like UTF-16 text without a byte "
                          "order mark (save the file as UTF-8: iconv -f UTF-16LE -t UTF-8 IN "
                          "> OUT)",
    "truncated.jsonl": f"{BAD}/truncated.jsonl:3: invalid JSON: the text ends inside a value "
                       "(was the file cut short? each line must hold one complete JSON object)",
    "no_title.jsonl": f"{BAD}/no_title.jsonl:2: missing 'title' (each record needs 'title' "
                      "and 'abstract' strings)",
    "wrong_headers.csv": f"{BAD}/wrong_headers.csv:1: the CSV header has no 'title' or "
                         "'abstract' column; columns found: 'name', 'summary', 'year' (the "
                         "first row must name the columns, with 'title' and 'abstract' among "
                         "them)",
    "odd_paragraphs.txt": f"{BAD}/odd_paragraphs.txt:9: unpaired paragraph 'A Title Whose "
                          "Abstract Went Missing': a feed page alternates title and abstract "
                          "paragraphs, and this one has no partner (add the missing title or "
                          "abstract, or a blank line between them)",
    "nested.jsonl": f"{BAD}/nested.jsonl:1: invalid JSON: nested too deeply (each line must "
                    "hold one complete JSON object)",
    "bigint.jsonl": f"{BAD}/bigint.jsonl:1: invalid JSON: a number of more than 4,300 digits "
                    "(each line must hold one complete JSON object; write long ids as strings)",
    "folder.jsonl": f"{BAD}/folder.jsonl: is a directory, not a file (give the files in it, "
                    f"e.g. {BAD}/folder.jsonl/*.txt)",
    "missing.jsonl": f"{BAD}/missing.jsonl: no such file (check the path)",
}
READABLE = ["utf16_bom.txt", "control_chars.txt", "control_chars.jsonl", "rtl_emoji.jsonl"]
HUGE_ERRORS = {
    "huge_abstract.jsonl": "huge_abstract.jsonl:2: abstract too long: 5,242,880 characters, "
                           "the limit is 100,000 (give the abstract only, not the full text)",
    "huge_abstract.csv": "huge_abstract.csv:3: invalid CSV: a field is longer than 131,072 "
                         "characters, the most the csv module reads (an abstract may have at "
                         "most 100,000)",
}
# Cc except tab, LF, CR: no output may hold one.
CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f])


def kgraph(*args: object, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run ``python -m kgraph ARGS`` from ``cwd``; nothing read from the terminal."""
    return subprocess.run([sys.executable, "-m", "kgraph", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600)


def assert_error(result: subprocess.CompletedProcess, message: str) -> None:
    """Exit status 1 and exactly ``Error: MESSAGE`` on standard error; no traceback."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stderr
    assert result.stderr == f"Error: {message}\n"
    assert result.stdout == ""


def huge_abstract() -> str:
    """Realistic words, exactly :data:`HUGE_CHARS` characters after whitespace collapsing."""
    chunk = "We train ResNet-50 on ImageNet and report top-1 accuracy. "
    return (chunk * (HUGE_CHARS // len(chunk) + 1))[:HUGE_CHARS - 1] + "."


GOOD = [{"title": "Deep Residual Learning for Image Recognition",
         "abstract": "We train ResNet-50 on ImageNet and report top-1 accuracy."},
        {"title": "BERT: Pre-training of Deep Bidirectional Transformers",
         "abstract": "We fine-tune BERT on SQuAD and report F1."}]


@pytest.fixture(scope="module")
def huge_dir(tmp_path_factory) -> Path:
    """``huge_abstract.jsonl`` and ``.csv``: a good record, a 5 MB abstract, a good one."""
    folder = tmp_path_factory.mktemp("huge")
    rows = [GOOD[0], {"title": "The Whole Paper Pasted In", "abstract": huge_abstract()},
            GOOD[1]]
    (folder / "huge_abstract.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with (folder / "huge_abstract.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, ["title", "abstract"])
        writer.writeheader()
        writer.writerows(rows)
    assert (folder / "huge_abstract.jsonl").stat().st_size > HUGE_CHARS
    return folder


# --- without --skip-bad: one line, exit status 1 -----------------------------------------


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_extract_stops_with_one_line(name, tmp_path):
    out = tmp_path / "out.jsonl"
    assert_error(kgraph("extract", f"{BAD}/{name}", "-o", out), ERRORS[name])
    assert not out.exists()


@pytest.mark.parametrize("name", sorted(HUGE_ERRORS))
def test_five_megabyte_abstract_is_refused(name, huge_dir, tmp_path):
    assert_error(kgraph("extract", name, "-o", tmp_path / "out.jsonl", cwd=huge_dir),
                 HUGE_ERRORS[name])


@pytest.mark.parametrize("name", ["empty.txt", "truncated.jsonl", "odd_paragraphs.txt"])
def test_build_stops_before_writing_anything(name, tmp_path):
    out = tmp_path / "out"
    assert_error(kgraph("build", f"{BAD}/{name}", "-o", out), ERRORS[name])
    assert not out.exists()


def test_first_bad_input_stops_the_run(tmp_path):
    result = kgraph("extract", f"{BAD}/rtl_emoji.jsonl", f"{BAD}/missing.jsonl",
                    f"{BAD}/empty.txt", "-o", tmp_path / "out.jsonl")
    assert_error(result, ERRORS["missing.jsonl"])


def test_readme_lists_every_file_and_message():
    readme = (ROOT / BAD / "README.md").read_text(encoding="utf-8")
    present = {p.name for p in (ROOT / BAD).iterdir()} - {"README.md"}
    assert present == set(ERRORS) - {"missing.jsonl"} | set(READABLE)
    for name, message in {**ERRORS, **HUGE_ERRORS}.items():
        assert f"| `{name.rstrip('/')}" in readme, name
        assert f"`{message}`" in readme, name
    for name in READABLE:
        assert f"| `{name}` |" in readme, name


# --- with --skip-bad: a warning each, a count, exit 0 ------------------------------------


@pytest.fixture(scope="module")
def skip_build(huge_dir, tmp_path_factory):
    """``kgraph build --skip-bad`` over every file here, the huge ones and a missing one."""
    out = tmp_path_factory.mktemp("skip") / "out"
    names = sorted(ERRORS) + READABLE
    inputs = [f"{BAD}/{n}" for n in names] + [huge_dir / n for n in sorted(HUGE_ERRORS)]
    return kgraph("build", "--skip-bad", *inputs, "-o", out), out


def test_skip_bad_warns_per_record_and_counts(skip_build, huge_dir):
    result, _ = skip_build
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    expected = []
    for name in sorted(ERRORS):
        message = ERRORS[name]
        if name == "no_title.jsonl":
            expected += [f"warning: {message}; record skipped",
                         f"warning: {BAD}/no_title.jsonl:3: missing 'abstract' (each record "
                         "needs 'title' and 'abstract' strings); record skipped"]
        elif name in ("bigint.jsonl", "nested.jsonl", "odd_paragraphs.txt",
                      "truncated.jsonl"):
            expected.append(f"warning: {message}; record skipped")
        elif name == "latin1.txt":
            expected.append(f"warning: {message}; rest of the file skipped")
        else:
            expected.append(f"warning: {message}; file skipped")
    for name in sorted(HUGE_ERRORS):
        expected.append(f"warning: {huge_dir}/{HUGE_ERRORS[name]}; record skipped")
    assert lines[:-1] == expected
    # records: bigint, nested, no_title (2), odd_paragraphs, truncated, the two 5 MB ones
    assert lines[-1] == "skipped 8 bad records and 7 bad files"


def test_skip_bad_keeps_every_good_record(skip_build):
    result, out = skip_build
    papers = [json.loads(line) for line in
              (out / "extractions.jsonl").read_text(encoding="utf-8").splitlines()]
    by_source = {}
    for paper in papers:
        for source in paper["sources"]:
            by_source[source] = (paper["title"], paper["abstract"])
    # odd_paragraphs.txt: the unpaired title alone is dropped, the pairing goes on
    assert by_source[f"{BAD}/odd_paragraphs.txt:5"][0] == "Deep Residual Learning"
    title, abstract = by_source[f"{BAD}/odd_paragraphs.txt:11"]
    assert title == "Vision Transformers at Scale"
    assert abstract.startswith("The Vision Transformer (ViT) attains")
    assert not any(s.startswith(f"{BAD}/odd_paragraphs.txt:9") for s in by_source)
    # the lines before a file's fatal error are kept
    assert {s for s in by_source if "truncated.jsonl" in s} == {
        f"{BAD}/truncated.jsonl:1", f"{BAD}/truncated.jsonl:2"}
    assert [s for s in by_source if "latin1.txt" in s] == [f"{BAD}/latin1.txt:5"]
    assert [s for s in by_source if "no_title.jsonl" in s] == [f"{BAD}/no_title.jsonl:1"]
    # the good records around each 5 MB one, merged with the same papers read elsewhere
    for name, lines in (("huge_abstract.jsonl", (1, 3)), ("huge_abstract.csv", (2, 4))):
        found = sorted(int(s.rsplit(":", 1)[1]) for s in by_source if s.split(":")[0]
                       .endswith(name))
        assert found == list(lines), name
    assert max(len(p["abstract"]) for p in papers) < 1000
    assert f"{len(papers)} unique papers" in result.stdout


def test_utf16_with_bom_reads_like_utf8(skip_build):
    _, out = skip_build
    titles = {json.loads(line)["title"] for line in
              (out / "extractions.jsonl").read_text(encoding="utf-8").splitlines()
              if f"{BAD}/utf16_bom.txt" in line}
    assert titles == {"Deep Residual Learning", "Fréchet Distances for Generative Models"}


def test_no_output_holds_a_control_character(skip_build):
    _, out = skip_build
    files = [p for p in out.rglob("*") if p.is_file() and "graph.lbdb" not in p.parts]
    assert {p.name for p in files} >= {"extractions.jsonl", "graph.json", "graph.graphml",
                                       "graph.html", "import.cypher", "nodes_Paper.csv"}
    for path in files:
        data = path.read_bytes()
        if path.suffix == ".csv":  # U+001F separates array elements for neo4j-admin
            data = data.replace(b"\x1f", b"")
        bad = sorted({hex(b) for b in data if b in CONTROL_BYTES})
        assert not bad, (path.name, bad)
        data.decode("utf-8")  # and no lone surrogate made it into UTF-8
    ET.parse(out / "graph.graphml")  # well-formed XML
    text = (out / "extractions.jsonl").read_text(encoding="utf-8")
    assert "\\u0085" not in text and "\\u0090" not in text and "[1m" not in text
    assert "\ufffd" in text  # the lone surrogate of control_chars.jsonl


def test_rtl_and_emoji_offsets_are_exact(skip_build):
    _, out = skip_build
    papers = [json.loads(line) for line in
              (out / "extractions.jsonl").read_text(encoding="utf-8").splitlines()
              if f"{BAD}/rtl_emoji.jsonl" in line]
    assert len(papers) == 2
    mentions = 0
    for paper in papers:
        text = paper["title"] + "\n\n" + paper["abstract"]
        for key in ("datasets", "methods", "metrics", "tasks", "repos", "urls"):
            for entity in paper[key]:
                for m in entity["mentions"]:
                    assert text[m["start"]:m["end"]] == m["text"], (key, m)
                    mentions += 1
    assert mentions >= 6
    names = {e.get("name") or e.get("url") for p in papers for k in ("datasets", "methods")
             for e in p[k]}
    assert {"SQuAD", "ImageNet", "CIFAR-10", "BERT", "ResNet-50"} <= names
    assert "👩‍🔬" in papers[0]["abstract"] and "\u200f" in papers[0]["abstract"]


def test_extract_skip_bad_to_stdout(tmp_path):
    result = kgraph("extract", "--skip-bad", f"{BAD}/no_title.jsonl", f"{BAD}/missing.jsonl",
                    "-o", "-")
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["title"] for line in result.stdout.splitlines()] == [
        "Deep Residual Learning for Image Recognition"]
    assert result.stderr.splitlines() == [
        f"warning: {ERRORS['no_title.jsonl']}; record skipped",
        f"warning: {BAD}/no_title.jsonl:3: missing 'abstract' (each record needs 'title' and "
        "'abstract' strings); record skipped",
        f"warning: {ERRORS['missing.jsonl']}; file skipped",
        "skipped 2 bad records and 1 bad file"]


def test_skip_bad_fails_when_nothing_is_read(tmp_path):
    out = tmp_path / "out"
    result = kgraph("build", "--skip-bad", f"{BAD}/empty.txt", f"{BAD}/wrong_headers.csv",
                    "-o", out)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"warning: {ERRORS['empty.txt']}; file skipped",
        f"warning: {ERRORS['wrong_headers.csv']}; file skipped",
        "Error: no papers read from 2 inputs: 2 bad records or files skipped and nothing "
        "else found (fix the inputs named in the warnings)"]
    assert not out.exists()


# --- the library: recovery after a bad record --------------------------------------------

ABSTRACT = ("We study a problem that matters, propose a method with a short name, and show "
            "on several public benchmarks that it beats strong baselines while using less "
            "compute than any of them.")


def feed(paragraphs: list[str]) -> list[str]:
    return "\n\n".join(paragraphs).splitlines(keepends=True)


class TestFeedRecovery:
    def test_title_without_abstract_is_dropped_alone(self):
        log = SkipLog()
        page = feed(["Mar 14", "One", ABSTRACT, "Lonely", "Two", "2 " + ABSTRACT,
                     "Three", "3 " + ABSTRACT])
        papers = list(iter_feed(page, "p.txt", lambda e: log(e, "record")))
        assert [(p.title, p.abstract[:2], p.sources[0].line) for p in papers] == [
            ("One", "We", 3), ("Two", "2 ", 9), ("Three", "3 ", 13)]
        assert [e.split(": unpaired")[0] for e in log.warnings] == ["warning: p.txt:7"]

    def test_abstract_without_title_is_dropped_alone(self):
        errors = []
        page = feed(["Mar 14", "One", ABSTRACT, "Orphan " + ABSTRACT, "Two", ABSTRACT])
        papers = list(iter_feed(page, "p.txt", errors.append))
        assert [p.title for p in papers] == ["One", "Two"]
        assert [(e.line, e.message[:25]) for e in errors] == [(7, "unpaired paragraph 'Orpha")]

    def test_lone_last_paragraph(self):
        errors = []
        papers = list(iter_feed(feed(["One", ABSTRACT, "Dangling"]), "p.txt", errors.append))
        assert [p.title for p in papers] == ["One"]
        assert [e.line for e in errors] == [5]

    def test_an_earlier_short_abstract_is_not_blamed(self):
        # "One" has a short abstract followed by a long title; that pairing is right. The
        # culprit of the slip at the end is "Lonely" (line 15), not "One" (line 3).
        long_title = " ".join(["Word"] * 26)
        page = feed(["Mar 14", "One", "A short abstract.", long_title, ABSTRACT + " More.",
                     "Two", ABSTRACT, "Lonely", "Three", ABSTRACT])
        with pytest.raises(InputError) as info:
            list(iter_feed(page, "p.txt"))
        assert info.value.line == 15
        errors = []
        papers = list(iter_feed(page, "p.txt", errors.append))
        assert [p.title for p in papers] == ["One", long_title, "Two", "Three"]
        assert [e.line for e in errors] == [15]


class TestOtherReaders:
    def test_csv_goes_on_after_bad_rows(self):
        errors = []
        rows = ['title,abstract\n', 'A,One\n', 'B,"bad"x\n', 'C,Two,extra\n', ',Empty\n',
                'D,Three\n']
        papers = list(iter_csv(rows, "a.csv", errors.append))
        assert [p.title for p in papers] == ["A", "D"]
        assert [(e.line, e.message.split(" (")[0]) for e in errors] == [
            (3, "invalid CSV: ',' expected after '\"'"),
            (4, "record has 3 fields, the header has 2"), (5, "empty title")]

    def test_json_array_skips_elements_that_are_not_papers(self):
        errors = []
        doc = ['[\n', '{"title": "A", "abstract": "One"},\n', '42,\n', '{"title": "B"},\n',
               '{"title": "C", "abstract": "Two"}\n', ']\n']
        assert [p.title for p in iter_json(doc, "a.json", errors.append)] == ["A", "C"]
        assert [e.line for e in errors] == [3, 4]

    def test_json_array_syntax_error_ends_the_file(self):
        log = SkipLog()
        data = io.StringIO('[{"title": "A", "abstract": "One"},\n{"title": "B" "x"},\n'
                           '{"title": "C", "abstract": "Two"}]')
        papers = list(iter_papers("-", format="json", stdin=data, on_bad=log))
        assert [p.title for p in papers] == ["A"]
        assert (log.records, log.files) == (0, 1)
        assert log.warnings[0].endswith("; rest of the file skipped")

    def test_truncated_array(self, tmp_path):
        path = tmp_path / "a.json"
        path.write_text('[\n{"title": "A", "abstract": "One"},\n{"title": "B", "abs',
                        encoding="utf-8")
        with pytest.raises(InputError, match="the text ends inside a value") as info:
            list(iter_papers(str(path)))
        assert info.value.line == 3


class TestEncodings:
    @pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
    def test_byte_order_marks(self, tmp_path, codec):
        bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
               "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}[codec]
        path = tmp_path / "a.csv"
        path.write_bytes(bom + "title,abstract\nFréchet 🚀,A\r\nשלום,B\n".encode(codec))
        papers = list(iter_papers(str(path)))
        assert [(p.title, p.sources[0].line) for p in papers] == [("Fréchet 🚀", 2),
                                                                   ("שלום", 3)]

    def test_utf16_error_names_its_line(self, tmp_path):
        path = tmp_path / "a.jsonl"
        good = '{"title": "T", "abstract": "A"}\n'.encode("utf-16-le")
        path.write_bytes(codecs.BOM_UTF16_LE + good * 2 + b"\x00\xd8" + good)  # lone surrogate
        with pytest.raises(InputError, match="not valid UTF-16 text") as info:
            list(iter_papers(str(path)))
        assert info.value.line == 3

    def test_gzip_of_utf16(self, tmp_path):
        path = tmp_path / "a.jsonl.gz"
        path.write_bytes(gzip.compress('{"title": "Ünïcode", "abstract": "A"}\n'
                                       .encode("utf-16")))
        assert [p.title for p in iter_papers(str(path))] == ["Ünïcode"]

    def test_binary_gzip_content(self, tmp_path):
        path = tmp_path / "a.jsonl.gz"
        path.write_bytes(gzip.compress(bytes(range(256)) * 4))
        with pytest.raises(InputError, match="binary file, not text: NUL byte at byte 1"):
            list(iter_papers(str(path)))

    def test_binary_without_nul(self, tmp_path):
        path = tmp_path / "a.txt"
        path.write_bytes(bytes(range(0x80, 0x100)) * 8)
        with pytest.raises(InputError, match="binary file, not text: .* neither text nor UTF-8"):
            list(iter_papers(str(path)))

    def test_binary_stdin(self):
        stdin = io.TextIOWrapper(io.BufferedReader(io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00")))
        with pytest.raises(InputError, match="binary file") as info:
            list(iter_papers("-", stdin=stdin))
        assert info.value.path == "-"

    def test_empty_stdin(self):
        with pytest.raises(InputError, match="empty file"):
            list(iter_papers("-", stdin=io.StringIO("")))


class TestCleaning:
    def test_fields_lose_control_characters_and_surrogates(self):
        record = {"title": "A\u0000B\tC\u0085D", "abstract": "x\u001b[31my\u001b[0m \ud800",
                  "authors": ["Ada\u0007 Lovelace"], "categories": "cs.CL\u0000cs.LG",
                  "date": "2024-03-14\u0008"}
        [paper] = iter_papers("-", format="jsonl", stdin=io.StringIO(json.dumps(record)))
        assert (paper.title, paper.abstract) == ("A B C D", "xy \ufffd")
        assert paper.authors == ["Ada Lovelace"]
        assert paper.categories == ["cs.CL", "cs.LG"]
        assert paper.date == "2024-03-14"

    def test_raw_control_characters_in_json_lines_are_read(self):
        line = '{"title": "T\x01itle", "abstract": "A\x1fB"}\n'
        [paper] = iter_papers("-", format="jsonl", stdin=io.StringIO(line))
        assert (paper.title, paper.abstract) == ("T itle", "A B")

    def test_clean_text_keeps_scripts_and_emoji(self):
        text = "\u05e9\u05dc\u05d5\u05dd \u200fمرحبا\u200f 👨‍👩‍👧‍👦 🇮🇱 e\u0301"
        assert clean_text(text) == text


class TestLimits:
    @pytest.mark.parametrize("field, limit", [("title", MAX_TITLE_CHARS),
                                              ("abstract", MAX_ABSTRACT_CHARS)])
    def test_limit_is_inclusive(self, field, limit):
        other = "abstract" if field == "title" else "title"
        rows = [{field: "x" * limit, other: "ok"}, {field: "x" * (limit + 1), other: "ok"}]
        data = io.StringIO("".join(json.dumps(r) + "\n" for r in rows))
        log = SkipLog()
        papers = list(iter_papers("-", format="jsonl", stdin=data, on_bad=log))
        assert [len(getattr(p, field)) for p in papers] == [limit]
        assert log.warnings == [
            f"warning: -:2: {field} too long: {limit + 1:,} characters, the limit is "
            f"{limit:,} ({'is the abstract in the title field?' if field == 'title' else 'give the abstract only, not the full text'}); record skipped"]


def test_read_papers_without_anything_good():
    log = SkipLog()
    with pytest.raises(KgraphError, match="no papers read from 1 input: 1 bad record"):
        read_papers(["-"], format="jsonl", stdin=io.StringIO('{"title": "T"}\n'), on_bad=log)
    assert log.records == 1


def test_read_papers_of_nothing_is_not_an_error():
    assert read_papers(["-"], format="csv", stdin=io.StringIO("title,abstract\n"),
                       on_bad=SkipLog()) == []
