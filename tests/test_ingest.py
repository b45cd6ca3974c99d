"""Tests of kgraph.ingest: readers, format detection, errors, ids and deduplication."""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

import pytest

from kgraph.errors import InputError
from kgraph.ingest import (
    FORMATS,
    deduplicate,
    detect_format,
    iter_papers,
    normalise_title,
    paper_id,
    read_papers,
)
from kgraph.model import Paper, Source

DATA = Path(__file__).parent / "data" / "ingest"
SHARED = Path(os.environ.get("KGRAPH_SHARED", Path(__file__).resolve().parents[2] / "shared"))
SEEDS = sorted((SHARED / "seeds").glob("*.txt"))

ABSTRACT = ("We study a problem that matters, propose a method with a short name, and show "
            "on several public benchmarks that it beats strong baselines while using less "
            "compute than any of them.")


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def read(path, **kwargs) -> list[Paper]:
    return list(iter_papers(str(path), **kwargs))


def raises_at(path, line: int | None, match: str, **kwargs) -> InputError:
    with pytest.raises(InputError, match=match) as info:
        read(path, **kwargs)
    assert info.value.path == str(path)
    assert info.value.line == line
    return info.value


# --- the real seed pages ---------------------------------------------------------------

needs_seeds = pytest.mark.skipif(not SEEDS, reason=f"no seed pages in {SHARED / 'seeds'}")


@needs_seeds
class TestSeeds:
    def test_counts(self):
        per_file = [read(path) for path in SEEDS]
        assert [len(papers) for papers in per_file] == [76, 85, 69, 71, 76]
        assert sum(map(len, per_file)) == 377
        assert len(read_papers(map(str, SEEDS))) == 316

    def test_titles_are_the_gold_titles(self):
        gold = SHARED / "eval" / "seed_gold.jsonl"
        with gold.open(encoding="utf-8") as f:
            titles = {json.loads(line)["title"] for line in f}
        assert {p.title for p in read_papers(map(str, SEEDS))} == titles

    def test_header_and_date(self):
        first = read(SEEDS[0])[0]
        assert first.title == ("Learning Temporal Coherence via Self-Supervision for "
                               "GAN-based Video Generation")
        assert first.abstract.startswith("Our work explores temporal self-supervision")
        assert first.date == "Mar 14"
        assert first.sources == [Source(str(SEEDS[0]), 11)]
        assert [read(path)[0].date for path in SEEDS] == [
            "Mar 14", "Mar 12", "Mar 11", "Mar 11", "Mar 14"]

    def test_header_found_without_the_date_line(self, tmp_path):
        text = SEEDS[1].read_text(encoding="utf-8").replace("\nMar 12\n", "\n", 1)
        undated = read(write(tmp_path / "page.txt", text))
        dated = read(SEEDS[1])
        assert [p.title for p in undated] == [p.title for p in dated]
        assert {p.date for p in undated} == {None}

    def test_paper_on_several_pages_keeps_every_source(self):
        papers = read_papers(map(str, SEEDS))
        shared = [p for p in papers if len(p.sources) == 3]
        assert len(shared) == 11
        assert sum(len(p.sources) for p in papers) == 377
        for paper in shared:
            assert len({s.path for s in paper.sources}) == 3
            for source in paper.sources:
                lines = Path(source.path).read_text(encoding="utf-8").splitlines()
                assert lines[source.line - 1] == paper.title


# --- feed pages ------------------------------------------------------------------------

