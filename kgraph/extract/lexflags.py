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
``==``, ``!=``, ``>=``, ``<=``, ``>``, ``<``; ``NOT_IN`` of a set takes the bit of
``IN`` of that set, required false (``{bit: false}``). Anything else is left to the
``Matcher``. When the 45 free flag bits are used up, predicates stay as they were, so
a pattern always matches the same tokens, only perhaps more slowly.

References
----------
.. [1] spaCy, "Rule-based matching: extended pattern syntax",
   https://spacy.io/usage/rule-based-matching#adding-patterns-attributes-extended
.. [2] spaCy, ``Vocab.add_flag``, https://spacy.io/api/vocab#add_flag
"""

from __future__ import annotations

import functools
import operator
import re
from dataclasses import dataclass
from typing import Any, Callable, Hashable, Sequence

from spacy.attrs import LOWER
from spacy.lang import lex_attrs as _lex_attrs
from spacy.vocab import Vocab

__all__ = ["LexemeFlag", "add_flags", "compile_patterns", "fast_lexeme_getters", "FLAG_BITS"]

#: Flag bits free for custom flags: spaCy names them ``FLAG19`` to ``FLAG63``; bits
#: 1-18 hold ``IS_ALPHA``, ``LIKE_URL`` and the other built-in flags.
FLAG_BITS = range(19, 64)

_COMPARE = {"==": operator.eq, "!=": operator.ne, ">=": operator.ge, "<=": operator.le,
            ">": operator.gt, "<": operator.lt}
_STRING_ATTRS = {"ORTH": "ORTH", "TEXT": "ORTH", "LOWER": "LOWER"}
#: spaCy's lexeme attribute getters (``spacy.lang.lex_attrs``) that return one ``str``
#: method's result or one item of the word, and that method or item getter, which
#: spaCy then calls without running Python code. Same values, by definition.
_C_GETTERS = {
    _lex_attrs.lower: str.lower, _lex_attrs.is_alpha: str.isalpha,
    _lex_attrs.is_digit: str.isdigit, _lex_attrs.is_lower: str.islower,
    _lex_attrs.is_space: str.isspace, _lex_attrs.is_title: str.istitle,
    _lex_attrs.is_upper: str.isupper, _lex_attrs.is_ascii: str.isascii,
    _lex_attrs.prefix: operator.itemgetter(0),
    _lex_attrs.suffix: operator.itemgetter(slice(-3, None)),
}
_STR_LOWER = (_lex_attrs.lower, str.lower)

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
    lower_in : frozenset of str or None
        When ``func`` is ``lambda s: s.lower() in lower_in``: :func:`add_flags` then
        registers a getter that spaCy calls without running Python code (see
        :class:`_LowerIndex`), the same test.
    """

    key: Hashable
    func: Callable[[str], bool]
    lower_in: frozenset[str] | None = None


class _LowerIndex:
    """The getter that makes ``LOWER IN`` flags cheap for spaCy to compute.

    spaCy computes a new word's attributes by calling every function of
    ``vocab.lex_attr_getters`` in turn, most of them Python functions: with some
    forty flags that was most of the cost of a new word. A flag ``s.lower() in
    words`` is registered instead as ``functools.partial(operator.contains,
    members)``, which runs in C, where ``members`` is a set of the words seen so far
    that pass the test. This getter, registered before those flags, puts each new
    word in the sets of the flags it passes (one dictionary lookup of its lower
    case), and returns ``None``, so that spaCy sets no attribute for it.

    Words already in the vocabulary when a flag is added are tested by
    :func:`add_flags` directly; the sets hold only words that pass, a few per
    listed word.
    """

    def __init__(self) -> None:
        self.members_of: dict[str, list[set[str]]] = {}

    def add(self, words: frozenset[str], members: set[str]) -> None:
        for word in words:
            self.members_of.setdefault(word, []).append(members)

    def __call__(self, string: str) -> None:
        found = self.members_of.get(string.lower())
        if found is not None:
            for members in found:
                members.add(string)
        return None


#: ``vocab.lex_attr_getters`` key of the :class:`_LowerIndex` getter (NULL_ATTR: no
#: lexeme attribute; the getter always returns ``None``, so spaCy never sets it).
_INDEX_KEY = 0


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
        by_bit = {bit: flag for flag, bit in zip(flags, bits)}
        # the words known so far that pass each flag, for the fast getters
        members: dict[int, set[str]] = {bit: set() for bit, _ in new
                                        if _fast_getter(vocab, by_bit[bit])}
        for lex in vocab:
            orth = lex.orth_
            for bit, func in new:
                passed = func(orth)
                lex.set_flag(bit, passed)
                if passed and bit in members:
                    members[bit].add(orth)
        for bit, func in new:
            if bit in members:
                getters[bit] = _lower_in_getter(vocab, by_bit[bit], members[bit])
            else:
                getters[bit] = func
    return bits


