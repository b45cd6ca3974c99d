"""Text hygiene shared by every reader: what ingest does to characters, and its limits.

Decisions
---------
Control characters
    Characters of the Unicode category ``Cc`` other than tab, line feed and carriage
    return (NUL, BEL, ESC, DEL, the C1 controls U+0080 to U+009F, ...) are replaced by
    a space in every line read and in every field decoded from JSON (where ``\\u0000``
    escapes can produce them), and runs of whitespace are then collapsed. A space
    rather than nothing: a control character in text usually stands where a separator
    was lost, and a space never glues two words into a new one. Terminal colour codes
    (ECMA-48 control sequences, ``ESC [ 1 m`` or ``CSI 1 m``, section 5.4 of the
    standard) are removed whole first, so ``\\x1b[1mResNet\\x1b[0m`` reads
    ``ResNet``. Later stages never see control characters, so every output is valid
    XML (XML 1.0 forbids most of them, and GraphML is XML) and plain CSV for Neo4j.
Lone surrogates
    A JSON string may hold an unpaired ``\\ud800`` escape (RFC 8259 section 8.2
    allows it), which is not a character and cannot be encoded as UTF-8. It becomes
    U+FFFD REPLACEMENT CHARACTER, what the Unicode Standard substitutes for an
    ill-formed code unit sequence (section 3.9, "U+FFFD Substitution of Maximal
    Subparts").
Other characters
    Everything else is kept as written: right-to-left scripts, bidirectional marks,
    emoji (including joiner sequences), combining marks. Mention offsets count code
    points of :attr:`kgraph.model.Paper.text`, so they stay exact whatever the script.
Lengths
    A title may have at most :data:`MAX_TITLE_CHARS` characters and an abstract at
    most :data:`MAX_ABSTRACT_CHARS`; a longer record is rejected with a message that
    names both numbers. The longest of the 74,668 arXiv abstracts of the shared corpus
    has 3,488 characters (arXiv itself caps abstracts at 1,920) and the longest title
    226, so the limits are about 30 and 4 times the longest real ones: they let every
    real abstract through and stop full texts or a whole file glued into one field.
    They also keep ``title + abstract`` below the 1,000,000 characters spaCy accepts
    in one document (``Language.max_length``, error E088).
"""

from __future__ import annotations

import re

from kgraph.errors import InputError
from kgraph.model import Paper

__all__ = ["MAX_TITLE_CHARS", "MAX_ABSTRACT_CHARS", "clean_line", "clean_text",
           "length_error"]

#: Most characters a title may have.
MAX_TITLE_CHARS = 1_000
#: Most characters an abstract may have.
MAX_ABSTRACT_CHARS = 100_000

# Category Cc is exactly U+0000..U+001F and U+007F..U+009F; tab, LF and CR stay.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# ECMA-48 control sequence: CSI (ESC [ or U+009B), parameter bytes, intermediate bytes,
# final byte.
_CONTROL_SEQUENCE = re.compile("(?:\x1b\\[|\x9b)[0-?]*[ -/]*[@-~]")


def clean_line(line: str) -> str:
    """Replace the control characters of a line by spaces.

    Parameters
    ----------
    line : str
        One decoded line, with its line ending.

    Returns
    -------
    str
        The line without ECMA-48 control sequences (colour codes) and with every
        other character of category ``Cc`` except tab, line feed and carriage return
        replaced by a space.

    Examples
    --------
    >>> clean_line("Image\\x00Net \\x1b[1;31mResNet\\x1b[0m\\x07\\r\\n")
    'Image Net ResNet \\r\\n'
    """
    if line.rstrip("\r\n").isprintable():  # the common case, tested in C
        return line
    return _CONTROL.sub(" ", _CONTROL_SEQUENCE.sub("", line))


def clean_text(text: str) -> str:
    """The form of a text field every reader stores: clean, whitespace collapsed.

    Parameters
    ----------
    text : str
        A field as decoded (a paragraph of a feed page, a JSON or CSV value).

    Returns
    -------
    str
        Control characters replaced by spaces (see :func:`clean_line`), lone
        surrogates by U+FFFD, every run of whitespace by one space, stripped.

    Examples
    --------
    >>> clean_text("  Deep\\x07 Residual\\n\\tLearning ")
    'Deep Residual Learning'
    >>> clean_text("ok \\ud800 and \\u05e9\\u05dc\\u05d5\\u05dd \\U0001F600")
    'ok \\ufffd and שלום 😀'
    """
    text = " ".join(text.split())
    if text.isprintable():  # the common case, tested in C; else replace and collapse again
        return text
    return " ".join(_SURROGATE.sub("\ufffd", clean_line(text)).split())


def length_error(paper: Paper) -> InputError | None:
    """The error for a paper whose title or abstract is over the limit, if any.

    Parameters
    ----------
    paper : Paper
        A paper as read, with at least one source (the file and line named).

    Returns
    -------
    InputError or None
        At the paper's first source when the title is longer than
        :data:`MAX_TITLE_CHARS` or the abstract longer than
        :data:`MAX_ABSTRACT_CHARS` characters; else None.

    Examples
    --------
    >>> from kgraph.model import Source
    >>> print(length_error(Paper("x", "T", "word " * 30_000, sources=[Source("a.jsonl", 7)])))
    a.jsonl:7: abstract too long: 150,000 characters, the limit is 100,000 (give the abstract only, not the full text)
    >>> length_error(Paper("x", "T", "A short abstract.")) is None
    True
    """
    source = paper.sources[0] if paper.sources else None
    path, line = (source.path, source.line) if source else ("<paper>", None)
    if len(paper.title) > MAX_TITLE_CHARS:
        return InputError(path, line,
                          f"title too long: {len(paper.title):,} characters, the limit is "
                          f"{MAX_TITLE_CHARS:,} (is the abstract in the title field?)")
    if len(paper.abstract) > MAX_ABSTRACT_CHARS:
        return InputError(path, line,
                          f"abstract too long: {len(paper.abstract):,} characters, the limit "
                          f"is {MAX_ABSTRACT_CHARS:,} (give the abstract only, not the full "
                          "text)")
    return None
