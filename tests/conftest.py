"""Fixtures shared by the test modules: where ``shared/`` is, and one real build of the
seed pages per session.

``shared/`` sits beside the project (``../shared``), as in ``tests/test_ingest.py``;
the environment variable ``KGRAPH_SHARED`` points elsewhere. CI always has it, so a
missing ``shared/`` fails the tests that need it instead of skipping them.
"""

from __future__ import annotations

import os
from glob import glob
from pathlib import Path
from typing import NamedTuple

import networkx as nx
import pytest

from kgraph.workflow import BuildReport, build, load_graph

SHARED = Path(os.environ.get("KGRAPH_SHARED", Path(__file__).resolve().parents[2] / "shared"))


class SeedBuild(NamedTuple):
    """What :func:`kgraph.workflow.build` made of the seed pages."""

    report: BuildReport
    out_dir: Path
    graph: nx.MultiDiGraph


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ``shared/`` folder; fails (does not skip) when it or its seed pages are missing."""
    if not sorted((SHARED / "seeds").glob("*.txt")):
        pytest.fail(f"no seed pages in {SHARED / 'seeds'}: put shared/ beside the project "
                    "or set KGRAPH_SHARED to its path", pytrace=False)
    return SHARED


@pytest.fixture(scope="session")
def seed_build(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> SeedBuild:
    """Build every output from ``shared/seeds/*.txt`` once; the graph is read back from
    the ``graph.json`` the build wrote."""
    out_dir = tmp_path_factory.mktemp("seed_build")
    report = build(sorted(glob(str(shared_dir / "seeds" / "*.txt"))), out_dir)
    return SeedBuild(report, out_dir, load_graph(out_dir))
