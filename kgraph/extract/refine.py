"""Refine candidate spans before entities are resolved.

The candidate components (gazetteer, abbreviations, context patterns, title rule) each
see a little of the text; the rules here look at what they proposed together and
reshape it. :func:`refine_candidates` applies them in this order:

1. **Trim attributive suffixes.** ``VGG-based``, ``ResNet-like``, ``TALC-finetuned``
   name ``VGG``, ``ResNet``, ``TALC``: a context-pattern span is cut at ``-based``/
   ``-like``/… (the words of ``data/words/attributive_suffixes.txt``) and the pieces that
   look like names on their own (two capitals or a digit) kept; one plain capitalised
   word before such a suffix and a Title Case word ("Text-based Person Retrieval") is
   the start of a longer name and no name itself. Long forms of
   abbreviations ("Consistency-Aware Inference") are left whole, and so are names whose
   Title Case words after the suffix make a name of their own ("Softmax-aware
   Binarization"; :func:`kgraph.extract.patterns.titled_compound`). A metric span with
   such a suffix is dropped: "ROUGE-based metrics" are metrics built on ROUGE.
2. **Versions glued to a known name.** A dataset name joined by a hyphen to a version
   marker (``ImageNet-C``, ``Ego4D-NLQ``, ``N-Caltech101``, ``Tiny-ImageNet-R``) names a
   different dataset, and a method name joined to a size marker (``SHViT-S4``,
   ``WideResNet-40``, ``Mixer-B/16``, ``DaViT-Tiny``, ``DINO-v2``) or a capitalised prefix
   (``LV-ViT``, ``Mask-RCNN``) a different model: the span grows to the whole glued
   word; other occurrences of a one-word method candidate are read the same way (the
   title's ``SHViT``, the abstract's ``SHViT-S4``). A single token that is a known model
   name and a depth (``WideResNet-40``, which the tokenizer keeps whole) is that model
   too, and a size word after it is part of it (``DDRNet-23-slim``). Lower-case words
   after the hyphen (``-style``) are not markers, except size words (``E5-large``,
   ``GPT-5-nano``, ``DeBERTa-v3-base``). Any words before a parameter count in billions
   make a checkpoint of the model (``Qwen2.5-Math-1.5B``, ``DeepSeek-R1-Distill-Qwen-7B``,
   ``Qwen3-8B-Base``), which a dataset cue before it ("experiments on Qwen3-8B-Base")
   does not make a dataset.
3. **Resolutions.** ``ImageNet 256 x 256``, ``ImageNet 256x256 and 512x512``, ``ImageNet
   64``: a dataset followed by an image size names the down-sampled benchmark
   ``ImageNet 256x256`` (one entity per size), as the generative-modelling literature
   reports them separately.
4. **Slash and ampersand lists.** ``WSJ0-2/3mix``, ``UVG8/17``, ``CIFAR10&100``,
   ``Something-Something V1/V2``, ``WHAM!/WHAMR!``: a dataset span whose last word lists
   versions yields one candidate per version (same token range, one canonical name
   each). Model names such as ``ViT-L/16`` are not lists (rule 2 reads the patch size).
5. **Task phrases grow to their modifiers.** ``representation learning`` preceded by
   ``unsupervised video`` becomes ``unsupervised video representation learning``: a task
   span extends left over the setting and modality words of
   ``data/words/task_modifiers.txt`` (also hyphenated: ``few-shot``, and any pair of
   modifiers such as ``vision-language``, ``real-time`` or ``image-to-video``), and over
   the input it is based on (``event-based``, ``audio-driven``, ``layout-aware``: a word
   of ``data/words/task_inputs.txt``, never a technique such as ``flow-based``).
   A naming word before a capitalised task is the verb ("a new task named Multimodal
   Reference Visual Grounding"), not the modifier of "named entity recognition". A
   purpose verb or evaluative adjective opening a task found by shape is no part of it
   ("for evaluating video understanding", "for enhanced feature extraction"; the words
   of ``data/words/task_purpose_words.txt``); when only a bare head remains ("enhanced
   reasoning") or the verb's preposition follows ("choosing between reasoning modes")
   there is no task. Before "and" or "or" the word is a noun ("understanding and
   generation") and stays. A lower-case adjective of degree joins only before the
   word it measures ("long video understanding", not "high fairness"; the pairs of
   ``data/words/task_degree_modifiers.txt``).
6. **A definition in the paper wins.** When the paper defines an abbreviation
   (Schwartz & Hearst, see :mod:`kgraph.extract.abbreviations`), a gazetteer entry
   that merely has the short form as an alias (``INR`` for ImageNet-R in a paper about
   "implicit neural representations (INR)") is dropped — an entry whose own name is
   the short form (``CNN``) stays, unless the long form written before it is a known
   name of another type ("multimodal misinformation detection (MMD)" is a task, so not
   the metric MMD; "mean absolute error (MAE)" not the masked autoencoder) — and
   context-pattern guesses on
   that short form take the type of the definition — or are dropped as datasets when
   the definition names no entity ("computed tomography (CT)"). This is the
   one-sense-per-discourse heuristic (Gale, Church & Yarowsky, 1992, "One sense per
   discourse", HLT) applied to abbreviations. In the same way a short form followed by
   the rest of a known task's name is that task: after "multivariate time series
   (TS)", "TS forecasting" and "time series (TS) forecasting" are time series
   forecasting.
   A lower-case match that starts inside a hyphenated word ("self-" + "supervised
   contrastive learning") is dropped: it is part of a different phrase, and so is a
   hyphenated lower-case metric before a noun ("inference-time scaling"). So is a
   task alias that is an "X-to-Y" compound without its head ("image-to-video" for
   image-to-video generation) before the head of another operation ("image-to-video
   adaptation"; ``data/words/task_head_synonyms.txt`` groups the heads of one
   operation), or written with spaces after "from" ("from image to video domain").
   A phrase found only by its shape after "for" that ends in a head of techniques as
   much as of problems ("for semantic feature learning", "for layer alignment";
   ``data/words/weak_task_heads.txt``) is dropped too.
8. **Capitalised heads belong to the name.** A context pattern that stops before its
   cue word ("Single-Head Vision" before "Transformer", "Cross-scale Shift" before
   "Network") takes the cue in when it is capitalised mid-sentence: the cue is the
   name's head. Spans that are only a size, a precision, a dimension or a measure
   (``13B``, ``INT8``, ``FP32``, ``3D``, ``10x``, ``4ms``) are not names; a leading size
   (``13B LLaVA``) and a trailing width multiplier (``MobileViTv2 x1.0``) are cut. No
   name ends in a hyphen: a guess that ends on a dash ("LLaMA-in classifying") ends
   before it, and the first half of a suspended compound ("CNN- and Transformer-based")
   is no name. No name starts inside a hyphenated word either: a guess anchored on the
   last part of "Shape-for-Motion" or "Skywork-R1V3" grows to the whole word when it
   starts with a capital or a digit.
7. **Dataset-qualified tasks.** ``ImageNet classification``, ``COCO detection``: a bare
   task head (``data/words/bare_task_heads.txt``) right after a dataset is a task, and
   the task the dataset is the standard benchmark of when ``data/words/dataset_tasks.tsv``
   says so ("ImageNet-1K classification" is image classification, "PASCAL VOC 2007
   detection" object detection).
9. **A name the paper describes as a dataset, metric, task or method is one.** "Companies, a new
   dataset that ...", "we evaluate on ScanNet, an indoor benchmark", "FreD, a metric
   based on ...", the title "ICE-Bench: A Unified and Comprehensive Benchmark for ...":
   a name followed by a comma (perhaps with "which is": "FreeNet, which is a fully
   end-to-end network") or a colon ("we introduce IntentHQ: a new benchmark";
   in the title the colon is the title rule's) and a noun phrase whose head
   is a dataset or metric word (:func:`kgraph.extract.patterns.described_type`) has
   that type, as has a name set off after such a phrase ("we collect a new dataset,
   NEU-171K, ...", "a curated benchmark, i.e., A2 Bench"), and so have the
   context-pattern and title guesses on the same name elsewhere in the paper ("we
   introduce ICE-Bench" said nothing of its type) — one sense per discourse again. A
   name set off after a method phrase that a proposal verb opens ("we propose a novel
   method, FreeGrasp, ...") is a proposed method. So is a
   name the paper gives a new task: "we introduce a new task, Scene-agnostic Pose
   Regression (SPR)", "a novel task called Visual Jenga", "we introduce Aggregative
   Question Answering, a novel task requiring ...". A name no other rule saw
   that "a" or "an" and a phrase with a method head describe is a method
   ("GlorpDetector, a contrastive learning framework", "using MICAnet, a deep learning
   model"), the paper's own when a proposal verb stands right before it ("by
   introducing SyCAM, a metric-based approach"). The phrase reads through hyphenated
   compounds ("a state-of-the-art topic model", "an LMM-based metric").
10. **What a text calls metrics is one.** "metrics such as HPSv2, Class FID and
    answer accuracy", "metrics like inference latency", "metrics (e.g., mIoU and mAcc)",
    "the metric of Mean Joint Error": the names listed after a metric word and "such as",
    "like", "including", "e.g." or "of", and the lower-case phrases of at most three words
    whose last word is a metric head of ``data/words/heads.tsv`` ("grounding accuracy"),
    are metric candidates. A list ends at its first item that is neither ("accuracy,
    recall, and a few others"; "Positive predicted value", a capitalised word opening a
    lower-case phrase); after "of" only names count ("a measure of uncertainty" names
    none).

Every rule only uses the text and the shapes of names; none knows a particular paper.
11. **A word ending in "Bench" names a benchmark.** ``MMBench``, ``PRMBench``,
    ``MT-Bench``, ``SWE-bench``, ``TransNAS-Bench-101``: a dataset, whatever a context
    pattern or the title guessed (a gazetteer type stays); a new dataset candidate
    (rule ``pattern:benchmark_name``) where nothing typed the word. So is a candidate
    name whose last word is a capitalised "Benchmark", "Bench", "Dataset" or "Corpus"
    ("Visual Number Benchmark", "Mouse Lockbox Dataset", "an advanced corpus ...,
    called the Devanagari Corpus").
12. **A name the paper calls novel is its own.** "via a novel multi-scale
    foreground-aware Pyramid Fusion network", "a novel Event Progression Extractor
    module": a method name found before a method cue word (``data/words/method_cues.txt``)
    is proposed when "a novel" stands before it with at most five lower-case words
    between (no stop word: "a novel approach to watermark images of T2I Latent
    Diffusion Models" calls the approach novel). Names a gazetteer or a definition
    also covers are left to those, and a name glued to an attributive suffix
    ("a novel SirenNet-based architecture") is what the new thing is built on.
13. **Named parts the paper introduces.** A proposal verb
    (``data/words/proposal_verbs.txt``), an article, perhaps "novel"/"new", then a name
    (two words or more, or one name-shaped word) and a lower-case family or component
    word (``data/words/family_words.txt``, ``component_heads.txt``) or "loss": "we
    propose a Cross-layer Binarization scheme", "we design a Token Mixing mechanism",
    "we present a novel Ping-Pong loss" (a loss keeps its head word). A method cue word
    (``data/words/method_cues.txt``: "module", "network") after a name is the context
    rules' case, except after a hyphenated name, which they do not read ("a
    Slope-Aware Adaptive Feature module"); such a name may also end in its own head,
    a cue or component word ("the SAM-Noise Module", "a Detail-oriented Inference
    Branch"). The name becomes
    a proposed method candidate (rule ``pattern:proposal_part``), unless a naming word
    follows ("a Bottom-Up Patch Summarization approach named BUS": BUS is the name),
    the gazetteer knows it or it ends in a method family ("a Vision Transformer
    framework"), it is attributive ("a CNN-based framework"), or the paper defines or
    types it otherwise ("a novel CSSL method" is a method for the task CSSL).
14. **What a text calls tasks is one.** "surgical tasks such as surgical phase
    recognition, instrument segmentation and task progress estimation", "tasks (e.g.,
    legal judgment prediction)", "three tasks: floorplan synthesis, ...": the lower-case
    or Title Case ("tasks such as Brain Tumor Classification") phrases of two to five
    words listed after "tasks" and "such as", "like",
    "including", "(e.g.," or a colon, each ending in a task head word
    (``data/words/task_heads.txt``), are task candidates (rule ``pattern:task_list``).
    The list ends at the first item that is not such a phrase ("generating code"); a
    bare head word ("segmentation") is left to the other rules.
15. **The name after the head word is the name.** "we propose a novel AD framework:
    FOcus-the-Discrepancy (FOD)", "we develop a new CR model EMRDM", "we introduce a DL
    network named PRNet": when the head word that the context rule proposal_det_cue
    read as the end of a name is itself followed by a name (after a colon or a naming
    word, or right after it), that name is what the paper proposes and the word before
    the head says what kind of thing it is (a field, a task, a family). The rule's
    candidate is dropped, and its proposal with it; a parenthesis after the head word
    ("the RER architecture (Reasoner-Executor-Recorder)") defines the word before it
    and keeps it. A name of several words stays unless a naming word follows the head
    ("a novel VAR Erasure framework VARE" spells out the short form after it).
16. **A phrase the paper names is what its head word says.** "we propose a cognitive
    debiasing approach, called self-debiasing", "we propose a new distillation target,
    namely soft code assignments", "we devise two metrics, namely neighborhood precision
    and neighborhood recall", "we introduce a novel preprocessing technique called
    'patch and shuffle'": in a sentence in the paper's own voice, after a proposal verb
    or "our", a head noun (``data/words/naming_heads.tsv``, ``heads.tsv``, the family and
    component words), a naming word ("called", "named", "termed", "dubbed", "coined",
    "namely") and a lower-case or quoted phrase of at most five words: the phrase is a
    candidate of the head's type (rule ``pattern:named_phrase``), proposed when it is a
    method or dataset. After a plural head every item of the list is one ("two
    strategies, namely Multi-Directional Cyclic Shifted Mechanism and Inter-Pooling
    Mechanism"). A phrase that a parenthesis defines is left to the abbreviation rules,
    one that runs into a name ("called adaptive SAM") to the name rules, and a method
    the gazetteer knows is not the paper's.
17. **A name goes on across its short form.** "the Expression Edit Distance (EED)
    Score", "the Growth Modelling (GroMo) Grand Challenge": a context-pattern or title
    guess (not a task) that starts on a plain capitalised word right after the
    parenthesis of a defined short form is the head of a name written around the
    parenthesis, and no name of its own; it is dropped. A name-shaped word there is a
    name ("state-of-the-art (SOTA) LightningDiT models").
18. **A name the paper gives has the sense it gives.** "an adaptive part discovery and
    learning method, called APL", "our offline RL approach called TAO", "a
    bidirectional propagation method ..., dubbed BIRD": a head noun (the heads of rule
    16), perhaps a comma, a naming word ("called", "named", "termed", "dubbed",
    "coined") and a whole name the gazetteer knows only as something else (APL is
    also the metric AP_L, TAO and BIRD are datasets): the paper coins the name for a
    thing of the head's type, so the gazetteer's other senses of that name are dropped
    from the whole paper (one sense per discourse, as in rule 6) and the name is a
    candidate of the head's type. "a popular data science benchmark called BIRD" is
    the dataset the gazetteer knows.
19. **A training loss is no result.** "an MSE loss", "a KL divergence term", "LPIPS and
    VGG-based perceptual losses", "loss functions such as cross-entropy or Dice": a
    metric candidate that a loss noun (``data/words/loss_words.txt``) makes a loss is
    dropped; "minimal accuracy loss" and "a PSNR loss of 1.66 dB" are drops in a
    result and stay (:func:`_training_losses`).
20. **A name listed with a known model is a model.** "for ViT-B/16 and Mixer-B/16",
    "GPT-4o, Gemini2-Flash and Gemini2-Pro", "ResNet-50|ConvNeXt-T|Mixer-S/16": a name
    coordinated (by a comma, "and", "or", "|" or "vs.") with a model the gazetteer
    knows is a method candidate (rule ``pattern:method_sibling``), and so are the
    names listed after it in turn, up to an item typed otherwise or that is no such
    name. A comma alone makes no list ("On MedXpertQA MM, GPT-5 improves ..."): a
    conjunction must join two of the items. The name must be whole words ("instruct-0.1"
    of "t-lite-instruct-0.1" is none), not built on something (``DiT-based``), and
    have a word shaped like a model's: a digit, a capital after a lower-case letter
    (``TabNet``, ``LLaMA``), four capitals or more (``FLUX``) or a hyphenated part of
    two (``Drag-GAN``), with a capital or a hyphen, and no size or measure (``72B``,
    "3D Gaussians"); "Numerical Calculation", "KGs" and "Zero-Shot" are no model's
    names. The last name of a list must not modify a noun after it ("GoogleAI embedding
    models"; the words that may follow are ``data/words/list_item_ends.txt`` and the
    method cue and family words). This is the coordination heuristic of set expansion:
    the members of one list are things of one kind (Roark & Charniak, 1998, "Noun-phrase
    co-occurrence statistics for semi-automatic semantic lexicon construction", ACL;
    Wang & Cohen, 2007, "Language-independent set expansion of named entities using the
    web", ICDM).
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from importlib import resources

import numpy
from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span

from kgraph.canonical import canonical_key, strip_plural
from kgraph.extract.gazetteer import CANDIDATES, add_spans, builtin_gazetteer
from kgraph.extract.patterns import (ABBREVIATIONS, DESCRIBED_TYPES, NAMES, OWN_VOICE,
                                     PROPOSED, described_type, head_types,
                                     ends_in_family, in_word_list, is_attributive,
                                     is_name_shaped,
                                     title_end, titled_compound, word_list)
from kgraph.extract.tokenizer import doc_text, span_text, token_texts
from kgraph.model import EntityType

__all__ = ["refine_candidates", "glued_word", "ABBREVIATIONS"]

_DATASET = EntityType.DATASET.value
_METHOD = EntityType.METHOD.value
_TASK = EntityType.TASK.value
_METRIC = EntityType.METRIC.value

_OPEN = {"(", "[", "{", '"', "'", "“", "‘"}
_CLOSE = {")", "]", "}", ",", ".", ";", ":", '"', "'", "”", "’", "?"}

# Version markers after a dataset name: ImageNet-C, Ego4D-NLQ, COCO-Stuff, ImageNet-1K.
_DATASET_SUFFIX = re.compile(r"^(?:-(?:[A-Z0-9][A-Za-z0-9]{0,7}|v\d+(?:\.\d+)?))+$")
# Markers before it: N-Caltech101, Tiny-ImageNet, Split-CIFAR.
_DATASET_PREFIX = re.compile(r"^[A-Z][A-Za-z]{0,5}-$")
# Size and version markers after a model name: ViT-L, SHViT-S4, WideResNet-40, Mixer-B/16,
# R3D-152, DINO-v2, DaViT-Tiny, Swin-Base, E5-large, and a size word or a parameter count
# after a variant marker: Qwen2-VL-2B, InternVL2-MPO-8B, DeBERTa-v3-base, DDRNet-23-slim.
_SIZE_WORD = (r"(?:[Tt]iny|[Ss]mall|[Bb]ase|[Ll]arge|[Hh]uge|[Gg]iant|[Nn]ano|[Mm]ini|[Mm]icro"
              r"|[Ll]ite|[Ss]lim|[Mm]edium|XX?L|xx?l)")
_METHOD_SUFFIX = re.compile(r"^-(?:[A-Z]{1,3}\d{0,3}|\d{1,4}[A-Za-z]?|[vV]\d{1,2}(?:\.\d)?"
                            rf"|{_SIZE_WORD})"
                            rf"(?:/\d{{1,3}})?(?:-(?:[A-Z]\w{{0,5}}|\d{{1,3}}(?:\.\d)?[BMK]|{_SIZE_WORD}))?$")
# Markers before it: 3D-ResNet; a capitalised variant prefix: LV-ViT, T2T-ViT, E-NeRV,
# Mask-RCNN (at most 5 letters with a capital after the first, or one capital).
_METHOD_PREFIX = re.compile(r"^(?:\d[A-Z]|[A-Z](?:[A-Za-z0-9]{0,4}[A-Z0-9][a-z]{0,3})?|[A-Z][a-z]{2,4})-$")

# A checkpoint of a known model: words and a parameter count in billions after it,
# Qwen2.5-Math-1.5B, DeepSeek-R1-Distill-Qwen-7B, Qwen3-8B-Base, Qwen3-235B-A22B,
# Llama-2-7b-chat, or tags after a name that ends in one (Qwen2.5-7B-Instruct). A count
# in millions is as often a dataset's size (GPT-IMAGE-EDIT-1.5M), and a lower-case word
# other than a tag is no part of the name (Qwen2-72B-driven).
_CKPT_PART = r"-(?:[A-Z0-9][A-Za-z0-9.]*|v\d{1,2}(?:\.\d)?|chat|instruct|base|it|hf)"
_CKPT_COUNT = r"A?\d{1,4}(?:\.\d{1,2})?[Bb]"
_CHECKPOINT_SUFFIX = re.compile(rf"^(?:{_CKPT_PART})*?-{_CKPT_COUNT}(?:{_CKPT_PART})*$")
_CHECKPOINT_TAGS = re.compile(rf"^(?:{_CKPT_PART})+$")
_ENDS_IN_COUNT = re.compile(rf"[-\s]{_CKPT_COUNT}$")

#: A name on its own, not a capitalised word: two capitals or a digit (VGG, xLSTM, R3D).
NAME_LIKE = re.compile(r"[A-Z].*[A-Z]|\d")

_INT_SIZES = {"32", "64", "128", "256", "512", "1024"}
_SIZE = re.compile(r"^(\d{2,4})\s*[x×]\s*(\d{2,4})$")
_SIZE_X = {"x", "×", "X"}

_LIST_SEP = re.compile(r"[/&]")
# a match starts where a word starts (the lookbehind only spares the regex engine
# re-reading each word from each of its characters: same matches)
_LIST_WORD = re.compile(r"(?<![^\s/&])[^\s/&]+[/&]\S+")
_TRAILING_VERSION = re.compile(r"(\d+|[A-Za-z]+\d+|\d+[A-Za-z]*)$")
# A capitalised word with no other capital or digit: "Who" and "When" of "Who&When".
_PLAIN_WORD = re.compile(r"^[A-Z][a-z]+$")


def glued_word(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token range of the whitespace-delimited word around ``doc[start:end]``.

    Opening punctuation before and closing punctuation after are not part of the word,
    nor is a whitespace token (the paragraph break between the title and the abstract).

    Parameters
    ----------
    doc : Doc
    start, end : int
        A token range.

    Returns
    -------
    tuple of int
        ``(word_start, word_end)`` with ``word_start <= start`` and ``end <= word_end``.
    """
    # token i has whitespace after it when ends[i] != starts[i + 1]
    words, starts, ends = token_texts(doc)
    ws = start
    while ws > 0:
        prev = words[ws - 1]
        if ends[ws - 1] != starts[ws] or prev in _OPEN or prev in _CLOSE or prev.isspace():
            break
        ws -= 1
    we = end
    while we < len(words) and ends[we - 1] == starts[we]:
        nxt = words[we]
        if nxt in _CLOSE or nxt in _OPEN or nxt.isspace():
            break
        we += 1
    return ws, we


