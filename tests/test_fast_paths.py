"""Faster ways of computing extraction steps give what the plain definitions give.

Each fast path of the extractor (a regex scan that skips ahead, reused word scans,
serialisation written out field by field, ...) is checked here against the direct
computation it replaces, on seed texts and on generated text.
"""

from __future__ import annotations

import dataclasses
import random
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph.extract.results import _TOKEN, NUMBER_RE, _numbers, _tokens
from kgraph.model import Entity, EntityType, Mention, Paper, PaperExtraction, Result, Source

SHARED = Path(os.environ.get("KGRAPH_SHARED", Path(__file__).resolve().parents[2] / "shared"))
SEEDS = sorted((SHARED / "seeds").glob("*.txt"))

# characters that make up numbers, units, words and their glue
_ALPHABET = "0123456789.,%xX×~≈<>≥≤+-−± \n()[]abcdefpsdBFPtimes\\"


@pytest.fixture(scope="module")
def seed_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in SEEDS[:3]]
    texts.append("Gains of +2.1%, −0.4 dB and ~3.2x (≥ 90 FPS); .5 vs 1,000.5 pts, 7B 3.2× "
                 "10 percent 4\\% 5\\times 6 p.p. 1080Ti 16x16 [12] 2019")
    return texts


def _spans(matches) -> list[tuple]:
    return [(m.span(), m.groupdict()) for m in matches]


def test_number_scan_finds_what_the_number_regex_finds(seed_texts):
    for text in seed_texts:
        assert _spans(_numbers(text)) == _spans(NUMBER_RE.finditer(text))
    assert sum(1 for t in seed_texts for _ in _numbers(t)) > 100


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_number_scan_on_generated_text(text):
    assert _spans(_numbers(text)) == _spans(NUMBER_RE.finditer(text))


def test_reused_word_scans_match_a_fresh_scan(seed_texts):
    rnd = random.Random(7)
    for text in seed_texts:
        for _ in range(300):
            lo = rnd.randrange(len(text))
            hi = rnd.randrange(lo, min(len(text), lo + 300) + 1)
            expected = [(m.group().lower(), m.start(), m.end())
                        for m in _TOKEN.finditer(text, lo, hi)]
            k = rnd.randrange(1, 8)
            assert _tokens(text, lo, hi, first=k) == expected[:k]  # a scan read lazily
            assert _tokens(text, lo, hi) == expected
            assert _tokens(text, lo, hi, last=k) == expected[-k:]
    # a stretch that cuts a word ("up-to-date" read up to "up-t"): the cut word is scanned again
    text = "an up-to-date model"
    assert _tokens(text, 0, len(text)) and _tokens(text, 0, 7) == [("an", 0, 2), ("up-t", 3, 7)]
    assert _tokens(text, 0, 7, first=1) == [("an", 0, 2)]
    assert _tokens(text, 0, 7, last=1) == [("up-t", 3, 7)]


def test_serialisation_is_asdict_written_out():
    paper = Paper("p1", "T", "A", url="u", authors=["a", "b"], date="2024",
                  categories=["cs.CV"], sources=[Source("f.txt", 3)])
    mention = Mention("COCO", 3, 7, 1, "gazetteer:datasets")
    result = Result(1.5, "%", "absolute", "mAP", "COCO", None, "1.5%", 9, 13, 1, "metric_after")
    expected = dataclasses.asdict(paper)
    expected["sources"] = ["f.txt:3"]
    assert paper.to_dict() == expected and list(paper.to_dict()) == list(expected)
    for obj in (mention, result):
        assert obj.to_dict() == dataclasses.asdict(obj)
        assert list(obj.to_dict()) == [f.name for f in dataclasses.fields(obj)]
    ex = PaperExtraction(paper, [Entity(EntityType.DATASET, "COCO", "coco", ["COCO"],
                                        [mention])], [result])
    assert PaperExtraction.from_dict(ex.to_dict()) == ex


def test_sentence_spans_from_arrays_are_the_doc_sentences():
    from kgraph.extract import Extractor
    from kgraph.extract.entities import sentence_index
    from kgraph.extract.pipeline import sentences_of

    nlp = Extractor().nlp
    for text in ["TecoGAN: a title\n\nWe propose it. It works!  Does it? Yes.\n",
                 "one sentence only", "x", "Title\n\n  \n Odd whitespace . . . ! ? end"]:
        doc = nlp(text)
        numbers, spans = sentences_of(doc)
        assert spans == [(s.start_char, s.end_char) for s in doc.sents]
        assert numbers == sentence_index(doc)
    assert sentences_of(nlp("")) == ([], [])


# --- TokenMatcher: spaCy's Matcher algorithm, run only where a pattern can match ---

_WORDS = ["a", "b", "c", "A", "B", "the", "of", ",", "."]
_ELEMENTS = [{"LOWER": "a"}, {"LOWER": "b"}, {"ORTH": "c"}, {"IS_UPPER": True},
             {"IS_PUNCT": True}, {"IS_ALPHA": False}, {"LOWER": "the", "IS_LOWER": True},
             {"LENGTH": 1}, {}, {"IS_SENT_START": True},
             {"IS_ALPHA": True}]  # one flag tested for both values, as NOT_IN / IN flags are
