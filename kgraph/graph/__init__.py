"""The ``graph`` stage: build the knowledge graph, link papers, and ask it questions.

The schema (labels, relationship types, attributes) is in ``SCHEMA.md`` beside this
file.
"""

from kgraph.graph.analyse import (Related, RelatedIndex, find_entity, find_paper, graph_stats,
                                  papers_using, related_papers)
from kgraph.graph.build import build_graph, entity_node, merge_entities, paper_node
from kgraph.graph.link import add_shared_entity_edges, idf
from kgraph.graph.views import focus_entity, focus_paper, top_overview

__all__ = [
    "build_graph", "merge_entities", "paper_node", "entity_node",
    "add_shared_entity_edges", "idf",
    "find_entity", "papers_using", "find_paper", "related_papers", "Related", "RelatedIndex",
    "graph_stats",
    "focus_entity", "focus_paper", "top_overview",
]
