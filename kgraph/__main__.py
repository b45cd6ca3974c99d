"""Run the command-line interface with ``python -m kgraph``."""

from kgraph.cli import main

if __name__ == "__main__":  # pragma: no cover - thin entry point
    main()
