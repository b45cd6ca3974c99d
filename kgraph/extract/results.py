"""Numeric results: the numbers an abstract reports, with metric, dataset and method.

:func:`find_results` reads a paper's text and its resolved entities (mentions with
offsets into ``paper.text`` and sentence indices) and returns
:class:`kgraph.model.Result` objects, ``(value, unit, kind, metric, dataset, method)``
with the span of the number as provenance. The rules favour precision: a number is
kept only when the text says what it measures, or, for a score, where.

1. **Numbers** (:data:`NUMBER_RE`): decimals with an optional sign (``+2.1``,
   ``−0.4``), an optional ``~``/``>``/``≈`` before, thousands separators, and a unit:
   ``%`` (also ``\\%`` and "percent"), ``dB``, a multiplier (``×``, ``\\times``, or
   ``x``/``X`` glued to the number: "3.2x"), ``FPS``, ``points``/``pts``/``pp``. A
   number glued to a letter, hyphen, slash, ``|``, ``@`` or ``^`` is part of a name or
   a size (``ResNet-50``, ``7B``, ``1080Ti``, ``R@5``, ``top-1``) and is skipped,
   unless it is a decimal score glued to a metric name (``50.4AP``, ``42.3mAP``).
2. **Not results**, skipped: numbers inside an entity mention (``CIFAR-10``, ``COCO
   2017``, a URL); citations (``[12]``); references to parts of the paper ("Table 2",
   "Section 3.2", "Eq. 5"); years (1900–2099 without a unit); ranges ("4-8x",
   "ranging from 0.3% to 3.0%", "between 2 and 5"); the start of "from 54.2% to
   82.0%" (the value improved upon); the values of others, after "than", "vs.",
   "versus", "compared to" or in parentheses opened after them; products and
   resolutions ("256 × 256"); shares ("1.5% of the parameters"); the spread after
   ``±``; a number alone in parentheses after a word that is not a metric ("60
   examples per class (5%)"); and numbers whose measure the text names but no metric
   entity covers ("10%, 3% and 9% in forgetting", "42.9% energy savings", "4x larger
   batch").
3. **Kind**: ``"improvement"`` for a change relative to another result: a signed
   number, a multiplier, a number after "by" ("improves by 4.5%", "outperforms X by
   up to 2%"), after "within", after a noun of change ("an improvement of 11.1
   points", "gains of 15.3%"), or followed by a word of change ("higher", "better",
   "gain", "reduction", "faster", ...; :data:`CHANGE_WORDS`). Otherwise
   ``"absolute"``, the value itself. Deltas are results too; ``kind`` and ``unit``
   say how to read them.
4. **Metric**, the first rule that applies:

   - the unit is a metric mention ("102 FPS"; rule ``metric_unit``);
   - a metric mention within four words after the number that cross no punctuation,
     digit or word of :data:`BREAKERS` ("89.7% top-1 accuracy", "2.1% improvement in
     mAP", "+80% GPU throughput gain"; ``metric_after``);
   - a metric mention right before it, across at most three words of
     :data:`BEFORE_GAP` or an opening parenthesis ("an FID of 2.70", "mIoU: 77.4",
     "reduces FLOPs by 44%", "inference time (54X)"; ``metric_before``), unless the
     metric is the object of a comparison ("outperforms MAE by 0.5%");
   - with "respectively", a list of *n* numbers followed by exactly *n* metric
     mentions: the *i*-th takes the *i*-th ("4.80x and 3.44x for latency and model
     size respectively"; ``metric_after``);
   - for a percentage, score or dB value only: the nearest free metric mention of the
     sentence within :data:`NEAREST_WINDOW` words (``metric_nearest``). Distances
     count words, and ten more for each clause boundary crossed (``,`` ``;`` "and"
     "while" ...). A metric mention right after another number ("22.8M parameters")
     belongs to that number and is not free.

   A list ("82.8%, 84.2%, and 84.6% top-1 accuracy") shares the words after its last
   number and before its first; a number joined by "and" to the previous result of
   its sentence, with no other metric between, continues its measurement ("84.3%
   mIoU on Cityscapes and 54.3% on ADE20K"; ``metric_inherited``, same kind). A signed number in parentheses right after another
   ("77.9% (+2.1%)") is that number's gain and takes its metric, dataset and method.
   Without a metric a number is kept only when it is a percentage, score or dB value
   with a known dataset in its sentence ("89.7% on Kinetics-400"; ``no_metric``), or a
   multiplier next to a speed word ("3.4× speed-up", "speed by 12X").
5. **Dataset**: a list of *n* numbers meeting exactly *n* datasets in the sentence
   takes them in order (as do the numbers of a sentence with "respectively"); else a
   dataset named after "on", "in", "for" or "across" within six words after the
   number ("77.4% mIoU at 102 FPS on Cityscapes"), or before it in its clause ("on
   ObjectNav with a success rate of 64.0%"); a capitalised name there that is no
   entity nor hardware ("68.7% on V1", but not "on GPU"), or words ending in
   "dataset" ("on the visual wake words dataset"), leave the dataset unknown; so does
   a dataset that is one of a list ("on LVU, COIN and Breakfast": which one?). A
   result of a cost metric (:data:`COST_METRICS`: parameters, FLOPs, latency, ...)
   gets a dataset only from "on X"; else a fronted "On X," opening the sentence; else the nearest dataset mention
   of the sentence that is not the object of a comparison (for a result without a
   metric, within :data:`NEAREST_WINDOW` words). A dataset a model was (pre-)trained
   on ("Pre-trained on ImageNet-22k, ...") is neither fronted nor nearest. Else the paper's only dataset when
   it has exactly one (not enough for a result without a metric, whose dataset must
   be named in its sentence).
6. **Method**: the same list alignment over the sentence's methods; else the nearest
   proposed method before the number in the sentence; else, when the sentence speaks
   of "our", "we" or "proposed" before the number, the paper's first proposed
   method; else the nearest method before the number that is not the object of a
   comparison ("than X", "over X", "outperforms X", "compared to X"); else the
   paper's first proposed method; else none.

Every rule is exercised by ``tests/test_results.py``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Sequence

from kgraph.canonical import canonical_key
from kgraph.extract.tokenizer import GLUED_SCORE
from kgraph.model import Entity, EntityType, Paper, Result

__all__ = ["NUMBER_RE", "CHANGE_WORDS", "BREAKERS", "BEFORE_GAP", "NEAREST_WINDOW",
           "COST_METRICS",
           "find_results", "split_sentences"]

#: A number with its optional approximation mark, sign and unit (rule 1).
NUMBER_RE = re.compile(
    r"(?P<prefix>[~≈<>≥≤]\s?)?"
    r"(?P<sign>[+\-−±])?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<unit>\s?\\?%|\s?percent\b|\s?dB\b|\s?×|\s?\\times(?![A-Za-z])|[xX](?![A-Za-z0-9])"
    r"|\s?FPS\b|\s?fps\b|\s(?:points?|pts|pp)\b|\s?p\.p\.)?"
)

#: The first character of any :data:`NUMBER_RE` match (approximation mark, sign or
#: digit, or the point of ".5").
_NUMBER_START = re.compile(r"[~≈<>≥≤+\-−±\d.]")


def _numbers(text: str):
    """``NUMBER_RE.finditer(text)``, faster.

    ``NUMBER_RE`` begins with optional groups, so Python's regex engine tries it at
    every offset of the text; :data:`_NUMBER_START` begins with a character set,
    which the engine skips to directly. Trying ``NUMBER_RE`` only where that set
    matches finds the same leftmost matches (every match begins with such a
    character), from the same offsets on.
    """
    pos = 0
    find, match = _NUMBER_START.search, NUMBER_RE.match
    while True:
        c = find(text, pos)
        if c is None:
            return
        m = match(text, c.start())
        if m is None:
            pos = c.start() + 1
        else:
            yield m
            pos = m.end()


_UNITS = {"%": "%", "\\%": "%", "percent": "%", "db": "dB", "×": "x", "\\times": "x",
          "x": "x", "fps": "FPS", "point": "points", "points": "points", "pts": "points",
          "pp": "points", "p.p.": "points"}

#: Characters that may stand right before a number (or its sign or approximation mark).
_OPENERS = set(" \t\n([{\"'“‘:;,=$")

#: Words of change: right after a number they make it an improvement (rule 3).
CHANGE_WORDS = frozenset("""
higher lower better worse more less lesser fewer larger smaller faster slower
improvement improvements improved gain gains increase increases increased decrease
decreases reduction reductions reduced drop drops boost boosts speedup speedups speed-up
speed-ups acceleration margin lead advantage cheaper below above cut""".split())

#: Nouns of change: "an improvement of 11.1 points" (rule 3).
_CHANGE_NOUNS = frozenset("""
improvement improvements gain gains increase increases decrease decreases reduction
reductions drop boost margin lead advantage speedup speed-up""".split())

_SPEED_WORDS = frozenset({"faster", "speedup", "speedups", "speed-up", "speed-ups",
                          "acceleration", "accelerations", "speed", "speeds"})

#: Words that end the stretch after a number in which its metric may be named (rule 4).
BREAKERS = frozenset("""
on at with while whereas than for when and or but using over compared vs vs. versus to
from by under without within which that across towards toward against after before
during via per respectively""".split())

#: Words allowed between a metric mention and a number that follows it (rule 4).
BEFORE_GAP = frozenset("""
of is was are were to at = : by reaches reach reached reaching achieves achieve achieved
achieving attains attaining obtains obtaining yields yielding scores scoring up upto
about around approximately nearly only just over an a the averaged average as high low
record""".split())

#: Words that may separate "by" from the number of an improvement ("by up to 2%").
_BY_GAP = frozenset("""
up to upto an a average averaged of about around nearly approximately over at least
more than margin large significant substantial considerable remarkable impressive
notable absolute relative total as much""".split())

#: Words carrying no measure of their own after a number (rule 2, named measures).
_FUNCTION_WORDS = frozenset("""
in of the terms average averaged mean overall absolute relative a an both all each
up point points pp uparrow downarrow respectively pm""".split())

#: Most words between a number and a metric taken by ``metric_nearest``, or a dataset
#: taken as the nearest (rules 4 and 5; a clause boundary counts ten).
NEAREST_WINDOW = 12

_REFERENCES = frozenset("""
table tab tables fig figs figure figures section sec sections eq eqs equation equations
appendix chapter algorithm alg theorem lemma corollary definition proposition step
stage phase version layer layers level round part""".split())

#: Words whose object is someone else's method, dataset or value.
_COMPARED = frozenset("""
than over vs vs. versus compared comparison outperforms outperform outperforming
outperformed surpasses surpass surpassing beats beating against exceeds exceeding""".split())
_LIKE = frozenset({"comparable", "competitive", "similar", "relative", "close"})
_HARDWARE = frozenset("""gpu gpus cpu cpus tpu tpus npu fpga a100 v100 h100 rtx iphone
mobile edge""".split())
_OTHERS_VALUE = frozenset({"than", "vs", "vs.", "versus", "compared"})
_SEPARATORS = frozenset({",", ";", "and", "while", "whereas", "but", "which", "with",
                         "without"})
_CLAUSE_ENDS = frozenset({",", ";", ".", "and", "while", "whereas", "but", "which"})
_SIZE_WORDS = frozenset({"million", "billion", "trillion", "thousand", "hundred", "k", "m",
                         "b"})
_ON_WORDS = frozenset({"on", "in", "for", "across"})
#: Merge keys of metrics that measure a model's cost, not its quality on data: their
#: results get a dataset only when "on X" names it (rule 5).
COST_METRICS = frozenset("""parameter flop mac modelsize memoryfootprint latency
inferencetime trainingtime throughput speedup energyconsumption communicationcost
tokenspersecond""".split())
_TRAINING = frozenset({"pre-trained", "pretrained", "pre-training", "pretraining",
                       "pre-train", "pretrain", "trained", "fine-tuned", "finetuned"})

_LIST_GLUE = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s*/\s*)$")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'.-]*[A-Za-z]|[A-Za-z]|\d[\d.,]*[A-Za-z%]*|[^\w\s]")
_CITATION = re.compile(r"\[\s*\d+(?:\s*[,;–-]\s*\d+)*\s*\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"“])")
_NUMERIC = re.compile(r"\d")
#: A score glued to its metric, "50.4AP" (the tokenizer's rule, :data:`GLUED_SCORE`).
_glued_score = re.compile(GLUED_SCORE).match
# Compiled once (re's own cache is looked up on every call otherwise):
_RANGE_AFTER = re.compile(r"\s?[-–—]\s?\d")               # "4-8x" after the number
_RANGE_BEFORE = re.compile(r"\d\s?[-–—]\s?$")             # ... and before it
_PRODUCT_AFTER = re.compile(r"\s?[x×X]\s?\d")             # "256 x 256"
_PRODUCT_BEFORE = re.compile(r"(?:[x×X]|\\times)\s?$")
_IMPROVED_UPON = re.compile(r"\s+to\s+[~≈+]?\d")         # "from 54.2% to"
_LIST_JOIN = re.compile(r"\s*(?:,\s*(?:and|or)?|and|or|&|/)\s*")
_OPEN_PAREN = re.compile(r"\s*\(\s*")
_LEAD_IN = re.compile(r"(?:\b(?:up to|upto|about|around|nearly|over|only)\s*)+$", re.IGNORECASE)
_AND_GAP = re.compile(r"\band\s+(?:(?:over|up to|about|nearly|around|only)\s+)?$")


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    entity: Entity


@dataclass
class _Number:
    start: int
    end: int
    num_start: int
    value: float
    unit: str
    unit_start: int
    sentence: int
    text: str
    signed: bool
    group: list["_Number"] = field(default_factory=list, repr=False)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` when no spaCy doc is at hand.

    The title (up to the first blank line) is sentence 0; the rest is cut after
    ``.``, ``!`` or ``?`` followed by whitespace and a capital, a digit or an opening
    bracket or quote. :func:`find_results` prefers the sentences of the extraction
    pipeline (``kgraph_sentences``), which this approximates.

    Parameters
    ----------
    text : str
        A paper's text (title, blank line, abstract).

    Returns
    -------
    list of (int, int)
        ``(start, end)`` offsets, in order.

    Examples
    --------
    >>> split_sentences("A title\\n\\nIt reaches 89.7%. Then 2.1 more.")
    [(0, 7), (9, 26), (27, 41)]
    """
    spans = []
    start = 0
    title_end = text.find("\n\n")
    if title_end >= 0:
        spans.append((0, title_end))
        start = title_end + 2
    pos = start
    for m in _SENTENCE_END.finditer(text, start):
        spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text) or not spans:
        spans.append((pos, len(text)))
    return spans


