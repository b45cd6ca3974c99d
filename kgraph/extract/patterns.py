"""Context patterns: names that no gazetteer knows, typed by the words around them.

Two parts:

1. :func:`mark_names` sets the token attribute ``token._.kg_name`` on tokens shaped
   like a name (``TecoGAN``, ``PRES``, ``ResNet-101``, ``ViT-L/16``, ``Ping-Pong``):
   an inner capital, letters mixed with digits, an acronym, or a capitalised word
   inside a sentence, unless listed in ``data/words/not_names.txt`` (a list item's
   first word, "(i) Current benchmarks", counts as a sentence's first when the name
   does not go on past it). Connectors
   (``-``, ``/``, ``.``, ``+``) glued to name tokens on both sides, and a version
   number right after a name (``Llama 2``), join the name.
2. :class:`ContextMatcher` runs spaCy ``Matcher`` rules read from
   ``data/patterns/context.jsonl`` (one JSON object per line: ``id``, ``label``,
   ``pattern``, optional ``expand`` = ``left``/``right`` for coordinated lists
   (``right_named``: only coined one-word names, "TokenAdapt and ColorAdapt"),
   ``proposed``, ``after``: words one of which must stand right before the match,
   ``not_after`` and ``not_before``: words none of which may stand right before or
   right after it). Pattern elements marked ``"entity": true`` are the entity; the rest
   is context. In ``IN`` lists and in ``after``, ``not_after`` and ``not_before``,
   ``"@name"`` stands for the word list ``data/words/name.txt``.

Both parts work on token attribute arrays (``Doc.to_array``) rather than token by
token: the word-level tests (name shape, word lists) are lexeme flags
(:mod:`kgraph.extract.lexflags`), computed once per distinct word, and while the
``Matcher`` runs the name flags sit in a token attribute, so that it checks every
pattern element in C.

Reference: spaCy rule-based matching, https://spacy.io/usage/rule-based-matching
"""

from __future__ import annotations

import bisect
import copy
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Sequence

import numpy
from spacy.attrs import ENT_KB_ID, IDX, LIKE_URL, LOWER, SENT_START
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from kgraph.canonical import strip_plural
from kgraph.extract.gazetteer import CANDIDATES, add_spans, builtin_gazetteer
from kgraph.extract.lexflags import LexemeFlag, add_flags, compile_patterns
from kgraph.extract.matching import TokenMatcher
from kgraph.extract.tokenizer import doc_text, token_texts
from kgraph.model import EntityType

__all__ = ["mark_names", "is_name_shaped", "word_list", "in_word_list", "described_type",
           "DESCRIBED_TYPES", "ContextRule", "load_rules", "ContextMatcher", "PROPOSED", "NAMES",
           "title_end", "title_separator", "titled_compound", "ends_in_family", "is_attributive",
           "appositive_type", "OWN_VOICE"]

#: ``doc.user_data`` key of the abbreviation definitions, ``(short, long)`` span pairs
#: (set by the pipeline's abbreviation component, before the context patterns run).
ABBREVIATIONS = "kgraph_abbreviations"
#: ``doc.spans`` group of spans that a rule marks as the paper's own contribution.
PROPOSED = "kgraph_proposed"

#: ``doc.user_data`` key of the name flags (one bool per token) behind ``token._.kg_name``.
NAMES = "kgraph_names"


def _get_kg_name(token: Token) -> bool:
    names = token.doc.user_data.get(NAMES)
    return False if names is None else names[token.i]


def _set_kg_name(token: Token, value: bool) -> None:
    doc = token.doc
    names = doc.user_data.get(NAMES)
    if names is None:
        names = doc.user_data[NAMES] = [False] * len(doc)
    names[token.i] = bool(value)


Token.set_extension("kg_name", getter=_get_kg_name, setter=_set_kg_name, force=True)

_DATA = resources.files("kgraph") / "data"
_INNER_UPPER = re.compile(r".[A-Z]")
_HAS_ALPHA = re.compile(r"[^\W\d_]")
_HAS_DIGIT = re.compile(r"\d")
_VERSION = re.compile(r"^(?:v?\d+(?:\.\d+)*[A-Za-z]?|[A-Z]{1,2}\d*)$")
_CONNECTORS = {"-", "/", ".", "+", "++"}
#: A count with a magnitude suffix ("241k", "1.5B", "10K"): a quantity of images or
#: parameters, never a name by itself ("Llama-2-7B", "LLaMA 7B" join it as a version).
_QUANTITY = re.compile(r"^\d+(?:[.,]\d+)?[kKMBT]$")


@lru_cache(maxsize=None)
def word_list(name: str) -> frozenset[str]:
    """Read ``data/words/NAME.txt``: one word a line, ``#`` comments.

    Parameters
    ----------
    name : str
        File stem.

    Returns
    -------
    frozenset of str

    Raises
    ------
    FileNotFoundError
        When no such list ships with kgraph.
    """
    text = (_DATA / "words" / f"{name}.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines()
                     if w.strip() and not w.lstrip().startswith("#"))


@lru_cache(maxsize=1)
def _head_rows() -> list[tuple[str, EntityType, str]]:
    """``(word, type, flag)`` rows of ``data/words/heads.tsv`` (flag ``""`` when absent)."""
    text = (_DATA / "words" / "heads.tsv").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            word, etype, *flag = line.split("\t")
            rows.append((word.strip().lower(), EntityType(etype.strip()),
                         flag[0].strip() if flag else ""))
    return rows


@lru_cache(maxsize=1)
def head_types() -> dict[str, EntityType]:
    """Head word → entity type, from ``data/words/heads.tsv``.

    Returns
    -------
    dict of str to EntityType
    """
    return {word: etype for word, etype, _ in _head_rows()}


@lru_cache(maxsize=1)
def setting_heads() -> frozenset[str]:
    """Head words flagged ``setting`` in ``data/words/heads.tsv`` ("learning"): they type
    a definition the paper only mentions ("reinforcement learning (RL)"), not one it
    introduces ("Deep Boosting Learning (DBL)", a method).

    Returns
    -------
    frozenset of str
    """
    return frozenset(word for word, _, flag in _head_rows() if flag == "setting")


#: Head words that name a whole only with an "of" complement after them: "a suite of
#: models", "a set of rules" name no dataset; "a suite for ..." and "a set" alone do.
_OF_HEADS = frozenset({"suite", "set", "collection", "bank"})
_DETERMINERS = frozenset({"a", "an", "the"})


#: The types a describing noun phrase gives a name; a method head says nothing new.
DESCRIBED_TYPES = (EntityType.DATASET, EntityType.METRIC)

