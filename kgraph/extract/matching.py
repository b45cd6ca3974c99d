"""spaCy's ``Matcher`` algorithm, run only where a pattern can match.

spaCy's ``Matcher`` [1]_ starts a partial match of every pattern at every token and
moves all of them along the doc, so its time grows with tokens times patterns; most
of those partial matches die at once. :class:`TokenMatcher` gives the same matches in
the same order, with the same alignments, for patterns of token attribute tests
(plain attributes and lexeme flags, as :func:`kgraph.extract.lexflags.compile_patterns`
leaves them) and the operators ``!``, ``?``, ``*``, ``+`` and ``{n,m}``:

1. each distinct attribute test is computed for every token at once, on
   ``Doc.to_array`` columns;
2. a match needs one token for each element that must occur once (quantifier
   "one"); for each pattern the rarest such element in the doc, the *anchor*, bounds
   where its matches can start: at most as many tokens before an anchor token as
   the elements before the anchor can take, all passing one of their tests;
3. from those starts only, the partial matches are moved along the tokens by a
   transcription of spaCy's ``find_matches``, ``transition_states``, ``get_action``
   and ``finish_states`` (``spacy/matcher/matcher.pyx``, spaCy 3.8), and the matches
   are filtered and ordered as ``Matcher.__call__`` does (greedy ``LONGEST``
   filtering, alignments).

A partial match that cannot be completed emits nothing, and the partial matches
that are left keep their relative order, so leaving out the starts that cannot
lead to a match changes nothing in the output.

References
----------
.. [1] spaCy, ``Matcher``, https://spacy.io/api/matcher and
   https://github.com/explosion/spaCy/blob/master/spacy/matcher/matcher.pyx
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy
from spacy.attrs import ENT_KB_ID, IDS, LENGTH, LOWER, ORTH, PREFIX, SENT_START, SHAPE, SUFFIX
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kgraph.extract.tokenizer import token_orths

__all__ = ["TokenMatcher"]

# Quantifiers, as spaCy's ``_get_operators`` expands the "OP" of a pattern element.
_ONE, _ZERO, _ZERO_ONE, _ZERO_PLUS, _FINAL = range(5)
# Actions of spaCy's ``get_action``.
(_REJECT, _MATCH, _ADVANCE, _RETRY, _MATCH_EXTEND, _RETRY_ADVANCE, _RETRY_EXTEND,
 _MATCH_REJECT, _MATCH_DOUBLE) = range(9)
_RETRIES = (_RETRY, _RETRY_ADVANCE, _RETRY_EXTEND)

#: Attributes of the lexeme (lexeme flags, ids 1-63, too): the same for every token
#: of a word, so their tests are computed once per word and kept.
_LEXEME_ATTRS = frozenset({ORTH, LOWER, SHAPE, PREFIX, SUFFIX, LENGTH})
#: Attributes of the token, read with ``Doc.to_array``; ``SENT_START`` is tested as
#: "is 1", as spaCy's ``get_token_attr_for_matcher`` does.
_TOKEN_ATTRS = frozenset({ENT_KB_ID, SENT_START})
_ATTRS = _LEXEME_ATTRS | _TOKEN_ATTRS


def _operators(element: Mapping[Any, Any]) -> tuple[int, ...] | None:
    """The quantifiers of one element, as spaCy's ``_get_operators`` gives them."""
    op = next((v for k, v in element.items() if isinstance(k, str) and k.upper() == "OP"),
              None)
    if op is None:
        return (_ONE,)
    simple = {"*": (_ZERO_PLUS,), "+": (_ONE, _ZERO_PLUS), "?": (_ZERO_ONE,), "1": (_ONE,),
              "!": (_ZERO,)}
    if op in simple:
        return simple[op]
    if isinstance(op, str) and op.startswith("{") and op.endswith("}"):
        bounds = op[1:-1] if "," in op else f"{op[1:-1]},{op[1:-1]}"
        n, m = bounds.split(",")
        if (n and not n.isdecimal()) or (m and not m.isdecimal()) or (not n and not m) \
                or (n and m and int(n) > int(m)):
            return None
        head = (_ONE,) * int(n or 0)
        return head + ((_ZERO_ONE,) * (int(m) - int(n or 0)) if m else (_ZERO_PLUS,))
    return None