class _Scan:
    """The :data:`_TOKEN` matches of ``text`` from offset ``lo`` on, read as far as asked.

    The matches of ``text[lo:hi]`` are the matches of ``text[lo:]`` that end by
    ``hi``, then, when the next one runs past ``hi``, the matches of ``text[s:hi]``
    from its start ``s``: the pattern looks neither behind nor ahead, and a greedy
    match that fits before ``hi`` is found alike with or without the text after it.
    """

    __slots__ = ("toks", "ends", "rest", "done")

    def __init__(self, text: str, lo: int) -> None:
        self.toks: list[tuple[str, int, int]] = []
        self.ends: list[int] = []
        self.rest = _TOKEN.finditer(text, lo)
        self.done = False

    def upto(self, text: str, hi: int, first: int | None = None,
             last: int | None = None) -> list[tuple[str, int, int]]:
        """The matches of ``text[lo:hi]``; only the ``first`` or ``last`` ones if given
        (the scan then reads no further than the first ones need)."""
        toks, ends = self.toks, self.ends
        while not self.done and (not ends or ends[-1] <= hi) \
                and (first is None or len(ends) < first):
            m = next(self.rest, None)
            if m is None:
                self.done = True
            else:
                toks.append((m.group().lower(), m.start(), m.end()))
                ends.append(m.end())
        k = bisect.bisect_right(ends, hi)
        if first is not None and k >= first:
            return toks[:first]
        out = toks[:k] if last is None else toks[max(0, k - last):k]
        if k < len(toks) and toks[k][1] < hi:  # the next match runs past hi: cut it there
            out += [(m.group().lower(), m.start(), m.end())
                    for m in _TOKEN.finditer(text, toks[k][1], hi)]
        if first is not None:
            return out[:first]
        return out if last is None else out[-last:]


