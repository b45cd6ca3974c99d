"""The ``kgraph`` command line: parses options, calls the library, prints results.

Every command hands its work to :mod:`kgraph.workflow` or :mod:`kgraph.graph`;
library errors (:class:`kgraph.errors.KgraphError`) become one-line messages and exit
status 1, never tracebacks (datasette's convention).
"""

from __future__ import annotations

import functools
import json
import os
import sys
from typing import Callable

import click

from kgraph import __version__
from kgraph.errors import KgraphError

__all__ = ["cli", "main"]

FORMAT_CHOICES = ["feed", "jsonl", "json", "csv"]


def _handle_errors(func: Callable) -> Callable:
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except KgraphError as e:
            raise click.ClickException(str(e)) from None
        except BrokenPipeError:  # output piped into `head`: stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except OSError as e:  # an output path that cannot be written
            where = e.filename or ""
            raise click.ClickException(f"{where}: {e.strerror or e}" if where else str(e)) from None
    return wrapper


def _skip_log(skip_bad: bool):
    """The ``on_bad`` callback of ``--skip-bad``: warnings go to standard error."""
    if not skip_bad:
        return None
    from kgraph.ingest import SkipLog

    return SkipLog(warn=lambda line: click.echo(line, err=True))


def _progress_factory():
    """A progress bar per long step, only when standard error is a terminal."""
    if not sys.stderr.isatty():
        return None

    def factory(total: int, label: str):
        bar = click.progressbar(length=total, label=label, file=sys.stderr)
        bar.__enter__()
        done = [0]

        def tick(n: int) -> None:
            bar.update(n)
            done[0] += n
            if done[0] >= total:
                bar.__exit__(None, None, None)
        return tick
    return factory


input_args = click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
format_opt = click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES),
                          help="Input format (default: from the file extension; "
                               "feed pages are .txt).")
lexicon_opt = click.option("--lexicon", "lexicons", multiple=True, type=click.Path(),
                           help="Extra lexicon (TSV or JSON Lines: name, type, aliases). "
                                "Repeatable.")
skip_bad_opt = click.option("--skip-bad", is_flag=True,
                            help="Skip bad records and unreadable files with one warning "
                                 "each on standard error, and a count at the end, instead "
                                 "of stopping at the first; fails only if no paper is read.")
graph_opt = click.option("--graph", "graph_dir", default="output", show_default=True,
                         type=click.Path(), help="Folder of a build (holds graph.json).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kgraph")
def cli() -> None:
    """Build knowledge graphs of machine-learning papers: methods, datasets, metrics,
    tasks and code links extracted from titles and abstracts."""


jobs_opt = click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
                        help="Worker processes for extraction (default: every core; "
                             "inputs under 1,000 papers per worker use fewer).")
scheduler_opt = click.option("--scheduler", metavar="ADDRESS",
                             help="Extract on a Dask cluster: its scheduler address, "
                                  "e.g. tcp://HOST:8786.")
engine_opt = click.option("--engine", type=click.Choice(["local", "dask"]), default=None,
                          help="Where extraction runs: local worker processes, or Dask "
                               "(a local Dask cluster of --jobs workers without "
                               "--scheduler). Default: dask with --scheduler, else local.")


@cli.command()
@input_args
@click.option("-o", "--output", "out_dir", default=None, type=click.Path(file_okay=False),
              help="Output folder.  [default: output]")
@click.option("--update", "update_dir", metavar="DIR", type=click.Path(file_okay=False),
              help="Add INPUT to the build in DIR: extract only papers (or texts) it has "
                   "not seen, then rewrite its outputs.")
