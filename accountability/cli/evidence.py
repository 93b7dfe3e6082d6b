"""``accountability evidence add | verify | custody | record | working-copy``: evidence
files and their chain of custody."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from accountability.cli import render, session
from accountability.domain.redaction import Viewer
from accountability.services.container import Services

group = typer.Typer(no_args_is_help=True, help="Evidence files and chain of custody.")


@group.command("add")
def evidence_add(
    file: Annotated[Path, typer.Argument(help="The file; its original is kept, read-only.")],
    title: Annotated[str, typer.Option(help="What the item is.")],
    kind: Annotated[
        str, typer.Option(help="document, testimony, photo, video, audio, dataset or report.")
    ] = "document",
    source: Annotated[str | None, typer.Option(help="Who provided it.")] = None,
    classification: Annotated[
        str, typer.Option(help="public, confidential or protected.")
    ] = "confidential",
    received_from: Annotated[str | None, typer.Option(help="Who handed it over.")] = None,
    evidence_id: Annotated[str | None, typer.Option("--id", help="An id to use.")] = None,
) -> None:
    """Hash a file, store its original and register it as an Evidence item."""
    props = {
        "title": title,
        "kind": kind,
        "classification": classification,
        **({"source": source} if source else {}),
    }
    record = session.run(
        lambda s, viewer: s.evidence_files.add(
            file, props, viewer, received_from=received_from, evidence_id=evidence_id
        )
    )
    render.note(f"evidence {record.id} registered, sha256 {record.properties['sha256']}")
    render.line(record.id)


@group.command("verify")
def evidence_verify(
    ids: Annotated[list[str] | None, typer.Argument(help="Items to check (default: all).")] = None,
) -> None:
    """Re-hash the stored originals; report any missing or altered (exit 1 if any)."""
    checks = session.run(lambda s, viewer: s.evidence_files.verify(viewer, ids or None))
    bad = [c for c in checks if c.problem]
    for c in bad:
        render.note(f"[red]{c.evidence_id}[/red]: {c.problem} (recorded: {c.sha256})")
    render.note(f"{len(checks)} evidence files checked, {len(bad)} with problems")
    if bad:
        raise typer.Exit(1)


@group.command("custody")
def evidence_custody(evidence_id: Annotated[str, typer.Argument()]) -> None:
    """An item's chain of custody."""
    events = session.run(lambda s, viewer: s.evidence_files.custody([evidence_id], viewer))
    render.table(
        ("at", "action", "from", "to", "by", "hash", "note"),
        (
            (
                e.at,
                e.action,
                e.from_party or "",
                e.to_party or "",
                e.by,
                _hash_check(e.hash_ok),
                e.note or "",
            )
            for e in events[evidence_id]
        ),
        title=f"Chain of custody of {evidence_id}",
    )


def _hash_check(hash_ok: bool | None) -> str:
    return "" if hash_ok is None else ("matched" if hash_ok else "MISMATCH")


@group.command("record")
def evidence_record(
    evidence_id: Annotated[str, typer.Argument()],
    action: Annotated[str, typer.Option(help="received, transferred, checked or copied.")],
    from_party: Annotated[str | None, typer.Option("--from")] = None,
    to_party: Annotated[str | None, typer.Option("--to")] = None,
    sha256: Annotated[str | None, typer.Option(help="The hash the holder computed.")] = None,
    note: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Record a custody event (a hand-over, a check)."""
    event = session.run(
        lambda s, viewer: s.evidence_files.record(
            evidence_id, action, viewer, from_party, to_party, sha256, note
        )
    )
    if event.hash_ok is False:
        render.note("[red]the hash given does not match the item's recorded hash[/red]")
        raise typer.Exit(1)
    render.note(f"recorded {event.action} ({event.id})")


@group.command("working-copy")
def evidence_working_copy(
    evidence_id: Annotated[str, typer.Argument()],
    out: Annotated[Path, typer.Option(help="Where to write the copy.")],
) -> None:
    """Copy an original out of the store to work on; the original is untouched."""

    async def work(services: Services, viewer: Viewer) -> Path:
        return await services.evidence_files.working_copy(evidence_id, out, viewer)

    render.note(f"working copy written to {session.run(work)}")


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="evidence")
