"""LaTeX text markup read as the text it prints.

arXiv abstracts are LaTeX source, and authors set their own names in bold or italics:
"we propose \\textbf{DynaGSLAM}, a novel framework", "a \\textit{Cross-Modal
State-Space Graph Reasoning} (\\textbf{CSS-GR}) framework". One abstract in twenty-two
of the shared arXiv sample has such markup. The tokenizer splits the commands from the
words they wrap, but the rules see ``\\textbf{`` between "propose" and the name, and
the abbreviation finder sees ``\\textbf{CSS-GR}`` as a short form, so exactly the names
a paper stresses as its own were lost.

:func:`unmark` removes the font and emphasis commands of LaTeX (:data:`FORMATTING`)
together with their braces, and records where each kept character stood, so that the
extractor reads the text as printed while every mention offset still indexes the
paper's own text (:meth:`Marks.original`). Other commands (``\\href``, ``\\cite``,
mathematics) are left alone.

References
----------
.. [1] L. Lamport, *LaTeX: A Document Preparation System*, 2nd ed., 1994, §3.1
   ("Changing the Type Style") and §C.15 (font commands: ``\\textbf{...}`` and the
   declarations ``{\\bf ...}`` of LaTeX 2.09).
.. [2] D. E. Knuth, *The TeXbook*, 1984, ch. 14: the tie ``~`` is an interword space
   at which no line break occurs.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass

from kgraph.model import TITLE_SEPARATOR, Paper

__all__ = ["FORMATTING", "Marks", "printed_paper", "unmark"]

#: Font and emphasis commands whose argument is printed as plain text: the ``\\text..``
#: font commands, ``\\emph``, ``\\underline`` and ``\\mbox``/``\\text`` (text boxes), plus
#: the LaTeX 2.09 declarations ``{\\bf ...}``, ``{\\it ...}``, ``{\\em ...}`` (Lamport,
#: §3.1, §C.15).
FORMATTING = ("textbf", "textit", "textsl", "textsc", "texttt", "textrm", "textsf",
              "textup", "textmd", "textnormal", "emph", "underline", "mbox", "text")
_DECLARATIONS = ("bf", "it", "em", "sc", "tt", "sl", "rm", "sf")

# "\textbf{", "\textbf {", or "{\bf " (the declaration's space is part of it)
_OPENER = re.compile(r"\\(?:%s)\s*\{|\{\\(?:%s)\s+" % ("|".join(FORMATTING),
                                                      "|".join(_DECLARATIONS)))
# LaTeX's special characters written as text (Lamport, §2.2.1); "\$", "\{" and "\}"
# are left as written
_ESCAPED = re.compile(r"\\(?=[&%_#])")
# the tie "~", a space at which no line breaks: "approach~(CoTTA)", "AIME~24"; not "(~21%"
# nor "~ 5x" (approximately), "n\~ao" (an accent), or a "~" in a link ("ox.ac.uk/~vgg")
_TIE = re.compile(r"(?<=[^\s(\[\\~])~")
_LINK = re.compile(r"(?:[a-z]+://|www\.)\S+")
# inline mathematics, "$...$" (not "\$" nor "$$")
_MATH = re.compile(r"(?<![\\$])\$(?!\$)[^$]+(?<!\\)\$")


@dataclass(frozen=True, slots=True)
class Marks:
    """A text with its markup removed, and where its characters came from.

    Attributes
    ----------
    text : str
        The text as printed.
    positions : list of int
        ``positions[i]`` is the offset in the original text of ``text[i]``; one per
        character, increasing. ``text[i]`` is that character, or a space for a tie.
    """

    text: str
    positions: list[int]

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of the span ``text[start:end]`` (``start < end``): from
        its first character's position to just after its last one's, markup between
        them included."""
        return self.positions[start], self.positions[end - 1] + 1

    def printed(self, start: int, end: int) -> str:
        """The printed text of the original span ``[start, end)``: its characters that
        are no markup (the inverse of :meth:`original` on the spans it returns)."""
        return self.text[bisect.bisect_left(self.positions, start):
                         bisect.bisect_left(self.positions, end)]