#: The metric heads that describe a name as a metric. The others name what a method
#: or dataset is about ("FDS: Frequency-Aware Denoising Score for ...", "FindTheFlaws:
#: Annotated Errors for ...", "SCJD: Sparse Correlation and Joint Distillation").
_METRIC_NOUNS = frozenset({"metric", "measure"})


def _creation_gerund(word: str) -> bool:
    """``word`` (lower case) is the -ing form of a verb of making of
    ``data/words/creation_verbs.txt``: "building", "curating", "designing"."""
    if not word.endswith("ing"):
        return False
    stem = word[:-3]
    verbs = word_list("creation_verbs")
    return stem in verbs or stem + "e" in verbs


def described_type(doc: Doc, start: int, end: int, max_words: int = 12, *,
                   methods: bool = False) -> EntityType | None:
    """The type of what the noun phrase at token ``start`` describes: a dataset when
    its head word, the last word before the phrase ends, is a dataset head of
    ``data/words/heads.tsv``, a metric when it is "metric" or "measure", and, when
    ``methods`` is set, a method when it is a method head there ("OTBDetector, **a
    contrastive learning framework** that ...").

    The phrase is what follows a name as its description: "Companies, **a new
    dataset** that ...", "FreD, **a metric** based on ..." (after the comma) or the
    title's "ICE-Bench: **A Unified and Comprehensive Benchmark** for ..." (after the
    colon). It ends at punctuation other than a hyphen or slash, at a word of
    ``data/words/noun_phrase_ends.txt`` ("for", "of", "with", "that", ...; not one
    that opens a hyphenated compound: "a new in-the-wild dataset"), at a participle
    after a head word ("a dataset collected from ...", the title's "A Benchmark
    Evaluating ...", also after an adverb: "a benchmark specifically designed to")
    or at ``end``. A conjunction or a comma after a word that is no
    head word reads on: "A High-Quality and Large-Scale Chinese Preference Dataset",
    "A Large-Scale, Challenging, and Verifiable Mathematical Dataset"; "A Data
    Restoration Network and Benchmark" is a network. A phrase that opens with a
    gerund ("RETROcode: Leveraging Code Databases", "Protecting Visual Datasets") or
    holds a second determiner ("Leveraging a Code Database") is a verb phrase, no
    description, except a Title Case gerund of a verb of making
    (``data/words/creation_verbs.txt``), as titles write it: "FreshStack: Building
    Realistic Benchmarks for ..." describes what FreshStack is. The head of a noun phrase is its last
    noun in English (Quirk et al., 1985, *A Comprehensive Grammar of the English
    Language*, §17.2), which this reads without a parser.

    Parameters
    ----------
    doc : Doc
    start : int
        First token of the phrase (a determiner there is skipped).
    end : int
        Token where the phrase must stop at the latest (the title's or sentence's end).
    max_words : int
        Longest phrase read, in tokens other than punctuation.
    methods : bool
        Also read method heads (keyword only; off for the title, whose "X: A ...
        Framework" the title rule types).

    Returns
    -------
    EntityType or None
        One of :data:`DESCRIBED_TYPES` (or ``EntityType.METHOD`` when ``methods`` is
        set), or None when the phrase describes none of them.

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("FreD, a novel metric based on the notion of distance")
    >>> described_type(doc, 2, len(doc))
    <EntityType.METRIC: 'metric'>
    >>> described_type(spacy.blank("en")("Semi-SD, a novel metric depth estimation framework"),
    ...                4, 11) is None
    True
    >>> doc = spacy.blank("en")("PoNQ, a Quadric Error Metrics (QEM)-based representation")
    >>> described_type(doc, 2, len(doc)) is None
    True
    """
    heads = head_types()
    ends = word_list("noun_phrase_ends")
    stop, words = start, 0
    while stop < min(end, len(doc)) and words <= max_words:
        words += not doc[stop].is_punct  # hyphens and commas are no words
        stop += 1
    if start >= stop:
        return None
    i = start + 1 if doc[start].lower_ in _DETERMINERS else start
    if i == start and doc[i].lower_.endswith("ing") and not (
            doc[i].is_title and _creation_gerund(doc[i].lower_)):
        return None  # "RETROcode: Leveraging Code Databases ...": a verb phrase
    first, crossed = i, False
    while True:
        tok = doc[i] if i < stop else None
        if tok is not None and i > first + 1 and doc[i - 1].text == "-" \
                and not doc[i - 1].whitespace_ and not doc[i - 2].whitespace_:
            i += 1  # inside a hyphenated compound: "a state-of-the-art topic model"
            continue
        if tok is not None and tok.lower_ in _DETERMINERS:
            return None  # a verb with its object: "... Enabled by a Benchmark Dataset"
        if tok is not None and tok.text == "(":
            # "a Quadric Error Metrics (QEM)-based representation": the parenthesis
            # belongs to a compound modifier, the head is further on
            close = next((k for k in range(i + 1, stop) if ")" in doc[k].text), None)
            if close is not None:
                rest = doc[close].text.split(")", 1)[1]
                glued = not rest and close + 1 < stop and not doc[close].whitespace_ \
                    and doc[close + 1].text == "-"
                if rest.startswith("-") or glued:
                    i = close + 1
                    continue
        if tok is not None and tok.lower_ in ends and i + 2 < stop and not tok.whitespace_ \
                and doc[i + 1].text == "-" and not doc[i + 1].whitespace_:
            i += 1  # a compound that opens with a function word: "a new in-the-wild dataset"
            continue
        boundary = tok is None or tok.lower_ in ends or (
            tok.is_punct and tok.text not in ("-", "/")) or (
            # a participle after a head word opens a post-modifier: "a framework
            # addressing these challenges", "a dataset collected from ...", and in a
            # title "A Benchmark Evaluating ..." (not "Multi-Dataset Training": the
            # second part of a compound is no head)
            tok.lower_.endswith(("ing", "ed")) and i > first and (
                tok.is_lower and strip_plural(doc[i - 1].lower_) in heads
                or tok.is_title and heads.get(strip_plural(doc[i - 1].lower_))
                in DESCRIBED_TYPES and not _glued_hyphen_before(doc, i - 1))) or (
            # an adverb before that participle: "a benchmark specifically designed to"
            tok.is_lower and tok.lower_.endswith("ly") and i > first and i + 1 < stop
            and doc[i + 1].is_lower and doc[i + 1].lower_.endswith(("ing", "ed"))
            and strip_plural(doc[i - 1].lower_) in heads)
        if not boundary:
            i += 1
            continue
        if i == first:
            return None
        head = strip_plural(doc[i - 1].lower_)
        etype = heads.get(head) or heads.get(doc[i - 1].lower_)
        if tok is not None and tok.text == "," and i + 1 < stop and not doc[i + 1].is_punct \
                and (etype is None and head == doc[i - 1].lower_ or etype not in DESCRIBED_TYPES
                     and i - 2 > first and _glued_hyphen_before(doc, i - 1)):
            # coordinated modifiers: "A Large-Scale, Challenging, and Verifiable
            # Mathematical Dataset", "a simple, effective metric", "A Multi-Resolution,
            # Multi-Scene Dataset" (a compound ending in a head word is a modifier);
            # a plural is a noun in a list: "Concepts, Progress and Challenges"
            i += 1
            crossed = True
            continue
        if crossed and etype in DESCRIBED_TYPES and doc[i - 2].text in (",", "and", "or"):
            return None  # a list of nouns: "Current Status, Challenges and ..."
        if etype is EntityType.DATASET:
            return None if head in _OF_HEADS and tok is not None and tok.lower_ == "of" \
                else etype
        if etype is EntityType.METRIC and head in _METRIC_NOUNS:
            return etype
        if methods and etype is EntityType.METHOD:
            return etype
        if tok is not None and tok.lower_ in ("and", "or") and i + 1 < stop \
                and etype is not EntityType.METHOD:
            i += 1  # the head is further on: "A High-Quality and Large-Scale ... Dataset"
            continue
        return None