def _span(doc: Doc, start: int, end: int, label: str, rule: str, kb: str = "") -> Span:
    return Span(doc, start, end, label=label, kb_id=kb, span_id=rule)


def _known(text: str, label: str) -> str:
    entry = builtin_gazetteer().lookup(text, EntityType(label))
    return entry.name if entry is not None else ""


# --- rule 1 ---------------------------------------------------------------------------

def _trim_attributive(doc: Doc, spans: list[Span]) -> list[Span]:
    suffixes = word_list("attributive_suffixes")
    words = token_texts(doc)[0]
    out = []
    for span in spans:
        if _in_titled_compound(words, span):
            continue  # "Text-based Person Retrieval": part of a longer name
        cuts = [i for i in range(span.start + 1, span.end)
                if words[i].lower() in suffixes and words[i - 1] == "-"]
        if cuts and span.label_ == _METRIC and span.id_.startswith("pattern:"):
            continue  # "ROUGE-based metrics", "LLM-based metrics": metrics built on X
        if not cuts or span.label_ not in (_DATASET, _METHOD) \
                or not span.id_.startswith("pattern:") \
                or titled_compound(doc, cuts[-1] + 1, span.end):
            out.append(span)
            continue
        piece_start = span.start
        for cut in [*cuts, span.end + 1]:
            stop = cut - 1  # the "-" before the suffix word
            if stop > piece_start and NAME_LIKE.search(doc[piece_start].text):
                kb = span.kb_id_ if (piece_start, stop) == (span.start, span.end) else ""
                out.append(_span(doc, piece_start, stop, span.label_, span.id_, kb))
            piece_start = cut + 1
            while piece_start < span.end and doc[piece_start].is_space:
                piece_start += 1
    return out


def _in_titled_compound(words: list[str], span: Span) -> bool:
    """A context-pattern span that is one plain capitalised word ("Text", "Query")
    glued to an attributive suffix with a Title Case word after it ("Text-based Person
    Retrieval", "a Query-based Connector"): the word opens a longer Title Case name and
    names nothing on its own."""
    end = span.end
    return span.id_.startswith("pattern:") and len(span) == 1 \
        and _PLAIN_WORD.match(words[span.start]) is not None \
        and end + 2 < len(words) and words[end] == "-" \
        and words[end + 1].lower() in word_list("attributive_suffixes") \
        and words[end + 2].istitle()


# --- rule 2 ---------------------------------------------------------------------------

def _glued_versions(doc: Doc, spans: list[Span]) -> list[Span]:
    """Rule 2: ``spans`` with the glued versions of known names added, and without the
    dataset guesses on a checkpoint of a known model ("experiments on Qwen3-8B-Base")."""
    guessed = {(s.start, s.end) for s in spans
               if s.label_ == _DATASET and s.id_.startswith("pattern:")}
    have = {(s.start, s.end) for s in spans}
    out, models = [], set()
    for span in [*spans, *_glued_occurrences(doc, spans)]:
        if span.label_ not in (_DATASET, _METHOD):
            continue
        ws, we = glued_word(doc, span.start, span.end)
        if (ws, we) == (span.start, span.end):
            continue
        _, starts, ends = token_texts(doc)  # the glued word has no whitespace inside
        source = doc_text(doc)
        prefix = source[starts[ws]:starts[span.start]]
        suffix = source[ends[span.end - 1]:ends[we - 1]]
        checkpoint = span.label_ == _METHOD and span.id_.startswith(("gazetteer", "user")) \
            and not prefix and bool(_CHECKPOINT_SUFFIX.match(suffix) or (
                _ENDS_IN_COUNT.search(span.text) and _CHECKPOINT_TAGS.match(suffix)))
        if (ws, we) in have and not (checkpoint and (ws, we) in guessed - models):
            continue
        if any(sep in prefix + suffix for sep in "&") or ("/" in prefix):
            continue
        if checkpoint:
            ok = True
            models.add((ws, we))
        elif span.label_ == _DATASET:
            # a model family after the hyphen is a model trained on the dataset
            # ("Imagenet-CNN", "Places-CNN"), not a version of it
            ok = (not prefix or _DATASET_PREFIX.match(prefix)) and \
                 (not suffix or (_DATASET_SUFFIX.match(suffix) and not in_word_list(
                     "method_families", suffix.rsplit("-", 1)[-1])))
        else:
            ok = (not prefix or _METHOD_PREFIX.match(prefix)) and \
                 (not suffix or _METHOD_SUFFIX.match(suffix))
        if ok:
            text = source[starts[ws]:ends[we - 1]]
            out.append(_span(doc, ws, we, span.label_, "pattern:glued_version",
                             _known(text, span.label_)))
            have.add((ws, we))
    if models:
        spans = [s for s in spans if (s.start, s.end) not in models or s.label_ != _DATASET
                 or not s.id_.startswith("pattern:")]
    return spans + out