class TestFeed:
    def test_dated_page(self):
        papers = read(DATA / "feed_dated.txt")
        assert [p.title for p in papers] == [
            "Sparse Mixtures of Tiny Experts for Edge Translation",
            "Self-Training Depth Estimators from Dashcam Video",
            "Graph Priors for Molecule Captioning",
        ]
        assert papers[0].abstract.startswith(
            "We route each token to one of many tiny experts and show that the resulting model ")
        assert [p.sources[0].line for p in papers] == [7, 15, 19]
        assert {p.date for p in papers} == {"Mar 14"}
        assert papers[1].id == paper_id("Self-Training Depth Estimators from Dashcam Video")

    def test_boilerplate_without_date(self):
        papers = read(DATA / "feed_plain.txt")
        assert [p.title for p in papers] == [
            "Self-Training Depth Estimators from Dashcam Video",
            "Contrastive Pretraining for Tabular Anomaly Detection",
        ]
        assert [p.sources[0].line for p in papers] == [5, 9]
        assert papers[0].date is None

    def test_no_header(self, tmp_path):
        path = write(tmp_path / "p.txt", f"A Title\n\n{ABSTRACT}\n\nAnother\n\nShort abstract.\n")
        assert [(p.title, p.sources[0].line) for p in read(path)] == [
            ("A Title", 1), ("Another", 5)]

    def test_date_with_year_becomes_iso(self, tmp_path):
        path = write(tmp_path / "p.txt", f"new\n\nMarch 3, 2025\n\nA Title\n\n{ABSTRACT}\n")
        [paper] = read(path)
        assert paper.date == "2025-03-03"
        assert paper.title == "A Title"

    def test_date_line_in_body_starts_a_section(self, tmp_path):
        path = write(tmp_path / "p.txt",
                     f"Mar 14\n\nOne\n\n{ABSTRACT}\n\nMar 13\n\nTwo\n\n{ABSTRACT}\n")
        assert [(p.title, p.date) for p in read(path)] == [("One", "Mar 14"), ("Two", "Mar 13")]

    def test_crlf_and_whitespace_lines(self, tmp_path):
        path = tmp_path / "p.txt"
        path.write_bytes(f"Mar 14\r\n \r\nA   Title\r\n\t\r\n{ABSTRACT}\r\n".encode())
        [paper] = read(path)
        assert (paper.title, paper.abstract, paper.sources[0].line) == ("A Title", ABSTRACT, 3)

    def test_blank_page_is_an_empty_file(self, tmp_path):
        raises_at(write(tmp_path / "p.txt", "\n \n"), None, "empty file")

    def test_missing_abstract_at_end(self, tmp_path):
        path = write(tmp_path / "p.txt", f"Mar 14\n\nOne\n\n{ABSTRACT}\n\nLonely Title\n")
        raises_at(path, 7, "unpaired paragraph 'Lonely Title'")

    def test_missing_abstract_in_the_middle(self, tmp_path):
        path = write(tmp_path / "p.txt",
                     f"Mar 14\n\nOne\n\n{ABSTRACT}\n\nLonely Title\n\nThree\n\n{ABSTRACT}\n")
        raises_at(path, 7, "unpaired paragraph 'Lonely Title'")

    def test_missing_abstract_before_more_papers(self, tmp_path):
        body = "".join(f"T{i}\n\n{ABSTRACT}\n\n" for i in range(3))
        path = write(tmp_path / "p.txt", f"Mar 14\n\nOne\n\n{ABSTRACT}\n\nLonely Title\n\n{body}")
        raises_at(path, 7, "unpaired paragraph 'Lonely Title'")

    def test_missing_title(self, tmp_path):
        path = write(tmp_path / "p.txt",
                     f"Mar 14\n\nOne\n\n{ABSTRACT}\n\nOrphan {ABSTRACT}\n\nThree\n\n{ABSTRACT}\n")
        raises_at(path, 7, "unpaired paragraph 'Orphan We study")


# --- JSON Lines and JSON ---------------------------------------------------------------

class TestJsonLines:
    def test_fields_and_ids(self):
        papers = read(DATA / "papers.jsonl")
        assert [p.id for p in papers] == [
            "2503.11731", "2401.00001", "cs/0101001", "W2963403868",
            paper_id("A Paper Without Any Id")]
        assert paper_id("A Paper Without Any Id").startswith("t")
        assert [p.sources[0].line for p in papers] == [1, 3, 4, 5, 6]
        first, second = papers[:2]
        assert first.authors == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
        assert first.categories == ["cs.CL", "cs.LG"]
        assert first.date == "2025-03-14"
        assert second.authors == ["Edsger Dijkstra", "Barbara Liskov"]
        assert second.abstract == ""
        assert second.url == "https://arxiv.org/pdf/2401.00001v1"

    @pytest.mark.parametrize("line, message", [
        ('{"title": "T", "abstract": "A"', "invalid JSON"),
        ('["title", "abstract"]', "expected a JSON object, got array"),
        ('"just a string"', "expected a JSON object, got string"),
        ('{"abstract": "A"}', "missing 'title'"),
        ('{"title": "T"}', "missing 'abstract'"),
        ('{"title": 42, "abstract": "A"}', "'title' must be a string, not number"),
        ('{"title": "T", "abstract": ["A"]}', "'abstract' must be a string, not array"),
        ('{"title": "  ", "abstract": "A"}', "empty title"),
        ('{"title": "T", "abstract": "A", "authors": 7}', "'authors' must be a list or a string"),
    ])
    def test_errors_name_the_line(self, tmp_path, line, message):
        good = '{"title": "Fine", "abstract": "Fine."}\n'
        path = write(tmp_path / "bad.jsonl", f"{good}\n{good}{line}\n{good}")
        raises_at(path, 4, message)

    def test_gzip_is_streamed(self, tmp_path):
        path = tmp_path / "big.jsonl.gz"
        with gzip.open(path, "wt", encoding="utf-8") as f:
            f.write('{"title": "One", "abstract": "A."}\n')
            f.write('{"title": "Two", "abstract": "B."}\n')
            f.write("not json\n")
        papers = iter_papers(str(path))
        assert [next(papers).title, next(papers).title] == ["One", "Two"]
        with pytest.raises(InputError) as info:
            next(papers)
        assert (info.value.path, info.value.line) == (str(path), 3)

    def test_gzip_without_gz_extension(self, tmp_path):
        path = tmp_path / "packed.jsonl"
        path.write_bytes(gzip.compress(b'{"title": "One", "abstract": "A."}\n'))
        assert [p.title for p in read(path)] == ["One"]

    def test_truncated_gzip(self, tmp_path):
        path = tmp_path / "cut.jsonl.gz"
        path.write_bytes(gzip.compress(b'{"title": "One", "abstract": "A."}\n' * 1000)[:-12])
        with pytest.raises(InputError, match="cannot read") as info:
            read(path)
        assert info.value.path == str(path)
        assert info.value.line is not None


