"""Lexeme flags: compiled Matcher patterns match exactly what the original patterns match."""

from __future__ import annotations

import pytest
import spacy
from spacy.matcher import Matcher

from kgraph.extract.lexflags import FLAG_BITS, LexemeFlag, add_flags, compile_patterns
from kgraph.extract.patterns import load_rules

TEXTS = [
    "We evaluate on the COCO and LVIS datasets, compared with ResNet-50 and ViT-L/16.",
    "In terms of FID, our TecoGAN model outperforms prior GAN-based methods on Vid4.",
    "Semantic segmentation and object detection tasks are addressed for video editing.",
    "ON THE IMAGENET-1K BENCHMARK we Report mAP; a novel, lightweight Method called X-Net.",
]

PATTERNS = [
    [{"LOWER": {"IN": ["on", "with"]}}, {"LOWER": "the", "OP": "?"}, {"IS_UPPER": True, "OP": "+"}],
    [{"ORTH": {"IN": ["COCO", "LVIS"]}}, {"LOWER": {"NOT_IN": ["datasets"]}}],
    [{"TEXT": {"REGEX": "^[A-Z][a-z]+[A-Z]"}, "LENGTH": {">=": 5}}],
    [{"LOWER": {"IN": ["segmentation", "detection"], "NOT_IN": ["detection"]}},
     {"LOWER": {"IN": ["and"]}, "OP": "?"}],
    [{"LENGTH": {"<": 3, "!=": 1}}, {"IS_PUNCT": True}],
    [{"LOWER": {"IN": ["a", "an"]}}, {"LOWER": {"FUZZY": "novel"}}],  # left to the Matcher
]


def _matches(matcher, doc):
    return sorted((doc.vocab.strings[m], s, e) for m, s, e in matcher(doc))


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


def test_compiled_patterns_match_like_the_originals(nlp):
    reference = Matcher(nlp.vocab, validate=True)
    compiled = Matcher(nlp.vocab, validate=False)
    for k, (pattern, fast) in enumerate(zip(PATTERNS, compile_patterns(PATTERNS, nlp.vocab))):
        reference.add(str(k), [pattern], greedy="LONGEST")
        compiled.add(str(k), [fast], greedy="LONGEST")
    assert compiled._extra_predicates and len(compiled._extra_predicates) == 1  # only FUZZY
    found = 0
    for text in TEXTS:
        doc = nlp(text)
        assert _matches(compiled, doc) == _matches(reference, doc)
        found += len(_matches(reference, doc))
    assert found > 5


def test_set_predicates_become_flag_bits_shared_between_patterns(nlp):
    a, b = compile_patterns([[{"LOWER": {"IN": ["x", "y"]}}], [{"LOWER": {"IN": ["y", "x"]}}]],
                            nlp.vocab)
    (bit_a,), (bit_b,) = a[0], b[0]
    assert bit_a == bit_b and bit_a in FLAG_BITS and a[0][bit_a] is True
    assert nlp.vocab["X"].check_flag(bit_a) and not nlp.vocab["z"].check_flag(bit_a)
    # words first seen after registration get the flag from spaCy's lexeme getters
    assert nlp.vocab["Y"].check_flag(bit_a)


def test_context_rule_lists_compile_to_flags():
    nlp = spacy.blank("en")
    rules = load_rules()
    patterns = compile_patterns([r.pattern for r in rules], nlp.vocab)
    predicates = [(k, v) for p in patterns for el in p for k, v in el.items()
                  if isinstance(v, dict) and k != "_"]
    assert predicates == []  # every IN / NOT_IN list is a flag test now
    assert sum(isinstance(k, int) for p in patterns for el in p for k in el) >= len(rules)


def test_without_free_bits_predicates_stay_as_written():
    nlp = spacy.blank("en")
    fillers = [LexemeFlag(("filler", bit), lambda s: False) for bit in FLAG_BITS]
    assert None not in add_flags(nlp.vocab, fillers)
    assert add_flags(nlp.vocab, [LexemeFlag("one more", lambda s: True)]) == [None]
    pattern = [{"LOWER": {"IN": ["on"]}}, {"IS_UPPER": True}]
    assert compile_patterns([pattern], nlp.vocab) == [pattern]


def test_lower_in_flags_run_in_c_and_flag_new_words_like_the_test():
    import functools

    nlp = spacy.blank("en")
    nlp.vocab["Dataset"]  # known before the flag is registered
    words = ["dataset", "benchmark"]
    [pattern] = compile_patterns([[{"LOWER": {"IN": words}}, {"LOWER": {"NOT_IN": ["the"]}}]],
                                 nlp.vocab)
    (bit,), (other,) = pattern[0], pattern[1]
    assert isinstance(nlp.vocab.lex_attr_getters[bit], functools.partial)
    assert not isinstance(nlp.vocab.lex_attr_getters[other], functools.partial)  # NOT_IN
    for word in ["Dataset", "dataset", "DATASET", "BenchMark", "benchmarks", "data", "The"]:
        lex = nlp.vocab[word]
        assert lex.check_flag(bit) == (word.lower() in words), word
        assert lex.check_flag(other) == (word.lower() != "the"), word
    doc = nlp("A new BENCHMARK dataset, not the Benchmark.")
    assert [t.text for t in doc if t.check_flag(bit)] == ["BENCHMARK", "dataset", "Benchmark"]
