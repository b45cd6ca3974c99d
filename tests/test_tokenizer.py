"""kgraph's chunk-caching tokenizer gives exactly the tokens of spaCy's tokenizer."""

from __future__ import annotations

import pytest
import spacy

from kgraph.extract.pipeline import TOKENIZER
from kgraph.extract.tokenizer import TEXT, ChunkTokenizer, customize_tokenizer, doc_text

TEXTS = [
    "TecoGAN: Temporal Coherence\n\nWe train on ImageNet-21K. and ImageNet-1k, 100K images.",
    " leading space", "  two leading spaces", "x  y", "x \n y", "x\n", "x ", " ", "", "   ",
    "a\xa0b", "a \xa0 b", "\n\nx", "x\t\ty z ", "e.g. (:) U.S. don't can't :) (see Fig. 2).",
    "GPT-4V. HD-VG-130M, 5km ViT-L/16 CIFAR-10/100 https://github.com/x/y.",
    "ends with two spaces  ", "tab\tthen space \tand\r\nCRLF",
]


def _tokens(doc):
    return [(t.text, t.whitespace_, t.idx) for t in doc]


@pytest.fixture(scope="module")
def reference():
    return customize_tokenizer(spacy.blank("en")).tokenizer


@pytest.fixture(scope="module")
def chunked():
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    assert isinstance(nlp.tokenizer, ChunkTokenizer)
    return nlp.tokenizer


@pytest.mark.parametrize("text", TEXTS)
def test_same_tokens_as_spacy_tokenizer_with_kgraph_rules(reference, chunked, text):
    doc = chunked(text)
    assert _tokens(doc) == _tokens(reference(text))
    assert doc.text == text and doc_text(doc) == text and doc.user_data[TEXT] == text


def test_version_suffixes_stay_whole_and_full_stops_split(chunked):
    words = [t.text for t in chunked("ImageNet-21K. GPT-4V. 100K images")]
    assert words == ["ImageNet-21K", ".", "GPT-4V", ".", "100", "K", "images"]


def test_second_call_reads_the_cache_and_a_small_cache_forgets(reference):
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER,
                                                          "cache_size": 8}}})
    tok = nlp.tokenizer
    for _ in range(2):
        for text in TEXTS:
            assert _tokens(tok(text)) == _tokens(reference(text))
            assert len(tok._cache) <= 8 + 2 * len(text.split()) + 1


def test_doc_text_falls_back_to_spacy_for_other_docs():
    doc = spacy.blank("en")("plain spaCy doc")
    assert TEXT not in doc.user_data
    assert doc_text(doc) == "plain spaCy doc"


def test_rules_round_trip_through_bytes(chunked):
    tok = chunked
    other = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}}).tokenizer
    other.rules.suffix_search = spacy.blank("en").tokenizer.suffix_search
    other.clear_cache()
    assert [t.text for t in other("ImageNet-1K")] == ["ImageNet-1", "K"]
    other.from_bytes(tok.to_bytes(exclude=["vocab"]), exclude=["vocab"])
    assert [t.text for t in other("ImageNet-1K")] == ["ImageNet-1K"]