def unmark(text: str) -> Marks | None:
    """Remove LaTeX font and emphasis markup (:data:`FORMATTING`) from ``text``.

    A command is removed with its opening brace and the brace that closes it
    (counted over nested braces; ``\\{`` and ``\\}`` are escaped braces); a command whose
    argument never closes is left as written. Inline mathematics that holds such a
    command is text set in a math font, and loses its dollar signs too:
    ``$\\texttt{ORAL}$``, ``$\\text{AV}^2\\text{A}$`` (``AV^2A``). The escaped special
    characters ``\\&``, ``\\%``, ``\\_`` and ``\\#`` print as themselves, and the tie
    ``~`` that joins two words prints as a space ("approach~(CoTTA)", "AIME~24"; [2]_);
    a "~" after a space or an opening bracket ("(~21%") means "about" and stays, as
    does one inside a link or after a backslash (the accent ``\\~n``).

    Parameters
    ----------
    text : str

    Returns
    -------
    Marks or None
        The text without the markup and the original offset of each character; None
        when ``text`` holds no such markup (the common case, read without copying).

    Examples
    --------
    >>> m = unmark(r"We propose \\textbf{CSS-GR}, {\\em fast} and \\emph{\\textit{small}}.")
    >>> m.text
    'We propose CSS-GR, fast and small.'
    >>> start = m.text.index("CSS-GR")
    >>> m.original(start, start + 6)
    (19, 25)
    """
    if "\\" not in text and "~" not in text:
        return None
    drop: set[int] = set()
    n = len(text)
    for m in _OPENER.finditer(text):
        j, depth = m.end(), 1
        while j < n:
            c = text[j]
            if c == "\\":
                j += 2  # an escaped character: "\{", "\}", "\%"
                continue
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if not depth:
                    break
            j += 1
        if depth:
            continue  # the argument never closes: not markup this reads
        drop.update(range(m.start(), m.end()))
        drop.add(j)
    if drop:
        for m in _MATH.finditer(text):
            if any(i in drop for i in range(m.start() + 1, m.end() - 1)):
                drop.update((m.start(), m.end() - 1))  # "$\texttt{ORAL}$": text, not maths
    # "Q\&A", "80.1\%", "code\_search": an escaped special character prints as itself
    drop.update(m.start() for m in _ESCAPED.finditer(text))
    ties = {m.start() for m in _TIE.finditer(text)}
    if ties:
        ties.difference_update(i for m in _LINK.finditer(text) for i in range(*m.span()))
    if not drop and not ties:
        return None
    positions = [i for i in range(n) if i not in drop]
    return Marks("".join(" " if i in ties else text[i] for i in positions), positions)


def printed_paper(paper: Paper) -> tuple[Paper, Marks | None]:
    """The paper as LaTeX prints it: :func:`unmark` of its title and of its abstract.

    Parameters
    ----------
    paper : Paper

    Returns
    -------
    printed : Paper
        A copy with the printed title and abstract; ``paper`` itself when neither
        holds markup.
    marks : Marks or None
        ``printed.text`` with the position in ``paper.text`` of each of its characters;
        None when nothing was removed.
    """
    title, abstract = unmark(paper.title), unmark(paper.abstract)
    if title is None and abstract is None:
        return paper, None
    offset = len(paper.title) + len(TITLE_SEPARATOR)
    positions = (title.positions if title else list(range(len(paper.title)))) + \
        list(range(len(paper.title), offset)) + \
        [offset + i for i in (abstract.positions if abstract else range(len(paper.abstract)))]
    printed = dataclasses.replace(paper, title=title.text if title else paper.title,
                                  abstract=abstract.text if abstract else paper.abstract)
    return printed, Marks(printed.text, positions)
