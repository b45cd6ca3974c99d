"""The spaCy pipeline: ``spacy.blank("en")`` plus kgraph's rule components.

Components, registered by name with ``Language.factory`` so a pipeline can be
rebuilt from config (spaCy's convention, https://spacy.io/api/language#factory):

=========================  ==============================================================
``kgraph_sentences``       sentence starts (spaCy's rule-based ``Sentencizer``), with the
                           title always its own sentence
``kgraph_gazetteer``       known names from ``data/gazetteer/*.tsv`` and user lexicons
``kgraph_abbreviations``   Schwartz–Hearst abbreviation definitions, typed by head word
``kgraph_context``         context patterns from ``data/patterns/context.jsonl``
``kgraph_title``           the title's "Name: ..." prefix names the paper's own method;
                           "... for <Task Phrase>" names its task (:func:`title_tasks`)
=========================  ==============================================================

:func:`build_pipeline` assembles them behind kgraph's tokenizer (``kgraph.tokenizer.v1``,
:mod:`kgraph.extract.tokenizer`); :func:`doc_to_entities` reads the result. No
statistical model is needed or loaded. The components compute on token attribute
arrays (``Doc.to_array``) and lexeme flags (:mod:`kgraph.extract.lexflags`) rather
than token by token.
"""

from __future__ import annotations

import bisect
import difflib
import re
from functools import lru_cache
from importlib import resources
from typing import Sequence

import numpy
import spacy
from spacy.attrs import IS_PUNCT, ORTH, SENT_START
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from kgraph.extract.abbreviations import find_abbreviations, unspelled_version
from kgraph.canonical import canonical_key, strip_plural
from kgraph.extract.entities import (ABBREVIATIONS, PRIOR_WORK, TYPE_PRIORITY, draft_to_entity,
                                     joined_to_next, resolve_entities)
from kgraph.extract.gazetteer import (CANDIDATES, Gazetteer, GazetteerMatcher, add_spans,
                                      builtin_gazetteer, load_gazetteer)
from kgraph.extract.lexflags import LexemeFlag, add_flags, fast_lexeme_getters
from kgraph.extract.patterns import (PROPOSED, ContextMatcher, appositive_type, described_type,
                                     head_types, in_word_list, is_name_shaped, load_rules,
                                     setting_heads, title_end, title_separator, word_list)
from kgraph.extract.tokenizer import (customize_tokenizer, doc_text,  # noqa: F401 (re-export)
                                      span_text, token_texts)
from kgraph.extract.urls import find_urls, repository_url, url_key
from kgraph.model import Entity, EntityType, Mention

__all__ = ["build_pipeline", "doc_to_entities", "sentences_of", "head_types", "PIPELINE",
           "TOKENIZER"]

#: Registered name of the tokenizer (:func:`kgraph.extract.tokenizer.create_tokenizer`).
TOKENIZER = "kgraph.tokenizer.v1"

#: Component names in pipeline order.
PIPELINE = ("kgraph_sentences", "kgraph_gazetteer", "kgraph_abbreviations",
            "kgraph_context", "kgraph_title")


@Language.factory("kgraph_sentences")
def make_sentences(nlp: Language, name: str) -> "TitleSentencizer":
    """Factory of :class:`TitleSentencizer`."""
    return TitleSentencizer(name=name)


class TitleSentencizer(Sentencizer):
    """spaCy's ``Sentencizer`` that also starts a sentence at the abstract's first token.

    The text is ``title + "\\n\\n" + abstract``; a title rarely ends in a full stop, so
    without this the title would run into the abstract's first sentence.

    The ``Sentencizer``'s rule is applied to token attribute arrays instead of token
    by token (same result): a sentence starts at the first token, and at each token
    that is neither punctuation nor in ``punct_chars`` when a token of
    ``punct_chars`` ("." "!" "?") stands between it and the previous such token.
    """

    _punct_flags: tuple[object, int, list[int | None]] = (None, 0, [])

    def _punct_bits(self, vocab: Vocab) -> list[int | None]:
        """Lexeme flag bits (see :mod:`kgraph.extract.lexflags`) of "the word is in
        ``punct_chars``" and "the word is neither punctuation nor in ``punct_chars``"."""
        chars, vocab_id, bits = self._punct_flags
        if chars is not self.punct_chars or vocab_id != id(vocab) \
                or any(b is None or b not in vocab.lex_attr_getters for b in bits):
            chars = self.punct_chars
            words = frozenset(chars)
            is_punct = vocab.lex_attr_getters.get(IS_PUNCT) or (lambda s: False)
            bits = add_flags(vocab, [
                LexemeFlag(("kgraph.sentencizer.period", words), lambda s: s in words),
                LexemeFlag(("kgraph.sentencizer.word", words, is_punct),
                           lambda s: s not in words and not is_punct(s)),
            ])
            self._punct_flags = (chars, id(vocab), bits)
        return bits

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        bits = self._punct_bits(doc.vocab)
        if None in bits:  # no free flag bits
            cols = doc.to_array([ORTH, IS_PUNCT, SENT_START])
            period = numpy.isin(cols[:, 0], numpy.array(
                [get_string_id(c) for c in self.punct_chars], dtype="uint64"))
            word = (cols[:, 1] == 0) & ~period
        else:
            cols = doc.to_array([*bits, SENT_START])
            period, word = cols[:, 0] == 1, cols[:, 1] == 1
        old = cols[:, 2]
        word = numpy.flatnonzero(word)
        before = numpy.concatenate(([0], numpy.cumsum(period)))  # periods in [0, i)
        after_prev = numpy.concatenate(([0], word[:-1] + 1))
        starts = numpy.zeros(n, dtype=bool)
        starts[0] = True
        starts[word[before[word] > before[after_prev]]] = True
        new = numpy.where(starts, 1, -1).astype("uint64")
        if not self.overwrite:
            new = numpy.where(old == 0, new, old)
        # the abstract's first token: the first one after the title's end that is not
        # whitespace (whitespace tokens hold only whitespace, other tokens none)
        first = _NOT_SPACE.search(doc_text(doc), title_end(doc) + 1)
        if first is not None:
            new[doc.char_span(first.start(), first.end(), alignment_mode="expand").start] = 1
        doc.from_array([SENT_START], new)
        return doc


_NOT_SPACE = re.compile(r"\S")


@Language.factory("kgraph_gazetteer", default_config={"lexicons": []})
def make_gazetteer(nlp: Language, name: str, lexicons: list[str]) -> GazetteerMatcher:
    """Factory of :class:`kgraph.extract.gazetteer.GazetteerMatcher`.

    Parameters
    ----------
    lexicons : list of str
        Paths of user lexicons (TSV or JSON Lines) added to the built-in gazetteers.
    """
    gaz = Gazetteer(list(builtin_gazetteer().entries))
    matcher = GazetteerMatcher(nlp, gaz)
    for path in lexicons:
        matcher.add_entries(nlp, load_gazetteer(path))
    return matcher


