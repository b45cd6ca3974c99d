"""Components computed on token attribute arrays agree with their token-by-token definitions."""

from __future__ import annotations

import numpy
import pytest
import spacy
from spacy.attrs import ENT_KB_ID
from spacy.pipeline import Sentencizer

from kgraph.extract.lexflags import FLAG_BITS, LexemeFlag, add_flags
from kgraph.extract.patterns import (_CONNECTORS, _VERSION, NAMES, ContextMatcher, is_name_shaped,
                                     load_rules, mark_names, title_end)
from kgraph.extract.pipeline import TOKENIZER, TitleSentencizer, build_pipeline

TEXTS = [
    "TecoGAN: Temporal Coherence via Self-Supervision\n\nWe propose TecoGAN. It beats "
    "DUF and EDVR on Vid4 in terms of PSNR!! It beats Llama 2 and GPT-4V... see https://x.org/a.",
    "A Study Of Nothing\n\n\"Quoted.\" Then (a) and (b)? Yes. ResNet-101/ViT-L/16 v1.5 "
    "and ResNet. Then PointNet++ + X-Net, U.S. style 2 models.",
    "no title break at all. lower case start. Another One here, SAM-to-SAM and ViT-per-patch.",
    "Title\n\n  \n Odd whitespace . . . ! ? end",
    "x",
    "",
]


def _reference_names(doc) -> list[bool]:
    """``mark_names`` as first written: one token at a time."""
    t_end = title_end(doc)
    flags = [not t.like_url and is_name_shaped(t.text, in_title=t.idx < t_end,
                                               sentence_start=t.i == 0 or bool(t.is_sent_start))
             for t in doc]
    for i in range(1, len(doc) - 1):
        tok = doc[i]
        if (tok.text in _CONNECTORS and flags[i - 1] and not doc[i - 1].whitespace_
                and not tok.whitespace_ and (flags[i + 1] or doc[i + 1].is_alpha
                                             or doc[i + 1].like_num)):
            flags[i] = True
            if not flags[i + 1] and not doc[i + 1].is_stop:
                flags[i + 1] = True
    for i in range(1, len(doc)):
        if (not flags[i] and flags[i - 1] and _VERSION.match(doc[i].text)
                and doc[i].idx >= t_end and not doc[i].is_sent_start):
            flags[i] = True
    return flags


def _reference_sentences(doc) -> list[bool]:
    """spaCy's ``Sentencizer`` token by token, then the abstract's first token."""
    doc = Sentencizer()(doc)
    boundary = title_end(doc)
    for tok in doc:
        if tok.idx > boundary and not tok.is_space:
            tok.is_sent_start = True
            break
    return [t.is_sent_start for t in doc]


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline()


@pytest.mark.parametrize("text", TEXTS)
def test_sentence_starts_equal_spacy_sentencizer(nlp, text):
    doc = TitleSentencizer()(nlp.make_doc(text))
    assert [t.is_sent_start for t in doc] == _reference_sentences(nlp.make_doc(text))


@pytest.mark.parametrize("text", TEXTS)
def test_name_flags_equal_the_token_by_token_rule(nlp, text):
    doc = nlp.get_pipe("kgraph_sentences")(nlp.make_doc(text))
    mark_names(doc)
    assert doc.user_data[NAMES] == _reference_names(doc)
    assert [t._.kg_name for t in doc] == doc.user_data[NAMES]


def test_names_in_a_sample_text(nlp):
    doc = nlp(TEXTS[0])
    names = {t.text for t in doc if t._.kg_name}
    assert {"TecoGAN", "DUF", "EDVR", "Vid4", "PSNR", "Llama", "2", "GPT-4V"} <= names
    assert not {"We", "It", "beats", "https://x.org/a"} & names


def test_kg_name_can_be_set_by_hand():
    doc = spacy.blank("en")("plain words here")
    assert not doc[1]._.kg_name
    doc[1]._.kg_name = True
    assert [t._.kg_name for t in doc] == [False, True, False]


def test_without_free_flag_bits_the_same_flags_and_starts():
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    fillers = [LexemeFlag(("filler", bit), lambda s: False) for bit in FLAG_BITS]
    add_flags(nlp.vocab, fillers)
    sentencizer = TitleSentencizer()
    for text in TEXTS:
        doc = sentencizer(nlp.make_doc(text))
        assert [t.is_sent_start for t in doc] == _reference_sentences(nlp.make_doc(text))
        mark_names(doc)
        assert doc.user_data[NAMES] == _reference_names(doc)


def test_context_matcher_leaves_token_attributes_as_it_found_them(nlp):
    doc = nlp.get_pipe("kgraph_sentences")(nlp.make_doc(TEXTS[0]))
    before = doc.to_array([ENT_KB_ID])
    ContextMatcher(nlp, load_rules())(doc)
    assert numpy.array_equal(doc.to_array([ENT_KB_ID]), before)
    assert {s.text for s in doc.spans["kgraph"]} >= {"PSNR", "TecoGAN"}


def test_context_rule_counts_only_after_its_words(nlp):
    rules = load_rules('{"id": "gizmo", "label": "method", "after": ["gizmos"], "pattern": '
                       '[{"LOWER": "such"}, {"LOWER": "as"}, '
                       '{"_": {"kg_name": true}, "OP": "+", "entity": true}]}')
    assert rules[0].after == frozenset({"gizmos"})
    text = ("A study\n\nWe test gizmos, such as QwopNet, and tools such as ZorbKit. "
            "Gizmos (such as FlimNet) help.")
    doc = ContextMatcher(nlp, rules)(nlp.get_pipe("kgraph_sentences")(nlp.make_doc(text)))
    assert {s.text for s in doc.spans["kgraph"]} == {"QwopNet", "FlimNet"}


MATCH_TEXTS = TEXTS + [
    "PRES: Toward Scalable Memory-Based Dynamic Graph Neural Networks\n\nWe propose PRES, "
    "a novel framework. Compared with TGN and JODIE, PRES outperforms them on the Wikipedia "
    "and Reddit datasets in terms of AP and AUC. We introduce a new benchmark called "
    "DyGLib for dynamic link prediction tasks and node classification.",
    "We evaluate on ImageNet-1K, COCO and ADE20K. Our ResNet-based model surpasses ViT-B "
    "and Swin-T models for semantic segmentation and object detection.",
]


def test_context_matches_equal_spacy_matcher_with_the_rules_as_written(nlp):
    from spacy.matcher import Matcher

    rules = load_rules()
    reference = Matcher(nlp.vocab, validate=True)
    for rule in rules:
        reference.add(rule.id, [rule.pattern], greedy="LONGEST")  # reads token._.kg_name
    context = ContextMatcher(nlp, rules)
    found = set()
    for text in MATCH_TEXTS:
        doc = nlp.get_pipe("kgraph_sentences")(nlp.make_doc(text))
        names = mark_names(doc).user_data[NAMES]
        expected = [(nlp.vocab.strings[key], start, end, align)
                    for key, start, end, align in reference(doc, with_alignments=True)]
        assert context._fast is not None  # the shipped rules run in kgraph's TokenMatcher
        assert context._matches(doc, names) == expected
        fast, context._fast = context._fast, None  # the spaCy Matcher path too
        try:
            assert context._matches(doc, names) == expected
        finally:
            context._fast = fast
        found.update(m[0] for m in expected)
    assert len(found) >= 6
    assert len(context._matchers) > 2  # several sets of possible rules were used