# The scans of the last text asked about, by start offset: the rules ask for the words
# of many stretches that start at one sentence start or number end.
_SCANS: list = [None, {}]


def _tokens(text: str, lo: int, hi: int, first: int | None = None,
            last: int | None = None) -> list[tuple[str, int, int]]:
    """Words, numbers and punctuation of ``text[lo:hi]``, lower-cased, with offsets.

    The same as ``list(_TOKEN.finditer(text, lo, hi))`` (its ``[:first]`` or
    ``[-last:]`` when given), read from a :class:`_Scan` of ``text`` from ``lo`` that
    later calls with the same ``text`` and ``lo`` reuse.
    """
    if hi <= lo or first == 0 or last == 0:
        return []
    if _SCANS[0] is not text:
        _SCANS[0], _SCANS[1] = text, {}
    scan = _SCANS[1].get(lo)
    if scan is None:
        scan = _SCANS[1][lo] = _Scan(text, lo)
    return scan.upto(text, hi, first, last)


def _words_before(text: str, pos: int, lo: int, n: int) -> list[str]:
    return [w for w, _, _ in _tokens(text, lo, pos, last=n)]


def _words_after(text: str, pos: int, hi: int, n: int) -> list[str]:
    return [w for w, _, _ in _tokens(text, pos, hi, first=n)]


