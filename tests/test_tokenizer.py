"""kgraph's tokenizer: spaCy's tokens with kgraph's suffix rules, a large cache, the text kept."""

from __future__ import annotations

import pytest
import spacy

from kgraph.extract.pipeline import TOKENIZER
from kgraph.extract.tokenizer import (CACHE_SIZE, TEXT, KgraphTokenizer, customize_tokenizer,
                                      doc_text)

TEXTS = [
    "TecoGAN: Temporal Coherence\n\nWe train on ImageNet-21K. and ImageNet-1k, 100K images.",
    " leading space", "x  y", "x \n y", "x ", "", "a\xa0b", "e.g. (:) U.S. don't :)",
    "GPT-4V. HD-VG-130M, 5km ViT-L/16 CIFAR-10/100 https://github.com/x/y.",
    "We fine-tune ViT. Then Tiny-ImageNet-R. And U.S. law.",
    r"we propose \textit{ConvFormer}, \textbf{93.1\%} for ResNet-50|Swin-T|ViT-S/16",
    "Focus-DETR gets 50.4AP (+2.2) and 42.3mAP, not 1.5B or 32.1dB.",
]


def _tokens(doc):
    return [(t.text, t.whitespace_, t.idx) for t in doc]


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})


def test_registered_tokenizer_has_a_corpus_sized_cache(nlp):
    assert isinstance(nlp.tokenizer, KgraphTokenizer)
    assert nlp.tokenizer.max_cache_size == CACHE_SIZE > 10_000
    small = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER,
                                                            "cache_size": 8}}})
    assert small.tokenizer.max_cache_size == 8


@pytest.mark.parametrize("text", TEXTS)
def test_same_tokens_as_spacy_tokenizer_with_kgraph_rules(nlp, text):
    reference = customize_tokenizer(spacy.blank("en")).tokenizer
    for _ in range(2):  # the second time from the cache
        doc = nlp.tokenizer(text)
        assert _tokens(doc) == _tokens(reference(text))
        assert doc.user_data[TEXT] == text == doc_text(doc) == doc.text


def test_version_suffixes_stay_whole_and_full_stops_split(nlp):
    words = [t.text for t in nlp.tokenizer("ImageNet-21K. GPT-4V. 100K images")]
    assert words == ["ImageNet-21K", ".", "GPT-4V", ".", "100", "K", "images"]
    words = [t.text for t in nlp.tokenizer("T2T-ViT. Tiny-ImageNet-R. the U.S. Dr. Smith")]
    assert words == ["T2T", "-", "ViT", ".", "Tiny", "-", "ImageNet", "-", "R", ".", "the",
                     "U.S.", "Dr.", "Smith"]
    plain = [t.text for t in spacy.blank("en").tokenizer("ImageNet-21K. ImageNet-1K")]
    assert plain == ["ImageNet-21K.", "ImageNet-1", "K"]  # spaCy's own rules


def test_latex_markup_and_bars_split_from_names(nlp):
    words = [t.text for t in nlp.tokenizer(r"propose \emph{ConvFormer}, for ResNet-50|Swin-T")]
    assert words == ["propose", "\\emph{", "ConvFormer", "}", ",", "for", "ResNet-50", "|",
                     "Swin", "-", "T"]
    plain = [t.text for t in spacy.blank("en").tokenizer(r"\emph{ConvFormer} ResNet-50|Swin-T")]
    assert plain[0] == "\\emph{ConvFormer" and "ResNet-50|Swin" in plain  # spaCy's own rules


def test_score_glued_to_a_metric_name_splits(nlp):
    words = [t.text for t in nlp.tokenizer("50.4AP (+2.2), 42.3mAP, 32.1dB, 1.5B, 2.5D, 3DGS")]
    assert words == ["50.4", "AP", "(", "+2.2", ")", ",", "42.3", "mAP", ",", "32.1dB", ",",
                     "1.5B", ",", "2.5D", ",", "3DGS"]


def test_parenthesis_glued_before_a_short_form_splits(nlp):
    words = [t.text for t in nlp.tokenizer("a transformer block(HDTB) with f(x) and (i)")]
    assert words == ["a", "transformer", "block", "(", "HDTB", ")", "with", "f(x", ")",
                     "and", "(", "i", ")"]


def test_parenthesis_glued_to_a_dash_after_a_short_form_splits(nlp):
    words = [t.text for t in nlp.tokenizer("an (RAG)-based model, (VQ-TTT)-a module")]
    assert words == ["an", "(", "RAG", ")", "-", "based", "model", ",", "(", "VQ", "-", "TTT",
                     ")", "-", "a", "module"]
    # an argument in parentheses stays inside its word
    words = [t.text for t in nlp.tokenizer("E(3)-equivariant SE(3)-Transformer f(x)-g")]
    assert words == ["E(3)-equivariant", "SE(3)-Transformer", "f(x)-g"]
    plain = [t.text for t in spacy.blank("en").tokenizer("an (RAG)-based model")]
    assert "RAG)-based" in plain  # spaCy's own rules


def test_latex_tie_is_a_space_and_other_tildes_stay(nlp):
    text = r"approach~(CoTTA), see~\cite{x}, e.g.~8, (~21%), ~2x, Do\~nana, ox.ac.uk/~vgg"
    doc = nlp.tokenizer(text)
    assert doc_text(doc) == text and len(doc.text) == len(text)  # offsets index the input
    words = [t.text for t in doc]
    assert words[:6] == ["approach", "(", "CoTTA", ")", ",", "see"]
    assert words[words.index("e.g.") + 1] == "8"
    assert doc.text.count("~") == 4  # approximately, an accent and a path keep theirs


def test_doc_text_falls_back_to_spacy_for_other_docs():
    doc = spacy.blank("en")("plain spaCy doc")
    assert TEXT not in doc.user_data
    assert doc_text(doc) == "plain spaCy doc"


def test_rules_round_trip_through_bytes(nlp):
    other = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}}).tokenizer
    other.suffix_search = spacy.blank("en").tokenizer.suffix_search
    assert [t.text for t in other("ImageNet-1K")] == ["ImageNet-1", "K"]
    other.from_bytes(nlp.tokenizer.to_bytes(exclude=["vocab"]), exclude=["vocab"])
    assert [t.text for t in other("ImageNet-1K")] == ["ImageNet-1K"]
