"""Abbreviation definitions: "long form (SF)" and "SF (long form)".

The algorithm is that of Schwartz and Hearst [1]_, the one scispacy's
``abbreviation_detector`` implements, run directly on a string so that every result
carries character offsets into it.

Rules of the paper
------------------
1. **Candidates.** A parenthesis in a sentence. Its content is a short form (SF) when
   it has at most two words; the long form (LF) is then sought in the words before
   the parenthesis. When the content has more than two words the pattern is reversed:
   the word before the parenthesis is the SF (it must contain a capital letter) and
   the content is the LF candidate. Only the part of the content before the first
   ``,`` or ``;`` is used ("(CNN; see Section 2)" gives ``CNN``). As an extension, two
   words that cannot be a short form (``ViT (Vision Transformer)``) are also tried as
   a long form.
2. **Short form.** 2 to 10 characters, at most two words, at least one letter, and an
   alphanumeric first character.
3. **Window.** The LF has at most ``min(|SF| + 5, 2 * |SF|)`` words, where ``|SF|`` is
   the number of letters and digits of the SF; the window stops at the start of the
   sentence.
4. **Matching** (the paper's ``findBestLongForm``). The SF's letters and digits are
   matched right to left, case-insensitively, against the LF candidate, each at the
   rightmost position left of the previous match; the first SF character must also
   start a word of the LF (its left neighbour is not a letter or digit). The LF runs
   from the start of the whitespace-separated word holding that match to the end of
   the candidate. No match, no definition. In the reversed pattern (an extension) the
   long form must start at the first word of the parenthesis, after lead-in words such
   as "i.e.", "short for", "also known as": ``ENEIDE (Extracting Named Entities from
   Italian Digital Editions)`` is found whole, ``LLMs (Phi3 and Llama3)`` is no
   definition although ``Llama3`` alone would match.
5. **Checks.** The LF is at least as long as the SF and does not contain the SF as a
   word or end with it.

Extensions for machine-learning text
------------------------------------
- **Plural short forms.** An SF ending in a lower-case ``s`` after a capital or a
  digit (``CNNs``, ``ViTs``, ``LLMs``) is matched without the ``s``; the reported SF
  keeps it.
- **Capital letter.** The SF in the parenthesis must also contain a capital letter.
  Lower-case parenthesised words in abstracts are ordinary words (``(left)``,
  ``(resp.)``), not abbreviations; ``(mAP)``, ``(fMRI)`` and ``(iSeeBetter)`` pass.
- **Not abbreviations.** Contents with ``=``, ``\\``, ``$``, ``^``, ``%``, braces,
  ``<``, ``>``, ``|``, ``~`` or ``_`` (equations, percentages, TeX), citations
  (``(Smith et al., 2020)``, ``(Smith, 2020)``), references (``(Fig. 2)``), Latin
  abbreviations (``e.g.``, ``i.e.``, ``cf.``) and anything without a letter (numbers,
  years) are not short forms; the capital-letter rule also skips enumerations
  (``(ii)``). In the reversed pattern a leading ``i.e.`` is simply left out of the long
  form (``ELBO (i.e. the evidence lower bound)``).
- **Digits and hyphens** are matched like letters: ``3D Gaussian Splatting (3DGS)``
  is found, ``(ViT-L/16)`` after text without ``1`` and ``6`` is not. A digit between
  two letters that the long form does not spell is read as a word that sounds like it
  (``Text-to-Image (T2I)``, ``... Inference for Patient Recruitment (NLI4PR)``), else
  as the letter before it repeated (``Dual Discriminator ... (D2GAN)``), else left out
  (see ``_digit_reading``); leading and trailing digits must still match, except the
  one digit ending an acronym of capitals, a version or count the long form does not
  spell: ``Time Series MambaMixer (TSM2)``. Such a definition is accepted only when
  every capital starts a word (or a CamelCase part) of the long form, in order, and the
  long form has at most two words more than the acronym has capitals
  (``_spells_initials``); :func:`unspelled_version` tells callers to keep it apart
  from a known family name (``Segment Anything Model (SAM2)``).
- **Boundaries of the long form.** Leading quotes and brackets and trailing quotes,
  commas and TeX non-breaking spaces (``~``) are trimmed. The LF may not begin with
  "the", "a", "an", "our" (or similar function words) unless the word is capitalised
  inside a sentence (``A Lite BERT (ALBERT)``); it may not end with a function word
  ("and", "of", ...). When the first SF character matched such a word, the match
  moves to the nearest earlier word that starts with it (``Turning to Video for
  Transcript Sorting (TVTS)``, where the plain algorithm stops at "to"). The window
  also stops at ``:``, ``;``, brackets and line breaks.
- **Doubled initials.** The rightmost matching of rule 4 cuts a word from a long
  form whose short form repeats an initial: "Proximal Policy Optimization (PPO)"
  gives "Policy Optimization", since the second "P" matches the "p" of
  "Optimization". When the long form does not spell the short form with its
  capitals on word starts and one word more does (:func:`spells`), that word is
  taken in (``_one_word_more``).
- **Unicode.** Letters are compared with ``str.lower`` and ``str.isalnum``, so
  ``Fréchet Inception Distance (FID)`` works like ASCII text.

References
----------
.. [1] A. S. Schwartz and M. A. Hearst, "A Simple Algorithm for Identifying
   Abbreviation Definitions in Biomedical Text", Pacific Symposium on Biocomputing
   8:451-462, 2003.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Abbreviation", "find_abbreviations", "abbreviation_map", "spells", "unspelled_version"]

# A parenthesis without nested parentheses or line breaks.
_PAREN = re.compile(r"\(([^()\n]{1,300})\)")
# Content that is an equation, a percentage or TeX, never an abbreviation.
_NOT_TEXT = re.compile(r"[=\\$^%{}<>|~_]")
# Citations: "Smith et al., 2020", "Smith and Jones, 2020", "Smith 2020a".
_CITATION = re.compile(
    r"\bet\s+al\b"
    r"|^[^\W\d_][\w'\u2019\-]*(?:\s+(?:and|&)\s+[^\W\d_][\w'\u2019\-]*)?,?\s+(?:19|20)\d\d[a-z]?\b"
)
# References to parts of the paper: "Fig. 2", "Sec 3.1", "Eq. (4)".
_REFERENCE = re.compile(
    r"^(?:figs?|figures?|tabs?|tables?|secs?|sections?|eqs?|eqns?|equations?|app|appendix"
    r"|algs?|algorithms?|thms?|theorems?|lemmas?|defs?|refs?|chap|chapters?)\.?\s*\d",
    re.IGNORECASE,
)
_HAS_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\s~]+")
_SPLIT = re.compile(r"[;,]")
# Everything up to the last sentence or clause boundary before a parenthesis.
_LAST_BOUNDARY = re.compile(r".*(?:[()\[\]{};:\n]|[.!?][\"'\u201d\u2019)]?(?=\s))", re.DOTALL)

_LATIN = frozenset({"eg", "ie", "cf", "etc", "viz", "vs", "resp", "ibid", "al", "ca", "approx"})
_NO_START = frozenset({
    "the", "a", "an", "our", "this", "these", "that", "those", "its", "their", "his",
    "her", "we", "and", "or", "of", "in", "on", "for", "with", "to", "by", "from", "as",
    "at", "via", "is", "are", "which", "such",
})
_CAPITAL_START_OK = frozenset({"a", "an", "the", "our"})
_NO_END = frozenset({
    "the", "a", "an", "our", "this", "these", "its", "their", "and", "or", "of", "in",
    "on", "for", "with", "to", "by", "from", "as", "at", "via", "is", "are", "was",
    "were", "that", "which", "such", "called", "named", "termed", "dubbed",
})
# Words that may introduce a long form in "SF (i.e. long form)".
_LEAD_IN = frozenset({"i.e", "ie", "e.g", "eg", "that", "is", "the", "a", "an", "short",
                      "for", "also", "known", "as", "aka", "namely", "called", "or"})
_LEAD_TRIM = "\"'`\u2018\u201c\u00ab([{<"
_TAIL_TRIM = "\"'`\u2019\u201d\u00bb,~ \t"
_WINDOW_CHARS = 400


@dataclass(frozen=True)
class Abbreviation:
    """One abbreviation definition found in a string.

    Attributes
    ----------
    short, long : str
        The short form (``"CNNs"``) and the long form
        (``"Convolutional neural networks"``), exactly as written.
    short_start, short_end, long_start, long_end : int
        Character offsets into the searched string, end exclusive:
        ``text[short_start:short_end] == short`` and
        ``text[long_start:long_end] == long``.
    """

    short: str
    long: str
    short_start: int
    short_end: int
    long_start: int
    long_end: int


def _lower(s: str) -> str:
    """``s.lower()`` with the length of ``s`` kept (a few letters lower to two)."""
    low = s.lower()
    if len(low) == len(s):
        return low
    return "".join(ch.lower()[0] for ch in s)


def _has_upper(s: str) -> bool:
    """True when ``s`` has an upper-case letter (any script)."""
    return any(ch.isupper() for ch in s)


def _match_chars(short: str) -> str:
    """The SF characters that must be matched: letters and digits, lower case.

    A plural ``s`` after a capital or digit is dropped (``CNNs`` -> ``cnn``).
    """
    if len(short) >= 3 and short[-1] == "s" and (short[-2].isupper() or short[-2].isdigit()):
        short = short[:-1]
    return "".join(ch for ch in _lower(short) if ch.isalnum())


def _valid_short(short: str) -> bool:
    """Rule 2 of the paper plus the capital-letter and not-an-abbreviation checks."""
    if not 2 <= len(short) <= 10 or len(short.split()) > 2:
        return False
    if not short[0].isalnum() or not _HAS_LETTER.search(short):
        return False
    if _NOT_TEXT.search(short) or _REFERENCE.match(short):
        return False
    if short.replace(".", "").lower() in _LATIN:
        return False
    return True


def _best_long_form(text: str, low: str, start: int, end: int, chars: str) -> int:
    """Right-to-left matching of the paper's ``findBestLongForm``.

    Returns the offset of the first SF character's match in ``text[start:end]``, or -1.
    """
    pos = end
    last = len(chars) - 1
    for k in range(last, -1, -1):
        ch = chars[k]
        pos = low.rfind(ch, start, pos)
        if k == 0:
            while pos > start and text[pos - 1].isalnum():
                pos = low.rfind(ch, start, pos)
        if pos < 0:
            return -1
    return pos


def _sentence_start(text: str, pos: int) -> bool:
    """True when only whitespace separates ``pos`` from a sentence boundary."""
    i = pos - 1
    while i >= 0 and text[i] in " \t~":
        i -= 1
    return i < 0 or text[i] in ".!?:\n"


def _check_long(text: str, ls: int, le: int, short: str, nchars: int) -> bool:
    """Rule 5 of the paper plus the function-word extensions."""
    long = text[ls:le]
    if len(long) < len(short) or (short + " ") in long or long.endswith(short):
        return False
    words = long.split()
    if len(words) > min(nchars + 5, 2 * nchars):
        return False
    first = words[0].strip(_LEAD_TRIM).lower()
    if first in _NO_START:
        capital = words[0][:1].isupper()
        if not (first in _CAPITAL_START_OK and capital and not _sentence_start(text, ls)):
            return False
    if words[-1].strip(_TAIL_TRIM + ".").lower() in _NO_END:
        return False
    return _HAS_LETTER.search(long) is not None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` past surrounding whitespace, quotes and TeX spaces."""
    while end > start and text[end - 1] in _TAIL_TRIM:
        end -= 1
    while start < end and (text[start] in _LEAD_TRIM or text[start].isspace()):
        start += 1
    return start, end