def _distance(text: str, a: int, b: int) -> int:
    """Words between offsets ``a < b``, plus ten per clause boundary crossed."""
    toks = [w for w, _, _ in _tokens(text, a, b)]
    return len(toks) + 10 * sum(1 for w in toks if w in _SEPARATORS)


def _unit_of(raw: str | None) -> str:
    if not raw:
        return ""
    key = raw.strip()
    return _UNITS.get(key.lower(), _UNITS.get(key, key))


def _candidates(text: str, sentences: Sequence[tuple[int, int]],
                spans: list[tuple[int, int]]) -> list[_Number]:
    """Rules 1 and 2 (the parts that need no entity type): possible results."""
    starts = [s for s, _ in sentences]
    citations = [(m.start(), m.end()) for m in _CITATION.finditer(text)]
    out: list[_Number] = []
    for m in _numbers(text):
        start, num_start, num_end, end = m.start(), m.start("num"), m.end("num"), m.end()
        if start > 0 and text[start - 1] not in _OPENERS:
            continue
        unit_raw = m.group("unit")
        after = text[end:end + 1]
        if after and (after in "_@^/|" or (after.isalnum() and not unit_raw
                                            and not _glued_score(text, num_start))):
            continue  # glued to a name: 7B, 1080Ti, 3D, 16x16, 75.15%|82.03%
        if after == "-" and text[end + 1:end + 2].isalpha():
            continue  # 5-shot, 16-bit
        if m.group("sign") == "±" or text[max(0, start - 3):start].strip().endswith(("±", "pm")):
            continue
        if any(s < num_end and num_start < e for s, e in spans):
            continue
        if any(s <= num_start < e for s, e in citations):
            continue
        i = max(0, bisect.bisect_right(starts, num_start) - 1)
        s_lo, s_hi = sentences[i]
        before = _words_before(text, start, s_lo, 3)
        if before and before[-1] in _REFERENCES:
            continue
        unit = _unit_of(unit_raw)
        digits = m.group("num")
        value = float(digits.replace(",", ""))
        if not unit and "." not in digits and 1900 <= value <= 2099:
            continue
        if _RANGE_AFTER.match(text[num_end:num_end + 3]) or \
                _RANGE_BEFORE.search(text[max(0, start - 3):start]):
            continue  # a range: 4-8x, 8–60%
        if _PRODUCT_AFTER.match(text[num_end:num_end + 4]) or \
                _PRODUCT_BEFORE.search(text[max(0, start - 8):start]):
            continue  # a product or resolution: 256 x 256
        if (before[-1:] == ["from"] and before[-2:-1] in (["ranging"], ["range"], ["ranges"])) \
                or before[-1:] == ["between"]:
            continue
        if before[-1:] in (["and"], ["to"]) and re.search(
                r"(?:rang(?:e|es|ing) from|between)\s+\S+\s+(?:and|to)\s+$",
                text[max(s_lo, start - 60):start]):
            continue
        following = _words_after(text, end, s_hi, 1)
        if unit in ("%", "points") and following == ["of"]:
            continue  # a share: 1.5% of the parameters
        if not unit and following and following[0] in _SIZE_WORDS:
            continue  # a size: 650 million parameters
        if _IMPROVED_UPON.match(text[end:end + 8]):
            continue  # the value improved upon: "from 54.2% to", "improves 28.4% to"
        sign = m.group("sign")
        if sign in ("-", "−"):
            value = -value
        out.append(_Number(start, end, num_start, value, unit,
                           m.start("unit") if unit_raw else end, i, text[start:end],
                           signed=sign in ("+", "-", "−")))
    return out


