"""Cypher queries on a built graph, on the embedded database or a Neo4j server.

- :mod:`kgraph.query.embedded`: :func:`~kgraph.query.embedded.run_embedded` runs a query
  on the LadybugDB store a build wrote (:mod:`kgraph.store`);
- :mod:`kgraph.query.format`: results as a text table, JSON or CSV, ``-p NAME=VALUE``
  parameters, and the header of a ``.cypher`` file (the ``queries/`` library).

Both engines answer with a :class:`~kgraph.query.result.QueryResult` and fail with
:class:`QueryError`. The submodules are imported on demand, so using one engine does
not load the other's driver.
"""

from __future__ import annotations

from kgraph.errors import QueryError
from kgraph.query.result import QueryResult

__all__ = ["QueryError", "QueryResult"]
