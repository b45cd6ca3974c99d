"""Extraction on a Dask cluster (:class:`kgraph.parallel.DaskEngine`,
``kgraph build --scheduler``): a real ``distributed.LocalCluster`` of two worker
processes talking TCP on 127.0.0.1, and the same outputs as a local build.
"""

from __future__ import annotations

import json
import socket

import pytest
from click.testing import CliRunner

from kgraph.cli import cli
from kgraph.errors import KgraphError
from kgraph.ingest import read_papers
from kgraph.parallel import DaskEngine
from kgraph.workflow import build
from outputs import assert_same_build

distributed = pytest.importorskip("distributed")

LEXICON = "name\ttype\taliases\nQuokka Pretraining\tmethod\tQPT\n"
EXTRA = {"id": "2502.12345", "title": "Quokka Pretraining for Tabular Data",
         "abstract": "We introduce QPT (Quokka Pretraining) and evaluate it on the "
                     "Adult dataset with accuracy."}


@pytest.fixture(scope="module")
def cluster():
    """Two single-threaded worker processes and a scheduler, over TCP on 127.0.0.1."""
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  host="127.0.0.1", protocol="tcp",
                                  dashboard_address=None) as local:
        yield local


@pytest.fixture(scope="module")
def inputs(shared_dir, tmp_path_factory) -> list[str]:
    """One seed page and a paper that only the user lexicon knows a method of."""
    page = sorted(str(p) for p in (shared_dir / "seeds").glob("*.txt"))[0]
    extra = tmp_path_factory.mktemp("extra") / "extra.jsonl"
    extra.write_text(json.dumps(EXTRA) + "\n", encoding="utf-8")
    return [page, str(extra)]


def test_build_on_the_cluster_writes_what_a_local_build_writes(cluster, inputs, tmp_path):
    address = cluster.scheduler_address
    assert address.startswith("tcp://127.0.0.1:")
    lexicon = tmp_path / "lexicon.tsv"
    lexicon.write_text(LEXICON, encoding="utf-8")
    local = build(inputs, tmp_path / "local", lexicons=[str(lexicon)], jobs=1)
    result = CliRunner().invoke(cli, ["build", *inputs, "-o", str(tmp_path / "dask"),
                                      "--lexicon", str(lexicon), "--scheduler", address])
    assert result.exit_code == 0, result.output
    assert f"papers (dask at {address}, 2 workers)" in result.output
    assert_same_build(tmp_path / "local", tmp_path / "dask")
    # the workers read the lexicon sent with the tasks; mentions name the caller's path
    last = json.loads((tmp_path / "dask" / "extractions.jsonl").read_text(
        encoding="utf-8").splitlines()[-1])
    rules = {m["rule"] for e in last["methods"] for m in e["mentions"]}
    assert any(r.startswith(f"gazetteer:{lexicon}:") for r in rules), rules
    assert local.papers == len(read_papers(inputs))


def test_engine_yields_extractions_in_input_order(cluster, inputs):
    papers = read_papers(inputs)
    engine = DaskEngine(cluster.scheduler_address, chunk_size=7)
    ticks = []
    ids = [ex.paper.id for ex in engine.extract(papers, progress=ticks.append)]
    assert ids == [p.id for p in papers]
    assert sum(ticks) == len(papers) and engine.workers == 2


def test_unreachable_scheduler_is_a_one_line_error():
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    engine = DaskEngine(f"tcp://127.0.0.1:{port}", timeout=2)
    with pytest.raises(KgraphError) as err:
        list(engine.extract([]))
    message = str(err.value)
    assert message.startswith(f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}")
    assert "\n" not in message
