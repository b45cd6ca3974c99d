"""Lexeme flags: word-level tests that spaCy's ``Matcher`` runs in C.

spaCy's ``Matcher`` compares plain token attributes (``{"LOWER": "in"}``) and
lexeme flags (``{"IS_ALPHA": true}``) in compiled code, but it calls a Python
object for every token and every set, regular-expression or comparison predicate
(``{"LOWER": {"IN": [...]}}``, ``{"LENGTH": {">=": 3}}``) [1]_. These predicates
depend only on the word (the lexeme), so each can be computed once per word and
kept in one of the 64 bits of boolean flags that every spaCy lexeme carries, as
``Vocab.add_flag`` does [2]_; a pattern element then tests the bit, ``{bit: true}``.

:func:`add_flags` registers flags on a vocabulary (words already known are flagged at
once, new words when they are first seen); :func:`compile_patterns` rewrites
``Matcher`` patterns to use them. Predicates on ``ORTH``/``TEXT``, ``LOWER`` and
``LENGTH`` are rewritten: ``IN``, ``NOT_IN``, ``REGEX`` and the comparisons
``==``, ``!=``, ``>=``, ``<=``, ``>``, ``<``. Anything else is left to the
``Matcher``. When the 45 free flag bits are used up, predicates stay as they were, so
a pattern always matches the same tokens, only perhaps more slowly.

References
----------
.. [1] spaCy, "Rule-based matching: extended pattern syntax",
   https://spacy.io/usage/rule-based-matching#adding-patterns-attributes-extended
.. [2] spaCy, ``Vocab.add_flag``, https://spacy.io/api/vocab#add_flag
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from typing import Any, Callable, Hashable, Sequence

import numpy
from spacy.attrs import LOWER
from spacy.lang.lex_attrs import lower as _SPACY_LOWER
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kgraph.extract.tokenizer import token_orths

__all__ = ["LexemeFlag", "add_flags", "compile_patterns", "flag_columns", "FLAG_BITS"]

#: Flag bits free for custom flags: spaCy names them ``FLAG19`` to ``FLAG63``; bits
#: 1-18 hold ``IS_ALPHA``, ``LIKE_URL`` and the other built-in flags.
FLAG_BITS = range(19, 64)

_COMPARE = {"==": operator.eq, "!=": operator.ne, ">=": operator.ge, "<=": operator.le,
            ">": operator.gt, "<": operator.lt}
_STRING_ATTRS = {"ORTH": "ORTH", "TEXT": "ORTH", "LOWER": "LOWER"}
# Attribute of a registered getter function that holds its LexemeFlag key.
_KEY = "lexeme_flag_key"


@dataclass(frozen=True)
class LexemeFlag:
    """A boolean function of a word's text, to be kept as a lexeme flag.

    Attributes
    ----------
    key : hashable
        Identifies the test, so that two registrations of one test share a bit.
    func : callable
        ``str -> bool`` (a ``bool``, not merely a truthy value), called with the
        lexeme's ``ORTH`` string. A Python function: :func:`add_flags` registers it
        as it is, for spaCy to call on every new word, and tags it with ``key``.
    """

    key: Hashable
    func: Callable[[str], bool]


def add_flags(vocab: Vocab, flags: Sequence[LexemeFlag]) -> list[int | None]:
    """Register lexeme flags on ``vocab`` and return their bits.

    A flag whose key is already registered keeps its bit. New flags take the lowest
    free bits of :data:`FLAG_BITS` and are computed for every word already in the
    vocabulary in one pass (``Vocab.add_flag`` makes one pass per flag); spaCy
    computes them for new words through ``vocab.lex_attr_getters``.

    Parameters
    ----------
    vocab : Vocab
    flags : sequence of LexemeFlag

    Returns
    -------
    list of int or None
        One bit per flag (an attribute ID usable in patterns and ``Doc.to_array``),
        ``None`` when no bit was free.
    """
    getters = vocab.lex_attr_getters
    known = {getattr(g, _KEY): bit for bit, g in getters.items() if hasattr(g, _KEY)}
    free = [bit for bit in FLAG_BITS if bit not in getters]
    bits: list[int | None] = []
    new: list[tuple[int, Callable[[str], bool]]] = []
    for flag in flags:
        bit = known.get(flag.key)
        if bit is None and free:
            bit = free.pop(0)
            known[flag.key] = bit
            new.append((bit, flag.func))
            setattr(flag.func, _KEY, flag.key)
        bits.append(bit)
    if new:
        for lex in vocab:
            orth = lex.orth_
            for bit, func in new:
                lex.set_flag(bit, func(orth))
        for bit, func in new:
            getters[bit] = func
    return bits


# (id(vocab), bits) -> (getters of the bits, {orth: the word's bits, packed})
_FLAG_VALUES: dict[tuple[int, tuple[int, ...]], tuple[tuple, dict[int, int]]] = {}

#: Words whose flags :func:`flag_columns` keeps per set of bits, at most (then the
#: store starts again).
MAX_WORDS = 500_000


def flag_columns(doc: Doc, bits: Sequence[int]) -> numpy.ndarray:
    """``doc.to_array(bits)`` for lexeme flag bits, from flags kept per word.

    ``Doc.to_array`` reads every column token by token; a flag is a property of the
    word, so the flags of each word are read once (from its lexeme) and kept, and a
    doc's columns are made from its words (:func:`kgraph.extract.tokenizer.token_orths`).
    What is kept is dropped when another getter is registered for one of the bits.

    Parameters
    ----------
    doc : Doc
    bits : sequence of int
        Lexeme flag bits (attribute IDs 1-63), e.g. those :func:`add_flags` returned.

    Returns
    -------
    numpy.ndarray
        ``uint64`` of shape ``(len(doc), len(bits))``, 0 or 1: what
        ``doc.to_array(list(bits))`` returns.
    """
    bits = tuple(bits)
    vocab = doc.vocab
    getters = tuple(map(vocab.lex_attr_getters.get, bits))
    key = (id(vocab), bits)
    found = _FLAG_VALUES.get(key)
    if found is None or found[0] != getters or len(found[1]) > MAX_WORDS:
        found = _FLAG_VALUES[key] = (getters, {})
    values = found[1]
    orths = token_orths(doc)
    packed = list(map(values.get, orths))
    if None in packed:
        for k, orth in enumerate(orths):
            if packed[k] is None:
                flags = vocab[orth].flags
                packed[k] = values[orth] = sum(1 << j for j, bit in enumerate(bits)
                                               if flags >> bit & 1)
    shifts = numpy.arange(len(bits), dtype=numpy.uint64)
    return (numpy.array(packed, dtype=numpy.uint64).reshape(-1, 1) >> shifts) & numpy.uint64(1)


def _set_test(base: str, op: str, words: frozenset[str],
              lower: Callable[[str], str]) -> Callable[[str], bool]:
    """``IN`` / ``NOT_IN`` on ``ORTH`` or ``LOWER`` as one small function."""
    if base == "ORTH":
        return (lambda s: s in words) if op == "IN" else (lambda s: s not in words)
    if lower is _SPACY_LOWER:  # spaCy's LOWER is str.lower; skip a call
        return (lambda s: s.lower() in words) if op == "IN" else (lambda s: s.lower() not in words)
    return (lambda s: lower(s) in words) if op == "IN" else (lambda s: lower(s) not in words)


def _predicate(attr: str, spec: dict[str, Any], vocab: Vocab) -> LexemeFlag | None:
    """The flag equivalent to ``{attr: spec}``, or ``None`` when it has none."""
    if attr in _STRING_ATTRS:
        base = _STRING_ATTRS[attr]
        lower = vocab.lex_attr_getters[LOWER]
        text_of = lower if base == "LOWER" else str
        tests = []
        for op, value in spec.items():
            if op in ("IN", "NOT_IN") and isinstance(value, list) \
                    and all(isinstance(v, str) for v in value):
                tests.append((op, frozenset(value)))
            elif op == "REGEX" and isinstance(value, str):
                tests.append((op, re.compile(value)))
            else:
                return None
        key = (base, tuple(sorted(((op, getattr(v, "pattern", v)) for op, v in tests),
                                  key=repr)))
        if len(tests) == 1 and tests[0][0] != "REGEX":
            return LexemeFlag(key, _set_test(base, tests[0][0], tests[0][1], lower))

        def test(orth: str, tests=tuple(tests), text_of=text_of) -> bool:
            text = text_of(orth)
            for op, value in tests:
                if op == "IN" and text not in value:
                    return False
                if op == "NOT_IN" and text in value:
                    return False
                if op == "REGEX" and value.search(text) is None:
                    return False
            return True

        return LexemeFlag(key, test)
    if attr == "LENGTH":
        if not all(op in _COMPARE and type(v) is int for op, v in spec.items()):
            return None
        tests = tuple(sorted(spec.items()))

        def within(orth: str, tests=tests) -> bool:
            return all(_COMPARE[op](len(orth), v) for op, v in tests)

        return LexemeFlag(("LENGTH", tests), within)
    return None


def compile_patterns(patterns: Sequence[list[dict[str, Any]]], vocab: Vocab,
                     rewrite: Callable[[dict[str, Any]], dict[str, Any]] | None = None
                     ) -> list[list[dict[str, Any]]]:
    """Rewrite the word-level predicates of ``Matcher`` patterns as lexeme flags.

    Parameters
    ----------
    patterns : sequence of list of dict
        spaCy ``Matcher`` token patterns (validated by the caller; the results have
        integer keys, which spaCy's pattern validator does not accept).
    vocab : Vocab
        The vocabulary the ``Matcher`` uses; flags are registered on it, all in one
        pass over the words it knows.
    rewrite : callable or None
        Applied to each pattern element first (e.g. to replace an extension
        attribute).

    Returns
    -------
    list of list of dict
        The patterns, each rewritable predicate replaced by ``{bit: True}``.

    Examples
    --------
    >>> import spacy
    >>> from spacy.matcher import Matcher
    >>> nlp = spacy.blank("en")
    >>> [pattern] = compile_patterns([[{"LOWER": {"IN": ["on", "in"]}},
    ...                                {"LENGTH": {">=": 3}}]], nlp.vocab)
    >>> [sorted(el.items()) for el in pattern]
    [[(19, True)], [(20, True)]]
    >>> matcher = Matcher(nlp.vocab, validate=False)
    >>> matcher.add("x", [pattern])
    >>> [nlp.vocab.strings[m] for m, s, e in matcher(nlp("trained On COCO"))]
    ['x']
    """
    flags: list[tuple[dict[str, Any], Any, LexemeFlag]] = []
    out = []
    for pattern in patterns:
        compiled = []
        for element in pattern:
            element = dict(rewrite(element) if rewrite else element)
            for attr, spec in list(element.items()):
                if isinstance(attr, str) and isinstance(spec, dict):
                    flag = _predicate(attr.upper(), spec, vocab)
                    if flag is not None:
                        flags.append((element, attr, flag))
            compiled.append(element)
        out.append(compiled)
    bits = add_flags(vocab, [flag for _, _, flag in flags])
    for (element, attr, _), bit in zip(flags, bits):
        if bit is not None:
            del element[attr]
            element[bit] = True
    return out