def _glued_hyphen_before(doc: Doc, i: int) -> bool:
    """Token ``i`` is the second part of a hyphenated compound ("Multi-**Dataset**")."""
    return i > 1 and doc[i - 1].text == "-" and not doc[i - 1].whitespace_ \
        and not doc[i - 2].whitespace_


def in_word_list(name: str, *texts: str) -> bool:
    """Whether one of ``texts``, lower-cased, or its singular is in :func:`word_list`
    ``name`` ("ConvNets" is in ``method_families`` through "convnet").

    Parameters
    ----------
    name : str
        File stem of the list.
    *texts : str
        Surface strings; empty ones are skipped.

    Returns
    -------
    bool
    """
    words = word_list(name)
    for text in texts:
        if text:
            low = text.lower()
            if low in words or strip_plural(low) in words:
                return True
    return False


def is_name_shaped(text: str, *, sentence_start: bool = False, in_title: bool = False) -> bool:
    """Whether a token's text is shaped like the name of a model, dataset or metric.

    Parameters
    ----------
    text : str
        The token text.
    sentence_start : bool
        The token begins a sentence (a capital there says nothing).
    in_title : bool
        The token is in the title, which is often in Title Case.

    Returns
    -------
    bool

    Examples
    --------
    >>> [is_name_shaped(w) for w in ["TecoGAN", "PRES", "ResNet-101", "Kinetics", "model"]]
    [True, True, True, True, False]
    >>> is_name_shaped("Kinetics", sentence_start=True), is_name_shaped("Video", in_title=True)
    (False, False)
    """
    code = _shape(text)
    return code == _ALWAYS or (code == _CAPITAL and not (sentence_start or in_title))


_NEVER, _ALWAYS, _CAPITAL = 0, 1, 2


@lru_cache(maxsize=4096)  # is_name_shaped asks again for the same words
def _shape(text: str) -> int:
    """What :func:`is_name_shaped` says of ``text``: never, always, or only when it is
    neither at a sentence start nor in the title (a capitalised word)."""
    if len(text) < 2 or not _HAS_ALPHA.search(text):
        return _NEVER
    if text in word_list("not_names") or _QUANTITY.match(text) or "%" in text:
        return _NEVER  # "45.13%@full": a result glued to its setting
    if _INNER_UPPER.search(text) or (_HAS_DIGIT.search(text) and text[0].isalnum()):
        return _ALWAYS
    if text[0].isupper():
        return _CAPITAL
    return _NEVER


def _word_flags(vocab: Vocab) -> tuple[LexemeFlag, ...]:
    """Word-level parts of :func:`mark_names`, as lexeme flags (see
    :mod:`kgraph.extract.lexflags`): name-shaped always, name-shaped when capitalised
    (neither holds for a URL, by ``vocab``'s ``LIKE_URL``), connector, version."""
    like_url = vocab.lex_attr_getters.get(LIKE_URL) or (lambda s: False)

    @lru_cache(maxsize=256)  # the two shape flags of a new word are asked in turn
    def shape(s: str) -> int:
        code = _shape(s)  # most words are never names: like_url is then not needed
        return _NEVER if code != _NEVER and like_url(s) else code

    return (
        LexemeFlag(("kgraph.name", "always", like_url), lambda s: shape(s) == _ALWAYS),
        LexemeFlag(("kgraph.name", "capital", like_url), lambda s: shape(s) == _CAPITAL),
        LexemeFlag(("kgraph.name", "connector"), lambda s: s in _CONNECTORS),
        LexemeFlag(("kgraph.name", "version"), lambda s: _VERSION.match(s) is not None),
    )


# id(vocab) -> (flags, bits) of _word_flags
_WORD_BITS: dict[int, tuple[tuple[LexemeFlag, ...], list[int | None]]] = {}


def _word_bits(vocab: Vocab) -> tuple[tuple[LexemeFlag, ...], list[int | None]]:
    """The :func:`_word_flags` of ``vocab`` and their bits, registered on first use."""
    found = _WORD_BITS.get(id(vocab))
    getters = vocab.lex_attr_getters
    if found is None or any(b is None or getters.get(b) is not f.func for f, b in zip(*found)):
        flags = _word_flags(vocab)
        found = _WORD_BITS[id(vocab)] = (flags, add_flags(vocab, flags))
    return found


def _word_columns(doc: Doc, attrs: list[int]) -> numpy.ndarray:
    """``doc.to_array`` of the :func:`_word_flags` (4 columns of 0 or 1), then ``attrs``."""
    flags, bits = _word_bits(doc.vocab)
    if all(b is not None for b in bits):
        return doc.to_array(bits + attrs)
    # no free flag bits: compute the flags from the words
    words = numpy.array([[f.func(t.text) for f in flags] for t in doc], dtype="uint64")
    return numpy.hstack([words, doc.to_array(attrs).reshape(len(doc), -1)])


def title_end(doc: Doc) -> int:
    """Character offset where the title ends (the first blank line), or ``len(doc.text)``.

    ``doc.text`` is rebuilt from the tokens on every access, so the offset is computed
    once per doc and kept in ``doc.user_data``.
    """
    cached = doc.user_data.get("kgraph_title_end")
    if cached is None:
        text = doc_text(doc)
        pos = text.find("\n\n")
        cached = doc.user_data["kgraph_title_end"] = len(text) if pos < 0 else pos
    return cached


