"""find_urls starts its regex at link hints, and finds what a scan from every character finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph.extract import urls
from kgraph.extract.urls import find_urls

PIECES = [
    "https://github.com/x/y", "http: //a.org/p", "https: //", "www.example.com/p",
    "evin.github.io/found", "x-y.github.io", "github.com/ owner/repo", "gitee.com/a/b",
    "huggingface.co/datasets/a/b", "gitlab.com/g/s/p", "HTTPS://GitHub.com/A/B.",
    "bitbucket.org/o/r", "(see https://x.org/a).", "\\url{https://y.org/z}", "mail@github.com/x",
    "a.github", "http", "github", "www.", "word", "the", ",", ".", "-", "_", "/", "çé",
    "İstanbul", " ", " ", "\n", "\t",
]


def _scan_everywhere(text: str) -> list:
    saved = urls._search_from
    urls._search_from = lambda text, low, pos: pos
    try:
        return find_urls(text)
    finally:
        urls._search_from = saved


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=25).map("".join))
def test_same_links_as_scanning_every_character(text):
    assert find_urls(text) == _scan_everywhere(text)


def test_a_link_after_a_long_text_without_links():
    text = "plain words " * 200 + "code at abc.github.io/x and https://github.com/o/r."
    found = [m.url for m in find_urls(text)]
    assert found == ["https://abc.github.io/x", "https://github.com/o/r"]
    assert find_urls(text) == _scan_everywhere(text)