def _one_word_names(spans: list[Span]) -> dict[str, Span]:
    """The one-word, name-like method candidates among ``spans`` by text, each also under
    its singular (``QFNets`` and ``QFNet``)."""
    return {n: s for s in spans
            if s.label_ == _METHOD and len(s) == 1 and NAME_LIKE.search(t := span_text(s))
            for n in (t, strip_plural(t))}


def _glued_occurrences(doc: Doc, spans: list[Span]) -> list[Span]:
    """Other occurrences of a one-word method candidate glued to more text: the title's
    ``SHViT`` in the abstract's ``SHViT-S4`` (rule 2 then reads the marker). A plural
    candidate counts without its ``s``: ``QFNets`` finds ``QFNet-23-slim``."""
    names = _one_word_names(spans)
    if not names:
        return []
    taken = {i for s in spans for i in range(s.start, s.end)}
    words, starts, ends = token_texts(doc)
    out = []
    for i in range(len(words) - 1):
        span = names.get(words[i])
        if span is None or i in taken or words[i + 1] != "-" or ends[i] != starts[i + 1]:
            continue
        out.append(_span(doc, i, i + 1, _METHOD, span.id_, span.kb_id_))
    return out


_GLUED_DEPTH = re.compile(r"^([A-Za-z][A-Za-z0-9]*[A-Za-z])-(\d{1,4}[A-Za-z]?)$")


def _glued_depths(doc: Doc, spans: list[Span]) -> list[Span]:
    """One token ``WideResNet-40``: a known model name and a depth the tokenizer keeps
    whole, so no gazetteer phrase matched it.

    The name may also be a one-word method candidate of the doc (``QFNet-23`` after
    ``QFNets``, ``CapRL-3B`` after ``CapRL``); then the token must stand on its own, not
    end a URL or a longer hyphenated name, and its suffix must be a depth or a parameter
    count: ``-25K`` and ``-5M`` after a name are mostly the sizes of its datasets.
    """
    taken = {i for s in spans for i in range(s.start, s.end)}
    names = _one_word_names(spans)
    out = []
    for i, text in enumerate(token_texts(doc)[0]):
        if "-" not in text or not text[-1:].isalnum() or i in taken:
            continue
        m = _GLUED_DEPTH.match(text)
        if not m:
            continue
        if _known(m[1], _METHOD) or (
                m[1] in names and _CANDIDATE_DEPTH.match(m[2]) and _stands_alone(doc, i)):
            out.append(_span(doc, i, i + 1, _METHOD, "pattern:glued_version",
                             _known(text, _METHOD)))
    return out


_CANDIDATE_DEPTH = re.compile(r"^\d{1,4}B?$")


def _stands_alone(doc: Doc, i: int) -> bool:
    """Whether token ``i`` opens its whitespace-delimited word and at most a size marker
    follows it (``-slim``): not the end of a URL or of ``Qianfan-VL-8B``, nor the start of
    ``ViCA-7B-Thinking``."""
    ws, we = glued_word(doc, i, i + 1)
    if ws != i:
        return False
    _, _, ends = token_texts(doc)
    return we == i + 1 or bool(_METHOD_SUFFIX.match(doc_text(doc)[ends[i]:ends[we - 1]]))


# --- rule 3 ---------------------------------------------------------------------------

def _size_at(doc: Doc, i: int) -> tuple[int, str] | None:
    """An image size starting at token ``i``: ``(end, "256x256")`` or None."""
    if i >= len(doc):
        return None
    m = _SIZE.match(doc[i].text)
    if m:
        return i + 1, f"{m[1]}x{m[2]}"
    if doc[i].text.isdigit() and i + 2 < len(doc) + 0 and i + 2 <= len(doc) - 1 \
            and doc[i + 1].text in _SIZE_X and doc[i + 2].text.isdigit():
        return i + 3, f"{doc[i].text}x{doc[i + 2].text}"
    return None


def _resolutions(doc: Doc, spans: list[Span]) -> list[Span]:
    out = []
    for span in spans:
        if span.label_ != _DATASET:
            continue
        base = span.kb_id_ or span.text
        i = span.end
        if i < len(doc) and doc[i].lower_ == "at":
            i += 1
        size = _size_at(doc, i)
        if size is None:
            if i == span.end and i < len(doc) and doc[i].text in _INT_SIZES \
                    and (i + 1 == len(doc) or not doc[i + 1].text.isalpha()
                         or doc[i + 1].lower_ in {"with", "and", "or", "dataset", "benchmark"}):
                n = doc[i].text
                out.append(_span(doc, span.start, i + 1, _DATASET, "pattern:resolution",
                                 f"{base} {n}x{n}"))
            continue
        end, dims = size
        if end < len(doc) and doc[end].lower_ in {"resolution", "resolutions", "pixels"}:
            end += 1
        out.append(_span(doc, span.start, end, _DATASET, "pattern:resolution",
                         f"{base} {dims}"))
        # "... 256x256 and 512x512"
        j = end
        while j + 1 < len(doc) and doc[j].lower_ in {"and", "or", ","}:
            more = _size_at(doc, j + 1)
            if more is None:
                break
            out.append(_span(doc, j + 1, more[0], _DATASET, "pattern:resolution",
                             f"{base} {more[1]}"))
            j = more[0]
    return out


# --- rule 4 ---------------------------------------------------------------------------

def expand_list(text: str) -> list[str]:
    """Expand a slash or ampersand list of versions into full names.

    Parameters
    ----------
    text : str
        A name whose last word lists versions.

    Returns
    -------
    list of str
        The full names, or ``[]`` when ``text`` is not such a list. Plain capitalised
        words joined by "&" are one name ("Who&When", "Tanks&Temples"), not a list.

    Examples
    --------
    >>> expand_list("WSJ0-2/3mix")
    ['WSJ0-2mix', 'WSJ0-3mix']
    >>> expand_list("UVG8/17"), expand_list("CIFAR10&100")
    (['UVG8', 'UVG17'], ['CIFAR10', 'CIFAR100'])
    >>> expand_list("Something-Something V1/V2")
    ['Something-Something V1', 'Something-Something V2']
    >>> expand_list("WHAM!/WHAMR!")
    ['WHAM!', 'WHAMR!']
    >>> expand_list("ImageNet"), expand_list("Who&When")
    ([], [])
    """
    head, _, last = text.rpartition(" ")
    head = head + " " if head else ""
    parts = _LIST_SEP.split(last)
    if len(parts) < 2 or not all(parts):
        return []
    if "&" in last and all(_PLAIN_WORD.match(p) for p in parts):
        return []  # one name written with "&": Who&When, Tanks&Temples
    # a suffix written once at the end ("2/3mix") belongs to every version
    tail = re.match(r"^(\d+)([A-Za-z]+)$", parts[-1])
    suffix = ""
    if tail and all(p.isdigit() for p in parts[1:-1]) and re.search(r"\d$", parts[0]):
        suffix = tail[2]
        parts = [*parts[:-1], tail[1]]
        parts[0] = parts[0] + suffix if not parts[0].endswith(suffix) else parts[0]
    first = parts[0]
    names = [head + first]
    stem_match = _TRAILING_VERSION.search(first[:len(first) - len(suffix)] if suffix else first)
    for part in parts[1:]:
        if len(part) >= 3 and part[0].isalpha() and not re.match(r"^[A-Za-z]\d+$", part):
            names.append(head + part)          # a full name: WHAMR!
        elif stem_match:
            stem = first[:stem_match.start()]
            # V1/V2: the version word replaces the trailing version of the first name
            if part[0].isalpha() or part[0].isdigit():
                if part[0].isdigit() and stem_match[0][0].isalpha():
                    letters = re.match(r"^[A-Za-z]+", stem_match[0])[0]
                    names.append(head + stem + letters + part + suffix)
                else:
                    names.append(head + stem + part + suffix)
        else:
            return []
    return names if len(set(names)) == len(names) else []


def _split_lists(doc: Doc, spans: list[Span]) -> list[Span]:
    out, seen = [], set()
    for span in spans:
        if span.label_ != _DATASET:
            continue
        ws, we = glued_word(doc, span.start, span.end)
        start = min(span.start, ws)
        text = doc[start:we].text
        if not _LIST_SEP.search(text.rpartition(" ")[2]) or "://" in text:
            continue
        if (start, we) in seen:
            continue
        seen.add((start, we))
        for name in expand_list(text):
            out.append(_span(doc, start, we, _DATASET, "pattern:version_list",
                             _known(name, _DATASET) or name))
    return out


def _list_tokens(doc: Doc, spans: list[Span]) -> list[Span]:
    """Slash/ampersand lists of a known dataset no component saw (``CIFAR10&100``)."""
    text = doc_text(doc)
    if "/" not in text and "&" not in text:
        return []
    covered = set()
    for s in spans:
        covered.update(range(s.start, s.end))
    out, seen = [], set()
    for m in _LIST_WORD.finditer(text):
        if "://" in m[0]:
            continue
        hit = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if hit is None or covered.intersection(range(hit.start, hit.end)):
            continue
        ws, we = glued_word(doc, hit.start, hit.end)
        if (ws, we) in seen:
            continue
        seen.add((ws, we))
        names = expand_list(doc[ws:we].text)
        if names and _known(names[0], _DATASET):
            out.extend(_span(doc, ws, we, _DATASET, "pattern:version_list",
                             _known(n, _DATASET) or n) for n in names)
    return out


# --- rule 5 ---------------------------------------------------------------------------

_SETTING_SUFFIXES = frozenset({"based", "guided", "driven", "conditioned", "aware"})


def _modifier_word(doc: Doc, end: int, modifiers: frozenset[str]) -> int | None:
    """Start of the glued word ending at token ``end - 1`` when it is a task modifier."""
    ws, _ = glued_word(doc, end - 1, end)
    _, starts, ends = token_texts(doc)
    word = doc_text(doc)[starts[ws]:ends[end - 1]].lower()
    if word in modifiers:
        return ws
    parts = re.sub(r"-to-", "-", word).split("-")
    if len(parts) < 2:
        return None
    if parts[-1] in _SETTING_SUFFIXES:
        # "event-based", "reference-guided", "layout-aware": a kind of input, not a
        # technique ("flow-based", "semantic-guided")
        inputs = word_list("task_inputs")
        return ws if parts[-2] in inputs \
            and all(part in modifiers or part in inputs for part in parts[:-2]) else None
    if all(part in modifiers for part in parts):
        return ws  # "image-to-video", "vision-language": each part a modifier
    return None


def _extend_tasks(doc: Doc, spans: list[Span]) -> list[Span]:
    modifiers = word_list("task_modifiers") | word_list("task_settings")
    purpose = word_list("task_purpose_words")
    stop = word_list("task_np_stop") | word_list("noun_phrase_ends")
    degree = word_list("task_degree_modifiers")
    degree_words = {pair.split()[0] for pair in degree}
    words = token_texts(doc)[0]
    out = []
    sent_starts: list[int] | None = None  # tokens that start a sentence
    for span in spans:
        if span.label_ != _TASK:
            out.append(span)
            continue
        if words[span.start].lower() in purpose and not span.id_.startswith("gazetteer"):
            # "for evaluating video understanding": the purpose, then the task
            start = span.start + 1
            while start < span.end - 1 and words[start].lower() in purpose:
                start += 1
            if words[start].lower() in ("and", "or"):
                pass  # "understanding and generation": a noun in -ing, coordinated
            elif span.end - start < 2 or words[start].lower() in stop:
                # "enhanced reasoning": a bare head is no task here; nor is what follows
                # the verb's preposition ("choosing between reasoning modes")
                continue
            else:
                span = _span(doc, start, span.end, _TASK, span.id_,
                             _known(span_text(doc[start:span.end]), _TASK))
        if sent_starts is None:
            sent_starts = numpy.flatnonzero(doc.to_array(SENT_START) == 1).tolist() \
                if doc.has_annotation("SENT_START") else []
        # span.sent.start: the last sentence start at or before the span, else 0
        k = bisect.bisect_right(sent_starts, span.start) - 1
        sent_start = sent_starts[k] if k >= 0 else 0
        start = span.start
        while start > sent_start:
            ws = _modifier_word(doc, start, modifiers)
            if ws is None or ws < sent_start or doc[start - 1].text in _CLOSE:
                break
            if ws == start - 1 and words[ws] in degree_words \
                    and f"{words[ws]} {words[start].lower()}" not in degree:
                break  # "high fairness": an adjective of degree, not a setting
            if doc[ws].lower_ in word_list("naming_words") \
                    and (doc[start].text[:1].isupper() or ws == start - 1):
                break  # "a new task named Visual Grounding": the verb, not "named entity"
            start = ws
        prefix = doc[start:span.start].text.lower()
        if start == span.start or prefix in word_list("not_entities") \
                or prefix in word_list("method_families"):
            # "neural network image classification models": the words name a model
            out.append(span)
        else:
            text = doc[start:span.end].text
            out.append(_span(doc, start, span.end, _TASK, span.id_, _known(text, _TASK)))
    return out


# --- rule 6 ---------------------------------------------------------------------------