@Language.factory("kgraph_abbreviations")
def make_abbreviations(nlp: Language, name: str) -> "AbbreviationComponent":
    """Factory of :class:`AbbreviationComponent`, reading the gazetteer of the
    pipeline's ``kgraph_gazetteer`` component when there is one."""
    gaz = nlp.get_pipe("kgraph_gazetteer").gazetteer if "kgraph_gazetteer" in nlp.pipe_names \
        else None
    return AbbreviationComponent(gaz)


class AbbreviationComponent:
    """Find abbreviation definitions and type them.

    Uses :func:`kgraph.extract.abbreviations.find_abbreviations` (Schwartz & Hearst,
    2003). Each ``(short, long)`` pair is stored in ``doc.user_data`` (key
    ``"kgraph_abbreviations"``) as token spans. When the gazetteer knows either form,
    or the long form's last word is a head word of ``data/words/heads.tsv``
    (``distance`` → metric, ``network`` → method, ``dataset`` → dataset), or is the
    last word of a metric or dataset name the gazetteer knows ("reconstruction FID
    (rFID)", :func:`_known_head`), both spans become candidates of that type with rule
    ``abbreviation``.

    A definition the gazetteer does not know, in a sentence where a word of
    ``data/words/proposal_cues.txt`` ("propose", "novel", "our") comes before the long
    form, or that "is proposed", "is designed" or "is introduced" right after its
    parenthesis (:func:`_proposed_after`), names something the paper introduces: both
    spans are marked proposed, and typed method when no head word types them, unless
    a lower-case long form defines a plural acronym ("small reasoning models (SRMs)",
    "adverse events (AEs)"; a class of things, :func:`_plural_class`). A definition
    the gazetteer knows is marked proposed only when the words right before its long
    form present it as the paper's own ("the proposed deep dual-resolution networks
    (DDRNets)", "our proposed method 'robust mean teacher' (RMT)"), and never when it
    is a method family ("a novel generative adversarial network (GAN) variant"). A
    definition the gazetteer does not know that a task head word follows ("white blood cell (WBC)
    classification") names what the task works on, and one that no head word of its
    own types and a noun of ``data/words/modified_nouns.txt`` follows
    ("out-of-distribution (OOD) generalization") what that noun is about: neither is
    typed at all. A Title Case definition a singular family word follows ("a
    Progressive Motion Generation (PMG) method") names one method
    (:func:`_named_by_family_word`), and so does a definition an appositive calls one
    ("Confidence-Aware Response Generation (CARG), a framework that ...",
    :func:`_appositive_type`) when no head word types it or its head word is a task's,
    and one whose short form is the title's name before its colon and whose head word
    is a task's, unless the text calls it a task (:func:`_names_title`,
    :func:`_task_named`).

    A definition whose short form ends in a version digit its long form does not
    spell ("Segment Anything Model (SAM2)",
    :func:`kgraph.extract.abbreviations.unspelled_version`) is dropped when the
    gazetteer knows either form: the short form names one version of the family the
    long form names, and versions stay distinct.

    A paper may define a known short form as something else: "Sub-Pseudo Label (SPL)"
    is not SPL, success weighted by path length, and "Masked Autoencoder (MAE)" is the
    model, not the mean absolute error. A gazetteer sense of the short form whose long
    forms all differ from the paper's (:func:`_redefined`) is dropped from the whole
    paper (one sense per discourse: Gale, Church and Yarowsky, "One Sense Per
    Discourse", HLT 1992); with no sense left the definition is typed as an unknown
    one.

    Parameters
    ----------
    gazetteer : Gazetteer or None
        The pipeline's gazetteer, to read the long forms of known short forms; None
        skips the redefinition test.
    """

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer

    def __call__(self, doc: Doc) -> Doc:
        pairs = []
        spans: list[Span] = []
        proposed: list[Span] = []
        known: dict[tuple[int, int], list[Span]] | None = None
        prior: set[tuple[int, int]] = set()
        heads = head_types()
        for abbr in find_abbreviations(doc_text(doc)):
            short = doc.char_span(abbr.short_start, abbr.short_end)
            long_ = doc.char_span(abbr.long_start, abbr.long_end)
            if short is None or long_ is None:
                continue
            if known is None:
                known = {}
                for s in doc.spans.get(CANDIDATES, []):
                    if s.id_.startswith("gazetteer"):
                        known.setdefault((s.start, s.end), []).append(s)
            if unspelled_version(abbr.short, abbr.long) and (
                    (long_.start, long_.end) in known or (short.start, short.end) in known):
                continue  # "Segment Anything Model (SAM2)": SAM 2 is no SAM; versions apart
            pairs.append((short, long_))
            if _not_entity(short):
                continue  # "magnetoencephalography (MEG)": a modality, whichever form
            # the long form, when known, tells the sense ("Visual Grounding (VG)" is no
            # Visual Genome, whose alias VG also is)
            senses = known.get((long_.start, long_.end)) or known.get((short.start, short.end))
            gaz = senses[-1] if senses else None
            if senses and (long_.start, long_.end) not in known:
                # the paper's long form tells which known sense the short form has
                unfit = [g for g in senses if self._redefined(g, long_)]
                if unfit:
                    gone = {(g.label_, g.kb_id_) for g in unfit}
                    _drop_known(doc, short.text, gone)
                    for key, group in known.items():
                        known[key] = [g for g in group if not (
                            (g.label_, g.kb_id_) in gone and g.text == short.text)]
                    fit = [g for g in senses if (g.label_, g.kb_id_) not in gone]
                    gaz = fit[-1] if fit else None
            if _not_entity(long_):
                # "synthetic aperture radar (SAR)": a modality, and not the metric SAR
                # (signal-to-artifacts ratio) that the gazetteer knows
                continue
            if _earlier_work(short, long_):
                prior.add((short.start, short.end))
                introduced = False
            else:
                introduced = (self._introduced(long_) or _proposed_after(short, long_)) \
                    if gaz is None else \
                    self._presented(long_) and not _family(gaz.kb_id_, short, long_)
                if introduced and (_plural_class(short, long_) or joined_to_next(short)):
                    # "combines ... language models (sLLMs)": a class; "a novel Region of
                    # Interest (ROI)-guided ... method": what the new method builds on
                    introduced = False
            if gaz is not None:
                etype, kb = gaz.label_, gaz.kb_id_
            else:
                # "... Extraction (HIE) layer": a head word right after the
                # parenthesised short form names what the pair is
                found = _head_after(doc, short, heads)
                if found is None and _named_by_family_word(doc, short, long_):
                    found = EntityType.METHOD
                if found is None and _task_head_after(doc, short):
                    continue  # "protected health information (PHI) detection": an object
                if found is None:
                    word = _long_form_head(long_)
                    head = strip_plural(word.lower_)
                    found = heads.get(head) or heads.get(word.lower_) or \
                        _known_head(known, long_, word)
                    if found is None and _word_after(doc, short) in word_list("modified_nouns"):
                        continue  # "out-of-distribution (OOD) generalization": an attribute
                    if introduced and head in setting_heads():
                        found = None  # "we propose Deep Boosting Learning (DBL)": a method
                    if found in (None, EntityType.TASK):
                        called = _appositive_type(doc, short, long_)
                        if called is EntityType.METHOD or (
                                found is EntityType.TASK and called is None
                                and _names_title(doc, short) and not _task_named(long_)):
                            found = EntityType.METHOD  # "... Generation (CARG), a framework"
                        elif called is EntityType.TASK and head == word.lower_:
                            # "Knowledge Deletion (KD), a new task that"; a plural is
                            # what a task works on ("records (EHRs), a task that")
                            found = called
                if found is None and not introduced:
                    continue
                etype, kb = (found or EntityType.METHOD).value, ""
            for span in (short, long_):
                cand = Span(doc, span.start, span.end, label=etype, kb_id=kb,
                            span_id="abbreviation")
                spans.append(cand)
                if introduced:
                    proposed.append(cand)
        add_spans(doc, CANDIDATES, spans)
        add_spans(doc, PROPOSED, proposed)
        doc.user_data[ABBREVIATIONS] = pairs
        doc.user_data[PRIOR_WORK] = prior
        return doc

    def _redefined(self, known: Span, long_: Span) -> bool:
        """The paper's long form ``long_`` names something other than the gazetteer
        entry behind ``known`` (see :func:`_redefined`)."""
        if self.gazetteer is None:
            return False
        entry = self.gazetteer.lookup(known.kb_id_, EntityType(known.label_))
        return entry is not None and _redefined(entry.forms, long_.text)

    @staticmethod
    def _presented(long_: Span) -> bool:
        """The words right before the long form present it as the paper's own: "the
        proposed deep dual-resolution networks (DDRNets)", "our proposed method 'robust
        mean teacher' (RMT)" (a proposal cue, then at most a determiner, a family word
        and a quote mark)."""
        doc = long_.doc
        i = long_.start - 1
        if i >= 0 and doc[i].text in _QUOTES:
            i -= 1
        if i >= 0 and strip_plural(doc[i].lower_) in word_list("family_words"):
            i -= 1
        return i >= 0 and doc[i].lower_ in _PRESENTING

    @staticmethod
    def _introduced(long_: Span) -> bool:
        """A proposal cue stands before the long form in its sentence, and the long
        form is not the object of a preposition or of a word of use: in "we present a
        framework for few-shot class-incremental learning (FSCIL)" and "we propose using
        the Random Digit String (RDS)" the definition names the problem or the tool."""
        if _after_object_preposition(long_):
            return False
        cues = word_list("proposal_cues")
        doc = long_.doc
        sent = long_.sent
        return any(t.lower_ in cues for t in doc[sent.start:long_.start])