def _fast_getter(vocab: Vocab, flag: LexemeFlag) -> bool:
    """Whether ``flag`` can be registered as a membership test (:class:`_LowerIndex`):
    a ``LOWER IN`` test on a vocabulary whose ``LOWER`` is ``str.lower``."""
    getters = vocab.lex_attr_getters
    return flag.lower_in is not None and getters.get(LOWER) in _STR_LOWER \
        and isinstance(getters.get(_INDEX_KEY, _LowerIndex()), _LowerIndex)


def _lower_in_getter(vocab: Vocab, flag: LexemeFlag, members: set[str]) -> Callable:
    """``functools.partial(operator.contains, members)`` for a ``LOWER IN`` flag, fed
    by the vocabulary's :class:`_LowerIndex` and tagged with the flag's key."""
    getters = vocab.lex_attr_getters
    index = getters.get(_INDEX_KEY)
    if index is None:
        index = getters[_INDEX_KEY] = _LowerIndex()  # before the flags it feeds
    index.add(flag.lower_in, members)
    getter = functools.partial(operator.contains, members)
    setattr(getter, _KEY, flag.key)
    return getter


def fast_lexeme_getters(vocab: Vocab) -> int:
    """Let spaCy compute the simplest lexeme attributes of new words without Python.

    spaCy calls each function of ``vocab.lex_attr_getters`` for every new word;
    those of ``spacy.lang.lex_attrs`` that only return ``word.isalpha()``,
    ``word.lower()``, ``word[0]``, ``word[-3:]`` and the like are replaced by that
    ``str`` method or an ``operator.itemgetter``, which give the same values.

    Parameters
    ----------
    vocab : Vocab

    Returns
    -------
    int
        How many getters were replaced.
    """
    getters = vocab.lex_attr_getters
    replaced = 0
    for attr, func in list(getters.items()):
        fast = _C_GETTERS.get(func) if callable(func) else None
        if fast is not None:
            getters[attr] = fast
            replaced += 1
    return replaced


def _set_test(base: str, op: str, words: frozenset[str],
              lower: Callable[[str], str]) -> Callable[[str], bool]:
    """``IN`` / ``NOT_IN`` on ``ORTH`` or ``LOWER`` as one small function."""
    if base == "ORTH":
        return (lambda s: s in words) if op == "IN" else (lambda s: s not in words)
    if lower in _STR_LOWER:  # spaCy's LOWER is str.lower; skip a call
        return (lambda s: s.lower() in words) if op == "IN" else (lambda s: s.lower() not in words)
    return (lambda s: lower(s) in words) if op == "IN" else (lambda s: lower(s) not in words)


def _predicate(attr: str, spec: dict[str, Any],
               vocab: Vocab) -> tuple[LexemeFlag, bool] | None:
    """The flag equivalent to ``{attr: spec}`` and the value the flag must have, or
    ``None`` when it has none. ``NOT_IN`` of a set is the ``IN`` flag of the set,
    required false, so that both share one bit."""
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
            op, words = tests[0]
            key = (base, (("IN", words),))
            return LexemeFlag(key, _set_test(base, "IN", words, lower),
                              words if base == "LOWER" else None), op == "IN"

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

        return LexemeFlag(key, test), True
    if attr == "LENGTH":
        if not all(op in _COMPARE and type(v) is int for op, v in spec.items()):
            return None
        tests = tuple(sorted(spec.items()))

        def within(orth: str, tests=tests) -> bool:
            return all(_COMPARE[op](len(orth), v) for op, v in tests)

        return LexemeFlag(("LENGTH", tests), within), True
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
    flags: list[tuple[dict[str, Any], Any, LexemeFlag, bool]] = []
    out = []
    for pattern in patterns:
        compiled = []
        for element in pattern:
            element = dict(rewrite(element) if rewrite else element)
            for attr, spec in list(element.items()):
                if isinstance(attr, str) and isinstance(spec, dict):
                    found = _predicate(attr.upper(), spec, vocab)
                    if found is not None:
                        flags.append((element, attr, *found))
            compiled.append(element)
        out.append(compiled)
    bits = add_flags(vocab, [flag for _, _, flag, _ in flags])
    for (element, attr, _, value), bit in zip(flags, bits):
        if bit is not None:
            del element[attr]
            element[bit] = value
    return out
