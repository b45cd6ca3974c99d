"""The exception tree of kgraph and the messages it raises, kept in one place.

Every error the library raises on purpose derives from :class:`KgraphError`, so the
command-line interface can turn any of them into a one-line message and a non-zero
exit status instead of a traceback (the pattern of spaCy's ``errors.py`` and
datasette's ``StartupError``).
"""

from __future__ import annotations

__all__ = [
    "KgraphError",
    "InputError",
    "GraphNotFoundError",
    "NotFoundError",
    "ExportError",
    "StoreError",
    "QueryError",
]


class KgraphError(Exception):
    """Base class of every error kgraph raises deliberately."""


class InputError(KgraphError):
    """A record of an input file cannot be read.

    Parameters
    ----------
    path : str
        The input file, or ``"-"`` for standard input.
    line : int or None
        1-based line number of the offending record, when known.
    message : str
        What is wrong with the record, then what to do about it in parentheses, e.g.
        ``"missing 'title' (each record needs 'title' and 'abstract' strings)"``.

    The string form is ``"PATH:LINE: MESSAGE"`` (``"PATH: MESSAGE"`` without a line,
    for problems of a whole file: missing, a directory, empty, binary), the convention
    of compilers and linters, so editors can jump to the place.
    """

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


class GraphNotFoundError(KgraphError):
    """A command needs a built graph and the graph folder has none."""


class NotFoundError(KgraphError):
    """A paper or entity named by the user is not in the graph.

    Parameters
    ----------
    message : str
        What was looked for.
    suggestions : list of str, optional
        The nearest names that do exist, best first.
    """

    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        self.suggestions = list(suggestions or [])
        text = message
        if self.suggestions:
            text += "; did you mean: " + ", ".join(repr(s) for s in self.suggestions) + "?"
        super().__init__(text)


class ExportError(KgraphError):
    """An export target could not be written."""


class StoreError(KgraphError):
    """The embedded database exists but cannot be opened (locked, damaged, unreadable)."""


class QueryError(KgraphError):
    """A query could not be run: a syntax or type error, a timeout, a bad parameter.

    The message is one line: what the engine said, and the query line it points at
    when it gives one.
    """