def _local_definitions(doc: Doc, spans: list[Span]) -> list[Span]:
    pairs = doc.user_data.get(ABBREVIATIONS, [])
    if not pairs:
        return spans
    gazetteer = builtin_gazetteer()
    by_range: dict[tuple[int, int], list[Span]] = {}
    for s in spans:
        by_range.setdefault((s.start, s.end), []).append(s)
    foreign: set[tuple[str, str, str]] = set()  # (short text, type, kb name) to drop
    typed: dict[str, str | None] = {}         # short text -> type the definition gives
    for short, long_ in pairs:
        long_key = canonical_key(long_.text)
        known_long = [s for s in by_range.get((long_.start, long_.end), [])
                      if s.kb_id_ and s.id_.startswith(("gazetteer", "user"))]
        long_kbs = {(s.label_, s.kb_id_) for s in known_long}
        # rule 5 may have grown the long form's task to its modifiers on the left
        # (a gloss in parentheses after a name is no definition: "MATH (mathematical
        # reasoning)" names the benchmark)
        long_types = {s.label_ for s in spans if s.end == long_.end and s.start <= long_.start
                      and s.id_.startswith(("gazetteer", "user"))} \
            if long_.end <= short.start else set()
        for s in by_range.get((short.start, short.end), []):
            if not s.kb_id_ or (s.label_, s.kb_id_) in long_kbs \
                    or not s.id_.startswith(("gazetteer", "user")):
                continue
            entry = gazetteer.lookup(s.kb_id_, EntityType(s.label_))
            if canonical_key(s.kb_id_) == canonical_key(s.text) \
                    and (not long_types or s.label_ in long_types):
                # the short form is the entry's own name (CNN, MLP): keep it, unless the
                # long form is a known name of another type ("multimodal misinformation
                # detection (MMD)" is a task, not the metric MMD)
                continue
            forms = [canonical_key(f) for f in entry.forms] if entry else [canonical_key(s.kb_id_)]
            if not any(len(f) > 5 and (f in long_key or long_key in f) for f in forms):
                foreign.add((short.text, s.label_, s.kb_id_))
        defined = [s for s in by_range.get((short.start, short.end), [])
                   if s.id_.startswith("abbreviation")]
        typed.setdefault(short.text, defined[0].label_ if defined else None)
    foreign_kbs = {(label, kb) for _, label, kb in foreign}
    defined = {short.text for short, _ in pairs}
    out = []
    for s in spans:
        text = span_text(s)
        if (text, s.label_, s.kb_id_) in foreign:
            continue
        if s.id_.startswith("abbreviation") and (s.label_, s.kb_id_) in foreign_kbs \
                and (text in defined or any(s.start == lg.start and s.end == lg.end
                                            for _, lg in pairs)):
            continue
        if s.id_.startswith("pattern:") and text in typed:
            label = typed[text]
            if label is None:
                if s.label_ == _DATASET:
                    continue
            elif label != s.label_:
                s = _span(doc, s.start, s.end, label, s.id_, s.kb_id_)
        out.append(s)
    return out


def _prefix_words(text: str) -> tuple[str, ...]:
    """The words of ``text``, lower case, split at spaces and hyphens, a plural "s"
    cut (a coarse key for :func:`_task_prefixes`)."""
    return tuple(w[:-1] if len(w) > 3 and w.endswith("s") else w
                 for w in text.lower().replace("-", " ").split())


@lru_cache(maxsize=1)
def _task_prefixes() -> frozenset[tuple[str, ...]]:
    """Every proper word prefix (:func:`_prefix_words`) of the gazetteer's task forms:
    a long form that is none cannot start a task name, so :func:`_short_form_tasks`
    looks no further."""
    out = set()
    for entry in builtin_gazetteer():
        if entry.type is EntityType.TASK:
            for form in entry.forms:
                words = _prefix_words(form)
                out.update(words[:k] for k in range(1, len(words)))
    return frozenset(out)


def _short_form_tasks(doc: Doc, spans: list[Span]) -> list[Span]:
    """Task candidates for a defined short form followed by the rest of a task's name
    (rule 6): after "multivariate time series (TS)", "TS forecasting" is time series
    forecasting and "TS anomaly detection" time series anomaly detection; after
    "diabetic retinopathy (DR)", "DR detection" is diabetic retinopathy detection,
    before the definition too (one sense per discourse, as in rule 6). The definition
    itself is such a use ("time series (TS) forecasting"), unless its long form is a
    task already ("text-to-audio (TTA) generation": the short form names that task,
    and rule 6 links the two). The long form and the one or two words after the short
    form must make a task the gazetteer knows (the longer first); the candidate spans
    the short form (the whole definition) and those words and carries the entry's
    canonical name.

    Returns
    -------
    list of Span
        New candidates, rule ``abbreviation:short_form_task`` (where a gazetteer
        alias covers the same words, entity resolution keeps the gazetteer's).
    """
    pairs = doc.user_data.get(ABBREVIATIONS, [])
    if not pairs:
        return []
    words = token_texts(doc)[0]
    gazetteer = builtin_gazetteer()
    out = []
    prefixes = _task_prefixes()
    for short, long_ in pairs:
        long_text = span_text(long_)
        if _prefix_words(long_text) not in prefixes:
            continue
        # (first token of the mention, first token after the short form) per use, the
        # definition's own included: "time series (TS) forecasting"
        short_text = span_text(short)
        uses = [(i, i + 1) for i, word in enumerate(words) if word == short_text]
        if long_.end <= short.start and short.end < len(words) and words[short.end] == ")" \
                and not any(s.label_ == _TASK and s.end == long_.end and s.start <= long_.start
                            for s in spans):
            uses.append((long_.start, short.end + 1))
        for first, after in uses:
            for end in (after + 2, after + 1):
                if end > len(words) or not all(w.isalnum() for w in words[after:end]):
                    continue
                rest = " ".join(words[after:end])
                entry = gazetteer.lookup(f"{long_text} {rest}", EntityType.TASK)
                if entry is not None:
                    out.append(_span(doc, first, end, _TASK, "abbreviation:short_form_task",
                                     entry.name))
                    break
    return out


def _dataset_tasks(doc: Doc, spans: list[Span]) -> list[Span]:
    """Rule 7: ``spans`` with the bare task heads after datasets made tasks, named for
    the dataset's own task where ``data/words/dataset_tasks.tsv`` knows it."""
    heads = word_list("bare_task_heads")
    have = {(s.start, s.end): k for k, s in enumerate(spans) if s.label_ == _TASK}
    out = list(spans)
    for span in spans:
        i = span.end
        if span.label_ != _DATASET or i >= len(doc) or doc[i].lower_ not in heads:
            continue
        task = _dataset_task(span.kb_id_ or span.text, doc[i].lower_)
        k = have.get((i, i + 1))
        if k is None:
            have[(i, i + 1)] = len(out)
            out.append(_span(doc, i, i + 1, _TASK, "pattern:dataset_task", task))
        elif task and not out[k].kb_id_:
            out[k] = _span(doc, i, i + 1, _TASK, out[k].id_, task)
    return out


@lru_cache(maxsize=1)
def _dataset_task_rows() -> tuple[tuple[str, str, str], ...]:
    """``(family key, bare head, task)`` rows of ``data/words/dataset_tasks.tsv``,
    longest family first."""
    rows = []
    path = resources.files("kgraph") / "data" / "words" / "dataset_tasks.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            family, head, task = (c.strip() for c in line.split("\t"))
            rows.append((canonical_key(family), head.lower(), task))
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def _dataset_task(dataset: str, head: str) -> str:
    """The task ``head`` names after the dataset named ``dataset`` ("ImageNet-1K",
    "classification" → "image classification"), or ``""``."""
    key = canonical_key(dataset)
    return next((task for family, h, task in _dataset_task_rows()
                 if h == head and key.startswith(family)), "")


def _inside_compound(doc: Doc, span: Span) -> bool:
    """A lower-case match that starts inside a hyphenated word ("self-|supervised
    contrastive learning") is part of a different phrase."""
    i = span.start
    words, starts, ends = token_texts(doc)
    return i > 1 and words[i][:1].islower() and words[i - 1] == "-" \
        and ends[i - 1] == starts[i] and ends[i - 2] == starts[i - 1]