#: A digit between two letters of a short form ("D2GAN", "T2I").
_INNER_DIGIT = re.compile(r"(?<=[^\W\d_])\d(?=[^\W\d_])")


#: An acronym of capitals (one lower-case letter allowed inside) and one final digit:
#: "TSM2", "ViM2", "SJD2"; not "Places2", "mAP50" or "HD95".
_VERSIONED_ACRONYM = re.compile(r"[A-Z](?:[A-Z]|[a-z](?=[A-Z]))*[A-Z][1-9]$")


#: Where a word or a part of one starts: after a non-letter, or a capital after a
#: lower-case letter ("Speech|Wellness", "Jacobi-|Denoising").
_WORD_START = re.compile(r"(?<![^\W\d_])[^\W\d_]|(?<=[a-z])[A-Z]")


def _spells_initials(long: str, short: str) -> bool:
    """True when the capitals of ``short`` are, in order, initials of ``long``.

    The stricter test for a versioned acronym (:data:`_VERSIONED_ACRONYM`), whose
    digit is not matched: the long form starts with the first capital, every capital
    starts a word or a CamelCase part of one, and the long form has at most two words
    more than the acronym has capitals ("Time Series MambaMixer (TSM2)", but not
    "Specifically, X utilizes a visual foundational model (SAM2)").
    """
    caps = [ch.lower() for ch in short if ch.isupper()]
    if len(long.split()) > len(caps) + 2:
        return False
    starts = [m.group().lower() for m in _WORD_START.finditer(long)]
    if not starts or starts[0] != caps[0]:
        return False
    it = iter(starts)
    return all(ch in it for ch in caps)


