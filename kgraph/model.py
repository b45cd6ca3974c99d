"""Plain dataclasses that carry data between kgraph's stages.

``ingest`` produces :class:`Paper`; ``extract`` turns each paper into a
:class:`PaperExtraction` holding :class:`Entity` objects, each with the
:class:`Mention` spans that support it (provenance); ``graph`` turns extractions into a
networkx graph whose labels and relationship types are the constants defined here.

Offsets
-------
All character offsets index :attr:`Paper.text`, which is the title, a blank line
(``TITLE_SEPARATOR``), then the abstract. ``paper.text[m.start:m.end] == m.text``
holds for every mention ``m``.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable

__all__ = [
    "TITLE_SEPARATOR",
    "EntityType",
    "Source",
    "Paper",
    "Mention",
    "Entity",
    "PaperExtraction",
    "PAPER_LABEL",
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
        """JSON-ready dict; ``sources`` become ``"path:line"`` strings."""
        d = asdict(self)
        d["sources"] = [str(s) for s in self.sources]
        return d

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
        """JSON-ready dict of the fields."""
        return asdict(self)


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
        Distinct surface strings seen in the text, in order of first appearance.
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


@dataclass(slots=True)
class PaperExtraction:
    """Everything extracted from one paper.

    Attributes
    ----------
    paper : Paper
    entities : list of Entity
        One entity per (type, key); order: type, then first mention.
    """

    paper: Paper
    entities: list[Entity] = field(default_factory=list)

    def of_type(self, etype: EntityType) -> list[Entity]:
        """The entities of one type, in order."""
        return [e for e in self.entities if e.type is etype]

    def to_dict(self) -> dict[str, Any]:
        """One line of ``extractions.jsonl``: the paper's fields plus a list per type.

        The type lists use the keys ``score.py`` reads (``datasets``, ``metrics``,
        ``methods``, ``tasks``, ``repos``, ``urls``).
        """
        d = self.paper.to_dict()
        for etype in EntityType:
            d[etype.score_key] = [e.to_dict() for e in self.of_type(etype)]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "PaperExtraction":
        """Inverse of :meth:`to_dict`."""
        entities = [Entity.from_dict(t, e) for t in EntityType for e in d.get(t.score_key, [])]
        return cls(paper=Paper.from_dict(d), entities=entities)


def iter_entities(extractions: Iterable[PaperExtraction]) -> Iterable[tuple[Paper, Entity]]:
    """Yield ``(paper, entity)`` for every entity of every extraction."""
    for ex in extractions:
        for ent in ex.entities:
            yield ex.paper, ent