class TestJsonArray:
    def test_records_and_lines(self):
        papers = read(DATA / "papers.json")
        assert [(p.id, p.sources[0].line) for p in papers] == [
            ("2401.00001", 2), (paper_id("Graph Priors for Molecule Captioning"), 4)]
        assert papers[1].url == "https://example.org/molecules"

    def test_gzip(self, tmp_path):
        path = tmp_path / "a.json.gz"
        path.write_bytes(gzip.compress((DATA / "papers.json").read_bytes()))
        assert [p.title for p in read(path)] == [p.title for p in read(DATA / "papers.json")]

    def test_empty_array(self, tmp_path):
        assert read(write(tmp_path / "a.json", " [ ]\n")) == []

    @pytest.mark.parametrize("text, line, message", [
        ('[\n{"title": "T", "abstract": "A"},\n{"title": "T" "abstract": "A"}\n]', 3,
         "invalid JSON"),
        ('[\n{"title": "T", "abstract": "A"},\n\n3\n]', 4, "expected a JSON object, got number"),
        ('\n{"title": "T", "abstract": "A"}\n', 2, "expected a JSON array"),
        ('[\n{"title": "T", "abstract": "A"}\n{"title": "U", "abstract": "B"}]', 3,
         "expected ',' or ']'"),
        ('[{"title": "T", "abstract": "A"}]\n[]', 2, "extra data"),
        ('[\n{"title": "T", "abstract": "A"},\n{"title": "", "abstract": "A"}]', 3,
         "empty title"),
    ])
    def test_errors_name_the_line(self, tmp_path, text, line, message):
        raises_at(write(tmp_path / "bad.json", text), line, message)


# --- CSV -------------------------------------------------------------------------------

class TestCsv:
    def test_columns_and_multiline_fields(self):
        papers = read(DATA / "papers.csv")
        assert [(p.title, p.sources[0].line) for p in papers] == [
            ("Plain Record", 2), ("A Title, With a Comma", 3), ("After the Multi-line Record", 6)]
        assert papers[1].abstract == "An abstract that spans three lines."
        assert papers[1].authors == ["Alan Turing", "Grace Hopper"]
        assert papers[2].abstract == 'Quoted "words" stay.'
        assert papers[2].authors == []
        assert [p.id for p in papers] == ["1", "2", "3"]

    def test_missing_column_names_the_columns_found(self, tmp_path):
        path = write(tmp_path / "a.csv", "Title,Summary,Year\nT,S,2024\n")
        error = raises_at(path, 1, "no 'abstract' column")
        assert "'Title', 'Summary', 'Year'" in error.message

    def test_ragged_record(self, tmp_path):
        path = write(tmp_path / "a.csv", 'title,abstract\nT,"A\nB"\nU,B,extra\n')
        raises_at(path, 4, "3 fields, the header has 2")

    def test_empty_title(self, tmp_path):
        raises_at(write(tmp_path / "a.csv", "title,abstract\n,Some abstract\n"), 2, "empty title")

    def test_unterminated_quote(self, tmp_path):
        path = write(tmp_path / "a.csv", 'title,abstract\nT,A\nU,"never closed\nmore\n')
        raises_at(path, 3, "invalid CSV")

    def test_gzip_and_bom(self, tmp_path):
        path = tmp_path / "a.csv.gz"
        path.write_bytes(gzip.compress("\ufefftitle,abstract\nT,A\n".encode("utf-8")))
        assert [(p.title, p.abstract) for p in read(path)] == [("T", "A")]


