"""Extraction quality on the hand-annotated seed papers, scored by the gold scorer.

The floors are the ones the project has committed to; a change that drops a score
below its floor fails here instead of degrading the graph silently.
"""

from __future__ import annotations

import importlib.util

import pytest

#: F1 floors on shared/eval/seed_gold.jsonl (score.py's per-type micro F1).
FLOORS = {
    "datasets": 0.60,
    "metrics": 0.60,
    "methods": 0.60,
    "repos": 0.98,
    "proposed_methods": 0.60,
}


@pytest.fixture(scope="module")
def scores(shared_dir, seed_build):
    spec = importlib.util.spec_from_file_location("gold_score", shared_dir / "eval" / "score.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    gold = scorer.load(str(shared_dir / "eval" / "seed_gold.jsonl"))
    pred = scorer.load(str(seed_build.out_dir / "extractions.jsonl"))
    result, _errors = scorer.score(gold, pred)
    return result


@pytest.mark.slow
def test_every_gold_paper_is_covered(scores):
    assert scores["papers"]["covered"] == scores["papers"]["gold"] == 316


@pytest.mark.slow
@pytest.mark.parametrize("etype", sorted(FLOORS))
def test_f1_floor_holds(scores, etype):
    assert scores[etype]["f1"] >= FLOORS[etype], scores[etype]