def _after_object_preposition(long_: Span) -> bool:
    """A word of :data:`_OBJECT_PREPOSITIONS` ("for", "using", "via") stands right
    before the long form, perhaps with an article between: the definition is the
    object of that word, the problem or the tool ("a framework for few-shot
    class-incremental learning (FSCIL)")."""
    doc = long_.doc
    i = long_.start - 1
    while i >= 0 and doc[i].lower_ in _DETERMINERS:
        i -= 1
    return i >= 0 and doc[i].lower_ in _OBJECT_PREPOSITIONS


def _proposed_after(short: Span, long_: Span) -> bool:
    """A present-tense passive of a verb of making follows the definition: "Hybrid
    Spatio-Temporal Aggregation (HSTA) is proposed to ...", "a Cross-Modal Asymmetric
    Adapter (CMAA) is designed to ...", "Unified Multi-modal Positional Encoding (UMPE)
    is introduced to ...". Papers present their own modules this way: the closing
    bracket, "is", at most one adverb in -ly, then a word of
    ``data/words/creation_verbs.txt`` ending in -ed or "built". "was proposed" mostly
    reports earlier work, "Speech Foundation Models (SFMs) are designed to" speaks of a
    class, and "a dataset for industrial panel monitoring (IPM) is constructed"
    defines the problem the made thing is for (a preposition before the long form)."""
    if _after_object_preposition(long_):
        return False
    doc = short.doc
    i = max(short.end, long_.end)
    if i < len(doc) and doc[i].text == ")":
        i += 1
    if i >= len(doc) or doc[i].lower_ != "is":
        return False
    i += 1
    if i < len(doc) and doc[i].lower_.endswith("ly"):
        i += 1
    if i >= len(doc):
        return False
    verb = doc[i].lower_
    return verb in word_list("creation_verbs") and (verb.endswith("ed") or verb == "built")


def _plural_class(short: Span, long_: Span) -> bool:
    """A plural acronym defined by a lower-case long form names a class of things the
    paper speaks of ("small reasoning models (SRMs)", "adverse events (AEs)", "regions
    of interest (ROIs)"), not something it introduces, even in a sentence that
    presents its work; a Title Case one may be its own ("we introduce Hybrid
    Perception Blocks (HPBs)"), and so is one the title opens with ("Scalable Neural
    Network Kernels" with "we introduce the concept of scalable neural network kernels
    (SNNKs)"). A plural acronym has an "s" after a capital and two capitals at least
    ("SNNs", "sLLMs")."""
    text = short.text
    if not (len(text) > 2 and text[-1] == "s" and text[-2].isupper()
            and sum(c.isupper() for c in text) >= 2 and long_.text == long_.text.lower()):
        return False
    doc = long_.doc
    title = canonical_key(doc_text(doc)[:title_end(doc)])
    return not title.startswith(canonical_key(long_.text))


_QUOTES = frozenset({"'", '"', "\u2018", "\u201c", "`", "``"})
_DETERMINERS = frozenset({"a", "an", "the"})
#: Words whose object a definition is when they stand right before its long form
#: (after a determiner at most): "a framework for ...", "using the ...", "via ...".
#: "based on" is left out: "a framework based on Dual Hypergraph Transformation (DHT)"
#: names the paper's own part as often as a tool. Verbs of use ("leveraging") make the
#: definition earlier work (:func:`_earlier_work`), unless it names a component.
_OBJECT_PREPOSITIONS = frozenset({"for", "using", "utilizing", "via"})
_PRESENTING = frozenset({"proposed", "novel", "our"})