def _group(numbers: list[_Number], text: str) -> None:
    """Link the numbers of a list ("82.8%, 84.2%, and 84.6%")."""
    group: list[_Number] = []
    for n in numbers:
        if group and group[-1].sentence == n.sentence and group[-1].unit == n.unit \
                and _LIST_GLUE.match(text[group[-1].end:n.start]):
            group.append(n)
        else:
            group = [n]
        n.group = group


def _is_compared(text: str, start: int, sent_start: int, n: int = 3) -> bool:
    """The words before ``start`` make what follows the object of a comparison."""
    words = _words_before(text, start, sent_start, n)
    return any(w in _COMPARED or (w in _LIKE and words[i + 1:i + 2] in (["to"], ["with"]))
               for i, w in enumerate(words))


def _others_value(n: _Number, text: str, sent: tuple[int, int]) -> bool:
    """The number is someone else's: "than 65.0%", "vs. 65.0%", "(57.7% ...)" after "than"."""
    first = n.group[0]
    if any(w in _OTHERS_VALUE for w in _words_before(text, first.start, sent[0], 3)):
        return True
    opened = text.rfind("(", sent[0], first.start)
    if opened >= 0 and ")" not in text[opened:first.start]:
        return any(w in _OTHERS_VALUE for w in _words_before(text, opened, sent[0], 4))
    return False


def _after_window(n: _Number, text: str, sent: tuple[int, int],
                  stops: list[_Mention]) -> list[tuple[str, int, int]]:
    """The words after a list up to a breaker, punctuation, digit or entity (4 at most)."""
    out = []
    for word, s, e in _tokens(text, n.group[-1].end, sent[1], first=5):
        if word in BREAKERS or not word[0].isalpha() or _NUMERIC.search(word) \
                or any(m.start <= s < m.end for m in stops) or len(out) == 4:
            break
        out.append((word, s, e))
    return out


class _Sentence:
    """The entity mentions of one sentence, and what the rules need of them."""

    def __init__(self, text: str, span: tuple[int, int],
                 by_type: dict[EntityType, list[_Mention]]) -> None:
        self.text, self.span = text, span
        lo, hi = span
        inside = lambda ms: [m for m in ms if lo <= m.start and m.end <= hi]  # noqa: E731
        self.metrics = inside(by_type[EntityType.METRIC])
        self.datasets = inside(by_type[EntityType.DATASET])
        self.methods = inside(by_type[EntityType.METHOD])
        self.others = inside([m for t, ms in by_type.items() for m in ms
                              if t is not EntityType.METRIC])
        self.mentions = inside([m for ms in by_type.values() for m in ms])
        self.respectively = "respectively" in text[lo:hi].lower()
        # a metric right after another number's token ("22.8M parameters") is taken
        self.owner: dict[int, int] = {}
        for mt in self.metrics:
            toks = _tokens(text, lo, mt.start, last=2)
            for word, s, _ in reversed(toks):
                if _NUMERIC.match(word):
                    self.owner[mt.start] = s
                    break
                if word not in CHANGE_WORDS:
                    break

    def free(self, mt: _Mention, n: _Number) -> bool:
        owner = self.owner.get(mt.start)
        return owner is None or any(g.start <= owner < g.end for g in n.group)