def _tests(element: Mapping[Any, Any], vocab: Vocab) -> list[tuple[int, int]] | None:
    """``(attribute id, value)`` tests of one element, as spaCy's ``_get_attr_values``
    makes them; ``None`` when the element needs something else (an extension
    attribute, a predicate such as ``IN``, an attribute outside :data:`_ATTRS`)."""
    out = []
    for attr, value in element.items():
        if isinstance(attr, str):
            name = attr.upper()
            if name == "OP":
                continue
            name = {"TEXT": "ORTH", "IS_SENT_START": "SENT_START"}.get(name, name)
            if name == "_" or name not in IDS:
                return None
            attr = IDS[name]
        if not isinstance(attr, int) or not (0 < attr < 64 or attr in _ATTRS):
            return None
        if isinstance(value, str):
            value = vocab.strings.add(value)
        elif isinstance(value, bool):
            value = int(value)
        elif not isinstance(value, int):
            return None
        out.append((attr, value))
    return out


class TokenMatcher:
    """spaCy's ``Matcher`` for attribute-test patterns, started only where a match can be.

    Parameters
    ----------
    vocab : Vocab
    patterns : sequence of (str, list of dict)
        ``(key, pattern)`` pairs, in the order they would be added to a ``Matcher``
        (one pattern per key), with ``greedy="LONGEST"`` filtering.

    Raises
    ------
    ValueError
        A pattern uses something this matcher does not compute (see
        :meth:`supports`).

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> m = TokenMatcher(nlp.vocab, [("x", [{"LOWER": "in"}, {"IS_TITLE": True, "OP": "+"}])])
    >>> m(nlp("trained in New York"))
    [('x', 1, 4, [0, 1, 1])]
    """

    #: Words whose test results are kept, at most (then the store starts again).
    max_words = 300_000

    def __init__(self, vocab: Vocab, patterns: Sequence[tuple[str, list[dict[str, Any]]]]):
        conds: dict[tuple[int, int], int] = {}
        elements: dict[tuple[int, ...], int] = {}
        self.keys: list[str] = []
        # per pattern: list of (quantifier, element column or -1, element index), FINAL last
        self.compiled: list[list[tuple[int, int, int]]] = []
        for key, pattern in patterns:
            tokens = []
            for token_idx, element in enumerate(pattern):
                ops, tests = _operators(element), _tests(element, vocab)
                if ops is None or tests is None:
                    raise ValueError(f"pattern {key!r}: element {element!r} is not supported")
                ids = tuple(sorted(conds.setdefault(t, len(conds)) for t in tests))
                column = elements.setdefault(ids, len(elements)) if ids else -1
                tokens.extend((op, column, token_idx) for op in ops)
            tokens.append((_FINAL, -1, len(pattern)))
            self.keys.append(key)
            self.compiled.append(tokens)
        self.vocab = vocab
        tests_of = {k: t for t, k in conds.items()}
        # Word-level tests, one byte per element in a row kept per word (1: the word
        # passes the element's word-level tests); see _word_row.
        self._word_parts = []
        for ids in sorted(elements, key=elements.get):
            must = sum(1 << tests_of[k][0] for k in ids
                       if tests_of[k][0] < 64 and tests_of[k][1] == 1)
            must_not = sum(1 << tests_of[k][0] for k in ids
                           if tests_of[k][0] < 64 and tests_of[k][1] == 0)
            other = tuple(tests_of[k] for k in ids if tests_of[k][0] in _LEXEME_ATTRS
                          or (tests_of[k][0] < 64 and tests_of[k][1] not in (0, 1)))
            self._word_parts.append((must, must_not, other))
        self._rows: dict[int, bytes] = {}
        self._signature_rows: dict[tuple, bytes] = {}
        self._used_bits = sum(1 << a for a in {a for a, _ in conds if a < 64})
        self._tested_values = [(a, frozenset(v for b, v in conds if b == a))
                               for a in sorted({a for a, _ in conds if a in _LEXEME_ATTRS})]
        self._getters = sorted({a for a, _ in conds if a < 64})
        self._getter_values = tuple(map(vocab.lex_attr_getters.get, self._getters))
        # Token-level tests: (attribute, value, columns of the elements that need it).
        self.attrs = sorted({a for a, _ in conds if a in _TOKEN_ATTRS})
        self._token_tests = [
            (a, v, [c for ids, c in elements.items() if conds[(a, v)] in ids])
            for a, v in sorted(conds, key=conds.get) if a in _TOKEN_ATTRS]
        self._n_elements = len(elements)
        # Unions of element columns that bound the starts (see _plan), computed as
        # extra columns after the elements: union u is column n_elements + u.
        unions: dict[tuple[int, ...], int] = {}
        self._plans = []
        for tokens in self.compiled:
            anchors, first = self._plan(tokens)
            union = lambda cols: -1 if cols is None else \
                self._n_elements + unions.setdefault(tuple(cols), len(unions))  # noqa: E731
            self._plans.append(([(c, union(cols), least, most) for c, cols, least, most
                                 in anchors], union(first)))
        self._union_lists = sorted(unions, key=unions.get)
        # the columns that must each pass some token for a pattern to match
        self._needed = [sorted({a[0] for a in anchors}) for anchors, _ in self._plans]

    @staticmethod
    def supports(vocab: Vocab, patterns: Sequence[list[dict[str, Any]]]) -> bool:
        """Whether every element of ``patterns`` is made of tests this matcher computes:
        plain token attributes (``ORTH``, ``LOWER``, ``NORM``, ``SHAPE``, ``PREFIX``,
        ``SUFFIX``, ``LENGTH``, ``ENT_KB_ID``, ``SENT_START``) and lexeme flags compared
        to a value, under any operator spaCy accepts.

        Parameters
        ----------
        vocab : Vocab
        patterns : sequence of list of dict

        Returns
        -------
        bool
        """
        return all(_operators(el) is not None and _tests(el, vocab) is not None
                   for pattern in patterns for el in pattern)

    @staticmethod
    def _plan(tokens: list[tuple[int, int, int]]):
        """What bounds the starts of a pattern: for each "one" token that could be the
        anchor, the element columns before it, and the fewest and most tokens they
        take; and the columns that can take the first token of a match."""
        anchors = []
        for a, (quant, column, _) in enumerate(tokens):
            if quant != _ONE or column < 0:
                continue
            before = tokens[:a]
            least = sum(1 for q, _, _ in before if q in (_ONE, _ZERO))
            most = None if any(q == _ZERO_PLUS for q, _, _ in before) else len(before)
            # a "!" token passes tokens that fail its test: any token may be before
            columns = None if any(q == _ZERO or c < 0 for q, c, _ in before) \
                else sorted({c for _, c, _ in before})
            anchors.append((column, columns, least, most))
        first: list[int] | None = []
        for quant, column, _ in tokens:
            if quant == _FINAL:
                break
            if quant == _ZERO or column < 0:
                first = None
                break
            first.append(column)
            if quant == _ONE:
                break
        return anchors, first

    def _starts(self, tests: list[int], n: int) -> list[tuple[int, int]]:
        """``(token, pattern)`` pairs from which a match may start, sorted.

        ``tests[k]`` has bit ``i`` set when token ``i`` passes element column ``k``;
        the unions of columns that bound the starts are computed here, for the
        patterns whose needed columns all pass some token."""
        out = set()
        unions = self._union_lists
        done: dict[int, int] = {}
        first_column = self._n_elements

        def union(u: int) -> int:
            """The bits of union column ``u`` (-1, every token, for none)."""
            if u < 0:
                return -1
            bits = done.get(u)
            if bits is None:
                bits = 0
                for c in unions[u - first_column]:
                    bits |= tests[c]
                done[u] = bits
            return bits

        for j, (anchors, first) in enumerate(self._plans):
            if not anchors:  # no token that must match: try every start
                out.update((i, j) for i in range(n))
                continue
            for c in self._needed[j]:
                if not tests[c]:
                    break  # an element that must match matches no token
            else:
                column, before, least, most = anchors[0] if len(anchors) == 1 else \
                    min(anchors, key=lambda x: tests[x[0]].bit_count())
                first_bits = union(first)
                before_bits = union(before)
                hits = tests[column]
                while hits:
                    low = hits & -hits
                    hits ^= low
                    p = low.bit_length() - 1
                    lo = 0 if most is None else max(0, p - most)
                    i = p
                    while True:
                        if i <= p - least and first_bits >> i & 1:
                            out.add((i, j))
                        # the tokens between a start and the anchor pass a test before it
                        if i <= lo or not before_bits >> (i - 1) & 1:
                            break
                        i -= 1
        return sorted(out)

    def __call__(self, doc: Doc, columns: Mapping[int, numpy.ndarray] | None = None,
                 passed: Mapping[tuple[int, int], int] | None = None
                 ) -> list[tuple[str, int, int, list[int]]]:
        """Match ``doc``.

        Parameters
        ----------
        doc : Doc
        columns : mapping of int to numpy.ndarray, optional
            Values to use for some attributes instead of the doc's (one per token),
            e.g. flags kept outside the doc.
        passed : mapping of (int, int) to int, optional
            Results of token-level tests ``attribute == value`` (``ENT_KB_ID`` or
            ``SENT_START``) computed by the caller, as an int whose bit ``i`` is set
            when token ``i`` passes; they take precedence over ``columns`` and the doc.

        Returns
        -------
        list of (str, int, int, list of int)
            ``(key, start, end, alignments)``, what ``Matcher(doc,
            with_alignments=True)`` returns, with the key as a string.
        """
        n = len(doc)
        if n == 0 or not self.compiled:
            return []
        passed = passed or {}
        given = [a for a in self.attrs
                 if (columns and a in columns)
                 or all((a, v) in passed for b, v, _ in self._token_tests if b == a)]
        from_doc = [a for a in self.attrs if a not in given]
        cols = doc.to_array(from_doc).reshape(n, -1) if from_doc else None
        # each element's word-level tests as an int whose bit i is token i: the
        # tokens x elements bytes, padded with tokens that pass nothing to whole bytes
        # of bits, transposed and packed (packing along the first axis is much slower)
        width = (n + 7) // 8
        joined = self._word_rows(token_orths(doc)) + bytes(self._n_elements * (width * 8 - n))
        matrix = numpy.frombuffer(joined, dtype=numpy.uint8).reshape(width * 8, -1)
        packed = numpy.packbits(matrix.T.reshape(-1), bitorder="little").tobytes()
        tests = [int.from_bytes(packed[k:k + width], "little")
                 for k in range(0, len(packed), width)]
        # and the token-level ones
        for attr, value, where in self._token_tests:
            bits = passed.get((attr, value))
            if bits is None:
                if columns and attr in columns:
                    col = numpy.asarray(columns[attr], dtype=numpy.uint64)
                else:
                    col = cols[:, from_doc.index(attr)]
                passes = (col == 1) == bool(value) if attr == SENT_START else col == value
                bits = int.from_bytes(numpy.packbits(passes, bitorder="little").tobytes(),
                                      "little")
            for k in where:
                tests[k] &= bits
        return self._finish(self._find(self._starts(tests, n), tests, n))

    def _word_rows(self, orths: list[int]) -> bytes:
        """The word-level part of every element's tests for every token, from the rows
        kept per word: tokens x elements bytes, 0 or 1, joined."""
        getters = self.vocab.lex_attr_getters
        now = tuple(map(getters.get, self._getters))
        if now != self._getter_values:  # a flag was registered anew: recompute
            self._rows.clear()
            self._signature_rows.clear()
            self._getter_values = now
        rows = self._rows
        if len(rows) > self.max_words:
            rows.clear()
            self._signature_rows.clear()
        row = list(map(rows.get, orths))
        if None in row:  # words not seen before
            for k, r in enumerate(row):
                if r is None:
                    row[k] = self._word_row(orths[k])
        return b"".join(row)

    def _word_row(self, orth: int) -> bytes:
        """Byte ``k`` is 1 when the word passes the word-level tests of element ``k``
        (lexeme flags, and lexeme attributes equal to a value); kept for the next time.

        Words alike in what the tests read (the flags tested, and each tested
        attribute's value when some test names it) share one row."""
        lex = self.vocab[orth]
        flags = lex.flags & self._used_bits
        values = {ORTH: lex.orth, LOWER: lex.lower, SHAPE: lex.shape, PREFIX: lex.prefix,
                  SUFFIX: lex.suffix, LENGTH: len(lex.orth_)}
        key = (flags, *[values[a] if values[a] in tested else None
                        for a, tested in self._tested_values])
        row = self._signature_rows.get(key)
        if row is None:
            row = self._signature_rows[key] = bytes([
                flags & must == must and not flags & must_not
                and all((((flags >> a) & 1) if a < 64 else values[a]) == v for a, v in other)
                for must, must_not, other in self._word_parts])
        self._rows[orth] = row
        return row

    def _find(self, starts: list[tuple[int, int]], tests: list[int], n: int) -> list:
        """spaCy's ``find_matches``: ``(pattern, start, length, alignment)`` in the
        order found. A state is ``[pattern, position, start, length, alignment]``."""
        compiled = self.compiled
        matches: list = []
        states: list[list] = []
        s, n_starts = 0, len(starts)
        i = starts[0][0] if starts else n
        while i < n:
            while s < n_starts and starts[s][0] == i:
                states.append([starts[s][1], 0, i, 0, []])
                s += 1
            new_states: list[list] = []
            kept = []
            for state in states:
                j, pos, start, length, align = state
                tokens = compiled[j]
                action = _action(tokens, pos, tests, i)
                if action == _REJECT:
                    continue
                while action in _RETRIES:
                    align.append((tokens[pos][2], length))
                    if action == _RETRY_EXTEND:
                        new_states.append([j, pos, start, length + 1, list(align)])
                    elif action == _RETRY_ADVANCE:
                        new_states.append([j, pos + 1, start, length + 1, list(align)])
                    pos += 1
                    action = _action(tokens, pos, tests, i)
                align.append((tokens[pos][2], length))
                if action == _REJECT:
                    continue
                if action == _ADVANCE:
                    state[1], state[3] = pos + 1, length + 1
                    kept.append(state)
                elif action == _MATCH:
                    matches.append((j, start, length + 1, align))
                elif action == _MATCH_DOUBLE:
                    if length > 0:
                        matches.append((j, start, length, align))
                    matches.append((j, start, length + 1, align))
                elif action == _MATCH_REJECT:
                    matches.append((j, start, length, align))
                elif action == _MATCH_EXTEND:
                    matches.append((j, start, length, list(align)))
                    state[1], state[3] = pos, length + 1
                    kept.append(state)
            states = kept + new_states
            i += 1
            if not states and s < n_starts:
                i = max(i, starts[s][0])
            elif not states:
                break
        for j, pos, start, length, align in states:  # finish_states
            tokens = compiled[j]
            while tokens[pos][0] in (_ZERO_PLUS, _ZERO_ONE):
                align.append((tokens[pos][2], length))
                if tokens[pos + 1][0] == _FINAL:
                    matches.append((j, start, length, align))
                    break
                pos += 1
        return matches

    def _finish(self, matches: list) -> list[tuple[str, int, int, list[int]]]:
        """``Matcher.__call__`` after ``find_matches``: drop empty and repeated matches,
        keep the longest of overlapping matches of a key, convert alignments."""
        seen = set()
        by_key: dict[int, list] = {}
        for j, start, length, align in matches:
            match = (j, start, start + length)
            if match not in seen and length > 0:
                by_key.setdefault(j, []).append((start, start + length, align))
                seen.add(match)
        out = []
        for j, pairs in by_key.items():
            taken: set[int] = set()
            for start, end, align in sorted(pairs, key=lambda x: (x[1] - x[0], -x[0]),
                                            reverse=True):
                if taken.isdisjoint(range(start, end)):
                    taken.update(range(start, end))
                    out.append((j, start, end, align))
        final = []
        for j, start, end, align in out:
            alignment = [0] * (end - start)
            for token_idx, length in sorted(align, key=lambda x: (x[1], x[0])):
                if length < end - start:
                    alignment[length] = token_idx
            final.append((self.keys[j], start, end, alignment))
        return final


def _action(tokens: list[tuple[int, int, int]], pos: int, tests: list[int], i: int) -> int:
    """spaCy's ``get_action`` for a state at pattern token ``pos`` and doc token ``i``."""
    quant, column, _ = tokens[pos]
    is_match = column < 0 or tests[column] >> i & 1 == 1
    is_final = tokens[pos + 1][0] == _FINAL
    if quant == _ZERO:
        is_match, quant = not is_match, _ONE
    if quant == _ONE:
        if is_match:
            return _MATCH if is_final else _ADVANCE
        return _REJECT
    if quant == _ZERO_PLUS:
        if is_match:
            return _MATCH_EXTEND if is_final else _RETRY_EXTEND
        return _MATCH_REJECT if is_final else _RETRY
    # _ZERO_ONE
    if is_match:
        return _MATCH_DOUBLE if is_final else _RETRY_ADVANCE
    return _MATCH_REJECT if is_final else _RETRY
