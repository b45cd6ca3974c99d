"""Compare two build folders: every output file byte for byte, and the embedded store
by its content (a LadybugDB file holds ids and checksums of its own, so two equal
graphs need not give equal files).
"""

from __future__ import annotations

from pathlib import Path

from kgraph.query.embedded import run_embedded

__all__ = ["output_files", "store_rows", "assert_same_build"]

STORE_DIR = "graph.lbdb"


def output_files(out_dir: Path) -> dict[str, bytes]:
    """Relative path -> bytes of every file a build wrote, except the store's."""
    out_dir = Path(out_dir)
    return {p.relative_to(out_dir).as_posix(): p.read_bytes()
            for p in sorted(out_dir.rglob("*"))
            if p.is_file() and STORE_DIR not in p.relative_to(out_dir).parts}


def store_rows(out_dir: Path) -> tuple[list, list]:
    """Every node (label and properties) and relationship (ends, type, properties) of
    a build's embedded store, sorted."""
    nodes = run_embedded(out_dir, "MATCH (n) RETURN label(n), n").rows
    rels = run_embedded(out_dir, "MATCH (a:Paper)-[r]->(b) "
                                 "RETURN a.id, label(r), r, label(b), b.key, b.id").rows
    return sorted(map(repr, nodes)), sorted(map(repr, rels))


def assert_same_build(a: Path, b: Path) -> None:
    """Byte-identical output files, and an embedded store with the same content."""
    files_a, files_b = output_files(a), output_files(b)
    assert sorted(files_a) == sorted(files_b)
    for name in files_a:
        assert files_a[name] == files_b[name], f"{name} differs"
    assert store_rows(a) == store_rows(b)