#: Inner digits read as a word that sounds like them, with the letter the word is
#: matched by: "Text-to-Image (T2I)", "Hierarchical Two-sample Tests (H2ST)",
#: "Natural Language Inference for Patient Recruitment (NLI4PR)".
_DIGIT_WORDS = {"2": ("t", frozenset({"to", "two"})), "4": ("f", frozenset({"for", "four"}))}


def _repeat(m: re.Match) -> str:
    """The letter before an inner digit ``n``, ``n - 1`` times more."""
    return m.string[m.start() - 1] * (int(m.group()) - 1)


def _digit_reading(text: str, low: str, start: int, end: int, chars: str) -> tuple[str, int]:
    """Match a short form whose inner digits spell no character of the long form.

    An inner digit (between two letters) is read, in this order, as a word that sounds
    like it ("to", "two", "for", "four"; accepted only when the long form has that
    word), as the letter before it repeated ("Dual Discriminator GAN (D2GAN)",
    "Structurally Stable Incremental Learning (S2IL)"), or as nothing when no reading
    above matches.

    Parameters
    ----------
    text, low : str
        The text and its lower-case form (same length).
    start, end : int
        Character offsets of the long form candidate in ``text``.
    chars : str
        The short form's characters to match (:func:`_match_chars`).

    Returns
    -------
    tuple of (str, int)
        The characters matched and the offset of the first one's match, -1 when no
        reading matches.
    """
    words = {w for ch, (_, ws) in _DIGIT_WORDS.items() if ch in chars for w in ws}
    if words:
        sounded = _INNER_DIGIT.sub(lambda m: _DIGIT_WORDS.get(m.group(), ("",))[0] or _repeat(m),
                                   chars)
        first = _best_long_form(text, low, start, end, sounded)
        if first >= 0 and words & set(re.findall(r"[^\W_]+", low[first:end])):
            return sounded, first
    for reading in (_INNER_DIGIT.sub(_repeat, chars), _INNER_DIGIT.sub("", chars)):
        first = _best_long_form(text, low, start, end, reading)
        if first >= 0:
            return reading, first
    return chars, -1


