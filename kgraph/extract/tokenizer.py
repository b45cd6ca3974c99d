"""kgraph's tokenizer: spaCy's English rules, applied once per distinct chunk.

spaCy's rule-based tokenizer [1]_ first splits a text at whitespace into *chunks*
and then tokenizes each chunk on its own, with prefix, suffix and infix rules,
special cases and URL matching. Its cache of chunk tokenizations is small (10,000
entries) and, in kgraph's pipeline, already full of gazetteer names when the first
abstract arrives, so almost every chunk of an abstract is tokenized from scratch.

:class:`ChunkTokenizer` keeps spaCy's rules and spaCy's own tokenizer, but
remembers how each distinct chunk tokenizes (a cache of about :data:`CACHE_SIZE`
chunks) and builds the :class:`spacy.tokens.Doc` from the words
and spaces. Words repeat across abstracts ("the", "model", "ImageNet-1K."), so a
chunk is tokenized once and then looked up.

Whitespace is handled as spaCy's ``Tokenizer`` does (``_tokenize_affixes``): a
single space after a chunk becomes the trailing whitespace of its last token, and
every other run of whitespace (the blank line after the title, a second space)
becomes a token of its own.

The rules are those of :func:`customize_tokenizer`: spaCy's English defaults with
version suffixes such as ``ImageNet-1K`` kept whole.

The tokenizer is registered as ``kgraph.tokenizer.v1`` in spaCy's ``tokenizers``
registry, so a pipeline selects it by config (``[nlp.tokenizer]``).

References
----------
.. [1] spaCy, "Tokenization", https://spacy.io/usage/linguistic-features#how-tokenizer-works
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_suffix_regex
from spacy.vocab import Vocab

__all__ = ["ChunkTokenizer", "customize_tokenizer", "kgraph_suffix_search", "CACHE_SIZE",
           "TEXT"]

#: Distinct chunks whose tokenization is remembered (about 30 MB when full).
CACHE_SIZE = 200_000

#: ``doc.user_data`` key of the text the doc was made from (see :func:`doc_text`).
TEXT = "kgraph_text"

# A chunk, the single space that may follow it, then any further whitespace.
_RUN = re.compile(r"(\S+)( ?)(\s*)")
_LEADING_SPACE = re.compile(r"\s+")


def kgraph_suffix_search(suffixes: Iterable[str]) -> Callable[[str], re.Match | None]:
    """spaCy's English suffix rules with version suffixes kept whole.

    spaCy's English suffix rules split a unit after a number (``5km`` → ``5``,
    ``km``), which also cuts ``ImageNet-1K`` into ``ImageNet-1`` and ``K`` while
    ``ImageNet-1k`` stays whole; names then tokenize differently by case and the
    gazetteer misses them. The unit rule here applies only when the number is not
    glued to a letter or a hyphen (``100K`` still splits). A full stop after such a
    name (``ImageNet-21K.``, ``GPT-4V.``) is split off, which spaCy's rules, written
    for abbreviations such as ``U.S.``, do not do after a digit and a capital. See
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
    return compile_suffix_regex(rules).search


def customize_tokenizer(nlp: Language) -> Language:
    """Give ``nlp``'s spaCy tokenizer kgraph's suffix rules (:func:`kgraph_suffix_search`).

    Parameters
    ----------
    nlp : Language
        A pipeline whose tokenizer is spaCy's ``Tokenizer`` or a :class:`ChunkTokenizer`.

    Returns
    -------
    Language
        The same object, with its tokenizer's ``suffix_search`` replaced.
    """
    tokenizer = nlp.tokenizer
    if isinstance(tokenizer, ChunkTokenizer):
        tokenizer = tokenizer.rules
    tokenizer.suffix_search = kgraph_suffix_search(nlp.Defaults.suffixes)
    if isinstance(nlp.tokenizer, ChunkTokenizer):
        nlp.tokenizer.clear_cache()
    return nlp


