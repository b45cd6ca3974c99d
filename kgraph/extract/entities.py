"""From candidate spans to the entities of one paper.

The candidate components (gazetteer, abbreviations, context patterns) only propose
spans. :func:`resolve_entities` decides, in this order:

1. **Type of each span.** A gazetteer type wins; when a name is in two gazetteers
   (``MAE``: masked autoencoder or mean absolute error) the type a context pattern
   or an abbreviation definition also gives wins, else the first in
   ``TYPE_PRIORITY``. Without a gazetteer type, an abbreviation's type wins, then the
   pattern's. A metric named by an everyday word (``data/words/generic_metrics.txt``:
   "accuracy", "parameters") needs evidence of a measurement within four tokens in
   its sentence — a number or a word of ``data/words/metric_evidence.txt`` ("fewer
   parameters", "accuracy gains") — and an ambiguous name is a metric only with
   that evidence.
2. **Overlaps.** Longest span first (then gazetteer before abbreviation before
   pattern); a span overlapping one already kept is dropped. This is spaCy's
   ``filter_spans`` policy with a source tie-break.
3. **Grouping.** Spans of one type with the same merge key
   (:func:`kgraph.canonical.canonical_key` of the gazetteer name, else of the
   text) form one entity; an abbreviation and its long form join the same entity. A
   task found only by the title rule whose text is a span of a method the paper
   defines by an abbreviation or a proposal rule marks is that method, and dropped as
   a task. A task written with a defined short form ("biomedical RE") joins the task
   written out ("biomedical relation extraction"). A one-word name joins the name of
   several words it spells when the two stand together without a parenthesis ("SHViT,
   a Single-Head Vision Transformer") or the long form is the title's name
   (:func:`_join_spelled_names`). A method draft whose name the paper
   also calls a dataset ("the EgoEvGesture dataset") joins that dataset
   (:func:`_one_sense_for_datasets`). A task whose name ends another task of the
   paper ("object detection" beside "open-vocabulary object detection", or a bare
   "segmentation") is a mention of that task (:func:`_merge_bare_tasks`).
4. **Propagation.** Every other occurrence of a name-shaped alias in the paper becomes
   a mention too (rule ``"propagated"``), so provenance lists all places.
5. **Proposed.** A method or dataset is proposed when one of its spans lies in a span
   marked by a proposal rule (``doc.spans["kgraph_proposed"]``); when it is an
   abbreviation the gazetteer does not know whose long form the title spells ("Robust
   Mean Teacher for ..." and "robust mean teacher (RMT)"); when it is a method the
   gazetteer does not know that the paper defines with an abbreviation once it has
   begun to present its work (from the first abstract sentence with a proposal cue
   on), unless the definition names a class ("spiking neural networks (SNNs)",
   "online social networks (OSN)"); or when it is a method
   named after a proposed one plus a variant suffix (``DiMR-XL`` of ``DiMR``,
   ``CvT-W24`` of ``CvT``); or when it is a dataset that is the object of a verb of
   making in the paper's own voice ("we construct the Uni-STG dataset", "we created a
   large-scale dataset, 360SPR"; :func:`_created_here`); or when it is a named part
   that a proposed method "consists of" or "comprises" (:func:`_proposed_parts`); or
   when the paper links a code repository of its name ("FreeNet ... is proposed ...
   Code: https://github.com/Z-Zheng/FreeNet", :func:`_propose_repository_names`).
   Only a proposal rule makes an entity proposed when its
   abbreviation definition is worded as earlier work ("the recently proposed
   Kolmogorov-Arnold Network (KAN)"); a method family never is. Metrics and tasks are
   never "proposed" (``PROPOSES`` links a paper to a Method or Dataset).
6. **Common words.** A guess that is one capitalised word, capitalised only by its
   place (title, sentence start, a Title Case phrase), that the paper also writes in
   lower case and does not propose, is dropped: "Deep Learning models" names no
   method "Learning" (:func:`_common_word`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kgraph.canonical import canonical_key, choose_name, strip_plural
from kgraph.extract.abbreviations import spells
from kgraph.extract.gazetteer import CANDIDATES
from kgraph.extract.refine import NAME_LIKE, refine_candidates
from kgraph.extract.patterns import (ABBREVIATIONS, PROPOSED, appositive_type, head_types,
                                     in_word_list, is_name_shaped, title_end, title_separator,
                                     word_list)
from kgraph.extract.tokenizer import doc_text, span_text, token_texts
from kgraph.extract.urls import find_urls, repository_url
from kgraph.model import Entity, EntityType, Mention

__all__ = ["ABBREVIATIONS", "PRIOR_WORK", "TYPE_PRIORITY", "EntityDraft", "resolve_entities", "sentence_index",
           "has_metric_evidence", "draft_to_entity", "joined_to_next"]

#: ``doc.user_data`` key holding the ``(start, end)`` token offsets of the short forms
#: whose definition names earlier work ("the recently proposed ... (KAN)").
PRIOR_WORK = "kgraph_prior_work"

#: Order in which a type is chosen when the evidence ties.
TYPE_PRIORITY = (EntityType.DATASET, EntityType.METRIC, EntityType.METHOD, EntityType.TASK)

#: Types a paper can introduce (``PROPOSES`` targets).
PROPOSABLE = frozenset({EntityType.METHOD, EntityType.DATASET})

_TYPE_VALUES = frozenset(t.value for t in TYPE_PRIORITY)
# (type, its value) in TYPE_PRIORITY order: Enum.value is a property, slow in loops
_PRIORITY_VALUES = tuple((t, t.value) for t in TYPE_PRIORITY)
_METRIC = EntityType.METRIC.value

_SOURCE_RANK = {"gazetteer": 0, "abbreviation": 1, "title": 2, "pattern": 3, "user": 0}


def _source(span: Span) -> str:
    return span.id_.split(":", 1)[0]


@dataclass
class EntityDraft:
    """An entity while it is being assembled: its type, spans and evidence."""

    type: EntityType
    key: str
    spans: list[Span] = field(default_factory=list)
    gazetteer_name: str | None = None
    short_forms: list[str] = field(default_factory=list)
    proposed: bool = False
    #: Surfaces that name this entity only inside this paper ("segmentation" for its
    #: semantic segmentation): kept as mentions, never as aliases, so they cannot
    #: merge entities across papers.
    local_surfaces: set[str] = field(default_factory=set)
    #: An abbreviation definition of the entity names earlier work ("the recently
    #: proposed Kolmogorov-Arnold Network (KAN)"), so it is not the paper's own.
    earlier_work: bool = False


def sentence_index(doc: Doc) -> list[int]:
    """Sentence number of every token (title = 0), from ``token.is_sent_start``.

    Parameters
    ----------
    doc : Doc

    Returns
    -------
    list of int
        One entry per token.
    """
    out, n = [], -1
    for i, tok in enumerate(doc):
        if i == 0 or tok.is_sent_start:
            n += 1
        out.append(n)
    return out


_WINDOW = 4
_NUMBER = re.compile(r"\d")


def has_metric_evidence(span: Span, window: int = _WINDOW) -> bool:
    """Whether a number or a measurement word stands near ``span`` in its sentence.

    Parameters
    ----------
    span : Span
    window : int
        Tokens looked at on each side.

    Returns
    -------
    bool
    """
    doc = span.doc
    evidence = word_list("metric_evidence")
    # a count next to a cost measure ("410M parameters") describes a model
    numbers = not in_word_list("cost_metrics", span.text, span.kb_id_)
    sent = span.sent
    lo, hi = max(sent.start, span.start - window), min(sent.end, span.end + window)
    return any(doc[i].lower_ in evidence or (numbers and _NUMBER.search(doc[i].text))
               for i in [*range(lo, span.start), *range(span.end, hi)])


def _needs_evidence(span: Span) -> bool:
    """The span, or the gazetteer entry it names, is an everyday metric word
    (``data/words/generic_metrics.txt``): "model parameters" names "parameters"."""
    return in_word_list("generic_metrics", span.text, span.kb_id_)


def _compound_modifier(span: Span) -> bool:
    """A generic metric word names part of something else: the next word is a noun of
    ``data/words/metric_compound_heads.txt`` ("memory bank", "memory access")."""
    doc = span.doc
    return span.end < len(doc) and _needs_evidence(span) and \
        strip_plural(doc[span.end].lower_) in word_list("metric_compound_heads")


def _choose_type(cands: list[Span]) -> tuple[EntityType, list[Span]] | None:
    by_source: dict[str, list[Span]] = {}
    for c in cands:
        by_source.setdefault(_source(c), []).append(c)
    gaz = by_source.get("gazetteer", []) + by_source.get("user", [])
    other_types = {c.label_ for c in cands if _source(c) not in ("gazetteer", "user")}
    if gaz:
        types = {c.label_ for c in gaz}
        if _METRIC in types and (len(types) > 1 or _needs_evidence(gaz[0])) \
                and _METRIC not in other_types \
                and (not has_metric_evidence(gaz[0]) or _compound_modifier(gaz[0])):
            types.discard(_METRIC)
            gaz = [c for c in gaz if c.label_ != _METRIC]
            if not types:
                return None
        agreed = [t for t, v in _PRIORITY_VALUES if v in types and v in other_types]
        pick = agreed[0] if agreed else next(t for t, v in _PRIORITY_VALUES if v in types)
        # one span can name several entries (a slash list "CIFAR-10/100")
        named = {c.kb_id_: c for c in gaz if c.label_ == pick.value}
        return pick, list(named.values())
    for src in ("abbreviation", "title", "pattern"):
        found = by_source.get(src)
        if found:
            types = {c.label_ for c in found}
            pick = next(t for t, v in _PRIORITY_VALUES if v in types)
            # a version list ("UVG8/17") names one entity per version
            named = {c.kb_id_: c for c in found if c.label_ == pick.value}
            if len(named) > 1:
                named.pop("", None)
            return pick, list(named.values())
    raise ValueError("no candidate")  # pragma: no cover - callers pass non-empty lists


def _select_spans(doc: Doc) -> list[tuple[EntityType, Span]]:
    """Steps 1 and 2: one typed span per kept token range, no overlaps."""
    by_range: dict[tuple[int, int], list[Span]] = {}
    for span in doc.spans.get(CANDIDATES, []):
        if span.label_ in _TYPE_VALUES:
            by_range.setdefault((span.start, span.end), []).append(span)
    ranked = []
    for (start, end), cands in by_range.items():
        chosen = _choose_type(cands)
        if chosen is None:
            continue
        etype, best = chosen
        rank = min(_SOURCE_RANK.get(_source(c), 9) for c in cands)
        ranked.append((-(end - start), rank, start, end, etype, best))
    ranked.sort(key=lambda r: r[:3])
    taken = [False] * len(doc)
    kept = []
    for _, _, start, end, etype, spans in ranked:
        if any(taken[start:end]):
            continue
        for i in range(start, end):
            taken[i] = True
        kept.extend((etype, span) for span in spans)
    kept.sort(key=lambda x: x[1].start)
    return kept


def _is_valid(span: Span) -> bool:
    text = span_text(span).strip()
    stop = word_list("not_entities")
    if len(text) < 2 or text.lower() in stop or strip_plural(text).lower() in stop:
        return False
    if _DIMENSION.match(text):
        return False  # "3D metrics", "2D data": a property, not a name
    if _LATEX_NOT_NAME.match(text):
        return False  # "270$\times$", "0.80$\pm$0.02", "a$_1", "\SysName": no name
    # a piece of a formula, "Omega(k^2d": brackets that do not close are not a name
    if any(text.count(a) != text.count(b) for a, b in _BRACKETS):
        return False
    return any(ch.isalpha() for ch in text)


def _names_a_language(span: Span) -> bool:
    """A span made only of words of ``data/words/languages.txt``, split at spaces and
    hyphens: "the Vietnamese dataset", "a Persian-language benchmark", "Urdu-English
    pairs" say what language the data is in; "Swedish Leaf" and "Bangla BERT" name
    something."""
    words = [w for w in _LANGUAGE_SPLIT.split(span_text(span)) if w]
    # an upper-case acronym is a name: "SCRIPT", "TWI" (Teacher Weight Integration)
    return all(w.lower() in word_list("languages") and not w.isupper() for w in words)


_LANGUAGE_SPLIT = re.compile(r"[\s-]+")


def _names_a_study(span: Span) -> bool:
    """A task span made of a study word (``data/words/study_words.txt``: "analysis",
    "evaluation") and only adjectives of ``data/words/study_modifiers.txt`` before it:
    "A Comparative Analysis", "an empirical analysis" name the kind of study a paper
    is, not the problem it addresses ("time series analysis" does)."""
    words = span_text(span).lower().split()
    study = word_list("study_words")
    return len(words) > 1 and (words[-1] in study or strip_plural(words[-1]) in study) \
        and all(w in word_list("study_modifiers") for w in words[:-1])


_BRACKETS = (("(", ")"), ("[", "]"), ("{", "}"))
#: LaTeX that is no name: a number or a one-letter variable going into mathematics
#: ("270$\times$", "88.52$^\circ$", "a$_1"), and a macro the abstract left unexpanded
#: ("\SysName", "\ourmodel-7B": the name is not in the text). A Greek letter opening a
#: name ("\gamma$-PO", "\mu$P") is part of it.
_LATEX_NOT_NAME = re.compile(
    r"^(?:[\d.,]+\$|[a-z]\$|\\(?!(?i:alpha|beta|gamma|delta|epsilon|varepsilon|zeta|eta|"
    r"theta|iota|kappa|lambda|mu|nu|xi|pi|rho|sigma|tau|upsilon|phi|varphi|chi|psi|omega)"
    r"(?![A-Za-z]))[A-Za-z]+)")
#: A dimension alone ("3D", "2.5D"), name-shaped by its digit but never an entity.
_DIMENSION = re.compile(r"^\d(?:\.\d)?D$")


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[tuple, tuple] = {}

    def find(self, x: tuple) -> tuple:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: tuple, b: tuple) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def resolve_entities(doc: Doc) -> list[EntityDraft]:
    """Turn the candidate spans of ``doc`` into entity drafts (steps 1–6 of the module).

    Parameters
    ----------
    doc : Doc
        Processed by the candidate components.

    Returns
    -------
    list of EntityDraft
        In order of first mention.
    """
    refine_candidates(doc)
    kept = [(t, s) for t, s in _select_spans(doc)
            if _is_valid(s) and not _names_a_language(s)
            and not (t is EntityType.TASK and _names_a_study(s))]
    uf = _UnionFind()

    def node(etype: EntityType, span: Span) -> tuple[EntityType, str]:
        return (etype, canonical_key(span.kb_id_ or span_text(span)))

    for etype, span in kept:
        uf.find(node(etype, span))
    short_forms: set[tuple[int, int]] = set()
    prior = doc.user_data.get(PRIOR_WORK, set())
    chosen = {(s.start, s.end): (t, s) for t, s in kept}
    for short, long_ in doc.user_data.get(ABBREVIATIONS, []):
        a = chosen.get((short.start, short.end))
        b = chosen.get((long_.start, long_.end))
        if a:
            short_forms.add((short.start, short.end))
            # other mentions of the short form join its entity even when the
            # definition took a gazetteer name: "image style transfer (ST)", "ST backbones"
            uf.union(node(*a), (a[0], canonical_key(span_text(short))))
        if a and b and a[0] is b[0]:
            uf.union(node(*a), node(*b))
        elif a and not b:
            # the long form lost an overlap or was never typed: still an alias key
            uf.union(node(*a), (a[0], canonical_key(long_.text)))

    # an abbreviated task is named by its written-out form, as a short form is
    short_forms |= _join_abbreviated_tasks(doc, kept, uf, node)
    short_forms |= _join_spelled_names(doc, kept, uf, node)
    drafts: dict[tuple, EntityDraft] = {}
    for etype, span in kept:
        root = uf.find(node(etype, span))
        d = drafts.get(root)
        if d is None:
            d = drafts[root] = EntityDraft(type=etype, key=root[1])
        d.spans.append(span)
        if span.kb_id_ and not d.gazetteer_name:
            d.gazetteer_name = span.kb_id_
        if (span.start, span.end) in short_forms:
            d.short_forms.append(span.text)
            d.earlier_work = d.earlier_work or (span.start, span.end) in prior

    _merge_bare_tasks(drafts)
    _merge_bare_metrics(drafts)
    _drop_titled_methods(doc, drafts)
    _one_sense_for_datasets(doc, drafts)
    _propagate(doc, list(drafts.values()))
    proposed = [(s.start, s.end) for s in doc.spans.get(PROPOSED, [])]
    # definitions by whether they modify the next word, by short form: (start, end)
    joined = {(short.start, short.end): joined_to_next(short)
              for short, _ in doc.user_data.get(ABBREVIATIONS, [])}
    modifiers = [(long_.start, short.end) for short, long_ in doc.user_data.get(ABBREVIATIONS, [])
                 if joined[short.start, short.end]]
    title_key = canonical_key(doc_text(doc)[:title_end(doc)])
    for d in drafts.values():
        d.proposed = d.type in PROPOSABLE and not _is_family(d) and (
            _proposal_span(d, proposed, modifiers)
            or not d.earlier_work and (
                (not d.gazetteer_name and _long_form_in_title(doc, d, title_key))
                or (d.type is EntityType.METHOD and _defined_here(d, joined)
                    and not _background(doc, d))
                or (d.type is EntityType.METHOD and _opens_title(doc, d))
                or (d.type is EntityType.DATASET and _created_here(doc, d))))
        d.spans.sort(key=lambda s: s.start)
        if d.gazetteer_name:
            d.key = canonical_key(d.gazetteer_name)
    _proposed_parts(doc, list(drafts.values()))
    _propose_variants(list(drafts.values()))
    _propose_repository_names(doc, list(drafts.values()))
    lower = _lower_case_words(doc)
    return sorted((d for d in drafts.values() if not _common_word(doc, d, lower)),
                  key=lambda d: d.spans[0].start)


_PLAIN_CAPITALISED = re.compile(r"^[A-Z][a-z]+$")


def _lower_case_words(doc: Doc) -> set[str]:
    """The all-lower-case alphabetic tokens of ``doc`` (URL tokens are one token each)."""
    return {w for w in token_texts(doc)[0] if w.isalpha() and w.islower()}


def _common_word(doc: Doc, d: EntityDraft, lower: set[str]) -> bool:
    """A guess that is one capitalised word the paper also writes in lower case, and
    whose capital only the position explains, is that word, not a name: "Deep Learning
    models" (method "Learning" from the cue "models") beside "learning", "Signal and
    Image processing" beside "image", a sentence that starts "Time series ..." beside
    "time". A name capitalised on its own mid-sentence stays ("the recently proposed
    Learngene framework" beside "termed as learngene").

    Only drafts no gazetteer entry or definition backs, that the paper does not
    propose (a coined name may also be used as a noun: "Hypertokens ... the
    hypertokens"), and whose every mention is that one word count.

    Parameters
    ----------
    doc : Doc
    d : EntityDraft
    lower : set of str
        :func:`_lower_case_words` of ``doc``.

    Returns
    -------
    bool
    """
    if d.proposed or d.gazetteer_name or d.short_forms or d.type is EntityType.TASK \
            or any(_source(s) in ("gazetteer", "abbreviation", "user") for s in d.spans):
        return False
    if not all(_capital_by_position(doc, s) for s in d.spans):
        return False
    texts = {span_text(s) for s in d.spans}
    return all(_PLAIN_CAPITALISED.match(t) and t.lower() in lower for t in texts)


def _capital_by_position(doc: Doc, span: Span) -> bool:
    """Whether the span is in the title, starts a sentence, or stands next to another
    capitalised word (a Title Case phrase): places where any word is capitalised."""
    i = span.start
    if doc[i].idx < title_end(doc) or doc[i].is_sent_start:
        return True
    before = doc[i - 1].text if i > 0 else ""
    after = doc[span.end].text if span.end < len(doc) else ""
    return before[:1].isupper() or after[:1].isupper()


def _join_abbreviated_tasks(doc: Doc, kept: list[tuple[EntityType, Span]], uf: _UnionFind,
                            node) -> set[tuple[int, int]]:
    """A task written with a short form the paper defines joins the task written out.

    With "relation extraction (RE)" defined, "biomedical RE" and "biomedical relation
    extraction" are one task; so are "3D HPE" and "3D human pose estimation". The
    short form's token is replaced by its long form and the merge keys compared.
    Returns the token ranges of the abbreviated spans that joined.
    """
    joined: set[tuple[int, int]] = set()
    pairs = doc.user_data.get(ABBREVIATIONS, [])
    if not pairs:
        return joined
    longs = {short.text: long_.text for short, long_ in pairs}
    tasks = [span for etype, span in kept if etype is EntityType.TASK and span.end - span.start > 1]
    if not tasks:
        return joined
    keys = {node(EntityType.TASK, span) for span in tasks}
    words, starts, ends = token_texts(doc)
    text = doc_text(doc)
    for span in tasks:
        for k in range(span.start, span.end):
            long_ = longs.get(words[k])
            if long_ is None:
                continue
            written = text[starts[span.start]:starts[k]] + long_ + text[ends[k]:ends[span.end - 1]]
            other = (EntityType.TASK, canonical_key(written))
            if other in keys:
                uf.union(node(EntityType.TASK, span), other)
                joined.add((span.start, span.end))
    return joined


#: Tokens that may stand between a name and the written-out name it spells in one
#: sentence: "SHViT, a Single-Head Vision Transformer".
_SPELLED_GAP = 6

#: A name that can spell a long form: letters, digits and inner hyphens only, so that
#: what the long form cannot spell ("++" of "NeRV++") makes no short form.
_SPELLED_SHORT = re.compile(r"^[^\W_]+(?:-[^\W_]+)*$")


def _join_spelled_names(doc: Doc, kept: list[tuple[EntityType, Span]], uf: _UnionFind,
                        node) -> set[tuple[int, int]]:
    """A one-word name and the written-out name it spells are one entity.

    Without a parenthesis, a paper still pairs a name with its long form: "we
    introduce SHViT, a Single-Head Vision Transformer", or the title "Channel Vision
    Transformers: ..." with "ChannelViT" in the abstract. A one-word method or dataset
    name with two capitals or more joins a name of several words of the same type
    that it spells
    (:func:`kgraph.extract.abbreviations.spells`, Schwartz and Hearst's matching)
    when neither is a gazetteer name ("GSsplat" is no "Gaussian Splatting") and the
    two stand within ``_SPELLED_GAP`` tokens of each other in one sentence, or the
    long form is the title's name (all of the title before its colon or dash). Far
    apart, a spelling alone is weak evidence ("ViT" spells "Video Transformer" too).
    Returns the token ranges of the one-word names that joined, which then count as
    short forms.
    """
    joined: set[tuple[int, int]] = set()
    names = [(t, s) for t, s in kept if t in PROPOSABLE]
    shorts = [(t, s) for t, s in names if not s.kb_id_ and _SPELLED_SHORT.match(span_text(s))
              and sum(ch.isupper() for ch in s.text) >= 2]
    if not shorts:
        return joined
    longs = [(t, s) for t, s in names if not s.kb_id_ and len(span_text(s).split()) > 1]
    if not longs:
        return joined
    sentences = sentence_index(doc)
    sep = title_separator(doc, title_end(doc))
    pairs: dict[tuple, list[tuple[EntityType, Span, Span]]] = {}
    for t, short in shorts:
        for lt, long_ in longs:
            if lt is not t:
                continue
            near = (sentences[short.start] == sentences[long_.start]
                    and max(short.start, long_.start) - min(short.end, long_.end) <= _SPELLED_GAP)
            titled = sep is not None and long_.start == 0 and long_.end == sep.i
            if (near or titled) and spells(span_text(short), span_text(long_)):
                pairs.setdefault(node(t, long_), []).append((t, short, long_))
    for found in pairs.values():
        # two names spelling one long form ("NeRV" and "NeRV++" both near "neural
        # representations for videos") are a family and its version: join neither
        if len({node(t, short) for t, short, _ in found}) > 1:
            continue
        for t, short, long_ in found:
            uf.union(node(t, short), node(t, long_))
            text = span_text(short)
            # a short form names the entity, in the singular; a name ending in a
            # lower-case "s" ("CADTrans") may be no plural, so it is no short form
            if strip_plural(text) == text or not text[-2].islower():
                joined.add((short.start, short.end))
    return joined


def _drop_titled_methods(doc: Doc, drafts: dict[tuple, EntityDraft]) -> None:
    """A task found only by the title rule that spells the name of a method the paper
    defines or proposes is that method, not a task.

    "Divide-and-Conquer: Dual-Hierarchical Optimization for Semantic 4D Gaussian
    Splatting" with "We propose Dual-Hierarchical Optimization (DHO)", "Adaptive
    Computation Pruning for the Forgetting Transformer" with "adaptive computation
    pruning (ACP)", "Contrastive Flow Matching" with "We introduce Contrastive Flow
    Matching, an extension to ...": the title names the paper's method (a proposal
    rule's span, :data:`~kgraph.extract.patterns.PROPOSED`); propagation then adds the
    title mention to it.
    """
    proposed = [(s.start, s.end) for s in doc.spans.get(PROPOSED, [])]
    defined = {canonical_key(s.text) for d in drafts.values()
               if d.type is EntityType.METHOD and not d.gazetteer_name
               and (d.short_forms or _proposal_span(d, proposed))
               for s in d.spans}
    if not defined:
        return
    for root in [r for r, d in drafts.items() if d.type is EntityType.TASK
                 and all(s.id_.startswith("title:") for s in d.spans)
                 and canonical_key(d.spans[0].text) in defined]:
        del drafts[root]


#: Context rules that name a dataset as one: "the EgoTempo benchmark", "a dataset
#: named TSOD10K", "datasets such as ..." (:func:`_one_sense_for_datasets`).
_DATASET_CALLED = frozenset({"pattern:dataset_cue", "pattern:dataset_named",
                             "pattern:dataset_parenthesised", "pattern:dataset_colon_list",
                             "pattern:dataset_such_as", "pattern:dataset_including",
                             "pattern:dataset_like", "pattern:dataset_head_name"})


def _one_sense_for_datasets(doc: Doc, drafts: dict[tuple, EntityDraft]) -> None:
    """A name the paper calls a dataset is no method of the same paper.

    "EgoEvGesture: Gesture Recognition Based on Egocentric Event Camera" with "we
    build the EgoEvGesture dataset", "we propose Multi-SWE-bench, a multilingual
    benchmark ...": the title and proposal rules take the paper's own name for a
    method, while a rule of :data:`_DATASET_CALLED` says what it is. The method draft
    of the same name joins the dataset draft (one sense per discourse: Gale, Church and
    Yarowsky, "One Sense Per Discourse", HLT 1992), unless the gazetteer knows the
    method or the text calls the name a method as plainly: "we present ExCap3D, an
    expressive 3D captioning model" and "the ExCap3D Dataset" name two things
    (:func:`kgraph.extract.patterns.appositive_type`, rule ``method_cue``).
    """
    called = {}
    for root, d in drafts.items():
        if d.type is EntityType.DATASET and not d.gazetteer_name \
                and any(s.id_ in _DATASET_CALLED for s in d.spans):
            for s in d.spans:
                called.setdefault(canonical_key(span_text(s)), root)
    if not called:
        return
    for root, d in list(drafts.items()):
        if d.type is not EntityType.METHOD or d.gazetteer_name \
                or any(s.id_ == "pattern:method_cue"
                       or appositive_type(doc, s.end) is EntityType.METHOD for s in d.spans):
            continue
        target = next((called[k] for k in {canonical_key(span_text(s)) for s in d.spans}
                       if k in called), None)
        if target is not None:
            dataset = drafts[target]
            dataset.spans.extend(d.spans)
            dataset.short_forms.extend(d.short_forms)
            dataset.earlier_work = dataset.earlier_work or d.earlier_work
            del drafts[root]


def _merge_bare_tasks(drafts: dict[tuple, EntityDraft]) -> None:
    """A bare task head ("segmentation") or a task name of several words ("object
    detection") joins a task of the paper that it ends.

    In a paper about semantic segmentation, "on segmentation tasks" means that task;
    in a paper about open-vocabulary object detection, "object detection" is the
    general name of the same problem, written where the paper sets out its field.
    With several candidates ("MRI reconstruction" and "sparse CT reconstruction") the
    shorter name is the problem those name more precisely; it joins the candidate
    named last before its first mention (the first candidate if none comes before
    it), so that it is a mention of the paper's task, not a task of its own. A name
    of several words stays a task of its own when the paper defines it with a short
    form or writes it twice or more on its own ("3D medical image segmentation" in
    the title, "medical image segmentation" twice in the abstract): the paper treats
    it as a term of its own. The seed gold annotation lists the general name beside
    the specific one for about a quarter of such pairs, and for close to half of the
    pairs whose general name the paper repeats.
    """
    heads = word_list("bare_task_heads")
    tasks = [(root, d) for root, d in drafts.items() if d.type is EntityType.TASK]
    for root, d in tasks:
        # its short form goes with it: "super-resolution (SR)" in a paper about
        # single image super-resolution
        text = {s.text.lower() for s in d.spans if s.text not in d.short_forms}
        if len(text) != 1:
            continue
        head = next(iter(text))
        # one word that is no bare head ("clustering") stays a task of its own, and so
        # does a name the paper defines with a short form ("time series forecasting
        # (TSF)") or repeats: the paper treats it as a term of its own
        if " " not in head and head not in heads \
                or " " in head and (d.short_forms or len(d.spans) > 1):
            continue
        first = min(s.start for s in d.spans)

        def rank(o: EntityDraft) -> tuple[int, int]:
            """Named last before the bare head ranks highest, then named first."""
            before = [s.start for s in o.spans if s.start < first]
            return max(before, default=-1), -min(s.start for s in o.spans)

        full = [o for r, o in tasks if r != root and o.spans
                and any(s.text.lower().endswith(" " + head) for s in o.spans)]
        if full:
            target = max(full, key=rank)
            target.spans.extend(d.spans)
            target.local_surfaces.update(sp.text for sp in d.spans)
            d.spans.clear()
    for root in [r for r, d in drafts.items() if not d.spans]:
        del drafts[root]


def _merge_bare_metrics(drafts: dict[tuple, EntityDraft]) -> None:
    """A bare generic metric ("accuracy") joins the one specific metric it ends.

    In a paper reporting "top-1 accuracy", a later "in terms of accuracy" means that
    metric; with two specific ones (top-1 and top-5 accuracy) it stays on its own.
    """
    generic = word_list("generic_metrics")
    metrics = [(root, d) for root, d in drafts.items() if d.type is EntityType.METRIC]
    for root, d in metrics:
        text = {strip_plural(s.text.lower()) for s in d.spans}
        if len(text) != 1 or next(iter(text)) not in generic:
            continue
        word = next(iter(text))
        full = [o for r, o in metrics if r != root and o.spans
                and any(strip_plural(s.text.lower()).endswith(" " + word) for s in o.spans)]
        if len(full) == 1:
            full[0].spans.extend(d.spans)
            full[0].local_surfaces.update(sp.text for sp in d.spans)
            d.spans.clear()
    for root in [r for r, d in drafts.items() if not d.spans]:
        del drafts[root]


_TITLE_FOLLOW = {":", ",", "for", "with", "and", "via", "in", "on", "to", "-", "–", "—",
                 "is", "are", "?", "!", "("}


def _opens_title(doc: Doc, draft: EntityDraft) -> bool:
    """The title starts with the method's name ("Pointer Networks", "DDRNet for ...").

    The name must stand alone: end the title or be followed by a colon, comma or a
    connecting word (``_TITLE_FOLLOW``), and not open a phrase that a later colon
    ends ("DINO in the Room: Leveraging ..."; two names joined by "and" are no
    phrase). A known name before "with" is what the paper extends ("Sharpness-Aware
    Minimization with Z-Score Gradient Filtering"), and method families
    (``data/words/method_families.txt``) are never the paper's own.
    """
    end = title_end(doc)
    for span in draft.spans:
        if span.start != 0:
            continue
        if in_word_list("method_families", span.text, draft.gazetteer_name or ""):
            return False
        nxt = doc[span.end] if span.end < len(doc) else None
        if nxt is not None and not doc[span.end - 1].whitespace_ and not nxt.whitespace_ \
                and nxt.is_punct:
            return False  # "xLSTM-UNet can ...": only part of a longer name
        if nxt is None or nxt.idx >= end:
            return True
        if nxt.lower_ not in (":", "and") and ":" in doc_text(doc)[nxt.idx:end]:
            return False  # "DINO in the Room: ...": the name opens a phrase, not the title
        if nxt.lower_ == "with" and draft.gazetteer_name:
            return False  # "Slot Attention with Re-Initialization": what the paper adds to
        return nxt.lower_ in _TITLE_FOLLOW
    return False


def _proposal_span(draft: EntityDraft, proposed: list[tuple[int, int]],
                   modifiers: list[tuple[int, int]] = ()) -> bool:
    """A span of the draft lies in a span a proposal rule marked, and not in one of the
    ``modifiers`` (token ranges of definitions joined to the next word, which name what
    the proposed thing builds on: "a novel Region of Interest (ROI)-guided ...
    method", :func:`joined_to_next`)."""
    return any(ps <= sp.start and sp.end <= pe for sp in draft.spans
               if not _within(sp, modifiers) for ps, pe in proposed)


def _within(span: Span, ranges: list[tuple[int, int]]) -> bool:
    """``span`` lies in one of the token ranges ``(start, end)``."""
    return any(start <= span.start and span.end <= end for start, end in ranges)


def joined_to_next(short: Span) -> bool:
    """The parenthesis after a short form is joined by a dash to the next word.

    "Region of Interest (ROI)-guided compression", "Test-Time Training (TTT)-based
    strategy", "(SFT)-only baselines": the definition modifies that word, as
    "ROI-guided" would. Not a dash before another function word, which sets off a
    phrase ("(VQ-TTT)-a lightweight module that ...").

    Parameters
    ----------
    short : Span
        The short form of a definition, without its parentheses.

    Returns
    -------
    bool
    """
    doc = short.doc
    i = short.end
    return i + 2 < len(doc) and doc[i].text == ")" and not doc[i].whitespace_ \
        and doc[i + 1].text in ("-", "\u2013", "\u2014") and not doc[i + 1].whitespace_ \
        and (not doc[i + 2].is_stop or doc[i + 2].lower_ in word_list("attributive_suffixes"))


def _is_family(draft: EntityDraft) -> bool:
    """The draft is a method family or training paradigm
    (``data/words/method_families.txt``: "our ConvNets" builds on CNNs, "we fine-tune
    with reinforcement learning (RL)" uses RL; neither is introduced), by gazetteer name
    or by every span other than its short forms."""
    if draft.gazetteer_name:
        return draft.gazetteer_name.lower() in word_list("method_families")
    # a short form abbreviates its long form: "diffusion models (DMs)" is the family
    shorts = set(draft.short_forms)
    texts = {s.text for s in draft.spans if s.text not in shorts} or {s.text for s in draft.spans}
    return all(in_word_list("method_families", t) for t in texts)


def _plural_short_forms(draft: EntityDraft) -> bool:
    """Every short form of the draft is a plural acronym: "SNNs", "KANs", and in mixed
    case "ViTs", "vDiTs", "MoEs" (an "s" after a capital, two capitals at least)."""
    return all(len(f) > 2 and f[-1] == "s" and f[-2].isupper()
               and sum(c.isupper() for c in f) >= 2 for f in draft.short_forms)


def _defined_here(draft: EntityDraft, joined: dict[tuple[int, int], bool] | None = None) -> bool:
    """A method no lexicon knows that the paper defines with an abbreviation.

    Papers spell out the long form of the modules they introduce ("we design a
    Dual-Modality Fusion (DMF) module"); names the field already knows are in the
    gazetteer, so an unknown defined name is taken as the paper's own. Plural short
    forms ("SNNs") name families and are not, nor is a name whose definitions all
    modify the word after them ("a Markov Vector Field (MVF)-driven generation
    method"; ``joined`` maps the ``(start, end)`` of each short form a definition
    writes to :func:`joined_to_next` of it).
    """
    if draft.gazetteer_name or not draft.short_forms:
        return False
    written = [joined[s.start, s.end] for s in draft.spans if (s.start, s.end) in (joined or {})]
    if written and all(written):
        return False
    # "spiking neural networks (SNNs)" names a family, not the paper's module
    if _plural_short_forms(draft):
        return False
    # "remote sensing vision-language foundation models (VLFM)": a lower-case plural
    # long form names a class of models as well
    shorts = set(draft.short_forms)
    longs = [s for s in draft.spans if s.text not in shorts]
    return not (longs and all(_plural_class(s) for s in longs))


#: Words of the paper's own voice (:func:`_created_here`).
_OWN_VOICE = frozenset({"we", "our", "this"})
#: Prepositions and conjunctions: a dataset after one is not the object of the verb
#: before it (:func:`_created_here`).
_LINKS = frozenset({"on", "in", "of", "from", "with", "for", "to", "by", "at", "as", "via",
                    "using", "and", "or", "than", "over", "into", "across", "between"})


def _created_here(doc: Doc, draft: EntityDraft) -> bool:
    """A span of the dataset draft is the object of a verb of making
    (``data/words/creation_verbs.txt``) in a sentence where the paper speaks.

    "To benchmark SPR, we created a large-scale dataset, 360SPR, ...", "we construct
    the Unified Spatio-Temporal Grounding (Uni-STG) dataset": walking left from the
    name over at most six lower-case words (determiners, modifiers, dataset words),
    numbers and commas reaches the verb, and "we", "our" or "this" stands earlier in
    the sentence. A preposition or conjunction ("we created a model trained on the
    COCO dataset"), a prior-work cue ("we use the recently released ...") or a name
    on the way stops the walk.
    """
    verbs = word_list("creation_verbs")
    cues = word_list("prior_work_cues")
    words = token_texts(doc)[0]
    for span in draft.spans:
        if span.end < len(doc) and words[span.end] == "-":
            continue  # "a novel Fisher-driven framework": a modifier, not the object
        # the walk stops at a sentence's closing mark or capitalised first word, so
        # the sentence is looked up only when a verb is reached
        i, skipped = span.start - 1, 0
        while i >= 0 and skipped <= 6 and not (i + 1 < len(doc) and doc[i + 1].is_sent_start):
            w = words[i]
            lw = w.lower()
            if lw in verbs:
                sent_start = doc[i].sent.start
                if (i == 0 or words[i - 1].lower() not in cues) \
                        and any(x.lower() in _OWN_VOICE for x in words[sent_start:i]):
                    return True
                break
            if lw in cues or lw in _LINKS or not (w.islower() or w in {",", "-"}
                                                    or w[:1].isdigit()):
                break
            i -= 1
            skipped += 1
    return False


def _background(doc: Doc, draft: EntityDraft) -> bool:
    """The draft's short form is defined before the abstract's first sentence with a
    proposal cue (``data/words/proposal_cues.txt``): the opening sentences set out the
    field ("Concept bottleneck models (CBM) aim to ...", "Three-dimensional topology
    optimization (TO) is a powerful technique"), they do not present the paper's work."""
    shorts = set(draft.short_forms)
    first = min((s.start for s in draft.spans if s.text in shorts), default=None)
    return first is not None and first < _first_cue_sentence(doc)


def _first_cue_sentence(doc: Doc) -> int:
    """Token index where the abstract's first sentence with a proposal cue starts
    (``len(doc)`` when none has one); cached in ``doc.user_data``."""
    cached = doc.user_data.get("kgraph_first_cue")
    if cached is None:
        cues = word_list("proposal_cues")
        body = bisect.bisect_left(token_texts(doc)[1], title_end(doc))
        cached = len(doc)
        for sent in doc[body:].sents if body < len(doc) else ():
            if any(t.lower_ in cues and not _passive_report(t) for t in sent):
                cached = max(sent.start, body)
                break
        doc.user_data["kgraph_first_cue"] = cached
    return cached


#: Words of the paper's own voice in a sentence (:func:`_passive_report`).
_PAPER_VOICE = frozenset({"we", "our", "us", "this", "here"})


def _passive_report(token: Token) -> bool:
    """A proposal cue in a passive that reports earlier work ("PEFT methods have been
    proposed", "several variants were introduced"), in a sentence without the paper's own
    voice ("we", "our", "this paper"): no cue for :func:`_first_cue_sentence`. "A novel
    method is proposed" keeps its cue, as papers present their own work that way too."""
    doc = token.doc
    if token.i == 0 or doc[token.i - 1].lower_ not in ("been", "were"):
        return False
    return not any(t.lower_ in _PAPER_VOICE for t in token.sent)


def _plural_class(span: Span) -> bool:
    """A lower-case phrase whose last word is the plural of a head noun ("models")."""
    text = span.text
    if text != text.lower():
        return False
    last = text.split()[-1].split("-")[-1]
    one = strip_plural(last)
    return one != last and one in head_types()


def _long_form_in_title(doc: Doc, draft: EntityDraft, title_key: str) -> bool:
    """The draft is an abbreviation whose long form (of 2+ words) the title spells.

    Not when every short form is a plural ("Kolmogorov-Arnold Networks (KANs)" in a
    paper titled "... Using Hypernetwork-Based Kolmogorov-Arnold Networks"): a
    plural names the family the paper builds on, as in :func:`_defined_here`.
    """
    if not draft.short_forms or _plural_short_forms(draft):
        return False
    shorts = set(draft.short_forms)
    for span in draft.spans:
        if span.text not in shorts and len(span) > 1:
            key = canonical_key(span.text)
            if len(key) > 6 and key in title_key:
                return True
    return False


#: Words between a composition verb and a part that make the part a tool the part is
#: built with, not a part ("a registration module based on ... the Steger algorithm").
_TOOL_WORDS = frozenset({"based", "built", "from", "like", "such"})


def _proposed_parts(doc: Doc, drafts: list[EntityDraft]) -> None:
    """Mark proposed the named parts a proposed method is made of.

    A composition verb (``data/words/composition_verbs.txt``: "consists of",
    "comprises", "composed of") at most seven tokens after a span of a proposed method,
    or right after "our"/"the proposed" and at most two words ("Our approach consists
    of"), or after "the"/"this" and a method head word or right after "we" when the
    paper proposes a method ("the model incorporates", :func:`_refers_back`; "we
    employ"), opens a list of the method's
    parts: every method the rest of the sentence names is the paper's own too
    ("EfficientTDNN, an efficient architecture search framework consisting of a
    TDNN-based supernet and a TDNN-NAS algorithm", "RealID comprises two key modules:
    the Real Concept Capture Module (RealC2) and ...").
    Not a method the gazetteer knows ("consists of a VQ-VAE and a Transformer"), a
    family, earlier work, a class (a plural short form, a lower-case long form:
    "2 convolutional layers (CL)"), a single capitalised word ("Prediction"), or a
    part after a usage verb or "based" ("a module based on feature extraction using
    the Steger ... algorithms": tools the part is built with).

    A verb by which a method takes in parts (``data/words/component_verbs.txt``:
    "incorporates", "integrates", "featuring", "leverages") opens such a list too, but it
    also takes in existing tools ("integrates TextGrad"), so after it only a multi-word
    name ending in a component head (``data/words/component_heads.txt``) or followed by one counts:
    "MSNav integrates three modules: Memory Module, ...", "Our system features a
    Persona Generator module", not "incorporates LR-ASPP".

    Parameters
    ----------
    doc : Doc
    drafts : list of EntityDraft
        Proposed flags already set; updated in place.
    """
    words = token_texts(doc)[0]
    verbs, takes_in = word_list("composition_verbs"), word_list("component_verbs")
    cues = [k for k, w in enumerate(words) if w.lower() in verbs or w.lower() in takes_in]
    if not cues:
        return
    own = [s for d in drafts if d.proposed and d.type is EntityType.METHOD for s in d.spans]
    parts = [d for d in drafts if not d.proposed and d.type is EntityType.METHOD
             and not d.gazetteer_name and not d.earlier_work and not _is_family(d)
             and not (d.short_forms and _plural_short_forms(d))]
    if not parts:
        return
    lower_longs = {short.text for short, long_ in doc.user_data.get(ABBREVIATIONS, [])
                   if long_.text[:1].islower()}
    tools = word_list("usage_verbs") | _TOOL_WORDS
    heads = word_list("component_heads")
    method_heads = {w for w, t in head_types().items() if t is EntityType.METHOD}
    for k in cues:
        component_only = words[k].lower() in takes_in
        after = k + 1
        if after < len(words) and words[after] == "of":
            after += 1
        elif words[k].lower() in ("consist", "consists", "consisting", "composed"):
            continue
        sent = doc[k].sent
        if not (any(sent.start <= s.start and s.end <= k and k - s.end <= 7 for s in own)
                or any(w.lower() in ("our", "proposed") for w in words[max(sent.start, k - 3):k])
                or (own and k > sent.start and words[k - 1].lower() == "we")
                or (own and _refers_back(words, sent.start, k, method_heads))):
            continue
        # "a TDNN-based supernet" names a part; "a module based on ..." a tool after it
        stop = next((j for j in range(after, sent.end)
                     if words[j].lower() in tools and words[j - 1] != "-"), sent.end)
        for d in parts:
            if d.proposed or any(s.text in lower_longs for s in d.spans):
                continue
            for s in d.spans:
                text = span_text(s)
                if component_only and not (
                        len(text.split()) > 1 and (text.split()[-1].lower() in heads or (
                            s.end < len(words) and words[s.end].lower() in heads))):
                    continue
                if after <= s.start and s.end <= stop \
                        and (len(text.split()) > 1 or NAME_LIKE.search(text)):
                    d.proposed = True
                    break


def _refers_back(words: list[str], start: int, k: int, method_heads: set[str]) -> bool:
    """Whether the cue at token ``k`` has for subject "the"/"this" and a method head
    word (``data/words/heads.tsv``), with at most one word between head and cue: "the
    model incorporates", "This framework further integrates". ``start`` is the
    sentence's first token. A definite method noun phrase opening the clause refers
    back to the method the paper proposes."""
    for h in (k - 1, k - 2):
        if h - 1 < start or words[h].lower() not in method_heads:
            continue
        if words[h - 1].lower() in ("the", "this") and (h == k - 1 or words[k - 1].isalpha()
                                                         and words[k - 1].islower()):
            return True
    return False


#: What a repository name and an entity name are compared by: letters and digits.
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def _propose_repository_names(doc: Doc, drafts: list[EntityDraft]) -> None:
    """Mark proposed the method or dataset the paper's code repository is named after.

    An abstract that links a repository named like one of its methods ("FreeNet, which
    is a fully end-to-end network ..., is proposed ... Code has been made available at:
    https://github.com/Z-Zheng/FreeNet") releases that method: the repository's name is
    the last part of its path (:func:`~kgraph.extract.urls.repository_url`), compared
    with the entity's names by letters and digits only, case folded ("Hoss-ReID" and
    "HOSS ReID", "UMamba2" and "U-Mamba2"). Papers link their own code this way far
    more often than anyone else's.

    Not when the entity is one the gazetteer knows, a family or earlier work (only a
    proposal rule makes those proposed, as in step 5); not when a verb of use
    (``data/words/usage_verbs.txt``) comes before the link in its sentence ("We have
    used the dataset DeepFashion-MultiModal (https://github.com/...)": a pointer to the
    thing used); not when the link stands in brackets right after the entity's name
    ("achieves top-1 performance on Open LMM Reasoning Leaderboard (https://...)": a
    pointer to the thing named, whoever made it); and not when a proposed method's
    name extends the entity's ("SALMONN-omni" with the repository
    ``bytedance/SALMONN``, "SageAttention3" with ``thu-ml/SageAttention``): a new
    version lives in the repository of its family. No entity is made from a
    repository name alone.

    Parameters
    ----------
    doc : Doc
    drafts : list of EntityDraft
        Proposed flags already set by the other rules; updated in place.
    """
    candidates = [d for d in drafts if not d.proposed and d.type in PROPOSABLE
                  and not d.gazetteer_name and not d.earlier_work and not _is_family(d)]
    if not candidates:
        return
    text = doc_text(doc)
    starts = token_texts(doc)[1]
    uses = word_list("usage_verbs")
    links: dict[str, list[int]] = {}  # repository name -> token index of each link
    for m in find_urls(text):
        repo = repository_url(m.url) if m.is_repository else None
        if repo is None:
            continue
        i = max(0, bisect.bisect_right(starts, m.start) - 1)
        sent = doc[i].sent
        if any(t.lower_ in uses for t in doc[sent.start:i]):
            continue
        key = _NOT_ALNUM.sub("", repo.rsplit("/", 1)[1].lower())
        if key:
            links.setdefault(key, []).append(i)
    if not links:
        return
    extended = [span_text(s).lower() for d in drafts if d.proposed and d.type is EntityType.METHOD
                for s in d.spans]
    for d in candidates:
        surfaces = {span_text(s) for s in d.spans}
        ends = {s.end for s in d.spans}
        # "on Open LMM Reasoning Leaderboard (https://huggingface.co/spaces/...)":
        # a link in brackets right after the name points to it, whoever made it
        if not any(i < 1 or doc[i - 1].text != "(" or i - 1 not in ends
                   for t in surfaces for i in links.get(_NOT_ALNUM.sub("", t.lower()), ())):
            continue
        if any(e.startswith(t.lower()) and len(e) > len(t) for t in surfaces for e in extended):
            continue
        d.proposed = True


_VARIANT_SUFFIX = re.compile(r"^[-_ ]?(?:v?\d|[A-Z])")


def _propose_variants(drafts: list[EntityDraft]) -> None:
    """Mark ``DiMR-XL`` proposed when ``DiMR`` is (a variant suffix after the name).

    A plural mention of the proposed name counts without its ``s``: "DDRNets" makes
    ``DDRNet-23-slim`` a variant.
    """
    names = {n for d in drafts if d.proposed and d.type is EntityType.METHOD
             for t in map(span_text, d.spans) for n in (t, strip_plural(t)) if len(n) >= 2}
    for d in drafts:
        if d.proposed or d.type is not EntityType.METHOD or d.gazetteer_name:
            continue
        for span in d.spans:
            if any(span.text.startswith(n) and span.text != n
                   and _VARIANT_SUFFIX.match(span.text[len(n):]) for n in names):
                d.proposed = True
                break


def _propagate(doc: Doc, drafts: list[EntityDraft]) -> None:
    """Step 4: add the other occurrences of name-shaped aliases as mentions."""
    surfaces_of = [(d, {t for t in map(span_text, d.spans) if is_name_shaped(t.split()[0])})
                   for d in drafts]
    if not any(surfaces for _, surfaces in surfaces_of):
        return
    taken = [False] * len(doc)
    for d in drafts:
        for s in d.spans:
            for i in range(s.start, s.end):
                taken[i] = True
    text = doc_text(doc)
    _, idx, token_ends = token_texts(doc)
    starts = dict(zip(idx, range(len(idx))))
    ends = dict(zip(token_ends, range(1, len(idx) + 1)))
    for d, surfaces in surfaces_of:
        # longest first, then by text: the same claims whatever the hash seed
        for surface in sorted(surfaces, key=lambda x: (-len(x), x)):
            pos = text.find(surface)
            while pos >= 0:
                s, e = starts.get(pos), ends.get(pos + len(surface))
                if s is not None and e is not None and not any(taken[s:e]):
                    span = Span(doc, s, e, label=d.type.value, span_id="propagated")
                    d.spans.append(span)
                    for i in range(s, e):
                        taken[i] = True
                pos = text.find(surface, pos + 1)


def draft_to_entity(draft: EntityDraft, sentences: list[int]) -> Entity:
    """Convert a draft into a :class:`kgraph.model.Entity` with mention provenance.

    Parameters
    ----------
    draft : EntityDraft
    sentences : list of int
        :func:`sentence_index` of the doc.

    Returns
    -------
    Entity
    """
    texts = [span_text(s) for s in draft.spans]
    surfaces = [t for t in texts if t not in draft.local_surfaces] or texts
    aliases = list(dict.fromkeys(surfaces))
    if draft.type is EntityType.TASK:
        # a task is a noun phrase: "few-shot class-incremental learning", not "FSCIL";
        # one opening a sentence is named in lower case ("Remote sensing image
        # segmentation is ..." names remote sensing image segmentation)
        opening = {span_text(s) for s in draft.spans if s[0].is_sent_start}
        surfaces = [_sentence_case_lowered(t) if t in opening else t for t in surfaces]
        long_forms = [t for t in surfaces if t not in draft.short_forms]
        name = choose_name(long_forms or surfaces, gazetteer_name=draft.gazetteer_name)
    else:
        name = choose_name(surfaces, gazetteer_name=draft.gazetteer_name,
                           short_forms=draft.short_forms)
    mentions = [Mention(t, s.start_char, s.end_char, sentences[s.start], s.id_ or "unknown")
                for t, s in zip(texts, draft.spans)]
    return Entity(type=draft.type, name=name, key=draft.key or canonical_key(name),
                  aliases=aliases, mentions=mentions, proposed=draft.proposed)


_SENTENCE_CASE = re.compile(r"^[A-Z][a-z]+(?:-[a-z]+)*(?:[ -][^A-Z\s][^\s]*)*$")


def _sentence_case_lowered(text: str) -> str:
    """``text`` with its first letter lowered when only that letter is a capital ("Weakly
    supervised image segmentation"); Title Case, acronyms and names stay as they are."""
    return text[0].lower() + text[1:] if _SENTENCE_CASE.match(text) else text
