"""Time to first paint of the HTML explorer in headless Chromium (Debian's chromium).

Run: ``.venv/bin/python benchmarks/bench_html.py [BUILD_DIR]``. Measures, for the seed
graph (``graph.json`` of a build, default ``output/``) and a 5,000-node synthetic graph
drawn whole, the time from navigation start to vis-network's first ``afterDrawing``
(``window.kgFirstDraw``). Targets: 1.5 s and 4 s.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from graphs import synthetic_graph  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from kgraph.export.html import write_html  # noqa: E402
from kgraph.workflow import load_graph  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]


def first_paint(browser, path: Path) -> float:
    """Seconds from navigation start to the first drawing of the network."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(path.as_uri())
    page.wait_for_function("window.kgFirstDraw !== undefined", timeout=60_000)
    ms = page.evaluate("window.kgFirstDraw")
    page.close()
    return ms / 1000


def main() -> None:
    build_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "output")
    with tempfile.TemporaryDirectory() as tmp:
        cases = []
        t = time.perf_counter()
        G = load_graph(build_dir)
        cases.append(("seed", G, write_html(G, Path(tmp) / "seed.html"), 1.5,
                      time.perf_counter() - t))
        big = synthetic_graph(2000, 3000)
        t = time.perf_counter()
        cases.append(("5,000 nodes", big, write_html(big, Path(tmp) / "big.html",
                                                     max_nodes=big.number_of_nodes()),
                      4.0, time.perf_counter() - t))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for name, graph, path, target, gen in cases:
                best = min(first_paint(browser, path) for _ in range(3))
                verdict = "ok" if best <= target else "OVER TARGET"
                print(f"{name:12s} {graph.number_of_nodes():6,} nodes  page "
                      f"{path.stat().st_size / 1e6:5.1f} MB  generate {gen:5.2f} s  "
                      f"first paint {best:5.2f} s (target {target} s) {verdict}")
            browser.close()


if __name__ == "__main__":
    main()