def _earlier_work(short: Span, long_: Span) -> bool:
    """A word of ``data/words/prior_work_cues.txt`` stands in the three tokens before
    the long form or the four after the short form (and its closing bracket), in the
    same sentence, or a verb of use (``data/words/usage_verbs.txt``) right before the
    long form, perhaps with "the" between: the definition names earlier work ("the
    recently proposed Kolmogorov-Arnold Network (KAN)", "Neural Implicit
    Representation (NIR) has recently gained attention", "integrates the Short-Time
    Fourier Transform (STFT)"), which the paper does not propose. So does a definition
    listed as an example ("approaches such as TIP (thought switching penalty)";
    :func:`_listed_example`)."""
    doc = long_.doc
    cues = word_list("prior_work_cues")
    sent = long_.sent
    first, last = min(short.start, long_.start), max(short.end, long_.end)
    if last < len(doc) and doc[last].text == ")":
        last += 1
    around = [*range(max(sent.start, first - 3), first),
              *range(last, min(sent.end, last + 4))]
    if any(doc[i].lower_ in cues for i in around) or _listed_example(doc, first):
        return True
    before = first - 1
    if before > sent.start and doc[before].lower_ == "the":
        before -= 1
    if before < sent.start or doc[before].lower_ not in word_list("usage_verbs"):
        return False
    parts = word_list("component_heads")
    return doc[long_.end - 1].lower_ not in parts \
        and not (last < sent.end and doc[last].lower_ in parts)


#: Words that open an example of a list: "approaches such as TIP (thought switching
#: penalty)", "baselines, e.g., NLLB (No Language Left Behind)".
_EXAMPLE_OPENERS = frozenset({"e.g.", "e.g", "like"})


def _listed_example(doc: Doc, start: int) -> bool:
    """The definition starting at token ``start`` is an example of a list ("such as",
    "e.g." or "like" right before it, perhaps with "the" between): examples name what
    exists, not what the paper introduces. So does "including", unless a proposal cue
    (``data/words/proposal_cues.txt``) stands before it in the sentence: "strong
    baselines, including Rejection Fine-Tuning (RFT)" against "we introduce a suite of
    methods, including Language-Aware Confidence Ensemble (LACE)"."""
    i = start - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    while i >= 0 and doc[i].text == ",":
        i -= 1
    if i < 0:
        return False
    word = doc[i].lower_
    if word == "including":
        cues = word_list("proposal_cues")
        return not any(t.lower_ in cues for t in doc[doc[i].sent.start:i])
    return word in _EXAMPLE_OPENERS or (word == "as" and i > 0 and doc[i - 1].lower_ == "such")


def _redefined(forms: Sequence[str], long_form: str) -> bool:
    """Whether ``long_form``, a paper's definition of a short form, names something
    other than the known entity with the names ``forms``.

    Only the entity's long forms count (forms of two or more words); with none, or with
    a long form holding "and"/"or" (a pairing of several names, not one), the answer is
    no. A long form resembles a known one when one's merge key holds the other's, the
    keys are at least 75% alike (``difflib.SequenceMatcher.ratio``), both start with
    the same word, or at least half of the paper's content words (three letters or
    more, singular) are in it.

    Parameters
    ----------
    forms : sequence of str
        Canonical name and aliases of the known entity.
    long_form : str
        The paper's long form.

    Returns
    -------
    bool

    Examples
    --------
    >>> _redefined(["SPL", "success weighted by path length"], "Sub-Pseudo Label")
    True
    >>> _redefined(["BiGRU", "bidirectional GRU"], "Bidirectional Gated Recurrent Unit")
    False
    >>> _redefined(["FID"], "feature interaction distance")
    False
    >>> _redefined(["SPL", "success weighted by path length"], "scaled by inverse path length")
    False
    """
    longs = [f for f in forms if len(f.split()) >= 2]
    words = long_form.lower().split()
    if not longs or "and" in words or "or" in words:
        return False
    key = canonical_key(long_form)
    content = {strip_plural(w) for w in _CONTENT_WORD.findall(long_form.lower())}
    for form in longs:
        other = canonical_key(form)
        if key in other or other in key or _first_word(form) == _first_word(long_form) \
                or difflib.SequenceMatcher(None, key, other).ratio() >= 0.75:
            return False
        # "scaled by inverse path length" for "success weighted by inverse path length"
        shared = content & {strip_plural(w) for w in _CONTENT_WORD.findall(form.lower())}
        if content and 2 * len(shared) >= len(content):
            return False
    return True


_CONTENT_WORD = re.compile(r"[a-z0-9]{3,}")


def _first_word(text: str) -> str:
    """The first word of ``text``, lower case, before any hyphen, singular
    ("Region-Based ..." and "Regions with ..." both give "region")."""
    return strip_plural(text.split()[0].split("-")[0].lower())


def _drop_known(doc: Doc, text: str, senses: set[tuple[str, str]]) -> None:
    """Remove the gazetteer candidates of ``doc`` with surface ``text`` and a (type,
    canonical name) in ``senses`` (a short form the paper defines as something else)."""
    group = doc.spans.get(CANDIDATES)
    if group is not None:
        doc.spans[CANDIDATES] = [s for s in group if not (
            (s.label_, s.kb_id_) in senses and s.id_.startswith("gazetteer") and s.text == text)]


def _family(name: str, *spans: Span) -> bool:
    """``name`` or a span's text is a method family (``data/words/method_families.txt``):
    "a novel generative adversarial network (GAN) variant" describes, it does not name."""
    return in_word_list("method_families", name, *(s.text for s in spans))


def _not_entity(span: Span) -> bool:
    """The span's text is listed in ``data/words/not_entities.txt``."""
    return in_word_list("not_entities", span.text)


#: Prepositions that open the complement of a long form's head noun: "Pixel-level
#: Classifier for Single Image Super-Resolution" is a classifier.
_HEAD_PREPOSITIONS = frozenset({"for", "of", "with", "via", "using", "in", "on", "from"})


def _long_form_head(long_: Span) -> Token:
    """The head word of a long form: the word before its first preposition when that
    word names an artefact (``data/words/long_form_heads.txt``; an English noun
    phrase's head comes before its prepositional complement: "Pixel-level Classifier
    for Single Image Super-Resolution", "Diffusion Model for ... Classification"),
    else its last word ("Fréchet Inception Distance"). Other words before the
    preposition do not count: "CTR Prediction with Large Language Model
    Augmentation" is a method named by its task, "domain adaptation for semantic
    segmentation" a task.

    Parameters
    ----------
    long_ : Span
        The long form of an abbreviation definition.

    Returns
    -------
    Token
    """
    for k in range(1, len(long_) - 1):
        if long_[k].lower_ in _HEAD_PREPOSITIONS:
            word = long_[k - 1]
            if in_word_list("long_form_heads", word.lower_):
                return word
            break
    return long_[-1]


def _known_head(known: dict[tuple[int, int], list[Span]], long_: Span,
                head: Token) -> EntityType | None:
    """The type of the metric or dataset name of the gazetteer that ends at the long
    form's head word ``head`` inside the long form: "reconstruction FID (rFID)" is a
    metric as FID is (:data:`_HEAD_SENSES`).

    Parameters
    ----------
    known : dict of (int, int) to list of Span
        Gazetteer candidates by token range.
    long_ : Span
        The long form of a definition.
    head : Token
        Its head word (:func:`_long_form_head`).

    Returns
    -------
    EntityType or None
        The type of the longest such name (its last such sense), or None.
    """
    for start in range(long_.start, head.i + 1):
        senses = [s for s in known.get((start, head.i + 1), ()) if s.label_ in _HEAD_SENSES]
        if senses:
            return EntityType(senses[-1].label_)
    return None


