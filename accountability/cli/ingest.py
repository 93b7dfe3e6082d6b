"""``accountability import --mapping`` and ``--format sfm|ftm``: spreadsheets and
published datasets read into interchange records, then imported as any file is."""

from __future__ import annotations

import sys
from collections import Counter
from enum import StrEnum
from pathlib import Path

import typer

from accountability.cli import render, session
from accountability.domain.imports import ImportRun
from accountability.domain.redaction import Viewer
from accountability.errors import ValidationFailed
from accountability.services.container import Services
from accountability.services.ingest.ftm import prepare_ftm
from accountability.services.ingest.interchange import ImportReport
from accountability.services.ingest.mapping.service import (
    DryRun,
    MappingImport,
    Prepared,
    describe,
    load_mapping,
    read_inputs,
)
from accountability.services.ingest.mapping.tables import InputFile


class ImportFormat(StrEnum):
    INTERCHANGE = "interchange"
    SFM = "sfm"
    FTM = "ftm"


def _print_problems(exc: ValidationFailed) -> None:
    """One line a problem, ``file:row:column: reason``, as compilers print them (an editor
    or grep can jump to each)."""
    for p in exc.problems:
        print(f"{p.where}: {p.message}", file=sys.stderr)
    print(f"{len(exc.problems)} problem(s); nothing was written", file=sys.stderr)


def _mapping_for(mapping: Path | None, fmt: ImportFormat) -> tuple[bytes, str]:
    if fmt is ImportFormat.SFM:
        from accountability.services.ingest.sfm import sfm_mapping_text

        return sfm_mapping_text().encode(), "sfm.yml"
    if mapping is None:
        render.error("--dry-run and spreadsheets need --mapping M.yml (or --format sfm)")
        raise typer.Exit(2)
    return mapping.read_bytes(), mapping.name


def import_mapped(
    files: list[Path], mapping: Path | None, fmt: ImportFormat, dry_run: bool
) -> None:
    """Import spreadsheets by a mapping (SFM's by the shipped one), or FtM entities."""
    if fmt is ImportFormat.INTERCHANGE and mapping is None:
        render.error("--dry-run applies to --mapping, --format sfm and --format ftm imports")
        raise typer.Exit(2)
    if fmt is ImportFormat.FTM:
        inputs = [InputFile.read(p) for p in _ftm_files(files)]
        name = "ftm"
    else:
        raw, name = _mapping_for(mapping, fmt)
        try:
            spec = load_mapping(raw.decode("utf-8"), name)
        except ValidationFailed as exc:
            _print_problems(exc)
            raise typer.Exit(1) from None
        inputs = read_inputs(files)
    label = f"{name}: {', '.join(f.name for f in inputs)}"[:500]
    unsupported: Counter[str] = Counter()

    transform = None
    if fmt is ImportFormat.SFM:
        from accountability.services.ingest.sfm import prepare_rows

        transform = prepare_rows

    async def prepare(services: Services, viewer: Viewer) -> tuple[MappingImport, Prepared]:
        importer = MappingImport(services.interchange)
        if fmt is ImportFormat.FTM:
            prepared, skipped = await prepare_ftm(importer, inputs, label)
            unsupported.update(skipped)
            return importer, prepared
        return importer, await importer.prepare(spec, raw, inputs, label, transform)

    async def work(services: Services, viewer: Viewer) -> ImportReport | DryRun:
        try:
            return await _work(services, viewer)
        except ValidationFailed as exc:
            _print_problems(exc)
            raise typer.Exit(1) from None

    async def _work(services: Services, viewer: Viewer) -> ImportReport | DryRun:
        importer, prepared = await prepare(services, viewer)
        render.note(
            f"read {prepared.compiled.rows} rows or entities of {len(inputs)} file(s): "
            f"{prepared.records} records"
        )
        if dry_run:
            return await importer.dry_run(prepared)
        lines = not render.err.is_terminal
        with render.progress("importing") as bar:
            task = bar.add_task("import", total=prepared.records)
            done = 0

            def started(run: ImportRun) -> None:
                render.note(f"import {run.id}: writing {prepared.records} records")

            def advance(n: int) -> None:
                nonlocal done
                done += n
                bar.advance(task, n)
                if lines:
                    render.note(f"{done} of {prepared.records} records written")

            return await importer.run(viewer, prepared, advance, started)

    result = session.run(work)
    if unsupported:
        # Reported, never dropped silently: FtM has many schemata the graph has no use for.
        render.note(
            f"entities of schemata with no counterpart, not imported: {describe(unsupported)}"
        )
    if isinstance(result, DryRun):
        _show_dry_run(result)
        return
    render.note(
        f"imported {result.nodes} nodes and {result.claims} claims from {len(inputs)} "
        f"file(s) (import {result.run_id})"
    )


def _ftm_files(paths: list[Path]) -> list[Path]:
    """The FtM files given, folders expanded to their .json and .jsonl files."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.iterdir() if p.suffix in (".json", ".jsonl", ".ftm"))
        else:
            out.append(path)
    return out


def _show_dry_run(plan: DryRun) -> None:
    print(f"rows read: {plan.rows}")
    print(f"nodes to create: {describe(plan.new_nodes)}")
    print(f"nodes to change: {describe(plan.changed_nodes)}")
    print(f"nodes already as in the files: {describe(plan.same_nodes)}")
    print(f"claims to create: {describe(plan.new_claims)}")
    print(f"claims already stored (evidence may be added): {describe(plan.known_claims)}")
    for block, n in sorted(plan.skipped.items()):
        print(f"rows that made no claim of {block}: {n} (an end's key is empty)")
    print("dry run: nothing was written")
