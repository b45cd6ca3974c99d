"""LaTeX font markup: removed before extraction, offsets kept in the paper's text."""

from __future__ import annotations

import pytest

from kgraph.extract import Extractor
from kgraph.extract.markup import unmark
from kgraph.model import EntityType, Paper


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.mark.parametrize("text, printed", [
    (r"we propose \textbf{CSS-GR}, a", "we propose CSS-GR, a"),
    (r"\emph{\textit{nested}} and {\bf old} style", "nested and old style"),
    (r"\textbf {spaced} \texttt{a \{brace\}}", r"spaced a \{brace\}"),
    (r"we introduce $\texttt{ORAL}$ and ($\text{AV}^2\text{A}$)", "we introduce ORAL and (AV^2A)"),
    (r"keeps $x^2$, \$5, $\mathcal{O}(n)$ but not $\textbf{X}$",
     r"keeps $x^2$, \$5, $\mathcal{O}(n)$ but not X"),
    (r"DriveLM Q\&A, 80.1\% on code\_search, $x\_1$", "DriveLM Q&A, 80.1% on code_search, $x_1$"),
    # a tie prints as a space; "about" (after a space or bracket), an accent and a link
    # keep their "~"
    (r"generation~(RAG) on AIME~24, (~21%) and ~5x, n\~ao, www.ox.ac.uk/~vgg, see~\url{x}",
     r"generation (RAG) on AIME 24, (~21%) and ~5x, n\~ao, www.ox.ac.uk/~vgg, see \url{x}"),
])
def test_unmark_removes_font_commands_and_their_braces(text, printed):
    marks = unmark(text)
    assert marks.text == printed
    # every kept character comes from where the positions say (a tie is printed as a space)
    assert "".join(text[i] for i in marks.positions).replace("~", " ") == \
        printed.replace("~", " ")


@pytest.mark.parametrize("text", [
    "no markup at all",
    "about ~5x faster (~21%), at https://a.b/~c",
    r"a citation \cite{x} and a link \href{https://a.b}{here}",
    r"an argument that never \textbf{closes",
])
def test_text_without_font_markup_is_left_alone(text):
    assert unmark(text) is None


def test_original_offsets_cover_the_name_and_markup_inside_it():
    text = r"the \textbf{A}uto-\textbf{P}rompt model"
    marks = unmark(text)
    start = marks.text.index("Auto-Prompt")
    s, e = marks.original(start, start + len("Auto-Prompt"))
    assert text[s:e] == r"A}uto-\textbf{P}rompt"


def test_names_set_in_bold_or_italics_are_found_and_proposed(extractor):
    paper = Paper("p", r"$\textit{Graph Reasoning}$: Structured Summarization",
                  r"In this paper, we propose a \textit{Cross-Modal State-Space Graph Reasoning} "
                  r"(\textbf{CSS-GR}) framework. We also introduce \textbf{DynaBench}, a new "
                  r"benchmark. On \emph{ImageNet}, \textbf{CSS-GR} reaches \textbf{81.2\%} top-1 "
                  r"accuracy.")
    ex = extractor.extract(paper)
    methods = {e.name: e for e in ex.of_type(EntityType.METHOD)}
    assert methods["CSS-GR"].proposed
    assert "Cross-Modal State-Space Graph Reasoning" in methods["CSS-GR"].aliases
    assert [m.text for m in methods["CSS-GR"].mentions] == [
        "Cross-Modal State-Space Graph Reasoning", "CSS-GR", "CSS-GR"]
    assert {e.name for e in ex.of_type(EntityType.DATASET)} >= {"DynaBench", "ImageNet"}
    # offsets index the paper's own text, markup and all
    for e in ex.entities:
        for m in e.mentions:
            assert paper.text[m.start:m.end] == m.text
    [result] = ex.results
    assert result.value == pytest.approx(81.2) and result.metric == "top-1 accuracy"
    assert paper.text[result.start:result.end] == result.text
    # the batch path reads the same
    [batch] = list(extractor.extract_many([paper]))
    assert [(e.name, [(m.start, m.end) for m in e.mentions]) for e in batch.entities] == \
        [(e.name, [(m.start, m.end) for m in e.mentions]) for e in ex.entities]
    assert batch.paper is paper


def test_a_tied_name_is_named_as_printed(extractor):
    paper = Paper("p", "Reasoning on a budget",
                  r"Open-weights inference sits on the Pareto front: a Gemma~4 model "
                  r"reaches 43.3\% accuracy on AIME~24, surpassing larger models "
                  r"(https://x.org/~me).")
    ex = extractor.extract(paper)
    names = {e.type: set() for e in ex.entities}
    for e in ex.entities:
        names[e.type].add(e.name)
    assert "Gemma 4" in names[EntityType.METHOD]
    assert "AIME 24" in names[EntityType.DATASET]
    # offsets still index the paper's own text, ties and all
    mentions = {m.text for e in ex.entities for m in e.mentions}
    assert {"Gemma~4", "AIME~24"} <= mentions
    for e in ex.entities:
        for m in e.mentions:
            assert paper.text[m.start:m.end] == m.text