#: Gazetteer types a name gives the long form it ends: a metric or dataset stays one
#: with a modifier, but a task name ends many method names ("Prototype Guided
#: Backdoor Defense (PGBD)") and a method name many variants the paper proposes.
_HEAD_SENSES = frozenset({"metric", "dataset"})


def _word_after(doc: Doc, short: Span) -> str | None:
    """The lower-case word right after a parenthesised short form ``(SHORT) word``, or
    None when the short form is not parenthesised or ends the doc."""
    i = short.end
    if i < len(doc) and doc[i].text == ")":
        i += 1
    if i < len(doc) and short.start > 0 and doc[short.start - 1].text == "(":
        return doc[i].lower_
    return None


def _head_after(doc: Doc, short: Span, heads: dict[str, EntityType]) -> EntityType | None:
    """The type named by a head word right after ``(SHORT)``, e.g. ``(HIE) layer``.

    Only the words of ``data/words/short_form_heads.txt`` count (their type is the one
    of ``data/words/heads.tsv``); None when no such word follows.
    """
    word = _word_after(doc, short)
    word = strip_plural(word) if word is not None else None
    return heads.get(word) if word in word_list("short_form_heads") else None


def _named_by_family_word(doc: Doc, short: Span, long_: Span) -> bool:
    """A singular family word (``data/words/family_words.txt``) follows ``(SHORT)`` and every
    word of the long form but function words is capitalised: "a novel Progressive
    Motion Generation (PMG) method", "an Entropy-based Out-Of-distribution Detection
    (EOOD) framework" name one method, whatever the long form's last word. A lower-case
    long form is what the method is for ("a few-shot class-incremental learning (FSCIL)
    method"), and a plural family word ("(FSCIL) methods") is many methods for it.
    """
    if _word_after(doc, short) not in word_list("family_words") or long_.start > short.start:
        return False
    return all(w[:1].isupper() or w in _FUNCTION_WORDS for w in span_text(long_).split())


def _appositive_type(doc: Doc, short: Span, long_: Span) -> EntityType | None:
    """What an appositive right after ``LONG (SHORT)`` calls the pair
    (:func:`kgraph.extract.patterns.appositive_type`): "Confidence-Aware Response
    Generation (CARG), a framework that ...", "multi-token prediction (MTP), a novel
    approach ...", "Flower Pose Estimation (FloPE), a real-time flower pose estimation
    framework" are methods whatever the long form's last word; "(IDMR), a novel task"
    is a task. None when the short form is not parenthesised after its long form."""
    i = short.end
    if long_.start > short.start or short.start == 0 or doc[short.start - 1].text != "(" \
            or i >= len(doc) or doc[i].text != ")":
        return None
    return appositive_type(doc, i + 1)


def _names_title(doc: Doc, short: Span) -> bool:
    """The short form is the title's name before its separator (:func:`title_separator`):
    "ECLARE: Efficient cross-planar learning ..." and, in the abstract, "Efficient
    Cross-planar Learning for Anisotropic Resolution Enhancement (ECLARE)". The title
    names the paper's own work, so the definition is the method even when its long
    form ends in a task's head word."""
    sep = title_separator(doc, title_end(doc))
    return sep is not None and sep.i < 8 and doc[:sep.i].text == short.text


def _task_named(long_: Span) -> bool:
    """"task" or "problem" stands right before the long form, or before a naming word
    (``data/words/naming_words.txt``) before it: "a novel task named predictive object
    detection (POD)"."""
    doc = long_.doc
    i = long_.start - 1
    if i >= 0 and doc[i].lower_ in word_list("naming_words"):
        i -= 1
    return i >= 0 and doc[i].lower_ in ("task", "problem")


#: Words a Title Case name leaves in lower case ("Hierarchy of Grounding").
_FUNCTION_WORDS = frozenset({"of", "for", "and", "the", "in", "on", "with", "to", "via", "a",
                             "an", "by", "from"})


def _task_head_after(doc: Doc, short: Span) -> bool:
    """A task head word (``data/words/task_heads.txt``) follows ``(SHORT)``: the pair
    names what the task works on ("White blood cell (WBC) classification", "Facial Action
    Units (AUs) detection"), neither a method nor the paper's own."""
    return _word_after(doc, short) in word_list("task_heads")


@Language.factory("kgraph_context")
def make_context(nlp: Language, name: str) -> ContextMatcher:
    """Factory of :class:`kgraph.extract.patterns.ContextMatcher` with the shipped rules."""
    return ContextMatcher(nlp, load_rules())


@Language.factory("kgraph_title")
def make_title(nlp: Language, name: str) -> "TitleNameComponent":
    """Factory of :class:`TitleNameComponent`."""
    return TitleNameComponent()