# --- formats, files and standard input --------------------------------------------------

class TestFormats:
    @pytest.mark.parametrize("name, expected", [
        ("page.txt", "feed"), ("a.jsonl", "jsonl"), ("a.NDJSON", "jsonl"),
        ("a.jsonl.gz", "jsonl"), ("a.json", "json"), ("a.json.gz", "json"),
        ("a.csv", "csv"), ("dir.v2/a.csv.gz", "csv"),
    ])
    def test_detect_format(self, name, expected):
        assert detect_format(name) == expected
        assert expected in FORMATS

    @pytest.mark.parametrize("name", ["notes.md", "archive.gz", "README"])
    def test_unknown_extension(self, tmp_path, name):
        path = write(tmp_path / name, "x")
        error = raises_at(path, None, "file extension")
        assert "--format" in error.message
        assert all(name in error.message for name in FORMATS)

    def test_explicit_format_overrides_extension(self, tmp_path):
        path = write(tmp_path / "dump.txt", '{"title": "T", "abstract": "A"}\n')
        assert [p.title for p in read(path, format="jsonl")] == ["T"]

    def test_unknown_format_name(self, tmp_path):
        path = write(tmp_path / "a.jsonl", "")
        raises_at(path, None, "unknown format 'yaml'", format="yaml")

    def test_missing_file(self, tmp_path):
        raises_at(tmp_path / "nope.jsonl", None, "no such file")

    def test_directory(self, tmp_path):
        raises_at(tmp_path, None, "is a directory")

    def test_undecodable_bytes(self, tmp_path):
        path = tmp_path / "latin1.jsonl"
        path.write_bytes(b'{"title": "T", "abstract": "A"}\n\n'
                         b'{"title": "Caf\xe9", "abstract": "A"}\n')
        raises_at(path, 3, "not UTF-8 text: byte 0xe9 at column 15")

    def test_bom(self, tmp_path):
        path = tmp_path / "bom.jsonl"
        path.write_bytes('\ufeff{"title": "T", "abstract": "A"}\n'.encode("utf-8"))
        assert [p.title for p in read(path)] == ["T"]


class TestStdin:
    @pytest.mark.parametrize("text, title", [
        ('[{"title": "Json", "abstract": "A"}]', "Json"),
        ('\n{"title": "Lines", "abstract": "A"}\n', "Lines"),
        ("ID,Title,Abstract\n1,Csv,A\n", "Csv"),
        (f"Mar 14\n\nFeed\n\n{ABSTRACT}\n", "Feed"),
        (f"Trending, daily\n\nFeed\n\n{ABSTRACT}\n", "Feed"),
    ])
    def test_sniffed(self, text, title):
        [paper] = read("-", stdin=io.StringIO(text))
        assert paper.title == title
        assert paper.sources[0].path == "-"

    def test_explicit_format(self):
        papers = read("-", format="csv", stdin=io.StringIO("title,abstract\nT,A\n"))
        assert [(p.title, str(p.sources[0])) for p in papers] == [("T", "-:2")]

    def test_defaults_to_sys_stdin(self, monkeypatch):
        monkeypatch.setattr("sys.stdin", io.StringIO('{"title": "T", "abstract": "A"}\n'))
        assert [p.title for p in read("-")] == ["T"]

    def test_errors_name_stdin(self):
        with pytest.raises(InputError) as info:
            read("-", stdin=io.StringIO('{"title": "T", "abstract": "A"}\n[1]\n'))
        assert (info.value.path, info.value.line) == ("-", 2)

    def test_undecodable_stdin(self):
        stream = io.TextIOWrapper(io.BytesIO(b'{"title": "T", "abstract": "A"}\n\xff\n'),
                                  encoding="utf-8")
        with pytest.raises(InputError, match="not UTF-8") as info:
            read("-", stdin=stream)
        assert (info.value.path, info.value.line) == ("-", 2)

    def test_detect_format_refuses_stdin(self):
        with pytest.raises(InputError, match="standard input"):
            detect_format("-")


# --- ids and deduplication -------------------------------------------------------------

