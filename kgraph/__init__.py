"""kgraph: a knowledge-graph builder for machine-learning literature.

Pipeline, one module per stage, data flowing one way::

    ingest (files -> Paper) -> extract (spaCy -> Entity, Mention)
        -> graph (networkx MultiDiGraph) -> export (HTML, JSON, GraphML, Neo4j)

The dataclasses that carry data between stages live in :mod:`kgraph.model`.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
