"""Lexeme flags: compiled Matcher patterns match exactly what the original patterns match."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
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
    # NOT_IN of the same set is that bit required false: no bit of its own
    [[not_in]] = compile_patterns([[{"LOWER": {"NOT_IN": ["x", "y"]}}]], nlp.vocab)
    assert not_in == {bit_a: False}


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
    # NOT_IN is the IN flag of its set, required false: a membership test in C too
    assert pattern[1] == {other: False}
    assert isinstance(nlp.vocab.lex_attr_getters[other], functools.partial)
    for word in ["Dataset", "dataset", "DATASET", "BenchMark", "benchmarks", "data", "The"]:
        lex = nlp.vocab[word]
        assert lex.check_flag(bit) == (word.lower() in words), word
        assert lex.check_flag(other) == (word.lower() == "the"), word
    doc = nlp("A new BENCHMARK dataset, not the Benchmark.")
    assert [t.text for t in doc if t.check_flag(bit)] == ["BENCHMARK", "dataset", "Benchmark"]


_ODD_WORDS = ["", "a", "A", "ab", "AB", "Ab", "aB", "1", "½", "²", "٣", "ǅ", "ǅa", "İ", "ß", "ﬁ",
              "Σ", "ΣΑ", "x\u0301", " ", "\u00a0", "\t", "\n", "ResNet-50", "e.g.", "'s", "ŉ",
              "€", "..", "ＡＢ", "ǈ", "Ⅻ", "ⅻ", "deep-learning", "3D"]


def _corpus_words() -> set[str]:
    import os
    from pathlib import Path

    shared = Path(os.environ.get("KGRAPH_SHARED", Path(__file__).resolve().parents[2] / "shared"))
    seeds = sorted((shared / "seeds").glob("*.txt"))[:4]
    return {w for path in seeds for w in path.read_text(encoding="utf-8").split()}


def test_fast_lexeme_getters_give_spacys_values():
    from spacy.lang import lex_attrs

    from kgraph.extract.lexflags import fast_lexeme_getters

    nlp = spacy.blank("en")
    original = dict(nlp.vocab.lex_attr_getters)
    assert fast_lexeme_getters(nlp.vocab) == 10
    getters = nlp.vocab.lex_attr_getters
    replaced = [attr for attr in getters if getters[attr] is not original[attr]]
    assert getters[replaced[0]] is str.lower and original[replaced[0]] is lex_attrs.lower
    words = _corpus_words() | set(_ODD_WORDS)
    assert len(words) > 500
    for attr in replaced:
        for word in words:
            try:
                expected = original[attr](word)
            except IndexError:  # spaCy's prefix of "" (spaCy never asks for it)
                with pytest.raises(IndexError):
                    getters[attr](word)
                continue
            assert getters[attr](word) == expected, (attr, word)
    # a new word's lexeme has the attributes spaCy's own getters give it
    plain = spacy.blank("en")
    for word in ["Ǆemal", "ResNet-50", "ＡＢＣ", "x\u0301y", "don't"]:
        fast, slow = nlp.vocab[word], plain.vocab[word]
        assert (fast.lower_, fast.prefix_, fast.suffix_, fast.flags) == \
            (slow.lower_, slow.prefix_, slow.suffix_, slow.flags), word


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=8))
def test_fast_lexeme_getters_on_generated_words(word):
    from kgraph.extract.lexflags import _C_GETTERS

    for slow, fast in _C_GETTERS.items():
        assert fast(word) == slow(word), (slow.__name__, word)