class TitleNameComponent:
    """The prefix of a title such as ``"PRES: Toward Scalable ..."`` names the paper's
    own contribution; the task phrases of the title (:func:`title_tasks`) become task
    candidates.

    The prefix (at most four tokens before the first colon of the title, or before a
    spaced dash without a colon, :func:`title_separator`; a hyphen inside a word not
    counted: "Nemotron-CC-Math") must hold a name-shaped token, or be
    one word shaped like a name (``D-Former``), and no phrase (:func:`_prefix_names`).
    It becomes a proposed candidate: a dataset when the subtitle, perhaps after
    "Towards", is a noun phrase whose head is a dataset word (``"X: A Benchmark for
    ..."``, :func:`kgraph.extract.patterns.described_type`), else a method. Opening
    words of ``data/words/title_openers.txt`` ("Beyond", "Revisiting") are cut from
    the prefix, and then the name is a candidate only: it is what the paper goes
    beyond or revisits, not its own. An article opening the title is no part of the
    name ("The InviTE Corpus: ..."), and a lower-case dataset word
    (``data/words/dataset_cues.txt``) ending the prefix makes the name before it a
    dataset ("The ProLiFIC dataset: ..."). A prefix that is one word of
    ``data/words/study_words.txt`` ("Position: ...", "Survey: ...") says what kind of
    paper it is and names nothing. A gazetteer entry of the other type with the same
    name yields to the paper's own (:func:`_drop_colliding`).
    """

    max_tokens = 4

    def __call__(self, doc: Doc) -> Doc:
        end = title_end(doc)
        add_spans(doc, CANDIDATES, title_tasks(doc, end))
        colon = title_separator(doc, end)
        if colon is None or colon.i == 0:
            return doc
        phrase = colon.i <= 2 * self.max_tokens and _phrase_name(doc, colon.i, end)
        # a hyphen inside a word is no token of the name: "Nemotron-CC-Math" is one word
        inner = sum(1 for t in doc[1:colon.i] if t.text == "-" and not t.whitespace_
                    and not doc[t.i - 1].whitespace_)
        if colon.i - inner > self.max_tokens and not phrase:
            return doc
        start = 0
        while start < colon.i - 1 and doc[start].lower_ in word_list("title_openers"):
            start += 1  # "Beyond LLaVA-HD: ..." names LLaVA-HD's successor, not "Beyond"
        # "The InviTE Corpus: ...", "A New HOPE: ...": the article is no part of the name
        first = start + (start < colon.i - 1 and doc[start].lower_ in _ARTICLES
                         and bool(doc[start].whitespace_))  # not "A-SDM: ..."
        prefix = doc[first:colon.i]
        if len(prefix) == 1 and prefix[0].lower_ in word_list("study_words"):
            return doc  # "Position: ...", "Survey: ...": the kind of paper, no name
        # "The ProLiFIC dataset: ...": a lower-case dataset word after the name types it
        cue = len(prefix) > 1 and prefix[-1].is_lower \
            and prefix[-1].lower_ in word_list("dataset_cues")
        if cue:
            prefix = prefix[:-1]
        glued = not any(t.whitespace_ for t in prefix[:-1])  # one word: "D-Former"
        # one capitalised word names the paper's work ("Sonata: ..."), but not after an
        # opener ("Beyond Semantics: ...")
        shaped = any(t._.kg_name for t in prefix) or (
            glued and is_name_shaped(prefix.text, in_title=start > 0)) or phrase
        if not shaped or prefix[0].is_punct:
            return doc
        parts = _prefix_names(prefix)
        if not parts:
            return doc
        # "ICE-Bench: A Unified and Comprehensive Benchmark for ...": the subtitle's head
        # "Cross3DReg: Towards a Large-scale ... Benchmark": the phrase after "Towards"
        after = colon.i + 1
        if after < end and doc[after].lower_ in _TOWARDS:
            after += 1
        described = described_type(doc, after, _title_tokens(doc, end))
        label = "dataset" if cue else described.value if described is not None else "method"
        spans = [Span(doc, s, e, label=label, span_id="title:title_prefix") for s, e in parts]
        add_spans(doc, CANDIDATES, spans)
        if start == 0:  # "Beyond LLaVA-HD:", "Revisiting ResNets:": what the paper studies
            add_spans(doc, PROPOSED, spans)
            for span in spans:
                _drop_colliding(doc, span)
        return doc


_TOWARDS = frozenset({"towards", "toward"})
#: Types between which a title prefix overrides a gazetteer entry of the same name.
_COLLIDING = frozenset({"method", "dataset"})


def _drop_colliding(doc: Doc, own: Span) -> None:
    """The paper's own name in its title prefix, ``own``, is no gazetteer entry of
    another type that happens to share it: in "PatternNet: Visual Pattern Mining with
    Deep Neural Network" and "MAVEN: Multi-modal Attention for ..." the paper names
    its method, not the PatternNet or MAVEN dataset; in "BEAR: A Video Dataset for ..."
    a dataset, not the BEAR method.

    When a context pattern of the abstract gives the name the title's type too ("a
    novel deep neural network architecture called PatternNet"), the gazetteer sense is
    dropped for every occurrence of the name in the paper, and a definition it typed
    ("MAVEN (Multi-modal Attention for Valence-Arousal Emotion Network)") takes the
    title's type. Without that agreement the gazetteer keeps its sense: "Quilt-1M: One
    Million Image-Text Pairs for Histopathology" is the dataset it knows. Only method
    and dataset senses are exchanged: "SPICE: Semantic Propositional Image Caption
    Evaluation" is the metric of its gazetteer entry.

    Parameters
    ----------
    doc : Doc
        The paper, with gazetteer candidates.
    own : Span
        The title prefix candidate, labelled with the type its subtitle gives.
    """
    if own.label_ not in _COLLIDING:
        return
    cands = doc.spans.get(CANDIDATES, [])
    senses = {(s.label_, s.kb_id_) for s in cands
              if s.start == own.start and s.end == own.end and s.id_.startswith("gazetteer")}
    if not senses or any(t not in _COLLIDING or t == own.label_ for t, _ in senses):
        return
    # the abstract agrees: a context pattern gives the name the title's type
    if not any(s.label_ == own.label_ and s.id_.startswith("pattern") and s.text == own.text
               for s in cands):
        return
    kept = []
    for s in cands:
        if (s.label_, s.kb_id_) not in senses:
            kept.append(s)
        elif s.id_ == "abbreviation":  # "MAVEN (Multi-modal Attention for ...)", typed by it
            kept.append(Span(doc, s.start, s.end, label=own.label_, span_id=s.id_))
        elif not s.id_.startswith("gazetteer"):
            kept.append(s)
    doc.spans[CANDIDATES] = kept


def _title_tokens(doc: Doc, end: int) -> int:
    """Number of tokens of the title, which ends at character offset ``end``."""
    return bisect.bisect_left(token_texts(doc)[1], end)


def _phrase_name(doc: Doc, colon: int, end: int) -> bool:
    """Whether the title's words before its colon at token ``colon`` are a name made of
    plain words: "Hybrid Distillation: Connecting Masked Autoencoders with ...",
    "Prototype-Sample Relation Distillation: Towards ...", "Hybrid guiding: A
    multi-resolution refinement approach for ...".

    Two to four words of letters and inner hyphens, the first capitalised and not a
    verb form in *-ing* ("Bridging the Gap") or a title opener; no word that is or
    starts with a stop word (spaCy's English list: "Less is More", "Fire Together Wire
    Together", "off-the-shelf"), no adverb in *-ly* ("Graphically Speaking") and no
    word of ``data/words/title_slogan_words.txt`` ("Personality Matters", "Let ...");
    not ending in a task head (``data/words/task_heads.txt``: "Convergent Learning"
    names a problem) or a study word, and not a gazetteer name as it stands ("Vision
    Transformers: ..."). A subtitle that speaks of a study (``data/words/study_words.txt``:
    "A Comprehensive Survey of ...") or opens with a question or a verb of study
    (``data/words/study_openers.txt``: "Are ...", "Exploring ...") makes the prefix the
    topic studied.

    Parameters
    ----------
    doc : Doc
        Title and abstract, with gazetteer candidates.
    colon : int
        Token index of the title's first colon.
    end : int
        Character offset where the title ends.

    Returns
    -------
    bool
    """
    words = [w for w in _title_words(doc, end) if w[0] < colon]
    if not 2 <= len(words) <= 4 or not words[0][2][:1].isupper():
        return False
    slogans = word_list("title_slogan_words")
    for s, e, text in words:
        low = text.lower()
        if not _PHRASE_WORD.match(text) or low in slogans or doc[s].is_stop \
                or (low.endswith("ly") and not low.endswith("aly") and len(low) > 5):
            return False  # "off-the-shelf", "Graphically Speaking"
    first, last = words[0][2].lower(), words[-1][2].lower()
    heads, study = word_list("task_heads"), word_list("study_words")
    if first.endswith("ing") or first in word_list("title_openers") \
            or {last, strip_plural(last)} & (heads | study):
        return False
    if any(s.start == 0 and s.end == colon and s.id_.startswith("gazetteer")
           for s in doc.spans.get(CANDIDATES, [])):
        return False
    subtitle = doc[colon + 1:min(colon + 7, _title_tokens(doc, end))]
    if len(subtitle) and subtitle[0].lower_ in word_list("study_openers"):
        return False
    return not any(strip_plural(t.lower_) in study for t in subtitle)


