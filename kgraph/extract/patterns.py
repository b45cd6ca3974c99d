"""Context patterns: names that no gazetteer knows, typed by the words around them.

Two parts:

1. :func:`mark_names` sets the token attribute ``token._.kg_name`` on tokens shaped
   like a name (``TecoGAN``, ``PRES``, ``ResNet-101``, ``ViT-L/16``, ``Ping-Pong``):
   an inner capital, letters mixed with digits, an acronym, or a capitalised word
   inside a sentence, unless listed in ``data/words/not_names.txt``. Connectors
   (``-``, ``/``, ``.``, ``+``) glued to name tokens on both sides, and a version
   number right after a name (``Llama 2``), join the name.
2. :class:`ContextMatcher` runs spaCy ``Matcher`` rules read from
   ``data/patterns/context.jsonl`` (one JSON object per line: ``id``, ``label``,
   ``pattern``, optional ``expand`` = ``left``/``right`` for coordinated lists, and
   ``proposed``). Pattern elements marked ``"entity": true`` are the entity; the rest
   is context. In ``IN`` lists, ``"@name"`` stands for the word list
   ``data/words/name.txt``.

Reference: spaCy rule-based matching, https://spacy.io/usage/rule-based-matching
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from kgraph.extract.gazetteer import CANDIDATES

__all__ = ["mark_names", "is_name_shaped", "word_list", "ContextRule", "load_rules",
           "ContextMatcher", "PROPOSED", "title_end"]

#: ``doc.spans`` group of spans that a rule marks as the paper's own contribution.
PROPOSED = "kgraph_proposed"

if not Token.has_extension("kg_name"):
    Token.set_extension("kg_name", default=False)

_DATA = resources.files("kgraph") / "data"
_INNER_UPPER = re.compile(r".[A-Z]")
_HAS_ALPHA = re.compile(r"[^\W\d_]")
_HAS_DIGIT = re.compile(r"\d")
_VERSION = re.compile(r"^(?:v?\d+(?:\.\d+)*[A-Za-z]?|[A-Z]{1,2}\d*)$")
_CONNECTORS = {"-", "/", ".", "+", "++"}


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
    if len(text) < 2 or not _HAS_ALPHA.search(text):
        return False
    if text in word_list("not_names"):
        return False
    if _INNER_UPPER.search(text) or (_HAS_DIGIT.search(text) and text[0].isalnum()):
        return True
    if text[0].isupper() and not (sentence_start or in_title):
        return True
    return False


def title_end(doc: Doc) -> int:
    """Character offset where the title ends (the first blank line), or ``len(doc.text)``.

    ``doc.text`` is rebuilt from the tokens on every access, so the offset is computed
    once per doc and kept in ``doc.user_data``.
    """
    cached = doc.user_data.get("kgraph_title_end")
    if cached is None:
        text = doc.text
        pos = text.find("\n\n")
        cached = doc.user_data["kgraph_title_end"] = len(text) if pos < 0 else pos
    return cached


def mark_names(doc: Doc) -> Doc:
    """Set ``token._.kg_name`` on name-shaped tokens of ``doc`` (see the module).

    Sentence starts are read from ``token.is_sent_start``; the title is the text
    before the first blank line.

    Parameters
    ----------
    doc : Doc

    Returns
    -------
    Doc
        The same doc, annotated in place.
    """
    t_end = title_end(doc)
    flags = [False] * len(doc)
    for i, tok in enumerate(doc):
        start = i == 0 or bool(tok.is_sent_start)
        flags[i] = not tok.like_url and is_name_shaped(tok.text, sentence_start=start,
                                                       in_title=tok.idx < t_end)
    # Connectors glued to names on both sides, and version numbers after a name.
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
    for tok, flag in zip(doc, flags):
        if flag:
            tok._.kg_name = True
    return doc


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
        ``"left"`` or ``"right"``: also take names coordinated with the match.
    proposed : bool
        What it finds is introduced by the paper.
    """

    id: str
    label: str
    pattern: list[dict[str, Any]]
    entity_elements: frozenset[int]
    expand: str | None = None
    proposed: bool = False


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
                                     entity, obj.get("expand"), bool(obj.get("proposed"))))
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as e:
            raise ValueError(f"{source}:{ln}: bad context rule: {e}") from None
    return rules


_COORD = {",", "and", "or", "&", "as", "well"}


class ContextMatcher:
    """spaCy component: mark names, run the context rules, add candidate spans.

    Candidates go to ``doc.spans["kgraph"]`` with ``label_`` the rule's type and
    ``id_`` ``"pattern:<rule id>"``; spans of ``proposed`` rules also go to
    ``doc.spans["kgraph_proposed"]``.

    Parameters
    ----------
    nlp : Language
    rules : list of ContextRule
    """

    def __init__(self, nlp: Language, rules: list[ContextRule]) -> None:
        self.rules = {r.id: r for r in rules}
        self.matcher = Matcher(nlp.vocab, validate=True)
        for rule in rules:
            self.matcher.add(rule.id, [rule.pattern], greedy="LONGEST")

    def __call__(self, doc: Doc) -> Doc:
        mark_names(doc)
        spans = list(doc.spans.get(CANDIDATES, []))
        proposed = list(doc.spans.get(PROPOSED, []))
        strings = doc.vocab.strings
        for match_id, start, end, align in self.matcher(doc, with_alignments=True):
            rule = self.rules[strings[match_id]]
            idx = [start + k for k, el in enumerate(align) if el in rule.entity_elements]
            while idx and (doc[idx[0]].is_punct or doc[idx[0]].is_space):
                idx.pop(0)
            while idx and (doc[idx[-1]].is_punct or doc[idx[-1]].is_space):
                idx.pop()
            if not idx:
                continue
            found = [(idx[0], idx[-1] + 1)]
            if rule.expand:
                found += _coordinated(doc, idx[0], idx[-1] + 1, rule.expand)
            for s, e in found:
                span = Span(doc, s, e, label=rule.label, span_id=f"pattern:{rule.id}")
                spans.append(span)
                if rule.proposed:
                    proposed.append(span)
        doc.spans[CANDIDATES] = spans
        doc.spans[PROPOSED] = proposed
        return doc


def _name_run(doc: Doc, i: int, step: int) -> tuple[int, int] | None:
    """The maximal run of name tokens starting at ``i`` going in ``step`` direction."""
    j = i
    while 0 <= j < len(doc) and doc[j]._.kg_name and not (step > 0 and j > i and doc[j].is_sent_start):
        j += step
    if j == i:
        return None
    return (j + 1, i + 1) if step < 0 else (i, j)


def _coordinated(doc: Doc, start: int, end: int, direction: str) -> list[tuple[int, int]]:
    """Names joined to ``doc[start:end]`` by commas and "and"/"or" ("X, Y and Z")."""
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
        i = end
        while i < len(doc) and doc[i].lower_ in _COORD:
            j = i
            while j < len(doc) and doc[j].lower_ in _COORD:
                j += 1
            run = _name_run(doc, j, 1) if j < len(doc) else None
            if run is None:
                break
            out.append(run)
            i = run[1]
    return out
