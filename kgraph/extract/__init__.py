"""The ``extract`` stage: papers in, entities with provenance out.

:class:`Extractor` runs the spaCy pipeline of :mod:`kgraph.extract.pipeline` over
papers and returns one :class:`kgraph.model.PaperExtraction` per paper: the entities,
then the numeric results the abstract reports (:mod:`kgraph.extract.results`), found
once the entities are resolved.

Examples
--------
>>> from kgraph.model import Paper
>>> ex = Extractor().extract(Paper("p1", "TecoGAN: temporal coherence",
...     "We evaluate on the Vid4 dataset in terms of PSNR. "
...     "Code: https://github.com/thunil/TecoGAN."))
>>> sorted((e.type.value, e.name) for e in ex.entities)  # doctest: +NORMALIZE_WHITESPACE
[('dataset', 'Vid4'), ('method', 'TecoGAN'), ('metric', 'PSNR'),
 ('repository', 'https://github.com/thunil/TecoGAN')]
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Iterable, Iterator, Sequence

from spacy.tokens import Doc

from kgraph.extract.gazetteer import Gazetteer
from kgraph.extract.markup import Marks, printed_paper
from kgraph.extract.pipeline import _entities, build_pipeline, sentences_of
from kgraph.extract.results import find_results
from kgraph.model import Paper, PaperExtraction

__all__ = ["Extractor", "extract_papers"]


class Extractor:
    """Extract entities from papers with kgraph's spaCy pipeline.

    Parameters
    ----------
    lexicons : sequence of str, optional
        User lexicon files added to the built-in gazetteers.

    Raises
    ------
    kgraph.errors.InputError
        A user lexicon cannot be read.
    """

    def __init__(self, lexicons: Sequence[str] = ()) -> None:
        self.nlp = build_pipeline(lexicons)

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer the pipeline matches: built-in entries, then user lexicons."""
        return self.nlp.get_pipe("kgraph_gazetteer").gazetteer

    def extract(self, paper: Paper) -> PaperExtraction:
        """Extract the entities of one paper.

        Parameters
        ----------
        paper : Paper

        Returns
        -------
        PaperExtraction
            Mention and result offsets index ``paper.text``.
        """
        printed, marks = printed_paper(paper)
        return _extraction(paper, self.nlp(printed.text), printed, marks)

    def extract_many(self, papers: Iterable[Paper], *, batch_size: int = 64,
                     progress: Callable[[int], None] | None = None) -> Iterator[PaperExtraction]:
        """Extract many papers, streaming (``nlp.pipe`` batches).

        Parameters
        ----------
        papers : iterable of Paper
        batch_size : int
            Texts per ``nlp.pipe`` batch.
        progress : callable or None
            Called with 1 after each paper (e.g. a progress bar's ``update``).

        Yields
        ------
        PaperExtraction
            In input order.
        """
        stream = ((printed.text, (p, printed, marks))
                  for p in papers for printed, marks in [printed_paper(p)])
        for doc, (paper, printed, marks) in self.nlp.pipe(stream, as_tuples=True,
                                                          batch_size=batch_size):
            yield _extraction(paper, doc, printed, marks)
            if progress is not None:
                progress(1)


def _extraction(paper: Paper, doc: Doc, printed: Paper,
                marks: Marks | None) -> PaperExtraction:
    """Entities of a processed doc, then the results that refer to them; the offsets
    of both, read on ``printed``, moved back into ``paper.text`` through ``marks``."""
    numbers, sentences = sentences_of(doc)
    entities = _entities(doc, numbers)
    results = find_results(printed, entities, sentences)
    if marks is None:
        return PaperExtraction(paper, entities, results)
    text = paper.text

    def moved(item):
        start, end = marks.original(item.start, item.end)
        return dataclasses.replace(item, start=start, end=end, text=text[start:end])

    entities = [dataclasses.replace(e, mentions=[moved(m) for m in e.mentions])
                for e in entities]
    return PaperExtraction(paper, entities, [moved(r) for r in results])


def extract_papers(papers: Iterable[Paper], lexicons: Sequence[str] = ()) -> list[PaperExtraction]:
    """Extract all papers with a fresh :class:`Extractor`.

    Parameters
    ----------
    papers : iterable of Paper
    lexicons : sequence of str

    Returns
    -------
    list of PaperExtraction
    """
    return list(Extractor(lexicons).extract_many(papers))
