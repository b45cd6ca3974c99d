"""What happens to bad input: stop at the first problem, or skip it and say so.

By default every reader raises :class:`~kgraph.errors.InputError` at the first bad
record. Given an ``on_bad`` callback instead, the readers skip what they cannot read
and report each skip through it, with its *scope*:

``"record"``
    One record could not be read (invalid JSON on its line, a missing field, a
    ragged CSV row, an unpaired paragraph of a feed page, a field over a length
    limit). The reader goes on with the next record.
``"file"``
    The file cannot be read from the error on: it is missing, a directory, binary,
    empty, not UTF-8 at some line, or its structure is broken where the reader cannot
    find the next record (a JSON array with a syntax error, a CSV file without a
    ``title`` column). The papers read before the error are kept; the rest of the
    file is skipped.

:class:`SkipLog` is the callback the command line passes for ``--skip-bad``: it
formats one warning line per skip and counts them for the final summary.
"""

from __future__ import annotations

from typing import Callable

from kgraph.errors import InputError

__all__ = ["OnBadRecord", "OnBad", "SCOPES", "skip_or_raise", "SkipLog"]

#: What a reader calls with a record it skips; ``None`` makes the reader raise instead.
OnBadRecord = Callable[[InputError], None] | None
#: What :func:`kgraph.ingest.iter_papers` calls with an error and its scope.
OnBad = Callable[[InputError, str], None] | None
#: The scopes of a skip (see the module documentation).
SCOPES = ("record", "file")


def skip_or_raise(on_bad: OnBadRecord, error: InputError) -> None:
    """Raise ``error``, or hand it to ``on_bad`` so the reader can skip the record.

    Parameters
    ----------
    on_bad : callable or None
        The reader's callback.
    error : InputError
        The problem with one record.

    Raises
    ------
    InputError
        ``error`` itself, when ``on_bad`` is None.
    """
    if on_bad is None:
        raise error
    on_bad(error)


class SkipLog:
    """An ``on_bad`` callback that warns once per skip and counts them.

    Parameters
    ----------
    warn : callable, optional
        Called with each warning line, e.g. a function printing to standard error;
        by default the lines are only kept in :attr:`warnings`.

    Attributes
    ----------
    records : int
        Records skipped.
    files : int
        Files skipped whole or from an error on.
    warnings : list of str
        Every warning line, in order.

    Examples
    --------
    >>> log = SkipLog()
    >>> log(InputError("a.jsonl", 3, "invalid JSON"), "record")
    >>> log(InputError("b.txt", None, "no such file"), "file")
    >>> log.warnings
    ['warning: a.jsonl:3: invalid JSON; record skipped', 'warning: b.txt: no such file; file skipped']
    >>> log.summary()
    'skipped 1 bad record and 1 bad file'
    """

    def __init__(self, warn: Callable[[str], None] | None = None) -> None:
        self.warn = warn
        self.records = 0
        self.files = 0
        self.warnings: list[str] = []

    def __call__(self, error: InputError, scope: str) -> None:
        """Record one skip and emit its warning line.

        Parameters
        ----------
        error : InputError
            What was wrong, naming the file and line.
        scope : {"record", "file"}
            What was skipped (see the module documentation).

        Raises
        ------
        ValueError
            When ``scope`` is not one of :data:`SCOPES`.
        """
        if scope == "record":
            self.records += 1
            what = "record skipped"
        elif scope == "file":
            self.files += 1
            what = "rest of the file skipped" if (error.line or 1) > 1 else "file skipped"
        else:
            raise ValueError(f"scope must be one of {SCOPES}, not {scope!r}")
        line = f"warning: {error}; {what}"
        self.warnings.append(line)
        if self.warn is not None:
            self.warn(line)

    @property
    def total(self) -> int:
        """Records and files skipped."""
        return self.records + self.files

    def summary(self) -> str:
        """The closing line: ``"skipped N bad records"``, and the bad files if any.

        Returns
        -------
        str
        """
        text = f"skipped {self.records} bad record{'' if self.records == 1 else 's'}"
        if self.files:
            text += f" and {self.files} bad file{'' if self.files == 1 else 's'}"
        return text
