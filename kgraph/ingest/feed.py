"""Reader for saved feed pages: plain text listing titles and abstracts.

A page is a sequence of paragraphs separated by blank lines: a few header lines, maybe
a date line, then each paper as a title paragraph followed by an abstract paragraph.
Whitespace inside a paragraph (line breaks of a wrapped abstract, runs of spaces) is
collapsed to single spaces. A paper's source is the line where its title starts.

Finding the header
------------------
The header is not matched against known strings; its end is found from the shape of
the first paragraphs (at most :data:`HEADER_WINDOW` of them):

1. A header paragraph is *boilerplate-shaped*: one line of at most
   :data:`BOILERPLATE_MAX_WORDS` words. The first paragraph of another shape starts
   the body, and so does the end of the window.
2. A *date line* ("Mar 14", "March 14, 2024", "14 Mar 2024", "2024-03-14") ends the
   header.
3. Otherwise the body starts at the first paragraph followed by an *abstract-like*
   paragraph (at least :data:`ABSTRACT_MIN_WORDS` words): that paragraph is the
   first title.
4. When neither happens the page has no header.

So a header needs a date line or a first abstract of at least ``ABSTRACT_MIN_WORDS``
words to be recognised.

Dates
-----
A date line where a title is expected and not followed by an abstract-like paragraph
(a paper may be titled "May 4", but then its abstract follows) opens a date section:
it becomes :attr:`Paper.date` of the papers after it, as written, or ISO 8601 when it
has a year. A page with one date line under its header gives that date to every paper.

Pairing
-------
Titles and abstracts alternate. A paragraph left without a partner is an
:class:`~kgraph.errors.InputError` at its line. Which paragraph lost its partner is
inferred from shapes: a title slot holding an abstract-like paragraph longer than the
one after it (or a last paragraph with nothing after it) shows that pairing has
slipped. The culprit is the title of the pair just before, when that pair's "abstract"
was short and followed by an abstract-like paragraph (a title whose abstract is
missing, so its "abstract" was the next title); else the paragraph in the title slot
(an abstract whose title is missing, or a lone last paragraph). A pair that may turn
out to be such a culprit is held back until the next pair shows it is not, so when
bad records are skipped (``on_bad``) the culprit alone is dropped and pairing resumes
with the paragraph after it.
"""

from __future__ import annotations

import collections
import datetime
import itertools
import re
from typing import Iterable, Iterator, NamedTuple

from kgraph.errors import InputError
from kgraph.ingest.bad import OnBadRecord, skip_or_raise
from kgraph.ingest.dedup import paper_id
from kgraph.ingest.text import clean_line, clean_text
from kgraph.model import Paper, Source

__all__ = ["iter_feed", "parse_date", "HEADER_WINDOW", "BOILERPLATE_MAX_WORDS",
           "ABSTRACT_MIN_WORDS"]

#: Number of leading paragraphs searched for the end of the header.
HEADER_WINDOW = 8
#: Longest header paragraph, in words ("Get trending papers in your email inbox!" has 7).
BOILERPLATE_MAX_WORDS = 12
#: Fewest words of an abstract-like paragraph (the longest seed title has 21).
ABSTRACT_MIN_WORDS = 25

_MONTHS = {name: number for number, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
     ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
     ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], 1) for name in names}
_ORDINAL = r"(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>\d{4}))?"
_DATE_PATTERNS = [
    re.compile(rf"(?P<month>[a-z]+)\.?\s+(?P<day>\d{{1,2}}){_ORDINAL}{_YEAR}", re.IGNORECASE),
    re.compile(rf"(?P<day>\d{{1,2}}){_ORDINAL}\s+(?P<month>[a-z]+)\.?{_YEAR}", re.IGNORECASE),
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"),
]


class _Paragraph(NamedTuple):
    line: int  # 1-based line of its first line
    text: str  # whitespace collapsed
    lines: int  # number of physical lines

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def abstract_like(self) -> bool:
        return self.words >= ABSTRACT_MIN_WORDS

    @property
    def boilerplate_shaped(self) -> bool:
        return self.lines == 1 and self.words <= BOILERPLATE_MAX_WORDS

    @property
    def date(self) -> str | None:
        return parse_date(self.text) if self.boilerplate_shaped else None


def parse_date(text: str) -> str | None:
    """Read a date line of a feed page.

    Parameters
    ----------
    text : str
        One line, e.g. ``"Mar 14"``.

    Returns
    -------
    str or None
        ISO 8601 (``"2024-03-14"``) when the line names a valid day with a year, the
        line as written (whitespace collapsed) when it names a valid day of a month
        without a year, None when it is not a date.

    Examples
    --------
    >>> parse_date("Mar 14"), parse_date("March 14th, 2024"), parse_date("14 Mar 2024")
    ('Mar 14', '2024-03-14', '2024-03-14')
    >>> parse_date("Feb 30") is None, parse_date("Subscribe") is None
    (True, True)
    """
    text = " ".join(text.split())
    for pattern in _DATE_PATTERNS:
        m = pattern.fullmatch(text)
        if not m:
            continue
        month_text = m.group("month")
        month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text.lower())
        if month is None:
            return None
        year = m.group("year")
        try:  # 2000 is a leap year, so "Feb 29" without a year is accepted
            day = datetime.date(int(year or 2000), month, int(m.group("day")))
        except ValueError:
            return None
        return day.isoformat() if year else text
    return None