#: The end of an "X-to-Y" compound written with its hyphens: "image-to-video", "text-to-3D".
_TO_COMPOUND_END = re.compile(r"\w-to-\w+$")
#: The same compound written with spaces: "image to video", "text to speech".
_TO_PHRASE = re.compile(r"^\w+ to \w+$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _head_groups() -> dict[str, frozenset[str]]:
    """Task head → the heads naming the same operation, itself included
    (``data/words/task_head_synonyms.txt``)."""
    groups: dict[str, frozenset[str]] = {}
    for line in word_list("task_head_synonyms"):
        group = frozenset(line.lower().split())
        for word in group:
            groups[word] = groups.get(word, frozenset()) | group
    return groups


def _elliptical_task(doc: Doc, span: Span) -> bool:
    """A task alias that is its entry's name without the head noun ("image-to-video"
    for image-to-video generation, "text-to-motion" for "text-to-motion generation")
    stands for the entry only where no head of another operation follows: before
    "adaptation", "retrieval" or "editing" (``data/words/task_heads.txt``,
    ``title_task_heads.txt``) it modifies that head and names a different task
    ("image-to-video adaptation", "text-to-motion retrieval"), unless the entry's own
    head is coordinated with it ("text-to-motion retrieval and generation"). Heads of
    one operation (``data/words/task_head_synonyms.txt``: "text-to-speech generation")
    keep the entry. Only compounds ending in "-to-" and a word count: text-to-SQL, an
    entry with no form that has a head, stays before "parsing". Written with spaces
    after "from", the compound is a prepositional phrase ("from image to video
    domain", "from 2D image to 3D avatar", "from text to speech")."""
    if span.label_ != _TASK or not span.id_.startswith("gazetteer"):
        return False
    text = span_text(span)
    words = token_texts(doc)[0]
    if _TO_PHRASE.match(text):
        return "from" in (w.lower() for w in words[max(0, span.start - 2):span.start])
    if span.end >= len(doc) or not _TO_COMPOUND_END.search(text):
        return False
    head = words[span.end].lower()
    if head not in word_list("task_heads") | word_list("title_task_heads"):
        return False
    entry = builtin_gazetteer().lookup(span.kb_id_, EntityType.TASK)
    if entry is None:
        return False
    found = text.lower().replace("-", " ").split()
    own = {parts[-1] for parts in (form.lower().replace("-", " ").split()
                                   for form in entry.forms) if parts[:-1] == found}
    if not own:
        return False
    groups = _head_groups()
    if head in own or any(head in groups.get(word, ()) for word in own):
        return False
    after = [w.lower() for w in words[span.end + 1:span.end + 3]]
    return not (len(after) == 2 and after[0] in ("and", "or", "/") and after[1] in own)


def _weak_task_phrase(doc: Doc, span: Span) -> bool:
    """A task phrase found by its shape alone (rule ``pattern:task_np``, "for semantic
    feature learning") whose head ends techniques as often as problems
    (``data/words/weak_task_heads.txt``: "learning", "alignment") names no task: on
    30,000 corpus abstracts about a quarter of such phrases were tasks."""
    return span.id_ == "pattern:task_np" and span.label_ == _TASK \
        and token_texts(doc)[0][span.end - 1].lower() in word_list("weak_task_heads")


def _hyphenated_modifier(doc: Doc, span: Span) -> bool:
    """A metric written as one hyphenated lower-case word before a noun modifies that
    noun: "inference-time scaling", "bit-width configurations", "frame-rate contents"
    name no measure (English hyphenates a compound used attributively)."""
    if span.label_ != _METRIC or span.end >= len(doc) or span.end - span.start < 3:
        return False
    words = [t.text for t in span]
    nxt = doc[span.end]
    return "-" in words and all(w == "-" or (w.isalpha() and w.islower()) for w in words) \
        and all(t.text != "-" or not t.whitespace_ for t in span) \
        and nxt.is_alpha and nxt.is_lower and not nxt.is_stop


_NOT_A_NAME = re.compile(r"^(?:(?:FP|INT|BF|UINT|W\d+A)\d+|\d+(?:\.\d+)?[KMBT]|\d[Dd]"
                         r"|\d+(?:\.\d+)?(?:[x×]|ms|fps|FPS|[KMGT]i?B))$")
#: A width multiplier after a model name: "MobileViTv2 x1.0", "MobileNet ×0.5".
_MULTIPLIER = re.compile(r"^[x×]\d+(?:\.\d+)?$")


def _dangling_hyphens(doc: Doc, spans: list[Span]) -> list[Span]:
    """No name ends in a hyphen (rule 8). A guess that ends on a hyphen token ("LLaMA-in
    classifying", "OpenWebMath-but also": a dash set without spaces) ends before it;
    one whose last token ends in a hyphen is the first half of a suspended compound
    ("CNN- and Transformer-based models", "a Semantic- and Distortion-aware module")
    or a broken word ("E- commerce") and is dropped. Gazetteer matches are left as
    they are."""
    ends = [doc[span.end - 1].text.endswith("-") for span in spans]
    if not any(ends):
        return spans
    out = []
    for span, hyphen in zip(spans, ends):
        if not hyphen or span.id_.startswith("gazetteer"):
            out.append(span)
        elif doc[span.end - 1].text == "-" and len(span) > 1:
            out.append(_span(doc, span.start, span.end - 1, span.label_, span.id_,
                             span.kb_id_))
    return out


def _whole_hyphenated_words(doc: Doc, spans: list[Span]) -> list[Span]:
    """No name starts inside a hyphenated word (rule 8). spaCy splits "Shape-for-Motion"
    into five tokens, and a context pattern anchored on its last word ("we present
    Shape-for-Motion, a novel framework", "a Coarse-to-Fine module", "Skywork-R1V3
    achieves") takes only "Motion", "Fine" or "R1V3". A guess whose first token follows
    a hyphen set without spaces grows left to the start of the hyphenated word when that
    word starts with a capital or a digit. A lower-case first part is a prefix ("non-IID",
    "pre-SFT": :func:`_inside_compound` has the lower-case matches), a dash glued to
    a lower-case word is punctuation ("SR models-Super-Resolution GAN"), and a number
    or a size before the dash counts something ("1-NFE sampling", "14B-Instruct"); all
    three are left as they are, and so are gazetteer matches. A proposal rule's span
    (:data:`~kgraph.extract.patterns.PROPOSED`) grows with its guess.

    Parameters
    ----------
    doc : Doc
    spans : list of Span
        Candidate spans.

    Returns
    -------
    list of Span
        The same spans, pattern guesses grown to whole hyphenated words.
    """
    words, starts, ends = token_texts(doc)

    def glued_part(i: int) -> bool:  # token i - 2, a dash, token i: one word
        return i >= 2 and words[i - 1] == "-" and ends[i - 2] == starts[i - 1] \
            and ends[i - 1] == starts[i] and words[i - 2][:1].isalnum() \
            and not words[i - 2].isdigit() and not _NOT_A_NAME.match(words[i - 2])

    def grown(span: Span) -> Span:
        start = span.start
        if not span.id_.startswith("pattern:") or not glued_part(start):
            return span
        while glued_part(start) and not doc[start].is_sent_start:
            start -= 2
        first = words[start][:1]
        if start == span.start or not (first.isupper() or first.isdigit()):
            return span
        return _span(doc, start, span.end, span.label_, span.id_,
                     _known(doc[start:span.end].text, span.label_))

    proposed = doc.spans.get(PROPOSED)
    if proposed is not None and len(proposed):
        # "we propose Dino U-Net, a novel ...": the rule took "Net"; the known U-Net it
        # grows into is what the new model builds on, not the new model
        doc.spans[PROPOSED] = [g if g is s or not g.kb_id_ else s
                               for s in proposed for g in (grown(s),)]
    return [grown(s) for s in spans]


def _name_heads(doc: Doc, spans: list[Span]) -> list[Span]:
    cues = word_list("method_cues")
    out = []
    for span in spans:
        if span.label_ != _METHOD or not span.id_.startswith("pattern:"):
            out.append(span)
            continue
        start, end = span.start, span.end
        while start < end and _NOT_A_NAME.match(doc[start].text):
            start += 1
        while end > start + 1 and _MULTIPLIER.match(doc[end - 1].text):
            end -= 1
        if start == end:
            continue
        if span.id_ == "pattern:method_cue" and end < len(doc) and doc[end].lower_ in cues \
                and doc[end].text[:1].isupper() and not doc[end].is_sent_start:
            end += 1
        if (start, end) == (span.start, span.end):
            out.append(span)
        else:
            out.append(_span(doc, start, end, span.label_, span.id_, span.kb_id_))
    return out


# --- rule 9 ---------------------------------------------------------------------------

_DETERMINERS = ("a", "an", "the")


def _described_names(doc: Doc, spans: list[Span]) -> list[Span]:
    texts = token_texts(doc)[0]
    names = doc.user_data.get(NAMES)
    described = {canonical_key(span_text(s)): s.label_ for s in spans
                 if s.id_ == "title:title_prefix" and s.label_ in _DESCRIBED}
    have = {(s.start, s.end) for s in spans}
    heads = head_types()
    new = []
    if names is not None:
        n = len(texts)
        # a colon sets off a description in the abstract too ("we introduce IntentHQ: a
        # new benchmark for ..."); in the title it is the title rule's
        body = bisect.bisect_left(token_texts(doc)[1], title_end(doc))
        for i in [k for k in range(1, n - 2)
                  if texts[k] == "," or texts[k] == ":" and k > body]:
            found = _appositive_name(doc, names, i)
            if found is not None:
                j, e, etype = found
                described[canonical_key(doc[j:e].text)] = etype.value
                span = _span(doc, j, e, etype.value, f"pattern:{etype.value}_described")
                if (j, e) not in have:
                    new.append(span)
                if etype is EntityType.METHOD:
                    add_spans(doc, PROPOSED, [span])
                continue
            d = i + 1
            if texts[d].lower() in ("which", "that") and texts[d + 1].lower() in ("is", "was"):
                d += 2  # "FreeNet, which is a fully end-to-end network for ..."
            if d >= n or texts[d].lower() not in _DETERMINERS:
                continue
            end = _before_definition(doc, i) if texts[i - 1] == ")" else i
            if not names[end - 1]:
                continue
            etype = described_type(doc, d, n, methods=texts[d].lower() != "the")
            if etype is None:
                continue
            j = end - 1
            while j > 0 and names[j - 1] and not doc[j].is_sent_start:
                j -= 1
            while j > 1 and texts[j - 1] == "-" and not doc[j - 1].whitespace_ \
                    and not doc[j - 2].whitespace_ and doc[j - 2].is_alpha:
                j -= 2  # "AI-FAKER": a prefix that is no name on its own
            if end - j == 1 and strip_plural(doc[j].lower_) in heads:
                continue  # "the ... (Misleading ChartQA) Benchmark, a dataset"
            if etype is EntityType.METHOD:
                new.extend(_described_method(doc, spans, j, end))
                continue
            described[canonical_key(doc[j:end].text)] = etype.value
            if (j, end) not in have:
                new.append(_span(doc, j, end, etype.value, f"pattern:{etype.value}_described"))
        for j, e in _named_tasks(doc, names):
            described[canonical_key(doc[j:e].text)] = _TASK
            if (j, e) not in have:
                new.append(_span(doc, j, e, _TASK, "pattern:task_described"))
    if not described:
        return spans + new
    for short, long_ in doc.user_data.get(ABBREVIATIONS, []):
        # both forms of a definition follow the description: "a new task, Scene-agnostic
        # Pose Regression (SPR)", "TROVE: A Challenge ..." with "Text pROVEnance (TROVE)"
        keys = (canonical_key(long_.text), canonical_key(short.text))
        label = described.get(keys[0]) or described.get(keys[1])
        if label:
            for key in keys:
                described.setdefault(key, label)
    # a described name takes the description's type over a guess: a method its shape
    # suggested, or the type a definition's head word gave ("... Reasoning IndeX")
    out = [_span(doc, s.start, s.end, described[key], s.id_, s.kb_id_)
           if (s.label_ == _METHOD and s.id_.startswith(("pattern:", "title:", "abbreviation"))
               or s.id_ == "abbreviation" and not s.kb_id_)
           and (key := canonical_key(span_text(s))) in described else s for s in spans]
    return out + new


def _described_method(doc: Doc, spans: list[Span], start: int, end: int) -> list[Span]:
    """A method candidate for the name at tokens ``start:end`` that a noun phrase with a
    method head describes after a comma: "OTBDetector, a contrastive learning
    framework", "(1) ZoomText, a coarse-to-fine strategy", "using MICAnet, a deep
    learning model". The description only types names no other rule saw: nothing when
    a candidate (a gazetteer entry, a dataset) or an abbreviation definition overlaps
    the name or a definition spells it ("strategy for AL, an ... method" where the paper
    defined AL), when the name is a capitalised adverb ("Thirdly, a ... strategy") or
    mathematics ("$\\beta$-GRPO"). A proposal verb right before the name, perhaps with
    an article ("we introduce the Swarm Agent", "by introducing SyCAM"), makes it the
    paper's own; the sentence's voice is left to the proposal rules otherwise.

    Returns
    -------
    list of Span
        The method candidate (rule ``pattern:method_described``), or nothing.
    """
    pairs = [s for pair in doc.user_data.get(ABBREVIATIONS, []) for s in pair]
    if any(s.start < end and start < s.end for s in spans + pairs):
        return []
    key = canonical_key(doc[start:end].text)
    if any(canonical_key(s.text) == key for s in pairs) \
            or f"({doc[start:end].text})" in doc_text(doc):
        return []  # a short form the paper defines ("active learning (AL)")
    first = doc[start].text
    if end - start == 1 and first.istitle() and first.isalpha() and first.endswith("ly"):
        return []  # "; Thirdly, a dual-driven optimization strategy ..."
    if (start > 0 and "$" in doc[start - 1].text) or "\\" in doc[start:end].text:
        return []  # "$\beta$-GRPO": mathematics the tokenizer split
    span = _span(doc, start, end, _METHOD, "pattern:method_described")
    k = start - 1 if start > 0 and doc[start - 1].lower_ not in _DETERMINERS else start - 2
    before = doc[k].lower_ if k >= 0 else ""
    if before in word_list("proposal_verbs") or before in _PROPOSING:
        add_spans(doc, PROPOSED, [span])
    return [span]


#: Gerunds of proposal verbs: "we address this limitation by introducing SyCAM, a ...".
_PROPOSING = frozenset({"proposing", "introducing", "presenting", "developing", "designing",
                        "devising", "building", "releasing"})


def _before_definition(doc: Doc, comma: int) -> int:
    """Where the name before an abbreviation definition ends, when the definition closes
    right before the comma at token ``comma``: "MAVERIX (Multimodal Audio-Visual Evaluation
    Reasoning IndeX), a novel benchmark" gives the token after "MAVERIX", so the
    description types the name (and through the pair, its other form). Returns ``comma``
    when no pair of ``doc.user_data[ABBREVIATIONS]`` closes there.
    """
    for short, long_ in doc.user_data.get(ABBREVIATIONS, []):
        inner, outer = (short, long_) if short.start > long_.start else (long_, short)
        if inner.end == comma - 1 and outer.end == inner.start - 1:
            return outer.end
    return comma


def _appositive_name(doc: Doc, names: list[bool], comma: int) -> tuple[int, int, EntityType] | None:
    """The name set off after a describing noun phrase: "we collect a new dataset,
    NEU-171K, ...", "a novel evaluation benchmark, EVBench." (the mirror of "Companies,
    a new dataset").

    The comma at token ``comma`` follows a lower-case phrase of at most five words
    opened by "a" or "an" whose head :func:`described_type` reads as a dataset or a
    metric, or whose head is a method head of ``data/words/heads.tsv`` right after a
    proposal verb ("we propose a novel method, FreeGrasp, ..."; the caller marks that
    name proposed; "a loss function" has the head "loss"); after it, perhaps after "i.e."
    or "namely", comes a run of name-shaped tokens closed by a comma, full
    stop, semicolon or opening parenthesis, or a long form defined by an abbreviation (the
    pairs in ``doc.user_data[ABBREVIATIONS]``). Returns ``(start, end, type)`` of the
    name, or None.
    """
    texts = token_texts(doc)[0]
    n = len(texts)
    k = comma - 1
    while k >= 0 and comma - k <= 6 and texts[k].lower() not in {"a", "an"}:
        if not (texts[k].islower() or texts[k] == "-" or texts[k][:1].isdigit()):
            return None
        k -= 1
    if k < 0 or texts[k].lower() not in {"a", "an"} or comma - k < 2:
        return None
    etype = described_type(doc, k, comma)
    if etype is None:
        # "we propose a novel method, FreeGrasp, leveraging ...": the paper's own method
        last = comma - 2 if texts[comma - 1].lower() == "function" else comma - 1
        head = head_types().get(strip_plural(texts[last].lower()))  # "a loss function"
        if k == 0 or texts[k - 1].lower() not in word_list("proposal_verbs") \
                or head is not EntityType.METHOD:
            return None
        etype = EntityType.METHOD
    start = comma + 1
    if start < n and texts[start].lower() in _SAME_AS:
        start += 1 + (start + 1 < n and texts[start + 1] == ",")  # "a loss, i.e., X"
    e = start
    while e < n and names[e] and not doc[e].is_sent_start:
        e += 1
    if e == start or (e < n and texts[e] not in {",", ".", ";", "("}):
        # a defined long form: "a keypoint detection metric, Percentage of Relative
        # Correct Keypoints (PRCK),"
        for _short, long_ in doc.user_data.get(ABBREVIATIONS, []):
            if long_.start == start and start < n and names[start]:
                return long_.start, long_.end, etype
        return None
    return start, e, etype


#: Words that set off the same thing again: "a novel loss function, i.e., Disj-InfoNCE"
#: ("e.g." gives an example, not the thing).
_SAME_AS = frozenset({"i.e.", "i.e", "namely", "viz."})


def _named_tasks(doc: Doc, names: list[bool]) -> list[tuple[int, int]]:
    """Token ranges of the names a paper gives a new task: "we introduce a new task,
    Scene-agnostic Pose Regression (SPR)", "a novel scene understanding task called
    Visual Jenga", "a new task named Semantic Human Contact estimation", and in the
    other order "we introduce Aggregative Question Answering, a novel task requiring
    ...".

    "task" or "problem" after "new" or "novel" (at most three words before it; not a
    pre-training, pretext, auxiliary or proxy task, which is a training objective), then a
    comma or a naming word (``data/words/naming_words.txt``), then a run of name-shaped
    tokens, which may end in task head words (``data/words/task_heads.txt``). In the
    other order (:func:`_appositive_task`) the name comes first, then a comma, "a" or
    "an" and the same words.
    """
    texts = token_texts(doc)[0]
    n = len(texts)
    naming = word_list("naming_words")
    task_heads = word_list("task_heads") | word_list("bare_task_heads")
    found = []
    for k in range(1, n - 2):
        if texts[k] not in _TASK_NOUNS or texts[k - 1].lower() in _OBJECTIVE_WORDS or not any(
                texts[b].lower() in _NEW for b in range(max(0, k - 4), k)):
            continue
        before = _appositive_task(doc, names, k)
        if before is not None:
            found.append(before)
            continue
        m = k + 1
        if texts[m] != "," and texts[m].lower() not in naming:
            continue
        m += 1
        if m < n and texts[m].lower() in ("as", "the"):
            m += 1
        e = m
        while e < n and names[e] and (e == m or not doc[e].is_sent_start):
            e += 1
        if e == m:
            continue
        while e < n and texts[e].lower() in task_heads:
            e += 1
        found.append((m, e))
    return found


def _appositive_task(doc: Doc, names: list[bool], k: int) -> tuple[int, int] | None:
    """The name an appositive ending in "task" or "problem" at token ``k`` describes:
    "Aggregative Question Answering, a novel task requiring ...", "TTR (Table Trace
    Reasoning), a new problem where ...".

    The comma, "a" or "an", then lower-case words only up to ``k``; the noun ends the
    phrase (a comma, a full stop, a preposition, a relative word or a verb form in
    *-ing* or *-ed* follows), so "a new task decomposition method" and "a novel
    task-aware module" describe no task. Returns the name's token range, or None.
    """
    texts = token_texts(doc)[0]
    n = len(texts)
    c = k - 1
    while c > 0 and texts[c] != "," and doc[c].is_lower and k - c <= 4:
        c -= 1
    if texts[c] != "," or texts[c + 1].lower() not in ("a", "an") or c + 1 == k:
        return None
    after = doc[k + 1] if k + 1 < n else None
    if after is not None and not (after.is_punct and after.text != "-"
                                  or after.lower_ in _TASK_NOUN_ENDS
                                  or after.lower_.endswith(("ing", "ed"))):
        return None
    end = _before_definition(doc, c) if texts[c - 1] == ")" else c
    if end < 1 or not names[end - 1]:
        return None
    j = end - 1
    while j > 0 and names[j - 1] and not doc[j].is_sent_start:
        j -= 1
    return j, end


_TASK_NOUNS = frozenset({"task", "problem"})
#: Words that may follow "task" or "problem" at the end of an appositive
#: (:func:`_appositive_task`): a preposition, conjunction or relative word, or "setting".
_TASK_NOUN_ENDS = frozenset({"of", "for", "in", "on", "with", "to", "via", "by", "from", "as",
                             "at", "and", "or", "that", "which", "where", "whose", "setting"})
#: "a new pre-training task, Masked Visual-token Modeling (MVM)" is a training objective:
#: the paper's method, not a problem it poses.
_OBJECTIVE_WORDS = frozenset({"training", "pretraining", "pre-training", "pretext", "auxiliary",
                              "proxy"})
_NEW = frozenset({"new", "novel"})


#: The types a describing noun phrase gives (:func:`described_type`), as span labels.
_DESCRIBED = frozenset(t.value for t in DESCRIBED_TYPES)


# --- rule 10 --------------------------------------------------------------------------

def _listed_metrics(doc: Doc) -> list[Span]:
    """Metric candidates listed after "metrics such as", "measures like", "metrics (e.g.,",
    "the metric of" (rule 10)."""
    names = doc.user_data.get(NAMES)
    text = doc_text(doc)
    if names is None or not ("etric" in text or "easure" in text):
        return []
    texts = token_texts(doc)[0]
    heads = head_types()
    n = len(texts)
    out: list[Span] = []
    for i in range(n - 2):
        if texts[i].lower() not in _METRIC_WORDS:
            continue
        j = i + 1
        while j < n and texts[j].lower() in _LIST_OPENERS:
            j += 1
        opener = [t.lower() for t in texts[i + 1:j]]
        if not set(opener) - {"(", ",", "such"} or opener[-1] == "(":
            continue  # "metrics, ...", "metrics (", "metrics such"
        names_only = opener == ["of"]
        if "of" in opener and not names_only:
            continue
        while j < n:
            e = j
            while e < n and names[e] and not doc[e].is_sent_start:
                e += 1
            if e == j:
                if names_only:
                    break
                while e < n and e - j < 3 and texts[e].isalpha() and texts[e].islower() \
                        and texts[e] not in _NOT_IN_METRIC and not texts[e].endswith("ly"):
                    e += 1
                if e == j or heads.get(strip_plural(texts[e - 1])) is not EntityType.METRIC:
                    break
            elif e - j == 1 and texts[j].istitle() and texts[j].isalpha() and e < n \
                    and texts[e].isalpha() and texts[e].lower() not in _COORDINATORS:
                break  # "Positive predicted value": a capitalised word opening a phrase
            out.append(_span(doc, j, e, _METRIC, "pattern:metric_list"))
            j = _after_coordinators(texts, e)
            if j == e:
                break
    return out


def _after_coordinators(texts: list[str], end: int) -> int:
    """The token after the commas and "and"/"or" that follow a list item ending at token
    ``end``: where the next item starts, or ``end`` itself when no coordinator follows
    (the list ends)."""
    k = end
    while k < len(texts) and texts[k].lower() in _COORDINATORS:
        k += 1
    return k


_METRIC_WORDS = frozenset({"metric", "metrics", "measure", "measures"})
#: Words between a metric word and its list: "such as", "like", "including", "(e.g.,",
#: "of".
_LIST_OPENERS = frozenset({"such", "as", "like", "including", "(", "e.g.", "e.g", ",", "of"})
_COORDINATORS = frozenset({",", "and", "or"})
#: Words that end a lower-case list item: "accuracy, recall, and a few others".
_NOT_IN_METRIC = frozenset({"a", "an", "the", "and", "or", "of", "on", "in", "for", "with",
                            "to", "by", "as", "at", "from", "other", "others"})
_METRIC = EntityType.METRIC.value


# --- rule 14 --------------------------------------------------------------------------

def _listed_tasks(doc: Doc) -> list[Span]:
    """Task candidates listed after "tasks such as", "tasks like", "tasks including",
    "tasks (e.g.," or "tasks:" (rule 14)."""
    text = doc_text(doc)
    if "task" not in text and "Task" not in text:
        return []
    texts = token_texts(doc)[0]
    heads = word_list("task_heads")
    n = len(texts)
    out: list[Span] = []
    for i in range(n - 2):
        if texts[i].lower() not in _TASK_WORDS:
            continue
        j = i + 1
        while j < n and j - i <= 3 and texts[j].lower() in _TASK_LIST_OPENERS:
            j += 1
        if tuple(t.lower() for t in texts[i + 1:j]) not in _TASK_OPENERS:
            continue
        while j < n:
            # an item is written in lower case or in Title Case ("tasks such as Brain
            # Tumor Classification"), one way throughout
            titled = texts[j][:1].isupper()
            e, words = j, 0
            while e < n and words < _MAX_TASK_WORDS and not doc[e].is_sent_start and (
                    _list_word(texts[e], titled, texts[e - 1] == "-")
                    or texts[e] == "-" and e > j and not doc[e - 1].whitespace_
                    and not doc[e].whitespace_):
                words += texts[e] != "-"
                e += 1
            last = texts[e - 1].lower()
            if words < 2 or not (last in heads or strip_plural(last) in heads):
                break
            out.append(_span(doc, j, e, _TASK, "pattern:task_list"))
            j = _after_coordinators(texts, e)
            if j == e:
                break
    return out


def _list_word(text: str, titled: bool, after_hyphen: bool = False) -> bool:
    """A word of a listed task phrase: a lower-case word, or in a Title Case item
    (``titled``) a capitalised one ("Classification"), never an adverb or a function
    word. After a hyphen a Title Case item may go on either way ("Multi-document",
    "Instruction-Oriented"); a lower-case item stays lower case ("multi-document")."""
    if not text.isalpha() or text.lower() in _NOT_IN_METRIC or text.endswith("ly"):
        return False
    if text.islower():
        return not titled or after_hyphen
    return titled and text[0].isupper() and text[1:].islower()


_TASK_WORDS = frozenset({"task", "tasks"})
_TASK_LIST_OPENERS = frozenset({"such", "as", "like", "including", "(", "e.g.", "e.g", ",",
                                ":"})
#: What may stand between "tasks" and the list: "tasks such as", "tasks, including",
#: "tasks (e.g., ...", "tasks: ...".
_TASK_OPENERS = frozenset({("such", "as"), (",", "such", "as"), ("like",), ("including",),
                           (",", "including"), ("(", "e.g."), ("(", "e.g.", ","),
                           ("(", "e.g"), (":",)})
#: Longest task phrase in a list, in words: "real-time pump-announcement detection".
_MAX_TASK_WORDS = 5


# --- rule 11 --------------------------------------------------------------------------

def _benchmark_names(doc: Doc, spans: list[Span]) -> list[Span]:
    """A word ending in "Bench" names a benchmark (rule 11)."""
    text = doc_text(doc)
    if "ench" not in text and "Dataset" not in text and "Corpus" not in text:
        return spans
    texts = token_texts(doc)[0]
    words: set[tuple[int, int]] = set()
    for i, t in enumerate(texts):
        if _BENCH_END.search(t) or (t[:5].lower() == "bench" and i > 0 and texts[i - 1] == "-"):
            ws, we = glued_word(doc, i, i + 1)
            if _BENCH_WORD.match(span_text(doc[ws:we])):
                words.add((ws, we))
    out = []
    typed = set()
    for span in spans:
        key = (span.start, span.end)
        if span.label_ != _DATASET and not span.id_.startswith("gazetteer") and (
                key in words or texts[span.end - 1] in _BENCH_HEADS):
            span = _span(doc, span.start, span.end, _DATASET, span.id_, span.kb_id_)
        if key in words and span.label_ == _DATASET:
            typed.add(key)
        out.append(span)
    out += [_span(doc, ws, we, _DATASET, "pattern:benchmark_name")
            for ws, we in sorted(words - typed)]
    return out


#: A token with a capitalised "Bench" after a letter or digit at its end or before a
#: hyphen: MMBench, PRMBench, NASBench-201.
_BENCH_END = re.compile(r"[A-Za-z0-9]Bench(?:-|$)")
#: The whole word: a name whose last part, or the part before a version, is "Bench"
#: ("MT-Bench", "SWE-bench", "TransNAS-Bench-101", "MMBench-CN"); not "Bench" alone.
_BENCH_WORD = re.compile(r"^[A-Za-z0-9][\w.+]*?(?:[A-Za-z0-9]Bench|-[Bb]ench)"
                         r"(?:-(?:\d[\w.]*|[A-Z]{1,4}|v\d[\w.]*))?$")
#: Capitalised last words of a multi-word name that make it a benchmark or dataset:
#: "Visual Number Benchmark", "Long Video Bench", "Mouse Lockbox Dataset".
_BENCH_HEADS = frozenset({"Bench", "Benchmark", "Dataset", "Corpus"})


# --- rule 12 --------------------------------------------------------------------------

def _novel_names(doc: Doc, spans: list[Span]) -> None:
    """Mark proposed the method names a paper calls novel (rule 12)."""
    if "novel" not in doc_text(doc):
        return
    texts = token_texts(doc)[0]
    known = {(s.start, s.end) for s in spans if not s.id_.startswith("pattern")}
    cues = word_list("method_cues")
    found = []
    for span in spans:
        # "a novel ... Pyramid Fusion network", "a novel ... Interaction Network" (rule 8)
        if span.label_ != _METHOD or span.id_ != "pattern:method_cue" \
                or (span.start, span.end) in known or not (
                    texts[span.end - 1].lower() in cues
                    or span.end < len(doc) and texts[span.end] in cues):
            continue
        i, words = span.start - 1, 0
        while i > 0 and words < 5 and (texts[i] == "-" or (
                texts[i].islower() and texts[i].isalpha() and texts[i] != "novel"
                and not doc[i].is_stop)):
            words += texts[i] != "-"
            i -= 1
        if i > 0 and texts[i] == "novel" and texts[i - 1].lower() in ("a", "an"):
            found.append(span)
    if found:
        add_spans(doc, PROPOSED, found)


# --- rule 13 --------------------------------------------------------------------------

_INTRODUCING_DETERMINERS = frozenset({"a", "an", "the"})


def _introduced_parts(doc: Doc, spans: list[Span]) -> list[Span]:
    """Names a proposal verb introduces before a family or component word (rule 13)."""
    texts = token_texts(doc)[0]
    names = doc.user_data.get(NAMES)
    if not names:
        return []
    verbs = word_list("proposal_verbs")
    # the method cue words are the context rule proposal_det_cue's; a loss is named
    # with its head word ("Ping-Pong loss")
    parts = word_list("component_heads") | {"loss"}
    heads = word_list("family_words") | parts
    cues = word_list("method_cues")
    have = {(s.start, s.end) for s in spans}
    # names the paper defines or types otherwise: "a novel CSSL method" is a method
    # for continual self-supervised learning (CSSL), a task
    other = {span_text(s) for s in spans if s.label_ != _METHOD} | {
        short.text for short, _long in doc.user_data.get(ABBREVIATIONS, [])}
    n = len(texts)
    found, proposed = [], []
    for i in range(n - 3):
        if texts[i].lower() not in verbs or texts[i] == "proposed" \
                or texts[i + 1].lower() not in _INTRODUCING_DETERMINERS:
            continue
        start = i + 2
        if texts[start].lower() in ("novel", "new", "proposed"):
            start += 1
        end = start
        while end < n and names[end]:
            end += 1
        if end == start or end >= n or texts[end - 1] == "-" or texts[start] == "-":
            continue
        # the context rules take a name of words without hyphens before a method cue
        # word, lower-case ("a Token Mixing module") or its last word ("a Fusion
        # Network"); a hyphenated one is left to this rule ("a Slope-Aware Adaptive
        # Feature module", "a SAM-Noise Module")
        hyphenated = "-" in texts[start:end]
        head = texts[end]
        lower_head = head.islower() and (strip_plural(head) in heads
                                         or hyphenated and head in cues)
        if lower_head and head in cues and not hyphenated:
            continue
        # or the name's own last word is a cue or a part's head: "a SAM-Noise Module",
        # "a Detail-oriented Inference Branch" (not "a Two-Stage Training Strategy")
        last = strip_plural(texts[end - 1].lower())
        titled = not lower_head and hyphenated and end - start >= 3 \
            and texts[end - 2] != "-" and texts[end - 1][:1].isupper() \
            and (last in cues or last in parts)
        if not (lower_head or titled) or (start, end) in have and not hyphenated:
            continue
        words = [w for w in texts[start:end] if w.isalpha()]
        if len(words) < 2 and not any(is_name_shaped(w) for w in texts[start:end]):
            continue  # "a Bayesian framework": an adjective, not a name
        if _named_after(texts, names, end + lower_head, len(words) < 2):
            continue  # "a Bottom-Up Patch Summarization approach named BUS": BUS is the name
        if lower_head and head == "loss":
            end += 1  # "a novel Ping-Pong loss": the loss is named with its head word
        text = span_text(doc[start:end])
        if text in other or _known(text, _METHOD) or ends_in_family(texts[start:end]) \
                or is_attributive(doc, start, end):
            continue
        span = _span(doc, start, end, _METHOD, "pattern:proposal_part")
        proposed.append(span)
        if (start, end) not in have:  # a method cue rule may have found the name
            found.append(span)
    if proposed:
        add_spans(doc, PROPOSED, proposed)
    return found


# --- rule 15 --------------------------------------------------------------------------

def _named_after(texts: list[str], names: list[bool], k: int, direct: bool) -> bool:
    """Whether the words from token ``k`` on, right after a head word, give the thing
    its name: a naming word ("model, called AA-Splat") or, when ``direct``, a colon
    and a name ("framework: FOcus-the-Discrepancy") or a name-shaped word ("model
    EMRDM"; not after a comma, where a list goes on)."""
    naming = word_list("naming_words")
    if k + 1 < len(texts) and texts[k] in (",", ":"):
        return texts[k + 1].lower() in naming or direct and texts[k] == ":" and names[k + 1]
    return k < len(texts) and (texts[k].lower() in naming or direct and names[k])


def _drop_kinds_before_names(doc: Doc, spans: list[Span]) -> list[Span]:
    """Drop the proposal_det_cue candidates that a name after their head word shows
    to be a kind, not a name (rule 15); returns the spans kept."""
    names = doc.user_data.get(NAMES)
    if not names:
        return spans
    texts = token_texts(doc)[0]
    n = len(texts)
    cues = word_list("method_cues")
    dropped = {(span.start, span.end) for span in spans
               if span.id_ == "pattern:proposal_det_cue" and span.end < n
               and texts[span.end] in cues and _named_after(
                   texts, names, span.end + 1, not any(t.whitespace_ for t in span[:-1]))}
    if not dropped:
        return spans
    proposed = doc.spans.get(PROPOSED)
    if proposed is not None:
        doc.spans[PROPOSED] = [s for s in proposed if (s.start, s.end) not in dropped
                               or s.id_ != "pattern:proposal_det_cue"]
    return [s for s in spans if (s.start, s.end) not in dropped
            or s.id_ != "pattern:proposal_det_cue"]


def refine_candidates(doc: Doc) -> Doc:
    """Apply rules 1–20 of this module to ``doc.spans[CANDIDATES]``.

    Parameters
    ----------
    doc : Doc
        Processed by the candidate components; abbreviation pairs in
        ``doc.user_data["kgraph_abbreviations"]``.

    Returns
    -------
    Doc
        The same doc, its candidate group replaced.
    """
    spans = list(doc.spans.get(CANDIDATES, []))
    if not spans:
        found = _benchmark_names(doc, _described_names(doc, spans))
        found = found + _introduced_parts(doc, found) + _listed_tasks(doc)
        found = found + _short_form_tasks(doc, found)
        found = found + _named_phrases(doc, found)
        if found:
            doc.spans[CANDIDATES] = found
        return doc
    spans = [s for s in spans if not _inside_compound(doc, s) and not _hyphenated_modifier(doc, s)
             and not _elliptical_task(doc, s)
             and not _weak_task_phrase(doc, s)]
    spans = _whole_hyphenated_words(doc, _dangling_hyphens(doc, spans))
    spans = _drop_kinds_before_names(doc, spans)
    spans = _name_heads(doc, _trim_attributive(doc, spans))
    # a glued depth ("DDRNet-23") can carry a size marker of its own ("DDRNet-23-slim")
    spans = spans + _glued_depths(doc, spans)
    spans = _glued_versions(doc, spans)
    spans = spans + _resolutions(doc, spans)
    spans = spans + _split_lists(doc, spans)
    spans = spans + _list_tokens(doc, spans)
    spans = _dataset_tasks(doc, spans)
    spans = _extend_tasks(doc, spans)
    spans = _local_definitions(doc, spans)
    spans = spans + _short_form_tasks(doc, spans)
    spans = _described_names(doc, spans)
    spans = spans + _listed_metrics(doc) + _listed_tasks(doc)
    spans = _benchmark_names(doc, spans)
    _novel_names(doc, spans)
    spans = spans + _introduced_parts(doc, spans)
    spans = spans + _named_phrases(doc, spans)
    spans = spans + _list_siblings(doc, spans)
    spans = _after_short_forms(doc, spans)
    spans = _training_losses(doc, spans)
    doc.spans[CANDIDATES] = _coined_senses(doc, spans)
    return doc


# --- rule 16 --------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _naming_heads() -> dict[str, EntityType]:
    """Head word → type of the thing a naming word after it names: the method and
    dataset heads of ``heads.tsv``, the family and component words (methods) and
    ``data/words/naming_heads.tsv``."""
    heads = {w: EntityType.METHOD
             for w in word_list("family_words") | word_list("component_heads")}
    # the task and metric heads of heads.tsv end names ("visual understanding, termed
    # visual heads" names no task); naming_heads.tsv says which words describe them
    heads.update((w, t) for w, t in head_types().items()
                 if t in (EntityType.METHOD, EntityType.DATASET))
    path = resources.files("kgraph") / "data" / "words" / "naming_heads.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, etype = (c.strip() for c in line.split("\t"))
            heads[word.lower()] = EntityType(etype)
    return heads


def _head_of(word: str) -> tuple[EntityType | None, bool]:
    """``(type, plural)`` of a head noun before a naming word ("strategies": method,
    plural), ``(None, False)`` when it is no head."""
    heads = _naming_heads()
    low = word.lower()
    if low in heads:
        return heads[low], False
    for cut, add in (("ies", "y"), ("es", ""), ("s", "")):
        if low.endswith(cut) and low[:-len(cut)] + add in heads:
            return heads[low[:-len(cut)] + add], True
    return None, False


#: Naming words of rule 16 ("abbreviated"/"denoted" introduce short forms, not phrases).
_PHRASE_NAMING = frozenset({"called", "named", "termed", "dubbed", "coined", "namely"})
_QUOTE_PAIRS = {'"': '"', "'": "'", "“": "”", "‘": "’", "``": "''", "`": "'"}
#: Longest named phrase, in words: "perspective-conditioned segment-level review
#: feedback generation".
_MAX_NAMED_WORDS = 5


def _named_phrases(doc: Doc, spans: list[Span]) -> list[Span]:
    """Candidates for the phrases a head noun and a naming word name (rule 16)."""
    text = doc_text(doc)
    names = doc.user_data.get(NAMES)
    if not names or not any(w in text for w in _PHRASE_NAMING):
        return []
    texts = token_texts(doc)[0]
    verbs = word_list("proposal_verbs")
    n = len(texts)
    have = {(s.start, s.end): s.label_ for s in spans}
    found: list[Span] = []
    proposed: list[Span] = []
    for k in range(2, n - 1):
        if texts[k].lower() not in _PHRASE_NAMING:
            continue
        h = k - 2 if texts[k - 1] == "," else k - 1
        etype, plural = _head_of(texts[h])
        if etype is None or not texts[h].isalpha() or not texts[h].islower():
            continue
        sent = doc[k].sent
        before = doc[sent.start:h]
        if not any(t.lower_ in OWN_VOICE or t.lower_ == "proposed" for t in sent) or not any(
                t.lower_ in verbs and t.lower_ != "proposed" or t.lower_ == "our"
                for t in before):  # "The proposed method is evaluated on two datasets"
            continue
        for start, end in _named_items(doc, texts, names, k + 1, plural):
            label = etype.value
            phrase = span_text(doc[start:end])
            if have.get((start, end)) not in (None, label) or (
                    etype is EntityType.METHOD and _known(phrase, _METHOD)):
                continue
            span = _span(doc, start, end, label, "pattern:named_phrase")
            if (start, end) not in have:
                have[(start, end)] = label
                found.append(span)
            if etype in (EntityType.METHOD, EntityType.DATASET):
                proposed.append(span)
    if proposed:
        add_spans(doc, PROPOSED, proposed)
    return found


def _named_items(doc: Doc, texts: list[str], names: list[bool], j: int,
                 plural: bool) -> list[tuple[int, int]]:
    """Token ranges of what a naming word ending before token ``j`` names: one item,
    or the items of a list after a plural head. A name-shaped item counts only in a
    list after its first (the context rule ``naming`` reads a name)."""
    n = len(texts)
    if j < n and texts[j] == "as":
        j += 1
    if j < n and texts[j] == "the":
        j += 1
    items: list[tuple[int, int]] = []
    last = False  # the item after "and"/"or" ends the list
    while j < n and not doc[j].is_sent_start:
        if texts[j] in _QUOTE_PAIRS:
            close = _QUOTE_PAIRS[texts[j]]
            e = j + 1
            while e < n and e - j <= 8 and texts[e] not in (close, ",") \
                    and not doc[e].is_sent_start:
                e += 1
            if e < n and texts[e] == "," and e + 1 < n and texts[e + 1] == close:
                e += 1  # a comma right before the closing quote
            if e >= n or texts[e] != close or any(names[j + 1:e]):
                break  # no closing quote, a comma inside (a slogan) or a name: the
                # context rules read a quoted name ('named "NASNet architecture"')
            s, nxt = j + 1, e + 1
            while e > s and not texts[e - 1][-1].isalnum():
                e -= 1  # 'patch and shuffle,' ends inside the quotes
            if e == s:
                break
        elif names[j]:
            e = j
            while e < n and names[e] and not doc[e].is_sent_start:
                e += 1
            s, nxt = j, e
            if not items:
                if not plural:
                    break
                items.append((-1, -1))  # the context rules' name; the list goes on
                j = _after_coordinators(texts, nxt)
                last = not {"and", "or"}.isdisjoint(t.lower() for t in texts[nxt:j])
                if j == nxt:
                    break
                continue
        else:
            e, words = j, 0
            while e < n and not doc[e].is_sent_start and (
                    words < _MAX_NAMED_WORDS or not doc[e - 1].whitespace_) and (
                    texts[e].isalpha() and texts[e].islower() and not doc[e].is_stop
                    and not texts[e].endswith("ly")
                    or texts[e] == "-" and e > j and not doc[e - 1].whitespace_
                    and not doc[e].whitespace_):
                words += e == j or bool(doc[e - 1].whitespace_)  # a hyphen joins words
                e += 1
            if texts[e - 1] == "-":
                e -= 1
            if words == 0 or e < n and (texts[e] in ("(", "-") or names[e]):
                break  # a definition, or the start of a name: other rules read them
            if words == 1 and "-" not in texts[j:e]:
                break  # "a new paradigm, termed bypass": a word, not a name
            s, nxt = j, e
        items.append((s, e))
        if not plural or last:
            break
        j = _after_coordinators(texts, nxt)
        last = not {"and", "or"}.isdisjoint(t.lower() for t in texts[nxt:j])
        if j == nxt:
            break
    return [item for item in items if item[0] >= 0]


# --- rule 17 --------------------------------------------------------------------------

def _after_short_forms(doc: Doc, spans: list[Span]) -> list[Span]:
    """Drop the name guesses that continue a name across a short form (rule 17).

    In "the Expression Edit Distance (EED) Score", "the Growth Modelling (GroMo) Grand
    Challenge" and "Text-Scene Graph (TSG) Bench" the name is "EED Score", "GroMo Grand
    Challenge", "TSG Bench": the words after the parenthesis are its head, not a name
    of their own. A context-pattern or title candidate (dataset, method or metric) that
    starts right after the ``)`` closing a defined short form, on a plain capitalised
    word (not name-shaped: :func:`kgraph.extract.patterns.is_name_shaped`), is dropped;
    the definition itself stays. A name-shaped word there is a name of its own
    ("state-of-the-art (SOTA) LiDAR 3D detectors", "no-reference (NR) VQA models").

    Parameters
    ----------
    doc : Doc
        With the abbreviation pairs in ``doc.user_data["kgraph_abbreviations"]``.
    spans : list of Span
        The candidates.

    Returns
    -------
    list of Span
        ``spans`` without the fragments, in their order.
    """
    pairs = doc.user_data.get(ABBREVIATIONS)
    if not pairs:
        return spans
    n = len(doc)
    after = {short.end + 1 for short, _ in pairs
             if short.end + 1 < n and doc[short.end].text == ")"}
    if not after:
        return spans
    texts = token_texts(doc)[0]

    def fragment(s: Span) -> bool:
        word = texts[s.start]
        return s.start in after and s.label_ != _TASK and s.id_.startswith(("pattern:", "title:")) \
            and word[:1].isupper() and not is_name_shaped(word, in_title=True)

    kept = [s for s in spans if not fragment(s)]
    if len(kept) == len(spans):
        return spans
    gone = {(s.start, s.end) for s in spans} - {(s.start, s.end) for s in kept}
    proposed = doc.spans.get(PROPOSED)
    if proposed is not None and gone:
        doc.spans[PROPOSED] = [s for s in proposed if (s.start, s.end) not in gone]
    return kept


# --- rule 18 --------------------------------------------------------------------------

#: Naming words of rule 18: what follows is a name the text gives ("namely" lists
#: things already named, "abbreviated"/"denoted" introduce short forms).
_COINING = frozenset({"called", "named", "termed", "dubbed", "coined"})


def _coined_senses(doc: Doc, spans: list[Span]) -> list[Span]:
    """Give a name the paper coins the type its head noun says (rule 18).

    In "a ... learning method, called APL" and "our offline RL approach called TAO" the
    paper names a method; that the gazetteer knows APL as a metric (AP_L) and TAO as a
    dataset is a collision of names. A gazetteer candidate that is the whole name right
    after a naming word of :data:`_COINING` (perhaps after a quote mark or "as"), whose
    head noun before it (perhaps before a comma; :func:`_head_of`) has a type none of
    the gazetteer senses on that name has, loses those senses everywhere in the paper
    (one sense per discourse; Gale, Church and Yarowsky, HLT 1992), and the name
    becomes a candidate of the head's type (rule ``pattern:coined``) unless a context
    rule already typed it so. A name inside the long form of a definition ("a novel
    framework called Temporal Continual Learning (TCL)") is left to the abbreviation
    rules.

    Parameters
    ----------
    doc : Doc
    spans : list of Span
        The candidates.

    Returns
    -------
    list of Span
        ``spans`` without the dropped senses, with the new candidates at the end.
    """
    text = doc_text(doc)
    names = doc.user_data.get(NAMES)
    if not names or not any(w in text for w in _COINING):
        return spans
    texts = token_texts(doc)[0]
    n = len(texts)
    known: dict[int, list[Span]] = {}
    for s in spans:
        if s.id_.startswith("gazetteer"):
            known.setdefault(s.start, []).append(s)
    # a definition's long form is read by the abbreviation rules (rule 6)
    defined = [long_ for _, long_ in doc.user_data.get(ABBREVIATIONS, [])]
    gone: set[tuple[str, str, str]] = set()
    found: list[Span] = []
    for k in range(1, n - 1):
        if texts[k].lower() not in _COINING:
            continue
        h = k - 2 if texts[k - 1] == "," else k - 1
        if h < 0 or not texts[h].isalpha() or not texts[h].islower():
            continue
        etype = _head_of(texts[h])[0]
        if etype is None:
            continue
        j = k + 1
        if j < n and (texts[j] in _QUOTE_PAIRS or texts[j] == "as"):
            j += 1
        for g in known.get(j, []):
            if g.end < n and names[g.end] and not doc[g.end].is_sent_start:
                continue  # the name goes on: the gazetteer saw only its start
            if any(long_.start <= j and g.end <= long_.end for long_ in defined):
                continue  # "called Temporal Continual Learning (TCL)"
            same = [c for c in known[j] if c.end == g.end]
            if any(c.label_ == etype.value for c in same):
                continue  # "a benchmark called BIRD": the sense the gazetteer knows
            gone.update((g.text, c.label_, c.kb_id_) for c in same)
            if not any(c.start == j and c.end == g.end and c.label_ == etype.value
                       for c in spans + found):
                found.append(_span(doc, j, g.end, etype.value, "pattern:coined"))
    if not gone:
        return spans
    kept = [s for s in spans if not (
        s.id_.startswith("gazetteer") and (s.text, s.label_, s.kb_id_) in gone)]
    return kept + found


# --- rule 19 --------------------------------------------------------------------------

#: Words that may stand between a measure and the loss noun that makes it a loss:
#: "LPIPS perceptual loss", "CLIP similarity loss", "spectral angle-based loss".
_LOSS_MODIFIERS = frozenset({"perceptual", "similarity", "reconstruction", "consistency",
                             "distillation", "alignment", "matching", "regression",
                             "divergence", "distance",
                             "-", "based"})
#: Words that open the list of a loss noun: "losses such as", "loss functions (e.g.,".
_LOSS_LIST_OPENERS = frozenset({"like", "including", "e.g.", "e.g", "i.e.", "i.e"})
_LIST_FILLERS = frozenset({",", "and", "or", "the", "(", ")", "-"})


def _training_losses(doc: Doc, spans: list[Span]) -> list[Span]:
    """Drop metric candidates that name a training loss (rule 19): the measure is
    optimised, not reported as a result. Four shapes, each around a loss noun of
    ``data/words/loss_words.txt``:

    - the noun follows the measure, perhaps after its short form and one modifier
      (``_LOSS_MODIFIERS``): "an MSE loss", "the Kullback-Leibler divergence (KL)
      term", "an LPIPS perceptual loss", "a spectral angle-based loss";
    - "as a ... loss" follows it: "mean squared error (MSE) as a primary loss";
    - the measure stands in a list that the noun opens with "such as", "like",
      "including", "e.g." or "i.e.": "loss functions such as cross-entropy or Dice";
    - the measure is coordinated with other candidates or names before a plural
      noun: "LPIPS and VGG-based perceptual losses".

    A context-pattern candidate within the same words goes too: it reads the loss as
    something else ("than LPIPS and VGG-based perceptual losses" as a compared
    method, "Intersection over Union loss" as the method "Union"); one that goes on
    over the loss noun names the loss ("a Weighted Chamfer Distance Loss") and stays.

    "loss" and "losses" right after an everyday measure word
    (``data/words/generic_metrics.txt``: "minimal accuracy loss") or after a word of
    ``data/words/loss_senses.txt`` before the measure ("no PSNR loss"), or before "of"
    or a number ("a PSNR loss of at most 1.66 dB"), mean a drop in the measure: the
    candidate stays.
    """
    text = doc_text(doc).lower()
    if not any(w in text for w in ("loss", "objective", "term", "regulari", "penalt")):
        return spans
    metrics = [s for s in spans if s.label_ == _METRIC]
    if not metrics:
        return spans
    texts = token_texts(doc)[0]
    lower = [t.lower() for t in texts]
    n = len(texts)
    loss_words = word_list("loss_words")
    names = doc.user_data.get(NAMES) or [False] * n
    covered = [False] * n  # candidates, and the words of hyphenated compounds
    for s in spans:
        for i in range(s.start, s.end):
            covered[i] = True
    for i in range(n):
        if texts[i] == "-" and 0 < i < n - 1:
            covered[i - 1] = covered[i + 1] = True

    def drop_sense(span: Span, j: int) -> bool:
        if lower[j] not in ("loss", "losses"):
            return False
        before = lower[span.start - 1] if span.start > 0 else ""
        after = lower[j + 1] if j + 1 < n else ""
        return (before in word_list("loss_senses") or after == "of"
                or after[:1].isdigit() or in_word_list("generic_metrics", span.text))

    def loss_after(span: Span) -> bool:
        k = span.end
        close = next((c for c in range(k + 2, min(k + 7, n)) if texts[c] == ")"), None) \
            if k < n and texts[k] == "(" else None
        if close is not None:
            k = close + 1  # "mean squared error (MSE) loss"
        elif k < n and texts[k] == ")":
            k += 1  # the short form: "mean squared error (MSE) as a loss"
        j = k
        while j < n and j - k < 3 and lower[j] in _LOSS_MODIFIERS:
            j += 1
        if j < n and lower[j] in loss_words and not drop_sense(span, j):
            return True
        if j < n - 2 and lower[j] == "as" and lower[j + 1] in ("a", "an", "the"):
            return any(lower[i] in ("loss", "objective")
                       for i in range(j + 2, min(j + 5, n)))
        return False

    def coordinated_losses(span: Span) -> bool:
        j, seen = span.end, False
        while j < n and j - span.end < 8 and (
                lower[j] in _LIST_FILLERS or lower[j] in _LOSS_MODIFIERS
                or names[j] or covered[j]):
            seen = seen or lower[j] in (",", "and", "or")
            j += 1
        return seen and j < n and lower[j] in ("losses", "terms", "objectives")

    def in_loss_list(span: Span) -> bool:
        i = span.start - 1
        while i >= 0 and span.start - i <= 8 and (
                lower[i] in _LIST_FILLERS or names[i] or covered[i]):
            i -= 1
        if i < 1:
            return False
        if lower[i] == "as" and lower[i - 1] == "such":
            i -= 2
        elif lower[i] in _LOSS_LIST_OPENERS:
            i -= 1
        else:
            return False
        while i >= 0 and lower[i] in ("(", ","):
            i -= 1
        if i < 0:
            return False
        if lower[i] in ("functions", "function") and i > 0 and lower[i - 1] == "loss":
            return True
        return lower[i] in loss_words and lower[i] not in ("term", "loss")

    losses = [s for s in metrics if loss_after(s) or coordinated_losses(s) or in_loss_list(s)]
    if not losses:
        return spans
    # a context pattern's guess within the same words ("than LPIPS and VGG-based
    # perceptual losses", "Intersection over Union loss") reads the loss as something
    # else; one that goes on over the loss noun names the loss ("a Weighted Chamfer
    # Distance Loss")
    return [s for s in spans if not (
        s.label_ == _METRIC and s in losses
        or s.id_.startswith("pattern:")
        and any(m.start <= s.start and s.end <= m.end for m in losses))]


# --- rule 20 --------------------------------------------------------------------------

#: Words that join the items of a list of names.
_SIBLING_LINKS = frozenset({",", "and", "or", "|", "vs", "vs.", "versus"})
#: A word shaped like a model's name (rule 20): a digit (not only a version, "v7"), a
#: capital after a lower-case letter, four capitals or more, or a hyphenated word with
#: a part of two capitals or more ("Drag-GAN"; not "Zero-Shot").
_MODEL_WORD = re.compile(r"^(?![vV]\d+(?:\.\d+)*$).*\d|[a-z][A-Z]|^[A-Z]{4,}$"
                         r"|-[A-Z]+[A-Z](?:-|$)|^[A-Z]+[A-Z]-")
#: A word of a listed name: letters and digits, perhaps joined by ".-/+:" ("Qwen2.5:32B",
#: "Mixer-B/16"); no "NeRF-" (the first half of "NeRF- and 3DGS-based"), no "n=160".
_ITEM_WORD = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.+/:]|-(?!-))*(?<![-.:/+])$")


