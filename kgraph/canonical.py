"""Canonicalisation: when two surface strings name the same entity.

All the rules live here, so the extractor, the graph builder and the query commands
agree on them.

Rules
-----
1. **Merge key** (:func:`canonical_key`): Unicode NFKD with accents dropped
   ("Fréchet" = "Frechet"), Greek letters spelled out (``β-VAE`` = ``beta-VAE``),
   ``+`` spelled ``plus`` (``PointNet++`` ≠ ``PointNet``), a decimal point between
   digits kept as ``p`` (``OPT-1.3B`` ≠ ``OPT-13B``), case folded, and every other
   character that is not a letter or a digit removed, so case, hyphen, dash,
   underscore and spacing variants coincide:
   ``ImageNet-1K``, ``ImageNet 1k`` and ``imagenet1k`` all give ``"imagenet1k"``;
   ``Kinetics400`` and ``Kinetics-400`` give ``"kinetics400"``.
2. **Plurals**: a final word ending in a lower-case ``s`` (not ``ss``) of length > 3
   loses it before the key is made (``CNNs`` = ``CNN``, ``Transformers`` =
   ``Transformer``); an upper-case final ``S`` is part of an acronym and stays
   (``3DGS``).
3. **Aliases**: a gazetteer entry's aliases (``IN-1K`` for ``ImageNet-1K``, ``K400`` for
   ``Kinetics-400``, ``MS COCO`` for ``COCO``) and an abbreviation with its long form (Schwartz & Hearst, see
   :mod:`kgraph.extract.abbreviations`) name one entity. Within a paper the extractor
   merges them; across papers the graph builder unions entities of one type that share
   any alias key (:func:`kgraph.graph.build.build_graph`).
4. **Versions stay distinct**: digits are part of the key, so ``ImageNet-1K`` and
   ``ImageNet-21K``, ``Kinetics-400`` and ``Kinetics-600`` have different keys; and two
   names whose keys differ only in their digits (:func:`versions_differ`: ``CIFAR-10``
   and ``CIFAR-100``) are never merged through a shared alias either. A surface string
   that names several entities of one paper (the slash list ``CIFAR-10/100``, which
   the gazetteer matcher reads as both versions) is an alias of each but a merge key of
   none. Splits are not versions: the gazetteer matcher folds ``COCO test-dev`` into
   ``COCO``.
5. **Canonical name** (:func:`choose_name`): the gazetteer's name when the gazetteer
   knows the entity; else the short form of an abbreviation pair; else the most
   frequent surface form, ties broken by first appearance, with a plural folded to its
   singular when the singular was also seen or the plural is an acronym's (``GANs``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Iterable, Sequence

__all__ = ["canonical_key", "strip_plural", "versions_differ", "choose_name"]

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_DECIMAL = re.compile(r"(?<=\d)\.(?=\d)")
_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu",
    "ν": "nu", "ξ": "xi", "ο": "omicron", "π": "pi", "ρ": "rho", "σ": "sigma", "ς": "sigma",
    "τ": "tau", "υ": "upsilon", "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
}
_SPELLED = str.maketrans({**_GREEK, "+": "plus"})
_LAST_WORD_PLURAL = re.compile(r"(?<=[A-Za-z0-9\u00C0-\u024F]{3})(?<!s)s$")


def strip_plural(text: str) -> str:
    """Drop a plural ``s`` from the last word of ``text`` (rule 2 of the module).

    Parameters
    ----------
    text : str

    Returns
    -------
    str
        ``text`` without its final lower-case ``s`` when the last word has more than
        three characters and does not end in ``ss``.

    Examples
    --------
    >>> strip_plural("CNNs"), strip_plural("Transformers"), strip_plural("3DGS")
    ('CNN', 'Transformer', '3DGS')
    >>> strip_plural("loss"), strip_plural("GANs"), strip_plural("IoUs")
    ('loss', 'GAN', 'IoU')
    """
    return _LAST_WORD_PLURAL.sub("", text.rstrip())


@lru_cache(maxsize=1 << 16)
def canonical_key(text: str) -> str:
    """The merge key of a name (rules 1 and 2 of the module).

    Parameters
    ----------
    text : str
        A surface string or canonical name.

    Returns
    -------
    str
        Lower-case ASCII letters and digits only; ``""`` when nothing is left.

    Notes
    -----
    Pure, and called for the same few strings again and again, so the results of
    the last 65,536 distinct strings are cached (``functools.lru_cache``).

    Examples
    --------
    >>> canonical_key("ImageNet-1K") == canonical_key("imagenet 1k") == "imagenet1k"
    True
    >>> canonical_key("Fréchet Inception Distance")
    'frechetinceptiondistance'
    >>> canonical_key("Kinetics-400") == canonical_key("Kinetics400")
    True
    >>> canonical_key("Kinetics-400") == canonical_key("Kinetics-600")
    False
    >>> canonical_key("PointNet++"), canonical_key("OPT-1.3B"), canonical_key("β-VAE")
    ('pointnetplusplus', 'opt1p3b', 'betavae')
    """
    # Normalise before the plural rule, so that composed and decomposed ("é" as one
    # code point or two) and compatibility forms ("Ⅻ" for "XII") of a name get one key.
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = strip_plural(text)
    text = _DECIMAL.sub("p", text.casefold().translate(_SPELLED))
    return _NON_ALNUM.sub("", text)


_DIGITS = re.compile(r"\d+")


def versions_differ(a: str, b: str) -> bool:
    """Whether two merge keys name different versions of one thing (rule 4).

    True when both keys hold digits, differ, and are equal once their digits are
    removed: the same stem with other version numbers.

    Parameters
    ----------
    a, b : str
        Merge keys (:func:`canonical_key`).

    Returns
    -------
    bool

    Examples
    --------
    >>> versions_differ("cifar10", "cifar100"), versions_differ("imagenet1k", "imagenet21k")
    (True, True)
    >>> versions_differ("imagenet1k", "imagenet"), versions_differ("cifar10", "cifar10")
    (False, False)
    >>> versions_differ("gpt4", "gpt4o")
    False
    """
    if a == b or not _DIGITS.search(a) or not _DIGITS.search(b):
        return False
    return _DIGITS.sub("", a) == _DIGITS.sub("", b)


def choose_name(surfaces: Sequence[str], *, gazetteer_name: str | None = None,
                short_forms: Iterable[str] = ()) -> str:
    """Pick the canonical name of an entity from its surface strings (rule 5).

    Parameters
    ----------
    surfaces : sequence of str
        Every mention's text, in order of appearance (repetitions count).
    gazetteer_name : str or None
        The gazetteer's canonical name, which wins when given.
    short_forms : iterable of str
        Surface strings that are the short form of an abbreviation definition.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        When ``surfaces`` is empty and no gazetteer name is given.

    Examples
    --------
    >>> choose_name(["convolutional neural networks", "CNNs", "CNN"], short_forms=["CNNs"])
    'CNN'
    >>> choose_name(["TecoGAN", "tecogan", "TecoGAN"])
    'TecoGAN'
    """
    if gazetteer_name:
        return gazetteer_name
    if not surfaces:
        raise ValueError("an entity needs at least one surface string")
    seen = set(surfaces)
    shorts = [s for s in short_forms if s]
    if shorts:
        short = shorts[0]
        single = strip_plural(short)
        return single if single != short else short
    counts = Counter(surfaces)
    best = max(counts, key=lambda s: (counts[s], -surfaces.index(s)))
    single = strip_plural(best)
    acronym_plural = len(best) > 1 and best[-2].isupper()
    if single != best and (single in seen or acronym_plural):
        return single
    return best