@format_opt
@lexicon_opt
@skip_bad_opt
@jobs_opt
@scheduler_opt
@engine_opt
@_handle_errors
def build(inputs, out_dir, update_dir, fmt, lexicons, skip_bad, jobs, scheduler, engine):
    """Build the graph and every output from INPUT files.

    INPUT is a feed page (.txt), JSON Lines (.jsonl, .jsonl.gz), a JSON array
    (.json) or CSV (.csv) with title and abstract; '-' reads standard input.
    Writes extractions.jsonl, graph.json, graph.graphml, graph.html, neo4j/,
    graph.lbdb/ and build-state.jsonl (what --update reads).
    """
    from kgraph.workflow import build as run_build
    from kgraph.workflow import update as run_update

    log = _skip_log(skip_bad)
    options = dict(fmt=fmt, lexicons=lexicons, progress=_progress_factory(), jobs=jobs,
                   scheduler=scheduler, engine=engine, on_bad=log)
    if update_dir is not None:
        if out_dir is not None and os.path.abspath(out_dir) != os.path.abspath(update_dir):
            raise click.UsageError("--update DIR writes into DIR; leave out -o or give the "
                                   "same folder")
        report = run_update(update_dir, inputs, **options)
    else:
        report = run_build(inputs, out_dir or "output", **options)
    t = report.timings
    click.echo(f"{report.records} records, {report.papers} unique papers -> "
               f"{report.nodes} nodes, {report.relationships} relationships")
    reused = report.papers - report.extracted
    noun = "paper" if report.extracted == 1 else "papers"
    click.echo(f"extracted {report.extracted} {noun} ({report.engine})"
               + (f", reused {reused} from the previous build" if update_dir else ""))
    click.echo("time: " + ", ".join(f"{k} {v:.2f}s" for k, v in t.items())
               + f", total {sum(t.values()):.2f}s")
    click.echo("export: " + ", ".join(f"{k} {v:.2f}s" for k, v in report.output_timings.items()))
    for path in report.outputs:
        click.echo(f"  wrote {path}")
    for note in report.notes:
        click.echo(f"note: {note}")
    if log is not None:
        click.echo(log.summary(), err=True)


@cli.command()
@input_args
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
              help="The extractions.jsonl file to write, or '-' for standard output "
                   "(required unless --explain).")
@format_opt
@lexicon_opt
@click.option("--explain", is_flag=True,
              help="Print, per paper, each entity (type, canonical name, proposed) and "
                   "the rule or lexicon entry behind each mention, and the results.")
@skip_bad_opt
@jobs_opt
@scheduler_opt
@engine_opt
@_handle_errors
def extract(inputs, output, fmt, lexicons, explain, skip_bad, jobs, scheduler, engine):
    """Extract entities and numeric results from INPUT files into a JSON Lines file
    (no graph)."""
    log = _skip_log(skip_bad)
    if explain:
        if output == "-":
            raise click.UsageError("--explain prints to standard output: give -o a file")
        from kgraph.workflow import explain as run_explain

        blocks = run_explain(inputs, output, fmt=fmt, lexicons=lexicons,
                             progress=_progress_factory(), on_bad=log)
        click.echo("\n\n".join(blocks))
        if output:
            click.echo(f"{len(blocks)} papers -> {output}", err=True)
        if log is not None:
            click.echo(log.summary(), err=True)
        return
    if not output:
        raise click.UsageError("give -o FILE (or -o - for standard output), or --explain")
    from kgraph.workflow import extract as run_extract

    n = run_extract(inputs, output, fmt=fmt, lexicons=lexicons, progress=_progress_factory(),
                    jobs=jobs, scheduler=scheduler, engine=engine, on_bad=log)
    if output != "-":
        click.echo(f"{n} papers -> {output}", err=True)
    if log is not None:
        click.echo(log.summary(), err=True)


_ENTITY_OPTIONS = (("dataset", "Dataset"), ("method", "Method"), ("metric", "Metric"),
                   ("task", "Task"))


@cli.command()
@click.option("--dataset", help="Dataset name or alias.")
@click.option("--method", help="Method name or alias.")
@click.option("--metric", help="Metric name or alias.")
@click.option("--task", help="Task name or alias.")
@graph_opt
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_handle_errors
def papers(dataset, method, metric, task, graph_dir, as_json):
    """List the papers that use an entity (alias-aware; suggests near names)."""
    from kgraph.workflow import find_papers

    given = [(t, v) for t, v in zip((o for o, _ in _ENTITY_OPTIONS),
                                    (dataset, method, metric, task)) if v]
    if len(given) != 1:
        raise click.UsageError("give exactly one of --dataset, --method, --metric, --task")
    etype, name = given[0]
    found = find_papers(graph_dir, name, etype)
    rows = [{"id": pid, "title": title} for pid, title in found.papers]
    if as_json:
        click.echo(json.dumps({"entity": found.name, "papers": rows},
                              ensure_ascii=False, indent=1))
        return
    click.echo(f"{found.name} ({etype}): {len(rows)} papers")
    for r in rows:
        click.echo(f"  {r['id']}  {r['title']}")


