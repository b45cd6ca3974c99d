"""``kgraph extract --explain``: why each entity and result was extracted, as text.

Every :class:`kgraph.model.Mention` carries the ``rule`` of the component that found it
(:mod:`kgraph.extract.pipeline`); this module turns those into readable provenance:

==============================  ===========================================================
mention ``rule``                shown as
==============================  ===========================================================
``gazetteer:<file>:<line>``     ``gazetteer:datasets.tsv:ImageNet-1K (line 15)``: the
                                lexicon entry, named by its canonical name (a user
                                lexicon: ``lexicon:my.tsv:TecoGAN (line 2)``)
``abbreviation``                ``abbreviation:Schwartz-Hearst``: a "long form (SHORT)"
                                definition (:mod:`kgraph.extract.abbreviations`)
``pattern:<id>``                ``pattern:<id>``: a context rule of
                                ``data/patterns/context.jsonl``
``title:title_prefix``          ``title-prefix``: the "Name: ..." start of the title
``propagated``                  ``propagated``: another occurrence of a name found above
``url``                         ``url``: a link in the text
==============================  ===========================================================

Results (:mod:`kgraph.extract.results`) are listed after the entities with their span
and the rule that attached their metric.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Iterable, Iterator

from kgraph.extract.gazetteer import Gazetteer, GazetteerEntry
from kgraph.model import Entity, Mention, PaperExtraction, Result

__all__ = ["rule_label", "explain_extraction", "explain_extractions"]

_BUILTIN_PREFIX = "gazetteer/"
_FIXED = {
    "abbreviation": "abbreviation:Schwartz-Hearst",
    "title:title_prefix": "title-prefix",
    "propagated": "propagated",
    "url": "url",
}


def _entries_by_source(gazetteer: Gazetteer | None) -> dict[str, GazetteerEntry]:
    if gazetteer is None:
        return {}
    return {e.source: e for e in gazetteer.entries if e.source}


def rule_label(rule: str, entries: dict[str, GazetteerEntry] | None = None,
               name: str | None = None) -> str:
    """The readable form of a mention's ``rule`` (see the module's table).

    Parameters
    ----------
    rule : str
        :attr:`kgraph.model.Mention.rule`, e.g. ``"gazetteer:gazetteer/datasets.tsv:15"``.
    entries : dict, optional
        Gazetteer entries by their ``source`` (``"file:line"``), to name the entry a
        gazetteer rule points at.
    name : str, optional
        The entity's canonical name, used for a gazetteer entry not in ``entries``
        (the canonical name of a gazetteer entity is its entry's name).

    Returns
    -------
    str

    Examples
    --------
    >>> rule_label("gazetteer:gazetteer/datasets.tsv:15", name="ImageNet-1K")
    'gazetteer:datasets.tsv:ImageNet-1K (line 15)'
    >>> rule_label("gazetteer:/home/me/my lexicon.tsv:2", name="TecoGAN")
    'lexicon:my lexicon.tsv:TecoGAN (line 2)'
    >>> rule_label("abbreviation"), rule_label("pattern:dataset_cue")
    ('abbreviation:Schwartz-Hearst', 'pattern:dataset_cue')
    >>> rule_label("title:title_prefix")
    'title-prefix'
    """
    if rule in _FIXED:
        return _FIXED[rule]
    if rule.startswith("gazetteer:"):
        source = rule[len("gazetteer:"):]
        path, _, line = source.rpartition(":")
        if not line.isdigit():
            path, line = source, ""
        entry = (entries or {}).get(source)
        entry_name = entry.name if entry is not None else (name or "?")
        kind = "gazetteer" if path.startswith(_BUILTIN_PREFIX) else "lexicon"
        where = f" (line {line})" if line else ""
        return f"{kind}:{PurePath(path).name}:{entry_name}{where}"
    return rule


def _mention_line(m: Mention, entries: dict[str, GazetteerEntry], entity: Entity) -> str:
    return (f"    - {m.text!r} sentence {m.sentence}, chars {m.start}-{m.end}: "
            f"{rule_label(m.rule, entries, entity.name)}")


def _entity_lines(ent: Entity, entries: dict[str, GazetteerEntry]) -> list[str]:
    flags = [f"key {ent.key}"]
    if ent.proposed:
        flags.append("proposed")
    others = [a for a in ent.aliases if a != ent.name]
    if others:
        flags.append("aliases " + ", ".join(others))
    head = f"  {ent.type.value} {ent.name} ({'; '.join(flags)})"
    return [head] + [_mention_line(m, entries, ent) for m in ent.mentions]


def _result_lines(r: Result) -> list[str]:
    parts = [f"metric {r.metric}" if r.metric else "no metric",
             f"dataset {r.dataset}" if r.dataset else "no dataset",
             f"method {r.method}" if r.method else "no method"]
    unit = f" {r.unit}" if r.unit else ""
    return [f"  result {r.text!r} = {r.value:g}{unit}, {r.kind}: {', '.join(parts)}",
            f"    - sentence {r.sentence}, chars {r.start}-{r.end}: {r.rule}"]


def explain_extraction(ex: PaperExtraction, gazetteer: Gazetteer | None = None) -> str:
    """One paper's entities and results with the provenance of every mention.

    Parameters
    ----------
    ex : PaperExtraction
    gazetteer : Gazetteer, optional
        The gazetteer the extractor used (built-in entries and user lexicons), to
        name the entry behind each gazetteer mention.

    Returns
    -------
    str
        A header line ``== <id>: <title>``, then per entity (in extraction order) a line
        with its type, canonical name, key, proposed flag and aliases, and one line per
        mention (text, sentence, character offsets, rule); then the results. No
        trailing newline.

    Examples
    --------
    >>> from kgraph.model import Paper, EntityType
    >>> p = Paper("p1", "TecoGAN: temporal coherence", "")
    >>> e = Entity(EntityType.METHOD, "TecoGAN", "tecogan", ["TecoGAN"],
    ...            [Mention("TecoGAN", 0, 7, 0, "title:title_prefix")], proposed=True)
    >>> print(explain_extraction(PaperExtraction(p, [e])))
    == p1: TecoGAN: temporal coherence
      method TecoGAN (key tecogan; proposed)
        - 'TecoGAN' sentence 0, chars 0-7: title-prefix
    """
    return _explain(ex, _entries_by_source(gazetteer))


def _explain(ex: PaperExtraction, entries: dict[str, GazetteerEntry]) -> str:
    lines = [f"== {ex.paper.id}: {ex.paper.title}"]
    for ent in ex.entities:
        lines += _entity_lines(ent, entries)
    for r in ex.results:
        lines += _result_lines(r)
    if len(lines) == 1:
        lines.append("  (nothing extracted)")
    return "\n".join(lines)


def explain_extractions(extractions: Iterable[PaperExtraction],
                        gazetteer: Gazetteer | None = None) -> Iterator[str]:
    """:func:`explain_extraction` of each extraction, in order.

    Parameters
    ----------
    extractions : iterable of PaperExtraction
    gazetteer : Gazetteer, optional

    Yields
    ------
    str
    """
    entries = _entries_by_source(gazetteer)
    for ex in extractions:
        yield _explain(ex, entries)