def _long_before(text: str, low: str, open_paren: int, short: str) -> tuple[int, int] | None:
    """Find the LF of ``short`` in the words before the parenthesis at ``open_paren``."""
    chars = _match_chars(short)
    if not chars:
        return None
    nchars = sum(ch.isalnum() for ch in short)
    max_words = min(nchars + 5, 2 * nchars)
    lo = max(0, open_paren - _WINDOW_CHARS)
    _, end = _trim(text, lo, open_paren)
    b = _LAST_BOUNDARY.match(text, lo, end)
    seg_start = b.end() if b else lo
    words = [m.start() for m in _WORD.finditer(text, seg_start, end)]
    if b is None and lo > 0:
        words = words[1:]  # the first word may be cut by the look-back limit
    if not words:
        return None
    words = words[-max_words:]
    first = _best_long_form(text, low, words[0], end, chars)
    if first < 0 and _INNER_DIGIT.search(chars):
        chars, first = _digit_reading(text, low, words[0], end, chars)
    initials = False
    if first < 0 and _VERSIONED_ACRONYM.match(short):
        # "Time Series MambaMixer (TSM2)": the digit after the capitals numbers a
        # version or counts parts of the method and spells no word of the long form
        chars, initials = chars[:-1], True
        first = _best_long_form(text, low, words[0], end, chars)
    while first >= 0:
        ls = max(w for w in words if w <= first)
        ls, le = _trim(text, ls, end)
        if not ls <= first < le:
            return None
        if _check_long(text, ls, le, short, nchars) and (
                not initials or _spells_initials(text[ls:le], short)):
            return _one_word_more(text, words, ls, le, short)
        if text[ls:le].split(None, 1)[0].strip(_LEAD_TRIM).lower() not in _NO_START:
            return None
        # "Turning to Video for Transcript Sorting (TVTS)": the first character matched
        # a function word ("to"); the long form starts at an earlier word with it
        first = _word_start_before(text, low, words[0], ls, chars[0])
    return None


