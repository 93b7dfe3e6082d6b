"""``accountability backup --out FILE | --verify FILE`` and ``restore FILE``: a consistent
online copy of the deployment, its check, and its restore into an empty data folder."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Annotated

import typer

from accountability.cli import render, session
from accountability.errors import AccountabilityError, ValidationFailed
from accountability.services.backup import service as backups
from accountability.services.backup.service import BackupService
from accountability.settings import Settings


def backup_command(
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the archive (a .zip) here.")
    ] = None,
    verify: Annotated[
        Path | None,
        typer.Option("--verify", help="Check this archive against its manifest, restore nothing."),
    ] = None,
) -> None:
    """Back up the graph, the audit chain, evidence originals and settings while the
    service runs (admins: give an admin's --token); or check an archive (exit 1 when a
    file was altered, added or removed)."""
    if (out is None) == (verify is None):
        render.error("give --out FILE to back up, or --verify FILE to check an archive")
        raise typer.Exit(2)
    if verify is not None:
        result = asyncio.run(backups.verify(verify))
        if result.ok:
            m = result.manifest
            head = m.get("audit_head", {})
            render.note(
                f"[green]backup verified[/green]: {result.checked} files match the manifest "
                f"(taken at {m.get('created_at')} by {m.get('created_by', {}).get('name')}, "
                f"audit head {head.get('seq')}:{head.get('hash')}); "
                f"manifest sha256 {result.manifest_sha256}"
            )
            return
        render.note(f"[red]backup rejected[/red]: {len(result.problems)} problem(s)")
        for problem in result.problems:
            render.note(f"  {problem}")
        raise typer.Exit(1)
    assert out is not None
    started = time.perf_counter()
    done = session.run(lambda s, viewer: BackupService(s.db).backup(viewer, out))
    graph = (
        "the graph (engine snapshot), " if done.graph else "no graph (Neo4j: see docs/neo4j.md), "
    )
    render.note(
        f"backup written to {out} in {time.perf_counter() - started:.1f} s: {graph}"
        f"{done.originals} evidence originals, settings; audit head "
        f"{done.audit_seq}:{done.audit_hash}"
    )
    render.note(f"manifest sha256 {done.manifest_sha256} (recorded in the audit log)")


def restore_command(
    archive: Annotated[Path, typer.Argument(help="The archive written by 'backup --out'.")],
    data_dir: Annotated[
        Path | None,
        typer.Option(help="The empty folder to restore into (default: ACCOUNTABILITY_DATA_DIR)."),
    ] = None,
) -> None:
    """Restore an archive into an empty data folder, then check it: the audit chain up
    to the head the backup recorded, and every evidence original."""
    settings = Settings()
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": data_dir})
    started = time.perf_counter()
    try:
        done = asyncio.run(backups.restore(archive, settings))
    except ValidationFailed as exc:
        render.problems(exc)
        raise typer.Exit(1) from None
    except AccountabilityError as exc:
        render.error(exc.message)
        raise typer.Exit(1) from None
    head = done.manifest["audit_head"]
    if done.graph:
        render.note(
            f"restored into {done.data_dir} in {time.perf_counter() - started:.1f} s: the "
            f"graph, {done.audit_entries} audit entries verified up to the backup's head "
            f"{head['seq']}, {done.originals} evidence originals verified"
            + (
                f"; {done.without_original} evidence items record a hash with no original "
                "(as in the backup)"
                if done.without_original
                else ""
            )
        )
    else:
        render.note(
            f"restored {done.originals} evidence originals and settings into {done.data_dir}; "
            "the graph is not in this archive: load its neo4j-admin backup or dump, then "
            "check it with 'accountability audit verify --anchor SEQ:HASH', the head recorded "
            "before that backup (docs/neo4j.md)"
        )


def register(app: typer.Typer) -> None:
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)