def _prefix_names(prefix: Span) -> list[tuple[int, int]]:
    """The names a title prefix holds, as token ranges: the whole prefix, or the two
    sides of "X and Y" that each hold a name-shaped token ("FortisAVQA and MAVEN").
    A prefix with another lower-case function word between its words is a phrase,
    not a name: "LLMs as Deceptive Agents", "AI Hiring with LLMs", "Catastrophic
    Forgetting in LLMs" (none), and so is a comparison ("DeepSeek vs. o3-mini").

    Parameters
    ----------
    prefix : Span
        The title's words before its first colon.

    Returns
    -------
    list of (int, int)
    """
    if any(t.lower_ in _VERSUS for t in prefix):
        return []  # "DeepSeek vs. o3-mini: ...": the models the paper compares
    links = [t for t in prefix[1:-1] if t.is_stop and t.is_lower and t.whitespace_
             and prefix.doc[t.i - 1].whitespace_] if len(prefix) > 2 else []
    if not links:
        return [(prefix.start, prefix.end)]
    if len(links) > 1 or links[0].lower_ != "and":
        return []
    sides = [prefix.doc[prefix.start:links[0].i], prefix.doc[links[0].i + 1:prefix.end]]
    return [(side.start, side.end) for side in sides if any(t._.kg_name for t in side)]


_VERSUS = frozenset({"vs", "vs.", "versus"})
#: Articles that may open a title before its name ("The InviTE Corpus: ...").
_ARTICLES = frozenset({"the", "a", "an"})
_TITLE_BOUNDS = {":", ",", "?", "!", "-", "–", "—", ";", "(", ")"}
_PHRASE_WORD = re.compile(r"^[A-Za-z]+(?:-[A-Za-z]+)*$")
#: Linking words after which a title names a problem ("for", "towards"), not a
#: technique ("via", "with", "using").
_TASK_OPENERS = {"for", "in", "towards", "toward", "on", "of", "to"}
#: Last parts of hyphenated qualities besides the attributive suffixes and stop words:
#: "Zero-Cost", "One-Step", "Attack-Tolerant", "Photo-Realistic", "End-to-End".
_QUALITY_ENDS = {"cost", "step", "tolerant", "realistic", "end", "module"}


def _title_words(doc: Doc, end: int) -> list[tuple[int, int, str]]:
    """The title's words as ``(start token, end token, text)``; a hyphenated word
    ("Rehearsal-Free") is one word although the tokenizer splits it."""
    words: list[tuple[int, int, str]] = []
    texts, starts, ends = token_texts(doc)
    for i in range(min(len(doc), 96)):
        if starts[i] >= end:
            break
        # no whitespace after the previous token: its end is this token's start
        if words and i > 0 and ends[i - 1] == starts[i] and (
                texts[i] == "-" or words[-1][2].endswith("-")):
            s, _, text = words[-1]
            words[-1] = (s, i + 1, text + texts[i])
        else:
            words.append((i, i + 1, texts[i]))
    return words


def title_tasks(doc: Doc, end: int, max_words: int = 4) -> list[Span]:
    """Task phrases a title names: ``"Lossless Compression with ..."``, ``"... for
    Tiny Deep Learning"``, ``"... via Motif Discovery"``.

    A phrase is 2 to ``max_words`` plain words (letters and inner hyphens; no name-shaped
    token, no word of ``data/words/task_np_stop.txt``) whose last word is a task head
    (``task_heads.txt`` or ``title_task_heads.txt``), standing between two bounds: the
    title's start or end, a colon, comma, question mark or dash, or a linking word of
    ``data/words/title_task_links.txt``; before the phrase only the start, a mark or a
    word of ``_TASK_OPENERS`` ("for", "towards") — after "via" or "with" a title names a
    technique. A phrase ending in a weak head ("learning", flagged ``setting`` in
    ``data/words/heads.tsv``) needs such a word before it: leading the title, "Iterative
    Soft Shrinkage Learning" names the method as often as a task. Leading hyphenated
    qualities ("Memory-Efficient"), stop words ("Efficient", "Robust") and a leading
    verb form ("Rethinking", "Leveraging": a word in *-ing* before the head; after "to",
    a verb of ``data/words/purpose_verbs.txt``: "to Enhance Image Classification") are
    left out, as an annotator leaves them out of a task's name. A phrase before the
    title's colon is the paper's name (:class:`TitleNameComponent`),
    not a task; nor is a phrase right after the colon that ends in a technique head
    (``title_task_heads.txt``), or that "for" follows, and spells that name ("TEMPO:
    Temporal Preference Optimization of ...", "MARIC: Multi-Agent Reasoning for Image
    Classification"): it is the name's long form, and the task comes after "for".

    Parameters
    ----------
    doc : Doc
        Title and abstract; only tokens starting before ``end`` are read.
    end : int
        Character offset where the title ends (:func:`title_end`).
    max_words : int
        Longest phrase, in words.

    Returns
    -------
    list of Span
        Task candidates, rule ``title:title_task``.
    """
    # "Iterative Soft Shrinkage Learning for ...": a title's "... Learning" is as often
    # the method's name as a task, so the weak heads of heads.tsv end one only after a
    # word that opens a task ("... for Tiny Deep Learning", "... in Contrastive Learning")
    weak_heads = setting_heads()
    heads = (word_list("task_heads") | word_list("title_task_heads")) - weak_heads
    technique_heads = word_list("title_task_heads")
    links, stop = word_list("title_task_links"), word_list("task_np_stop")
    qualities = word_list("attributive_suffixes") | stop | _QUALITY_ENDS
    words = _title_words(doc, end)
    colon = next((k for k, w in enumerate(words) if w[2] == ":"), None)
    out = []

    def bound(k: int) -> bool:
        return (k < 0 or k >= len(words) or words[k][2] in _TITLE_BOUNDS
                or words[k][2].lower() in links)

    def opens(k: int) -> bool:
        """Word ``k`` may stand before a task: after "via", "with", "using" or "based
        on" a title names a technique ("... via Latent Quantization", "... Based on
        Attribute Learning"), not a problem."""
        if k >= 1 and words[k][2].lower() == "on" and words[k - 1][2].lower() == "based":
            return False
        return k < 0 or words[k][2] in _TITLE_BOUNDS or words[k][2].lower() in _TASK_OPENERS

    def qualifier(k: int) -> bool:
        """A hyphenated quality before the task: "Memory-Efficient", "Value-Driven"."""
        text = words[k][2].lower()
        return "-" in text and text.rsplit("-", 1)[1] in qualities

    def plain(k: int) -> bool:
        s, e, text = words[k]
        return bool(_PHRASE_WORD.match(text)) and not any(t._.kg_name for t in doc[s:e]) \
            and text.lower() not in stop

    for k, (_, head_end, text) in enumerate(words):
        weak = text.lower() in weak_heads
        if not (weak or text.lower() in heads) or not bound(k + 1) or not plain(k):
            continue
        first = k
        while first > 0 and k - first + 1 < max_words and plain(first - 1) \
                and not bound(first - 1):
            first -= 1
        if first > 0 and not bound(first - 1) and words[first - 1][2].lower() not in stop:
            continue  # the phrase runs on into a name or symbol: not a plain task
        if not opens(first - 1) and (words[first - 1][2].lower() not in stop
                                     or words[first - 1][2].lower() in links):
            continue
        if weak and (first == 0 or words[first - 1][2].lower() not in _TASK_OPENERS):
            continue
        while first < k and qualifier(first):
            first += 1
        if first < k and (words[first][2].endswith("ing") or (
                first > 0 and words[first - 1][2].lower() == "to"
                and words[first][2].lower() in word_list("purpose_verbs"))):
            first += 1  # "Rethinking Image Inpainting", "to Enhance Image Classification"
        if k - first < 1 or (colon is not None and k + 1 == colon and first == 0):
            continue
        if colon is not None and first == colon + 1 and (
                text.lower() in technique_heads
                or k + 1 < len(words) and words[k + 1][2].lower() == "for") \
                and _spells(" ".join(w[2] for w in words[:colon]),
                            " ".join(w[2] for w in words[first:k + 1])):
            continue  # "TEMPO: Temporal Preference Optimization": the name's long form
        out.append(Span(doc, words[first][0], head_end, label="task",
                        span_id="title:title_task"))
    return out


