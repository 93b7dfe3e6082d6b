"""``accountability schema`` and ``bench``: for the people who work on this code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from accountability import gc_policy
from accountability.cli import render
from accountability.settings import PROJECT_ROOT


def write_schema(
    out_dir: Annotated[Path, typer.Option(help="Folder to write into.")] = Path("schema"),
) -> None:
    """Write the GraphQL SDL and the interchange JSON Schema."""
    from accountability.schema_files import write_all

    for path in write_all(out_dir):
        render.note(f"wrote {path}")


def bench(
    claims: Annotated[list[int] | None, typer.Option(help="Graph sizes, in claims.")] = None,
    lookups: Annotated[int, typer.Option(help="Lookups timed per path.")] = 1000,
    data_dir: Annotated[Path | None, typer.Option(help="Where the scratch data goes.")] = None,
    trace: Annotated[bool, typer.Option(help="Run the trace benchmark instead.")] = False,
    scale: Annotated[float, typer.Option(help="Trace graph size; 1.6 is ~1M elements.")] = 1.6,
    samples: Annotated[
        int,
        typer.Option(min=1, help="Incidents and charts timed; with --protection, writes timed."),
    ] = 200,
    heap_mb: Annotated[int, typer.Option(help="Engine heap for the trace graph.")] = 3072,
    audit: Annotated[
        int,
        typer.Option(help="Time audit verify over this many entries, and token checks, instead."),
    ] = 0,
    export: Annotated[
        int, typer.Option(help="Time the export of a case of this many entities, instead.")
    ] = 0,
    protection: Annotated[
        bool,
        typer.Option(
            help="Time text writes with 1,000 protected persons, and re-masking 100,000 "
            "texts when one more is protected, instead."
        ),
    ] = False,
    trace_parallel: Annotated[
        bool,
        typer.Option(
            help="Time traces over parallel reporting lines (several sources for each "
            "level), instead; --samples is the rounds."
        ),
    ] = False,
    durability: Annotated[
        bool,
        typer.Option(
            help="Time the whole-graph export and audit verify at ~100k and ~1M elements "
            "on the default heap, and backup and restore at ~1M, instead; --data-dir keeps "
            "the graphs for the next run."
        ),
    ] = False,
    elements: Annotated[
        int,
        typer.Option(
            help="Time caseMatrix on a case of this many entities, and notice and "
            "liabilityElements on --samples superior links, instead; --elements-scale sets "
            "the graph (1.6 is ~1M elements; 0: about twice the case)."
        ),
    ] = 0,
    elements_scale: Annotated[
        float, typer.Option(help="The graph of --elements (0: about twice the case).")
    ] = 0.0,
    peer: Annotated[
        bool,
        typer.Option(
            help="Nested reads side by side with the Neo4j GraphQL Library and the raw "
            "driver over one engine, instead; --data-dir keeps the graph for the next run "
            "(more options: python -m benchmarks.peer_bench --help)."
        ),
    ] = False,
) -> None:
    """Measure import rate, lookup latency and throughput against the raw driver; with
    --trace, trace and commandChart latency on a graph of about a million elements."""
    # The benchmarks build scratch graphs of their own and act on them as they need;
    # they never touch the data folder the other commands use. Each is imported only
    # when run: they pull in generators the other commands do not need.
    # The benchmarks sit beside the package (benchmarks/), in the source tree, not in
    # what is installed: this command is their entry point from a clone.
    if not (PROJECT_ROOT / "benchmarks" / "__init__.py").is_file():
        render.error("the benchmarks are in the source tree (benchmarks/): run this from a clone")
        raise typer.Exit(1)
    sys.path.insert(0, str(PROJECT_ROOT))
    # The work a benchmark times in this process (an import, an export, the matrix) runs
    # under the collector's settings of the service and of the other commands.
    gc_policy.settle()
    if peer:
        from benchmarks.peer_bench import main as run_peer_bench

        run_peer_bench([] if data_dir is None else ["--data-dir", str(data_dir)])
        return
    if durability:
        from benchmarks.durability_bench import main as run_durability_bench

        run_durability_bench(data_dir)
        return
    if trace_parallel:
        from benchmarks.parallel_bench import main as run_parallel_bench

        run_parallel_bench(min(samples, 50))
        return
    if protection:
        from benchmarks.protection_bench import main as run_protection_bench

        run_protection_bench(samples, 100_000, min(heap_mb, 1536), data_dir)
        return
    if elements:
        from benchmarks.elements_bench import main as run_elements_bench

        run_elements_bench(elements, elements_scale, min(samples, 50), heap_mb, data_dir)
        return
    if export:
        from benchmarks.export_bench import main as run_export_bench

        run_export_bench(export, min(heap_mb, 1024))
        return
    if audit:
        from benchmarks.audit_bench import main as run_audit_bench

        run_audit_bench(audit)
        return
    if trace:
        from benchmarks.trace_bench import main as run_trace_bench

        run_trace_bench(scale, samples, data_dir, heap_mb)
        return
    from benchmarks.runner import main as run_bench

    run_bench(claims or [10_000, 100_000], lookups, data_dir)


def register(app: typer.Typer) -> None:
    app.command("schema")(write_schema)
    app.command("bench")(bench)
