"""``accountability export`` and ``verify-bundle``: exports of a case, a trace or the
whole graph, and the check of a bundle against its manifest."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from accountability.cli import render, session
from accountability.domain.export_profiles import ExportProfile
from accountability.domain.redaction import Viewer
from accountability.services.container import Services
from accountability.services.exports import bundle
from accountability.services.exports.service import ExportResult, Scope


def export_command(
    case: Annotated[str | None, typer.Option("--case", help="Export this case file.")] = None,
    incident: Annotated[
        str | None, typer.Option("--incident", help="Export this incident's trace.")
    ] = None,
    profile: Annotated[
        ExportProfile, typer.Option(help="Who it is for; your role may make it stricter.")
    ] = ExportProfile.COURT,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="A .zip writes the bundle (every format and a manifest); any other name "
            "the interchange JSON. Default: the JSON on stdout.",
        ),
    ] = None,
    max_depth: Annotated[int, typer.Option(help="Trace depth for the brief.")] = 6,
) -> None:
    """Export a case, a trace, or (admins) the whole graph; every export is audited."""
    if case and incident:
        render.error("give --case or --incident, not both")
        raise typer.Exit(2)
    scope = Scope(
        "case" if case else "trace" if incident else "graph",
        case or incident,
        max_depth=max_depth,
    )
    # Without --out the export is written to a scratch file, then copied to stdout.
    target = out or Path(tempfile.mkdtemp()) / "export.json"

    async def work(s: Services, viewer: Viewer) -> ExportResult:
        with render.progress("exporting", shown=out is not None) as bar:
            task = bar.add_task("export", total=None)
            return await s.exports.export(
                viewer,
                scope,
                profile,
                target,
                lambda done, total: bar.update(task, completed=done, total=total),
            )

    try:
        result = session.run(work)
        if out is None:
            with target.open(encoding="utf-8") as f:
                shutil.copyfileobj(f, sys.stdout)
    finally:
        if out is None:
            shutil.rmtree(target.parent, ignore_errors=True)
    shown = (
        f"; asked for {result.requested.value}"
        if result.requested.value != result.meta.profile
        else ""
    )
    render.note(
        f"exported {result.nodes} nodes and {result.claims} claims under the "
        f"{result.meta.profile} profile{shown}" + (f" to {out}" if out else "")
    )
    if result.manifest_sha256:
        render.note(f"manifest sha256 {result.manifest_sha256} (recorded in the audit log)")


def verify_bundle_command(
    path: Annotated[Path, typer.Argument(help="The bundle (.zip) to check.")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Check a bundle against its manifest: every file present, unaltered, and listed."""
    # The file alone is checked: no database, so no viewer.
    result = bundle.verify(path)
    if as_json:
        render.print_json(
            {
                "ok": result.ok,
                "checked": result.checked,
                "manifest_sha256": result.manifest_sha256,
                "problems": result.problems,
            }
        )
    elif result.ok:
        m = result.manifest
        render.note(
            f"[green]bundle verified[/green]: {result.checked} files match the manifest "
            f"({m.get('scope')} {m.get('subject') or ''}, profile "
            f"{m.get('profile', {}).get('effective')}, exported by "
            f"{m.get('exported_by', {}).get('name')} at {m.get('exported_at')}); "
            f"manifest sha256 {result.manifest_sha256}"
        )
    else:
        render.note(f"[red]bundle rejected[/red]: {len(result.problems)} problem(s)")
        for problem in result.problems:
            render.note(f"  {problem}")
    if not result.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("export")(export_command)
    app.command("verify-bundle")(verify_bundle_command)