def _metric(n: _Number, s: _Sentence) -> tuple[Entity | None, str]:
    text, (lo, hi) = s.text, s.span
    first, last = n.group[0], n.group[-1]
    if n.unit:
        unit_word = n.unit_start + len(text[n.unit_start:n.end]) - \
            len(text[n.unit_start:n.end].lstrip())
        for mt in s.metrics:
            if mt.start == unit_word:
                return mt.entity, "metric_unit"
    following = [mt for mt in s.metrics if mt.start >= last.end]
    if following:
        mt = min(following, key=lambda x: x.start)
        gap = _tokens(text, last.end, mt.start, first=5)  # more than 4: too far
        if len(gap) <= 4 and all(
                w[0].isalpha() and w not in BREAKERS and not _NUMERIC.search(w)
                and not any(o.start <= st < o.end for o in s.others) for w, st, _ in gap):
            return mt.entity, "metric_after"
    preceding = [mt for mt in s.metrics if mt.end <= first.start]
    if preceding:
        mt = max(preceding, key=lambda x: x.end)
        gap = text[mt.end:first.start]
        paren = gap.rstrip().endswith("(") and "(" not in gap.rstrip()[:-1]
        body = gap.rstrip()[:-1] if paren else gap
        words = [w for w, _, _ in _tokens(text, mt.end, mt.end + len(body))]
        if not any(ch in body for ch in ",;()[]") and len(words) <= 3 \
                and all(w in BEFORE_GAP for w in words) \
                and not _is_compared(text, mt.start, lo):
            return mt.entity, "metric_before"
    if s.respectively and len(n.group) > 1:
        after = _distinct([mt for mt in s.metrics if mt.start >= last.end])
        if len(after) == len(n.group):
            return after[n.group.index(n)], "metric_after"
    return None, "no_metric"


def _nearest_metric(n: _Number, s: _Sentence) -> Entity | None:
    best = None
    for mt in s.metrics:
        if not s.free(mt, n) or _is_compared(s.text, mt.start, s.span[0]):
            continue
        d = _distance(s.text, n.end, mt.start) if mt.start >= n.end else \
            _distance(s.text, mt.end, n.start)
        if d <= NEAREST_WINDOW and (best is None or d < best[0]):
            best = (d, mt)
    return best[1].entity if best else None


def _named_other(n: _Number, s: _Sentence) -> bool:
    """The words after the number name a measure no metric entity covers."""
    window = _after_window(n, s.text, s.span, s.others)
    return any(w not in _FUNCTION_WORDS and w not in CHANGE_WORDS for w, _, _ in window)


def _distinct(mentions: list[_Mention]) -> list[Entity]:
    seen: dict[int, Entity] = {}
    for m in mentions:
        seen.setdefault(id(m.entity), m.entity)
    return list(seen.values())


def _kind(n: _Number, s: _Sentence) -> str:
    text, (lo, hi) = s.text, s.span
    if n.signed or n.unit == "x":
        return "improvement"
    window = _tokens(text, n.group[-1].end, hi, first=6)
    for word, _, _ in window:
        if word in CHANGE_WORDS:
            return "improvement"
        if word in BREAKERS or not word[0].isalpha():
            break
    before = _words_before(text, n.group[0].start, lo, 6)
    for j in range(len(before) - 1, -1, -1):
        word = before[j]
        if word in ("by", "within") or (word in _CHANGE_NOUNS and j >= len(before) - 4):
            return "improvement"
        if word not in _BY_GAP and word not in _CHANGE_NOUNS and word != "for":
            break
    return "absolute"


def _dataset(n: _Number, s: _Sentence, aligned: Entity | None,
             paper_datasets: list[Entity], window: int | None,
             cost: bool = False) -> tuple[Entity | None, bool]:
    """Rule 5: the dataset, and whether the sentence names it."""
    if aligned is not None:
        return aligned, True
    text, (lo, hi) = s.text, s.span
    named = _named_after_on(s, _tokens(text, n.group[-1].end, hi, first=7))
    if named is not None:
        return named
    if cost:  # a model's size or speed is measured on no dataset unless "on X" says so
        return None, False
    before = _tokens(text, max(lo, n.group[0].start - 200), n.group[0].start)
    clause = []
    for tok in reversed(before):
        if tok[0] in _CLAUSE_ENDS:
            break
        clause.insert(0, tok)
    named = _named_after_on(s, clause[-8:])
    if named is not None:
        return named
    fronted = [m for m in s.datasets if m.end <= n.start and _fronted(text, m, lo)
               and not _pretraining(text, m, lo)]
    if fronted:
        return fronted[-1].entity, True
    best = None
    for m in s.datasets:
        if _is_compared(text, m.start, lo, 2) or _pretraining(text, m, lo):
            continue
        d = _distance(text, n.end, m.start) if m.start >= n.end else \
            _distance(text, m.end, n.start)
        if (window is None or d <= window) and (best is None or d < best[0]):
            best = (d, m)
    if best is not None:
        if _in_list(s, best[1]):
            return None, True  # "using LVU, COIN and Breakfast": which one?
        return best[1].entity, True
    if len(paper_datasets) == 1:
        return paper_datasets[0], False
    return None, False