def _list_siblings(doc: Doc, spans: list[Span]) -> list[Span]:
    """Method candidates for the names listed with a known model (rule 20)."""
    names = doc.user_data.get(NAMES)
    if names is None:
        return []
    anchors = [s for s in spans if s.label_ == _METHOD and s.kb_id_]
    if not anchors:
        return []
    typed = [""] * len(doc)
    for s in spans:
        for k in range(s.start, s.end):
            typed[k] = s.label_ if typed[k] in ("", s.label_) else "?"
    texts = token_texts(doc)[0]
    found: dict[tuple[int, int], Span] = {}
    for anchor in anchors:
        items: list[tuple[int, int]] = []
        joined = False
        for step in (1, -1):
            more, conj = _walk_list(doc, names, typed, texts, anchor, step)
            items += more
            joined = joined or conj
        if not joined:
            continue  # "On MedXpertQA MM, GPT-5 improves ...": a comma alone lists nothing
        for start, end in items:
            found.setdefault((start, end),
                             _span(doc, start, end, _METHOD, "pattern:method_sibling"))
    return list(found.values())


def _walk_list(doc: Doc, names: list[bool], typed: list[str], texts: list[str],
               anchor: Span, step: int) -> tuple[list[tuple[int, int]], bool]:
    """Walk the list around ``anchor`` after it (``step`` 1) or before it (-1).

    Returns the token ranges of the untyped model-shaped names listed, up to the first
    item that is not one (an item of another type ends the walk too), and whether a
    conjunction ("and", "or", "|", "vs.") joins two of the items walked.
    """
    n = len(doc)
    out: list[tuple[int, int]] = []
    joined = False
    edge = anchor.end if step == 1 else anchor.start  # first token past the item
    while True:
        k = edge if step == 1 else edge - 1
        links: list[str] = []
        while 0 <= k < n and texts[k].lower() in _SIBLING_LINKS:
            links.append(texts[k].lower())
            k += step
        if not links or not 0 <= k < n:
            return out, joined
        if step == 1:
            start = end = k
            while end < n and names[end] and not (end > start and doc[end].is_sent_start):
                end += 1
        else:
            start = end = k + 1
            while start > 0 and names[start - 1] and not doc[start].is_sent_start:
                start -= 1
        if start == end or doc[min(start, edge):max(end, edge)].sent != anchor.sent:
            return out, joined
        kinds = set(typed[start:end])
        if kinds == {_METHOD}:
            joined = joined or links != [","]
            edge = end if step == 1 else start  # a typed model: the list goes on
            continue
        if kinds != {""} or not _whole_item(doc, texts, start, end) \
                or not _model_item(doc, start, end) \
                or step == 1 and not _ends_list_item(doc, texts, end):
            return out, joined
        joined = joined or links != [","]
        out.append((start, end))
        edge = end if step == 1 else start


