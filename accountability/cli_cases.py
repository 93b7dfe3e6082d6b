"""Commands for case files and exports: ``case …``, ``export``, ``verify-bundle``."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from accountability.cli_common import acting_as, err, run_with_services
from accountability.domain.export_profiles import ExportProfile
from accountability.domain.vocabulary import NodeLabel
from accountability.services.cases import CaseChange
from accountability.services.container import Services
from accountability.services.exports import bundle
from accountability.services.exports.service import ExportResult, Scope
from accountability.services.nodes import NodeFilter

case_app = typer.Typer(no_args_is_help=True, help="Case files: the entities a case gathers.")


def _report(change: CaseChange, verb: str, other: str) -> None:
    err.print(f"{verb} {len(change.changed)} entities ({len(change.unchanged)} {other})")
    for entity_id in change.changed:
        print(entity_id)


@case_app.command("create")
def case_create(
    title: Annotated[str, typer.Option(help="The case's title.")],
    jurisdiction: Annotated[str | None, typer.Option(help="Court or jurisdiction.")] = None,
    status: Annotated[str | None, typer.Option(help="e.g. open, filed, closed.")] = None,
    case_id: Annotated[str | None, typer.Option("--id", help="An id (default: generated).")] = None,
) -> None:
    """Create an empty case file and print its id."""
    props = {"title": title, "jurisdiction": jurisdiction, "status": status}
    props = {k: v for k, v in props.items() if v is not None}
    record = run_with_services(lambda s: s.cases.create(acting_as(), props, case_id))
    print(record.id)


@case_app.command("add")
def case_add(
    case_id: Annotated[str, typer.Argument(help="The case's id.")],
    ids: Annotated[list[str], typer.Argument(help="Entity ids; a claim id adds both ends.")],
) -> None:
    """Add entities to a case."""
    change = run_with_services(lambda s: s.cases.add(acting_as(), case_id, ids))
    _report(change, "added", "already in the case")


@case_app.command("add-trace")
def case_add_trace(
    case_id: Annotated[str, typer.Argument(help="The case's id.")],
    incident_id: Annotated[str, typer.Argument(help="The incident to trace.")],
    max_depth: Annotated[int, typer.Option(help="How far to climb command chains.")] = 6,
    leads: Annotated[
        bool, typer.Option("--leads", help="Also add persons only present (leads).")
    ] = False,
) -> None:
    """Add an incident, its place and victims, and everyone its trace links to it, with
    the nodes and evidence of each path."""
    change = run_with_services(
        lambda s: s.cases.add_from_trace(acting_as(), case_id, incident_id, max_depth, leads)
    )
    _report(change, "added", "already in the case")


@case_app.command("remove")
def case_remove(
    case_id: Annotated[str, typer.Argument(help="The case's id.")],
    ids: Annotated[list[str], typer.Argument(help="Entity ids to take out.")],
    reason: Annotated[str, typer.Option(help="Why (kept with the retracted inclusion).")],
) -> None:
    """Take entities out of a case (the inclusion is retracted, and kept)."""
    change = run_with_services(lambda s: s.cases.remove(acting_as(), case_id, ids, reason))
    _report(change, "removed", "were not in the case")


@case_app.command("list")
def case_list() -> None:
    """Every case file with how many entities it holds."""

    async def work(s: Services) -> list[tuple[str, str, str, int]]:
        page = await s.nodes.list(
            NodeLabel.CASE, NodeFilter(), "id", s.nodes.max_page_size, None, acting_as()
        )
        out = []
        for record in page.items:
            counts = await s.cases.counts(record.id, acting_as())
            p = record.properties
            out.append(
                (record.id, str(p.get("title")), str(p.get("status") or ""), sum(counts.values()))
            )
        return out

    table = Table()
    for column in ("id", "title", "status", "entities"):
        table.add_column(column)
    for row in run_with_services(work):
        table.add_row(*row[:3], str(row[3]))
    Console().print(table)


@case_app.command("show")
def case_show(case_id: Annotated[str, typer.Argument(help="The case's id.")]) -> None:
    """The entities of a case, by label."""

    async def work(s: Services) -> list[tuple[str, str, str]]:
        members = await s.cases.members(case_id)
        records = await s.nodes.get_many([m.id for m in members], acting_as())
        out = []
        for m in members:
            p = records[m.id].properties if m.id in records else {}
            out.append((m.label.value, m.id, str(p.get("name") or p.get("title") or "")))
        return sorted(out)

    table = Table(title=f"Case {case_id}", title_justify="left")
    for column in ("label", "id", "name"):
        table.add_column(column)
    for row in run_with_services(work):
        table.add_row(*row)
    Console().print(table)


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
        err.print("[red]error:[/red] give --case or --incident, not both")
        raise typer.Exit(2)
    scope = Scope(
        "case" if case else "trace" if incident else "graph",
        case or incident,
        max_depth=max_depth,
    )
    target = out or Path(tempfile.mkdtemp()) / "export.json"

    async def work(s: Services) -> ExportResult:
        with Progress(
            TextColumn("exporting"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            disable=out is None,
        ) as bar:
            task = bar.add_task("export", total=None)
            return await s.exports.export(
                acting_as(),
                scope,
                profile,
                target,
                lambda done, total: bar.update(task, completed=done, total=total),
            )

    try:
        result = run_with_services(work)
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
    err.print(
        f"exported {result.nodes} nodes and {result.claims} claims under the "
        f"{result.meta.profile} profile{shown}" + (f" to {out}" if out else "")
    )
    if result.manifest_sha256:
        err.print(f"manifest sha256 {result.manifest_sha256} (recorded in the audit log)")


def verify_bundle_command(
    path: Annotated[Path, typer.Argument(help="The bundle (.zip) to check.")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Check a bundle against its manifest: every file present, unaltered, and listed."""
    result = bundle.verify(path)
    if as_json:
        print(
            json.dumps(
                {
                    "ok": result.ok,
                    "checked": result.checked,
                    "manifest_sha256": result.manifest_sha256,
                    "problems": result.problems,
                },
                indent=2,
            )
        )
    elif result.ok:
        m = result.manifest
        err.print(
            f"[green]bundle verified[/green]: {result.checked} files match the manifest "
            f"({m.get('scope')} {m.get('subject') or ''}, profile "
            f"{m.get('profile', {}).get('effective')}, exported by "
            f"{m.get('exported_by', {}).get('name')} at {m.get('exported_at')}); "
            f"manifest sha256 {result.manifest_sha256}"
        )
    else:
        err.print(f"[red]bundle rejected[/red]: {len(result.problems)} problem(s)")
        for problem in result.problems:
            err.print(f"  {problem}")
    if not result.ok:
        raise typer.Exit(1)


def register_case_commands(app: typer.Typer) -> None:
    app.add_typer(case_app, name="case")
    app.command("export")(export_command)
    app.command("verify-bundle")(verify_bundle_command)