def _named_after_on(s: _Sentence, toks: list[tuple[str, int, int]]
                    ) -> tuple[Entity | None, bool] | None:
    """The dataset "on X" names among ``toks`` (``None``: no "on X" there)."""
    text = s.text
    for j, (word, _, _) in enumerate(toks):
        if word in _SEPARATORS or word in (";", ".", "than", "vs", "over"):
            break
        if word not in _ON_WORDS:
            continue
        k = j + 1
        while k < len(toks) and toks[k][0] in ("the", "both", "a", "an", "all", "several",
                                                 "large-scale", "challenging", "public"):
            k += 1
        if k >= len(toks) or toks[k][0] in ("this", "these", "that", "those", "each",
                                             "every", "our", "its", "their"):
            break  # "on this benchmark" points elsewhere
        target = toks[k][1]
        found = [m for m in s.datasets if m.start <= target < m.end]
        if found:
            if _in_list(s, found[0]):
                return None, True
            return found[0].entity, True
        raw = text[toks[k][1]:toks[k][2]]
        if raw[:1].isupper() and toks[k][0] not in _HARDWARE \
                and not any(m.start <= target < m.end for m in s.mentions):
            return None, True  # "68.7% on V1": a name, but no dataset entity
        rest = [w for w, _, _ in _tokens(text, target, s.span[1], first=5)]
        for i, w in enumerate(rest):
            if w in ("dataset", "datasets", "benchmark", "benchmarks"):
                return None, True  # "on the visual wake words dataset": not an entity
            if not w[0].isalpha() or w in BREAKERS or i >= 4:
                break
    return None


def _in_list(s: _Sentence, m: _Mention) -> bool:
    """The dataset mention is one of a coordinated list of datasets ("A, B and C")."""
    for other in s.datasets:
        if other.entity is m.entity:
            continue
        lo, hi = (other.end, m.start) if other.end <= m.start else (m.end, other.start)
        if 0 <= hi - lo and _LIST_JOIN.fullmatch(s.text[lo:hi]):
            return True
    return False


def _fronted(text: str, m: _Mention, lo: int) -> bool:
    """"On X, ...", "Additionally, on X, ...", "Similarly in X, ...": X opens the sentence."""
    if not text[m.end:m.end + 2].strip().startswith(","):
        return False
    toks = [w for w, _, _ in _tokens(text, lo, m.start)]
    if not toks or toks[-1] not in ("on", "in", "for"):
        return False
    lead = toks[:-1]
    return not lead or lead[-1] == "," or (len(lead) == 1 and lead[0].endswith("ly"))


def _pretraining(text: str, m: _Mention, lo: int) -> bool:
    """The dataset is what a model was (pre-)trained on, not what it was measured on."""
    return any(w in _TRAINING for w in _words_before(text, m.start, lo, 3))


def _method(n: _Number, s: _Sentence, aligned: Entity | None,
            proposed: list[Entity]) -> Entity | None:
    if aligned is not None:
        return aligned
    before = [m for m in s.methods if m.end <= n.start]
    own = [m for m in before if m.entity.proposed]
    if own:
        return max(own, key=lambda m: m.end).entity
    words = _words_before(s.text, n.group[0].start, s.span[0], 60)
    if proposed and any(w in ("our", "we", "proposed") for w in words):
        return proposed[0]
    free = [m for m in before if not _is_compared(s.text, m.start, s.span[0])]
    if free:
        return max(free, key=lambda m: m.end).entity
    return proposed[0] if proposed else None