_OPS = [None, "?", "*", "+", "!", "{2}", "{1,2}", "{,2}", "{2,}"]


@pytest.fixture(scope="module")
def blank():
    import spacy

    return spacy.blank("en")


def _element(index: int, op: str | None) -> dict:
    el = dict(_ELEMENTS[index])
    if op is not None:
        el["OP"] = op
    return el


_patterns = st.lists(st.lists(st.tuples(st.integers(0, len(_ELEMENTS) - 1),
                                        st.sampled_from(_OPS)), min_size=1, max_size=4),
                     min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(_patterns, st.lists(st.sampled_from(_WORDS), max_size=14),
       st.lists(st.booleans(), max_size=14))
def test_token_matcher_equals_spacy_matcher(blank, specs, words, starts):
    from spacy.matcher import Matcher
    from spacy.tokens import Doc

    from kgraph.extract.matching import TokenMatcher

    patterns = [(f"p{k}", [_element(i, op) for i, op in spec]) for k, spec in enumerate(specs)]
    doc = Doc(blank.vocab, words=words)
    for tok, start in zip(doc, starts):
        tok.is_sent_start = start if tok.i else True
    reference = Matcher(blank.vocab)
    for key, pattern in patterns:
        reference.add(key, [pattern], greedy="LONGEST")
    expected = [(blank.vocab.strings[k], s, e, a)
                for k, s, e, a in reference(doc, with_alignments=True)]
    assert TokenMatcher.supports(blank.vocab, [p for _, p in patterns])
    assert TokenMatcher(blank.vocab, patterns)(doc) == expected


def test_token_matcher_finds_matches_on_seed_texts(blank):
    from spacy.matcher import Matcher

    from kgraph.extract.matching import TokenMatcher

    patterns = [("cue", [{"IS_TITLE": True, "OP": "+"}, {"LOWER": {"IN": ["dataset"]}}]),
                ("on", [{"LOWER": "on"}, {"LOWER": "the", "OP": "?"},
                        {"IS_TITLE": True, "OP": "+"}])]
    assert not TokenMatcher.supports(blank.vocab, [p for _, p in patterns])  # an IN predicate
    patterns[0] = ("cue", [{"IS_TITLE": True, "OP": "+"}, {"LOWER": "dataset"}])
    matcher = TokenMatcher(blank.vocab, patterns)
    reference = Matcher(blank.vocab)
    for key, pattern in patterns:
        reference.add(key, [pattern], greedy="LONGEST")
    found = 0
    for path in SEEDS[:2]:
        doc = blank(path.read_text(encoding="utf-8"))
        expected = [(blank.vocab.strings[k], s, e, a)
                    for k, s, e, a in reference(doc, with_alignments=True)]
        assert matcher(doc) == expected
        found += len(expected)
    assert found > 10


# --- affix rules tried only on the words they can match ---

_AFFIX_ALPHABET = "ab5.,-–:/'s()%$km\n…°±"


@pytest.fixture(scope="module")
def affix_rules():
    import spacy
    from spacy.util import compile_infix_regex, compile_suffix_regex

    from kgraph.extract.tokenizer import InfixFinditer, kgraph_suffix_search

    defaults = spacy.blank("en").Defaults
    fast_suffix = kgraph_suffix_search(defaults.suffixes)
    full_suffix = compile_suffix_regex(fast_suffix.__self__._rules).search
    infix = InfixFinditer(defaults.infixes)
    return fast_suffix, full_suffix, infix.finditer, compile_infix_regex(defaults.infixes).finditer


def _same_affixes(rules, word: str) -> None:
    fast_suffix, full_suffix, fast_infix, full_infix = rules
    fast, full = fast_suffix(word), full_suffix(word)
    assert (fast and fast.span()) == (full and full.span()), word
    assert [m.span() for m in fast_infix(word)] == [m.span() for m in full_infix(word)], word


def test_affix_rules_split_seed_words_as_spacy_does(affix_rules):
    words = {w for path in SEEDS[:3] for w in path.read_text(encoding="utf-8").split()}
    words |= {w[k:] for w in list(words) for k in range(1, 3)}
    for word in words | {"", "\n", "a.\n", "5km", "e.g.", "ResNet-50,", "so...", "x…y"}:
        _same_affixes(affix_rules, word)
    fast_suffix = affix_rules[0]
    assert sum(fast_suffix(w) is not None for w in words) > 100  # suffixes were found


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_AFFIX_ALPHABET, max_size=12))
def test_affix_rules_on_generated_words(affix_rules, word):
    _same_affixes(affix_rules, word)


def test_tokenizer_with_fast_affix_rules_serialises():
    import pickle

    import spacy

    from kgraph.extract.pipeline import TOKENIZER

    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    data = nlp.tokenizer.to_bytes()
    other = spacy.blank("en").tokenizer.from_bytes(data)  # plain regexes, same rules
    text = "We use ImageNet-21K, CIFAR-10/100 (5km) and e.g. state-of-the-art 3.2x."
    assert [t.text for t in other(text)] == [t.text for t in nlp.tokenizer(text)]
    assert [t.text for t in pickle.loads(pickle.dumps(nlp.tokenizer))(text)] == \
        [t.text for t in nlp.tokenizer(text)]
