"""Group the extraction errors on a gold file into kinds, most frequent first.

The same matching as ``score.py --errors`` (it imports ``score.py``), then each false
positive or false negative is put in one kind by its shape: a boundary difference
(a predicted and a missed entity of one paper share words), a generic measure word, a
task mentioned once, an abbreviation, a lexicon entry, a pattern guess, a proposed
component, a lower-case phrase or an unknown name. The kinds are approximate; they say
where to look, not why.

Usage (from the project root, ``shared/`` beside it)::

    kgraph extract ../shared/seeds/*.txt -o /tmp/pred.jsonl
    python benchmarks/error_kinds.py ../shared/eval /tmp/pred.jsonl [N]
"""
import collections
import re
import sys
from pathlib import Path

EVAL = Path(sys.argv[1])
sys.path.insert(0, str(EVAL))
import score as S  # noqa: E402  (shared/eval/score.py)

gold = S.load(str(EVAL / "seed_gold.jsonl"))
pred = S.load(sys.argv[2])
generic = {line.strip() for line in
           (Path(__file__).resolve().parents[1] / "kgraph/data/words/generic_metrics.txt")
           .read_text(encoding="utf-8").splitlines()
           if line.strip() and not line.startswith("#")}
kinds = collections.Counter(); examples = collections.defaultdict(list)
def words(s): return set(re.findall(r"[a-z0-9]+", s.lower()))
for k, g in gold.items():
    p = pred.get(k, {})
    for t in ("datasets", "metrics", "methods", "tasks"):
        gents = [({S.norm(e["name"])} | {S.norm(a) for a in e.get("aliases", [])}, e) for e in g.get(t, [])]
        pitems = [(S.surfaces(i), i) for i in p.get(t, [])]
        fps = [i for s, i in pitems if not any(gs & s for gs, _ in gents)]
        fns = [e for gs, e in gents if not any(gs & s for s, _ in pitems)]
        fn_words = [words(e["name"]) for e in fns]
        fp_words = [words(i["name"]) for i in fps]
        for i in fps:
            n = i["name"]; w = words(n)
            rules = {m["rule"].split(":")[0] for m in i["mentions"]} - {"propagated"}
            if any(w & fw and (w < fw or fw < w or len(w & fw) >= 1) for fw in fn_words):
                kind = f"{t}: boundary/granularity differs from gold (FP side)"
            elif t == "metrics" and n.lower() in generic:
                kind = "metrics: generic measure word judged not a result (FP)"
            elif t == "tasks" and len(i["mentions"]) == 1:
                kind = "tasks: task mentioned once in passing (FP)"
            elif rules == {"abbreviation"}:
                kind = f"{t}: abbreviation of a non-entity or of another type (FP)"
            elif "gazetteer" in rules:
                kind = f"{t}: lexicon entry gold does not annotate here (FP)"
            else:
                kind = f"{t}: pattern guess not in gold (FP)"
            kinds[kind] += 1; examples[kind].append(n)
        for e in fns:
            n = e["name"]; w = words(n)
            if any(w & fw for fw in fp_words):
                kind = f"{t}: boundary/granularity differs from gold (FN side)"
            elif t == "metrics" and n.lower() in generic:
                kind = "metrics: generic measure word gold counts as a result (FN)"
            elif t == "methods" and e.get("proposed"):
                kind = "methods: paper's own component/variant not found (FN)"
            elif n == n.lower():
                kind = f"{t}: lower-case phrase no rule covers (FN)"
            else:
                kind = f"{t}: name unknown to lexicon and patterns (FN)"
            kinds[kind] += 1; examples[kind].append(n)
for kind, c in kinds.most_common(int(sys.argv[3]) if len(sys.argv) > 3 else 10):
    ex = ", ".join(dict.fromkeys(examples[kind]))
    print(f"{c:4d}  {kind}  e.g. {ex[:110]}")