#: Dashes that, standing between spaces, part a title's name from its subtitle as a
#: colon does ("Ego-1K -- A Large-Scale Multiview Video Dataset ...").
_TITLE_DASHES = frozenset({"--", "-", "\u2013", "\u2014", "---"})


def title_separator(doc: Doc, end: int) -> Token | None:
    """The token that parts the title's name from its subtitle, or ``None``.

    Parameters
    ----------
    doc : Doc
        The paper's document (title first).
    end : int
        Character offset where the title ends (:func:`title_end`).

    Returns
    -------
    Token or None
        The title's first colon; without one, its first dash standing between spaces
        ("SeeTree -- A modular, open-source system ...", "CM1 \u2014 A Dataset ..."). A
        dash inside a word ("Large-Scale") or a range ("A\u2013B") separates nothing.
    """
    colon = _first_token(doc, ":", end)
    if colon is not None:
        return colon
    for tok in doc:
        if tok.idx >= end:
            return None
        if tok.text in _TITLE_DASHES and tok.i > 0 and tok.whitespace_ \
                and doc[tok.i - 1].whitespace_:
            return tok
    return None


def _first_token(doc: Doc, text: str, end: int):
    """The first token whose text is ``text`` and that starts before offset ``end``."""
    source = doc_text(doc)
    pos = source.find(text, 0, end)
    if pos < 0:
        return None
    idx = doc.to_array(IDX)
    while 0 <= pos < end:
        i = int(numpy.searchsorted(idx, pos, side="right")) - 1
        if idx[i] == pos and len(doc[i]) == len(text):
            return doc[i]
        pos = source.find(text, pos + 1, end)
    return None


def mark_names(doc: Doc) -> Doc:
    """Set ``token._.kg_name`` on name-shaped tokens of ``doc`` (see the module).

    Sentence starts are read from ``token.is_sent_start``; the title is the text
    before the first blank line. The flags are kept in ``doc.user_data[NAMES]``, one
    bool per token, which ``token._.kg_name`` reads.

    Parameters
    ----------
    doc : Doc

    Returns
    -------
    Doc
        The same doc, annotated in place.
    """
    doc.user_data[NAMES] = _name_flags(doc)
    return doc


def _name_flags(doc: Doc) -> list[bool]:
    """The flags of :func:`mark_names`, computed on token attribute arrays."""
    n = len(doc)
    if n == 0:
        return []
    # the abstract's tokens: those from the first one starting after the title on
    body = numpy.arange(n) >= bisect.bisect_left(token_texts(doc)[1], title_end(doc))
    cols = _word_columns(doc, [SENT_START])
    always, capital, connector, version = (cols[:, k].astype(bool) for k in range(4))
    sent_start = cols[:, 4] == 1
    starts = sent_start.copy()
    starts[0] = True
    flags = (always | (capital & ~starts & body)).tolist()
    # Connectors glued to names on both sides, and version numbers after a name.
    for i in (numpy.flatnonzero(connector[1:n - 1]) + 1).tolist():
        if flags[i - 1] and _of_the(doc, i):
            flags[i - 1] = False  # "the State-of-the-art methods": an adjective
            continue
        if not flags[i - 1] and always[i + 1] and _one_letter_prefix(doc, i - 1):
            flags[i - 1] = True  # one letter before a name: M-SFANet, k-FPF (not U-Net)
        if flags[i - 1] and not doc[i - 1].whitespace_ and not doc[i].whitespace_:
            after = doc[i + 1]
            if flags[i + 1] or after.is_alpha or after.like_num or version[i + 1]:
                flags[i] = True
                if not flags[i + 1] and (not after.is_stop or _glued_link(doc, i + 1)):
                    flags[i + 1] = True  # a stop word only as the link of Chain-of-Thought
    for i in numpy.flatnonzero(version & body & ~sent_start).tolist():
        if i > 0 and not flags[i] and flags[i - 1]:
            flags[i] = True
    for i in _after_list_markers(doc):
        if flags[i] and capital[i] and not always[i] and not _name_goes_on(doc, flags, i):
            flags[i] = False  # "(i) Current benchmarks": a list item opens like a sentence
    return flags


#: The label of an enumerated item: "1", "ii", "b" before ")".
_LIST_LABEL = re.compile(r"^(?:\d{1,2}|[ivx]{1,4}|[a-h])$")


def _after_list_markers(doc: Doc) -> list[int]:
    """Token indices right after a list marker ("(i)", "2)", "(b)") that opens an
    item: a capitalised word there is capitalised as a sentence start is."""
    texts = token_texts(doc)[0]
    out = []
    for k, t in enumerate(texts):
        if t == ")" and 1 <= k < len(texts) - 1 and _LIST_LABEL.match(texts[k - 1]) \
                and (k < 2 or texts[k - 2] == "(" or doc[k - 2].whitespace_
                     or texts[k - 2] in ".:;"):
            out.append(k + 1)
    return out


def _name_goes_on(doc: Doc, flags: list[bool], i: int) -> bool:
    """The name flagged at token ``i`` goes on: the next word (after a glued hyphen)
    is flagged too ("(3) Weather Fusion Encoder", "(1) Cross-Attention module"), so the
    capital is the name's, not only the item's."""
    j = i + 1
    if j < len(doc) and doc[j].text == "-" and not doc[i].whitespace_:
        j += 1
    return j < len(doc) and flags[j]


def _of_the(doc: Doc, i: int) -> bool:
    """Whether the hyphen at ``i`` opens "-of-the-" (State-of-the-art,
    Out-of-the-box): a compound adjective, whatever its capitals."""
    return i + 3 < len(doc) and doc[i + 1].lower_ == "of" and doc[i + 2].text == "-" \
        and doc[i + 3].lower_ == "the" and not doc[i].whitespace_


#: Function words that link the parts of one hyphenated name (Chain-of-Thought,
#: Stitch-a-Recipe); "to" is left out: X-to-Y names a mapping of two things
#: (Text-to-Image, SemanticKITTI-to-SemanticSTF), not one name.
_NAME_LINKS = frozenset({"of", "a"})


def _glued_link(doc: Doc, i: int) -> bool:
    """Whether token ``i`` links a hyphenated name: a :data:`_NAME_LINKS` word glued
    by hyphens to a capitalised word after it ("of" in "Chain-of-Thought"; the caller
    has checked the name before it)."""
    if i + 2 >= len(doc) or doc[i].lower_ not in _NAME_LINKS or doc[i].whitespace_ \
            or doc[i + 1].text != "-" or doc[i + 1].whitespace_:
        return False
    after = doc[i + 2].text
    return after[:1].isupper() and after.isalpha()


