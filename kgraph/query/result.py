"""The result of a Cypher query, the same whichever engine ran it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["QueryResult"]


@dataclass
class QueryResult:
    """Columns and rows of a Cypher query result.

    Attributes
    ----------
    columns : list of str
        Column names, in the order of the ``RETURN`` clause.
    rows : list of list
        One list per record, values as plain Python data (str, int, float, bool, None,
        lists, dicts); nodes and relationships are returned as dicts of their
        properties.
    engine : str
        ``"embedded"`` or ``"bolt"``.
    elapsed : float
        Seconds the engine took to answer.
    """

    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    engine: str = ""
    elapsed: float = 0.0

    def records(self) -> list[dict[str, Any]]:
        """Rows as dicts keyed by column name."""
        return [dict(zip(self.columns, row)) for row in self.rows]
