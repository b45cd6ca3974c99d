"""A build killed with SIGKILL leaves the previous outputs intact and loadable.

``kgraph build`` runs as a real subprocess into a folder that already holds a good
build (a copy of the session's build of the seed pages; the killed build reads other
papers, :data:`PAPERS` of them). The test watches the folder, as any observer could, and
kills the build the moment it reaches a chosen point; there is no hook in the product:

- ``extracting``: one second in, before any output is written;
- ``staged files``: the new ``graph.html`` (and the files before it) are complete in
  the staging folder, ``neo4j/`` is being written;
- ``store loading``: the embedded database is being loaded (its write-ahead log
  exists);
- ``committing``: every new output is complete and the build is about to move them
  into place (the kill lands just before, during or just after the renames).

After each kill every output is checked: byte for byte the previous build's (or, for
``committing`` only, the new build's: never a mix inside one output), ``graph.json``
loads, ``graph.graphml`` parses, the embedded database opens and answers a query, and
nothing left behind looks like an output. A completed build then replaces everything
and removes the killed build's leftovers.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kgraph import atomic
from kgraph.atomic import atomic_directory, atomic_outputs, atomic_write, remove_stale
from kgraph.export.extractions import read_extractions
from kgraph.incremental import STATE_FILE
from kgraph.ingest import read_papers
from kgraph.query.embedded import run_embedded
from kgraph.workflow import OUTPUTS, load_graph

#: The entries a build leaves in its folder: files, and folders (``neo4j``, ...).
OUTPUT_NAMES = {name.rstrip("/") for name in OUTPUTS} | {STATE_FILE}
#: A staging folder or a writer's temporary: hidden, ``.<name>.<pid>-<host>.<random>.tmp``.
TEMPORARY = re.compile(r"\.[^/]+\.(\d+)-[A-Za-z0-9-]*\..+\.tmp")
STAGING = re.compile(r"\.build\.(\d+)-[A-Za-z0-9-]*\..+\.tmp")
#: Papers per input: enough for every output, few enough for a quick extraction.
PAPERS = 15


def write_input(seed_page: Path, path: Path) -> Path:
    """The first :data:`PAPERS` papers of a seed page, as JSON Lines."""
    papers = read_papers([str(seed_page)])[:PAPERS]
    path.write_text("".join(json.dumps({"id": p.id, "title": p.title, "abstract": p.abstract})
                            + "\n" for p in papers), encoding="utf-8")
    return path


def snapshot(out: Path) -> dict[str, Any]:
    """What each output holds: the bytes of every file (of ``neo4j/`` too) and, for the
    database, what a query returns (its file is not byte-stable across builds)."""
    state: dict[str, Any] = {}
    for name in sorted(OUTPUT_NAMES - {"neo4j", "graph.lbdb"}):
        state[name] = (out / name).read_bytes()
    state["neo4j"] = {p.name: p.read_bytes() for p in sorted((out / "neo4j").iterdir())}
    result = run_embedded(out, "MATCH (p:Paper) OPTIONAL MATCH (p)-[r]->() "
                               "RETURN p.id, p.title, count(r) ORDER BY p.id")
    state["graph.lbdb"] = result.rows
    return state


def assert_loadable(out: Path, papers: int) -> None:
    """Every output opens with the tool that reads it and holds ``papers`` papers."""
    G = load_graph(out)
    assert G.graph["papers"] == papers
    assert len(list(read_extractions(out / "extractions.jsonl"))) == papers
    H = nx.read_graphml(out / "graph.graphml")
    assert H.number_of_nodes() == G.number_of_nodes()
    assert (out / "graph.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert (out / "neo4j" / "import.cypher").stat().st_size > 0
    rows = run_embedded(out, "MATCH (p:Paper) RETURN count(p)").rows
    assert rows == [[papers]]


def leftovers(out: Path) -> list[str]:
    return sorted(e.name for e in out.iterdir() if e.name.startswith("."))


def staging(out: Path) -> Path | None:
    for entry in out.iterdir():
        if STAGING.fullmatch(entry.name):
            return entry
    return None


# --------------------------------------------------------------------------- kill points


def _staged(name: str) -> Callable[[Path, float], bool]:
    def reached(out: Path, elapsed: float) -> bool:
        stage = staging(out)
        return stage is not None and (stage / name).exists()
    return reached


def _store_loading(out: Path, elapsed: float) -> bool:
    stage = staging(out)
    return stage is not None and any(stage.glob(".graph.lbdb.*.tmp/graph.lbug.wal"))


def _extracting(out: Path, elapsed: float) -> bool:
    return elapsed >= 1.0


KILL_POINTS: dict[str, Callable[[Path, float], bool]] = {
    "extracting": _extracting,
    "staged files": _staged("graph.html"),
    "store loading": _store_loading,
    "committing": _staged("graph.lbdb"),
}


def kgraph_build(inputs: list[Path], out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "kgraph", "build", *map(str, inputs),
                             "-o", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def build_and_kill(inputs: list[Path], out: Path, point: str) -> tuple[int, str]:
    """Run ``kgraph build`` and SIGKILL it once ``point`` is reached (polling every
    2 ms); return its exit status and stderr. Fails if the build ends first, except at
    ``committing``, where finishing first is one of the outcomes."""
    reached = KILL_POINTS[point]
    proc = kgraph_build(inputs, out)
    started = time.monotonic()
    try:
        while proc.poll() is None:
            if reached(out, time.monotonic() - started):
                proc.send_signal(signal.SIGKILL)
                break
            if time.monotonic() - started > 120:
                pytest.fail(f"the build did not reach {point!r} within 120 s")
            time.sleep(0.002)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    if point != "committing":
        assert proc.returncode == -signal.SIGKILL, (point, proc.returncode, err)
    return proc.returncode, err


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def next_input(shared_dir: Path, tmp_path_factory) -> Path:
    """The killed builds' input: papers of one seed page, as JSON Lines."""
    pages = sorted((shared_dir / "seeds").glob("*.txt"))
    return write_input(pages[0], tmp_path_factory.mktemp("kill_input") / "next.jsonl")