def _one_letter_prefix(doc: Doc, i: int) -> bool:
    """Whether token ``i`` is one letter glued to the next token and not to the one
    before ("M" of "M-SFANet", "k" of "k-FPF"; not "D" of "3-D-CNN")."""
    tok = doc[i]
    if len(tok) != 1 or not tok.text.isalpha() or tok.whitespace_:
        return False
    return i == 0 or bool(doc[i - 1].whitespace_) or doc[i - 1].is_punct


@dataclass(frozen=True)
class ContextRule:
    """One context pattern.

    Attributes
    ----------
    id : str
        Rule name (reported by ``--explain``).
    label : str
        Entity type value given to what it finds.
    pattern : list of dict
        spaCy ``Matcher`` token pattern (``entity`` keys removed).
    entity_elements : frozenset of int
        Indices of the pattern elements that make up the entity.
    expand : str or None
        ``"left"`` or ``"right"``: also take names coordinated with the match;
        ``"right_named"``: only coined one-word names coordinated after it.
    proposed : bool
        What it finds is introduced by the paper.
    after : frozenset of str
        When not empty, a match counts only right after one of these lower-case words,
        commas and an opening bracket between ("baselines, such as", "LLMs (e.g.,"). A
        test in Python rather than a pattern element: each word list in a pattern takes
        one of the lexeme flag bits (:mod:`kgraph.extract.lexflags`), of which the
        shipped rules use all.
    not_after : frozenset of str
        A match does not count right after one of these lower-case words: "we
        benchmark GPT-4o" uses "benchmark" as a verb, "the benchmark MedBullets" as the
        noun that names what follows.
    not_before : frozenset of str
        A match does not count when one of these lower-case words stands right after
        it: in "the benchmark TSR datasets" the name is a modifier of "datasets".
    """

    id: str
    label: str
    pattern: list[dict[str, Any]]
    entity_elements: frozenset[int]
    expand: str | None = None
    proposed: bool = False
    after: frozenset[str] = frozenset()
    not_after: frozenset[str] = frozenset()
    not_before: frozenset[str] = frozenset()


def _word_set(value: Any) -> frozenset[str]:
    """A rule's word field: a list of words and ``"@name"`` word lists, or one
    ``"@name"``; lower case."""
    items = [value] if isinstance(value, str) else list(value)
    words: set[str] = set()
    for item in items:
        item = str(item)
        words |= word_list(item[1:]) if item.startswith("@") else {item.lower()}
    return frozenset(words)


def _resolve_lists(value: Any) -> Any:
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in ("IN", "NOT_IN") and isinstance(v, str) and v.startswith("@"):
                out[k] = sorted(word_list(v[1:]))
            else:
                out[k] = _resolve_lists(v)
        return out
    if isinstance(value, list):
        return [_resolve_lists(v) for v in value]
    return value


def load_rules(text: str | None = None, source: str = "patterns/context.jsonl") -> list[ContextRule]:
    """Parse context rules from JSON Lines (default: the shipped ``context.jsonl``).

    Parameters
    ----------
    text : str or None
        JSON Lines text; ``None`` reads the shipped file.
    source : str
        File name for error messages.

    Returns
    -------
    list of ContextRule

    Raises
    ------
    ValueError
        A line that is not JSON or lacks ``id``/``label``/``pattern``, with its line.
    """
    if text is None:
        text = (_DATA / "patterns" / "context.jsonl").read_text(encoding="utf-8")
    rules = []
    for ln, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            obj = json.loads(line)
            pattern = copy.deepcopy(obj["pattern"])
            entity = frozenset(i for i, el in enumerate(pattern) if el.pop("entity", False))
            rules.append(ContextRule(obj["id"], obj["label"], _resolve_lists(pattern),
                                     entity, obj.get("expand"), bool(obj.get("proposed")),
                                     _word_set(obj.get("after", [])),
                                     _word_set(obj.get("not_after", [])),
                                     _word_set(obj.get("not_before", []))))
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as e:
            raise ValueError(f"{source}:{ln}: bad context rule: {e}") from None
    return rules


_COORD = {",", "and", "or", "&", "as", "well"}

# While the matcher runs, this token attribute holds whether a token is a name
# (``_NAME``) or not (``_NOT_NAME``), so that ``{"_": {"kg_name": true}}`` becomes an
# attribute test done in C instead of an extension read for every token. Nothing
# else in kgraph's pipeline sets entity annotations; the values are restored after.
_NAME_ATTR = ENT_KB_ID
_NAME = "kgraph:name"
_NOT_NAME = "kgraph:not_name"
# bytes 0 and 1 as the digits "0" and "1": a list of bools, reversed, read in base 2
# is the int whose bit i is the i-th bool
_BINARY = bytes.maketrans(b"\x00\x01", b"01")


