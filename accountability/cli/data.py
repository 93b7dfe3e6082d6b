"""``accountability demo``, ``import`` and ``imports``: data into the graph, as the
command's viewer, and the journal of what came in."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from accountability.cli import ingest, render, session
from accountability.cli.ingest import ImportFormat
from accountability.domain.imports import (
    ImportRun,
    ImportSource,
    RunKind,
    RunStatus,
    document_digest,
)
from accountability.domain.redaction import Viewer
from accountability.errors import Conflict
from accountability.services.container import Services
from accountability.services.ingest.interchange import ImportReport
from accountability.services.ingest.undo import UndoReport


def load_demo() -> None:
    """Load the fictional demo case (idempotent)."""
    from accountability.demo import demo_document

    document = demo_document()
    source = ImportSource("demo", document_digest(document))
    report = session.run(
        lambda s, viewer: s.interchange.import_document(_loader(viewer), document, source=source)
    )
    render.note(f"demo case loaded: {report.nodes} nodes, {report.claims} claims")


def _loader(viewer: Viewer) -> Viewer:
    """Who loads the demo. The operator (an admin who reads masked) loads it cleared, as
    ``serve --demo`` does: its protected names are fiction in the project's source, so
    judging it against the operator's masked view (which refuses an uncleared re-import
    of protected names) guards nothing, and loading it twice must work. A token's holder
    loads it as themself."""
    return dataclasses.replace(viewer, masked=False) if viewer.masked else viewer


def import_file(
    files: Annotated[
        list[Path] | None,
        typer.Argument(exists=True, readable=True, show_default=False, metavar="FILE..."),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            exists=True,
            dir_okay=False,
            readable=True,
            help="Read the CSV/XLSX FILEs through this YAML mapping (docs/import.md).",
        ),
    ] = None,
    fmt: Annotated[
        ImportFormat,
        typer.Option(
            "--format",
            help="interchange (JSON), sfm (Security Force Monitor CSV files or folders) or "
            "ftm (FollowTheMoney JSON lines).",
        ),
    ] = ImportFormat.INTERCHANGE,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Check everything and say what would be created and changed."
        ),
    ] = False,
    undo: Annotated[
        str | None,
        typer.Option(
            "--undo",
            metavar="ID",
            help="Undo that import instead (an id from 'accountability imports'): remove "
            "what it created, put back what it changed.",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            help="With --undo: also put back records written since the import (nodes "
            "that later claims depend on are kept)."
        ),
    ] = False,
) -> None:
    """Import an interchange JSON file, spreadsheets by a mapping, or SFM or FtM data: all
    of it, or nothing if any record is bad. Every import is journaled; one cut short is
    completed by importing the same files again."""
    if (not files) == (undo is None):
        render.error("give a FILE to import, or --undo ID")
        raise typer.Exit(2)
    if undo is not None:
        _undo(undo, force)
        return
    assert files
    if mapping is not None or fmt is not ImportFormat.INTERCHANGE or dry_run:
        ingest.import_mapped(files, mapping, fmt, dry_run)
        return
    if len(files) != 1 or files[0].is_dir():
        render.error("an interchange import reads one JSON file")
        raise typer.Exit(2)
    file = files[0]
    raw = file.read_bytes()
    try:
        document = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        render.error(f"{file} is not valid JSON: {exc}")
        raise typer.Exit(1) from None
    total = (
        len(document.get("nodes", [])) + len(document.get("claims", []))
        if isinstance(document, dict)
        else 0
    )
    source = ImportSource(file.name, hashlib.sha256(raw).hexdigest())
    # A bar on a terminal; in a log (no terminal), a line a part.
    lines = not render.err.is_terminal

    async def work(services: Services, viewer: Viewer) -> ImportReport:
        with render.progress("importing") as bar:
            task = bar.add_task("import", total=total)
            done = 0

            def started(run: ImportRun) -> None:
                resumes = f"; it resumes {', '.join(run.resumes)}" if run.resumes else ""
                render.note(f"import {run.id}: checking {total} records of {file}{resumes}")

            def advance(n: int) -> None:
                nonlocal done
                done += n
                bar.advance(task, n)
                if lines:
                    render.note(f"{done} of {total} records written")

            return await services.interchange.import_document(
                viewer, document, advance, source=source, started=started
            )

    report = session.run(work)
    already = (
        f"; {report.skipped} of them had been written by the interrupted run it completes"
        if report.skipped
        else ""
    )
    render.note(
        f"imported {report.nodes} nodes and {report.claims} claims from {file} "
        f"(import {report.run_id}){already}"
    )


def _undo(run_id: str, force: bool) -> None:
    async def work(services: Services, viewer: Viewer) -> UndoReport:
        with render.progress("undoing") as bar:
            task = bar.add_task("undo", total=None)
            try:
                return await services.import_undo.undo(
                    viewer, run_id, force, lambda n: bar.advance(task, n)
                )
            except Conflict as exc:
                if exc.problems:
                    render.table(
                        ("record", "written since the import"),
                        ((p.where, p.message) for p in exc.problems),
                        title="not undone",
                    )
                raise

    report = session.run(work)
    also = [r for r in report.undone if r != run_id]
    render.note(
        f"undid import {run_id}"
        + (f" (and the interrupted runs it completed: {', '.join(also)})" if also else "")
        + f": removed {report.removed_nodes} nodes and {report.removed_claims} claims, "
        f"restored {report.restored_nodes} nodes and {report.restored_claims} claims "
        f"(undo {report.run_id})"
    )
    if report.overridden:
        render.note(f"put back over later writes: {', '.join(report.overridden[:20])}")
    if report.kept:
        render.note(
            f"kept {len(report.kept)} nodes that later records depend on: "
            f"{', '.join(report.kept[:20])}"
        )


def list_imports(
    first: Annotated[int, typer.Option(help="How many runs, newest first.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="As JSON.")] = False,
) -> None:
    """The import journal: every import and undo, newest first, with its status. An
    interrupted one was cut short: import the same file again, or undo it."""
    runs, _, _ = session.run(lambda s, viewer: s.imports.page(viewer, first, None))
    if as_json:
        render.print_json([_as_json(r) for r in runs])
        return
    render.table(
        ("id", "status", "file", "records", "started", "finished", "by", "notes"),
        (
            (
                r.id,
                r.status.value,
                r.file,
                f"{r.written + r.skipped}/{r.planned}",
                r.started_at,
                r.finished_at or "",
                r.actor,
                _notes(r),
            )
            for r in runs
        ),
    )


def _notes(run: ImportRun) -> str:
    notes = []
    if run.kind is RunKind.UNDO:
        notes.append(f"undoes {run.target}")
    if run.resumes:
        notes.append(f"resumes {', '.join(run.resumes)}")
    if run.resumed_by:
        notes.append(f"completed by {run.resumed_by}")
    if run.undone_by:
        notes.append(f"undone by {run.undone_by}")
    if run.status is RunStatus.REJECTED:
        notes.append(f"{run.problems} problems")
    if run.status is RunStatus.INTERRUPTED:
        notes.append("import the file again, or undo it")
    return "; ".join(notes)


def _as_json(run: ImportRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "kind": run.kind.value,
        "status": run.status.value,
        "file": run.file,
        "sha256": run.sha256,
        "actor": run.actor,
        "role": run.role,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "planned": run.planned,
        "written": run.written,
        "skipped": run.skipped,
        "problems": run.problems,
        "host": run.process.host,
        "pid": run.process.pid,
        "resumes": list(run.resumes),
        "resumed_by": run.resumed_by,
        "undone_by": run.undone_by,
        "target": run.target,
    }


def register(app: typer.Typer) -> None:
    app.command("demo")(load_demo)
    app.command("import")(import_file)
    app.command("imports")(list_imports)