def _paragraphs(lines: Iterable[str], cut: list[InputError]) -> Iterator[_Paragraph]:
    """Group lines into paragraphs separated by blank lines; text cleaned and collapsed.

    When reading the lines fails (a line that is not UTF-8), the paragraphs end before
    the one the error is in and the error is appended to ``cut``.
    """
    parts: list[str] = []
    start = 0
    try:
        for number, line in enumerate(itertools.chain(lines, [""]), 1):  # "" ends the last
            line = clean_line(line)
            if line.strip():
                if not parts:
                    start = number
                parts.append(line)
            elif parts:
                yield _Paragraph(start, clean_text(" ".join(parts)), len(parts))
                parts = []
    except InputError as error:
        cut.append(error)


def _body_start(head: list[_Paragraph]) -> int:
    """Index of the first body paragraph among the leading ones (a date line counts)."""
    for i, paragraph in enumerate(head[:HEADER_WINDOW]):
        if not paragraph.boilerplate_shaped:
            break
        if paragraph.date is not None or (i + 1 < len(head) and head[i + 1].abstract_like):
            return i
    return 0


def _unpaired(path: str, paragraph: _Paragraph) -> InputError:
    preview = paragraph.text if len(paragraph.text) <= 60 else paragraph.text[:57] + "..."
    return InputError(path, paragraph.line,
                      f"unpaired paragraph {preview!r}: a feed page alternates title and "
                      "abstract paragraphs, and this one has no partner (add the missing "
                      "title or abstract, or a blank line between them)")


def iter_feed(lines: Iterable[str], path: str, on_bad: OnBadRecord = None) -> Iterator[Paper]:
    """Read a feed page (see the module documentation for the rules).

    Parameters
    ----------
    lines : iterable of str
        The decoded lines of the page, read lazily.
    path : str
        The file name used in sources and errors.
    on_bad : callable, optional
        Called with the error of each unpaired paragraph, which is then dropped and
        pairing goes on after it; by default the first one is raised.

    Yields
    ------
    Paper
        One per title and abstract pair, in page order, with the title's line as
        source and the page's date line, if any, as date.

    Raises
    ------
    InputError
        Without ``on_bad``: at the line of a paragraph that cannot be paired with a
        title or an abstract, e.g. when the body has an odd number of paragraphs.
        An error of ``lines`` itself (a line that is not UTF-8) is raised after the
        papers complete before it.

    Examples
    --------
    >>> page = '''Subscribe
    ...
    ... Mar 14
    ...
    ... A Tiny
    ...   Title
    ...
    ... We study   tiny titles.
    ... '''.splitlines()
    >>> [(p.title, p.abstract, p.date, str(p.sources[0])) for p in iter_feed(page, "p.txt")]
    [('A Tiny Title', 'We study tiny titles.', 'Mar 14', 'p.txt:5')]
    """
    cut: list[InputError] = []  # the error that ended the lines early, if one did
    paragraphs = _paragraphs(lines, cut)
    head = list(itertools.islice(paragraphs, HEADER_WINDOW + 1))
    pending = collections.deque(head[_body_start(head):])
    date: str | None = None

    def peek(n: int) -> _Paragraph | None:
        while len(pending) < n:
            following = next(paragraphs, None)
            if following is None:
                return None
            pending.append(following)
        return pending[n - 1]

    def paper(title: _Paragraph, abstract: _Paragraph, date: str | None) -> Paper:
        return Paper(id=paper_id(title.text), title=title.text, abstract=abstract.text,
                     date=date, sources=[Source(path, title.line)])

    # The last pair, held back when its title may lack an abstract: its "abstract" was
    # short and an abstract-like paragraph followed it.
    held: tuple[_Paragraph, _Paragraph, str | None] | None = None
    while (title := peek(1)) is not None:
        abstract, after = peek(2), peek(3)
        if title.date is not None and (abstract is None or not abstract.abstract_like):
            date = title.date
            pending.popleft()
            continue
        if abstract is None and cut:
            break  # the partner may be in the lines lost to the error
        if abstract is None or (title.abstract_like and title.words > abstract.words):
            if held is not None:  # the held title had no abstract: drop it, re-pair
                skip_or_raise(on_bad, _unpaired(path, held[0]))
                pending.appendleft(held[1])
                held = None
            else:  # an abstract without a title, or a lone last paragraph
                skip_or_raise(on_bad, _unpaired(path, title))
                pending.popleft()
            continue
        if held is not None:
            yield paper(*held)
            held = None
        pending.popleft()
        pending.popleft()
        if not abstract.abstract_like and after is not None and after.abstract_like:
            held = (title, abstract, date)
        else:
            yield paper(title, abstract, date)
    if held is not None:
        yield paper(*held)
    if cut:
        raise cut[0]