class ContextMatcher:
    """spaCy component: mark names, run the context rules, add candidate spans.

    Candidates go to ``doc.spans["kgraph"]`` with ``label_`` the rule's type and
    ``id_`` ``"pattern:<rule id>"``; spans of ``proposed`` rules also go to
    ``doc.spans["kgraph_proposed"]``, unless the name is attributive ("our PC-based
    algorithm"), follows a prior-work cue ("the popular ResNet") or a verb of use ("we
    leverage MediaPipe, a lightweight framework"). A name that stops in a plain word
    inside a hyphenated word ("Cross|-layer") is no candidate.

    The ``Matcher``'s time grows with the number of rules times the number of
    tokens, and many rules need a word that most abstracts lack ("in terms of",
    "called"). Each rule's required words (the word lists of its elements that
    must match at least once) are checked against the doc's words first, and
    rules that cannot match are left out unless they could match in many docs
    (:meth:`_possible`); one ``Matcher`` per set of rules is kept for reuse. The
    matches are those of one ``Matcher`` with every rule: the rules keep their
    order.

    Parameters
    ----------
    nlp : Language
    rules : list of ContextRule

    Attributes
    ----------
    matcher : spacy.matcher.Matcher
        All the rules, compiled (see :func:`kgraph.extract.lexflags.compile_patterns`).
    """

    #: Matchers kept for sets of rules, at most.
    max_matchers = 1024

    #: Share of docs above which a rule is always run (see :meth:`_possible`).
    common = 0.5

    def __init__(self, nlp: Language, rules: list[ContextRule]) -> None:
        self.rules = {r.id: r for r in rules}
        _word_bits(nlp.vocab)
        validator = Matcher(nlp.vocab, validate=True)
        for rule in rules:
            validator.add(rule.id, [rule.pattern])
        self.vocab = nlp.vocab
        strings = nlp.vocab.strings
        self._name_values = (numpy.uint64(strings.add(_NOT_NAME)),
                             numpy.uint64(strings.add(_NAME)))
        self._uses_names = False
        self._order = [r.id for r in rules]
        compiled = compile_patterns([r.pattern for r in rules], nlp.vocab, self._name_test)
        self._compiled = dict(zip(self._order, compiled))
        self._required = [(r.id, _required_words(r.pattern)) for r in rules]
        self._counts = [0] * len(rules)  # docs in which each rule could match
        self._docs = 0
        self.matcher = self._matcher_for(tuple(self._order))
        self._matchers = {tuple(self._order): self.matcher}
        # the same matches, computed only where a rule can match (kgraph.extract.matching)
        self._fast = TokenMatcher(nlp.vocab, list(self._compiled.items())) \
            if TokenMatcher.supports(nlp.vocab, compiled) else None

    def _matcher_for(self, rule_ids: tuple[str, ...]) -> Matcher:
        matcher = Matcher(self.vocab, validate=False)
        for rule_id in rule_ids:
            matcher.add(rule_id, [self._compiled[rule_id]], greedy="LONGEST")
        return matcher

    def _possible(self, doc: Doc, names: list[bool]) -> tuple[str, ...]:
        """The rules to run on ``doc``, in rule order: those whose required words all
        occur in it, and the rules that could match in at least :attr:`common` of the
        docs seen so far (skipping those saves little, and building a ``Matcher`` for
        every combination of them would cost more)."""
        lower = set(doc.to_array(LOWER).tolist())
        has_name = any(names)
        self._docs += 1
        threshold = self.common * self._docs
        counts = self._counts
        out = []
        for k, (rule_id, required) in enumerate(self._required):
            if all(has_name if words is None else not words.isdisjoint(lower)
                   for words in required):
                counts[k] += 1
                out.append(rule_id)
            elif counts[k] >= threshold:
                out.append(rule_id)
        return tuple(out)

    def _name_test(self, element: dict[str, Any]) -> dict[str, Any]:
        """Replace ``{"_": {"kg_name": bool}}`` by a test of :data:`_NAME_ATTR`."""
        ext = element.get("_")
        if not isinstance(ext, dict) or not isinstance(ext.get("kg_name"), bool):
            return element
        element, ext = dict(element), dict(ext)
        wanted = ext.pop("kg_name")
        if ext:
            element["_"] = ext
        else:
            del element["_"]
        element[_NAME_ATTR] = _NAME if wanted else _NOT_NAME
        self._uses_names = True
        return element

    def _matches(self, doc: Doc, names: list[bool]) -> list[tuple[str, int, int, list[int]]]:
        """``(rule id, start, end, alignments)`` of the rules' matches, as one
        ``Matcher`` with every rule finds them (``with_alignments=True``), with the
        name flags in :data:`_NAME_ATTR`.

        :class:`kgraph.extract.matching.TokenMatcher` computes them when it supports
        the rules; else the rules that can match run in a spaCy ``Matcher``, with the
        name flags set in the doc for the time of the call."""
        if not len(doc):
            return []
        if self._fast is not None:
            if not self._uses_names:
                return self._fast(doc)
            not_name, name = self._name_values
            bits = int(bytes(names[::-1]).translate(_BINARY), 2)  # bit i: token i is a name
            return self._fast(doc, passed={(_NAME_ATTR, int(name)): bits,
                                           (_NAME_ATTR, int(not_name)): ~bits})
        strings = doc.vocab.strings
        return [(strings[key], start, end, align)
                for key, start, end, align in self._spacy_matches(doc, names)]

    def _spacy_matches(self, doc: Doc, names: list[bool]) -> list:
        """The matches of the rules that can match, by a spaCy ``Matcher``."""
        possible = self._possible(doc, names)
        if not possible:
            return []
        matcher = self._matchers.get(possible)
        if matcher is None:
            if len(self._matchers) >= self.max_matchers:
                self._matchers = {tuple(self._order): self.matcher}
            matcher = self._matchers[possible] = self._matcher_for(possible)
        if not self._uses_names:
            return matcher(doc, with_alignments=True)
        saved = doc.to_array([_NAME_ATTR])
        not_name, name = self._name_values
        doc.from_array([_NAME_ATTR], numpy.where(names, name, not_name).astype("uint64"))
        try:
            return matcher(doc, with_alignments=True)
        finally:
            doc.from_array([_NAME_ATTR], saved)

    def __call__(self, doc: Doc) -> Doc:
        names = doc.user_data[NAMES] = _name_flags(doc)
        spans: list[Span] = []
        proposed: list[Span] = []
        for rule_id, start, end, align in self._matches(doc, names):
            rule = self.rules[rule_id]
            if rule.after and not _follows(doc, start, rule.after) \
                    or rule.not_after and start > 0 and doc[start - 1].lower_ in rule.not_after \
                    or rule.not_before and end < len(doc) and doc[end].lower_ in rule.not_before:
                continue
            idx = [start + k for k, el in enumerate(align) if el in rule.entity_elements]
            while idx and (doc[idx[0]].is_punct or doc[idx[0]].is_space):
                idx.pop(0)
            while idx and (doc[idx[-1]].is_punct or doc[idx[-1]].is_space):
                idx.pop()
            if not idx:
                continue
            found = [(idx[0], idx[-1] + 1)]
            if rule.expand == "right_named":
                found += _coordinated_names(doc, idx[0], idx[-1] + 1)
            elif rule.expand:
                found += _coordinated(doc, idx[0], idx[-1] + 1, rule.expand)
            for s, e in found:
                if _cut_compound(doc, e):
                    continue  # "a Cross-layer ...": "layer" is no cue of a name "Cross"
                if rule.proposed and e < len(doc) and doc[e].lower_ in _SOFTWARE_NEXT:
                    continue  # "our PyTorch code": a tool the work is written in
                span = Span(doc, s, e, label=rule.label, span_id=f"pattern:{rule.id}")
                spans.append(span)
                if rule.proposed and not is_attributive(doc, s, e) \
                        and not _after_prior_cue(doc, start) and not _used(doc, s, e) \
                        and not _voiceless_infinitive(doc, start):
                    proposed.append(span)
        add_spans(doc, CANDIDATES, spans)
        add_spans(doc, PROPOSED, proposed)
        return doc


def _follows(doc: Doc, start: int, words: frozenset[str]) -> bool:
    """Whether a word of ``words`` stands before token ``start``, with only commas and
    an opening bracket between (:attr:`ContextRule.after`)."""
    i = start - 1
    while i >= 0 and doc[i].text in (",", "("):
        i -= 1
    return i >= 0 and doc[i].lower_ in words