def find_results(paper: Paper, entities: Sequence[Entity],
                 sentences: Sequence[tuple[int, int]] | None = None) -> list[Result]:
    """The numeric results a paper reports (rules 1–6 of the module).

    Parameters
    ----------
    paper : Paper
        The paper; offsets index :attr:`Paper.text`.
    entities : sequence of Entity
        Its resolved entities with their mentions (:class:`kgraph.model.Mention`:
        offsets into ``paper.text`` and sentence indices).
    sentences : sequence of (int, int), optional
        Character spans of the sentences, in order, as the extraction pipeline cut
        them (``[(s.start_char, s.end_char) for s in doc.sents]``), so that
        :attr:`Result.sentence` numbers sentences as the mentions do; by default
        :func:`split_sentences`.

    Returns
    -------
    list of Result
        In text order, at most one per number.

    Examples
    --------
    >>> from kgraph.model import Mention
    >>> p = Paper("p", "T", "Our DiST reaches 89.7% top-1 accuracy on Kinetics-400.")
    >>> def ent(t, name, proposed=False):
    ...     i = p.text.index(name)
    ...     return Entity(t, name, name.lower(), [name],
    ...                   [Mention(name, i, i + len(name), 1, "test")], proposed)
    >>> ents = [ent(EntityType.METHOD, "DiST", True),
    ...         ent(EntityType.METRIC, "top-1 accuracy"),
    ...         ent(EntityType.DATASET, "Kinetics-400")]
    >>> [(r.value, r.unit, r.kind, r.metric, r.dataset, r.method) for r in find_results(p, ents)]
    [(89.7, '%', 'absolute', 'top-1 accuracy', 'Kinetics-400', 'DiST')]
    """
    text = paper.text
    sentences = list(sentences) if sentences is not None else split_sentences(text)
    if not sentences:
        sentences = [(0, len(text))]
    by_type: dict[EntityType, list[_Mention]] = {t: [] for t in EntityType}
    spans = []
    for ent in entities:
        for m in ent.mentions:
            by_type[ent.type].append(_Mention(m.start, m.end, ent))
            spans.append((m.start, m.end))
    for mentions in by_type.values():
        mentions.sort(key=lambda x: x.start)
    numbers = _candidates(text, sentences, spans)
    _group(numbers, text)
    paper_datasets = [e for e in entities if e.type is EntityType.DATASET]
    proposed = [e for e in entities if e.type is EntityType.METHOD and e.proposed]

    results: list[Result] = []
    by_sentence: dict[int, list[_Number]] = {}
    for n in numbers:
        by_sentence.setdefault(n.sentence, []).append(n)
    for index, numbers_here in by_sentence.items():
        s = _Sentence(text, sentences[index], by_type)
        own: list[tuple[_Number, Entity | None, str]] = []
        children: list[tuple[_Number, _Number]] = []
        coordinated: dict[int, _Number] = {}
        for k, n in enumerate(numbers_here):
            alone = _alone_in_parentheses(n, s)
            if alone:
                prev = numbers_here[k - 1] if k else None
                if n.signed and prev is not None and \
                        _OPEN_PAREN.fullmatch(text[prev.end:n.start]):
                    children.append((n, prev))
                    continue
                if not any(_OPEN_PAREN.fullmatch(text[mt.end:n.start])
                           for mt in s.metrics):
                    continue
            if _others_value(n, text, s.span):
                continue
            metric, rule = _metric(n, s)
            if rule == "metric_before" and _named_other(n, s):
                continue  # a count: "an accuracy of 60 examples"
            if metric is None and own:
                pn, pm, _ = own[-1]
                if pm is not None and _coordinated(pn, n, pm, s) and not _named_other(n, s):
                    metric, rule = pm, "metric_inherited"
                    coordinated[n.start] = pn
            if metric is None and not _keep_without_metric(n, s):
                if n.unit not in ("%", "points", "dB", "FPS") or _named_other(n, s):
                    continue
                metric = _nearest_metric(n, s)
                if metric is None and not s.datasets:
                    continue
                rule = "metric_nearest" if metric else "no_metric"
            own.append((n, metric, rule))
        kept = [n for n, _, _ in own]
        made: dict[int, Result] = {}
        for n, metric, rule in own:
            aligned = _align(n, s.datasets, kept, s.respectively)
            dataset, named = _dataset(n, s, aligned, paper_datasets,
                                      None if metric else NEAREST_WINDOW,
                                      cost=metric is not None
                                      and canonical_key(metric.name) in COST_METRICS)
            if metric is None and not named and n.unit != "x":
                continue  # a score needs its dataset named in its sentence
            if metric is None and dataset is None and n.unit != "x":
                continue
            if metric is None and s.respectively and len(n.group) > 1 and aligned is None:
                continue  # "by 0.5%, 1.0%, and 0.5%, respectively": refers elsewhere
            method = _method(n, s, _align(n, s.methods, kept, False), proposed)
            first = made.get(coordinated[n.start].start) if n.start in coordinated else None
            made[n.start] = Result(n.value, n.unit, first.kind if first else _kind(n, s),
                                   metric.name if metric else None,
                                   dataset.name if dataset else None,
                                   method.name if method else None,
                                   n.text, n.start, n.end, n.sentence, rule)
        for n, prev in children:
            parent = made.get(prev.start)
            if parent is not None:
                made[n.start] = Result(n.value, n.unit, "improvement", parent.metric,
                                       parent.dataset, parent.method, n.text, n.start,
                                       n.end, n.sentence,
                                       "metric_inherited" if parent.metric else "no_metric")
        results.extend(made.values())
    results.sort(key=lambda r: r.start)
    return results


def _align(n: _Number, mentions: list[_Mention], kept: list[_Number],
           respectively: bool) -> Entity | None:
    """The i-th entity of the sentence for the i-th number of a list (or, with
    "respectively", of the sentence's results) of the same length."""
    entities = _distinct(mentions)
    if len(n.group) > 1 and len(entities) == len(n.group):
        return entities[n.group.index(n)]
    if respectively and len(kept) > 1 and len(entities) == len(kept) and n in kept:
        return entities[kept.index(n)]
    return None


def _coordinated(prev: _Number, n: _Number, metric: Entity, s: _Sentence) -> bool:
    """"84.3% mIoU on X and 54.3% on Y": ``n`` continues ``prev``'s measurement."""
    if prev.unit != n.unit or prev in n.group:
        return False
    gap = s.text[prev.end:n.group[0].start]
    if not _AND_GAP.search(gap):
        return False
    return all(mt.entity is metric for mt in s.metrics
               if prev.end <= mt.start and mt.end <= n.start)


def _alone_in_parentheses(n: _Number, s: _Sentence) -> bool:
    """"(5%)", "(up to 5.6%)", "(+2.1%)": the number is all its parentheses hold."""
    if not s.text[n.end:n.end + 2].lstrip().startswith(")"):
        return False
    head = s.text[s.span[0]:n.start].rstrip()
    if not head.endswith("("):  # (a head ending in "(" has no lead-in words to drop)
        head = _LEAD_IN.sub("", head).rstrip()
    return head.endswith("(")


def _keep_without_metric(n: _Number, s: _Sentence) -> bool:
    """A multiplier next to a speed word ("3.4x speed-up", "speed by 12X")."""
    if n.unit != "x":
        return False
    after = _after_window(n, s.text, s.span, s.others)
    before = _words_before(s.text, n.group[0].start, s.span[0], 3)
    return any(w in _SPEED_WORDS for w, _, _ in after) or any(w in _SPEED_WORDS for w in before)