class TestIds:
    def test_normalise_title(self):
        assert normalise_title("  Ｆｕｌｌ－Ｗｉｄｔｈ:\tTÍTULO_x  ") == "full width título x"
        assert normalise_title("STRASSE") == normalise_title("Straße")
        assert normalise_title("?!") == ""

    @pytest.mark.parametrize("given, url, expected", [
        ("2503.11731", None, "2503.11731"),
        ("2503.11731v2", None, "2503.11731"),
        ("arXiv:1706.03762v7", None, "1706.03762"),
        ("cs/0101001", None, "cs/0101001"),
        ("math.GT/0309136v1", None, "math.GT/0309136"),
        (None, "https://arxiv.org/abs/2503.11731v1", "2503.11731"),
        (None, "http://arxiv.org/pdf/2503.11731.pdf", "2503.11731"),
        (None, "https://export.arxiv.org/abs/hep-th/9901001", "hep-th/9901001"),
        ("  my-id ", "https://example.org/2503.11731", "my-id"),
        ("W1", "https://arxiv.org/abs/2503.11731", "2503.11731"),
    ])
    def test_paper_id(self, given, url, expected):
        assert paper_id("Some Title", given, url) == expected

    def test_title_hash(self):
        import hashlib
        expected = "t" + hashlib.sha1(b"some title").hexdigest()[:12]
        assert paper_id("Some  Title!") == paper_id("some title") == expected
        assert paper_id("Some Title", given_id="  ") == expected
        assert paper_id("?!") != paper_id("...")


def paper(pid, title, abstract="", line=1, path="a.txt", **kwargs) -> Paper:
    return Paper(pid, title, abstract, sources=[Source(path, line)], **kwargs)


class TestDeduplicate:
    def test_transitive_groups_keep_first_seen_order(self):
        a = paper("ta", "Alpha", line=1)
        b = paper("tb", "Beta", line=2)
        c = paper("2401.00001", "alpha!", line=3)
        d = paper("2401.00001", "Alpha, revised", line=4)
        merged = deduplicate([a, b, c, d])
        assert [(p.id, p.title) for p in merged] == [("2401.00001", "Alpha"), ("tb", "Beta")]
        assert [s.line for s in merged[0].sources] == [1, 3, 4]

    def test_fills_empty_fields_and_prefers_longer_abstract(self):
        first = paper("t1", "Alpha", "Short.", date="Mar 14")
        later = paper("t2", "ALPHA", "A longer abstract.", line=9, url="https://x.org",
                      authors=["A. Author"], categories=["cs.LG"], date="2024-03-14")
        [merged] = deduplicate([first, later])
        assert merged.abstract == "A longer abstract."
        assert (merged.url, merged.authors, merged.categories) == (
            "https://x.org", ["A. Author"], ["cs.LG"])
        assert merged.date == "Mar 14"
        assert merged.id == "t1"

    def test_same_given_id_merges_different_titles(self):
        merged = deduplicate([paper("W1", "One name"), paper("W1", "Another name", line=2)])
        assert [(p.title, len(p.sources)) for p in merged] == [("One name", 2)]

    def test_sources_are_not_repeated_and_inputs_untouched(self):
        a = paper("t1", "Alpha", line=1)
        [merged] = deduplicate([a, paper("t1", "Alpha", line=1), paper("t1", "Alpha", line=2)])
        assert merged.sources == [Source("a.txt", 1), Source("a.txt", 2)]
        assert a.sources == [Source("a.txt", 1)]
        assert merged is not a

    def test_punctuation_only_titles_stay_apart(self):
        assert len(deduplicate([paper(paper_id("?!"), "?!"), paper(paper_id("..."), "...")])) == 2


def test_read_papers_merges_across_formats():
    papers = read_papers([str(DATA / "feed_dated.txt"), str(DATA / "papers.jsonl"),
                          str(DATA / "papers.json"), str(DATA / "papers.csv")])
    by_title = {normalise_title(p.title): p for p in papers}
    assert len(papers) == 3 + 4 + 0 + 3  # the JSON array repeats two papers read before

    sparse = by_title[normalise_title("Sparse Mixtures of Tiny Experts for Edge Translation")]
    assert sparse.id == "2503.11731"
    assert sparse.date == "Mar 14"
    assert sparse.authors == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    assert sparse.abstract.endswith("latency stays under fifty milliseconds.")
    assert [str(s) for s in sparse.sources] == [
        f"{DATA / 'feed_dated.txt'}:7", f"{DATA / 'papers.jsonl'}:1"]

    quantised = by_title[normalise_title("Quantised Attention Kernels")]
    assert quantised.title == "Quantised Attention Kernels"
    assert quantised.abstract.startswith("We quantise the attention kernel")
    assert len(quantised.sources) == 2

    molecules = by_title[normalise_title("Graph Priors for Molecule Captioning")]
    assert molecules.url == "https://example.org/molecules"
    assert molecules.abstract.startswith("We describe molecules")