def _cut_compound(doc: Doc, end: int) -> bool:
    """Whether a name ending at token ``end`` (exclusive) in a plain capitalised word
    stops inside a hyphenated word ("Cross|-layer", "Patch Generation|-to-Selection"),
    other than before an attributive suffix ("Mamba|-based",
    ``data/words/attributive_suffixes.txt``) or "-family"/"-series". A name-shaped
    word before the hyphen is a name of its own with its head word glued on
    ("ECM-Decoder", "CHR-Network")."""
    if end + 1 >= len(doc) or doc[end].text != "-" or doc[end - 1].whitespace_ \
            or doc[end].whitespace_ or is_name_shaped(doc[end - 1].text):
        return False
    after = doc[end + 1].lower_
    return after not in word_list("attributive_suffixes") and after not in ("family", "series")


#: Words after a name that make it the tool a work is written in ("our PyTorch
#: implementation"): a proposal rule takes no name from such a match.
_SOFTWARE_NEXT = frozenset({"implementation", "implementations", "code", "codebase",
                            "library", "package"})


#: Words that make the sentence the paper's own speech: a prior-work cue before them
#: ("Unlike existing methods, we call ...") says nothing of what follows.
OWN_VOICE = frozenset({"we", "our", "us", "this", "here", "paper", "work"})


def _voiceless_infinitive(doc: Doc, i: int) -> bool:
    """Token ``i`` (a rule's proposal verb) follows "to" in a sentence with no word of
    the paper's own voice (:data:`OWN_VOICE`): "the human workload required to design
    Q&A pairs", "the pressing need to develop VLMs", "MVPortrait is the first to
    introduce FLAME" state a need or a claim, not this paper's proposal ("we aim to
    develop X" is one, and so is "HP-Edit leverages ... to develop HP-Scorer" in a
    paper titled "HP-Edit: ...": the name before the title's colon speaks for it)."""
    if i == 0 or doc[i - 1].lower_ != "to":
        return False
    sent = doc[i].sent
    if any(t.lower_ in OWN_VOICE for t in sent):
        return False
    title = doc_text(doc)[:title_end(doc)]
    own = title[:title.find(":")].strip() if ":" in title else ""
    return not own or own not in sent.text


def _used(doc: Doc, start: int, end: int) -> bool:
    """A verb of use (``data/words/usage_verbs.txt``) stands right before the name in
    tokens ``start:end`` of the abstract, perhaps with "the" between: "we leverage
    MediaPipe, a lightweight framework" uses MediaPipe, it does not propose it. Not
    when the words after the name call it new ("LEO-MINI employs MMoE, a novel
    mixture of multi-modal experts module": the paper's model uses its own part)."""
    i = start - 1
    if i > 0 and doc[i].lower_ == "the":
        i -= 1
    if i < 0 or doc[i].lower_ not in word_list("usage_verbs") or doc[i].idx < title_end(doc):
        return False
    return not any(t.lower_ in ("novel", "new") for t in doc[end:end + 3])


def _after_prior_cue(doc: Doc, start: int, window: int = 4) -> bool:
    """A word of ``data/words/prior_work_cues.txt`` stands in the ``window`` tokens
    before token ``start`` of the same clause, with none of the paper's own voice
    between: "a recent state space model called Mamba" names earlier work, "the
    popular ResNet" too; "Unlike existing methods, we propose X" does not."""
    cues = word_list("prior_work_cues")
    for i in range(start - 1, max(-1, start - 1 - window), -1):
        low = doc[i].lower_
        if low in cues:
            return True
        if low in OWN_VOICE or low in (".", ";", ":", "\n\n") or doc[i].is_sent_start:
            return False
    return False


def is_attributive(doc: Doc, start: int, end: int) -> bool:
    """Whether the name in tokens ``start:end`` holds or ends before a hyphen and an
    attributive suffix (``data/words/attributive_suffixes.txt``): "our PC-based
    algorithm" and "our CutMix-trained ImageNet classifier" use PC and CutMix, they do
    not propose them. Not when Title Case words of a name of its own follow the suffix
    (:func:`titled_compound`: "we propose Softmax-aware Binarization").

    Parameters
    ----------
    doc : Doc
    start, end : int
        Token range of the name, ``end`` exclusive.

    Returns
    -------
    bool
    """
    suffixes = word_list("attributive_suffixes")
    cuts = [i + 1 for i in range(start + 1, min(end + 1, len(doc) - 1))
            if doc[i].text == "-" and doc[i + 1].lower_ in suffixes]
    return bool(cuts) and not titled_compound(doc, cuts[-1] + 1, end)


def ends_in_family(words: Sequence[str]) -> bool:
    """Whether the last words of ``words`` (tokens of a name) are a method family of
    ``data/words/method_families.txt``, in the singular: "Text-Guided Diffusion
    Models", "Small Language Model", "Spiking Transformer".

    Parameters
    ----------
    words : sequence of str
        Token texts, hyphens as tokens of their own.

    Returns
    -------
    bool
    """
    low = [strip_plural(w.lower()) for w in words]
    return any(in_word_list("method_families", " ".join(low[k:])) for k in range(len(low)))


def titled_compound(doc: Doc, start: int, end: int) -> bool:
    """Whether the name ending at token ``end`` (exclusive) continues, from token
    ``start`` on, right after an attributive compound ("Softmax-aware", "Query-Guided")
    with Title Case words that make it a name of its own: "Softmax-aware
    Binarization" and "Consistency-Aware Training" are new techniques, not something
    built on Softmax.

    Not when the words after the compound are a gazetteer method or end in a method
    family (``data/words/method_families.txt``), a title-case word right after the
    name counted: "a Transformer-based Large Language Model", "Transformer-based
    Text-Guided Diffusion Models" describe a member of a known family. Not when a word
    after the compound is no Title Case word ("CNN-based LIC", "VGG-based network"),
    or the name stops inside a hyphenated word ("Limb-aware Virtual Try|-On"), or an
    abbreviation's long form starts after the compound (``doc.user_data[ABBREVIATIONS]``:
    in "we propose kNN-based Latent Space Broadening (LSB)" the name is the long form).

    Parameters
    ----------
    doc : Doc
    start : int
        The token after the attributive suffix ("Binarization").
    end : int
        The end of the name, exclusive.

    Returns
    -------
    bool
    """
    words = token_texts(doc)[0]
    after = [w for w in words[start:end] if w.isalpha()]
    if not after or not all(w.istitle() for w in after):
        return False
    if any(long_.start == start for _short, long_ in doc.user_data.get(ABBREVIATIONS, [])):
        return False  # a long form: "kNN-based Latent Space Broadening (LSB)"
    if end < len(words) and words[end] == "-":
        return False
    if end < len(words) and words[end].istitle():
        end += 1  # a cue word after the name: "... Large Language Model"
    if ends_in_family(words[start:end]):
        return False
    text = doc_text(doc)[doc[start].idx:doc[end - 1].idx + len(doc[end - 1])]
    return builtin_gazetteer().lookup(text, EntityType.METHOD) is None