@pytest.fixture(scope="module")
def previous(seed_build) -> tuple[int, dict[str, Any]]:
    """The previous good build (of every seed page): its paper count and snapshot."""
    return seed_build.report.papers, snapshot(seed_build.out_dir)


@pytest.fixture
def out(seed_build, tmp_path) -> Path:
    """A folder holding a copy of the previous good build."""
    folder = tmp_path / "out"
    shutil.copytree(seed_build.out_dir, folder)
    return folder


# --------------------------------------------------------------------------- tests


@pytest.mark.parametrize("point", ["extracting", "staged files", "store loading"])
def test_killed_build_leaves_every_previous_output_intact(point, next_input, previous, out):
    papers, before = previous
    code, err = build_and_kill([next_input], out, point)
    assert "Traceback" not in err
    # every output is the previous build's, byte for byte, and loads
    assert snapshot(out) == before
    assert_loadable(out, papers)
    # nothing left behind looks like an output: only hidden temporaries of the killed
    # build, inside its staging folder
    assert {e.name for e in out.iterdir() if not e.name.startswith(".")} == OUTPUT_NAMES
    # (extractions stream into the staging folder as they come, so even a build killed
    # while extracting may leave one; the next build removes it)
    hidden = leftovers(out)
    assert len(hidden) <= 1, hidden
    if point != "extracting":
        assert len(hidden) == 1
    for name in hidden:
        assert STAGING.fullmatch(name), hidden
        assert (out / name).is_dir()