def _one_word_more(text: str, words: list[int], ls: int, le: int,
                   short: str) -> tuple[int, int]:
    """The long form ``text[ls:le]``, or it with the word before it when only that spells
    the short form with capitals on word starts (:func:`spells`).

    The paper's right-to-left matching takes the rightmost letter, so a short form
    with a doubled initial loses a word: "Proximal Policy Optimization (PPO)" gives
    "Policy Optimization" (the second "P" matches the "p" of "Optimization"),
    "concordance correlation coefficient (CCC)" gives "correlation coefficient".
    """
    before = [w for w in words if w < ls]
    if before and not spells(short, text[ls:le]):
        start, end = _trim(text, before[-1], le)
        if end == le and spells(short, text[start:le]):
            return start, le
    return ls, le


def _word_start_before(text: str, low: str, start: int, end: int, ch: str) -> int:
    """Offset of the last ``ch`` in ``low[start:end]`` that starts a word, or -1."""
    pos = low.rfind(ch, start, end)
    while pos > start and text[pos - 1].isalnum():
        pos = low.rfind(ch, start, pos)
    return pos


def _long_inside(text: str, low: str, start: int, end: int, short: str) -> tuple[int, int] | None:
    """Find the LF of ``short`` in the parenthesised text ``text[start:end]``."""
    chars = _match_chars(short)
    if not chars:
        return None
    nchars = sum(ch.isalnum() for ch in short)
    start, end = _trim(text, start, end)
    words = [(m.start(), m.group(0)) for m in _WORD.finditer(text, start, end)]
    while words and words[0][1].strip(".,:;").lower() in _LEAD_IN:
        words = words[1:]
    if not words:
        return None
    first = _best_long_form(text, low, words[0][0], end, chars)
    if first < 0:
        return None
    ls = words[0][0]
    if max(w for w, _ in words if w <= first) != ls:
        # The match starts inside the content; accept the content from its first word
        # when that word also starts with the first SF character.
        lead = text[ls:first + 1].lstrip(_LEAD_TRIM)
        if not lead or _lower(lead[0]) != chars[0]:
            return None
    ls, le = _trim(text, ls, end)
    if not ls <= first < le:
        return None
    if not _check_long(text, ls, le, short, nchars):
        return None
    return ls, le