class ChunkTokenizer:
    """Tokenize with a spaCy ``Tokenizer``, remembering each distinct chunk.

    The output equals ``rules(text)`` token for token (words, trailing spaces,
    character offsets), as long as no special case of ``rules`` spans whitespace
    (spaCy's English special cases do not).

    Parameters
    ----------
    vocab : Vocab
        The pipeline's vocabulary.
    rules : spacy.tokenizer.Tokenizer
        The tokenizer that tokenizes a chunk the first time it is seen.
    cache_size : int
        Distinct chunks remembered; when more are known, the older half is forgotten
        before the next text.

    Attributes
    ----------
    rules : spacy.tokenizer.Tokenizer

    Examples
    --------
    >>> nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "kgraph.tokenizer.v1"}}})
    >>> [t.text for t in nlp.tokenizer("Title\\n\\nWe use ImageNet-21K.")]
    ['Title', '\\n\\n', 'We', 'use', 'ImageNet-21K', '.']
    """

    def __init__(self, vocab: Vocab, rules: Tokenizer, cache_size: int = CACHE_SIZE) -> None:
        self.vocab = vocab
        self.rules = rules
        self.cache_size = cache_size
        self._cache: dict[str, tuple[tuple[str, ...], tuple[bool, ...]]] = {}

    def clear_cache(self) -> None:
        """Forget the chunks seen so far (call after changing :attr:`rules`)."""
        self._cache.clear()

    def _learn(self, chunks: list[str]) -> None:
        """Tokenize new chunks with :attr:`rules` and remember them.

        Chunks without whitespace are tokenized together, one per line: a call of
        spaCy's tokenizer has a fixed cost much larger than that of a chunk, and the
        line break between two chunks is a token of its own, which no special case
        spans, so each chunk tokenizes as it would alone.
        """
        cache = self._cache
        words = [t.text for t in self.rules("\n".join(c for c in chunks if not c.isspace()))]
        words.append("\n")
        k = 0
        for chunk in chunks:
            if chunk.isspace():
                found = tuple(t.text for t in self.rules(chunk))
            else:
                end = words.index("\n", k)
                found = tuple(words[k:end])
                k = end + 1
            cache[chunk] = (found, (False,) * (len(found) - 1))

    def __call__(self, text: str) -> Doc:
        """Tokenize ``text``.

        Parameters
        ----------
        text : str

        Returns
        -------
        Doc
            With ``doc.text == text``; ``doc.user_data[TEXT]`` holds ``text``.
        """
        cache = self._cache
        if len(cache) > self.cache_size:
            # forget the older half (dicts keep insertion order)
            for key in list(cache)[:len(cache) // 2]:
                del cache[key]
        lead = _LEADING_SPACE.match(text)
        pos = 0 if lead is None else lead.end()
        runs = _RUN.findall(text, pos)
        new = {c for c, _, _ in runs if c not in cache}
        new.update(r for _, _, r in runs if r and r not in cache)
        if lead is not None and lead.group() not in cache:
            new.add(lead.group())
        if new:
            self._learn(sorted(new))
        words: list[str] = []
        spaces: list[bool] = []
        if lead is not None:  # whitespace opening the text is a token, even " "
            w, s = cache[lead.group()]
            words.extend(w)
            spaces.extend(s)
            spaces.append(False)
        for chunk, space, rest in runs:
            w, s = cache[chunk]
            words.extend(w)
            spaces.extend(s)
            spaces.append(space == " ")
            if rest:
                w, s = cache[rest]
                words.extend(w)
                spaces.extend(s)
                spaces.append(False)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data[TEXT] = text
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        """Tokenize a stream of texts (``batch_size`` is accepted for spaCy's API)."""
        for text in texts:
            yield self(text)

    def to_bytes(self, **kwargs) -> bytes:
        """Serialize the rules (spaCy's ``Tokenizer.to_bytes``)."""
        return self.rules.to_bytes(**kwargs)

    def from_bytes(self, data: bytes, **kwargs) -> "ChunkTokenizer":
        """Load the rules (spaCy's ``Tokenizer.from_bytes``) and forget the cache."""
        self.rules.from_bytes(data, **kwargs)
        self.clear_cache()
        return self

    def to_disk(self, path, **kwargs) -> None:
        """Save the rules (spaCy's ``Tokenizer.to_disk``)."""
        self.rules.to_disk(path, **kwargs)

    def from_disk(self, path, **kwargs) -> "ChunkTokenizer":
        """Load the rules (spaCy's ``Tokenizer.from_disk``) and forget the cache."""
        self.rules.from_disk(path, **kwargs)
        self.clear_cache()
        return self


@spacy.registry.tokenizers("kgraph.tokenizer.v1")
def create_tokenizer(cache_size: int = CACHE_SIZE) -> Callable[[Language], ChunkTokenizer]:
    """Registered factory: spaCy's default tokenizer with kgraph's rules, chunk-cached.

    Parameters
    ----------
    cache_size : int
        See :class:`ChunkTokenizer`.

    Returns
    -------
    callable
        ``nlp -> ChunkTokenizer``, as spaCy's ``[nlp.tokenizer]`` config expects.
    """
    default = spacy.registry.tokenizers.get("spacy.Tokenizer.v1")()

    def make(nlp: Language) -> ChunkTokenizer:
        rules = default(nlp)
        rules.suffix_search = kgraph_suffix_search(nlp.Defaults.suffixes)
        return ChunkTokenizer(nlp.vocab, rules, cache_size)

    return make


def doc_text(doc: Doc) -> str:
    """``doc.text``, read from ``doc.user_data`` when :class:`ChunkTokenizer` made the doc.

    spaCy rebuilds ``doc.text`` from the tokens on every access; the components call
    this instead.

    Parameters
    ----------
    doc : Doc

    Returns
    -------
    str
    """
    text = doc.user_data.get(TEXT)
    return doc.text if text is None else text