@cli.command()
@click.argument("paper")
@graph_opt
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1),
              help="How many papers.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_handle_errors
def related(paper, graph_dir, top, as_json):
    """Papers related to PAPER (id or title), ranked, with the shared entities."""
    from kgraph.graph import find_paper, related_papers
    from kgraph.workflow import load_graph

    G = load_graph(graph_dir)
    node = find_paper(G, paper)
    ranked = related_papers(G, node, top=top)
    if as_json:
        click.echo(json.dumps({
            "paper": {"id": G.nodes[node]["id"], "title": G.nodes[node]["title"]},
            "related": [{"id": G.nodes[r.paper]["id"], "title": G.nodes[r.paper]["title"],
                         "score": r.score,
                         "shared": [{"label": G.nodes[e]["label"], "name": G.nodes[e]["name"],
                                     "idf": round(w, 4)} for e, w in r.shared]}
                        for r in ranked]}, ensure_ascii=False, indent=1))
        return
    click.echo(f"{G.nodes[node]['id']}  {G.nodes[node]['title']}")
    if not ranked:
        click.echo("  no paper shares an entity with it")
    for r in ranked:
        reasons = ", ".join(f"{G.nodes[e]['label']} {G.nodes[e]['name']}" for e, _ in r.shared[:6])
        click.echo(f"  {r.score:6.2f}  {G.nodes[r.paper]['id']}  {G.nodes[r.paper]['title']}")
        click.echo(f"          shares: {reasons}")


@cli.command()
@graph_opt
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_handle_errors
def stats(graph_dir, as_json):
    """Summary statistics of a built graph."""
    from kgraph.graph import graph_stats
    from kgraph.workflow import load_graph

    s = graph_stats(load_graph(graph_dir))
    if as_json:
        click.echo(json.dumps(s, ensure_ascii=False, indent=1))
        return
    click.echo(f"nodes: {s['nodes']}   relationships: {s['relationships']}")
    click.echo("labels: " + ", ".join(f"{k} {v}" for k, v in s["labels"].items()))
    click.echo("relationships: " + ", ".join(f"{k} {v}" for k, v in
                                             s["relationship_types"].items()))
    click.echo(f"papers with code: {s['papers_with_code']}; "
               f"papers without entities: {s['papers_without_entities']}")
    for label, items in s["top"].items():
        click.echo(f"top {label}: " + ", ".join(f"{n} ({c})" for n, c in items))


neo4j_user_opt = click.option("--user", envvar="NEO4J_USERNAME", default="neo4j",
                              show_default=True, help="Neo4j user (env NEO4J_USERNAME).")
neo4j_password_opt = click.option("--password", envvar="NEO4J_PASSWORD",
                                  help="Neo4j password (env NEO4J_PASSWORD).")
neo4j_database_opt = click.option("--database", default=None,
                                  help="Database name (default: the server's default).")


@cli.command()
@click.argument("cypher", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(dir_okay=False),
              help="Run the query in this .cypher file (see queries/).")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Query parameter; VALUE is read as JSON when it parses, else as text. "
                   "Repeatable.")
@graph_opt
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="Output format.")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds before the query is cancelled.")
@click.option("--neo4j", "neo4j_uri", metavar="URI",
              help="Run on a Neo4j server (bolt://HOST:PORT, neo4j://...) instead of the "
                   "embedded database.")