def find_abbreviations(text: str) -> list[Abbreviation]:
    """Find abbreviation definitions with the Schwartz & Hearst algorithm.

    Every parenthesis of ``text`` is examined once, in order. Both "long form (SF)"
    and "SF (long form)" are recognised, following the rules of Schwartz and Hearst
    [1]_ listed in the module docstring: a short form of 2-10 characters and at most
    two words, with a letter and an alphanumeric first character; a long form of at
    most ``min(|SF| + 5, 2 |SF|)`` words before the parenthesis; the right-to-left
    character matching of ``findBestLongForm``, where the first SF character must
    start a word. The module docstring also lists the extensions for machine-learning
    text (plurals, several items in a parenthesis, citations and equations skipped,
    function words at the edges of a long form).

    Parameters
    ----------
    text : str
        Any text, e.g. a title and abstract.

    Returns
    -------
    list of Abbreviation
        One per definition, in the order of their parentheses; offsets index
        ``text``. A short form defined twice is returned twice.

    Raises
    ------
    TypeError
        When ``text`` is not a string.

    Examples
    --------
    >>> [(a.short, a.long) for a in find_abbreviations(
    ...     "Convolutional neural networks (CNNs) beat support vector machines (SVM).")]
    [('CNNs', 'Convolutional neural networks'), ('SVM', 'support vector machines')]
    >>> text = "We train a ViT (vision transformer with patches; see below)."
    >>> a = find_abbreviations(text)[0]
    >>> a.short, a.long, text[a.long_start:a.long_end]
    ('ViT', 'vision transformer with patches', 'vision transformer with patches')
    >>> find_abbreviations("as shown before (Smith et al., 2020), it gains (3.4%).")
    []

    Notes
    -----
    One regular-expression pass finds the parentheses; the work per parenthesis is
    bounded by a look-back of 400 characters and a few ``str.rfind`` calls per short
    form character, so the time is linear in ``len(text)``.

    References
    ----------
    .. [1] A. S. Schwartz and M. A. Hearst, "A Simple Algorithm for Identifying
       Abbreviation Definitions in Biomedical Text", Pacific Symposium on
       Biocomputing 8:451-462, 2003.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    found: list[Abbreviation] = []
    if "(" not in text:
        return found
    low = _lower(text)
    for m in _PAREN.finditer(text):
        c_start, c_end = m.span(1)
        content = m.group(1)
        if _CITATION.search(content) or "=" in content or "\\" in content or "$" in content:
            continue
        cut = _SPLIT.search(content)
        p_end = c_start + cut.start() if cut else c_end
        p_start, p_end = _trim(text, c_start, p_end)
        if p_start >= p_end:
            continue
        part = text[p_start:p_end]
        nwords = len(part.split())
        if nwords <= 2 and _valid_short(part) and _has_upper(part):
            # "long form (SF)"
            span = _long_before(text, low, m.start(), part)
            if span:
                found.append(Abbreviation(part, text[span[0]:span[1]], p_start, p_end, *span))
            continue
        if nwords < 2:
            continue
        # "SF (long form)": the SF is the word right before the parenthesis.
        if m.start() == 0 or not text[m.start() - 1] in " \t~":
            continue
        s_end = m.start()
        while s_end > 0 and text[s_end - 1] in " \t~":
            s_end -= 1
        s_start, limit = s_end, max(0, s_end - 12)
        while s_start > limit and not text[s_start - 1].isspace():
            s_start -= 1
        if s_start > 0 and not text[s_start - 1].isspace():
            continue  # a word too long to be a short form
        s_start, s_end = _trim(text, s_start, s_end)
        short = text[s_start:s_end]
        if not short or not _valid_short(short) or not _has_upper(short):
            continue
        span = _long_inside(text, low, p_start, p_end, short)
        if span:
            found.append(Abbreviation(short, text[span[0]:span[1]], s_start, s_end, *span))
    return found


def abbreviation_map(text: str) -> dict[str, str]:
    """Short form -> long form for the definitions in ``text``; the first one wins.

    Parameters
    ----------
    text : str

    Returns
    -------
    dict of str to str
        As found by :func:`find_abbreviations`.

    Raises
    ------
    TypeError
        When ``text`` is not a string.

    Examples
    --------
    >>> abbreviation_map("peak signal to noise ratio (PSNR) and structural similarity (SSIM)")
    {'PSNR': 'peak signal to noise ratio', 'SSIM': 'structural similarity'}
    """
    result: dict[str, str] = {}
    for a in find_abbreviations(text):
        result.setdefault(a.short, a.long)
    return result


def unspelled_version(short: str, long: str) -> bool:
    """True when ``short`` ends in a version digit that ``long`` does not spell.

    "Segment Anything Model (SAM2)" and "Time Series MambaMixer (TSM2)" are such
    definitions (:data:`_VERSIONED_ACRONYM`): the long form names the family and the
    short form one version of it, so a caller that knows either form should keep the
    two apart (versions stay distinct) instead of merging them.

    Parameters
    ----------
    short, long : str
        A definition's short and long form, as in :class:`Abbreviation`.

    Returns
    -------
    bool

    Examples
    --------
    >>> unspelled_version("SAM2", "Segment Anything Model")
    True
    >>> unspelled_version("GPT3", "Generative Pre-trained Transformer 3")
    False
    >>> unspelled_version("FID", "Frechet Inception Distance")
    False
    """
    return _VERSIONED_ACRONYM.match(short) is not None and short[-1] not in long


def spells(short: str, long: str) -> bool:
    """True when ``short`` abbreviates the whole of ``long`` by the paper's matching.

    For a name and a written-out name found apart, without a parenthesis: "SHViT, a
    Single-Head Vision Transformer", or "ChannelViT" in a paper titled "Channel
    Vision Transformers: ...". The short form must pass rule 2 (and have a capital);
    the long form has 2 to ``min(|SF| + 5, 2 * |SF|)`` words (rule 3), and the
    right-to-left matching of rule 4 must put the first SF character on the first
    letter of the long form, with each capital of the name matched to a capital or
    the start of a word; every word of the long form but a function word ("for",
    "of") must give a matched character, and none may be the name itself. Rule 5 and
    the function-word checks of :func:`find_abbreviations` apply too.

    Parameters
    ----------
    short : str
        A one-word name ("SHViT", "CNNs").
    long : str
        A name of several words ("Single-Head Vision Transformer").

    Returns
    -------
    bool

    Examples
    --------
    >>> spells("SHViT", "Single-Head Vision Transformer")
    True
    >>> spells("IRCAM", "Iterative Residual Cross-Attention Mechanism")
    True
    >>> spells("VIOLET", "VIdeO-LanguagE Transformer")
    True
    >>> spells("ABP", "All-for-One subgraph")
    False
    >>> spells("ViT", "efficient Vision Transformer")
    False
    >>> spells("HAT", "Transformer")
    False
    >>> spells("SI", "Seed LiveInterpret 2.0")
    False

    References
    ----------
    .. [1] A. S. Schwartz and M. A. Hearst, "A Simple Algorithm for Identifying
       Abbreviation Definitions in Biomedical Text", Pacific Symposium on
       Biocomputing 8:451-462, 2003.
    """
    if " " in short or not _valid_short(short) or not _has_upper(short):
        return False
    chars = _match_chars(short)
    nwords = len(long.split())
    if not chars or nwords < 2 or not _check_long(long, 0, len(long), short, len(chars)):
        return False
    low = _lower(long)
    # rule 4, right to left, with one constraint: a capital of the name matches a
    # capital or the start of a word ("ABP" does not spell "All-for-One subgraph"
    # through the "b" of "subgraph"), the rightmost such place
    cased = [ch for ch in short if ch.isalnum()][:len(chars)]
    pos, hits = len(long), []
    for k in range(len(chars) - 1, -1, -1):
        pos = low.rfind(chars[k], 0, pos)
        if k == 0 or cased[k].isupper():
            while pos > 0 and long[pos - 1].isalnum() and not (k and long[pos].isupper()):
                pos = low.rfind(chars[k], 0, pos)
        if pos < 0:
            return False
        hits.append(pos)
    if hits[-1] != 0:
        return False
    # every word but a function word gives a character ("SI" does not spell "Seed
    # LiveInterpret 2.0"), and none is the name itself ("LAMs", "LAM SIMULATOR")
    for m in _WORD.finditer(long):
        word = m.group().lower()
        if "".join(ch for ch in word if ch.isalnum()) == chars:
            return False
        if word not in _NO_END and not any(m.start() <= h < m.end() for h in hits):
            return False
    return True
