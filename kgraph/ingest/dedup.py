"""Paper ids and duplicate merging.

A paper read from several files (the same paper listed on several feed pages, or in a
feed and in a JSON export) must become one graph node. Two records are the same paper
when their normalised titles are equal or when they carry the same id; the relation is
closed transitively with a union-find, so ``A ~ B`` by title and ``B ~ C`` by id puts
``A``, ``B`` and ``C`` in one group.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Iterable, Sequence

from kgraph.model import Paper, Source

__all__ = ["normalise_title", "paper_id", "arxiv_id", "deduplicate", "duplicate_groups",
           "merge_duplicates"]

# New-style arXiv ids (since April 2007): YYMM.NNNN, five digits after the dot since 2015.
_NEW_ID = r"\d{4}\.\d{4,5}"
# Old-style ids: archive, optional subject class, slash, YYMMNNN (e.g. math.GT/0309136).
_OLD_ID = r"[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7}"
_ARXIV_ID = re.compile(rf"(?:arxiv:)?\s*({_NEW_ID}|{_OLD_ID})(?:v\d+)?", re.IGNORECASE)
_ARXIV_URL = re.compile(
    rf"arxiv\.org/(?:abs|pdf|html|format)/({_NEW_ID}|{_OLD_ID})(?:v\d+)?(?:\.pdf)?(?:[?#/]|$)",
    re.IGNORECASE,
)
_NON_ALNUM = re.compile(r"[\W_]+")


def normalise_title(title: str) -> str:
    """Reduce a title to the key used to recognise the same paper.

    Parameters
    ----------
    title : str
        A title as written.

    Returns
    -------
    str
        The title after Unicode NFKC normalisation and case folding, with every run of
        characters that are not letters or digits replaced by one space, stripped.

    Examples
    --------
    >>> normalise_title("  BERT: Pre-training of Deep\\nBidirectional Transformers ")
    'bert pre training of deep bidirectional transformers'
    >>> normalise_title("Ｆｕｌｌ－ｗｉｄｔｈ ＧＡＮ") == normalise_title("full width gan")
    True
    """
    text = unicodedata.normalize("NFKC", title).casefold()
    return _NON_ALNUM.sub(" ", text).strip()


def arxiv_id(given_id: str | None = None, url: str | None = None) -> str | None:
    """Find the arXiv id of a record in its id or its URL, without version.

    Parameters
    ----------
    given_id : str, optional
        An id as given by the source, e.g. ``"2503.11731v2"``, ``"arXiv:cs/0101001"``.
    url : str, optional
        A landing page such as ``https://arxiv.org/abs/2503.11731v1`` or ``/pdf/...``.

    Returns
    -------
    str or None
        The arXiv id (``"2503.11731"``, ``"cs/0101001"``), or None when neither value
        holds one. The id wins over the URL.

    Examples
    --------
    >>> arxiv_id("2503.11731v2")
    '2503.11731'
    >>> arxiv_id(url="https://arxiv.org/pdf/cs/0101001v1.pdf")
    'cs/0101001'
    >>> arxiv_id("W2963403868", "https://example.org/paper") is None
    True
    """
    if given_id:
        m = _ARXIV_ID.fullmatch(given_id.strip())
        if m:
            return m.group(1)
    if url:
        m = _ARXIV_URL.search(url)
        if m:
            return m.group(1)
    return None


def paper_id(title: str, given_id: str | None = None, url: str | None = None) -> str:
    """The stable id of a paper.

    Parameters
    ----------
    title : str
        The paper's title.
    given_id : str, optional
        The id given by the source.
    url : str, optional
        The paper's landing page.

    Returns
    -------
    str
        The arXiv id when ``given_id`` or ``url`` holds one (see :func:`arxiv_id`); else
        ``given_id`` stripped, when not empty; else ``"t"`` followed by the first 12 hex
        digits of the SHA-1 of :func:`normalise_title` of ``title``.

    Examples
    --------
    >>> paper_id("Anything", url="https://arxiv.org/abs/2503.11731v1")
    '2503.11731'
    >>> paper_id("Anything", given_id=" W123 ")
    'W123'
    >>> paper_id("Attention Is All You Need") == paper_id("attention is all you need!")
    True
    >>> paper_id("Attention Is All You Need")[:1], len(paper_id("Attention Is All You Need"))
    ('t', 13)
    """
    found = arxiv_id(given_id, url)
    if found:
        return found
    if given_id and given_id.strip():
        return given_id.strip()
    # A title made only of punctuation normalises to ""; hash it as written instead.
    key = normalise_title(title) or title
    return "t" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def duplicate_groups(records: Sequence[Paper]) -> list[list[int]]:
    """Group the records that describe the same paper, by position.

    Parameters
    ----------
    records : sequence of Paper
        Records in reading order.

    Returns
    -------
    list of list of int
        Indices into ``records``, one list per group of duplicates, each in reading
        order; the groups are in order of their first record. Records are duplicates
        when their normalised titles are equal or their ids are equal, transitively
        (a union-find whose root is always a group's first record).

    Examples
    --------
    >>> recs = [Paper("1", "A", ""), Paper("2", "B", ""), Paper("1", "C", ""),
    ...         Paper("3", "b!", "")]
    >>> duplicate_groups(recs)
    [[0, 2], [1, 3]]
    """
    parent = list(range(len(records)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[tuple[str, str], int] = {}
    for i, paper in enumerate(records):
        keys = [("id", paper.id)]
        title_key = normalise_title(paper.title)
        if title_key:
            keys.append(("title", title_key))
        for key in keys:
            j = first_with.setdefault(key, i)
            ri, rj = find(i), find(j)
            if ri != rj:
                # The smaller index stays the root, so a group's root is its first record.
                parent[max(ri, rj)] = min(ri, rj)

    groups: dict[int, list[int]] = {}
    for i in range(len(records)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def deduplicate(papers: Iterable[Paper]) -> list[Paper]:
    """Merge the records that describe the same paper.

    Parameters
    ----------
    papers : iterable of Paper
        Records in reading order. They are not modified.

    Returns
    -------
    list of Paper
        One paper per group of duplicates (:func:`duplicate_groups`), in order of each
        group's first record, merged by :func:`merge_duplicates`.

    Examples
    --------
    >>> a = Paper("t1", "Deep Residual Learning", "", sources=[Source("a.txt", 3)])
    >>> b = Paper("1512.03385", "deep residual learning.", "We present...",
    ...           sources=[Source("b.jsonl", 1)])
    >>> [merged] = deduplicate([a, b])
    >>> merged.id, merged.title, merged.abstract
    ('1512.03385', 'Deep Residual Learning', 'We present...')
    >>> [str(s) for s in merged.sources]
    ['a.txt:3', 'b.jsonl:1']
    """
    records = papers if isinstance(papers, Sequence) else list(papers)
    return [merge_duplicates([records[i] for i in group])
            for group in duplicate_groups(records)]


def merge_duplicates(group: Sequence[Paper]) -> Paper:
    """One paper from a group of duplicate records, first record first.

    Parameters
    ----------
    group : sequence of Paper
        At least one record, in reading order. They are not modified.

    Returns
    -------
    Paper
        A new paper with the title and fields of the first record; the longest abstract
        (the first of that length); the empty ``url``, ``authors``, ``date`` and
        ``categories`` filled from later records; every distinct source in reading
        order; and the group's first arXiv id as id when one of its records has one.
        A single record gives an equal copy of itself.
    """
    return _merge(list(group))


def _merge(group: list[Paper]) -> Paper:
    """One paper from a group of duplicates, first record first."""
    first = group[0]
    merged = Paper(
        id=first.id, title=first.title, abstract=first.abstract, url=first.url,
        authors=list(first.authors), date=first.date, categories=list(first.categories),
        sources=[],
    )
    arxiv = next((p.id for p in group if _ARXIV_ID.fullmatch(p.id)), None)
    if arxiv:
        merged.id = arxiv
    seen: set[Source] = set()
    for paper in group:
        if len(paper.abstract) > len(merged.abstract):
            merged.abstract = paper.abstract
        merged.url = merged.url or paper.url
        merged.date = merged.date or paper.date
        merged.authors = merged.authors or list(paper.authors)
        merged.categories = merged.categories or list(paper.categories)
        for source in paper.sources:
            if source not in seen:
                seen.add(source)
                merged.sources.append(source)
    return merged
