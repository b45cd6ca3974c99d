"""Plain dataclasses that carry data between kgraph's stages.

``ingest`` produces :class:`Paper`; ``extract`` turns each paper into a
:class:`PaperExtraction` holding :class:`Entity` objects, each with the
:class:`Mention` spans that support it (provenance), and the numeric :class:`Result`
objects the abstract reports; ``graph`` turns extractions into a
networkx graph whose labels and relationship types are the constants defined here.

Offsets
-------
All character offsets index :attr:`Paper.text`, which is the title, a blank line
(``TITLE_SEPARATOR``), then the abstract. ``paper.text[m.start:m.end] == m.text``
holds for every mention ``m``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Iterable

__all__ = [
    "TITLE_SEPARATOR",
    "EntityType",
    "Source",
    "Paper",
    "Mention",
    "Entity",
    "Result",
    "RESULT_KINDS",
    "PaperExtraction",
    "PAPER_LABEL",
    "PROPOSES",
    "REPORTS",
    "SHARES_ENTITY",
    "LABELS",
    "RELATIONSHIPS",
    "SCORE_KEYS",
]

TITLE_SEPARATOR = "\n\n"


class EntityType(str, enum.Enum):
    """The kinds of entity kgraph extracts.

    The value is the lower-case name used in files and node ids; :attr:`label` is the
    graph node label and :attr:`relationship` the type of the edge from a paper.
    """

    DATASET = "dataset"
    METHOD = "method"
    METRIC = "metric"
    TASK = "task"
    REPOSITORY = "repository"
    URL = "url"

    @property
    def label(self) -> str:
        """Graph node label, e.g. ``"Dataset"`` (``"Url"`` for other links)."""
        return LABELS[self]

    @property
    def relationship(self) -> str:
        """Relationship type from a paper to an entity of this type (used, not proposed)."""
        return RELATIONSHIPS[self]

    @property
    def score_key(self) -> str:
        """Key of this type in ``extractions.jsonl`` (the keys ``score.py`` reads)."""
        return SCORE_KEYS[self]


PAPER_LABEL = "Paper"
PROPOSES = "PROPOSES"
#: Paper -> Dataset: a numeric result the paper reports on the dataset (one per result).
REPORTS = "REPORTS"
SHARES_ENTITY = "SHARES_ENTITY"

LABELS: dict[EntityType, str] = {
    EntityType.DATASET: "Dataset",
    EntityType.METHOD: "Method",
    EntityType.METRIC: "Metric",
    EntityType.TASK: "Task",
    EntityType.REPOSITORY: "Repository",
    EntityType.URL: "Url",
}

RELATIONSHIPS: dict[EntityType, str] = {
    EntityType.DATASET: "USES_DATASET",
    EntityType.METHOD: "USES_METHOD",
    EntityType.METRIC: "EVALUATES_WITH",
    EntityType.TASK: "ADDRESSES",
    EntityType.REPOSITORY: "HAS_CODE",
    EntityType.URL: "LINKS_TO",
}

SCORE_KEYS: dict[EntityType, str] = {
    EntityType.DATASET: "datasets",
    EntityType.METHOD: "methods",
    EntityType.METRIC: "metrics",
    EntityType.TASK: "tasks",
    EntityType.REPOSITORY: "repos",
    EntityType.URL: "urls",
}


@dataclass(frozen=True, slots=True)
class Source:
    """Where a paper record was read: a file and the 1-based line it starts on.

    ``path`` is ``"-"`` for standard input.
    """

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(slots=True)
class Paper:
    """One paper: title and abstract plus optional metadata.

    Attributes
    ----------
    id : str
        Stable id: the arXiv id when known (``"2503.11731"``), else the id the input
        gave, else ``"t"`` followed by 12 hex digits of the SHA-1 of the normalised
        title (see :func:`kgraph.ingest.paper_id`).
    title, abstract : str
        Text as read (whitespace collapsed).
    url : str or None
        Landing page of the paper, when given.
    authors : list of str
    date : str or None
        As given by the source (ISO 8601 when the reader can tell).
    categories : list of str
        e.g. arXiv categories ``["cs.CV", "cs.LG"]``.
    sources : list of Source
        Every place the paper was read; duplicates merged by ``ingest`` add theirs.
    """

    id: str
    title: str
    abstract: str
    url: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    categories: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Title, blank line, abstract: the string all mention offsets index."""
        return f"{self.title}{TITLE_SEPARATOR}{self.abstract}"

    @property
    def abstract_offset(self) -> int:
        """Offset of the first abstract character in :attr:`text`."""
        return len(self.title) + len(TITLE_SEPARATOR)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; ``sources`` become ``"path:line"`` strings.

        The fields in declaration order, lists copied (what ``dataclasses.asdict``
        gives, written out: ``asdict`` deep-copies field by field and was a tenth of
        the cost of writing an ``extractions.jsonl`` line).
        """
        return {"id": self.id, "title": self.title, "abstract": self.abstract,
                "url": self.url, "authors": list(self.authors), "date": self.date,
                "categories": list(self.categories),
                "sources": [str(s) for s in self.sources]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Paper":
        """Inverse of :meth:`to_dict`."""
        sources = []
        for s in d.get("sources", []):
            path, _, line = str(s).rpartition(":")
            sources.append(Source(path, int(line)) if line.isdigit() else Source(str(s), 0))
        return cls(
            id=d["id"], title=d["title"], abstract=d.get("abstract", ""), url=d.get("url"),
            authors=list(d.get("authors") or []), date=d.get("date"),
            categories=list(d.get("categories") or []), sources=sources,
        )


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of a paper's text that names an entity, with provenance.

    Attributes
    ----------
    text : str
        The surface string, equal to ``paper.text[start:end]``.
    start, end : int
        Character offsets into :attr:`Paper.text` (end exclusive).
    sentence : int
        0-based index of the sentence holding the span; the title is sentence 0.
    rule : str
        What produced it, e.g. ``"gazetteer:datasets"``, ``"pattern:dataset_cue"``,
        ``"abbreviation"``, ``"url"``.
    """

    text: str
    start: int
    end: int
    sentence: int
    rule: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of the fields, in declaration order."""
        return {"text": self.text, "start": self.start, "end": self.end,
                "sentence": self.sentence, "rule": self.rule}


@dataclass(slots=True)
class Entity:
    """An entity named by one paper: its type, canonical name, aliases and mentions.

    Attributes
    ----------
    type : EntityType
    name : str
        Canonical name (a gazetteer's name when the gazetteer knows it).
    key : str
        Merge key across papers (see :mod:`kgraph.canonical`); for URLs and
        repositories the normalised URL.
    aliases : list of str
        Distinct surface strings seen in the text, in order of first appearance, as
        printed: without LaTeX font markup (:mod:`kgraph.extract.markup`), so the
        alias of the mention ``\\textbf{CSS-GR}`` is ``CSS-GR``.
    mentions : list of Mention
        Every span, in text order.
    proposed : bool
        For methods (and datasets): the paper introduces it.
    """

    type: EntityType
    name: str
    key: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    proposed: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: ``score.py``'s item form plus ``key`` and ``mentions``."""
        d: dict[str, Any] = {"name": self.name, "key": self.key, "aliases": list(self.aliases)}
        if self.type in (EntityType.REPOSITORY, EntityType.URL):
            d = {"url": self.name, "key": self.key, "aliases": list(self.aliases)}
        if self.type in (EntityType.METHOD, EntityType.DATASET):
            d["proposed"] = self.proposed
        d["mentions"] = [m.to_dict() for m in self.mentions]
        return d

    @classmethod
    def from_dict(cls, etype: EntityType, d: dict[str, Any]) -> "Entity":
        """Inverse of :meth:`to_dict` for an entity of type ``etype``."""
        name = d.get("name") or d.get("url") or ""
        return cls(
            type=etype, name=name, key=d.get("key", name), aliases=list(d.get("aliases", [])),
            mentions=[Mention(**m) for m in d.get("mentions", [])],
            proposed=bool(d.get("proposed", False)),
        )


#: The kinds of :class:`Result`: a value of a metric, or a change relative to another.
RESULT_KINDS = ("absolute", "improvement")


@dataclass(frozen=True, slots=True)
class Result:
    """A number a paper reports, with what it measures and where it was read.

    Found by :func:`kgraph.extract.results.find_results`, which documents the rules.

    Attributes
    ----------
    value : float
        The number as written, sign included (``-1.2`` for "−1.2%"); a percentage
        stays in percent (``89.7`` for "89.7%").
    unit : str
        ``"%"``, ``"dB"``, ``"x"`` (a multiplier: "3.2×", "3.2x"), ``"FPS"``,
        ``"points"`` (also "pp", percentage points) or ``""`` (a plain number such as
        an FID of 2.70).
    kind : str
        ``"absolute"``: the value of the metric ("89.7% top-1 accuracy");
        ``"improvement"``: a change relative to another result, a gain or a reduction
        ("+2.1 points", "by 4.5%", "3.2× faster", "1% drop in accuracy").
    metric : str or None
        Canonical name of the paper's metric entity the number measures.
    dataset : str or None
        Canonical name of the paper's dataset entity it was measured on.
    method : str or None
        Canonical name of the paper's method entity that obtained it.
    text : str
        The raw text of the number and its unit, ``paper.text[start:end]``
        (``"89.7%"``, ``"+2.1"``, ``"3.2×"``).
    start, end : int
        Character offsets into :attr:`Paper.text` (end exclusive): the provenance.
    sentence : int
        0-based sentence index (the title is 0), as for :class:`Mention`.
    rule : str
        How the metric was attached: ``"metric_after"`` ("89.7% top-1 accuracy"),
        ``"metric_before"`` ("an FID of 2.70", "mIoU: 77.4"), ``"metric_unit"`` (the
        unit is the metric: "102 FPS"), ``"metric_nearest"`` (the nearest metric of
        the sentence) or ``"no_metric"``.
    """

    value: float
    unit: str
    kind: str
    metric: str | None
    dataset: str | None
    method: str | None
    text: str
    start: int
    end: int
    sentence: int
    rule: str = "no_metric"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of the fields, in declaration order."""
        return {"value": self.value, "unit": self.unit, "kind": self.kind,
                "metric": self.metric, "dataset": self.dataset, "method": self.method,
                "text": self.text, "start": self.start, "end": self.end,
                "sentence": self.sentence, "rule": self.rule}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Result":
        """Inverse of :meth:`to_dict`."""
        return cls(value=float(d["value"]), unit=str(d.get("unit", "")),
                   kind=str(d.get("kind", "absolute")), metric=d.get("metric"),
                   dataset=d.get("dataset"), method=d.get("method"), text=str(d["text"]),
                   start=int(d["start"]), end=int(d["end"]), sentence=int(d["sentence"]),
                   rule=str(d.get("rule", "no_metric")))


@dataclass(slots=True)
class PaperExtraction:
    """Everything extracted from one paper.

    Attributes
    ----------
    paper : Paper
    entities : list of Entity
        One entity per (type, key); order: type, then first mention.
    results : list of Result
        The numeric results of the abstract, in text order.
    """

    paper: Paper
    entities: list[Entity] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)

    def of_type(self, etype: EntityType) -> list[Entity]:
        """The entities of one type, in order."""
        return [e for e in self.entities if e.type is etype]

    def to_dict(self) -> dict[str, Any]:
        """One line of ``extractions.jsonl``: the paper's fields plus a list per type.

        The type lists use the keys ``score.py`` reads (``datasets``, ``metrics``,
        ``methods``, ``tasks``, ``repos``, ``urls``); ``results`` (which ``score.py``
        ignores) holds :meth:`Result.to_dict` items.
        """
        d = self.paper.to_dict()
        lists: dict[EntityType, list] = {etype: [] for etype in EntityType}
        for e in self.entities:
            lists[e.type].append(e.to_dict())
        for etype, items in lists.items():
            d[etype.score_key] = items
        d["results"] = [r.to_dict() for r in self.results]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "PaperExtraction":
        """Inverse of :meth:`to_dict` (a line without ``results`` has none)."""
        entities = [Entity.from_dict(t, e) for t in EntityType for e in d.get(t.score_key, [])]
        results = [Result.from_dict(r) for r in d.get("results") or []]
        return cls(paper=Paper.from_dict(d), entities=entities, results=results)


def iter_entities(extractions: Iterable[PaperExtraction]) -> Iterable[tuple[Paper, Entity]]:
    """Yield ``(paper, entity)`` for every entity of every extraction."""
    for ex in extractions:
        for ent in ex.entities:
            yield ex.paper, ent
