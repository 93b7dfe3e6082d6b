"""``accountability audit verify | head | list``: the tamper-evident audit log."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from accountability.cli import render, session
from accountability.services import cursors
from accountability.services.audit import AuditEntry

group = typer.Typer(no_args_is_help=True, help="The tamper-evident audit log.")


def _anchors(given: list[str]) -> dict[int, str]:
    anchors: dict[int, str] = {}
    for item in given:
        seq, _, digest = item.partition(":")
        if not seq.isdigit() or len(digest) != 64:
            render.error(f"--anchor {item!r} is not SEQ:SHA256")
            raise typer.Exit(1)
        anchors[int(seq)] = digest
    return anchors


@group.command("verify")
def audit_verify(
    anchor: Annotated[
        list[str] | None,
        typer.Option(
            help="SEQ:HASH of an entry recorded earlier outside the database (see 'audit head'); "
            "repeatable."
        ),
    ] = None,
) -> None:
    """Check the whole hash chain; name the first broken entry (exit 1 if any)."""
    anchors = _anchors(anchor or [])
    started = time.perf_counter()
    # Hashes and entry numbers only, nothing protected: the service asks for no viewer.
    count, broken = session.run(lambda s, _viewer: s.audit.verify(anchors))
    seconds = time.perf_counter() - started
    if broken is not None:
        render.note(
            f"[red]audit chain broken at entry {broken.seq}:[/red] {broken.reason} "
            f"({count} entries read)"
        )
        raise typer.Exit(1)
    render.note(f"audit chain intact: {count} entries verified in {seconds:.2f} s")


@group.command("head")
def audit_head() -> None:
    """The last entry's number and hash, as SEQ:HASH. Record it outside the database (a
    case file, a partner): 'audit verify --anchor' then detects a rewritten chain."""
    seq, digest = session.run(lambda s, _viewer: s.audit.head())
    render.line(f"{seq}:{digest}")


@group.command("list")
def audit_list(
    first: Annotated[int, typer.Option(help="How many entries.")] = 50,
    after: Annotated[int, typer.Option(help="Start after this entry number.")] = 0,
) -> None:
    """Entries of the audit log, oldest first."""
    cursor = cursors.encode(str(after)) if after else None
    entries, _ = session.run(lambda s, viewer: s.audit.page(viewer, first, cursor))
    render.table(
        ("seq", "at", "actor", "role", "action", "targets", "summary"),
        ((str(e.seq), e.at, e.actor, e.role, e.action, _targets(e), e.summary) for e in entries),
    )


def _targets(entry: AuditEntry) -> str:
    """The first five targets, and how many more the entry names."""
    hidden = entry.target_count - len(entry.targets)
    return ", ".join(entry.targets[:5]) + (f" (+{hidden})" if hidden > 0 else "")


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="audit")
