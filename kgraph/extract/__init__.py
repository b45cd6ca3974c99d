"""The ``extract`` stage: papers in, entities with provenance out.

:class:`Extractor` runs the spaCy pipeline of :mod:`kgraph.extract.pipeline` over
papers and returns one :class:`kgraph.model.PaperExtraction` per paper.

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

from typing import Callable, Iterable, Iterator, Sequence

from kgraph.extract.pipeline import build_pipeline, doc_to_entities
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

    def extract(self, paper: Paper) -> PaperExtraction:
        """Extract the entities of one paper.

        Parameters
        ----------
        paper : Paper

        Returns
        -------
        PaperExtraction
            Mention offsets index ``paper.text``.
        """
        return PaperExtraction(paper, doc_to_entities(self.nlp(paper.text)))

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
        stream = ((p.text, p) for p in papers)
        for doc, paper in self.nlp.pipe(stream, as_tuples=True, batch_size=batch_size):
            yield PaperExtraction(paper, doc_to_entities(doc))
            if progress is not None:
                progress(1)


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
