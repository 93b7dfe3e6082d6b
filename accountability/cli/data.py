"""``accountability demo`` and ``import``: data into the graph, as the command's viewer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from accountability.cli import render, session
from accountability.domain.redaction import Viewer
from accountability.services.container import Services
from accountability.services.ingest.interchange import ImportReport


def load_demo() -> None:
    """Load the fictional demo case (idempotent)."""
    from accountability.services.demo import demo_document

    report = session.run(lambda s, viewer: s.interchange.import_document(viewer, demo_document()))
    render.note(f"demo case loaded: {report.nodes} nodes, {report.claims} claims")


def import_file(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
) -> None:
    """Import an interchange JSON file: all of it, or nothing if any record is bad."""
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        render.error(f"{file} is not valid JSON: {exc}")
        raise typer.Exit(1) from None
    total = (
        len(document.get("nodes", [])) + len(document.get("claims", []))
        if isinstance(document, dict)
        else 0
    )

    async def work(services: Services, viewer: Viewer) -> ImportReport:
        with render.progress("importing") as bar:
            task = bar.add_task("import", total=total)
            return await services.interchange.import_document(
                viewer, document, lambda n: bar.advance(task, n)
            )

    report = session.run(work)
    render.note(f"imported {report.nodes} nodes and {report.claims} claims from {file}")


def register(app: typer.Typer) -> None:
    app.command("demo")(load_demo)
    app.command("import")(import_file)