def _whole_item(doc: Doc, texts: list[str], start: int, end: int) -> bool:
    """Whether ``doc[start:end]`` is a whole list item: no word glued to it before or
    after but a link ("MobileNet-V1|ResNet-50") or punctuation: "instruct-0.1" of
    "t-lite-instruct-0.1" is no name."""
    before = start == 0 or bool(doc[start - 1].whitespace_) or texts[start - 1] in _OPEN \
        or texts[start - 1] in _SIBLING_LINKS
    after = end == len(doc) or bool(doc[end - 1].whitespace_) or texts[end] in _CLOSE \
        or texts[end] in _SIBLING_LINKS or texts[end] in _OPEN
    return before and after and texts[end - 1] != "-"


def _model_item(doc: Doc, start: int, end: int) -> bool:
    """Whether ``doc[start:end]`` is shaped like a model's name: words of
    :data:`_ITEM_WORD`, not built on something ("DiT-based"), one of them of
    :data:`_MODEL_WORD`, three characters or more, with a capital or a hyphen
    ("gpt-4.1"; not "guizilini2023towards", "70b" or "224x224"), and no size or
    measure ("3D Gaussians", "Pixtral 12B" and "B4" are no model's names here;
    "Numerical Calculation" none)."""
    words = doc[start:end].text.split()
    suffixes = word_list("attributive_suffixes")
    if any(not _ITEM_WORD.match(w) or any(p.lower() in suffixes for p in w.split("-")[1:])
           for w in words):
        return False
    return any(len(w) >= 3 and _MODEL_WORD.search(w) and not _NOT_A_NAME.match(w)
               and (w.lower() != w or "-" in w) for w in words)


def _ends_list_item(doc: Doc, texts: list[str], end: int) -> bool:
    """Whether the name ending at token ``end`` (exclusive) ends its list item: the
    text ends, a punctuation mark follows, or a word of ``list_item_ends.txt`` or a
    method cue or family word."""
    if end >= len(doc) or doc[end].is_sent_start:
        return True
    word = texts[end].lower()
    if not any(c.isalnum() for c in word):
        return True
    return word in word_list("list_item_ends") or word in word_list("method_cues") \
        or strip_plural(word) in word_list("family_words")