def test_kill_while_committing_then_a_completed_build(next_input, previous, out):
    """Killed at the renames, each output is wholly the previous build's or wholly the
    new one's; a completed build then holds only the new outputs and cleans up."""
    _, before = previous
    code, err = build_and_kill([next_input], out, "committing")
    assert code in (0, -signal.SIGKILL), err
    after_kill = snapshot(out)
    assert {e.name for e in out.iterdir() if not e.name.startswith(".")} == OUTPUT_NAMES
    assert all(TEMPORARY.fullmatch(name) for name in leftovers(out)), leftovers(out)

    done = subprocess.run([sys.executable, "-m", "kgraph", "build", str(next_input),
                           "-o", str(out)], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert leftovers(out) == []  # the killed build's staging folder is gone too
    assert {e.name for e in out.iterdir()} == OUTPUT_NAMES
    new = snapshot(out)
    assert_loadable(out, PAPERS)
    assert new["graph.lbdb"] != before["graph.lbdb"]  # other papers
    for name in OUTPUT_NAMES:
        assert after_kill[name] in (before[name], new[name]), name


# --------------------------------------------------------------------------- building blocks

#: A pid no process can have (above Linux's largest pid_max, 2**22).
DEAD = 2 ** 22 + 1


def _temporary(folder: Path, name: str, pid: int, kind: str = "x1y2.tmp") -> Path:
    return folder / f".{name}.{pid}-{atomic._host()}.{kind}"


def test_stale_temporaries_of_dead_writers_are_removed(tmp_path):
    (tmp_path / "graph.json").write_text("good")
    dead_file = _temporary(tmp_path, "graph.json", DEAD)
    dead_file.write_text("half")
    dead_dir = _temporary(tmp_path, "neo4j", DEAD)
    dead_dir.mkdir()
    (dead_dir / "nodes_Paper.csv").write_text("half")
    live = _temporary(tmp_path, "graph.json", os.getpid())  # a writer still at work
    live.write_text("in progress")
    other_host = tmp_path / f".graph.json.{DEAD}-elsewhere.x1y2.tmp"  # shared folder
    other_host.write_text("not ours to judge")

    with atomic_write(tmp_path / "graph.json") as handle:
        handle.write("new")
    with atomic_directory(tmp_path / "neo4j") as folder:
        (folder / "import.cypher").write_text("new")
    assert not dead_file.exists() and not dead_dir.exists()
    assert live.exists() and other_host.exists()
    assert (tmp_path / "graph.json").read_text() == "new"
    assert sorted(p.name for p in (tmp_path / "neo4j").iterdir()) == ["import.cypher"]


def test_a_folder_set_aside_by_a_dead_writer_is_put_back(tmp_path):
    """Without an atomic exchange a folder is replaced by two renames; a writer killed
    between them leaves the target missing and the previous folder set aside."""
    aside = _temporary(tmp_path, "graph.lbdb", DEAD, "old")
    aside.mkdir()
    (aside / "graph.lbug").write_text("previous database")
    assert remove_stale(tmp_path / "graph.lbdb") == [aside]
    assert (tmp_path / "graph.lbdb" / "graph.lbug").read_text() == "previous database"
    assert not aside.exists()


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two renames"])
def test_atomic_directory_replaces_a_folder(tmp_path, monkeypatch, exchange):
    if not exchange:
        monkeypatch.setattr(atomic, "_renameat2", None)
    target = tmp_path / "neo4j"
    target.mkdir()
    (target / "old.csv").write_text("old")
    with atomic_directory(target) as folder:
        (folder / "new.csv").write_text("new")
    assert [p.name for p in target.iterdir()] == ["new.csv"]
    assert [p.name for p in tmp_path.iterdir()] == ["neo4j"]


def test_atomic_outputs_change_nothing_when_the_block_fails(tmp_path):
    (tmp_path / "graph.json").write_text("previous")
    (tmp_path / "neo4j").mkdir()
    (tmp_path / "neo4j" / "import.cypher").write_text("previous")
    with pytest.raises(RuntimeError, match="extraction failed"):
        with atomic_outputs(tmp_path) as stage:
            (stage / "graph.json").write_text("new")
            (stage / "neo4j").mkdir()
            raise RuntimeError("extraction failed")
    assert (tmp_path / "graph.json").read_text() == "previous"
    assert (tmp_path / "neo4j" / "import.cypher").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.json", "neo4j"]
    with atomic_outputs(tmp_path) as stage:
        (stage / "graph.json").write_text("new")
        (stage / "neo4j").mkdir()
        (stage / "neo4j" / "import.cypher").write_text("new")
    assert (tmp_path / "graph.json").read_text() == "new"
    assert (tmp_path / "neo4j" / "import.cypher").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.json", "neo4j"]
