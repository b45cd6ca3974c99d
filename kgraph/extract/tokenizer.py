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
- a cache of :data:`CACHE_SIZE` chunks (spaCy's ``max_cache_size``), and
- the text kept in ``doc.user_data`` (:data:`TEXT`), because spaCy rebuilds
  ``doc.text`` from the tokens on every access; components read it with
  :func:`doc_text`.

The tokens are those of spaCy's tokenizer with the same rules: the cache changes
only how often the rules run. The tokenizer is registered as
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
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

__all__ = ["KgraphTokenizer", "create_tokenizer", "customize_tokenizer",
           "kgraph_suffix_search", "kgraph_prefix_search",
           "kgraph_infix_finditer", "doc_text", "CACHE_SIZE", "TEXT"]

#: Distinct chunks whose tokenization is cached (spaCy's default is 10,000). The
#: 74,668 abstracts of the shared arXiv sample have 531,000 distinct chunks; caching
#: them all took 100 MB more memory (about 190 bytes a chunk) and halved the time
#: spent tokenizing.
CACHE_SIZE = 500_000

#: ``doc.user_data`` key of the text the doc was made from (see :func:`doc_text`).
TEXT = "kgraph_text"


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
    return compile_suffix_regex(rules).search


#: LaTeX text commands arXiv abstracts keep: ``\\textit{``, ``\\emph{``, ``\\mathrm{``.
LATEX_COMMAND = r"\\[A-Za-z]+\{"


def kgraph_prefix_search(prefixes: Iterable[str]) -> Callable[[str], re.Match | None]:
    """spaCy's English prefix rules plus an opening LaTeX command (:data:`LATEX_COMMAND`).

    ``\\textit{ConvFormer},`` tokenizes as ``\\textit{``, ``ConvFormer``, ``}``, ``,``
    (spaCy's suffix rules already split the closing brace), so the name inside is a
    token of its own.

    Parameters
    ----------
    prefixes : iterable of str
        spaCy's prefix rules (``nlp.Defaults.prefixes``).

    Returns
    -------
    callable
        A compiled regex's ``search``, for ``Tokenizer.prefix_search``.
    """
    return compile_prefix_regex([LATEX_COMMAND, *map(str, prefixes)]).search


def kgraph_infix_finditer(infixes: Iterable[str]) -> Callable[[str], Iterable[re.Match]]:
    """spaCy's English infix rules plus ``|`` between two names.

    Tables flattened into abstracts list models as ``MobileNet-V1|ResNet-50|Swin-T``;
    without a split the whole run is one token and no name in it is found.

    Parameters
    ----------
    infixes : iterable of str
        spaCy's infix rules (``nlp.Defaults.infixes``).

    Returns
    -------
    callable
        A compiled regex's ``finditer``, for ``Tokenizer.infix_finditer``.
    """
    return compile_infix_regex([*map(str, infixes), r"\|"]).finditer


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
            spaCy's tokens; ``doc.user_data[TEXT]`` holds ``text``.
        """
        doc = super().__call__(text)
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
