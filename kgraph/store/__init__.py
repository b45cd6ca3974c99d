"""The graph in an embedded graph database (LadybugDB), queried with Cypher.

:func:`write_store` loads a kgraph graph (``kgraph/graph/SCHEMA.md``) into a LadybugDB
database in the output folder, with the labels, relationship types and property names
of the Neo4j exports; :func:`open_store` opens it. See :mod:`kgraph.store.embedded`.
"""

from __future__ import annotations

from kgraph.errors import StoreError

__all__ = [
    "StoreError",
    "STORE_DIR",
    "DATABASE_FILE",
    "store_path",
    "database_path",
    "generate_schema",
    "write_store",
    "open_store",
]


from kgraph.store.embedded import (
    DATABASE_FILE,
    STORE_DIR,
    database_path,
    generate_schema,
    open_store,
    store_path,
    write_store,
)