@neo4j_user_opt
@neo4j_password_opt
@neo4j_database_opt
@_handle_errors
def query(cypher, query_file, params, graph_dir, fmt, timeout, neo4j_uri, user, password,
          database):
    """Run a Cypher query on the graph (embedded database, or a Neo4j server).

    Give the query as CYPHER or with -f FILE; a file's header may declare parameter
    defaults, which -p overrides.
    """
    from kgraph.query.format import format_result, parse_params, read_query_file

    if bool(cypher) == bool(query_file):
        raise click.UsageError("give a CYPHER query or -f FILE (one of them)")
    values, defaults = {}, {}
    if query_file:
        cypher, header = read_query_file(query_file)
        defaults = header.get("defaults", {})
        values.update(defaults)
    values.update(parse_params(params, defaults=defaults))
    if neo4j_uri:
        from kgraph.query.bolt import run_bolt

        result = run_bolt(neo4j_uri, user, password or "", cypher, values, database=database,
                          timeout=timeout)
    else:
        from kgraph.query.embedded import run_embedded

        result = run_embedded(graph_dir, cypher, values, timeout=timeout)
    click.echo(format_result(result, fmt), nl=not fmt == "csv")


@cli.group()
def export() -> None:
    """Send a built graph to another system."""


@export.command("neo4j")
@graph_opt
@click.option("--uri", envvar="NEO4J_URI", required=True,
              help="Server address, e.g. bolt://localhost:7687 (env NEO4J_URI).")
@neo4j_user_opt
@neo4j_password_opt
@neo4j_database_opt
@click.option("--batch-size", default=1000, show_default=True, type=click.IntRange(min=1),
              help="Rows per UNWIND batch (one transaction each).")
@_handle_errors
def export_neo4j(graph_dir, uri, user, password, database, batch_size):
    """Write the graph into a Neo4j database, idempotently (MERGE on unique keys)."""
    from kgraph.export.neo4j_live import export_to_neo4j
    from kgraph.workflow import load_graph

    G = load_graph(graph_dir)
    factory = _progress_factory()
    state = {"tick": None, "done": 0}

    def progress(done: int, total: int, description: str) -> None:
        if factory is None:
            return
        if state["tick"] is None:
            state["tick"] = factory(total, "Exporting")
        state["tick"](done - state["done"])
        state["done"] = done

    report = export_to_neo4j(G, uri, user, password or "", database=database,
                             batch_size=batch_size, progress=progress)
    click.echo(f"{report['server']} at {report['uri']}: "
               f"{sum(report['nodes'].values())} nodes and "
               f"{sum(report['relationships'].values())} relationships sent in "
               f"{report['batches']} batches, {report['seconds']:.1f}s")
    click.echo(f"created {report['nodes_created']} nodes, "
               f"{report['relationships_created']} relationships; "
               f"set {report['properties_set']} properties")
    for warning in report.get("warnings", []):
        click.echo(f"warning: {warning}", err=True)


@cli.command()
@graph_opt
@click.option("--dataset", help="Dataset name or alias.")
@click.option("--method", help="Method name or alias.")
@click.option("--metric", help="Metric name or alias.")
@click.option("--task", help="Task name or alias.")
@click.option("--paper", help="Paper id or title: the paper, its entities, related papers.")
@click.option("--top", type=click.IntRange(min=1), help="Overview of the top N nodes.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The .html file to write.")
@click.option("--title", help="Page title (default: what the view shows).")
@_handle_errors
def view(graph_dir, dataset, method, metric, task, paper, top, output, title):
    """Write an HTML page of a focused sub-graph: an entity and its papers, a paper and
    its related papers, or an overview of the top N nodes."""
    from kgraph.export.html import write_html
    from kgraph.graph.views import focus_entity, focus_paper, top_overview
    from kgraph.workflow import load_graph

    given = [(k, v) for k, v in (("dataset", dataset), ("method", method), ("metric", metric),
                                 ("task", task), ("paper", paper), ("top", top)) if v]
    if len(given) != 1:
        raise click.UsageError("give exactly one of --dataset, --method, --metric, --task, "
                               "--paper, --top")
    kind, value = given[0]
    G = load_graph(graph_dir)
    if kind == "paper":
        H = focus_paper(G, value)
    elif kind == "top":
        H = top_overview(G, value)
    else:
        H = focus_entity(G, value, kind)
    path = write_html(H, output, title=title or f"kgraph: {kind} {value}")
    click.echo(f"{H.number_of_nodes()} nodes, {H.number_of_edges()} relationships -> {path}")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="kgraph")