_COUNT = re.compile(r"^\{(\d*)(?:,(\d*))?\}$")


def _required_words(pattern: list[dict[str, Any]]) -> list[frozenset[int] | None]:
    """Word tests that some token of a doc must pass for ``pattern`` to match.

    For each element that must match at least once (no ``OP``, ``+``, or ``{n,m}``
    with n > 0): the ``LOWER`` hashes of its ``LOWER``, ``ORTH`` or ``TEXT`` value or
    ``IN`` list (a word written ``X`` in the text has the lower case ``x``), and
    ``None`` for ``kg_name`` (some token is a name).
    """
    out: list[frozenset[int] | None] = []
    for element in pattern:
        op = element.get("OP")
        count = _COUNT.match(op) if isinstance(op, str) else None
        if not (op is None or op == "+" or (count and count.group(1) and int(count.group(1)) > 0)):
            continue
        for attr, spec in element.items():
            name = attr.upper() if isinstance(attr, str) else attr
            if name == "_" and isinstance(spec, dict) and spec.get("kg_name") is True:
                out.append(None)
            elif name in ("LOWER", "ORTH", "TEXT"):
                if isinstance(spec, str):
                    words = [spec]
                elif isinstance(spec, dict) and isinstance(spec.get("IN"), list) \
                        and all(isinstance(w, str) for w in spec["IN"]):
                    words = spec["IN"]
                else:
                    continue
                out.append(frozenset(get_string_id(w.lower()) for w in words))
    return out


def _name_run(doc: Doc, i: int, step: int) -> tuple[int, int] | None:
    """The maximal run of name tokens starting at ``i`` going in ``step`` direction."""
    names = doc.user_data[NAMES]
    j = i
    while 0 <= j < len(doc) and names[j] and not (step > 0 and j > i and doc[j].is_sent_start):
        j += step
    if j == i:
        return None
    return (j + 1, i + 1) if step < 0 else (i, j)


def _coordinated_names(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """Names coordinated after ``doc[start:end]`` ("we introduce TokenAdapt and
    ColorAdapt") when all are one word shaped only like a name (:func:`_coined`): a
    capitalised phrase after "and" ("... and Temporal Local Disturbance") may as well
    start a new clause or name something else, a coined word rarely does."""
    if not _coined(doc[start:end]):
        return []
    out = []
    for s, e in _coordinated(doc, start, end, "right"):
        if not _coined(doc[s:e]):
            break
        out.append((s, e))
    return out


def _coined(span: Span) -> bool:
    """One word (no space inside) with an inner capital, two capitals or a digit next
    to letters: ``ColorAdapt``, ``AIDOC``, ``VocalNet-8B``; not ``Transformers``."""
    text = span.text
    return bool(text) and not any(t.whitespace_ for t in span[:-1]) and bool(_COINED.search(text))


_COINED = re.compile(r"[a-z][A-Z]|[A-Z]{2}|[A-Za-z]\d|\d[A-Za-z]")


def _coordinated(doc: Doc, start: int, end: int, direction: str) -> list[tuple[int, int]]:
    """Names joined to ``doc[start:end]`` by commas and "and"/"or" ("X, Y and Z").

    Going right, a list ends at the name after its last "and"/"or": in "benchmarks
    such as MATH-500, and GSM8K, Thinkless reduces ..." the name after the comma
    starts the next clause. A name with "and" inside ("Tanks and Temples, Free, and
    Hike") does not end the list, as another "and" follows. A list without "and"/"or"
    runs to its last name.
    """
    out: list[tuple[int, int]] = []
    if direction == "left":
        i = start - 1
        while i > 0 and doc[i].lower_ in _COORD:
            j = i
            while j >= 0 and doc[j].lower_ in _COORD:
                j -= 1
            run = _name_run(doc, j, -1) if j >= 0 else None
            if run is None:
                break
            out.append(run)
            i = run[0] - 1
    else:
        i, last = end, None
        while i < len(doc) and doc[i].lower_ in _COORD:
            j = i
            while j < len(doc) and doc[j].lower_ in _COORD:
                j += 1
            run = _name_run(doc, j, 1) if j < len(doc) else None
            if run is None:
                break
            out.append(run)
            if any(doc[k].lower_ in _CONJUNCTIONS for k in range(i, j)):
                last = len(out)
            i = run[1]
        if last is not None:
            del out[last:]
    return out


#: Words that join the last name of a list ("X, Y and Z", "X, Y, or Z").
_CONJUNCTIONS = frozenset({"and", "or", "&"})


def appositive_type(doc: Doc, i: int) -> EntityType | None:
    """What an appositive starting at token ``i`` calls the name before it.

    The appositive is a comma, "a" or "an", at most six lower-case modifiers (hyphens,
    numbers and words such as "3D" too), then a singular family word
    (``data/words/family_words.txt``: "framework", "model", ...), which makes the name
    a method, or "task"/"problem", which makes it a task: "ExCap3D, an expressive 3D
    captioning model", "CARG, a framework that ...". A preposition or a relative word
    ends the modifiers ("X, a setting that tests a model" calls X nothing), and a word
    glued to a hyphen is a modifier itself ("a task-agnostic framework", "a
    model-based planner").

    Parameters
    ----------
    doc : Doc
    i : int
        Index of the token right after the name (or after its closing bracket).

    Returns
    -------
    EntityType or None
        ``METHOD``, ``TASK``, or None when no such appositive starts at ``i``.
    """
    if i + 1 >= len(doc) or doc[i].text != "," or doc[i + 1].lower_ not in ("a", "an"):
        return None
    families = word_list("family_words")
    for tok in doc[i + 2:i + 9]:
        glued = not tok.whitespace_ and tok.i + 1 < len(doc) and doc[tok.i + 1].text == "-"
        if tok.lower_ in families and not glued:
            return EntityType.METHOD
        if tok.lower_ in ("task", "problem") and not glued:
            return EntityType.TASK
        if not (tok.text == "-" or tok.like_num or tok.text[:1].isdigit() or tok.is_lower
                and tok.lower_ not in _APPOSITIVE_STOPS):
            return None  # "3D" and "2-stage" are modifiers too
    return None


#: Words that end the modifiers of an appositive (:func:`appositive_type`).
_APPOSITIVE_STOPS = frozenset({"of", "for", "the", "in", "on", "with", "to", "via", "by",
                               "from", "that", "which", "where", "whose", "who", "is",
                               "as", "at"})
