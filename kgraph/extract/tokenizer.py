"""kgraph's tokenizer: spaCy's English rules, with a cache sized for a corpus.

spaCy's rule-based tokenizer [1]_ splits a text at whitespace into chunks and
tokenizes each chunk with prefix, suffix and infix rules, special cases and URL
matching, remembering the result for the next time the chunk is seen. That cache
holds 10,000 chunks by default and then stops growing; in kgraph's pipeline the
gazetteer's names fill it before the first abstract arrives, so almost every chunk
of every abstract went through the rules again. A corpus of abstracts has some
hundred thousand distinct chunks, the frequent ones over and over.

:class:`KgraphTokenizer` is spaCy's ``Tokenizer`` with

- kgraph's suffix rules (:func:`kgraph_suffix_search`: ``ImageNet-1K`` stays whole),
- LaTeX markup split from the words it wraps (:func:`kgraph_prefix_search`:
  ``\\textit{ConvFormer}`` → ``\\textit{``, ``ConvFormer``, ``}``) and ``|`` between
  names (:func:`kgraph_infix_finditer`: ``ResNet-50|ViT-B/16``), as arXiv abstracts
  write them,
- LaTeX's tie ``~`` (a non-breaking space, :data:`LATEX_TIE`) read as the space it
  prints: ``approach~(CoTTA)`` is tokenized as ``approach (CoTTA)``,
- a cache of :data:`CACHE_SIZE` chunks (spaCy's ``max_cache_size``), and
- the text kept in ``doc.user_data`` (:data:`TEXT`), because spaCy rebuilds
  ``doc.text`` from the tokens on every access; components read it with
  :func:`doc_text`.

The tokens are those of spaCy's tokenizer with the same rules (on the text with its
ties read as spaces): the cache changes only how often the rules run. The tokenizer is registered as
``kgraph.tokenizer.v1`` in spaCy's ``tokenizers`` registry, so a pipeline selects it
by config (``[nlp.tokenizer]``).

References
----------
.. [1] spaCy, "Tokenization", https://spacy.io/usage/linguistic-features#how-tokenizer-works
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

__all__ = ["KgraphTokenizer", "create_tokenizer", "customize_tokenizer",
           "kgraph_suffix_search", "kgraph_prefix_search", "kgraph_infix_finditer",
           "SuffixSearch", "InfixFinditer", "doc_text", "token_texts", "token_orths",
           "span_text", "CACHE_SIZE", "TEXT"]

#: Distinct chunks whose tokenization is cached (spaCy's default is 10,000). The
#: 74,668 abstracts of the shared arXiv sample have 531,000 distinct chunks; caching
#: them all took 100 MB more memory (about 190 bytes a chunk) and halved the time
#: spent tokenizing.
CACHE_SIZE = 500_000

#: ``doc.user_data`` key of the text the doc was made from (see :func:`doc_text`).
TEXT = "kgraph_text"

#: LaTeX's tie, ``~`` between two characters of text: ``approach~(CoTTA)``,
#: ``benchmark~\\cite{x}``, ``e.g.~8``. Not ``\\~n`` (an accent), ``/~user`` (a path) or
#: ``(~21%`` and `` ~200x`` (approximately). LaTeX prints a space there (Knuth, *The
#: TeXbook*, ch. 14, "ties").
LATEX_TIE = re.compile(r"(?<=[A-Za-z0-9.,;:)\]}])~(?=[A-Za-z0-9(\\\[{])")

#: ``doc.user_data`` key of the token texts and offsets (see :func:`token_texts`).
TOKEN_TEXTS = "kgraph_token_texts"


def kgraph_suffix_search(suffixes: Iterable[str]) -> Callable[[str], re.Match | None]:
    """spaCy's English suffix rules with version suffixes kept whole.

    spaCy's English suffix rules split a unit after a number (``5km`` → ``5``,
    ``km``), which also cuts ``ImageNet-1K`` into ``ImageNet-1`` and ``K`` while
    ``ImageNet-1k`` stays whole; names then tokenize differently by case and the
    gazetteer misses them. The unit rule here applies only when the number is not
    glued to a letter or a hyphen (``100K`` still splits). A full stop after such a
    name (``ImageNet-21K.``, ``GPT-4V.``, ``ViT.``, ``Tiny-ImageNet-R.``) is split off,
    which spaCy's rules, written for abbreviations such as ``U.S.``, do not do after a
    digit, a lower-case letter or a hyphen and a capital. See
    https://spacy.io/usage/linguistic-features#native-tokenizer-additions

    Parameters
    ----------
    suffixes : iterable of str
        spaCy's suffix rules (``nlp.Defaults.suffixes``).

    Returns
    -------
    callable
        A compiled regex's ``search``, for ``Tokenizer.suffix_search``.
    """
    guard = "".join(f"(?<![A-Za-z]\\d{{{k}}})(?<![A-Za-z]-\\d{{{k}}})" for k in range(1, 5))
    rules = []
    for rule in suffixes:
        rule = str(rule)
        if rule.startswith("(?<=[0-9])(?:km|"):
            rule = "(?<=[0-9])" + guard + rule[len("(?<=[0-9])"):]
        rules.append(rule)
    rules.append(r"(?<=[0-9][A-Z])\.")
    rules.append(r"(?<=[a-z][A-Z])\.")  # "ViT." ends a sentence; "U.S." stays
    rules.append(r"(?<=[A-Za-z0-9]-[A-Z])\.")  # "Tiny-ImageNet-R.", "ViT-B."
    return SuffixSearch(rules).search


# --- faster affix rules -----------------------------------------------------------------
#
# spaCy's suffix and infix rules are alternations of some hundred regular expressions
# that Python's regex engine tries one by one at every offset of a word: a third of the
# time spent on a word not seen before. What characters a rule can consume first or
# last is read from its parsed form (``re._parser``); a word that ends in (or holds) no
# such character is not tried against that rule. When the parse says anything unusual,
# the rule is kept for every word.

try:  # the regex parser of the standard library (Python 3.11+), for rule shapes
    from re import _parser as _re_parser
except ImportError:  # pragma: no cover - then every rule is tried on every word
    _re_parser = None

_ZERO_WIDTH = ("AT", "ASSERT", "ASSERT_NOT")

# A set of characters is kept as a tuple of code point ranges (first, last).
Chars = tuple[tuple[int, int], ...]


def _edge_chars(items, last: bool) -> tuple[Chars | None, bool]:
    """``(characters, may_be_empty)``: the characters the sequence of parsed regex
    ``items`` can consume first (``last=False``) or last, and whether it can consume
    none; ``None`` for "any character"."""
    found: list[tuple[int, int]] = []
    for op, av in (reversed(items) if last else items):
        name = str(op)
        if name in _ZERO_WIDTH:
            continue
        if name == "LITERAL":
            return (*found, (av, av)), False
        if name == "IN":
            chars = _class_chars(av)
            return (None, False) if chars is None else ((*found, *chars), False)
        if name == "SUBPATTERN":
            chars, empty = _edge_chars(av[3], last)
            if chars is None or av[1] or av[2]:  # unknown, or local flags
                return None, False
            found.extend(chars)
            if not empty:
                return tuple(found), False
            continue
        if name == "BRANCH":
            empty = False
            for alternative in av[1]:
                chars, maybe = _edge_chars(alternative, last)
                if chars is None:
                    return None, False
                found.extend(chars)
                empty = empty or maybe
            if not empty:
                return tuple(found), False
            continue
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _, item = av
            chars, empty = _edge_chars(item, last)
            if chars is None:
                return None, False
            found.extend(chars)
            if low > 0 and not empty:
                return tuple(found), False
            continue
        return None, False  # ANY, NOT_LITERAL, GROUPREF, ...: anything
    return tuple(found), True


def _class_chars(items) -> Chars | None:
    """The characters of a parsed character class, or ``None`` (negated, or a
    category such as ``\\d``)."""
    out = []
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            out.append((av, av))
        elif name == "RANGE":
            out.append(av)
        else:  # NEGATE, CATEGORY
            return None
    return tuple(out)


def _rule_chars(rule: str, last: bool) -> Chars | None:
    """What :func:`_edge_chars` says of a whole rule; ``None`` when the rule may
    consume nothing or anything, or does not parse plainly."""
    try:
        parsed = _re_parser.parse(rule)
    except Exception:  # noqa: BLE001 - any doubt (or no parser): the rule is tried on every word
        return None
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    chars, empty = _edge_chars(list(parsed), last)
    return None if empty else chars


def _in(char: str, chars: Chars) -> bool:
    code = ord(char)
    return any(lo <= code <= hi for lo, hi in chars)


def _char_class(chars: Chars) -> re.Pattern:
    """A regex matching one character of ``chars``."""
    return re.compile("[" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in chars) + "]")


class SuffixSearch:
    """``compile_suffix_regex(rules).search``, trying only the rules that can end a word.

    spaCy's suffix regex is ``rule1$|rule2$|...``. A rule can match a word only when
    it can consume the word's last character (``$`` also matches before a final
    newline: such words are searched with the full regex), so the rules are grouped
    by that character, in their order, and a word is searched with the group of its
    last character: the leftmost match and its span are those of the full regex.

    Parameters
    ----------
    rules : iterable of str
        Suffix rules, as for ``spacy.util.compile_suffix_regex``.

    Attributes
    ----------
    pattern : str
        The pattern of ``compile_suffix_regex(rules)``, which spaCy stores when it
        serialises the tokenizer (``search.__self__.pattern``).

    Examples
    --------
    >>> search = SuffixSearch([r"\\.", r"(?<=[0-9])km", r"\\.\\.+", "'s"]).search
    >>> [search(w).group() if search(w) else None for w in ["end.", "5km", "so...", "x"]]
    ['.', 'km', '...', None]
    """

    def __init__(self, rules: Iterable[str]) -> None:
        self._rules = [str(r) for r in rules if str(r).strip()]
        self._full = compile_suffix_regex(self._rules)
        self.pattern = self._full.pattern
        self._ends = [_rule_chars(r, last=True) for r in self._rules]
        self._by_char: dict[str, re.Pattern | None] = {}

    def _for(self, char: str) -> re.Pattern | None:
        rules = [r for r, ends in zip(self._rules, self._ends)
                 if ends is None or _in(char, ends)]
        found = self._by_char[char] = compile_suffix_regex(rules) if rules else None
        return found

    def search(self, text: str) -> re.Match | None:
        """The leftmost match of the suffix rules in ``text``.

        Parameters
        ----------
        text : str

        Returns
        -------
        re.Match or None
            A match with the span ``compile_suffix_regex(rules).search(text)`` has.
        """
        if not text or text[-1] == "\n":
            return self._full.search(text)
        last = text[-1]
        regex = self._by_char[last] if last in self._by_char else self._for(last)
        return None if regex is None else regex.search(text)


class InfixFinditer:
    """``compile_infix_regex(rules).finditer``, skipping words no rule can match in.

    A match begins with a character that a rule can consume first: a word holding
    none has no infix, and the others are searched with the full regex from the first
    such character on (the rules' lookbehinds still see the characters before it).

    Parameters
    ----------
    rules : iterable of str
        Infix rules, as for ``spacy.util.compile_infix_regex``.

    Attributes
    ----------
    pattern : str
        The pattern of ``compile_infix_regex(rules)``.
    """

    def __init__(self, rules: Iterable[str]) -> None:
        self._full = compile_infix_regex([str(r) for r in rules])
        self.pattern = self._full.pattern
        starts = [_rule_chars(str(r), last=False) for r in rules if str(r).strip()]
        self._starts = None if any(c is None for c in starts) \
            else _char_class(tuple(r for c in starts for r in c)).search

    def finditer(self, text: str):
        """The infix matches in ``text``, as ``compile_infix_regex(rules).finditer``.

        Parameters
        ----------
        text : str

        Returns
        -------
        iterator of re.Match
        """
        if self._starts is None:
            return self._full.finditer(text)
        first = self._starts(text)
        # no match starts before the first character a rule can begin with
        return iter(()) if first is None else self._full.finditer(text, first.start())


#: LaTeX text commands arXiv abstracts keep: ``\\textit{``, ``\\emph{``, ``\\mathrm{``.
LATEX_COMMAND = r"\\[A-Za-z]+\{"


#: A decimal number glued to a word with two capitals, as result tables flattened
#: into abstracts write a score: ``50.4AP``, ``42.3mAP``, ``28.1BLEU``. One capital
#: (``1.5B``, ``2.5D``) or a lower-case unit (``32.1dB``) stays glued.
GLUED_SCORE = r"\d+\.\d+(?=m?[A-Z][A-Za-z]*[A-Z])"


def kgraph_prefix_search(prefixes: Iterable[str]) -> Callable[[str], re.Match | None]:
    """spaCy's English prefix rules plus an opening LaTeX command (:data:`LATEX_COMMAND`)
    and a number glued to a metric name (:data:`GLUED_SCORE`).

    ``\\textit{ConvFormer},`` tokenizes as ``\\textit{``, ``ConvFormer``, ``}``, ``,``
    (spaCy's suffix rules already split the closing brace), so the name inside is a
    token of its own; ``50.4AP`` as ``50.4``, ``AP``.

    Parameters
    ----------
    prefixes : iterable of str
        spaCy's prefix rules (``nlp.Defaults.prefixes``).

    Returns
    -------
    callable
        A compiled regex's ``search``, for ``Tokenizer.prefix_search``.
    """
    return compile_prefix_regex([LATEX_COMMAND, GLUED_SCORE, *map(str, prefixes)]).search


#: An opening parenthesis glued between a word and a capital, as abstracts define a
#: short form with the space left out: ``block(HDTB)``. ``f(x)`` and ``(i)`` keep
#: spaCy's tokens.
GLUED_PARENTHESIS = r"(?<=[A-Za-z])\((?=[A-Z])"

#: A closing parenthesis glued to a dash and a word after it, and that dash, as
#: abstracts attach a defined short form to what follows: ``(RAG)-based``,
#: ``(VQ-TTT)-a lightweight module``. spaCy's hyphen rule splits a dash only between
#: letters, so ``RAG)-based`` was one token and the short form no token of its own.
#: Not after an opening parenthesis and one or two characters, an argument:
#: ``E(3)-equivariant``, ``SE(3)-Transformer``.
GLUED_CLOSING = (r"(?<=[A-Za-z0-9])(?<!\(\w)(?<!\(\w\w)\)(?=[-–—][A-Za-z])",
                 r"(?<=[A-Za-z0-9]\))(?<!\(\w\))(?<!\(\w\w\))[-–—](?=[A-Za-z])")


def kgraph_infix_finditer(infixes: Iterable[str]) -> Callable[[str], Iterable[re.Match]]:
    """spaCy's English infix rules plus ``|`` between two names, an opening
    parenthesis glued to the word before it (:data:`GLUED_PARENTHESIS`) and a closing
    one glued to a dash after it (:data:`GLUED_CLOSING`).

    Tables flattened into abstracts list models as ``MobileNet-V1|ResNet-50|Swin-T``;
    without a split the whole run is one token and no name in it is found. In
    ``block(HDTB)`` and ``(HDTB)-based`` the short form would likewise be no token of
    its own.

    Parameters
    ----------
    infixes : iterable of str
        spaCy's infix rules (``nlp.Defaults.infixes``).

    Returns
    -------
    callable
        :meth:`InfixFinditer.finditer` of those rules, for ``Tokenizer.infix_finditer``.
    """
    return InfixFinditer([*map(str, infixes), r"\|", GLUED_PARENTHESIS, *GLUED_CLOSING]).finditer


def customize_tokenizer(nlp: Language) -> Language:
    """Give ``nlp``'s tokenizer kgraph's prefix, suffix and infix rules.

    Parameters
    ----------
    nlp : Language
        A pipeline whose tokenizer is a spaCy ``Tokenizer``.

    Returns
    -------
    Language
        The same object, with its tokenizer's ``suffix_search`` replaced.
    """
    nlp.tokenizer.suffix_search = kgraph_suffix_search(nlp.Defaults.suffixes)
    nlp.tokenizer.prefix_search = kgraph_prefix_search(nlp.Defaults.prefixes)
    nlp.tokenizer.infix_finditer = kgraph_infix_finditer(nlp.Defaults.infixes)
    return nlp


class KgraphTokenizer(Tokenizer):
    """spaCy's ``Tokenizer`` that keeps the text of each doc in ``doc.user_data[TEXT]``.

    Takes the arguments of ``spacy.tokenizer.Tokenizer``; see the module for the
    rules and cache size :func:`create_tokenizer` gives it.

    Examples
    --------
    >>> config = {"nlp": {"tokenizer": {"@tokenizers": "kgraph.tokenizer.v1"}}}
    >>> nlp = spacy.blank("en", config=config)
    >>> doc = nlp.make_doc("Title\\n\\nWe use ImageNet-21K.")
    >>> [t.text for t in doc], doc_text(doc) == doc.text
    (['Title', '\\n\\n', 'We', 'use', 'ImageNet-21K', '.'], True)
    """

    def __call__(self, text: str) -> Doc:
        """Tokenize ``text``.

        Parameters
        ----------
        text : str

        Returns
        -------
        Doc
            spaCy's tokens of ``text`` with each LaTeX tie (:data:`LATEX_TIE`) read as a
            space; ``doc.user_data[TEXT]`` holds ``text`` itself, so spans slice the
            input exactly (``doc.text`` has the space).
        """
        doc = super().__call__(LATEX_TIE.sub(" ", text) if "~" in text else text)
        doc.user_data[TEXT] = text
        return doc


@spacy.registry.tokenizers("kgraph.tokenizer.v1")
def create_tokenizer(cache_size: int = CACHE_SIZE) -> Callable[[Language], KgraphTokenizer]:
    """Registered factory of :class:`KgraphTokenizer` with the language's rules.

    Parameters
    ----------
    cache_size : int
        Distinct chunks cached (``Tokenizer.max_cache_size``).

    Returns
    -------
    callable
        ``nlp -> KgraphTokenizer``, as spaCy's ``[nlp.tokenizer]`` config expects;
        the rules are those of spaCy's ``spacy.Tokenizer.v1`` with
        :func:`kgraph_prefix_search`, :func:`kgraph_suffix_search` and
        :func:`kgraph_infix_finditer`.
    """
    default = spacy.registry.tokenizers.get("spacy.Tokenizer.v1")()

    def make(nlp: Language) -> KgraphTokenizer:
        rules = default(nlp)
        return KgraphTokenizer(
            nlp.vocab, rules=rules.rules,
            prefix_search=kgraph_prefix_search(nlp.Defaults.prefixes),
            suffix_search=kgraph_suffix_search(nlp.Defaults.suffixes),
            infix_finditer=kgraph_infix_finditer(nlp.Defaults.infixes),
            token_match=rules.token_match,
            url_match=rules.url_match, faster_heuristics=rules.faster_heuristics,
            max_cache_size=cache_size)

    return make


def doc_text(doc: Doc) -> str:
    """``doc.text``, read from ``doc.user_data`` when :class:`KgraphTokenizer` made the doc.

    Parameters
    ----------
    doc : Doc

    Returns
    -------
    str
    """
    text = doc.user_data.get(TEXT)
    return doc.text if text is None else text


def token_texts(doc: Doc) -> tuple[list[str], list[int], list[int]]:
    """The text and character offsets of every token, as plain lists, read once per doc.

    A loop over ``doc`` makes a ``Token`` object per token (about 1.5 µs each with
    the iteration); rules that only compare token texts read these lists instead.
    They are computed from the ``IDX`` and ``LENGTH`` arrays and the doc's text, and
    kept in ``doc.user_data`` (the doc's tokens are never changed after the
    tokenizer, so the lists stay valid).

    Parameters
    ----------
    doc : Doc

    Returns
    -------
    words : list of str
        ``[t.text for t in doc]``.
    starts : list of int
        ``[t.idx for t in doc]``, character offsets into :func:`doc_text`.
    ends : list of int
        ``[t.idx + len(t) for t in doc]``; ``ends[i] == starts[i + 1]`` exactly when
        token ``i`` has no trailing whitespace.

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("WideResNet-40 on CIFAR-10.")
    >>> token_texts(doc)[0]
    ['WideResNet-40', 'on', 'CIFAR-10', '.']
    """
    cached = doc.user_data.get(TOKEN_TEXTS)
    if cached is not None and len(cached[0]) == len(doc):
        return cached
    text = doc_text(doc)
    if len(doc):
        cols = doc.to_array(["IDX", "LENGTH"])
        starts = cols[:, 0].tolist()
        ends = (cols[:, 0] + cols[:, 1]).tolist()
    else:
        starts, ends = [], []
    words = [text[a:b] for a, b in zip(starts, ends)]
    doc.user_data[TOKEN_TEXTS] = cached = (words, starts, ends)
    return cached


#: ``doc.user_data`` key of the token ``ORTH`` ids (see :func:`token_orths`).
TOKEN_ORTHS = "kgraph_token_orths"


def token_orths(doc: Doc) -> list[int]:
    """The ``ORTH`` id (string store hash of the text) of every token, read once per doc.

    ``Doc.to_array`` costs about as much per column as a Python loop over the tokens
    (spaCy's compiled code is built with profiling hooks), and several components
    need the word of every token; they share this list, kept in ``doc.user_data``
    like :func:`token_texts`.

    Parameters
    ----------
    doc : Doc

    Returns
    -------
    list of int
        ``doc.to_array(ORTH).tolist()``.
    """
    cached = doc.user_data.get(TOKEN_ORTHS)
    if cached is not None and len(cached) == len(doc):
        return cached
    cached = doc.user_data[TOKEN_ORTHS] = doc.to_array(ORTH).tolist() if len(doc) else []
    return cached


def span_text(span: Span) -> str:
    """``span.text``, sliced from the doc's text.

    ``Span.text`` joins the texts of its tokens, making a ``Token`` object for each
    (about 1.3 µs for three tokens); the slice of :func:`doc_text` between the span's
    character offsets is the same string (a doc's text is its tokens' texts and
    trailing whitespace, in order) for a fifth of the cost.

    Parameters
    ----------
    span : Span

    Returns
    -------
    str
        ``span.text``.

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("We use ResNet-50 on ImageNet.")
    >>> span_text(doc[2:4]), span_text(doc[2:4]) == doc[2:4].text
    ('ResNet-50 on', True)
    """
    return doc_text(span.doc)[span.start_char:span.end_char]