def _spells(name: str, phrase: str) -> bool:
    """Whether the capitals of ``name`` and the initials of ``phrase``'s words (split at
    spaces and hyphens) agree as an abbreviation and its long form: the same first
    letter, and one sequence of letters inside the other in order ("TEMPO" and
    "Temporal Preference Optimization", "VideoMAP" and "Video Autoregressive
    Pretraining", "MSPLoRA" and "Multi-Scale Pyramid Low-Rank Adaptation")."""
    caps = "".join(c for c in name if c.isupper())
    initials = "".join(w[0] for w in re.split(r"[\s-]+", phrase) if w[:1].isalpha()).upper()
    if len(caps) < 2 or len(initials) < 2 or caps[0] != initials[0]:
        return False

    def inside(short: str, long_: str) -> bool:
        rest = iter(long_)
        return all(c in rest for c in short)
    return inside(caps, initials) or inside(initials, caps)


def build_pipeline(lexicons: Sequence[str] = ()) -> Language:
    """Build kgraph's extraction pipeline.

    Parameters
    ----------
    lexicons : sequence of str
        Extra user lexicon files (see :func:`kgraph.extract.gazetteer.load_gazetteer`).

    Returns
    -------
    spacy.language.Language
        ``spacy.blank("en")`` with kgraph's tokenizer (:data:`TOKENIZER`, see
        :mod:`kgraph.extract.tokenizer`) and the components of :data:`PIPELINE`.

    Raises
    ------
    kgraph.errors.InputError
        A user lexicon cannot be read.
    """
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    fast_lexeme_getters(nlp.vocab)
    for name in PIPELINE:
        config = {"lexicons": [str(p) for p in lexicons]} if name == "kgraph_gazetteer" else {}
        nlp.add_pipe(name, config=config)
    return nlp


def _url_entities(doc: Doc, sentences: list[int]) -> list[Entity]:
    matches = find_urls(doc_text(doc))
    if not matches:
        return []
    idx = token_texts(doc)[1]
    found: dict[tuple[EntityType, str], Entity] = {}
    for m in matches:
        etype = EntityType.REPOSITORY if m.is_repository else EntityType.URL
        # a link into a repository (/tree/main/...) names the repository itself
        url = (repository_url(m.url) or m.url) if m.is_repository else m.url
        key = url_key(url)
        i = max(0, bisect.bisect_right(idx, m.start) - 1)
        mention = Mention(m.text, m.start, m.end, sentences[i] if sentences else 0, "url")
        ent = found.get((etype, key))
        if ent is None:
            ent = found[(etype, key)] = Entity(etype, url, key, [], [])
        ent.mentions.append(mention)
        if m.text not in ent.aliases:
            ent.aliases.append(m.text)
    return list(found.values())


def _sentence_numbers(doc: Doc) -> list[int]:
    """Sentence number of every token (title = 0): as
    :func:`kgraph.extract.entities.sentence_index`, on the ``SENT_START`` array."""
    return sentences_of(doc)[0]


def sentences_of(doc: Doc) -> tuple[list[int], list[tuple[int, int]]]:
    """The sentence number of every token, and the character span of every sentence.

    Parameters
    ----------
    doc : Doc
        With sentence starts set (``kgraph_sentences``).

    Returns
    -------
    numbers : list of int
        One per token: as :func:`kgraph.extract.entities.sentence_index` (title = 0).
    spans : list of (int, int)
        ``[(s.start_char, s.end_char) for s in doc.sents]``, read from the
        ``SENT_START`` array and the token offsets of
        :func:`kgraph.extract.tokenizer.token_texts` instead of Span objects.
    """
    if not len(doc):
        return [], []
    _, token_starts, token_ends = token_texts(doc)
    starts = doc.to_array(SENT_START) == 1
    starts[0] = True
    first = numpy.flatnonzero(starts).tolist()
    spans = [(token_starts[a], token_ends[b - 1]) for a, b in zip(first, first[1:] + [len(doc)])]
    return (numpy.cumsum(starts) - 1).tolist(), spans


def doc_to_entities(doc: Doc) -> list[Entity]:
    """Read the entities of a processed doc.

    Parameters
    ----------
    doc : Doc
        Output of :func:`build_pipeline`'s pipeline on ``paper.text``.

    Returns
    -------
    list of Entity
        Datasets, metrics, methods, tasks (in :data:`TYPE_PRIORITY` order, each by
        first mention), then repositories and other URLs.
    """
    return _entities(doc, _sentence_numbers(doc))


def _entities(doc: Doc, sentences: list[int]) -> list[Entity]:
    """:func:`doc_to_entities`, given the sentence number of every token."""
    drafts = resolve_entities(doc)
    entities = [draft_to_entity(d, sentences) for d in drafts]
    order = {t: i for i, t in enumerate(TYPE_PRIORITY)}
    entities.sort(key=lambda e: (order[e.type], e.mentions[0].start))
    return entities + _url_entities(doc, sentences)
